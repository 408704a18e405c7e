//! The application state: one per app, registered with Tauri's `manage`.

use std::path::PathBuf;
use std::sync::{RwLock, RwLockReadGuard};

use lectern::course::{Course, Loaded};

/// The open course. Fields are private; commands read through the getters.
pub(crate) struct AppState {
    root: PathBuf,
    loaded: RwLock<Loaded>,
}

impl AppState {
    /// Loads the course in `root`. Never fails: problems are diagnostics.
    pub(crate) fn open(root: PathBuf) -> Self {
        let loaded = Course::load(&root);
        AppState {
            root,
            loaded: RwLock::new(loaded),
        }
    }

    /// The course as last loaded, with its diagnostics.
    pub(crate) fn loaded(&self) -> RwLockReadGuard<'_, Loaded> {
        // A panic while holding the lock cannot leave `Loaded` half-written (it is
        // replaced whole), so a poisoned lock still holds a consistent value.
        self.loaded.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Re-reads the course from disk.
    pub(crate) fn reload(&self) {
        let fresh = Course::load(&self.root);
        let mut guard = self.loaded.write().unwrap_or_else(|p| p.into_inner());
        *guard = fresh;
    }

    /// The course title, for the window title.
    pub(crate) fn course_title(&self) -> String {
        self.loaded().course.title().to_owned()
    }
}
