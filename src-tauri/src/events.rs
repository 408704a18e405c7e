//! The events the shell sends to the window: every name and payload in one place.
//!
//! Names are namespaced like URLs (`course://opened`); the UI's `js/events.js` turns
//! each into an action of its action table. Payloads are serializable counterparts made
//! here, at the edge.

use lectern::course::Outline;
use serde::Serialize;
use tauri::{AppHandle, Emitter};

use crate::error::UiError;

/// `course://opened`: the open course was replaced, by another folder or by the same
/// folder read again from disk. Payload: [`CourseOpened`].
pub(crate) const COURSE_OPENED: &str = "course://opened";

/// Why the course was replaced.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum OpenReason {
    /// The same folder, read again (F5).
    Reload,
    /// Another folder, picked with "Open folder…".
    OpenFolder,
    /// A course of the recent list, opened again from the course page.
    OpenRecent,
}

/// The payload of [`COURSE_OPENED`]: why, and the new outline.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct CourseOpened {
    pub(crate) reason: OpenReason,
    pub(crate) outline: Outline,
}

/// Tells the window that the course was replaced.
pub(crate) fn course_opened(
    app: &AppHandle,
    reason: OpenReason,
    outline: Outline,
) -> Result<(), UiError> {
    app.emit(COURSE_OPENED, CourseOpened { reason, outline })
        .map_err(|e| UiError::new("event-failed", format!("cannot tell the window: {e}")))
}
