//! Spaced review: every Knowledge Check question the learner has answered becomes a card
//! scheduled with FSRS, and comes back just before it would be forgotten.
//!
//! Front door: [`session`] (the due cards, most overdue first, options reshuffled, no
//! answer key), [`rate`] (Hard, Good or Easy said right after a right answer),
//! [`due_count`] and [`forecast`] (what the outline and the dashboard show; the store's
//! reads, re-exported here), [`Fsrs`] (the scheduler the store is handed when an answer
//! is recorded), [`optimize`] (FSRS parameters fitted to the learner's own history of
//! the course, adopted only when they predict it better; see [`fit`]), [`practice`] (every
//! question of a section or lesson now, its due cards first). Answers, from a quiz or a review session, are graded and recorded by
//! the answer pipeline (`submit` in the `answer` module), one layer up. The card state
//! and the review log live in the progress database (`review_cards`, `review_log`; see
//! `progress/cards.rs`).
//!
//! Layering: `review` uses the store ([`crate::progress`]) and never grades nor calls
//! the answer pipeline; the store never names `review` (it is handed a
//! [`crate::progress::Scheduler`]).
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
//! - A card missed in a review session comes back in the day's later sessions until it
//!   is answered right (read from the review log, so leaving the session keeps it).
//! - Daily limits ([`DailyLimits`]) cap the cards new to review (never answered in a
//!   session) and those reviewed before that a local day's sessions show.
//! - Time is injected ([`Now`]): the core never reads the clock; the app and the CLI
//!   build `Now` from the system clock (or the test-only `LECTERN_NOW`).
//!
//! Scheduling is the `fsrs` crate (FSRS-6, the scheduler Anki uses) with its default
//! parameters until a fit of the course's history is adopted ([`fit`]); desired
//! retention from the setting [`RETENTION_SETTING`] (0.70–0.99, default 0.9). Intervals are whole local days: a card
//! is due from local midnight of the day FSRS's interval (rounded, at least one day)
//! lands on.

pub mod fit;
mod practice;
mod queue;
mod rate;
pub mod schedule;

use crate::progress::StoreError;

pub use crate::day::{date_of_day, Now};
pub use crate::progress::{
    due_count, forecast, forecast_empty, CardAction, DayCount, FitFigures, FitKind, FitRow, Leech,
    Rating, Scheduled, Source, LEECH_LAPSES,
};
pub use fit::{optimize, Optimized};
pub use practice::practice;
pub use queue::{
    course_progress, daily_limits, due_cards, due_today, figures, session, set_daily_limits,
    DailyLimits, DueCard, ReviewCard, ReviewFigures, ReviewSession,
};
pub use rate::rate;
pub use schedule::{retention, scheduler, set_retention, CardState, Fsrs};

/// The setting that holds the desired retention (a decimal, 0.70–0.99).
pub const RETENTION_SETTING: &str = "review.retention";
/// Desired retention when the setting is absent or unreadable.
pub const DEFAULT_RETENTION: f64 = 0.9;
/// The setting that holds how many cards new to review a day's sessions show.
pub const NEW_PER_DAY_SETTING: &str = "review.new_per_day";
/// The setting that holds how many cards reviewed before a day's sessions show.
pub const REVIEWS_PER_DAY_SETTING: &str = "review.reviews_per_day";
/// New cards per day when the setting is absent or unreadable (Anki's default).
pub const DEFAULT_NEW_PER_DAY: usize = 20;
/// Reviews per day when the setting is absent or unreadable (Anki's default).
pub const DEFAULT_REVIEWS_PER_DAY: usize = 200;
/// The largest daily limit accepted (Anki's "no limit" is 9999 too).
pub const MAX_PER_DAY: usize = 9999;
/// The most cards one [`session`] returns (the rest wait for the next session).
pub const SESSION_LIMIT: usize = 100;

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
