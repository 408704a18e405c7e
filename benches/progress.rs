//! Progress store benchmark: the cost of recording an answer with the durability chosen
//! (WAL, synchronous = FULL: one fsync per answer), opening a course's progress with a
//! long history, and drawing the outline's states for a very large course. See
//! BENCHMARKS.md for figures.
//!
//! `cargo bench -p lectern --bench progress` prints, in one process:
//! - `record`: 2,000 answers recorded one by one (each its own transaction), latency
//!   p50 / p99 / max, measured per call;
//! - criterion `open_progress_200k`: `Store::open` plus `course_progress` on a database
//!   holding 200,000 answers in 20,000 attempts over a 100-lesson course;
//! - criterion `outline_10k`: `course_progress` for a 10,000-lesson course with 5,000 of
//!   its lessons started.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/courses.rs"]
#[allow(dead_code)]
mod courses;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use lectern::course::Course;
use lectern::progress::{AnswerRow, AttemptRow, CourseKey, Export, LessonRow, NewAnswer, Store};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn record_latency() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(&tmp.path().join("p.sqlite")).unwrap().store;
    let key = CourseKey::from_stored("id:bench");
    let chosen = vec!["a1b2c3d4".to_owned()];
    let mut times = Vec::with_capacity(2000);
    for n in 0..2000u64 {
        let question = format!("{n:016x}");
        let t = Instant::now();
        store
            .record_answer(
                &NewAnswer {
                    note: None,
                    course: &key,
                    lesson: "l00001",
                    attempt: n / 6,
                    questions: 6,
                    question: &question,
                    position: (n % 6) as usize,
                    chosen: &chosen,
                    correct: n % 3 != 0,
                    time_ms: 4000,
                    at: n as i64,
                },
                &[],
            )
            .unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "record_answer (WAL, synchronous=FULL), 2000 answers: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
}

/// A history of `answers` answers (10 per attempt, 200 attempts per lesson) as an export.
fn history(course: &str, lessons: usize, answers: usize) -> Export {
    let mut data = Export {
        format: lectern::progress::EXPORT_FORMAT,
        ..Export::default()
    };
    for a in 0..answers / 10 {
        let lesson = format!("l{:05}", a % lessons);
        let id = format!("{a:016x}");
        data.attempts.push(AttemptRow {
            id: id.clone(),
            course: course.into(),
            lesson: lesson.clone(),
            started_at: a as i64,
            questions: 10,
        });
        for q in 0..10 {
            data.answers.push(AnswerRow {
                id: format!("{a:012x}{q:04x}"),
                attempt: id.clone(),
                course: course.into(),
                lesson: lesson.clone(),
                question: format!("q{q}"),
                position: q,
                chosen: vec!["o".into()],
                correct: !(a + q as usize).is_multiple_of(4),
                first_try: true,
                time_ms: 3000,
                answered_at: a as i64,
                note: None,
            });
        }
    }
    for l in 0..lessons {
        data.lessons.push(LessonRow {
            course: course.into(),
            lesson: format!("l{l:05}"),
            first_opened: Some(1),
            last_opened: Some(2),
            active_ms: 60_000,
            position_anchor: None,
            position_offset: None,
            read_to_end: false,
            marked_complete: false,
            completed_at: (l % 2 == 0).then_some(3),
        });
    }
    data
}

fn bench(c: &mut Criterion) {
    record_latency();

    let tmp = tempfile::tempdir().unwrap();
    let small = tmp.path().join("small");
    std::fs::create_dir(&small).unwrap();
    courses::Shape::BARE.write(&small, 100);
    let course = Course::load(&small).course;
    let key = CourseKey::of(&course);
    let db = tmp.path().join("history.sqlite");
    Store::open(&db)
        .unwrap()
        .store
        .import(&history(key.as_str(), 100, 200_000))
        .unwrap();
    let mut group = c.benchmark_group("progress");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("open_progress_200k", |b| {
        b.iter(|| {
            let store = Store::open(&db).unwrap().store;
            black_box(
                store
                    .course_progress(&key, &course, &lectern::review::Now::utc(0))
                    .unwrap(),
            )
        })
    });

    let big = tmp.path().join("big");
    std::fs::create_dir(&big).unwrap();
    courses::Shape::BARE.write(&big, 10_000);
    let course = Course::load(&big).course;
    let key = CourseKey::of(&course);
    let db = tmp.path().join("big.sqlite");
    let mut store = Store::open(&db).unwrap().store;
    let mut data = history(key.as_str(), 10_000, 50_000);
    data.lessons.truncate(5_000);
    store.import(&data).unwrap();
    group.bench_function("outline_10k", |b| {
        b.iter(|| {
            black_box(
                store
                    .course_progress(&key, &course, &lectern::review::Now::utc(0))
                    .unwrap(),
            )
        })
    });
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
