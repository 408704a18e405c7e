//! The live loop: what a change on disk does to an open course, the same for
//! `lectern check --watch` and the app's live preview, so the two cannot disagree.
//!
//! Front door: [`Session`]. The watcher ([`crate::watch`]) reports
//! `Event::Changes`; the caller hands them to [`Session::apply`] (the changed files read
//! again, `Loaded::apply`: the only step that writes the course, so a caller sharing
//! the course holds its write lock only for that), then the [`Pending`] it got to
//! [`Session::settle`], which re-checks only what the change touched
//! ([`check::Live`], always equal to a fresh [`check::check`]: the lessons read again
//! and the files in [`Applied::files`]), brings the search index up to date when there
//! is one (only lessons whose content changed are indexed again, and nothing is asked
//! of it when the change reached no lesson), and says whether the outline changed since the last
//! [`Change`] (so the app sends it only then: a save in a 10,000-lesson course is a few
//! hundred bytes). What the caller does with the [`Change`] (print a line, emit an
//! event) is all it adds.

use std::path::PathBuf;

use crate::check::{self, Report, Update};
use crate::course::{Applied, FileChange, Loaded, Outline};
use crate::diagnostic::{slash_path, Diagnostic};
use crate::render::Renderer;
use crate::search::{SearchError, SearchIndex, SyncStats};

/// An open course's live state beside the course itself: the check kept current and
/// the outline last reported. One per open course; a new course starts a new one.
#[derive(Debug, Default)]
pub struct Session {
    /// The check, once asked for (the app checks a course only when the window asks;
    /// `lectern check --watch` at once), and its whole report once that is asked for
    /// (a change drops it: an update gives counts and the changed files' diagnostics,
    /// so a save does not sort the course's every diagnostic).
    check: Option<(check::Live, Option<Report>)>,
    /// The outline last reported: the course's outline stamp then
    /// (`Loaded::outline_stamp`: while it stays, the outline has not changed) and the
    /// outline as JSON (to tell whether it changed when the stamp moved).
    outline: Option<(u64, String)>,
}

/// Changes applied to the course and not yet settled: [`Session::apply`] gives it,
/// [`Session::settle`] takes it, so no caller can skip a step.
#[derive(Debug)]
#[must_use = "a change is only complete once settled: `Session::settle`"]
pub struct Pending {
    applied: Applied,
}

/// What one burst of changes did, once settled.
#[derive(Debug)]
pub struct Change {
    /// Lessons changed, added or removed, and the files whose diagnostics may differ.
    pub applied: Applied,
    /// The whole report after the change, and the current diagnostics of the changed
    /// files.
    pub check: Update,
    /// The outline, only when it differs from the one last reported (diagnostics
    /// aside: the outline does not show them). The first change always has it.
    pub outline: Option<Outline>,
    /// Why the search index could not be brought up to date, if it could not (the
    /// change itself stands; the next sync tries again).
    pub index_error: Option<SearchError>,
    /// What the search index's sync did, when there is an index and it was synced.
    pub indexed: Option<SyncStats>,
}

impl Session {
    /// A session that checks the whole course now (`lectern check --watch`), with the
    /// report of that check.
    pub fn start(loaded: &Loaded, renderer: &Renderer) -> (Session, Report) {
        let (live, report) = check::Live::start(loaded, renderer);
        let session = Session {
            check: Some((live, Some(report.clone()))),
            outline: None,
        };
        (session, report)
    }

    /// Step one: reads the changed files again and rebuilds the course in memory
    /// (`Loaded::apply`: the course then equals a fresh load). The only step that
    /// writes the course.
    pub fn apply(loaded: &mut Loaded, changes: &[FileChange]) -> Pending {
        Pending {
            applied: loaded.apply(changes),
        }
    }

    /// Step two, with the course as [`Session::apply`] left it: re-checks the changed
    /// files (and those whose text names a file that came or went), syncs `index` (only
    /// lessons whose content changed are indexed again), and compares the outline with
    /// the one last reported.
    pub fn settle(
        &mut self,
        loaded: &Loaded,
        renderer: &Renderer,
        pending: Pending,
        index: Option<&mut SearchIndex>,
    ) -> Change {
        let applied = pending.applied;
        let check = match &mut self.check {
            Some((live, report)) => {
                *report = None;
                live.update(loaded, renderer, &applied)
            }
            None => {
                // Never checked yet: the whole course now, which the change is part of.
                let report = self.report(loaded, renderer);
                let changed = of_files(report, &applied.files);
                Update {
                    totals: report.totals(),
                    changed,
                }
            }
        };
        // A change that reached no lesson leaves the index as it is.
        let synced = index
            .filter(|_| !applied.is_empty())
            .map(|i| i.sync(loaded));
        let (indexed, index_error) = match synced {
            Some(Ok(stats)) => (Some(stats), None),
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        let outline = self.outline_if_changed(loaded);
        Change {
            applied,
            check,
            outline,
            index_error,
            indexed,
        }
    }

    /// The report of the whole course, as `lectern check` prints it: checked on the
    /// first call, then kept current by [`Session::settle`].
    pub fn report(&mut self, loaded: &Loaded, renderer: &Renderer) -> &Report {
        let (live, report) = self.checked(loaded, renderer);
        report.get_or_insert_with(|| live.report(loaded))
    }

    /// The kept check, made (the whole course checked) on the first call.
    fn checked(
        &mut self,
        loaded: &Loaded,
        renderer: &Renderer,
    ) -> &mut (check::Live, Option<Report>) {
        self.check.get_or_insert_with(|| {
            let (live, report) = check::Live::start(loaded, renderer);
            (live, Some(report))
        })
    }

    /// The current diagnostics of the course file `path` (relative, `/`-separated), as
    /// the whole report lists them, without making it (`check::Live::diagnostics_of`).
    pub fn file_problems(
        &mut self,
        loaded: &Loaded,
        renderer: &Renderer,
        path: &str,
    ) -> Vec<Diagnostic> {
        let (live, _) = self.checked(loaded, renderer);
        live.diagnostics_of(loaded, &[PathBuf::from(path)])
    }

    /// The outline, when it differs from the one last reported. Nothing is built or
    /// compared while the course's outline stamp is the one last seen (a change in place
    /// that left every entry as it was: the common save of a lesson's text), so a save's
    /// cost does not grow with the course; otherwise the outline is built and compared
    /// whole.
    fn outline_if_changed(&mut self, loaded: &Loaded) -> Option<Outline> {
        let stamp = loaded.outline_stamp();
        if self
            .outline
            .as_ref()
            .is_some_and(|(seen, _)| *seen == stamp)
        {
            return None;
        }
        let outline = loaded.course.outline(&loaded.diagnostics);
        let key = serde_json::to_string(&(
            &outline.title,
            &outline.description,
            outline.total_minutes,
            &outline.sections,
        ))
        .ok();
        let last = self.outline.take().map(|(_, json)| json);
        self.outline = key.clone().map(|json| (stamp, json));
        if key.is_some() && key == last {
            return None;
        }
        Some(outline)
    }
}

/// The diagnostics of `report` in `files` (relative, `/`-separated).
fn of_files(report: &Report, files: &[String]) -> Vec<Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| files.contains(&slash_path(&d.path)))
        .cloned()
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::course::Course;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn lesson(id: &str, title: &str, body: &str) -> String {
        format!("---\nid: {id}\ntitle: {title}\n---\n# {title}\n\n{body}\n")
    }

    fn fresh_check(dir: &Path) -> Report {
        check::check(&Course::load(dir), &Renderer::default())
    }

    /// A lazy session (as the app holds one) over a course of two lessons.
    fn course() -> (tempfile::TempDir, Loaded, Session) {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.md", &lesson("a", "A", "First."));
        write(dir.path(), "b.md", &lesson("b", "B", "See [a](a.md)."));
        let loaded = Course::load(dir.path());
        (dir, loaded, Session::default())
    }

    fn save(
        dir: &Path,
        loaded: &mut Loaded,
        session: &mut Session,
        (name, text): (&str, &str),
        index: Option<&mut SearchIndex>,
    ) -> Change {
        write(dir, name, text);
        let pending = Session::apply(loaded, &[FileChange::Lesson(name.into())]);
        session.settle(loaded, &Renderer::default(), pending, index)
    }

    #[test]
    fn the_outline_comes_with_the_first_change_and_then_only_when_it_changed() {
        let (dir, mut loaded, mut session) = course();
        let mut edit =
            |text: &str| save(dir.path(), &mut loaded, &mut session, ("a.md", text), None);
        let first = edit(&lesson("a", "A", "Edited."));
        assert_eq!(first.applied.changed, ["a"]);
        assert!(first.outline.is_some());
        // A body edit leaves the outline as it was.
        let body = edit(&lesson("a", "A", "Edited again."));
        assert!(body.outline.is_none());
        assert_eq!(body.applied.changed, ["a"]);
        // A new title changes it.
        let titled = edit(&lesson("a", "A new title", "Edited again."));
        let outline = titled.outline.unwrap();
        assert_eq!(outline.sections[0].lessons[0].title, "A new title");
    }

    #[test]
    fn a_rebuild_that_leaves_the_outline_as_it_was_reports_no_outline() {
        let (dir, mut loaded, mut session) = course();
        let renderer = Renderer::default();
        let first = save(
            dir.path(),
            &mut loaded,
            &mut session,
            ("a.md", &lesson("a", "A", "Edited.")),
            None,
        );
        assert!(first.outline.is_some());
        // Two files in one burst: the course is rebuilt (a new stamp), so the outline
        // is built and compared, and found the same.
        let mut burst = |b_title: &str| {
            write(dir.path(), "a.md", &lesson("a", "A", "Edited again."));
            write(dir.path(), "b.md", &lesson("b", b_title, "See [a](a.md)."));
            let stamp = loaded.outline_stamp();
            let changes = [
                FileChange::Lesson("a.md".into()),
                FileChange::Lesson("b.md".into()),
            ];
            let pending = Session::apply(&mut loaded, &changes);
            assert_ne!(loaded.outline_stamp(), stamp, "rebuilt");
            session.settle(&loaded, &renderer, pending, None)
        };
        assert!(burst("B").outline.is_none());
        let retitled = burst("B again").outline.unwrap();
        assert_eq!(retitled.sections[0].lessons[1].title, "B again");
    }

    #[test]
    fn the_check_after_each_change_equals_a_fresh_lectern_check() {
        let (dir, mut loaded, mut session) = course();
        let renderer = Renderer::default();
        assert_eq!(
            session.report(&loaded, &renderer).diagnostics,
            fresh_check(dir.path()).diagnostics
        );
        // A broken front matter: the lesson stays in the course marked broken, its
        // error is counted and listed with its source line.
        let broken = ("a.md", "---\nid: a\ntitle: \"A\n---\n");
        let change = save(dir.path(), &mut loaded, &mut session, broken, None);
        assert_eq!(change.applied.changed, ["a"]);
        assert!(change.outline.is_some());
        assert!(loaded.course.lesson("a").is_some_and(|l| l.broken));
        let totals = change.check.totals;
        assert_eq!((totals.lessons, totals.errors), (2, 1));
        let fresh = fresh_check(dir.path());
        assert_eq!(totals, fresh.totals());
        assert_eq!(
            session.report(&loaded, &renderer).diagnostics,
            fresh.diagnostics
        );
        assert_eq!(change.check.changed.len(), 1);
        let shown = session.file_problems(&loaded, &renderer, "a.md");
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].code, "front-matter-syntax");
        assert_eq!(shown[0].snippet.as_deref(), Some("title: \"A"));
        // Fixed again: the kept report follows.
        let fixed = save(
            dir.path(),
            &mut loaded,
            &mut session,
            ("a.md", &lesson("a", "A", "Back.")),
            None,
        );
        assert_eq!(fixed.applied.changed, ["a"]);
        assert_eq!(session.report(&loaded, &renderer).errors, 0);
        assert!(session.file_problems(&loaded, &renderer, "a.md").is_empty());
    }

    #[test]
    fn a_change_before_the_first_check_settles_into_a_whole_check() {
        let (dir, mut loaded, mut session) = course();
        let broken = (
            "b.md",
            "---\nid: b\ntitle: B\n---\n# B\n\n![x](missing.png)\n",
        );
        let change = save(dir.path(), &mut loaded, &mut session, broken, None);
        let fresh = fresh_check(dir.path());
        assert_eq!(change.check.totals, fresh.totals());
        assert_eq!(
            session.report(&loaded, &Renderer::default()).diagnostics,
            fresh.diagnostics
        );
        let codes: Vec<&str> = change.check.changed.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["missing-image"]);
    }

    #[test]
    fn a_saved_listing_indexes_again_exactly_the_chapters_that_include_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        write(root, "book.toml", "[book]\ntitle = \"B\"\n");
        write(
            root,
            "src/SUMMARY.md",
            "- [A](a.md)\n- [B](b.md)\n- [C](c.md)\n",
        );
        for (name, body) in [
            ("a", "{{#include ../shared.rs}}"),
            ("b", "{{#include ../shared.rs}}"),
            ("c", "Nothing included."),
        ] {
            write(
                root,
                &format!("src/{name}.md"),
                &format!("# {name}\n\n{body}\n"),
            );
        }
        write(root, "shared.rs", "fn okapi() {}\n");
        let mut loaded = Course::load(root);
        let mut index = SearchIndex::in_memory().unwrap();
        index.sync(&loaded).unwrap();
        let mut session = Session::default();
        let mut apply = |change: FileChange, index: &mut SearchIndex| {
            let pending = Session::apply(&mut loaded, &[change]);
            session.settle(&loaded, &Renderer::default(), pending, Some(index))
        };
        write(root, "shared.rs", "fn zebra() {}\n");
        let change = apply(FileChange::File("shared.rs".into()), &mut index);
        assert_eq!(change.applied.changed, ["a", "b"]);
        let stats = change.indexed.unwrap();
        assert_eq!((stats.indexed, stats.unchanged, stats.removed), (2, 1, 0));
        let hits = index.query("zebra", 10).unwrap().results;
        let mut found: Vec<&str> = hits.iter().map(|h| h.lesson.as_str()).collect();
        found.sort_unstable();
        assert_eq!(found, ["a", "b"]);
        // A file no chapter includes: nothing is asked of the index.
        write(root, "notes.txt", "not included\n");
        let change = apply(FileChange::File("notes.txt".into()), &mut index);
        assert!(change.applied.is_empty());
        assert!(change.indexed.is_none() && change.index_error.is_none());
    }

    #[test]
    fn a_change_is_searchable_once_settled() {
        let (dir, mut loaded, mut session) = course();
        let mut index = SearchIndex::in_memory().unwrap();
        index.sync(&loaded).unwrap();
        assert!(index.query("okapi", 10).unwrap().results.is_empty());
        let text = lesson("a", "A", "The okapi hides.");
        let change = save(
            dir.path(),
            &mut loaded,
            &mut session,
            ("a.md", &text),
            Some(&mut index),
        );
        assert!(change.index_error.is_none());
        let hits = index.query("okapi", 10).unwrap().results;
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].lesson, "a");
    }
}
