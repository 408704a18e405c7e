//! Fitting FSRS parameters (`review::fit`) on 20,000 answers: the time of the fit the
//! app runs off its window's thread (`FitInput::run`: `compute_parameters` plus the
//! log loss and RMSE of both parameter sets), and the process's peak memory during it.
//! See BENCHMARKS.md for figures.
//!
//! `cargo bench -p lectern --bench fit` simulates a learner (seeded, on an injected
//! clock) until the review log holds 20,000 answers that rescheduled a card, through
//! the store as the app records them, then prints:
//! - `one fit`: a single fit, with the peak resident memory during it (`VmHWM` reset
//!   through `/proc/self/clear_refs` just before) and the resident memory before;
//! - criterion `fit_20k`: criterion's estimate over 10 fits.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use fsrs::{MemoryState, FSRS};
use lectern::progress::{CourseKey, NewReview, Source, Store};
use lectern::review::{self, Now};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Answers fitted on under `cargo bench`; `cargo test` (no `--bench` argument) only
/// checks that the benchmark runs, on a tenth of them.
const REVIEWS: usize = 20_000;
const DAY: i64 = 86_400_000;
const FIRST_DAY: i64 = 20_514;

/// A learner who forgets faster than FSRS's defaults, answering every due card each
/// day and meeting `new_per_day` new questions, until `reviews` answers.
fn simulate(store: &mut Store, key: &CourseKey, reviews: usize) {
    let mut w = fsrs::DEFAULT_PARAMETERS.to_vec();
    for s in &mut w[0..4] {
        *s *= 0.4;
    }
    let truth = FSRS::new(&w).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(20_000);
    let mut memory: HashMap<String, (MemoryState, i64)> = HashMap::new();
    let mut answers = 0;
    let mut day = 0;
    while answers < reviews {
        let now = Now::utc((FIRST_DAY + day) * DAY + 9 * 3_600_000);
        let start = memory.len();
        let mut today: Vec<String> = (start..start + 12).map(|n| format!("q{n}")).collect();
        let due = store
            .review_due_rows(key, (FIRST_DAY + day + 1) * DAY - 1)
            .unwrap();
        today.extend(due.into_iter().map(|r| r.question));
        let fsrs = review::scheduler(store, key).unwrap();
        for q in today {
            if answers == reviews {
                break;
            }
            let known = memory.get(&q).copied();
            let p = known.map_or(0.7, |(m, last)| {
                fsrs::current_retrievability(m, (day - last) as f32, w[20])
            });
            let right = f64::from(rng.next_u32()) / f64::from(u32::MAX) < f64::from(p);
            store
                .record_review(&NewReview {
                    course: key,
                    lesson: "fit",
                    question: &q,
                    correct: right,
                    source: Source::Review,
                    time_ms: 3_000,
                    now,
                    scheduler: &fsrs,
                })
                .unwrap();
            let elapsed = known.map_or(0, |(_, last)| (day - last) as u32);
            let next = truth
                .next_states(known.map(|(m, _)| m), 0.9, elapsed)
                .unwrap();
            let state = if right { next.good } else { next.again };
            memory.insert(q, (state.memory, day));
            answers += 1;
        }
        day += 1;
    }
    println!(
        "simulated {answers} answers over {day} days, {} cards",
        memory.len()
    );
}

/// A field of /proc/self/status in KiB (Linux), if there.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let tmp = tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .unwrap();
    let mut store = Store::open(&tmp.path().join("p.sqlite")).unwrap().store;
    let key = CourseKey::from_stored("id:fit-bench");
    let reviews = if std::env::args().any(|a| a == "--bench") {
        REVIEWS
    } else {
        REVIEWS / 10
    };
    simulate(&mut store, &key, reviews);
    assert_eq!(store.review_history_len(&key).unwrap(), reviews);
    let input = review::fit::prepare(&store, &key).unwrap();

    let before = status_kib("VmRSS:");
    // Writing 5 resets the peak resident size (VmHWM) to the current one.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let t = Instant::now();
    let candidate = input.clone().run();
    let took = t.elapsed();
    let peak = status_kib("VmHWM:");
    println!(
        "one fit on {reviews} answers: {:.2} s; resident before {} MiB, peak during the fit {} MiB{}",
        took.as_secs_f64(),
        before.map_or("?".into(), |k| format!("{:.0}", k as f64 / 1024.0)),
        peak.map_or("?".into(), |k| format!("{:.0}", k as f64 / 1024.0)),
        if reset { "" } else { " (peak not reset: whole process)" }
    );
    let outcome = review::fit::conclude(
        &mut store,
        &key,
        candidate,
        review::FitKind::Manual,
        &Now::utc(FIRST_DAY * DAY),
    )
    .unwrap();
    println!(
        "  adopted: {}; log loss {:?} → {:?}",
        outcome.adopted,
        outcome.old.map(|f| f.log_loss),
        outcome.new.map(|f| f.log_loss)
    );

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    c.bench_function("fit_20k", |b| b.iter(|| black_box(input.clone().run())));
    c.final_summary();
}
