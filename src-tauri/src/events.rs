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
    /// A `.lectern` file picked with "Open file…".
    OpenFile,
    /// The folder or `.lectern` file a second `lectern-app` was started with (a
    /// double-click in the file manager), handed to this window.
    HandedOver,
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

/// `course://changed`: files of the open course changed on disk and the course was
/// updated in place (live preview). Payload: [`CourseChanged`].
pub(crate) const COURSE_CHANGED: &str = "course://changed";

/// `course://open-failed`: a course handed to this window (a second `lectern-app`'s
/// argument) could not be opened; the open course stays. Payload: [`OpenFailed`].
pub(crate) const COURSE_OPEN_FAILED: &str = "course://open-failed";

/// The payload of [`COURSE_OPEN_FAILED`]: why, in words.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct OpenFailed {
    pub(crate) message: String,
}

/// Tells the window that a course handed to it could not be opened.
pub(crate) fn open_failed(app: &AppHandle, message: &str) -> Result<(), UiError> {
    let payload = OpenFailed {
        message: message.to_owned(),
    };
    app.emit(COURSE_OPEN_FAILED, payload)
        .map_err(|e| UiError::new("event-failed", format!("cannot tell the window: {e}")))
}

/// `watch://status`: how the open course's folder is watched, when that changes.
/// Payload: [`WatchStatus`].
pub(crate) const WATCH_STATUS: &str = "watch://status";

/// The course's totals, as the Problems badge shows them.
#[derive(Clone, Copy, Debug, Serialize)]
pub(crate) struct Problems {
    pub(crate) lessons: usize,
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
}

impl Problems {
    pub(crate) fn of(totals: lectern::check::Totals) -> Problems {
        Problems {
            lessons: totals.lessons,
            errors: totals.errors,
            warnings: totals.warnings,
        }
    }
}

/// The payload of [`COURSE_CHANGED`]: small whatever the course's size. The window
/// re-fetches what it shows (`open_lesson`, `file_problems`, `check_course`).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct CourseChanged {
    /// Lessons added or whose file changed, in course order.
    pub(crate) changed: Vec<String>,
    /// Lessons no longer in the course (file removed, or no longer readable as a lesson).
    pub(crate) removed: Vec<String>,
    /// Files whose diagnostics may have changed (relative, `/`-separated).
    pub(crate) files: Vec<String>,
    /// Whether the whole folder was read again (a burst of changes).
    pub(crate) rescanned: bool,
    /// The new outline, only when it differs from the one last sent.
    pub(crate) outline: Option<Outline>,
    /// The course's totals after the change.
    pub(crate) problems: Problems,
}

/// Tells the window what a change on disk did to the course.
pub(crate) fn course_changed(
    app: &AppHandle,
    applied: lectern::course::Applied,
    outline: Option<Outline>,
    problems: Problems,
) -> Result<(), UiError> {
    let payload = CourseChanged {
        changed: applied.changed,
        removed: applied.removed,
        files: applied.files,
        rescanned: applied.rescanned,
        outline,
        problems,
    };
    app.emit(COURSE_CHANGED, payload)
        .map_err(|e| UiError::new("event-failed", format!("cannot tell the window: {e}")))
}

/// The payload of [`WATCH_STATUS`]: `status` is `native`, `polling`, `folder-missing`,
/// `stopped` (the watcher could not start) or `read-only` (a course unpacked from a
/// `.lectern` file, never watched); `reason` says why native watching failed, or why
/// the course is read-only.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct WatchStatus {
    pub(crate) status: &'static str,
    pub(crate) reason: Option<String>,
}

impl From<&lectern::watch::Status> for WatchStatus {
    fn from(status: &lectern::watch::Status) -> Self {
        use lectern::watch::Status;
        match status {
            Status::Native => WatchStatus {
                status: "native",
                reason: None,
            },
            Status::Polling { reason } => WatchStatus {
                status: "polling",
                reason: Some(reason.clone()),
            },
            Status::FolderMissing => WatchStatus {
                status: "folder-missing",
                reason: None,
            },
        }
    }
}

/// Tells the window how its folder is watched.
pub(crate) fn watch_status(app: &AppHandle, status: WatchStatus) -> Result<(), UiError> {
    app.emit(WATCH_STATUS, status)
        .map_err(|e| UiError::new("event-failed", format!("cannot tell the window: {e}")))
}

/// `search://indexing`: how far the first index of the course opened at start has
/// come, after each batch, and once more when it is done. Payload: [`SearchIndexing`].
pub(crate) const SEARCH_INDEXING: &str = "search://indexing";

/// The payload of [`SEARCH_INDEXING`]: `done` of `total` lessons indexed; `finished`
/// once the whole index is in use (the window asks its query again then).
#[derive(Clone, Copy, Debug, Serialize)]
pub(crate) struct SearchIndexing {
    pub(crate) done: usize,
    pub(crate) total: usize,
    pub(crate) finished: bool,
}

/// Tells the window how far the first index has come.
pub(crate) fn search_indexing(
    app: &AppHandle,
    progress: lectern::search::Progress,
    finished: bool,
) -> Result<(), UiError> {
    let payload = SearchIndexing {
        done: progress.done,
        total: progress.total,
        finished,
    };
    app.emit(SEARCH_INDEXING, payload)
        .map_err(|e| UiError::new("event-failed", format!("cannot tell the window: {e}")))
}
