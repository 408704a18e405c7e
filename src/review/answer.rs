//! Answering in a review session ([`grade`]) and saying how hard a right answer was
//! ([`rate`]).

use serde::Serialize;

use super::schedule::retention;
use super::{Now, Rating, ReviewError, Scheduled, Source};
use crate::course::Course;
use crate::progress::{CourseKey, NewReview, NotSaved, Store};
use crate::quiz::{self, Grade};
use crate::reader::ReaderError;

/// One answer given in a review session.
#[derive(Clone, Debug)]
pub struct ReviewAnswer<'a> {
    /// The card's lesson id.
    pub lesson: &'a str,
    /// The card's question id.
    pub question: &'a str,
    /// The option ids chosen.
    pub chosen: &'a [String],
    /// Time from showing the card to answering.
    pub time_ms: u64,
    /// When.
    pub now: Now,
}

/// A graded review answer and what it did to the card.
#[derive(Clone, Debug, Serialize)]
pub struct ReviewGraded {
    /// The grade, as a quiz gives it (with `review`, the heading of the lesson that
    /// teaches the question, when the answer is wrong).
    #[serde(flatten)]
    pub grade: Grade,
    /// What the answer did to the card; `None` when it could not be saved.
    pub scheduled: Option<Scheduled>,
    /// A wrong answer: the session shows the card again before it ends.
    pub again_in_session: bool,
    /// `None` when saved; why not otherwise.
    pub not_saved: Option<NotSaved>,
}

/// Grades a review answer against the lesson's quiz as it is now and reschedules the
/// card (wrong: Again; right: Good, which [`rate`] may change). The answer goes to the
/// review log only, not to the lesson's quiz attempts or scores. The grade is returned
/// even when saving fails (`not_saved` says why).
pub fn grade(
    store: Option<&mut Store>,
    key: &CourseKey,
    course: &Course,
    input: &ReviewAnswer<'_>,
) -> Result<ReviewGraded, ReaderError> {
    let lesson = course
        .lesson(input.lesson)
        .ok_or_else(|| ReaderError::LessonNotFound(input.lesson.to_owned()))?;
    let (parsed, _) = quiz::parse(lesson);
    let grade = quiz::grade(&parsed, input.question, input.chosen)?;
    let again_in_session = !grade.correct;
    let Some(store) = store else {
        return Ok(ReviewGraded {
            grade,
            scheduled: None,
            again_in_session,
            not_saved: Some(NotSaved::unavailable()),
        });
    };
    let review = NewReview {
        course: key,
        lesson: input.lesson,
        question: input.question,
        correct: grade.correct,
        source: Source::Review,
        time_ms: input.time_ms,
        now: input.now,
        retention: retention(store).unwrap_or(super::DEFAULT_RETENTION),
    };
    Ok(match store.record_review(&review) {
        Ok(scheduled) => ReviewGraded {
            grade,
            scheduled: Some(scheduled),
            again_in_session,
            not_saved: None,
        },
        Err(e) => ReviewGraded {
            grade,
            scheduled: None,
            again_in_session,
            not_saved: Some(NotSaved::from(&e)),
        },
    })
}

/// The learner says how hard today's right answer to a question was (Hard, Good or
/// Easy), from a quiz or a review: today's rescheduling is recomputed from the state
/// before that answer, so rating again replaces the earlier rating instead of adding
/// to it. Refused when no right answer rescheduled the question today, or when the
/// question is no longer in the course.
pub fn rate(
    store: &mut Store,
    key: &CourseKey,
    course: &Course,
    lesson: &str,
    question: &str,
    rating: Rating,
    now: &Now,
) -> Result<Scheduled, ReviewError> {
    let exists = course
        .lesson(lesson)
        .is_some_and(|l| quiz::parse(l).0.question(question).is_some());
    if !exists {
        return Err(ReviewError::NothingToRate);
    }
    let retention = retention(store)?;
    store.rate_review(key, lesson, question, rating, now, retention)
}
