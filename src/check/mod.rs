//! One check of a whole course: everything `lectern check` reports, for the CLI and the
//! app's Problems panel alike.
//!
//! Loading already reports problems in files and front matter; rendering and the quiz
//! parser find the rest (bad links, math, broken questions). This module is the one
//! place that puts them together, so the app can never show fewer problems than the CLI.

use serde::Serialize;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

mod cache;

pub use cache::{cache_path, CacheUse};

use rayon::prelude::*;

use crate::course::{Applied, Course, Loaded};
use crate::diagnostic::{self, Diagnostic};
use crate::lesson::Lesson;
use crate::render::{RenderOptions, Renderer};

/// Every diagnostic of a course, sorted, with its counts. Serializes to the documented
/// `lectern check --json` contract: `{lessons, errors, warnings, diagnostics}`.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// How many lessons the course holds (files that loaded).
    pub lessons: usize,
    /// How many diagnostics are errors.
    pub errors: usize,
    /// How many diagnostics are warnings.
    pub warnings: usize,
    /// Every diagnostic, sorted by path, line, column and code; at most
    /// [`diagnostic::MAX_PER_FILE`] per file, then a `too-many-diagnostics` warning (the
    /// counts above include the ones left out, and that warning).
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks the loaded course: its load diagnostics plus what rendering and the quiz
/// parser find in each lesson. Linear in the course: each lesson is rendered once
/// (highlighted code comes from `renderer`'s cache when it has been seen). The lessons
/// are checked on every core at once (each lesson's diagnostics depend on it and the
/// course alone; the renderer's caches are shared behind locks); the report is the same
/// as checking them one by one, since the diagnostics are kept in lesson order and then
/// sorted.
pub fn check(loaded: &Loaded, renderer: &Renderer) -> Report {
    let course = &loaded.course;
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(lessons_diagnostics(renderer, course).into_iter().flatten());
    finish(course.lessons().len(), diagnostics)
}

/// [`check`] with each lesson's rendering and quiz diagnostics taken from the cache file
/// `cache` (see [`cache_path`]) when they are current, and the file brought up to date:
/// the same report as [`check`], whatever the file holds (a damaged or stale one is
/// rewritten); [`CacheUse`] says how many lessons were checked again.
pub fn check_cached(loaded: &Loaded, renderer: &Renderer, cache: &Path) -> (Report, CacheUse) {
    let (found, used) = cache::lessons_diagnostics(renderer, loaded, cache);
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(found.into_iter().flatten());
    (finish(loaded.course.lessons().len(), diagnostics), used)
}

/// The diagnostics of each lesson of `course`, in lesson order, found in parallel.
fn lessons_diagnostics(renderer: &Renderer, course: &Course) -> Vec<Vec<Diagnostic>> {
    let options = RenderOptions::new(course.root(), course.lesson_ids_by_path());
    course
        .lessons()
        .par_iter()
        .map(|lesson| lesson_diagnostics(renderer, &options, lesson))
        .collect()
}

/// What rendering and the quiz parser find in one lesson, each diagnostic at the file
/// and line its text came from (an included file's, when a directive put it there).
fn lesson_diagnostics(
    renderer: &Renderer,
    options: &RenderOptions<'_>,
    lesson: &Lesson,
) -> Vec<Diagnostic> {
    let (mut found, quiz) = renderer.check_finding_quiz(lesson, options);
    found.extend(match quiz {
        Some(spans) => crate::quiz::diagnostics_in(lesson, spans),
        None => crate::quiz::diagnostics(lesson),
    });
    if lesson.sources.is_some() {
        for d in found.iter_mut().filter(|d| d.path == lesson.path) {
            (d.path, d.line) = lesson.origin(d.line);
        }
    }
    found
}

/// Sorts, counts (before the listing is cut short, so totals include every problem)
/// and limits the listing per file.
fn finish(lessons: usize, mut diagnostics: Vec<Diagnostic>) -> Report {
    diagnostic::sort(&mut diagnostics);
    // Counted before listing is cut short, so the totals include every problem.
    let (errors, warnings) = diagnostic::count(&diagnostics);
    let diagnostics = diagnostic::limit_per_file(diagnostics);
    let summaries = diagnostics
        .iter()
        .filter(|d| d.code == "too-many-diagnostics")
        .count();
    Report {
        lessons,
        errors,
        warnings: warnings + summaries,
        diagnostics,
    }
}

/// A check kept current while the course changes (`lectern check --watch`, the app's
/// live preview): rendering and quiz diagnostics are kept per file, and an update
/// checks again only the files that changed and those whose text names one that was
/// added or removed (their links may have started or stopped resolving).
///
/// An update costs what the changed files' diagnostics cost, not the course's: the
/// totals come from per-path counts kept beside the diagnostics ([`PathCount`]), and
/// the changed files' listing is put together from the lessons whose diagnostics name
/// them. The whole sorted report is built only when asked for ([`Live::report`]).
#[derive(Debug, Default)]
pub struct Live {
    /// Each lesson's diagnostics, by the lesson's path (a diagnostic's own path may be
    /// another file: an include's).
    by_file: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// For each path `by_file`'s diagnostics name: how many, and in which lessons.
    by_path: HashMap<PathBuf, PathCount>,
}

/// The diagnostics of the lessons naming one path.
#[derive(Debug, Default)]
struct PathCount {
    errors: usize,
    warnings: usize,
    /// The lessons whose diagnostics name the path, with how many each.
    lessons: BTreeMap<PathBuf, usize>,
}

/// A report's counts without its listing: what an update carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// How many lessons the course holds.
    pub lessons: usize,
    /// How many diagnostics are errors.
    pub errors: usize,
    /// How many are warnings (with each `too-many-diagnostics` summary), as
    /// [`Report::warnings`] counts them.
    pub warnings: usize,
}

impl Report {
    /// The report's counts.
    pub fn totals(&self) -> Totals {
        Totals {
            lessons: self.lessons,
            errors: self.errors,
            warnings: self.warnings,
        }
    }
}

/// What an update found.
#[derive(Clone, Debug, Serialize)]
pub struct Update {
    /// The whole course's counts after the change.
    pub totals: Totals,
    /// The current diagnostics of the files that changed (sorted), as the whole report
    /// lists them.
    pub changed: Vec<Diagnostic>,
}

impl Live {
    /// Checks the whole course once.
    pub fn start(loaded: &Loaded, renderer: &Renderer) -> (Live, Report) {
        let course = &loaded.course;
        let found = lessons_diagnostics(renderer, course);
        let mut live = Live::default();
        for (lesson, diagnostics) in course.lessons().iter().zip(found) {
            live.set(lesson.path.clone(), Some(diagnostics));
        }
        let report = live.report(loaded);
        (live, report)
    }

    /// Brings the check up to date with `applied` (what `Loaded::apply` returned).
    pub fn update(&mut self, loaded: &Loaded, renderer: &Renderer, applied: &Applied) -> Update {
        if applied.rescanned {
            let (fresh, report) = Live::start(loaded, renderer);
            *self = fresh;
            let totals = report.totals();
            let changed = report.diagnostics;
            return Update { totals, changed };
        }
        let files: Vec<PathBuf> = applied.files.iter().map(PathBuf::from).collect();
        let mut again: Vec<PathBuf> = files.clone();
        if !applied.removed.is_empty() || self.added(loaded, &files) {
            again.extend(self.naming(loaded, &files));
        }
        for path in &again {
            self.check_lesson(loaded, renderer, path);
        }
        Update {
            totals: self.totals(loaded),
            changed: self.diagnostics_of(loaded, &files),
        }
    }

    /// The whole report, as [`check`] makes it: every diagnostic, sorted and limited.
    pub fn report(&self, loaded: &Loaded) -> Report {
        let mut diagnostics = loaded.diagnostics.clone();
        diagnostics.extend(self.by_file.values().flatten().cloned());
        finish(loaded.course.lessons().len(), diagnostics)
    }

    /// The report's counts, from the per-path counts: linear in the paths named, with no
    /// diagnostic copied or sorted.
    pub fn totals(&self, loaded: &Loaded) -> Totals {
        let mut from_load: HashMap<&Path, (usize, usize)> = HashMap::new();
        for d in &loaded.diagnostics {
            let (errors, warnings) = from_load.entry(&d.path).or_default();
            *if d.is_error() { errors } else { warnings } += 1;
        }
        let mut totals = Totals {
            lessons: loaded.course.lessons().len(),
            ..Totals::default()
        };
        let mut add = |errors: usize, warnings: usize| {
            totals.errors += errors;
            // A file listed short ends with a summary, itself counted as a warning.
            let summary = usize::from(errors + warnings > diagnostic::MAX_PER_FILE);
            totals.warnings += warnings + summary;
        };
        for (path, count) in &self.by_path {
            let (errors, warnings) = from_load.remove(path.as_path()).unwrap_or_default();
            add(count.errors + errors, count.warnings + warnings);
        }
        for (errors, warnings) in from_load.into_values() {
            add(errors, warnings);
        }
        totals
    }

    /// The diagnostics of `files` (course-relative paths) as the whole report lists
    /// them, put together from the load's and those of the lessons naming each file.
    pub fn diagnostics_of(&self, loaded: &Loaded, files: &[PathBuf]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut files: Vec<&PathBuf> = files.iter().collect();
        files.sort();
        files.dedup();
        for file in files {
            let mut found: Vec<Diagnostic> = loaded
                .diagnostics
                .iter()
                .filter(|d| &d.path == file)
                .cloned()
                .collect();
            let lessons = self.by_path.get(file).map(|c| c.lessons.keys());
            for lesson in lessons.into_iter().flatten() {
                let named = self.by_file.get(lesson).into_iter().flatten();
                found.extend(named.filter(|d| &d.path == file).cloned());
            }
            diagnostic::sort(&mut found);
            out.extend(diagnostic::limit_per_file(found));
        }
        out
    }

    fn added(&self, loaded: &Loaded, files: &[PathBuf]) -> bool {
        files.iter().any(|f| {
            !self.by_file.contains_key(f) && loaded.course.lesson_ids_by_path().contains_key(f)
        })
    }

    /// Lessons whose text names one of `files` (by file stem): their links may change.
    fn naming(&self, loaded: &Loaded, files: &[PathBuf]) -> Vec<PathBuf> {
        let stems: Vec<String> = files
            .iter()
            .filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect();
        loaded
            .course
            .lessons()
            .iter()
            .filter(|l| stems.iter().any(|s| l.text.contains(s.as_str())))
            .map(|l| l.path.clone())
            .collect()
    }

    /// Checks one file again (or forgets it when it is no longer a lesson).
    fn check_lesson(&mut self, loaded: &Loaded, renderer: &Renderer, path: &Path) {
        let course = &loaded.course;
        let Some(lesson) = course
            .lesson_ids_by_path()
            .get(path)
            .and_then(|id| course.lesson(id))
        else {
            self.set(path.to_path_buf(), None);
            return;
        };
        let options = RenderOptions::new(course.root(), course.lesson_ids_by_path());
        let found = lesson_diagnostics(renderer, &options, lesson);
        self.set(path.to_path_buf(), Some(found));
    }

    /// Replaces the diagnostics of the lesson at `lesson` (`None`: it is gone), keeping
    /// the per-path counts true.
    fn set(&mut self, lesson: PathBuf, found: Option<Vec<Diagnostic>>) {
        for d in self.by_file.remove(&lesson).into_iter().flatten() {
            let Some(count) = self.by_path.get_mut(&d.path) else {
                continue;
            };
            *if d.is_error() {
                &mut count.errors
            } else {
                &mut count.warnings
            } -= 1;
            if let Some(n) = count.lessons.get_mut(&lesson) {
                *n -= 1;
                if *n == 0 {
                    count.lessons.remove(&lesson);
                }
            }
            if count.lessons.is_empty() {
                self.by_path.remove(&d.path);
            }
        }
        let Some(found) = found else {
            return;
        };
        for d in &found {
            let count = self.by_path.entry(d.path.clone()).or_default();
            *if d.is_error() {
                &mut count.errors
            } else {
                &mut count.warnings
            } += 1;
            *count.lessons.entry(lesson.clone()).or_default() += 1;
        }
        self.by_file.insert(lesson, found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::FileChange;

    fn write(dir: &std::path::Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn check_reports_load_render_and_quiz_problems_sorted_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        // A Lectern course: its lint (`duration-format`) is checked strictly.
        write(dir.path(), "course.yaml", "title: T\n");
        write(
            dir.path(),
            "a.md",
            "---\nid: a\ntitle: A\n---\n# A\n\n![x](missing.png)\n",
        );
        write(
            dir.path(),
            "b.md",
            "---\nid: b\ntitle: B\nduration: soon\n---\n# B\n\n## Knowledge Check\n\n1. Lonely?\n   - Only one\n",
        );
        let loaded = Course::load(dir.path());
        let report = check(&loaded, &Renderer::default());
        let codes: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| (d.path.to_string_lossy().into_owned(), d.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("a.md".to_owned(), "missing-image"),
                ("b.md".to_owned(), "duration-format"),
                ("b.md".to_owned(), "quiz-one-option"),
            ]
        );
        assert_eq!(report.lessons, 2);
        assert_eq!(
            (report.errors, report.warnings),
            diagnostic::count(&report.diagnostics)
        );
    }

    /// What one lesson's check is by definition: the render check and a full quiz parse,
    /// each on its own, at the files the text came from.
    fn reference(
        renderer: &Renderer,
        options: &RenderOptions<'_>,
        lesson: &Lesson,
    ) -> Vec<Diagnostic> {
        let mut found = renderer.check(lesson, options);
        found.extend(crate::quiz::parse(lesson).1);
        for d in found.iter_mut().filter(|d| d.path == lesson.path) {
            (d.path, d.line) = lesson.origin(d.line);
        }
        found
    }

    /// Lessons that take every path of a lesson's check: a second Knowledge Check, a
    /// body refused for nesting, noncharacters the renderer replaces, a quiz block, an
    /// include, duplicate and broken questions.
    fn tricky_course(dir: &std::path::Path) {
        write(dir, "course.yaml", "title: T\n");
        let quiz = "## Knowledge Check\n\n1. Same?\n   - Yes\n   - No\n\
                    2. Same?\n   - Yes\n   - No\n3. Lonely?\n   - One\n4. Typed [[]] blank?\n";
        write(dir, "a.md", &format!("---\nid: a\ntitle: A\n---\n# A\n\n[x](b.md) ![i](no.png)\n\n{quiz}\n## Quiz\n\n1. Again?\n   - A\n"));
        let deep = ">".repeat(80);
        write(
            dir,
            "b.md",
            &format!("---\nid: b\ntitle: B\n---\n# B\n\n{deep} deep\n\n{quiz}"),
        );
        write(
            dir,
            "c.md",
            &format!(
                "---\nid: c\ntitle: C\n---\n# C \u{FDD0}\n\n![j](gone.png) \u{FDD1}\n\n{quiz}"
            ),
        );
        write(dir, "part.txt", quiz);
        write(
            dir,
            "broken.toml",
            "[[questions]]\ntype = \"ShortAnswer\"\nprompt = [\n",
        );
        write(
            dir,
            "d.md",
            "---\nid: d\ntitle: D\n---\n# D\n\n{{#quiz broken.toml}}\n\n{{#include part.txt}}\n",
        );
    }

    #[test]
    fn a_lesson_check_equals_rendering_and_a_full_quiz_parse_on_every_fixture_course() {
        let mut courses = crate::course::every_fixture_course();
        let tricky = tempfile::tempdir().unwrap();
        tricky_course(tricky.path());
        courses.push(tricky.path().to_path_buf());
        let renderer = Renderer::default();
        let (mut lessons, mut codes) = (0, std::collections::BTreeSet::new());
        for dir in courses.iter().filter(|d| d.is_dir()) {
            let course = Course::load(dir).course;
            let options = RenderOptions::new(course.root(), course.lesson_ids_by_path());
            for lesson in course.lessons() {
                let found = lesson_diagnostics(&renderer, &options, lesson);
                assert_eq!(
                    found,
                    reference(&renderer, &options, lesson),
                    "{dir:?} {:?}",
                    lesson.path
                );
                lessons += 1;
                codes.extend(found.iter().map(|d| d.code));
            }
        }
        assert!(lessons > 100, "{lessons} lessons");
        for code in [
            "nesting-too-deep",
            "quiz-second-knowledge-check",
            "quiz-duplicate-question",
            "quiz-toml-syntax",
            "quiz-one-option",
            "quiz-blank-empty",
            "math-syntax",
        ] {
            assert!(codes.contains(code), "{code} not in {codes:?}");
        }
    }

    #[test]
    fn parallel_check_equals_checking_lessons_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..60 {
            write(
                dir.path(),
                &format!("l{i:02}.md"),
                &format!(
                    "---\nid: l{i}\ntitle: L{i}\n---\n# L\n\n![x](gone{i}.png) [n](l{}.md) $\\frac{{$\n\n\
                     ## Knowledge Check\n\n1. Lonely {i}?\n   - Only one\n",
                    (i + 7) % 80
                ),
            );
        }
        let loaded = Course::load(dir.path());
        let renderer = Renderer::default();
        let options = RenderOptions::new(dir.path(), loaded.course.lesson_ids_by_path());
        let mut one_by_one = loaded.diagnostics.clone();
        for lesson in loaded.course.lessons() {
            one_by_one.extend(lesson_diagnostics(&renderer, &options, lesson));
        }
        let expected = finish(loaded.course.lessons().len(), one_by_one);
        let report = check(&loaded, &renderer);
        assert!(report.diagnostics.len() >= 120, "{:?}", report.diagnostics);
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
        let (_, live) = Live::start(&loaded, &renderer);
        assert_eq!(
            serde_json::to_string(&live).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }

    /// What `live` says of `loaded` equals a fresh check: its counts, each file's
    /// listing, all files' listings together and the whole report.
    fn assert_live_is_a_fresh_check(live: &Live, loaded: &Loaded, renderer: &Renderer) {
        let fresh = check(loaded, renderer);
        assert_eq!(live.totals(loaded), fresh.totals());
        let mut paths: Vec<PathBuf> = fresh.diagnostics.iter().map(|d| d.path.clone()).collect();
        paths.dedup();
        assert_eq!(live.diagnostics_of(loaded, &paths), fresh.diagnostics);
        for path in paths {
            let listed: Vec<Diagnostic> = fresh
                .diagnostics
                .iter()
                .filter(|d| d.path == path)
                .cloned()
                .collect();
            assert_eq!(live.diagnostics_of(loaded, &[path]), listed);
        }
        assert_eq!(
            serde_json::to_string(&live.report(loaded)).unwrap(),
            serde_json::to_string(&fresh).unwrap()
        );
    }

    #[test]
    fn live_counts_and_file_listings_equal_a_fresh_check_on_every_fixture_course() {
        let mut courses = crate::course::every_fixture_course();
        let tricky = tempfile::tempdir().unwrap();
        tricky_course(tricky.path());
        courses.push(tricky.path().to_path_buf());
        let renderer = Renderer::default();
        for dir in courses {
            let loaded = Course::load(&dir);
            let (live, _) = Live::start(&loaded, &renderer);
            assert_live_is_a_fresh_check(&live, &loaded, &renderer);
        }
    }

    /// A lesson with `n` missing images: `n` warnings in its file.
    fn images(id: &str, n: usize) -> String {
        let body: String = (0..n).map(|i| format!("![x](gone{i}.png)\n\n")).collect();
        format!("---\nid: {id}\ntitle: {id}\n---\n# {id}\n\n{body}")
    }

    #[test]
    fn live_updates_keep_counts_and_listings_of_cut_short_files_and_shared_includes_true() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        let shared = "{{#include part.txt}}\n";
        write(path, "part.txt", "![p](gone.png) $\\frac{$\n");
        write(path, "big.md", &images("big", diagnostic::MAX_PER_FILE + 5));
        write(
            path,
            "a.md",
            &format!("---\nid: a\ntitle: A\n---\n# A\n\n{shared}"),
        );
        write(
            path,
            "b.md",
            &format!("---\nid: b\ntitle: B\n---\n# B\n\n{shared}"),
        );
        write(path, "c.md", "---\nid: c\ntitle: \"C\n---\n");
        let renderer = Renderer::default();
        let mut loaded = Course::load(path);
        let (mut live, report) = Live::start(&loaded, &renderer);
        assert!(report
            .diagnostics
            .iter()
            .any(|d| d.code == "too-many-diagnostics"));
        assert!(report
            .diagnostics
            .iter()
            .any(|d| d.path == Path::new("part.txt")));
        assert_live_is_a_fresh_check(&live, &loaded, &renderer);
        let edits: [(&str, Option<String>); 5] = [
            ("big.md", Some(images("big", 3))),
            ("big.md", Some(images("big", diagnostic::MAX_PER_FILE + 1))),
            ("part.txt", Some("Fine now.\n".to_owned())),
            ("c.md", Some(images("c", 1))),
            ("b.md", None),
        ];
        for (name, text) in edits {
            match &text {
                Some(text) => write(path, name, text),
                None => std::fs::remove_file(path.join(name)).unwrap(),
            }
            let change = if name.starts_with("part") {
                FileChange::File(name.into())
            } else {
                FileChange::Lesson(name.into())
            };
            let applied = loaded.apply(&[change]);
            let update = live.update(&loaded, &renderer, &applied);
            assert_live_is_a_fresh_check(&live, &loaded, &renderer);
            let fresh = check(&loaded, &renderer);
            assert_eq!(update.totals, fresh.totals(), "after {name}");
            let files: Vec<PathBuf> = applied.files.iter().map(PathBuf::from).collect();
            let listed: Vec<Diagnostic> = fresh
                .diagnostics
                .into_iter()
                .filter(|d| files.contains(&d.path))
                .collect();
            assert_eq!(update.changed, listed, "after {name}");
        }
    }
}
