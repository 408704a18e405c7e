//! The study dashboard: one command, one core call (`Store::dashboard`).

use lectern::progress::Dashboard;
use tauri::State;

use crate::clock;
use crate::error::{no_progress, UiError};
use crate::state::AppState;

/// The open course's dashboard as of now (local days: `clock::now_local`).
#[tauri::command]
pub(crate) fn dashboard(state: State<'_, AppState>) -> Result<Dashboard, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let store = state.progress();
    let store = store.as_ref().ok_or_else(no_progress)?;
    Ok(store.dashboard(key, &l.course, &clock::now_local())?)
}
