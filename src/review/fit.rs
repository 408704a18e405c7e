//! Fitting FSRS parameters to the learner's own history of a course, as Anki's
//! "Optimize" does: the `fsrs` crate's `compute_parameters` (inference-only build, no
//! training stack) fits candidate parameters, and they are adopted only when they
//! predict that same history better than the parameters in use, by both figures FSRS
//! reports (log loss and RMSE over its bins), computed the same way for both.
//!
//! Front door: [`optimize`] (read, fit, judge, record: one call), or its three steps for
//! a caller that must not hold the store while fitting ([`prepare`] → [`FitInput::run`],
//! pure and slow, → [`conclude`]); [`background_due`] (whether enough new reviews came
//! for a background fit); [`reset`] (back to the defaults); [`parameters`] (what
//! Settings shows). Every fit is kept in `review_fits` (the store's `fits.rs`), adopted
//! or not.
//!
//! What a fit reads: the answers that rescheduled a card (the first graded answer of a
//! question per local day, quiz or review, with the rating in force), card by card, as
//! FSRS items (each answer after a card's first, with the ones before it). A new set of
//! parameters schedules the answers after it: cards keep the due dates and memory
//! states they had.

use std::panic::AssertUnwindSafe;
use std::sync::Mutex;

use fsrs::{ComputeParametersInput, FSRSItem, FSRSReview, FSRS};
use serde::Serialize;

use super::{Now, ReviewError};
use crate::progress::{CourseKey, FitFigures, FitKind, FitRow, HistoryRow, Store, StoreError};

/// A fit needs at least this many answers that rescheduled a card in the course; with
/// fewer, nothing is fitted nor recorded (FSRS itself only starts its optimizer from 64
/// items, and a few dozen answers say little about a learner's forgetting).
pub const FIT_MIN_REVIEWS: usize = 200;

/// A background fit runs when the course has at least [`FIT_MIN_REVIEWS`] and at least
/// this many new ones since its last fit (or reset): often enough to follow the
/// learner, rarely enough that fitting (seconds, off the window's thread) stays rare.
pub const BACKGROUND_NEW_REVIEWS: usize = 200;

/// What [`optimize`] (or [`conclude`]) did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Optimized {
    /// Whether a fit ran (false: fewer than [`FIT_MIN_REVIEWS`] answers, or the crate
    /// could not fit them; nothing was changed nor recorded).
    pub fitted: bool,
    /// Whether the candidate became the parameters in use.
    pub adopted: bool,
    /// Answers that rescheduled a card in the course (what the fit read).
    pub reviews: usize,
    /// The parameters in use before, on that history.
    pub old: Option<FitFigures>,
    /// The candidate, on that history.
    pub new: Option<FitFigures>,
    /// The parameters in use after (FSRS-6's 21 numbers).
    pub parameters: Vec<f64>,
}

/// The parameters in use for a course, for Settings and the CLI.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InUse {
    /// FSRS-6's 21 numbers.
    pub parameters: Vec<f64>,
    /// Whether they are FSRS's defaults (never fitted, nothing adopted, or reset).
    pub defaults: bool,
    /// The fit (or reset) that put them in use.
    pub fit: Option<FitRow>,
    /// The newest fit, adopted or not (when the last fit ran and what it found).
    pub last: Option<FitRow>,
    /// Answers that rescheduled a card in the course now.
    pub reviews: usize,
    /// A fit needs this many answers ([`FIT_MIN_REVIEWS`]).
    pub min_reviews: usize,
    /// Lapses that make a card a leech (shown beside the parameters in Settings).
    pub leech_lapses: i64,
}

/// A course's history ready to fit: read from the store by [`prepare`], fitted by
/// [`FitInput::run`] without it.
#[derive(Clone, Debug)]
pub struct FitInput {
    reviews: usize,
    items: Vec<FSRSItem>,
    card_ids: Vec<i64>,
    current: Vec<f32>,
}

/// What [`FitInput::run`] found, to be judged and recorded by [`conclude`].
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    reviews: usize,
    current: Vec<f32>,
    fitted: Option<(Vec<f32>, FitFigures, FitFigures)>,
}

/// The parameters the scheduler uses for `course`: the newest adopted fit's, or empty
/// (FSRS-6's defaults).
pub fn parameters_in_use(store: &Store, course: &CourseKey) -> Result<Vec<f32>, StoreError> {
    Ok(store
        .fit_in_use(course)?
        .and_then(|f| f.parameters)
        .map(|p| p.iter().map(|&x| x as f32).collect())
        .unwrap_or_default())
}

/// What Settings shows: the parameters in use, from which fit, and the newest fit.
pub fn parameters(store: &Store, course: &CourseKey) -> Result<InUse, ReviewError> {
    let fit = store.fit_in_use(course)?;
    let current = parameters_in_use(store, course)?;
    Ok(InUse {
        parameters: widen(or_defaults(&current)),
        defaults: current.is_empty(),
        fit,
        last: store.last_fit(course)?,
        reviews: store.review_history_len(course)?,
        min_reviews: FIT_MIN_REVIEWS,
        leech_lapses: crate::progress::LEECH_LAPSES,
    })
}

/// Reads the course's history and the parameters in use (fast; the store is free again
/// when it returns).
pub fn prepare(store: &Store, course: &CourseKey) -> Result<FitInput, ReviewError> {
    let rows = store.review_history(course)?;
    let (items, card_ids) = items_of(&rows);
    Ok(FitInput {
        reviews: rows.len(),
        items,
        card_ids,
        current: parameters_in_use(store, course)?,
    })
}

impl FitInput {
    /// Fits candidate parameters and figures both sets on the history: the slow part
    /// (seconds for thousands of answers; see BENCHMARKS.md), pure, safe on any thread.
    /// A history under [`FIT_MIN_REVIEWS`] is not fitted.
    pub fn run(self) -> Candidate {
        let fitted = if self.reviews < FIT_MIN_REVIEWS || self.items.is_empty() {
            None
        } else {
            fit(&self.items, &self.card_ids, &self.current)
        };
        Candidate {
            reviews: self.reviews,
            current: self.current,
            fitted,
        }
    }
}

/// Judges a candidate and records it: adopted when it beats the parameters in use on
/// both figures. Nothing is written when nothing was fitted.
pub fn conclude(
    store: &mut Store,
    course: &CourseKey,
    candidate: Candidate,
    kind: FitKind,
    now: &Now,
) -> Result<Optimized, ReviewError> {
    let Some((parameters, old, new)) = candidate.fitted else {
        return Ok(Optimized {
            fitted: false,
            adopted: false,
            reviews: candidate.reviews,
            old: None,
            new: None,
            parameters: widen(or_defaults(&candidate.current)),
        });
    };
    let adopted = new.log_loss < old.log_loss && new.rmse < old.rmse;
    store.record_fit(
        course,
        &FitRow {
            at: now.at,
            kind,
            reviews: candidate.reviews,
            parameters: Some(widen(&parameters)),
            old: Some(old),
            new: Some(new),
            adopted,
        },
    )?;
    let in_use = if adopted {
        &parameters[..]
    } else {
        or_defaults(&candidate.current)
    };
    Ok(Optimized {
        fitted: true,
        adopted,
        reviews: candidate.reviews,
        old: Some(old),
        new: Some(new),
        parameters: widen(in_use),
    })
}

/// Fits the course's parameters now ([`prepare`], [`FitInput::run`], [`conclude`]).
pub fn optimize(
    store: &mut Store,
    course: &CourseKey,
    kind: FitKind,
    now: &Now,
) -> Result<Optimized, ReviewError> {
    let candidate = prepare(store, course)?.run();
    conclude(store, course, candidate, kind, now)
}

/// [`optimize`] on a store shared between threads (the app's), holding its lock only
/// to read the history and to record the outcome, never while fitting: answers are
/// recorded meanwhile, and the window never waits for a fit. A `kind` of
/// [`FitKind::Background`] fits only when [`background_due`]. `None`: no store, or no
/// fit due.
pub fn optimize_shared(
    store: &Mutex<Option<Store>>,
    course: &CourseKey,
    kind: FitKind,
    now: &Now,
) -> Result<Option<Optimized>, ReviewError> {
    // A store's writes are transactions: a lock poisoned by a panic elsewhere guards a
    // consistent store.
    let lock = || store.lock().unwrap_or_else(|p| p.into_inner());
    let input = {
        let guard = lock();
        let Some(store) = guard.as_ref() else {
            return Ok(None);
        };
        if kind == FitKind::Background && !background_due(store, course)? {
            return Ok(None);
        }
        prepare(store, course)?
    };
    let candidate = input.run();
    let mut guard = lock();
    let Some(store) = guard.as_mut() else {
        return Ok(None);
    };
    conclude(store, course, candidate, kind, now).map(Some)
}

/// Whether a background fit is due: at least [`FIT_MIN_REVIEWS`] answers, and
/// [`BACKGROUND_NEW_REVIEWS`] more than at the last fit or reset.
pub fn background_due(store: &Store, course: &CourseKey) -> Result<bool, ReviewError> {
    let reviews = store.review_history_len(course)?;
    let since = store.last_fit(course)?.map_or(0, |f| f.reviews);
    Ok(reviews >= FIT_MIN_REVIEWS && reviews.saturating_sub(since) >= BACKGROUND_NEW_REVIEWS)
}

/// Goes back to FSRS-6's default parameters for the answers to come (recorded as a
/// fit of kind reset; earlier fits stay in the history).
pub fn reset(store: &mut Store, course: &CourseKey, now: &Now) -> Result<(), ReviewError> {
    let reviews = store.review_history_len(course)?;
    store.record_fit(
        course,
        &FitRow {
            at: now.at,
            kind: FitKind::Reset,
            reviews,
            parameters: None,
            old: None,
            new: None,
            adopted: true,
        },
    )?;
    Ok(())
}

/// FSRS items of a history (rows card by card, in order) and the card of each: every
/// answer after a card's first, with the ones before it; `delta_t` in local days.
fn items_of(rows: &[HistoryRow]) -> (Vec<FSRSItem>, Vec<i64>) {
    let mut items = Vec::new();
    let mut card_ids = Vec::new();
    let mut card = 0_i64;
    let mut reviews: Vec<FSRSReview> = Vec::new();
    let mut last: Option<(&str, &str, i64)> = None;
    for row in rows {
        let same = last.is_some_and(|(l, q, _)| l == row.lesson && q == row.question);
        if !same {
            reviews.clear();
            card += 1;
        }
        let delta_t = match last {
            Some((_, _, day)) if same => u32::try_from(row.day - day).unwrap_or(0),
            _ => 0,
        };
        reviews.push(FSRSReview {
            rating: row.rating.clamp(1, 4),
            delta_t,
        });
        if reviews.len() > 1 && delta_t > 0 {
            items.push(FSRSItem {
                reviews: reviews.clone(),
            });
            card_ids.push(card);
        }
        last = Some((&row.lesson, &row.question, row.day));
    }
    (items, card_ids)
}

/// Fits and figures: (candidate, figures of `current`, figures of the candidate), or
/// `None` when the crate cannot fit or evaluate (the parameters in use stay). The crate
/// is trusted not to panic, but a panic inside it (an `unwrap` on data it did not
/// expect) must not take an answer or the window with it, so it is caught here.
fn fit(
    items: &[FSRSItem],
    card_ids: &[i64],
    current: &[f32],
) -> Option<(Vec<f32>, FitFigures, FitFigures)> {
    let run = || {
        let fitted = fsrs::compute_parameters(ComputeParametersInput {
            train_set: items.to_vec(),
            card_ids: Some(card_ids.to_vec()),
            ..ComputeParametersInput::default()
        })
        .ok()?;
        let old = figures(current, items, card_ids)?;
        let new = figures(&fitted, items, card_ids)?;
        Some((fitted, old, new))
    };
    std::panic::catch_unwind(AssertUnwindSafe(run))
        .ok()
        .flatten()
}

/// Log loss and RMSE of `parameters` on the items (FSRS's own evaluation).
fn figures(parameters: &[f32], items: &[FSRSItem], card_ids: &[i64]) -> Option<FitFigures> {
    let model = FSRS::new(parameters).ok()?;
    let e = model
        .evaluate_with_card_ids(items.to_vec(), card_ids.to_vec(), |_| true)
        .ok()?;
    Some(FitFigures {
        log_loss: f64::from(e.log_loss),
        rmse: f64::from(e.rmse_bins),
    })
}

/// Empty parameters stand for the defaults.
fn or_defaults(parameters: &[f32]) -> &[f32] {
    if parameters.is_empty() {
        &fsrs::DEFAULT_PARAMETERS
    } else {
        parameters
    }
}

fn widen(parameters: &[f32]) -> Vec<f64> {
    parameters.iter().map(|&x| f64::from(x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(question: &str, day: i64, rating: u32) -> HistoryRow {
        HistoryRow {
            lesson: "l".into(),
            question: question.into(),
            day,
            rating,
        }
    }

    #[test]
    fn items_are_every_answer_after_a_cards_first_with_the_days_between() {
        let rows = [
            row("a", 10, 3),
            row("a", 12, 1),
            row("a", 13, 3),
            row("b", 11, 3),
        ];
        let (items, cards) = items_of(&rows);
        assert_eq!(items.len(), 2);
        assert_eq!(cards, [1, 1]);
        let deltas: Vec<u32> = items[1].reviews.iter().map(|r| r.delta_t).collect();
        assert_eq!(deltas, [0, 2, 1]);
        assert_eq!(items[1].reviews[1].rating, 1);
    }

    #[test]
    fn a_history_under_the_minimum_is_not_fitted() {
        let rows: Vec<HistoryRow> = (0..50).map(|d| row("a", d, 3)).collect();
        let (items, card_ids) = items_of(&rows);
        let input = FitInput {
            reviews: rows.len(),
            items,
            card_ids,
            current: Vec::new(),
        };
        assert_eq!(input.run().fitted, None);
    }
}
