//! The core's FSRS schedules against reference vectors from an independent
//! implementation: py-fsrs, pinned in `scripts/fsrs-reference.py`, which also says how to
//! regenerate `tests/fixtures/review/fsrs-reference.json`. Lectern computes in the
//! `fsrs` crate's `f32`, py-fsrs in `f64`: stability and difficulty must agree within
//! 0.1 % (relative), intervals (whole days) exactly.

use lectern::review::schedule::{next_state, CardState};
use lectern::review::{Now, Rating};
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    parameters: Vec<f64>,
    histories: Vec<History>,
}

#[derive(Deserialize)]
struct History {
    name: String,
    retention: f64,
    steps: Vec<Step>,
}

#[derive(Deserialize)]
struct Step {
    day: i64,
    rating: i64,
    stability: f64,
    difficulty: f64,
    interval_days: i64,
}

const DAY: i64 = 86_400_000;
/// 2026-01-01T12:00Z, the script's START.
const START: i64 = 20_454 * DAY + 12 * 3_600_000;

fn reference() -> Reference {
    let path = crate::support::fixtures_root().join("review/fsrs-reference.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn close(ours: f64, theirs: f64) -> bool {
    (ours - theirs).abs() <= 1e-3 * theirs.abs().max(1.0)
}

#[test]
fn reference_vectors_use_the_default_fsrs6_parameters_the_core_uses() {
    let r = reference();
    let ours: Vec<f64> = fsrs::DEFAULT_PARAMETERS
        .iter()
        .map(|&w| f64::from(w))
        .collect();
    assert_eq!(r.parameters.len(), ours.len());
    for (a, b) in r.parameters.iter().zip(&ours) {
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }
}

#[test]
fn schedules_match_py_fsrs_for_every_reference_history() {
    let r = reference();
    assert!(r.histories.len() >= 8);
    for h in &r.histories {
        let mut card: Option<CardState> = None;
        for (i, step) in h.steps.iter().enumerate() {
            let now = Now::utc(START + step.day * DAY);
            let rating = Rating::from_number(step.rating).unwrap();
            let next = next_state(card.as_ref(), rating, &now, h.retention);
            let interval = (next.due - now.start_of_day(now.day())) / DAY;
            let at = format!(
                "{} step {i} (day {}, rating {})",
                h.name, step.day, step.rating
            );
            assert!(
                close(next.stability, step.stability),
                "{at}: stability {} vs py-fsrs {}",
                next.stability,
                step.stability
            );
            assert!(
                close(next.difficulty, step.difficulty),
                "{at}: difficulty {} vs py-fsrs {}",
                next.difficulty,
                step.difficulty
            );
            assert_eq!(interval, step.interval_days, "{at}: interval");
            card = Some(next);
        }
    }
}
