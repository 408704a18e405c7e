//! "Practise this section": every question of a section (or of one lesson) asked now,
//! whatever is due, in a session shaped like review ([`practice`]). The section's due
//! cards come first, most overdue first; the other questions follow shuffled. Answers
//! go through the answer pipeline with `Origin::Practice`: logged with the source
//! `practice`, and the day's first answer to a question reschedules its card exactly as
//! a review answer would.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::queue::{ReviewCard, ReviewSession};
use super::Now;
use crate::course::Course;
use crate::progress::{current_due, CourseKey, Store, StoreError};
use crate::quiz::{self, Catalog};

/// The practice session of `scope` (a section's slug, or a lesson id): every question
/// of its lessons, the ones due at `now` first (most overdue first), the rest shuffled
/// from `seed`, each question's options shuffled too. `due_total` counts the due ones;
/// `next_due` is `None`. An unknown scope, or one without questions, is an empty
/// session.
pub fn practice(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    scope: &str,
    now: &Now,
    seed: u64,
) -> Result<ReviewSession, StoreError> {
    let lessons: Vec<&crate::lesson::Lesson> = match course.lesson(scope) {
        Some(lesson) => vec![lesson],
        None => course
            .sections()
            .iter()
            .filter(|s| s.id == scope && !s.id.is_empty())
            .flat_map(|s| s.lessons.iter().filter_map(|&i| course.lessons().get(i)))
            .collect(),
    };
    let mut catalog = Catalog::new(course);
    let in_scope = |lesson: &str| lessons.iter().any(|l| l.id == lesson);
    let due: Vec<(String, String, i64)> = current_due(store, &mut catalog, key, now)?
        .into_iter()
        .filter(|row| in_scope(&row.lesson))
        .map(|row| (row.lesson, row.question, row.due))
        .collect();
    let mut rest: Vec<(String, String, i64)> = Vec::new();
    for lesson in &lessons {
        let Some(parsed) = catalog.quiz(&lesson.id) else {
            continue;
        };
        for q in &parsed.questions {
            if !due.iter().any(|(l, id, _)| *l == lesson.id && *id == q.id) {
                rest.push((lesson.id.clone(), q.id.clone(), now.at));
            }
        }
    }
    shuffle(&mut rest, seed);
    let due_total = due.len();
    let cards = due
        .into_iter()
        .chain(rest)
        .filter_map(|(lesson_id, question, due)| {
            let lesson = course.lesson(&lesson_id)?;
            let parsed = catalog.quiz(&lesson_id)?;
            let view = quiz::retry_attempt(&parsed, std::slice::from_ref(&question), seed)
                .questions
                .pop()?;
            Some(ReviewCard {
                lesson: lesson_id,
                lesson_title: lesson.title.clone(),
                section: lesson.section.clone(),
                question: view,
                due,
                made: None,
            })
        })
        .collect();
    // Practising a section is the learner's own choice, so the daily limits do not
    // apply: every question of the section comes, none is held back.
    Ok(ReviewSession {
        cards,
        due_total,
        held_back: 0,
        limits: super::DailyLimits {
            new_per_day: super::MAX_PER_DAY,
            reviews_per_day: super::MAX_PER_DAY,
        },
        next_due: None,
        seed,
    })
}

/// Fisher–Yates from `seed`.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7072_6163_7469_6365);
    for i in (1..items.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffling_keeps_every_item_and_depends_on_the_seed() {
        let mut a: Vec<u32> = (0..20).collect();
        let mut b = a.clone();
        shuffle(&mut a, 1);
        shuffle(&mut b, 2);
        assert_ne!(a, b);
        a.sort_unstable();
        assert_eq!(a, (0..20).collect::<Vec<_>>());
    }
}
