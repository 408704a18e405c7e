//! Commands of the Knowledge Check: grading one answer, scoring the attempt, retrying
//! the missed questions.

use lectern::quiz::{self, AttemptView, Grade, Score};
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

/// The score of an attempt from `(question id, correct)` pairs in the order answered,
/// as the core counts it (a question answered twice counts once, with its last answer).
#[tauri::command]
pub(crate) fn quiz_score(results: Vec<(String, bool)>) -> Score {
    quiz::score(&results)
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
