//! Spaced review: every Knowledge Check question the learner has answered becomes a card
//! scheduled with FSRS, and comes back just before it would be forgotten.
//!
//! Front door: [`session`] (the due cards, most overdue first, options reshuffled, no
//! answer key), [`grade`] (one review answer graded and rescheduled), [`rate`] (Hard,
//! Good or Easy said right after a right answer), [`due_count`] and [`forecast`] (what
//! the outline and the dashboard show). Quiz answers are scheduled too, by
//! [`crate::progress::grade_and_record`]. The card state and the review log live in the
//! progress database (`review_cards`, `review_log`; see `progress/cards.rs`).
//!
//! The rules:
//! - A wrong answer (a partly right choose-all is wrong) rates **Again**; a right one
//!   **Good**, which the learner may turn into **Hard** or **Easy** right after
//!   answering ([`rate`]), recomputed from the state before the answer (kept in the
//!   log), so a change of mind never applies twice.
//! - Only the **first graded answer per question per local day**, from a quiz or a
//!   review, reschedules it; later ones are logged with `rescheduled = false`.
//! - A question's id hashes its lesson, prompt, options and answer key
//!   ([`crate::quiz::question_id`]): an edited question is a new card and starts over; an
//!   unchanged one keeps its state, and a question no longer in the course is never due.
//! - Time is injected ([`Now`]): the core never reads the clock; the app and the CLI
//!   build `Now` from the system clock (or the test-only `LECTERN_NOW`).
//!
//! Scheduling is the `fsrs` crate (FSRS-6, the scheduler Anki uses) with its default
//! parameters and no training; desired retention from the setting
//! [`RETENTION_SETTING`] (0.70–0.99, default 0.9). Intervals are whole local days: a card
//! is due from local midnight of the day FSRS's interval (rounded, at least one day)
//! lands on.

mod answer;
mod catalog;
mod queue;
pub mod schedule;

use serde::{Deserialize, Serialize};

use crate::progress::{Millis, StoreError};

pub use answer::{grade, rate, ReviewAnswer, ReviewGraded};
pub use queue::{
    due_cards, due_count, figures, forecast, forecast_empty, session, DayCount, DueCard,
    ReviewCard, ReviewFigures, ReviewSession,
};
pub use schedule::{retention, set_retention, CardState};

/// The test-only environment variable that fixes the UTC offset (minutes east of UTC)
/// the app and the CLI use for local days, beside `LECTERN_NOW` which fixes the time.
pub const TZ_OFFSET_ENV: &str = "LECTERN_TZ_OFFSET_MIN";

/// The setting that holds the desired retention (a decimal, 0.70–0.99).
pub const RETENTION_SETTING: &str = "review.retention";
/// Desired retention when the setting is absent or unreadable.
pub const DEFAULT_RETENTION: f64 = 0.9;
/// The most cards one [`session`] returns (the rest wait for the next session).
pub const SESSION_LIMIT: usize = 100;

const DAY_MS: i64 = 86_400_000;

/// The moment something happens, with the learner's UTC offset then, so the core can
/// tell which local day it is without reading a time zone itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Now {
    /// Unix time in milliseconds.
    pub at: Millis,
    /// Minutes east of UTC (UTC+2 is 120), as the system's time zone said at `at`.
    pub utc_offset_min: i32,
}

impl Now {
    /// The moment the app or the CLI works with: `fixed_at` (the value of the
    /// test-only `LECTERN_NOW`, Unix ms from 1970 to the year 9999) else `system_at()`,
    /// with `fixed_offset` (the test-only `LECTERN_TZ_OFFSET_MIN`, minutes east of UTC,
    /// within ±18 h) else `local_offset(at)` from the system's time zone. Values that do
    /// not parse or are out of those ranges (`i64::MIN`, `-2147483648`) are ignored, so
    /// no environment value can panic or overflow a date. Pure: the callers read the
    /// environment and the clock.
    pub fn resolve(
        fixed_at: Option<&str>,
        fixed_offset: Option<&str>,
        system_at: impl FnOnce() -> Millis,
        local_offset: impl FnOnce(Millis) -> i32,
    ) -> Now {
        /// 9999-12-31T23:59:59.999Z, the last moment a date is written for.
        const LAST: Millis = 253_402_300_799_999;
        const MAX_OFFSET: i32 = 18 * 60;
        let at = fixed_at
            .and_then(|v| v.trim().parse::<Millis>().ok())
            .filter(|at| (0..=LAST).contains(at))
            .unwrap_or_else(system_at);
        let utc_offset_min = fixed_offset
            .and_then(|v| v.trim().parse::<i32>().ok())
            .filter(|m| (-MAX_OFFSET..=MAX_OFFSET).contains(m))
            .unwrap_or_else(|| local_offset(at).clamp(-MAX_OFFSET, MAX_OFFSET));
        Now { at, utc_offset_min }
    }

    /// `at` in UTC (offset 0).
    pub fn utc(at: Millis) -> Now {
        Now {
            at,
            utc_offset_min: 0,
        }
    }

    /// The local day number: days since 1970-01-01 in local time.
    pub fn day(&self) -> i64 {
        self.local_ms().div_euclid(DAY_MS)
    }

    /// Unix ms of local midnight starting local day `day` (with this offset).
    pub fn start_of_day(&self, day: i64) -> Millis {
        day.saturating_mul(DAY_MS)
            .saturating_sub(i64::from(self.utc_offset_min) * 60_000)
    }

    /// The local day number of Unix ms `at`, with this offset.
    pub fn day_of(&self, at: Millis) -> i64 {
        Now { at, ..*self }.day()
    }

    fn local_ms(&self) -> i64 {
        self.at
            .saturating_add(i64::from(self.utc_offset_min) * 60_000)
    }
}

/// `YYYY-MM-DD` of a local day number (proleptic Gregorian calendar).
pub fn date_of_day(day: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// How well the learner remembered: FSRS's four ratings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// Forgotten (a wrong answer).
    Again,
    /// Right, with effort.
    Hard,
    /// Right (the default for a right answer).
    Good,
    /// Right, effortlessly.
    Easy,
}

impl Rating {
    /// 1–4, as stored in `review_log.rating` and as FSRS numbers them.
    pub fn number(self) -> u32 {
        match self {
            Rating::Again => 1,
            Rating::Hard => 2,
            Rating::Good => 3,
            Rating::Easy => 4,
        }
    }

    /// The rating stored as `n`.
    pub fn from_number(n: i64) -> Option<Rating> {
        match n {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }
}

/// Where a graded answer came from (`review_log.source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A lesson's Knowledge Check.
    Quiz,
    /// A review session.
    Review,
}

impl Source {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Quiz => "quiz",
            Source::Review => "review",
        }
    }
}

/// What an answer did to its card.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Scheduled {
    /// When the card is next due (Unix ms, local midnight of that day).
    pub due: Millis,
    /// Whole days from today to `due`.
    pub interval_days: f64,
    /// Whether this answer rescheduled the card (only the first graded answer of a
    /// question on a local day does); when false, `due` is the card's unchanged due.
    pub rescheduled: bool,
    /// Whether the learner may now say Hard or Easy ([`rate`]): the answer was right
    /// and rescheduled the card today.
    pub can_rate: bool,
    /// The rating in force for today's rescheduling (Again, or Good until [`rate`]
    /// changes it); for an answer that did not reschedule, that answer's own rating.
    pub rating: Rating,
}

/// Why a review action was refused. The UI branches on [`ReviewError::code`].
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// [`rate`] with nothing to rate: no right answer rescheduled this question today.
    #[error("there is no right answer to this question today to rate; answer it first")]
    NothingToRate,
    /// [`rate`] with Again: a right answer cannot be rated as forgotten.
    #[error("a right answer can be rated Hard, Good or Easy, not Again")]
    AgainAfterRight,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ReviewError {
    /// Stable kebab-case code: `review-nothing-to-rate`, `review-again-after-right`, or
    /// the store's code.
    pub fn code(&self) -> &'static str {
        match self {
            ReviewError::NothingToRate => "review-nothing-to-rate",
            ReviewError::AgainAfterRight => "review-again-after-right",
            ReviewError::Store(e) => e.code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_day_follows_the_offset_across_midnight() {
        // 2026-01-01T23:30Z: still Jan 1 in UTC, already Jan 2 in UTC+1.
        let at = 1_767_310_200_000;
        assert_eq!(date_of_day(Now::utc(at).day()), "2026-01-01");
        let paris = Now {
            at,
            utc_offset_min: 60,
        };
        assert_eq!(date_of_day(paris.day()), "2026-01-02");
        let new_york = Now {
            at: 1_767_312_000_000, // 2026-01-02T00:00Z
            utc_offset_min: -300,
        };
        assert_eq!(date_of_day(new_york.day()), "2026-01-01");
        assert_eq!(paris.start_of_day(paris.day()), 1_767_308_400_000);
    }

    #[test]
    fn the_test_clock_overrides_the_system_and_bad_values_are_ignored() {
        let fixed = Now::resolve(Some("1000"), Some("-300"), || 5, |_| 60);
        assert_eq!((fixed.at, fixed.utc_offset_min), (1000, -300));
        let system = Now::resolve(None, None, || 5, |at| i32::try_from(at).unwrap());
        assert_eq!((system.at, system.utc_offset_min), (5, 5));
        let bad = Now::resolve(Some("soon"), Some("5000"), || 7, |_| 60);
        assert_eq!((bad.at, bad.utc_offset_min), (7, 60));
    }

    #[test]
    fn extreme_environment_values_never_panic_and_fall_back_to_the_system() {
        let values = [
            i32::MIN.to_string(),
            i32::MAX.to_string(),
            i64::MIN.to_string(),
            i64::MAX.to_string(),
            "-1".to_owned(),
            "99999999999999999999999".to_owned(),
            "\u{0}garbage".to_owned(),
            String::new(),
        ];
        for at in &values {
            for offset in &values {
                let now = Now::resolve(Some(at), Some(offset), || 7, |_| 60);
                assert_eq!(now.utc_offset_min, if offset == "-1" { -1 } else { 60 });
                let kept = at
                    .parse::<i64>()
                    .ok()
                    .filter(|v| (0..=253_402_300_799_999).contains(v));
                assert_eq!(now.at, kept.unwrap_or(7), "{at:?}");
                // The derived dates are computable.
                let _ = date_of_day(now.day());
                let _ = now.start_of_day(now.day());
            }
        }
        let wild = Now::resolve(None, None, || 7, |_| i32::MIN);
        assert_eq!(wild.utc_offset_min, -18 * 60);
    }

    #[test]
    fn dates_of_day_numbers_are_the_gregorian_calendar() {
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(date_of_day(-1), "1969-12-31");
        assert_eq!(date_of_day(11_016), "2000-02-29");
        assert_eq!(date_of_day(20_513), "2026-03-01");
    }
}
