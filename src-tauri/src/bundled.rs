//! Where the bundled course is opened from when no folder is given.
//!
//! The files of `lessons/` are embedded by `build.rs`; they are laid out under the
//! app's data folder by `lectern::bundle::materialize`, once per distinct content.

use std::path::PathBuf;

use tauri::{AppHandle, Manager};

include!(concat!(env!("OUT_DIR"), "/bundled_lessons.rs"));

/// The folder holding the bundled course, written on first use.
pub(crate) fn course_dir(app: &AppHandle) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let base = app.path().app_data_dir()?;
    Ok(lectern::bundle::materialize(FILES, &base)?)
}

/// Where [`course_dir`] lays the bundled course out under `base` (the app's data
/// folder), without writing it.
pub(crate) fn folder(base: &std::path::Path) -> PathBuf {
    lectern::bundle::folder(FILES, base)
}
