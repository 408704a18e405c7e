//! Commands over the course outline.

use lectern::course::Outline;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::UiError;
use crate::state::AppState;

/// The outline of the open course, with its diagnostics.
#[tauri::command]
pub(crate) fn course_outline(state: State<'_, AppState>) -> Result<Outline, UiError> {
    let loaded = state.loaded();
    Ok(loaded.course.outline(&loaded.diagnostics))
}

/// Re-reads the course from disk and returns the new outline.
#[tauri::command]
pub(crate) fn reload_course(state: State<'_, AppState>) -> Result<Outline, UiError> {
    state.reload();
    course_outline(state)
}

/// Asks for a folder with the system's folder picker and opens the course in it.
/// `None` when the learner cancels. Async, so the picker does not block the window.
#[tauri::command]
pub(crate) async fn open_folder(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<Outline>, UiError> {
    let picked = app
        .dialog()
        .file()
        .set_title("Open a folder of lessons")
        .set_directory(state.root())
        .blocking_pick_folder();
    let Some(picked) = picked else {
        return Ok(None);
    };
    let root = picked
        .into_path()
        .map_err(|e| UiError::new("folder-unreadable", format!("cannot open that folder: {e}")))?;
    state.switch_to(root);
    course_outline(state).map(Some)
}
