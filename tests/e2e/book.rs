//! An mdBook book opened at its `src/` folder: the SUMMARY's chapters in the outline,
//! a chapter's included listings, and the toggle that shows Rust's hidden lines.

use std::time::Duration;

use serde_json::json;

use crate::harness::{fixture, App};

#[test]
fn a_book_opened_at_its_src_shows_its_chapters_and_the_hidden_lines_toggle() {
    let (_tmp, dir) = fixture("formats/book");
    let app = App::start(&[&dir.join("src")]);
    app.wait_for(
        "#outline .lesson-link[data-lesson='listings']",
        Duration::from_secs(10),
    );
    // The SUMMARY's chapters, in its order, under their titles.
    let links = app.exec(
        "return [...document.querySelectorAll('#outline .lesson-link')].map(a => a.dataset.lesson);",
        json!([]),
    );
    assert_eq!(
        links,
        json!([
            "preface",
            "basics",
            "basics--values",
            "basics--deep",
            "listings",
            "thanks"
        ])
    );
    app.click("#outline .lesson-link[data-lesson='listings']");
    app.wait_for(
        "article.lesson[data-lesson='listings'] figure.code.has-hidden",
        Duration::from_secs(10),
    );
    let shown = "const f = document.querySelector('#lesson-body figure.has-hidden');
         return [getComputedStyle(f.querySelector('pre.hl-visible')).display,
                 getComputedStyle(f.querySelector('pre.hl-full')).display,
                 f.querySelector('button[data-action=toggleHiddenLines]').getAttribute('aria-pressed')];";
    assert_eq!(
        app.exec(shown, json!([])),
        json!(["block", "none", "false"])
    );
    app.assert_accessible("book chapter with hidden lines");
    app.click("#lesson-body figure.has-hidden button[data-action=toggleHiddenLines]");
    app.wait_js(
        "the whole program shown",
        shown,
        json!(["none", "block", "true"]),
    );
    let full = app.exec(
        "return document.querySelector('#lesson-body figure.has-hidden pre.hl-full').textContent;",
        json!([]),
    );
    assert!(
        full.as_str().unwrap_or("").starts_with("use std::io;"),
        "{full}"
    );
}
