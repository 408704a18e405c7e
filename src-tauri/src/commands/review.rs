//! Commands of spaced review: the session of due cards, grading a review answer,
//! rating a right answer Hard/Good/Easy, the due forecast, the FSRS parameters fitted
//! to the learner (Settings), and suspending or resetting a leech (the dashboard). Each is one core call
//! (`lectern::review`; a review answer through `lectern::answer::submit`, the path a
//! quiz answer takes too); the time is `clock::now_local()`.

use lectern::answer::{self, Answer, Answered, Origin};
use lectern::review::fit::{self, InUse, Optimized};
use lectern::review::{
    self, CardAction, DailyLimits, DayCount, FitKind, Rating, ReviewSession, Scheduled,
};
use tauri::{AppHandle, Manager, State};

use crate::clock;
use crate::error::{no_progress, UiError};
use crate::state::AppState;

/// The cards due now, most overdue first (at most `review::SESSION_LIMIT`), options
/// shuffled from `seed` (a fresh one when absent). Without a database: an empty session.
#[tauri::command]
pub(crate) fn review_session(
    state: State<'_, AppState>,
    seed: Option<u64>,
) -> Result<ReviewSession, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let seed = seed.unwrap_or_else(lectern::clock::fresh_seed);
    match state.progress().as_ref() {
        Some(store) => Ok(review::session(
            store,
            key,
            &l.course,
            &clock::now_local(),
            seed,
        )?),
        None => Ok(ReviewSession::empty(seed)),
    }
}

/// "Practise this section": every question of the section (or lesson) `scope`, its
/// due cards first, options shuffled from `seed` (fresh when absent). Without a
/// database: an empty session.
#[tauri::command]
pub(crate) fn practice_session(
    state: State<'_, AppState>,
    scope: String,
    seed: Option<u64>,
) -> Result<ReviewSession, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let seed = seed.unwrap_or_else(lectern::clock::fresh_seed);
    match state.progress().as_ref() {
        Some(store) => Ok(review::practice(
            store,
            key,
            &l.course,
            &scope,
            &clock::now_local(),
            seed,
        )?),
        None => Ok(ReviewSession::empty(seed)),
    }
}

/// Grades one review (or, with `practice`, practice) answer and reschedules the card,
/// by the same path as a quiz answer (`answer::submit`, recorded in the review log
/// only); `not_saved` says when it could not be kept.
#[tauri::command]
pub(crate) fn grade_review(
    state: State<'_, AppState>,
    lesson: String,
    question: String,
    chosen: Vec<String>,
    time_ms: u64,
    practice: Option<bool>,
) -> Result<Answered, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let input = Answer {
        note: None,
        lesson: &lesson,
        question: &question,
        chosen: &chosen,
        time_ms,
        now: clock::now_local(),
        origin: if practice.unwrap_or(false) {
            Origin::Practice
        } else {
            Origin::Review
        },
    };
    Ok(answer::submit(
        state.progress().as_mut(),
        key,
        &l.course,
        &input,
    )?)
}

/// Hard, Good or Easy for today's right answer to a question (quiz or review).
#[tauri::command]
pub(crate) fn rate_review(
    state: State<'_, AppState>,
    lesson: String,
    question: String,
    rating: Rating,
) -> Result<Scheduled, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    let now = clock::now_local();
    Ok(review::rate(
        store, key, &l.course, &lesson, &question, rating, &now,
    )?)
}

/// Cards due on each of the next `days` local days (overdue ones on today); at most
/// 366 days.
#[tauri::command]
pub(crate) fn review_forecast(
    state: State<'_, AppState>,
    days: u32,
) -> Result<Vec<DayCount>, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let now = clock::now_local();
    match state.progress().as_ref() {
        Some(store) => Ok(review::forecast(
            store,
            key,
            &l.course,
            &now,
            days.min(366),
        )?),
        None => Ok(review::forecast_empty(&now, days.min(366))),
    }
}

/// The desired retention reviews are scheduled for (0.70–0.99; the default without a
/// database or a stored value).
#[tauri::command]
pub(crate) fn review_retention(state: State<'_, AppState>) -> Result<f64, UiError> {
    match state.progress().as_ref() {
        Some(store) => Ok(review::retention(store)?),
        None => Ok(review::DEFAULT_RETENTION),
    }
}

/// Sets the desired retention from Settings; `false` when the value is out of range
/// (nothing stored: the core keeps 0.70–0.99).
#[tauri::command]
pub(crate) fn set_review_retention(
    state: State<'_, AppState>,
    value: f64,
) -> Result<bool, UiError> {
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(review::set_retention(store, value)?)
}

/// How many new cards and reviews a day's sessions show (the defaults without a
/// database or a stored value).
#[tauri::command]
pub(crate) fn review_limits(state: State<'_, AppState>) -> Result<DailyLimits, UiError> {
    match state.progress().as_ref() {
        Some(store) => Ok(review::daily_limits(store)?),
        None => Ok(DailyLimits::default()),
    }
}

/// Sets the daily limits from Settings; `false` when one is out of range (nothing
/// stored).
#[tauri::command]
pub(crate) fn set_review_limits(
    state: State<'_, AppState>,
    limits: DailyLimits,
) -> Result<bool, UiError> {
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(review::set_daily_limits(store, limits)?)
}

/// The FSRS parameters in use for the open course, from which fit, with its figures
/// (Settings).
#[tauri::command]
pub(crate) fn review_parameters(state: State<'_, AppState>) -> Result<InUse, UiError> {
    let loaded = state.loaded();
    let store = state.progress();
    let store = store.as_ref().ok_or_else(no_progress)?;
    Ok(fit::parameters(store, &loaded.1)?)
}

/// "Optimize now" (or, with `background`, only when enough new answers came): fits
/// the open course's parameters on a blocking thread, the store locked only to read
/// and to record, so the window and answers never wait for it. `null` when nothing
/// was due.
#[tauri::command]
pub(crate) async fn optimize_review(
    app: AppHandle,
    background: bool,
) -> Result<Option<Optimized>, UiError> {
    let kind = if background {
        FitKind::Background
    } else {
        FitKind::Manual
    };
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let key = state.loaded().1.clone();
        fit::optimize_shared(state.progress_slot(), &key, kind, &clock::now_local())
    })
    .await
    .map_err(|e| UiError::new("internal", format!("the fit stopped: {e}")))?
    .map_err(UiError::from)
}

/// Back to FSRS's default parameters for the answers to come.
#[tauri::command]
pub(crate) fn reset_review_parameters(state: State<'_, AppState>) -> Result<(), UiError> {
    let loaded = state.loaded();
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(fit::reset(store, &loaded.1, &clock::now_local())?)
}

/// Suspends, unsuspends or resets a card (a leech on the dashboard); `false` when the
/// question was never scheduled.
#[tauri::command]
pub(crate) fn review_card_action(
    state: State<'_, AppState>,
    lesson: String,
    question: String,
    action: CardAction,
) -> Result<bool, UiError> {
    let loaded = state.loaded();
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    let now = clock::now_local();
    Ok(store.card_action(&loaded.1, &lesson, &question, action, &now)?)
}
