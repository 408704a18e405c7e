//! The study actions the app performs on a course, each one call from a shell command:
//! grade an answer and record it in the same step, so no answer the core graded goes
//! unrecorded and the UI never reports grades itself.

use serde::Serialize;

use super::{CourseKey, Millis, NewAnswer, Store, StoreError};
use crate::course::Course;
use crate::quiz::{self, Grade};
use crate::reader::ReaderError;

/// One answer as the learner gave it.
#[derive(Clone, Debug)]
pub struct AnswerInput<'a> {
    /// The lesson id.
    pub lesson: &'a str,
    /// The seed of the attempt's fresh start (retries keep it).
    pub attempt: u64,
    /// The question id.
    pub question: &'a str,
    /// The option ids chosen.
    pub chosen: &'a [String],
    /// Time taken to answer.
    pub time_ms: u64,
    /// When.
    pub now: Millis,
}

/// Why an answer was graded but not saved: shown to the learner, never fatal.
#[derive(Clone, Debug, Serialize)]
pub struct NotSaved {
    /// [`StoreError::code`].
    pub code: &'static str,
    /// What to tell the learner.
    pub message: String,
}

/// A graded answer, and what became of it in the progress database.
#[derive(Clone, Debug, Serialize)]
pub struct Graded {
    /// The grade (as `quiz::grade` gives it).
    #[serde(flatten)]
    pub grade: Grade,
    /// `None` when saved; why not otherwise (read-only database, disk full, busy).
    pub not_saved: Option<NotSaved>,
    /// Whether the lesson is now complete.
    pub lesson_complete: bool,
}

/// Grades `input` against the lesson's quiz as it is now and records the answer. The
/// grade is returned even when saving fails (the learner keeps studying; the UI says
/// the answer was not kept).
pub fn grade_and_record(
    store: Option<&mut Store>,
    key: &CourseKey,
    course: &Course,
    input: &AnswerInput<'_>,
) -> Result<Graded, ReaderError> {
    let lesson = course
        .lesson(input.lesson)
        .ok_or_else(|| ReaderError::LessonNotFound(input.lesson.to_owned()))?;
    let (parsed, _) = quiz::parse(lesson);
    let grade = quiz::grade(&parsed, input.question, input.chosen)?;
    let ids: Vec<String> = parsed.questions.iter().map(|q| q.id.clone()).collect();
    let position = ids.iter().position(|q| q == input.question).unwrap_or(0);
    let Some(store) = store else {
        return Ok(Graded {
            grade,
            not_saved: Some(NotSaved {
                code: "progress-unavailable",
                message: "progress is not being saved in this session".to_owned(),
            }),
            lesson_complete: false,
        });
    };
    let answer = NewAnswer {
        course: key,
        lesson: input.lesson,
        attempt: input.attempt,
        questions: ids.len(),
        question: input.question,
        position,
        chosen: input.chosen,
        correct: grade.correct,
        time_ms: input.time_ms,
        at: input.now,
    };
    let saved: Result<bool, StoreError> = store
        .record_answer(&answer, &ids)
        .and_then(|_| store.lesson_completed(key, input.lesson));
    Ok(match saved {
        Ok(lesson_complete) => Graded {
            grade,
            not_saved: None,
            lesson_complete,
        },
        Err(e) => Graded {
            grade,
            not_saved: Some(NotSaved {
                code: e.code(),
                message: e.to_string(),
            }),
            lesson_complete: false,
        },
    })
}
