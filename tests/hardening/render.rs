//! Rendering fidelity: explicit heading ids as written, web URLs a browser reads as
//! written, NUL as U+FFFD everywhere; and costs that stay linear in repeated input.

use lectern::course::Course;
use lectern::render::{RenderOptions, Renderer};

use crate::support::{fixture, lectern};

fn fidelity() -> (tempfile::TempDir, std::path::PathBuf) {
    fixture("hardening/fidelity")
}

#[test]
fn an_explicit_heading_id_is_kept_as_written_and_links_to_it_land() {
    let (_tmp, dir) = fidelity();
    let loaded = Course::load(&dir);
    let lesson = loaded.course.lesson("fidelity").unwrap();
    let ids = loaded.course.lesson_ids_by_path();
    let r = Renderer::default().render(lesson, &RenderOptions::new(&dir, ids));
    assert!(r.html.contains("<h2 id=\"intro.v2\">"), "{}", r.html);
    assert!(
        r.html
            .contains("href=\"#intro.v2\" data-anchor=\"intro.v2\""),
        "{}",
        r.html
    );
    assert_eq!(r.toc[0].id, "intro.v2");
}

#[test]
fn web_urls_are_percent_encoded_where_a_browser_would_reread_them() {
    let (_tmp, dir) = fidelity();
    let loaded = Course::load(&dir);
    let lesson = loaded.course.lesson("fidelity").unwrap();
    let ids = loaded.course.lesson_ids_by_path();
    let r = Renderer::default().render(lesson, &RenderOptions::new(&dir, ids));
    assert!(
        r.html.contains("href=\"https://example.com/%5C[%5C\""),
        "{}",
        r.html
    );
    let raw = lectern::render::inline_html("<a href=\"https://e.org/a\\b c\">x</a>");
    assert!(raw.contains("href=\"https://e.org/a%5Cb%20c\""), "{raw}");
}

#[test]
fn nul_becomes_u_fffd_in_the_html_and_the_quiz_json() {
    let (tmp, dir) = fidelity();
    let loaded = Course::load(&dir);
    let lesson = loaded.course.lesson("fidelity").unwrap();
    let ids = loaded.course.lesson_ids_by_path();
    let r = Renderer::default().render(lesson, &RenderOptions::new(&dir, ids));
    assert!(!r.html.contains('\0'));
    assert!(r.html.contains("A NUL here: \u{FFFD}"), "{}", r.html);
    let o = lectern(&["quiz", "fidelity/fidelity.md", "--json"], tmp.path());
    let json = String::from_utf8(o.stdout).unwrap();
    assert!(!json.contains("\\u0000") && !json.contains('\0'), "{json}");
    assert!(json.contains('\u{FFFD}'), "{json}");
}

#[test]
fn twenty_thousand_identical_headings_get_twenty_thousand_ids() {
    let body: String = "## Same\n\n".repeat(20_000);
    let text = format!("---\nid: same\ntitle: Same\n---\n{body}");
    let lesson = lectern::lesson::parse("same.md".as_ref(), text.as_bytes())
        .unwrap()
        .0;
    let ids = std::collections::HashMap::new();
    let r = Renderer::default().render(&lesson, &RenderOptions::new(".".as_ref(), &ids));
    let unique: std::collections::HashSet<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(unique.len(), 20_000);
    assert!(unique.contains("same-20000"));
}
