//! Commands of the Knowledge Check: grading one answer, scoring the attempt, retrying
//! the missed questions.

use lectern::answer::{self, Answer, Answered, Origin};
use lectern::quiz::{self, AttemptView, Score};
use lectern::reader;
use tauri::State;

use crate::clock;
use crate::error::UiError;
use crate::state::AppState;

/// Grades one answer (option ids, one text per blank, or a tracing answer: the core
/// holds the answer key and grades every kind), with the learner's note when the
/// question asked why (`note`, kept with the answer, never graded), and
/// records the answer in the progress database. `attempt` is the seed of the attempt's
/// fresh start (retries keep it); `time_ms` how long the learner took. A grade that
/// could not be saved says so in `not_saved`; `scheduled` is what the answer did to the
/// question's review card. The same path as `grade_review` (`answer::submit`).
#[tauri::command]
pub(crate) fn grade_answer(
    state: State<'_, AppState>,
    lesson: String,
    attempt: u64,
    question: String,
    chosen: Vec<String>,
    time_ms: u64,
    note: Option<String>,
) -> Result<Answered, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let input = Answer {
        note: note.as_deref(),
        lesson: &lesson,
        question: &question,
        chosen: &chosen,
        time_ms,
        now: clock::now_local(),
        origin: Origin::Quiz { attempt },
    };
    Ok(answer::submit(
        state.progress().as_mut(),
        key,
        &l.course,
        &input,
    )?)
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
        &loaded.0.course,
        &lesson,
        &questions,
        lectern::clock::fresh_seed(),
    )?)
}
