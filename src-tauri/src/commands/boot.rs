//! `boot`: everything the window's first page needs, in one answer.
//!
//! At start the UI used to ask for the watcher's state, the progress status, the
//! outline, the progress and the recent courses one after another: five round trips
//! between the first paint and the course page (BENCHMARKS.md, "Start-up and memory").
//! This command answers them together; each part is what its own command answers
//! (the same functions), so the page draws the same thing either way.

use lectern::course::Outline;
use lectern::progress::CourseProgress;
use serde::Serialize;
use tauri::{AppHandle, Manager};

use crate::commands::course::outline_of;
use crate::commands::progress::{progress_of, recent_of, RecentView};
use crate::error::UiError;
use crate::events::WatchStatus;
use crate::state::{AppState, ProgressStatus};

/// The first page's data. A part that failed is `null` (progress) or empty (recent),
/// as the UI treated a failed call before; the outline cannot fail.
#[derive(Serialize)]
pub(crate) struct Boot {
    /// `watch_status`.
    watch: Option<WatchStatus>,
    /// `progress_status`.
    status: ProgressStatus,
    /// `course_outline`.
    outline: Outline,
    /// `course_progress`, or `null` when it could not be read.
    progress: Option<CourseProgress>,
    /// `recent_courses`, or empty when they could not be read.
    recent: Vec<RecentView>,
}

/// What the first page needs: watcher state, progress status, outline, progress and
/// recent courses, in one round trip. The window asks as soon as its page has loaded,
/// which may be before the course has (it is read on a thread of its own at start):
/// the answer waits for it on a blocking thread, never on the main thread, which keeps
/// drawing the window meanwhile.
#[tauri::command]
pub(crate) async fn boot(app: AppHandle) -> Result<Boot, UiError> {
    tauri::async_runtime::spawn_blocking(move || boot_of(&app.state::<AppState>()))
        .await
        .map_err(|e| UiError::new("internal", format!("the course could not be read: {e}")))
}

fn boot_of(state: &AppState) -> Boot {
    Boot {
        watch: state.live().status(),
        status: state.status().clone(),
        outline: outline_of(state),
        progress: progress_of(state).ok(),
        recent: recent_of(state).unwrap_or_default(),
    }
}
