//! Commands over the course outline.

use lectern::course::Outline;
use tauri::State;

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
