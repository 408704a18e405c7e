//! Review queue benchmark: building what the review session, the outline and the
//! dashboard need — `review::session` + `review::due_count` + `review::forecast(14)` —
//! for a course with 20,000 review cards (2,000 lessons of 10 questions) and 200,000
//! review-log rows. See BENCHMARKS.md for figures.
//!
//! `cargo bench -p lectern --bench review` prints, in one process:
//! - `cold`: the first build after loading the course (question ids of the lessons that
//!   have cards are parsed once and memoized by content hash);
//! - `warm`: 300 builds, p50 / p95 / max, measured per call (goal: p95 < 20 ms);
//! - criterion `due_queue_20k`: the same build, criterion's estimate.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/courses.rs"]
#[allow(dead_code)]
mod courses;

use std::hint::black_box;
use std::time::{Duration, Instant};

use courses::QUESTIONS;
use criterion::Criterion;
use lectern::course::Course;
use lectern::progress::{CardState, CourseKey, Export, ReviewCardRow, ReviewLogRow, Store};
use lectern::review::{self, Now};

const LESSONS: usize = 2_000;
const LOG_ROWS: usize = 200_000;
const DAY: i64 = 86_400_000;
const TODAY: i64 = 20_514;

/// 20,000 cards: 1 in 20 overdue by up to 30 days, the rest due over the next year;
/// 10 log rows per card.
fn history(course: &Course, key: &CourseKey) -> Export {
    let mut data = Export {
        format: lectern::progress::EXPORT_FORMAT,
        ..Export::default()
    };
    let mut n: i64 = 0;
    for lesson in course.lessons() {
        for q in lectern::quiz::parse(lesson).0.questions {
            n += 1;
            let due = if n % 20 == 0 {
                (TODAY - n % 30) * DAY
            } else {
                (TODAY + 1 + n % 365) * DAY
            };
            data.review_cards.push(ReviewCardRow {
                course: key.as_str().to_owned(),
                lesson: lesson.id.clone(),
                question: q.id.clone(),
                state: CardState {
                    stability: 10.0,
                    difficulty: 5.0,
                    due,
                    last_review: due - 10 * DAY,
                    last_day: due / DAY - 10,
                    reps: 10,
                    lapses: 1,
                },
                leech: false,
                suspended: false,
            });
            for r in 0..(LOG_ROWS / (LESSONS * QUESTIONS)) as i64 {
                let at = (TODAY - 400 + r * 30 + n % 30) * DAY;
                data.review_log.push(ReviewLogRow {
                    id: format!("{n:010}-{r:02}"),
                    course: key.as_str().to_owned(),
                    lesson: lesson.id.clone(),
                    question: q.id.clone(),
                    at,
                    day: at / DAY,
                    rating: 1 + (n + r) % 4,
                    correct: (n + r) % 4 != 0,
                    source: if r % 2 == 0 { "quiz" } else { "review" }.to_owned(),
                    rescheduled: true,
                    time_ms: 4_000,
                    due: Some(at + 5 * DAY),
                    prev_stability: Some(5.0),
                    prev_difficulty: Some(5.0),
                    prev_due: Some(at),
                    prev_last_review: Some(at - 5 * DAY),
                    prev_last_day: Some(at / DAY - 5),
                    prev_reps: Some(r),
                    prev_lapses: Some(0),
                });
            }
        }
    }
    data
}

fn build(store: &Store, key: &CourseKey, course: &Course, now: &Now) -> usize {
    let s = review::session(store, key, course, now, 7).unwrap();
    let due = review::due_count(store, key, course, now).unwrap();
    let f = review::forecast(store, key, course, now, 14).unwrap();
    s.cards.len() + due + f.len()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    courses::Shape::QUIZZED.write(tmp.path(), LESSONS);
    let course = Course::load(tmp.path()).course;
    let key = CourseKey::of(&course);
    let mut store = Store::open(&tmp.path().join("p.sqlite")).unwrap().store;
    let data = history(&course, &key);
    store.import(&data).unwrap();
    let totals = store.review_totals(&key).unwrap();
    assert_eq!((totals.cards, totals.reviews_logged), (20_000, LOG_ROWS));
    let now = Now {
        at: TODAY * DAY + 12 * 3_600_000,
        utc_offset_min: 60,
    };

    let t = Instant::now();
    let cold = build(&store, &key, &course, &now);
    println!(
        "review queue, cold (first build, quizzes parsed): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let due = review::due_count(&store, &key, &course, &now).unwrap();
    println!("  {due} cards due now, {cold} items built");

    let mut times = Vec::with_capacity(300);
    for _ in 0..300 {
        let t = Instant::now();
        black_box(build(&store, &key, &course, &now));
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "review queue (session + due_count + forecast 14), 20,000 cards, {LOG_ROWS} log rows: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(30)
        .measurement_time(Duration::from_secs(5));
    c.bench_function("due_queue_20k", |b| {
        b.iter(|| black_box(build(&store, &key, &course, &now)))
    });
    c.final_summary();
}
