//! The About dialog's command, and the window's report that it has painted (the
//! start-up trace's last phase).

use lectern::about::About;
use tauri::{AppHandle, Manager, State};

use crate::state::AppState;
use crate::{bundled, startup};

/// The version, the licence, and where the learner's data lives: the progress
/// database and its backups, the search cache, the open course and the bundled course.
#[tauri::command]
pub(crate) fn about(app: AppHandle, state: State<'_, AppState>) -> About {
    let bundled = app
        .path()
        .app_data_dir()
        .ok()
        .map(|base| bundled::folder(&base));
    lectern::about::about(&state.status().db, &state.root(), bundled)
}

/// The window drew the page it opens on. `fcp` is the webview's first contentful
/// paint in Unix milliseconds, if it knows it. Only recorded when
/// `LECTERN_STARTUP_TRACE` is set; otherwise nothing happens.
#[tauri::command]
pub(crate) fn startup_painted(fcp: Option<f64>) {
    if let Some(at) = fcp {
        startup::mark_at("first-contentful-paint", at);
    }
    startup::mark("course-painted");
}
