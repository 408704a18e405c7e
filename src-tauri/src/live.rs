//! Live preview: the open course's folder is watched, and every save reaches the window.
//!
//! One watcher per open course ([`lectern::watch::watch`], on its own thread). On
//! `Event::Changes` the shell takes three core steps, one call each: `Loaded::apply`
//! (under the course's write lock), `check::Live::update` (the Problems, re-checking
//! only the changed files), then it emits `course://changed` with what changed and the
//! course totals; the window re-fetches what it shows through the usual commands
//! (`open_lesson`, `file_problems`, `check_course`). The outline travels in the event
//! only when it differs from the one last sent, so a save in a 10,000-lesson course
//! sends a few hundred bytes. `Event::Status` becomes `watch://status`.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, OnceLock};

use lectern::check::{self, Report};
use lectern::course::{Applied, FileChange, Loaded, Outline};
use lectern::diagnostic::Diagnostic;
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
    check: Mutex<Checked>,
}

/// The Problems kept current, and the outline last sent to the window (as JSON, to
/// tell whether it changed).
#[derive(Default)]
struct Checked {
    live: Option<(check::Live, Report)>,
    outline: Option<String>,
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
        *lock(&self.check) = Checked::default();
        *lock(&self.status) = None;
        let Some(app) = self.app.get() else { return };
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
        let mut checked = lock(&self.check);
        checked.ensure(loaded, renderer).clone()
    }

    /// The current diagnostics of the file `path` (relative, `/`-separated), with
    /// their source lines.
    pub(crate) fn file_problems(
        &self,
        loaded: &Loaded,
        renderer: &Renderer,
        path: &str,
    ) -> Vec<Diagnostic> {
        let mut checked = lock(&self.check);
        let report = checked.ensure(loaded, renderer);
        report
            .diagnostics
            .iter()
            .filter(|d| lectern::diagnostic::slash_path(&d.path) == path)
            .cloned()
            .collect()
    }
}

impl Checked {
    fn ensure(&mut self, loaded: &Loaded, renderer: &Renderer) -> &Report {
        let (_, report) = self
            .live
            .get_or_insert_with(|| check::Live::start(loaded, renderer));
        report
    }

    /// The outline, when it differs from the one last sent (diagnostics aside: the
    /// sidebar does not show them).
    fn outline_if_changed(&mut self, loaded: &Loaded) -> Option<Outline> {
        let outline = loaded.course.outline(&loaded.diagnostics);
        let key = serde_json::to_string(&(
            &outline.title,
            &outline.description,
            outline.total_minutes,
            &outline.sections,
        ))
        .ok();
        if key.is_some() && key == self.outline {
            return None;
        }
        self.outline = key;
        Some(outline)
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
    let state = app.state::<AppState>();
    let (applied, outline, problems) = update(&state, changes);
    events::course_changed(app, applied, outline, problems)
}

/// The three core steps of a change: apply it to the course, bring the check up to
/// date, and see whether the outline changed.
fn update(state: &AppState, changes: &[FileChange]) -> (Applied, Option<Outline>, Problems) {
    let applied = state.apply(changes);
    state.sync_search();
    let guard = state.loaded();
    let loaded = &guard.0;
    let mut checked = lock(&state.live().check);
    if let Some((live, report)) = &mut checked.live {
        *report = live.update(loaded, state.renderer(), &applied).report;
    }
    let problems = Problems::of(checked.ensure(loaded, state.renderer()));
    let outline = checked.outline_if_changed(loaded);
    (applied, outline, problems)
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

    fn fresh_check(dir: &Path) -> Report {
        let loaded = lectern::course::Course::load(dir);
        check::check(&loaded, &Renderer::default())
    }

    #[test]
    fn changes_keep_the_report_equal_to_lectern_check_and_send_the_outline_only_when_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.md", &lesson("a", "A", "First."));
        write(dir.path(), "b.md", &lesson("b", "B", "See [a](a.md)."));
        let state = open(dir.path());
        let first = state.live().report(&state.loaded().0, state.renderer());
        assert_eq!(first.diagnostics, fresh_check(dir.path()).diagnostics);

        let edit = |name: &str, text: &str| {
            write(dir.path(), name, text);
            update(&state, &[FileChange::Lesson(name.into())])
        };
        // The first change always sends the outline (nothing was sent before).
        let (applied, outline, _) = edit("a.md", &lesson("a", "A", "Edited."));
        assert_eq!(applied.changed, ["a"]);
        assert!(outline.is_some());
        // A body edit leaves the outline as it was: not sent again.
        let (_, outline, problems) = edit("a.md", &lesson("a", "A", "Edited again."));
        assert!(outline.is_none());
        assert_eq!(problems.errors, 0);
        // A new title changes it.
        let (_, outline, _) = edit("a.md", &lesson("a", "A new title", "Edited again."));
        assert_eq!(outline.unwrap().sections[0].lessons[0].title, "A new title");
        // A broken front matter: the lesson leaves the course, its error is counted and
        // listed with its source line, and the report is still `lectern check`'s.
        let (applied, outline, problems) = edit("a.md", "---\nid: a\ntitle: \"A\n---\n");
        assert_eq!(applied.removed, ["a"]);
        assert!(outline.is_some());
        assert_eq!((problems.lessons, problems.errors), (1, 1));
        let shown = state
            .live()
            .file_problems(&state.loaded().0, state.renderer(), "a.md");
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].code, "front-matter-syntax");
        assert_eq!(shown[0].snippet.as_deref(), Some("title: \"A"));
        let report = state.live().report(&state.loaded().0, state.renderer());
        assert_eq!(report.diagnostics, fresh_check(dir.path()).diagnostics);
        assert_eq!(report.errors, 1);
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
        write(a.path(), "a.md", "---\nid: a\n---\n");
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
