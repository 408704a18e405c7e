//! The one place FSRS is called: a card's next state from its state before an answer,
//! the rating and the day. Pure (no database, no clock), so it is checked against the
//! reference vectors of an independent implementation (tests/review/reference.rs).

use super::{Now, Rating, DEFAULT_RETENTION, RETENTION_SETTING};
pub use crate::progress::CardState;
use crate::progress::{CourseKey, Scheduler, Store, StoreError};

/// The longest interval given, in days (a hundred years: FSRS's own cap).
pub const MAX_INTERVAL_DAYS: i64 = 36_500;

/// A card's next state: `prev` is `None` for a question never scheduled (or one that
/// starts over). `days_elapsed` is local days since the last rescheduling (0 when the
/// clock went back). Intervals are FSRS's, rounded to whole days, at least one.
pub fn next_state(
    prev: Option<&CardState>,
    rating: Rating,
    now: &Now,
    retention: f64,
) -> CardState {
    next_state_with(&[], prev, rating, now, retention)
}

/// [`next_state`] with FSRS `parameters` (empty: FSRS-6's defaults; parameters the crate
/// refuses are replaced by the defaults, so an answer is never lost to them).
pub fn next_state_with(
    parameters: &[f32],
    prev: Option<&CardState>,
    rating: Rating,
    now: &Now,
    retention: f64,
) -> CardState {
    let today = now.day();
    let elapsed = prev.map_or(0, |p| (today - p.last_day).clamp(0, i64::from(u32::MAX)));
    let memory = prev.map(|p| fsrs::MemoryState {
        stability: p.stability as f32,
        difficulty: p.difficulty as f32,
    });
    let (stability, difficulty, interval) =
        fsrs_step(parameters, memory, rating, elapsed as u32, retention);
    let days = interval_days(interval);
    CardState {
        stability,
        difficulty,
        due: now.start_of_day(today + days),
        last_review: now.at,
        last_day: today,
        reps: prev.map_or(0, |p| p.reps) + 1,
        lapses: prev.map_or(0, |p| p.lapses) + i64::from(prev.is_some() && rating == Rating::Again),
    }
}

/// The FSRS scheduler at a desired retention with the course's parameters: what the
/// store is handed to schedule a card inside the transaction that records the answer
/// (the store keeps cards; this module decides their next state).
#[derive(Clone, Debug, PartialEq)]
pub struct Fsrs {
    /// Desired retention (see [`retention`]).
    pub retention: f64,
    /// FSRS parameters: empty for FSRS-6's defaults, else the fit in use
    /// ([`super::fit::parameters`]).
    pub parameters: Vec<f32>,
}

impl Fsrs {
    /// FSRS-6's default parameters at `retention`.
    pub fn defaults(retention: f64) -> Fsrs {
        Fsrs {
            retention,
            parameters: Vec::new(),
        }
    }
}

impl Scheduler for Fsrs {
    fn next(&self, prev: Option<&CardState>, rating: Rating, now: &Now) -> CardState {
        next_state_with(&self.parameters, prev, rating, now, self.retention)
    }
}

/// The scheduler of `course`: the learner's desired retention ([`retention`]) and the
/// course's parameters in use (the defaults until a fit is adopted). A newly adopted
/// fit schedules the answers after it: cards keep the due dates they were given.
pub fn scheduler(store: &Store, course: &CourseKey) -> Result<Fsrs, StoreError> {
    Ok(Fsrs {
        retention: retention(store)?,
        parameters: super::fit::parameters_in_use(store, course)?,
    })
}

/// FSRS's interval rounded to whole days, within 1 and [`MAX_INTERVAL_DAYS`].
pub fn interval_days(interval: f64) -> i64 {
    if interval.is_finite() {
        (interval.round() as i64).clamp(1, MAX_INTERVAL_DAYS)
    } else {
        MAX_INTERVAL_DAYS
    }
}

/// One FSRS step: (stability, difficulty, interval in days before rounding).
///
/// `FSRS::new(&[])` is the default FSRS-6 parameters, which cannot fail; fitted
/// parameters the crate refuses give way to them. If a future release refused the
/// defaults, or a stored state were invalid (NaN from a damaged file), the card starts
/// over from FSRS's initial state for the rating rather than failing the answer.
fn fsrs_step(
    parameters: &[f32],
    memory: Option<fsrs::MemoryState>,
    rating: Rating,
    days_elapsed: u32,
    retention: f64,
) -> (f64, f64, f64) {
    let Ok(model) = fsrs::FSRS::new(parameters).or_else(|_| fsrs::FSRS::new(&[])) else {
        return fallback(rating);
    };
    let memory =
        memory.filter(|m| m.stability.is_finite() && m.stability > 0.0 && m.difficulty.is_finite());
    let Ok(next) = model.next_states(memory, retention as f32, days_elapsed) else {
        return fallback(rating);
    };
    let state = match rating {
        Rating::Again => next.again,
        Rating::Hard => next.hard,
        Rating::Good => next.good,
        Rating::Easy => next.easy,
    };
    (
        f64::from(state.memory.stability),
        f64::from(state.memory.difficulty),
        f64::from(state.interval),
    )
}

/// FSRS-6's initial state for a rating (its default `w[0..4]` and `w[4]`), used only if
/// the crate refuses a step.
fn fallback(rating: Rating) -> (f64, f64, f64) {
    let s = f64::from(fsrs::DEFAULT_PARAMETERS[rating.number() as usize - 1]);
    (s, 5.0, s)
}

/// The desired retention: the [`RETENTION_SETTING`] when it is a number in 0.70–0.99,
/// else [`DEFAULT_RETENTION`].
pub fn retention(store: &Store) -> Result<f64, StoreError> {
    Ok(store
        .setting(RETENTION_SETTING)?
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|r| (0.70..=0.99).contains(r))
        .unwrap_or(DEFAULT_RETENTION))
}

/// Stores the desired retention; `false` (nothing stored) when it is outside 0.70–0.99.
pub fn set_retention(store: &mut Store, value: f64) -> Result<bool, StoreError> {
    if !(0.70..=0.99).contains(&value) {
        return Ok(false);
    }
    store.set_setting(RETENTION_SETTING, &format!("{value}"))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn a_wrong_first_answer_is_due_the_next_local_day() {
        let now = Now::utc(20_000 * DAY + 3_600_000);
        let s = next_state(None, Rating::Again, &now, 0.9);
        assert_eq!(s.due, 20_001 * DAY);
        assert_eq!(s.reps, 1);
        assert_eq!(s.lapses, 0);
    }

    #[test]
    fn good_answers_on_later_days_grow_the_interval() {
        let mut now = Now::utc(20_000 * DAY);
        let mut state = next_state(None, Rating::Good, &now, 0.9);
        let mut last_gap = 0;
        for _ in 0..5 {
            now.at = state.due;
            let next = next_state(Some(&state), Rating::Good, &now, 0.9);
            let gap = (next.due - state.due) / DAY;
            assert!(gap > last_gap, "{gap} after {last_gap}");
            last_gap = gap;
            state = next;
        }
    }

    #[test]
    fn a_lapse_after_a_review_is_counted_and_shortens_stability() {
        let now = Now::utc(20_000 * DAY);
        let first = next_state(None, Rating::Good, &now, 0.9);
        let later = Now::utc(first.due);
        let lapse = next_state(Some(&first), Rating::Again, &later, 0.9);
        assert_eq!(lapse.lapses, 1);
        assert!(lapse.stability < first.stability);
    }

    #[test]
    fn higher_retention_gives_shorter_intervals() {
        let now = Now::utc(20_000 * DAY);
        let first = next_state(None, Rating::Good, &now, 0.9);
        let later = Now::utc(first.due);
        let strict = next_state(Some(&first), Rating::Good, &later, 0.97);
        let lax = next_state(Some(&first), Rating::Good, &later, 0.75);
        assert!(strict.due < lax.due);
    }
}
