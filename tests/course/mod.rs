//! Loading whole fixture courses: order, sections, and one diagnostic per broken file.

mod parallel;

use std::path::PathBuf;

use lectern::course::Course;
use lectern::diagnostic::{Diagnostic, Severity};

use crate::support::fixture;

fn codes(d: &[Diagnostic]) -> Vec<(String, &'static str)> {
    d.iter()
        .map(|d| (d.path.to_string_lossy().replace('\\', "/"), d.code))
        .collect()
}

#[test]
fn good_course_loads_in_order_with_sections_from_course_yaml() {
    let (_tmp, dir) = fixture("course/good");
    let loaded = Course::load(&dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let c = &loaded.course;
    assert_eq!(c.title(), "Fixture Course");
    assert_eq!(c.description(), Some("A small course used by the tests."));
    let ids: Vec<&str> = c.lessons().iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["hello", "second", "third", "appendix"]);
    let sections: Vec<(&str, &str)> = c
        .sections()
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str()))
        .collect();
    // `deeper` has no title in course.yaml: its slug is title-cased. The lesson with no
    // section comes in a group of its own after the declared ones.
    assert_eq!(
        sections,
        [
            ("intro", "Getting Started"),
            ("deeper", "Deeper"),
            ("", "Lessons")
        ]
    );
    assert_eq!(c.total_minutes(), 20 + 70 + 45);
    assert_eq!(
        c.lesson("second").map(|l| l.path.clone()),
        Some(PathBuf::from("basics/second.md"))
    );
    assert_eq!(
        c.lesson("appendix").map(|l| l.kind.as_str()),
        Some("reference")
    );
}

#[test]
fn broken_course_gives_one_error_per_broken_file_and_keeps_the_good_lesson_and_the_broken_front_matters(
) {
    let (_tmp, dir) = fixture("course/broken");
    let loaded = Course::load(&dir);
    let ids: Vec<(&str, bool)> = loaded
        .course
        .lessons()
        .iter()
        .map(|l| (l.id.as_str(), l.broken))
        .collect();
    // A file whose front matter's syntax or a value's type failed stays, broken, under
    // the id its lines still say; the other failures leave no lesson.
    assert_eq!(
        ids,
        [("good", false), ("bad-yaml", true), ("bad-order", true)]
    );
    let got = codes(&loaded.diagnostics);
    let expected = [
        ("bad-id.md", "invalid-id"),
        ("bad-order.md", "front-matter-type"),
        ("bad-yaml.md", "front-matter-syntax"),
        ("invalid-utf8.md", "invalid-utf8"),
        ("missing-id.md", "missing-id"),
        ("missing-title.md", "missing-title"),
        ("no-front-matter.md", "front-matter-missing"),
        ("unterminated.md", "front-matter-unterminated"),
    ];
    let expected: Vec<(String, &str)> = expected.iter().map(|(p, c)| (p.to_string(), *c)).collect();
    assert_eq!(got, expected);
    assert!(loaded
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Error));
}

#[test]
fn broken_files_are_located_at_the_offending_line_and_column() {
    let (_tmp, dir) = fixture("course/broken");
    let loaded = Course::load(&dir);
    let at = |path: &str| {
        let d = loaded
            .diagnostics
            .iter()
            .find(|d| d.path == std::path::Path::new(path))
            .unwrap_or_else(|| panic!("no diagnostic for {path}"));
        (d.line, d.column)
    };
    assert_eq!(at("bad-id.md"), (2, 5));
    assert_eq!(at("bad-order.md"), (4, 8));
    assert_eq!(at("bad-yaml.md").0, 3);
    assert_eq!(at("invalid-utf8.md"), (3, 11));
    assert_eq!(at("no-front-matter.md"), (1, 1));
}

#[test]
fn oversized_lesson_is_one_diagnostic_and_the_rest_loads() {
    let (_tmp, dir) = fixture("course/good");
    let mut big = b"---\nid: big\ntitle: Big\n---\n".to_vec();
    big.resize(2 * 1024 * 1024 + 10, b'a');
    std::fs::write(dir.join("big.md"), big).unwrap();
    let loaded = Course::load(&dir);
    assert_eq!(
        codes(&loaded.diagnostics),
        [("big.md".to_string(), "file-too-large")]
    );
    assert_eq!(loaded.course.lessons().len(), 4);
}

#[test]
fn duplicate_ids_are_an_error_naming_both_files() {
    let (_tmp, dir) = fixture("course/duplicate-ids");
    let loaded = Course::load(&dir);
    let dups: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "duplicate-id")
        .collect();
    assert_eq!(dups.len(), 1, "{:?}", loaded.diagnostics);
    assert_eq!(dups[0].path, PathBuf::from("sub/b.md"));
    assert!(dups[0].message.contains("`a.md`"), "{}", dups[0].message);
    assert!(dups[0].is_error());
    assert_eq!(
        loaded.course.lesson("same").map(|l| l.title.as_str()),
        Some("First Copy")
    );
    assert!(loaded.course.lesson("other").is_some());
}

#[test]
fn link_cycle_is_a_warning_and_the_course_still_loads() {
    let (_tmp, dir) = fixture("course/cycle");
    let loaded = Course::load(&dir);
    let cycle: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "link-cycle")
        .collect();
    assert_eq!(cycle.len(), 1, "{:?}", loaded.diagnostics);
    assert_eq!(cycle[0].severity, Severity::Warning);
    assert!(cycle[0].message.contains("one → two → three → one"));
    assert_eq!(loaded.course.lessons().len(), 3);
}

#[test]
fn crlf_and_bom_lessons_load_cleanly() {
    let (_tmp, dir) = fixture("course/crlf-bom");
    let raw = std::fs::read(dir.join("windows.md")).unwrap();
    assert!(raw.starts_with(b"\xef\xbb\xbf") && raw.windows(2).any(|w| w == b"\r\n"));
    let loaded = Course::load(&dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let l = &loaded.course.lessons()[0];
    assert_eq!(
        (l.id.as_str(), l.title.as_str(), l.duration_minutes),
        ("windows", "Written on Windows", Some(15))
    );
    assert!(!l.body().contains('\r'));
}

#[test]
fn misspelled_key_warns_with_a_suggestion_at_its_line() {
    let (_tmp, dir) = fixture("course/misspelled-key");
    let loaded = Course::load(&dir);
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    let d = &loaded.diagnostics[0];
    assert_eq!((d.code, d.line, d.column), ("unknown-key", 5, 1));
    assert_eq!(
        d.message,
        "unknown key `prevLessonID` (did you mean `prevLessonId`?)"
    );
}

#[cfg(unix)]
#[test]
fn symlink_leading_out_of_the_folder_is_skipped_with_a_warning() {
    let (tmp, dir) = fixture("course/good");
    let outside = tmp.path().join("outside.md");
    std::fs::write(&outside, "---\nid: outside\ntitle: Outside\n---\n").unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("escape.md")).unwrap();
    let loaded = Course::load(&dir);
    assert!(loaded.course.lesson("outside").is_none());
    assert_eq!(
        codes(&loaded.diagnostics),
        [("escape.md".to_string(), "path-escape")]
    );
}

#[test]
fn a_front_matter_typo_keeps_the_lesson_in_the_outline_marked_broken_and_is_the_only_problem() {
    let (_tmp, dir) = fixture("course/typo");
    let loaded = Course::load(&dir);
    let outline = loaded.course.outline(&loaded.diagnostics);
    let lessons: Vec<(&str, &str, bool)> = outline
        .sections
        .iter()
        .flat_map(|s| &s.lessons)
        .map(|l| (l.id.as_str(), l.title.as_str(), l.broken))
        .collect();
    assert_eq!(
        lessons,
        [
            ("embeddings", "Embeddings", false),
            ("attention", "Attention", true),
            ("transformers", "Transformers", false),
        ]
    );
    // The typo is reported on its own line, at the bracket; links to the lesson still
    // resolve, so nothing else is reported.
    let report = lectern::check::check(&loaded, &lectern::render::Renderer::default());
    let found: Vec<(String, u32, u32, &str)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.path.to_string_lossy().into_owned(),
                d.line,
                d.column,
                d.code,
            )
        })
        .collect();
    assert_eq!(
        found,
        [("attention.md".to_owned(), 3, 8, "front-matter-syntax")]
    );
    let json = serde_json::to_value(&outline).unwrap();
    let listed = &json["sections"][0]["lessons"];
    assert_eq!(listed[1]["broken"], serde_json::json!(true));
    assert!(
        listed[0].get("broken").is_none(),
        "only broken lessons say so"
    );
}
