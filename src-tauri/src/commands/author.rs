//! Commands of author mode (`lectern::author`): the mode itself (remembered) and the
//! author's view of a lesson's quiz, with its answer key, given only while it is on.

use lectern::author;
use lectern::quiz::KeyedQuiz;
use tauri::State;

use crate::error::{no_progress, UiError};
use crate::state::AppState;

/// Whether author mode is on (off without a progress database).
#[tauri::command]
pub(crate) fn author_mode(state: State<'_, AppState>) -> bool {
    author::is_on(state.progress().as_ref())
}

/// Turns author mode on or off.
#[tauri::command]
pub(crate) fn set_author_mode(state: State<'_, AppState>, on: bool) -> Result<(), UiError> {
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(author::set(store, on)?)
}

/// Lesson `lesson`'s quiz with its key, each question's file, line and lints; refused
/// (`author-mode-off`) unless author mode is on.
#[tauri::command]
pub(crate) fn author_quiz(
    state: State<'_, AppState>,
    lesson: String,
) -> Result<KeyedQuiz, UiError> {
    let loaded = state.loaded();
    let store = state.progress();
    Ok(author::quiz(store.as_ref(), &loaded.0, &lesson)?)
}
