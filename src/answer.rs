//! The answer pipeline: the one path every answer takes, given in a lesson's Knowledge
//! Check or in a review session. [`submit`] finds the lesson, parses its quiz as it is
//! now (a card the learner made of a highlight is its own one-question quiz, from the
//! text it keeps), grades the chosen options (the answer key never leaves the core), records the
//! answer and reschedules the question's review card in one transaction, and says when
//! the answer could not be kept. So no answer the core graded goes unrecorded, the UI
//! never reports grades itself, and a quiz answer and a review answer cannot drift
//! apart.
//!
//! Layering: this module stands above the store ([`crate::progress`]) and the
//! scheduler ([`crate::review`]) and is the only one that uses grading
//! ([`crate::quiz::grade`]) with both. Neither of them names it.

use serde::Serialize;

use crate::author;
use crate::course::Course;
use crate::day::Now;
use crate::progress::{CourseKey, NewAnswer, NewReview, Scheduled, Source, Store, StoreError};
use crate::quiz::{self, Grade, Quiz};
use crate::reader::ReaderError;
use crate::review::{self, Fsrs, DEFAULT_RETENTION};

/// Where an answer was given, which decides where it is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A lesson's Knowledge Check: recorded in the lesson's quiz attempts and scores
    /// (and its review card rescheduled in the same transaction).
    Quiz {
        /// The seed of the attempt's fresh start (retries keep it).
        attempt: u64,
    },
    /// A review session: the review log only, never the lesson's quiz attempts.
    Review,
    /// "Practise this section": as a review (the review log only, the day's first
    /// answer reschedules), logged as practice.
    Practice,
}

/// One answer as the learner gave it.
#[derive(Clone, Debug)]
pub struct Answer<'a> {
    /// The lesson id.
    pub lesson: &'a str,
    /// The question id.
    pub question: &'a str,
    /// What the learner sent: option ids, one text per blank, or a tracing answer
    /// (see `quiz::Kind`).
    pub chosen: &'a [String],
    /// The learner's note on a quiz answer (why they answered so), when the question
    /// asks for one (mdbook-quiz's `promptExplanation`): kept with the answer, never
    /// graded. Review answers keep none.
    pub note: Option<&'a str>,
    /// Time taken to answer.
    pub time_ms: u64,
    /// When, with the learner's UTC offset (the local day decides whether the answer
    /// reschedules the question's review card: only the day's first does).
    pub now: Now,
    /// A quiz or a review.
    pub origin: Origin,
}

/// Why an answer was graded but not saved: shown to the learner, never fatal.
#[derive(Clone, Debug, Serialize)]
pub struct NotSaved {
    /// [`StoreError::code`], or `progress-unavailable`.
    pub code: &'static str,
    /// What to tell the learner.
    pub message: String,
}

impl NotSaved {
    /// A quiz answer in author mode: graded, never recorded or scheduled (the author
    /// trying their own questions).
    pub fn author_mode() -> NotSaved {
        NotSaved {
            code: "author-mode",
            message: "author mode: answers are graded but not recorded".to_owned(),
        }
    }

    /// No database in this session (it could not be opened at start).
    pub fn unavailable() -> NotSaved {
        NotSaved {
            code: "progress-unavailable",
            message: "progress is not being saved in this session".to_owned(),
        }
    }
}

impl From<&StoreError> for NotSaved {
    fn from(e: &StoreError) -> Self {
        NotSaved {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// A graded answer, and what became of it in the progress database.
#[derive(Clone, Debug, Serialize)]
pub struct Answered {
    /// The grade (as `quiz::grade` gives it, with `review`, the heading that teaches
    /// the question, when the answer is wrong).
    #[serde(flatten)]
    pub grade: Grade,
    /// `None` when saved; why not otherwise (no database, read-only, disk full, busy).
    pub not_saved: Option<NotSaved>,
    /// What the answer did to the question's review card (`None` when not saved). Not
    /// named `review`: the flattened grade already has a `review` key, and a second one
    /// would silently replace it in the JSON the UI reads.
    pub scheduled: Option<Scheduled>,
    /// After a quiz answer, whether the lesson is now complete. Always false for a
    /// review answer (a review never changes completion) and when not saved.
    pub lesson_complete: bool,
    /// A wrong review (or practice) answer: the session shows the card again before it ends. Always
    /// false for a quiz answer.
    pub again_in_session: bool,
}

/// Grades `answer` against the lesson's quiz as it is now and records it where its
/// [`Origin`] says, scheduling the question's review card in the same transaction (only
/// the day's first answer reschedules; a wrong one rates Again, a right one Good, which
/// `review::rate` may change); a quiz answer in author mode ([`author::is_on`]) is
/// graded and never recorded. The grade is returned even when saving fails or there
/// is no database: the learner keeps studying and `not_saved` says why. Errors only
/// when the lesson or the question is not in the course (or the choice is malformed).
pub fn submit(
    store: Option<&mut Store>,
    key: &CourseKey,
    course: &Course,
    answer: &Answer<'_>,
) -> Result<Answered, ReaderError> {
    // A store that cannot be read here cannot record the answer either; the question
    // is then looked for in the lesson's quiz, and a made card's id is not there
    // (`unknown-question`, which the window shows).
    let made = store
        .as_deref()
        .and_then(|s| s.made_card(key, answer.question).ok().flatten());
    let parsed = match made {
        // The learner's own card: graded on the text it keeps, whatever the lesson
        // says now (and even when the lesson is gone).
        Some(c) => quiz::cloze(&c.lesson, &c.id, &c.before, &c.phrase, &c.after),
        None => {
            let lesson = course
                .lesson(answer.lesson)
                .ok_or_else(|| ReaderError::LessonNotFound(answer.lesson.to_owned()))?;
            quiz::parse(lesson).0
        }
    };
    let grade = quiz::grade(&parsed, answer.question, answer.chosen)?;
    let again_in_session = !matches!(answer.origin, Origin::Quiz { .. }) && !grade.correct;
    let trying = matches!(answer.origin, Origin::Quiz { .. }) && author::is_on(store.as_deref());
    let saved = match store {
        _ if trying => Err(NotSaved::author_mode()),
        Some(store) => {
            record(store, key, &parsed, answer, grade.correct).map_err(|e| NotSaved::from(&e))
        }
        None => Err(NotSaved::unavailable()),
    };
    Ok(match saved {
        Ok((scheduled, lesson_complete)) => Answered {
            grade,
            not_saved: None,
            scheduled: Some(scheduled),
            lesson_complete,
            again_in_session,
        },
        Err(why) => Answered {
            grade,
            not_saved: Some(why),
            scheduled: None,
            lesson_complete: false,
            again_in_session,
        },
    })
}

/// Records a graded answer (one transaction) and, for a quiz, reads whether the lesson
/// is now complete.
fn record(
    store: &mut Store,
    key: &CourseKey,
    parsed: &Quiz,
    answer: &Answer<'_>,
    correct: bool,
) -> Result<(Scheduled, bool), StoreError> {
    let fsrs = review::scheduler(store, key).unwrap_or(Fsrs::defaults(DEFAULT_RETENTION));
    let card = NewReview {
        course: key,
        lesson: answer.lesson,
        question: answer.question,
        correct,
        source: match answer.origin {
            Origin::Quiz { .. } => Source::Quiz,
            Origin::Review => Source::Review,
            Origin::Practice => Source::Practice,
        },
        time_ms: answer.time_ms,
        now: answer.now,
        scheduler: &fsrs,
    };
    let Origin::Quiz { attempt } = answer.origin else {
        return Ok((store.record_review(&card)?, false));
    };
    let ids: Vec<String> = parsed.questions.iter().map(|q| q.id.clone()).collect();
    let position = ids.iter().position(|q| q == answer.question).unwrap_or(0);
    let row = NewAnswer {
        course: key,
        lesson: answer.lesson,
        attempt,
        questions: ids.len(),
        question: answer.question,
        position,
        chosen: answer.chosen,
        note: answer.note.filter(|n| !n.trim().is_empty()),
        correct,
        time_ms: answer.time_ms,
        at: answer.now.at,
    };
    let (_, scheduled) = store.record_quiz_answer(&row, &ids, &card)?;
    Ok((scheduled, store.lesson_completed(key, answer.lesson)?))
}
