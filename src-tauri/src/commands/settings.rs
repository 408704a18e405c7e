//! Commands of the Settings view: preferences stored in the progress database.

use tauri::State;

use crate::error::{no_progress, UiError};
use crate::state::AppState;

/// A stored preference (`None` when never set, or when no database could be opened).
#[tauri::command]
pub(crate) fn get_setting(
    state: State<'_, AppState>,
    key: String,
) -> Result<Option<String>, UiError> {
    match state.progress().as_ref() {
        Some(store) => Ok(store.setting(&key)?),
        None => Ok(None),
    }
}

/// Stores a preference.
#[tauri::command]
pub(crate) fn set_setting(
    state: State<'_, AppState>,
    key: String,
    value: String,
) -> Result<(), UiError> {
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(store.set_setting(&key, &value)?)
}
