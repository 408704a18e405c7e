//! Saying how hard a right answer was ([`rate`]): Hard, Good or Easy instead of the
//! Good a right answer got.

use super::schedule::scheduler;
use super::{Now, Rating, ReviewError, Scheduled};
use crate::course::Course;
use crate::progress::{CourseKey, Store};
use crate::quiz;

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
    if rating == Rating::Again {
        return Err(ReviewError::AgainAfterRight);
    }
    let fsrs = scheduler(store, key)?;
    store
        .rate_review(key, lesson, question, rating, now, &fsrs)?
        .ok_or(ReviewError::NothingToRate)
}
