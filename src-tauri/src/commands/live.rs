//! Commands of the live preview: a file's current problems (with their source lines,
//! for the error panel) and opening a file of the course in the author's editor.

use std::path::Path;

use lectern::diagnostic::{slash_path, Diagnostic, Severity};
use lectern::folder::Folder;
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::error::UiError;
use crate::events::WatchStatus;
use crate::state::AppState;

/// A diagnostic as the error panel shows it: the JSON contract's fields plus the
/// source line it points into (which `lectern check --json` leaves out).
#[derive(Debug, Serialize)]
pub(crate) struct ShownDiagnostic {
    path: String,
    line: u32,
    column: u32,
    severity: Severity,
    code: &'static str,
    message: String,
    /// The source line (cut to a window around the column when long), if known.
    source: Option<String>,
    /// The 1-based column of the caret within `source`.
    source_column: u32,
}

impl From<Diagnostic> for ShownDiagnostic {
    fn from(d: Diagnostic) -> Self {
        ShownDiagnostic {
            path: slash_path(&d.path),
            line: d.line,
            column: d.column,
            severity: d.severity,
            code: d.code,
            message: d.message,
            source: d.snippet,
            source_column: d.snippet_column,
        }
    }
}

/// The current diagnostics of the course file `path` (relative, `/`-separated):
/// loading, rendering and quiz problems, as the live check knows them.
#[tauri::command]
pub(crate) fn file_problems(
    state: State<'_, AppState>,
    path: String,
) -> Result<Vec<ShownDiagnostic>, UiError> {
    let loaded = state.loaded();
    let found = state
        .live()
        .file_problems(&loaded.0, state.renderer(), &path);
    Ok(found.into_iter().map(ShownDiagnostic::from).collect())
}

/// How the open course's folder is watched (`null` until the watcher has said): the
/// window asks once at start, then hears `watch://status`.
#[tauri::command]
pub(crate) fn watch_status(state: State<'_, AppState>) -> Option<WatchStatus> {
    state.live().status()
}

/// Opens the course file `path` (relative; it must be inside the lessons folder) at
/// `line` in the author's editor (`$VISUAL`, `$EDITOR`, else the system's default).
#[tauri::command]
pub(crate) fn edit_file(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    line: u32,
) -> Result<(), UiError> {
    if lectern::pack::is_unpacked(&state.root()) {
        return Err(UiError::new(
            "edit-read-only",
            format!(
                "Not opened in your editor: {}.",
                lectern::pack::READ_ONLY_REASON
            ),
        ));
    }
    let full = Folder::new(&state.root())
        .locate(Path::new(&path))
        .map_err(|e| UiError::new(e.code(), format!("cannot open `{path}`: {e}")))?;
    crate::editor::open(&app, &full, &path, line)
}

/// Opens the file of lesson `lesson` in the author's editor at the line of the heading
/// `heading` (its rendered id: the one in view; empty or unknown: line 1), as the core
/// maps it (`edit::heading_line`, an included file's own line included).
#[tauri::command]
pub(crate) fn edit_heading(
    app: AppHandle,
    state: State<'_, AppState>,
    lesson: String,
    heading: String,
) -> Result<(), UiError> {
    let (path, line) = {
        let loaded = state.loaded();
        let found = loaded.0.course.lesson(&lesson).ok_or_else(|| {
            UiError::new(
                "lesson-not-found",
                format!("no lesson `{lesson}` in this course"),
            )
        })?;
        lectern::edit::heading_line(found, &heading)
    };
    edit_file(app, state, path.to_string_lossy().into_owned(), line)
}
