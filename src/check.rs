//! One check of a whole course: everything `lectern check` reports, for the CLI and the
//! app's Problems panel alike.
//!
//! Loading already reports problems in files and front matter; rendering and the quiz
//! parser find the rest (bad links, math, broken questions). This module is the one
//! place that puts them together, so the app can never show fewer problems than the CLI.

use serde::Serialize;

use crate::course::Loaded;
use crate::diagnostic::{self, Diagnostic};
use crate::render::Renderer;

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
/// (highlighted code comes from `renderer`'s cache when it has been seen).
pub fn check(loaded: &Loaded, renderer: &Renderer) -> Report {
    let course = &loaded.course;
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(crate::quiz::check_course(course));
    diagnostics.extend(crate::render::check_course_with(renderer, course));
    diagnostic::sort(&mut diagnostics);
    // Counted before listing is cut short, so the totals include every problem.
    let (errors, warnings) = diagnostic::count(&diagnostics);
    let diagnostics = diagnostic::limit_per_file(diagnostics);
    let summaries = diagnostics
        .iter()
        .filter(|d| d.code == "too-many-diagnostics")
        .count();
    Report {
        lessons: course.lessons().len(),
        errors,
        warnings: warnings + summaries,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::Course;

    fn write(dir: &std::path::Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn check_reports_load_render_and_quiz_problems_sorted_and_counted() {
        let dir = tempfile::tempdir().unwrap();
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
}
