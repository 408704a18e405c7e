//! One check of a whole course: everything `lectern check` reports, for the CLI and the
//! app's Problems panel alike.
//!
//! Loading already reports problems in files and front matter; rendering and the quiz
//! parser find the rest (bad links, math, broken questions). This module is the one
//! place that puts them together, so the app can never show fewer problems than the CLI.

use serde::Serialize;

use std::collections::BTreeMap;
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
#[derive(Debug, Default)]
pub struct Live {
    by_file: BTreeMap<PathBuf, Vec<Diagnostic>>,
}

/// What an update found.
#[derive(Clone, Debug, Serialize)]
pub struct Update {
    /// The whole course's report after the change.
    pub report: Report,
    /// The current diagnostics of the files that changed (sorted).
    pub changed: Vec<Diagnostic>,
}

impl Live {
    /// Checks the whole course once.
    pub fn start(loaded: &Loaded, renderer: &Renderer) -> (Live, Report) {
        let course = &loaded.course;
        let found = lessons_diagnostics(renderer, course);
        let live = Live {
            by_file: course
                .lessons()
                .iter()
                .map(|l| l.path.clone())
                .zip(found)
                .collect(),
        };
        let report = live.report(loaded);
        (live, report)
    }

    /// Brings the check up to date with `applied` (what `Loaded::apply` returned).
    pub fn update(&mut self, loaded: &Loaded, renderer: &Renderer, applied: &Applied) -> Update {
        if applied.rescanned {
            let (fresh, report) = Live::start(loaded, renderer);
            *self = fresh;
            let changed = report.diagnostics.clone();
            return Update { report, changed };
        }
        let files: Vec<PathBuf> = applied.files.iter().map(PathBuf::from).collect();
        let mut again: Vec<PathBuf> = files.clone();
        if !applied.removed.is_empty() || self.added(loaded, &files) {
            again.extend(self.naming(loaded, &files));
        }
        for path in &again {
            self.check_lesson(loaded, renderer, path);
        }
        let report = self.report(loaded);
        let changed = report
            .diagnostics
            .iter()
            .filter(|d| files.contains(&d.path))
            .cloned()
            .collect();
        Update { report, changed }
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
            self.by_file.remove(path);
            return;
        };
        let options = RenderOptions::new(course.root(), course.lesson_ids_by_path());
        let found = lesson_diagnostics(renderer, &options, lesson);
        self.by_file.insert(path.to_path_buf(), found);
    }

    fn report(&self, loaded: &Loaded) -> Report {
        let mut diagnostics = loaded.diagnostics.clone();
        diagnostics.extend(self.by_file.values().flatten().cloned());
        finish(loaded.course.lessons().len(), diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
