//! Commands of the Knowledge Check: grading one answer, retrying the missed questions.

use lectern::quiz::{AttemptView, Grade};
use lectern::reader;
use tauri::State;

use crate::error::UiError;
use crate::state::AppState;

/// Grades the chosen options of one question; the core holds the answer key.
#[tauri::command]
pub(crate) fn grade_answer(
    state: State<'_, AppState>,
    lesson: String,
    question: String,
    chosen: Vec<String>,
) -> Result<Grade, UiError> {
    let loaded = state.loaded();
    Ok(reader::grade(&loaded.course, &lesson, &question, &chosen)?)
}

/// A new attempt at the given questions, freshly shuffled.
#[tauri::command]
pub(crate) fn retry_quiz(
    state: State<'_, AppState>,
    lesson: String,
    questions: Vec<String>,
) -> Result<AttemptView, UiError> {
    let loaded = state.loaded();
    Ok(reader::retry(
        &loaded.course,
        &lesson,
        &questions,
        reader::fresh_seed(),
    )?)
}
