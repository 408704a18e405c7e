//! Live preview: the open course's folder is watched, and every save reaches the window.
//!
//! One watcher per open course ([`lectern::watch::watch`], on its own thread). On
//! `Event::Changes` the shell hands the changes to the core's live loop,
//! [`lectern::live::Session`] (the same loop as `lectern check --watch`): `apply` under
//! the course's write lock, then `settle` with the course read (the Problems re-checked
//! for the changed files only, the search index synced, the outline compared with the
//! one last sent), and emits `course://changed` with what it returned; the window
//! re-fetches what it shows through the usual commands (`open_lesson`,
//! `file_problems`, `check_course`). `Event::Status` becomes `watch://status`.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, OnceLock};

use lectern::check::Report;
use lectern::course::{FileChange, Loaded};
use lectern::diagnostic::Diagnostic;
use lectern::live::{Change, Session};
use lectern::render::Renderer;
use lectern::watch::{self, Event, WatchOptions, Watcher};
use tauri::{AppHandle, Manager};

use crate::events::{self, Problems, WatchStatus};
use crate::state::AppState;

/// The watcher of the open course and the check kept current with it.
#[derive(Default)]
pub(crate) struct Live {
    /// Set once the window exists: events go to it. Without it (unit tests) nothing
    /// is watched.
    app: OnceLock<AppHandle>,
    watcher: Mutex<Option<Watcher>>,
    /// How the folder is watched, as last reported (the window asks at start: the
    /// first report comes before it listens).
    status: Mutex<Option<WatchStatus>>,
    /// The check kept current and the outline last sent: the core's live session.
    session: Mutex<Session>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding these leaves at worst a stale check or a stopped watcher;
    // the next course switch replaces both.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Live {
    /// Starts watching `root`, reporting to `app` from now on.
    pub(crate) fn attach(&self, app: AppHandle, root: &Path) {
        let _ = self.app.set(app);
        self.start(root);
    }

    /// Stops watching (joins the watcher's thread). Holds no lock while joining: the
    /// watcher may be applying a change that needs the course's lock.
    pub(crate) fn stop(&self) {
        let old = lock(&self.watcher).take();
        drop(old);
    }

    /// Forgets the check of the previous course and watches `root`.
    pub(crate) fn start(&self, root: &Path) {
        *lock(&self.session) = Session::default();
        *lock(&self.status) = None;
        let Some(app) = self.app.get() else { return };
        if lectern::pack::is_unpacked(root) {
            // A copy unpacked from a `.lectern` file never changes: nothing to watch.
            let status = WatchStatus {
                status: "read-only",
                reason: Some(lectern::pack::READ_ONLY_REASON.to_owned()),
            };
            *lock(&self.status) = Some(status.clone());
            let _ = events::watch_status(app, status);
            return;
        }
        let sink_app = app.clone();
        let sink = move |event: Event| on_event(&sink_app, event);
        match watch::watch(root, WatchOptions::default(), sink) {
            Ok(w) => *lock(&self.watcher) = Some(w),
            Err(e) => {
                // No watcher thread: saves are not noticed; the window says so.
                let status = WatchStatus {
                    status: "stopped",
                    reason: Some(e.to_string()),
                };
                *lock(&self.status) = Some(status.clone());
                let _ = events::watch_status(app, status);
            }
        }
    }

    /// How the folder is watched, once the watcher has said.
    pub(crate) fn status(&self) -> Option<WatchStatus> {
        lock(&self.status).clone()
    }

    /// The report of the whole course, as `lectern check` prints it: checked once,
    /// then kept current by the changes.
    pub(crate) fn report(&self, loaded: &Loaded, renderer: &Renderer) -> Report {
        lock(&self.session).report(loaded, renderer).clone()
    }

    /// The current diagnostics of the file `path` (relative, `/`-separated), with
    /// their source lines.
    pub(crate) fn file_problems(
        &self,
        loaded: &Loaded,
        renderer: &Renderer,
        path: &str,
    ) -> Vec<Diagnostic> {
        lock(&self.session).file_problems(loaded, renderer, path)
    }
}

/// Runs on the watcher's thread.
fn on_event(app: &AppHandle, event: Event) {
    let result = match event {
        Event::Status(status) => {
            let shown = WatchStatus::from(&status);
            *lock(&app.state::<AppState>().live().status) = Some(shown.clone());
            events::watch_status(app, shown)
        }
        Event::Changes(changes) => changed(app, &changes),
    };
    if let Err(e) = result {
        eprintln!("lectern-app: {}", e.message);
    }
}

fn changed(app: &AppHandle, changes: &[FileChange]) -> Result<(), crate::error::UiError> {
    let change = update(&app.state::<AppState>(), changes);
    if let Some(e) = &change.index_error {
        eprintln!("lectern-app: {e}");
    }
    let problems = Problems::of(change.check.totals);
    events::course_changed(app, change.applied, change.outline, problems)
}

/// The core's live loop on the shared state: `apply` under the course's write lock,
/// then `settle` with the course read (lock order: course, index, session).
fn update(state: &AppState, changes: &[FileChange]) -> Change {
    let pending = state.apply(changes);
    let guard = state.loaded();
    let mut index = state.search_index();
    let mut session = lock(&state.live().session);
    session.settle(&guard.0, state.renderer(), pending, index.as_mut())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn lesson(id: &str, title: &str, body: &str) -> String {
        format!("---\nid: {id}\ntitle: {title}\n---\n# {title}\n\n{body}\n")
    }

    /// The app's state on `dir`, without a progress store.
    fn open(dir: &Path) -> AppState {
        let db = dir.join("progress.sqlite");
        let status = crate::state::ProgressStatus {
            backups: lectern::progress::backups_dir(&db),
            db,
            saving: false,
            notice: None,
        };
        AppState::open(dir, None, status)
    }

    #[test]
    fn a_change_on_disk_reaches_the_apps_course_and_problems() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.md", &lesson("a", "A", "First."));
        let state = open(dir.path());
        assert_eq!(
            state
                .live()
                .report(&state.loaded().0, state.renderer())
                .errors,
            0
        );
        write(dir.path(), "a.md", "---\nid: a\ntitle: \"A\n---\n");
        let change = update(&state, &[FileChange::Lesson("a.md".into())]);
        // The lesson stays in the outline, marked broken, and opens on its error.
        assert!(
            change.applied.removed.is_empty(),
            "{:?}",
            change.applied.removed
        );
        assert!(state
            .loaded()
            .0
            .course
            .lesson("a")
            .is_some_and(|l| l.broken));
        let report = state.live().report(&state.loaded().0, state.renderer());
        assert_eq!((report.errors, change.check.totals.errors), (1, 1));
    }

    #[test]
    fn watch_statuses_have_the_names_the_window_knows() {
        use lectern::watch::Status;
        let name = |s: &Status| WatchStatus::from(s).status;
        assert_eq!(name(&Status::Native), "native");
        assert_eq!(name(&Status::FolderMissing), "folder-missing");
        let polling = WatchStatus::from(&Status::Polling {
            reason: "inotify watch limit reached".into(),
        });
        assert_eq!(
            (polling.status, polling.reason.as_deref()),
            ("polling", Some("inotify watch limit reached"))
        );
    }

    #[test]
    fn switching_courses_forgets_the_check_of_the_previous_one() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        // A malformed front matter: an error in every format (this folder has no
        // course.yaml, so it is read as plain Markdown, where a missing title is none).
        write(a.path(), "a.md", "---\nid: a\ntitle: \"A\n---\n");
        write(b.path(), "b.md", &lesson("b", "B", "Fine."));
        let state = open(a.path());
        assert_eq!(
            state
                .live()
                .report(&state.loaded().0, state.renderer())
                .errors,
            1
        );
        state.switch_to(b.path());
        let report = state.live().report(&state.loaded().0, state.renderer());
        assert_eq!((report.lessons, report.errors), (1, 0));
    }
}
