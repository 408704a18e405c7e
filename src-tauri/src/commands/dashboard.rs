//! The study dashboard: one command, one core call (`Store::dashboard`).

use lectern::progress::{Dashboard, Now};
use tauri::State;

use crate::clock;
use crate::error::{no_progress, UiError};
use crate::state::AppState;

/// The open course's dashboard as of now. `utc_offset_min` is the window's UTC offset
/// (minutes east of UTC), which decides where the learner's days start.
#[tauri::command]
pub(crate) fn dashboard(
    state: State<'_, AppState>,
    utc_offset_min: i32,
) -> Result<Dashboard, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let store = state.progress();
    let store = store.as_ref().ok_or_else(no_progress)?;
    let now = Now {
        at: clock::now(),
        utc_offset_min,
    };
    Ok(store.dashboard(key, &l.course, &now)?)
}
