//! Commands of the reader: opening a lesson, following an external link.

use lectern::reader::{self, LessonPage};
use lectern::search::Results;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::UiError;
use crate::state::AppState;

/// The page for lesson `id`: sanitized body, table of contents, neighbours, quiz.
#[tauri::command]
pub(crate) fn open_lesson(state: State<'_, AppState>, id: String) -> Result<LessonPage, UiError> {
    let loaded = state.loaded();
    Ok(reader::open(
        &loaded.0,
        state.renderer(),
        &id,
        lectern::clock::fresh_seed(),
    )?)
}

/// Opens an `http(s)` link from a lesson in the system browser, never in the app.
#[tauri::command]
pub(crate) fn open_external(app: AppHandle, url: String) -> Result<(), UiError> {
    let url = reader::external_url(&url)
        .ok_or_else(|| UiError::new("link-scheme", format!("`{url}` is not an http(s) link")))?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| UiError::new("open-failed", format!("cannot open `{url}`: {e}")))
}

/// The best `limit` sections of the open course for `query`, best first (any input is
/// accepted: the core quotes it). Async, so that it runs off the main thread. While the
/// first index is being built (`indexing::in_background`) it answers from the lessons
/// indexed so far, with `indexing` set.
#[tauri::command]
pub(crate) async fn search(
    state: State<'_, AppState>,
    query: String,
    limit: usize,
) -> Result<Results, UiError> {
    state
        .search(&query, limit.min(200))
        .map_err(|e| UiError::new("search-failed", e.to_string()))
}
