//! Commands over the course: its outline, its check, replacing it.

use std::path::{Path, PathBuf};

use lectern::check::Report;
use lectern::course::Outline;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::UiError;
use crate::events::{self, OpenReason};
use crate::state::AppState;

/// The outline of the open course, with the diagnostics found while loading.
#[tauri::command]
pub(crate) fn course_outline(state: State<'_, AppState>) -> Result<Outline, UiError> {
    Ok(outline_of(&state))
}

/// The open course's outline (`course_outline`; also part of the `boot` answer).
pub(crate) fn outline_of(state: &AppState) -> Outline {
    let loaded = state.loaded();
    loaded.0.course.outline(&loaded.0.diagnostics)
}

/// Everything `lectern check` reports on the open course (load, render and quiz
/// diagnostics, sorted, with counts): the live check's report (`check::Live`, always
/// equal to `check::check`), kept current as files change. Async: the first call
/// renders every lesson, which must not hold up the window.
#[tauri::command]
pub(crate) async fn check_course(state: State<'_, AppState>) -> Result<Report, UiError> {
    let loaded = state.loaded();
    Ok(state.live().report(&loaded.0, state.renderer()))
}

/// Re-reads the course from disk; the window hears of it through `course://opened`.
#[tauri::command]
pub(crate) fn reload_course(app: AppHandle, state: State<'_, AppState>) -> Result<(), UiError> {
    state.reload();
    events::course_opened(&app, OpenReason::Reload, outline_of(&state))
}

/// Asks for a folder with the system's folder picker and opens the course in it; the
/// window hears of it through `course://opened`. `false` when the learner cancels.
/// Async, so the picker does not block the window.
#[tauri::command]
pub(crate) async fn open_folder(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<bool, UiError> {
    let picked = app
        .dialog()
        .file()
        .set_title("Open a folder of lessons")
        .set_directory(state.root())
        .blocking_pick_folder();
    let Some(picked) = picked else {
        return Ok(false);
    };
    let root = picked
        .into_path()
        .map_err(|e| UiError::new("folder-unreadable", format!("cannot open that folder: {e}")))?;
    state.switch_to(&root);
    events::course_opened(&app, OpenReason::OpenFolder, outline_of(&state))?;
    Ok(true)
}

/// Asks for a `.lectern` file (the system's file dialog, showing only those) and opens
/// its course, unpacked and read-only (`handoff::course_root`); the window hears of it
/// through `course://opened`. `false` when cancelled.
#[tauri::command]
pub(crate) async fn open_course_file(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<bool, UiError> {
    let picked = app
        .dialog()
        .file()
        .set_title("Open a course file")
        .add_filter("Lectern course", &["lectern"])
        .blocking_pick_file();
    let Some(picked) = picked else {
        return Ok(false);
    };
    let file = picked
        .into_path()
        .map_err(|e| UiError::new("file-unreadable", format!("cannot open that file: {e}")))?;
    let root = crate::handoff::course_root(&file, Path::new(""))
        .map_err(|message| UiError::new("course-file-refused", message))?;
    crate::handoff::open(&app, &state, &root, OpenReason::OpenFile)?;
    Ok(true)
}

/// Opens a course of the recent list again, from the folder it was last opened from;
/// the window hears of it through `course://opened`.
#[tauri::command]
pub(crate) fn open_recent(
    app: AppHandle,
    state: State<'_, AppState>,
    root: PathBuf,
) -> Result<(), UiError> {
    if !root.is_dir() {
        return Err(UiError::new(
            "folder-gone",
            format!("the folder `{}` is not there any more", root.display()),
        ));
    }
    state.switch_to(&root);
    events::course_opened(&app, OpenReason::OpenRecent, outline_of(&state))
}
