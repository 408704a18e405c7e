//! Commands over the learner's progress: what the outline and course page show, what
//! only the window can see (reading position, active time), and the learner's own
//! changes (mark complete, reset). Answers are recorded by `grade_answer` (quiz.rs).

use lectern::progress::{self, CourseProgress, LessonHistory, Position, RecentCourse};
use serde::Serialize;
use tauri::State;

use crate::clock;
use crate::error::{no_progress, UiError};
use crate::state::{AppState, ProgressStatus};

/// How many recent courses the course page lists.
const RECENT: usize = 8;
/// How many backups are kept.
pub(crate) const BACKUPS_KEPT: usize = 5;

/// Where progress lives, whether it is saved, and the start-up notice if any.
#[tauri::command]
pub(crate) fn progress_status(state: State<'_, AppState>) -> ProgressStatus {
    state.status().clone()
}

/// The open course's progress: every lesson's state and score, sections, resume, and
/// how many review cards are due now.
#[tauri::command]
pub(crate) fn course_progress(state: State<'_, AppState>) -> Result<CourseProgress, UiError> {
    progress_of(&state)
}

/// The open course's progress (`course_progress`; also part of the `boot` answer).
pub(crate) fn progress_of(state: &AppState) -> Result<CourseProgress, UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    match state.progress().as_ref() {
        Some(store) => Ok(lectern::review::course_progress(
            store,
            key,
            &l.course,
            &clock::now_local(),
        )?),
        None => Ok(CourseProgress::empty(key, &l.course)),
    }
}

/// A recent course as the course page lists it: whether its folder is still there,
/// and whether it is the one open.
#[derive(Debug, Serialize)]
pub(crate) struct RecentView {
    #[serde(flatten)]
    course: RecentCourse,
    exists: bool,
    open: bool,
}

/// The courses opened before, most recent first.
#[tauri::command]
pub(crate) fn recent_courses(state: State<'_, AppState>) -> Result<Vec<RecentView>, UiError> {
    recent_of(&state)
}

/// The courses opened before (`recent_courses`; also part of the `boot` answer).
pub(crate) fn recent_of(state: &AppState) -> Result<Vec<RecentView>, UiError> {
    let open = state.loaded().1.clone();
    let recent = match state.progress().as_ref() {
        Some(store) => store.recent_courses(RECENT)?,
        None => Vec::new(),
    };
    Ok(recent
        .into_iter()
        .map(|c| RecentView {
            exists: c.root.is_dir(),
            open: c.key == open,
            course: c,
        })
        .collect())
}

/// Records that lesson `lesson` was opened (what Continue reopens).
#[tauri::command]
pub(crate) fn lesson_opened(state: State<'_, AppState>, lesson: String) -> Result<(), UiError> {
    let key = state.loaded().1.clone();
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(store.record_lesson_opened(&key, &lesson, clock::now())?)
}

/// Records where the learner is in a lesson (heading nearest the top plus offset, and
/// whether the end was reached).
#[tauri::command]
pub(crate) fn record_position(
    state: State<'_, AppState>,
    lesson: String,
    position: Position,
) -> Result<(), UiError> {
    let loaded = state.loaded();
    let (l, key) = &*loaded;
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(progress::record_reading(
        store,
        key,
        &l.course,
        &lesson,
        &position,
        clock::now(),
    )?)
}

/// Adds `ms` of active reading time to a lesson and to today's minutes studied.
#[tauri::command]
pub(crate) fn record_active_time(
    state: State<'_, AppState>,
    lesson: String,
    ms: u64,
) -> Result<(), UiError> {
    let key = state.loaded().1.clone();
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(store.record_active_time(&key, &lesson, ms, &clock::now_local())?)
}

/// The learner's history with a lesson's questions (`questions`: the ids of its quiz
/// as the core sent them, in order): right before, updated since answered.
#[tauri::command]
pub(crate) fn lesson_history(
    state: State<'_, AppState>,
    lesson: String,
    questions: Vec<String>,
) -> Result<LessonHistory, UiError> {
    let key = state.loaded().1.clone();
    match state.progress().as_ref() {
        Some(store) => Ok(store.lesson_history(&key, &lesson, &questions)?),
        None => Ok(LessonHistory::default()),
    }
}

/// Marks a lesson complete by hand (`complete` false takes the mark back).
#[tauri::command]
pub(crate) fn mark_complete(
    state: State<'_, AppState>,
    lesson: String,
    complete: bool,
) -> Result<(), UiError> {
    let key = state.loaded().1.clone();
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(store.mark_complete(&key, &lesson, complete, clock::now())?)
}

/// Forgets one lesson's progress.
#[tauri::command]
pub(crate) fn reset_lesson(state: State<'_, AppState>, lesson: String) -> Result<(), UiError> {
    let key = state.loaded().1.clone();
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    Ok(store.reset_lesson(&key, &lesson)?)
}

/// Forgets the open course's progress after a backup; returns the backup's path.
#[tauri::command]
pub(crate) fn reset_course(state: State<'_, AppState>) -> Result<String, UiError> {
    let key = state.loaded().1.clone();
    let mut store = state.progress();
    let store = store.as_mut().ok_or_else(no_progress)?;
    let backup = progress::reset_course_after_backup(store, &key, BACKUPS_KEPT, clock::now())?;
    Ok(backup.display().to_string())
}
