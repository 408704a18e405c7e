//! A year of daily review sessions on an injected clock: a learner (UTC+1, studying at
//! a different time each day) who answers right with probability 0.85, seeded. Nothing
//! sleeps; every day is a `Now`.

use std::collections::HashMap;

use lectern::course::Course;
use lectern::progress::{CourseKey, Store};
use lectern::review::{self, Now, Scheduled};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{DAY, EPOCH_DAY};

const LESSONS: usize = 8;
const QUESTIONS: usize = 5;
const CARDS: usize = LESSONS * QUESTIONS;
const OFFSET_MIN: i32 = 60;

fn write_course(dir: &std::path::Path) {
    for l in 0..LESSONS {
        let mut text = format!(
            "---\nid: l{l}\ntitle: Lesson {l}\n---\n# Lesson {l}\n\n## Topic {l}\n\nText.\n\n## Knowledge Check\n\n"
        );
        for q in 0..QUESTIONS {
            text.push_str(&format!(
                "1. Lesson {l} question {q}?\n   - Right {q}\n   - Wrong {q}\n   - Other {q}\n\n"
            ));
        }
        std::fs::write(dir.join(format!("l{l}.md")), text).unwrap();
    }
}

/// The simulated learner and what the simulation counted.
struct Learner {
    store: Store,
    key: CourseKey,
    course: Course,
    rng: ChaCha8Rng,
    /// Question id → (a right option, a wrong option).
    options: HashMap<String, (String, String)>,
    /// Answers given (each is one log row).
    answers: usize,
    /// (lesson, question) → the intervals it was given, in order.
    intervals: HashMap<(String, String), Vec<f64>>,
}

impl Learner {
    fn new(dir: &std::path::Path) -> Learner {
        write_course(dir);
        let course = Course::load(dir).course;
        let options = course
            .lessons()
            .iter()
            .flat_map(|l| lectern::quiz::parse(l).0.questions)
            .map(|q| {
                (
                    q.id.clone(),
                    (q.options()[0].id.clone(), q.options()[1].id.clone()),
                )
            })
            .collect();
        Learner {
            store: Store::open(&dir.join("p.sqlite")).unwrap().store,
            key: CourseKey::of(&course),
            course,
            rng: ChaCha8Rng::seed_from_u64(14),
            options,
            answers: 0,
            intervals: HashMap::new(),
        }
    }

    /// A time between 06:00 and 21:59 local on test day `day`.
    fn study_time(&mut self, day: i64) -> Now {
        let minute = i64::from(self.rng.next_u32() % (16 * 60)) + 6 * 60 - i64::from(OFFSET_MIN);
        Now {
            at: (EPOCH_DAY + day) * DAY + minute * 60_000,
            utc_offset_min: OFFSET_MIN,
        }
    }

    fn answer(&mut self, lesson: &str, question: &str, right: bool, now: Now) -> Scheduled {
        let (good, bad) = &self.options[question];
        let chosen = vec![if right { good.clone() } else { bad.clone() }];
        let input = lectern::answer::Answer {
            note: None,
            lesson,
            question,
            chosen: &chosen,
            time_ms: 4_000,
            now,
            origin: lectern::answer::Origin::Review,
        };
        let graded =
            lectern::answer::submit(Some(&mut self.store), &self.key, &self.course, &input)
                .unwrap();
        self.answers += 1;
        let scheduled = graded.scheduled.unwrap();
        if scheduled.rescheduled {
            self.intervals
                .entry((lesson.to_owned(), question.to_owned()))
                .or_default()
                .push(scheduled.interval_days);
        }
        scheduled
    }

    /// Day 0: every question met once, answered right.
    fn first_day(&mut self) {
        let now = self.study_time(0);
        let all: Vec<(String, String)> = self
            .course
            .lessons()
            .iter()
            .flat_map(|l| {
                lectern::quiz::parse(l)
                    .0
                    .questions
                    .into_iter()
                    .map(|q| (l.id.clone(), q.id))
            })
            .collect();
        for (lesson, question) in all {
            assert!(self.answer(&lesson, &question, true, now).rescheduled);
        }
    }

    /// One day's session: every due card, failed ones again at the end.
    fn study_day(&mut self, day: i64) {
        let mut now = self.study_time(day);
        let session =
            review::session(&self.store, &self.key, &self.course, &now, day as u64).unwrap();
        assert_eq!(
            session.cards.len(),
            session.due_total,
            "a small course fits in one session"
        );
        let mut again = Vec::new();
        for card in session.cards {
            let right = self.rng.next_u32() % 100 < 85;
            now.at += 20_000;
            let s = self.answer(&card.lesson, &card.question.id, right, now);
            assert!(s.rescheduled, "the first answer of the day reschedules");
            assert!(s.due > now.at);
            if !right {
                again.push((card.lesson, card.question.id));
            }
        }
        // Failed cards come back in the same session: answered right, not rescheduled.
        for (lesson, question) in again {
            now.at += 20_000;
            assert!(!self.answer(&lesson, &question, true, now).rescheduled);
        }
        let left = review::due_count(&self.store, &self.key, &self.course, &now).unwrap();
        assert_eq!(left, 0, "day {day}: nothing left due");
    }
}

#[test]
fn a_simulated_year_keeps_every_card_schedulable_and_intervals_grow() {
    let tmp = tempfile::tempdir().unwrap();
    let mut learner = Learner::new(tmp.path());
    learner.first_day();
    for day in 1..365 {
        learner.study_day(day);
    }

    // No card lost, every card still due some day within the cap, the log has every answer.
    let export = learner.store.export().unwrap();
    assert_eq!(export.review_cards.len(), CARDS);
    assert_eq!(export.review_log.len(), learner.answers);
    let end = (EPOCH_DAY + 365) * DAY;
    for card in &export.review_cards {
        assert!(
            card.state.due >= end - DAY && card.state.due <= end + 36_500 * DAY,
            "{card:?}"
        );
        assert!(card.state.stability.is_finite() && card.state.stability > 0.0);
        assert!((1.0..=10.0).contains(&card.state.difficulty));
        assert!(
            card.state.reps >= 3,
            "every card came back at least twice: {card:?}"
        );
    }
    // Intervals grow: each card's longest interval is far beyond its first, and the
    // median last interval is weeks long.
    let mut last: Vec<f64> = Vec::new();
    for (card, ivs) in &learner.intervals {
        let longest = ivs.iter().copied().fold(0.0, f64::max);
        assert!(longest > ivs[0] * 5.0, "{card:?}: {ivs:?}");
        last.push(*ivs.last().unwrap());
    }
    last.sort_by(f64::total_cmp);
    assert!(
        last[last.len() / 2] >= 20.0,
        "median last interval {last:?}"
    );
    let now = Now {
        at: end,
        utc_offset_min: OFFSET_MIN,
    };
    let figures = review::figures(&learner.store, &learner.key, &learner.course, &now).unwrap();
    assert_eq!(figures.cards, CARDS);
    assert_eq!(figures.reviews_logged, learner.answers);
}
