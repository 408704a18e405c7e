//! The application state: one per app, registered with Tauri's `manage`.

use std::path::PathBuf;
use std::sync::{RwLock, RwLockReadGuard};

use lectern::course::{Applied, Course, FileChange, Loaded};
use lectern::render::Renderer;

use crate::live::Live;

/// The open course (which knows its folder), the renderer that caches highlighted
/// code, and the live preview (the folder's watcher and the check kept current).
/// Fields are private; commands read through the getters.
pub(crate) struct AppState {
    loaded: RwLock<Loaded>,
    renderer: Renderer,
    live: Live,
}

impl AppState {
    /// Loads the course in `root`. Never fails: problems are diagnostics.
    pub(crate) fn open(root: PathBuf) -> Self {
        AppState {
            loaded: RwLock::new(Course::load(&root)),
            renderer: Renderer::default(),
            live: Live::default(),
        }
    }

    /// The lessons folder of the open course.
    pub(crate) fn root(&self) -> PathBuf {
        self.loaded().course.root().to_path_buf()
    }

    /// The course as last loaded, with its diagnostics.
    pub(crate) fn loaded(&self) -> RwLockReadGuard<'_, Loaded> {
        // `Loaded` is replaced whole or changed by `Loaded::apply`, which rebuilds the
        // course before it stores it; a lock poisoned by a panic elsewhere holds the
        // last consistent value.
        self.loaded.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The renderer shared by every lesson view.
    pub(crate) fn renderer(&self) -> &Renderer {
        &self.renderer
    }

    /// Re-reads the open course from disk.
    pub(crate) fn reload(&self) {
        self.switch_to(self.root());
    }

    /// Opens the course in `root` instead of the current one, and watches its folder
    /// instead. The renderer's caches are kept: they are keyed by content, so they stay
    /// correct in any course.
    pub(crate) fn switch_to(&self, root: PathBuf) {
        self.live.stop();
        let fresh = Course::load(&root);
        {
            let mut guard = self.loaded.write().unwrap_or_else(|p| p.into_inner());
            *guard = fresh;
        }
        self.live.start(&root);
    }

    /// Applies changes seen on disk to the open course, in place (live preview).
    pub(crate) fn apply(&self, changes: &[FileChange]) -> Applied {
        let mut guard = self.loaded.write().unwrap_or_else(|p| p.into_inner());
        guard.apply(changes)
    }

    /// The live preview of the open course.
    pub(crate) fn live(&self) -> &Live {
        &self.live
    }

    /// The course title, for the window title.
    pub(crate) fn course_title(&self) -> String {
        self.loaded().course.title().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course_in(dir: &std::path::Path, id: &str) {
        let text = format!("---\nid: {id}\ntitle: {id}\n---\n# {id}\n");
        std::fs::write(dir.join(format!("{id}.md")), text).unwrap();
    }

    #[test]
    fn switching_folders_replaces_the_course_and_its_root() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        course_in(a.path(), "first");
        course_in(b.path(), "second");
        let state = AppState::open(a.path().to_path_buf());
        assert!(state.loaded().course.lesson("first").is_some());
        state.switch_to(b.path().to_path_buf());
        assert_eq!(state.root(), b.path());
        assert!(state.loaded().course.lesson("first").is_none());
        assert!(state.loaded().course.lesson("second").is_some());
    }

    #[test]
    fn reload_reads_the_open_folder_again() {
        let dir = tempfile::tempdir().unwrap();
        course_in(dir.path(), "first");
        let state = AppState::open(dir.path().to_path_buf());
        course_in(dir.path(), "added");
        state.reload();
        assert_eq!(state.loaded().course.lessons().len(), 2);
    }
}
