//! The one error shape the UI sees: `{ code, message }`. The UI branches on `code`.

use serde::Serialize;

/// An error as sent to JavaScript.
#[derive(Debug, Serialize)]
pub(crate) struct UiError {
    /// Stable kebab-case code, e.g. `lesson-not-found`.
    pub(crate) code: &'static str,
    /// Human-readable message, for display only.
    pub(crate) message: String,
}

impl UiError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        UiError {
            code,
            message: message.into(),
        }
    }
}

impl From<lectern::reader::ReaderError> for UiError {
    fn from(e: lectern::reader::ReaderError) -> Self {
        UiError::new(e.code(), e.to_string())
    }
}

impl From<lectern::author::AuthorError> for UiError {
    fn from(e: lectern::author::AuthorError) -> Self {
        UiError::new(e.code(), e.to_string())
    }
}

impl From<lectern::progress::StoreError> for UiError {
    fn from(e: lectern::progress::StoreError) -> Self {
        UiError::new(e.code(), e.to_string())
    }
}

impl From<lectern::edit::EditError> for UiError {
    fn from(e: lectern::edit::EditError) -> Self {
        UiError::new(e.code(), e.to_string())
    }
}

impl From<lectern::review::ReviewError> for UiError {
    fn from(e: lectern::review::ReviewError) -> Self {
        UiError::new(e.code(), e.to_string())
    }
}

/// The error of a progress command when no database could be opened at start (the
/// window was told why then).
pub(crate) fn no_progress() -> UiError {
    UiError::new(
        "progress-unavailable",
        "progress is not being saved in this session",
    )
}
