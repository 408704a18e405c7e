//! Commands over the learner's highlights, notes and bookmarks (the notes issue, #24):
//! the window sends selections in UTF-16 units of the lesson's plain text; the core
//! anchors, stores and places them.

use lectern::notes::{self, LessonNotes, MadeCard, NotesError, Selection};
use tauri::State;

use crate::clock;
use crate::error::{no_progress, UiError};
use crate::state::AppState;

impl From<NotesError> for UiError {
    fn from(e: NotesError) -> Self {
        UiError::new(e.code(), e.to_string())
    }
}

/// Makes a highlight or bookmark of `selection` on lesson `lesson`; resolves to its id.
#[tauri::command]
pub(crate) fn add_annotation(
    state: State<'_, AppState>,
    lesson: String,
    selection: Selection,
) -> Result<String, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(notes::annotate(
        store,
        key,
        &l.course,
        state.renderer(),
        &lesson,
        &selection,
        lectern::clock::fresh_seed(),
        clock::now(),
    )?)
}

/// Changes a highlight's colour and note (`note` null: none). Resolves to whether it
/// still exists.
#[tauri::command]
pub(crate) fn edit_annotation(
    state: State<'_, AppState>,
    id: String,
    color: Option<String>,
    note: Option<String>,
) -> Result<bool, UiError> {
    let key = state.loaded().1.clone();
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(store.edit_annotation(&key, &id, color.as_deref(), note.as_deref(), clock::now())?)
}

/// Deletes one annotation. Resolves to whether it existed.
#[tauri::command]
pub(crate) fn remove_annotation(state: State<'_, AppState>, id: String) -> Result<bool, UiError> {
    let key = state.loaded().1.clone();
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(store.remove_annotation(&key, &id)?)
}

/// Deletes the learner's own review card `id` and its schedule; resolves to whether it
/// existed.
#[tauri::command]
pub(crate) fn delete_made_card(state: State<'_, AppState>, id: String) -> Result<bool, UiError> {
    let key = state.loaded().1.clone();
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(store.delete_made_card(&key, &id)?)
}

/// Makes a review card of highlight `id` (its phrase hidden in its sentence); resolves
/// to the card (`created` false: the highlight already had it).
#[tauri::command]
pub(crate) fn make_card(state: State<'_, AppState>, id: String) -> Result<MadeCard, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(notes::make_card(
        store,
        key,
        &l.course,
        state.renderer(),
        &id,
        clock::now(),
    )?)
}

/// Lesson `lesson`'s annotations placed on its text as it is now (empty when progress
/// is not saved).
#[tauri::command]
pub(crate) fn lesson_annotations(
    state: State<'_, AppState>,
    lesson: String,
) -> Result<LessonNotes, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    match state.progress().as_ref() {
        Some(store) => Ok(notes::lesson_notes(
            store,
            key,
            &l.course,
            state.renderer(),
            &lesson,
        )?),
        None => Ok(LessonNotes {
            lesson: lesson.clone(),
            title: lesson,
            present: true,
            notes: Vec::new(),
        }),
    }
}

/// The open course's annotations grouped by lesson in course order, placed on today's
/// text (the notes view; empty when progress is not saved).
#[tauri::command]
pub(crate) fn course_notes(state: State<'_, AppState>) -> Result<Vec<LessonNotes>, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    match state.progress().as_ref() {
        Some(store) => Ok(notes::course_notes(
            store,
            key,
            &l.course,
            state.renderer(),
        )?),
        None => Ok(Vec::new()),
    }
}
