//! A year of daily review sessions on an injected clock: a learner (UTC+1, studying at
//! a different time each day) who answers right with probability 0.85, seeded. Nothing
//! sleeps; every day is a `Now`.

use std::collections::HashMap;

use lectern::review::{self, Now};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{DAY, EPOCH_DAY};

const LESSONS: usize = 8;
const QUESTIONS: usize = 5;
const CARDS: usize = LESSONS * QUESTIONS;
const OFFSET_MIN: i32 = 60;

fn course(dir: &std::path::Path) {
    for l in 0..LESSONS {
        let mut text = format!(
            "---\nid: l{l}\ntitle: Lesson {l}\n---\n# Lesson {l}\n\n## Topic {l}\n\nText.\n\n## Knowledge Check\n\n"
        );
        for q in 0..QUESTIONS {
            text.push_str(&format!(
                "{}. Lesson {l} question {q}?\n   - Right {q}\n   - Wrong {q}\n   - Other {q}\n\n",
                q + 1
            ));
        }
        std::fs::write(dir.join(format!("l{l}.md")), text).unwrap();
    }
}

#[test]
fn a_simulated_year_keeps_every_card_schedulable_and_intervals_grow() {
    let tmp = tempfile::tempdir().unwrap();
    course(tmp.path());
    let loaded = lectern::course::Course::load(tmp.path());
    let key = lectern::progress::CourseKey::of(&loaded.course);
    let c = &loaded.course;
    let mut store = lectern::progress::Store::open(&tmp.path().join("p.sqlite"))
        .unwrap()
        .store;
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let mut answers = 0usize;
    // (lesson, question) → the intervals it was given, in order.
    let mut intervals: HashMap<(String, String), Vec<f64>> = HashMap::new();
    let right_ids: HashMap<String, (String, String)> = c
        .lessons()
        .iter()
        .flat_map(|l| lectern::quiz::parse(l).0.questions)
        .map(|q| {
            (
                q.id.clone(),
                (q.options[0].id.clone(), q.options[1].id.clone()),
            )
        })
        .collect();

    for day in 0..365i64 {
        // Study between 06:00 and 21:59 local time.
        let minute = i64::from(rng.next_u32() % (16 * 60)) + 6 * 60 - i64::from(OFFSET_MIN);
        let mut now = Now {
            at: (EPOCH_DAY + day) * DAY + minute * 60_000,
            utc_offset_min: OFFSET_MIN,
        };
        if day == 0 {
            // The first day the learner meets every question in a review of the quiz.
            for l in c.lessons() {
                for q in lectern::quiz::parse(l).0.questions {
                    let chosen = vec![q.options[0].id.clone()];
                    let g = grade(&mut store, &key, c, &l.id, &q.id, &chosen, now);
                    answers += 1;
                    intervals
                        .entry((l.id.clone(), q.id.clone()))
                        .or_default()
                        .push(g.unwrap().interval_days);
                }
            }
            continue;
        }
        let session = review::session(&store, &key, c, &now, day as u64).unwrap();
        assert_eq!(
            session.cards.len(),
            session.due_total,
            "a small course fits in one session"
        );
        let mut queue: Vec<_> = session
            .cards
            .into_iter()
            .map(|c| (c.lesson, c.question.id))
            .collect();
        let mut again = Vec::new();
        for (lesson, question) in queue.drain(..) {
            let right = rng.next_u32() % 100 < 85;
            let (good, bad) = &right_ids[&question];
            let chosen = vec![if right { good.clone() } else { bad.clone() }];
            now.at += 20_000;
            let g = grade(&mut store, &key, c, &lesson, &question, &chosen, now).unwrap();
            answers += 1;
            assert!(g.rescheduled, "the first answer of the day reschedules");
            assert!(g.due > now.at);
            intervals
                .entry((lesson.clone(), question.clone()))
                .or_default()
                .push(g.interval_days);
            if !right {
                again.push((lesson, question));
            }
        }
        // Failed cards come back in the same session: answered right, not rescheduled.
        for (lesson, question) in again {
            now.at += 20_000;
            let chosen = vec![right_ids[&question].0.clone()];
            let g = grade(&mut store, &key, c, &lesson, &question, &chosen, now).unwrap();
            answers += 1;
            assert!(!g.rescheduled);
        }
        assert_eq!(
            review::due_count(&store, &key, c, &now).unwrap(),
            0,
            "day {day}: nothing left due"
        );
    }

    // No card lost, every card still due some day within the cap, the log has every answer.
    let export = store.export().unwrap();
    assert_eq!(export.review_cards.len(), CARDS);
    assert_eq!(export.review_log.len(), answers);
    let end = (EPOCH_DAY + 365) * DAY;
    for card in &export.review_cards {
        assert!(
            card.due >= end - DAY && card.due <= end + 36_500 * DAY,
            "{card:?}"
        );
        assert!(card.stability.is_finite() && card.stability > 0.0);
        assert!((1.0..=10.0).contains(&card.difficulty));
    }
    assert!(
        export.review_cards.iter().all(|c| c.reps >= 3),
        "every card came back at least twice"
    );
    // Intervals grow: each card's longest interval is far beyond its first, and the
    // median last interval is weeks long.
    let mut last: Vec<f64> = Vec::new();
    for (card, ivs) in &intervals {
        let longest = ivs.iter().copied().fold(0.0, f64::max);
        assert!(longest > ivs[0] * 5.0, "{card:?}: {ivs:?}");
        last.push(*ivs.last().unwrap());
    }
    last.sort_by(f64::total_cmp);
    assert!(
        last[last.len() / 2] >= 20.0,
        "median last interval {last:?}"
    );
    let figures = review::figures(
        &store,
        &key,
        c,
        &Now {
            at: end,
            utc_offset_min: OFFSET_MIN,
        },
    )
    .unwrap();
    assert_eq!(figures.cards, CARDS);
    assert_eq!(figures.reviews_logged, answers);
}

fn grade(
    store: &mut lectern::progress::Store,
    key: &lectern::progress::CourseKey,
    course: &lectern::course::Course,
    lesson: &str,
    question: &str,
    chosen: &[String],
    now: Now,
) -> Option<review::Scheduled> {
    review::grade(
        Some(store),
        key,
        course,
        &review::ReviewAnswer {
            lesson,
            question,
            chosen,
            time_ms: 4_000,
            now,
        },
    )
    .unwrap()
    .scheduled
}
