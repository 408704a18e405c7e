//! Limits: pathological inputs finish in bounded time, too-deep nesting and oversized
//! bodies become error diagnostics instead of hangs or stack overflows.

use std::path::Path;
use std::time::{Duration, Instant};

use lectern::render::{render, RenderOptions};

/// Generous even for a debug build on a busy two-core machine: a quadratic blow-up on these
/// inputs takes minutes, linear work takes well under a second.
const BOUND: Duration = Duration::from_secs(20);

fn lesson_with(body: &str) -> lectern::lesson::Lesson {
    let text = format!("---\nid: p\ntitle: P\n---\n{body}");
    lectern::lesson::parse(Path::new("p.md"), text.as_bytes())
        .expect("lesson parses")
        .0
}

fn timed_render(body: &str) -> lectern::render::Rendered {
    let lesson = lesson_with(body);
    let ids = std::collections::HashMap::new();
    let start = Instant::now();
    let r = render(&lesson, &RenderOptions::new(Path::new("."), &ids));
    assert!(start.elapsed() < BOUND, "took {:?}", start.elapsed());
    r
}

fn check_pathological(unit: &str) {
    let r = timed_render(&unit.repeat(50_000));
    assert!(!r.html.contains("<script"));
}

#[test]
fn unclosed_angle_link_destinations_finish() {
    check_pathological("[a](<b");
}

#[test]
fn unclosed_footnote_references_finish() {
    check_pathological("[^");
}

#[test]
fn emphasis_runs_finish() {
    check_pathological("a***");
}

#[test]
fn fifty_thousand_quote_markers_are_a_nesting_error() {
    let r = timed_render(&">".repeat(50_000));
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert_eq!((d.code, d.line), ("nesting-too-deep", 5));
    assert!(d.is_error());
    assert!(d.column > 60, "{d:?}");
    assert!(
        r.html.starts_with("<div class=\"render-error\">"),
        "{}",
        r.html
    );
}

#[test]
fn deeply_nested_lists_are_a_nesting_error() {
    let body: String = (0..200)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    let r = timed_render(&body);
    assert_eq!(r.diagnostics[0].code, "nesting-too-deep");
}

#[test]
fn nesting_within_the_limit_renders() {
    let r = timed_render(&format!("{} deep\n", ">".repeat(60)));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.html.matches("<blockquote>").count(), 60);
}

#[test]
fn many_links_and_brackets_finish() {
    check_pathological("[");
    check_pathological("](");
    check_pathological("*a ");
    check_pathological("<a ");
    check_pathological("$x");
}

#[test]
fn an_oversized_body_is_an_error_not_a_render() {
    let mut lesson = lesson_with("small\n");
    lesson
        .text
        .push_str(&"x".repeat(lectern::lesson::MAX_LESSON_BYTES as usize + 1));
    let ids = std::collections::HashMap::new();
    let r = render(&lesson, &RenderOptions::new(Path::new("."), &ids));
    assert_eq!(r.diagnostics[0].code, "file-too-large");
    assert!(r.html.contains("render-error"));
}

#[test]
fn deep_formulas_are_refused_without_overflowing_the_stack() {
    let r = timed_render(&format!(
        "${}$ and ${}x{}$\n",
        "\\frac".repeat(400),
        "{".repeat(1000),
        "}".repeat(1000)
    ));
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["math-syntax", "math-syntax"]);
}

#[test]
fn deeply_nested_raw_html_is_refused_before_the_sanitizer_sees_it() {
    // html5ever checks element scope by walking its open-element stack: 20,000 nested
    // `<div>`s took it 12 s in a debug build before this limit.
    for unit in ["<div>", "<span>", "<b>", "<section><blockquote>"] {
        let r = timed_render(&format!("{}x\n", unit.repeat(20_000)));
        assert_eq!(r.diagnostics[0].code, "nesting-too-deep", "{unit}");
        assert!(r.html.contains("render-error"));
    }
}

#[test]
fn flat_raw_html_in_bulk_still_renders() {
    for unit in [
        "<b>x</b>",
        "<p>x",
        "<li>x",
        "<br>",
        "<div></div>",
        "<img src=x>",
    ] {
        let r = timed_render(&format!("{}x\n", unit.repeat(20_000)));
        let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.is_empty(), "{unit}: {codes:?}");
        super::assert_inert(&r.html);
    }
}
