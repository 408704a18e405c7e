//! `lectern render FILE [--dir DIR] [--standalone]`.

use crate::support::{fixture, lectern};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn render_prints_the_body_with_highlighting_diagrams_and_no_knowledge_check() {
    let (tmp, _dir) = fixture("render/seedlike");
    let o = lectern(&["render", "seedlike/lesson.md"], tmp.path());
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(out.starts_with("<h1 id=\"tokenizers-from-characters-to-subwords\">"));
    assert!(out.contains("<figure class=\"code\" data-lang=\"python\">"));
    assert!(out.contains("<span class=\"hl-"));
    assert!(out.contains("└──────────────┘"));
    assert_eq!(out.matches("<table>").count(), 2);
    assert!(!out.contains("Knowledge Check"));
    assert!(!out.contains("<html"));
}

#[test]
fn render_standalone_prints_a_whole_page_without_script() {
    let (tmp, dir) = fixture("render/features");
    let o = lectern(&["render", "--standalone", "lesson.md"], &dir);
    let page = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("<title>Every Feature</title>"));
    assert!(page.contains(":root[data-theme=\"dark\"] .hl-"));
    assert!(page.contains("@media (prefers-color-scheme: dark)"));
    assert!(page.contains("<nav class=\"toc\""));
    assert!(
        page.contains("src=\"data:image/png;base64,"),
        "image embedded"
    );
    assert!(!page.to_ascii_lowercase().contains("<script"));
    // Warnings go to stderr, as in `lectern check`.
    let err = text(&o.stderr);
    assert!(
        err.contains("lesson.md:24:27: warning[math-syntax]"),
        "{err}"
    );
    drop(tmp);
}

#[test]
fn render_resolves_links_against_the_given_folder() {
    let (tmp, _dir) = fixture("render/features");
    let o = lectern(
        &["render", "features/sub/third.md", "--dir", "features"],
        tmp.path(),
    );
    let out = text(&o.stdout);
    assert!(out.contains("data-lesson=\"features\""), "{out}");
    assert!(text(&o.stderr).contains("warning[path-escape]"));
}

#[test]
fn render_refuses_a_file_outside_the_folder() {
    let (tmp, _dir) = fixture("render/features");
    let o = lectern(
        &["render", "features/lesson.md", "--dir", "features/sub"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("is not inside the lessons folder"));
}

#[test]
fn check_reports_render_diagnostics() {
    let (tmp, _dir) = fixture("render/features");
    let o = lectern(&["check", "features"], tmp.path());
    let out = text(&o.stdout);
    assert!(
        out.contains("features/lesson.md:24:27: warning[math-syntax]"),
        "{out}"
    );
    assert!(out.contains("warning[missing-lesson-link]"));
}
