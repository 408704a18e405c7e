//! The application state: one per app, registered with Tauri's `manage`.

use std::path::{Path, PathBuf};
use std::sync::{RwLock, RwLockReadGuard};

use lectern::course::{Course, Loaded};
use lectern::render::Renderer;

/// The open course and the renderer that caches its highlighted code. Fields are
/// private; commands read through the getters.
pub(crate) struct AppState {
    root: PathBuf,
    loaded: RwLock<Loaded>,
    renderer: Renderer,
}

impl AppState {
    /// Loads the course in `root`. Never fails: problems are diagnostics.
    pub(crate) fn open(root: PathBuf) -> Self {
        let loaded = Course::load(&root);
        AppState {
            root,
            loaded: RwLock::new(loaded),
            renderer: Renderer::default(),
        }
    }

    /// The lessons folder.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The course as last loaded, with its diagnostics.
    pub(crate) fn loaded(&self) -> RwLockReadGuard<'_, Loaded> {
        // `Loaded` is only ever replaced whole, so even a lock poisoned by a panic
        // elsewhere holds a consistent value.
        self.loaded.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The renderer shared by every lesson view.
    pub(crate) fn renderer(&self) -> &Renderer {
        &self.renderer
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
