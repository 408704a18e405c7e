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

/// The outline's lesson ids, in order.
const OUTLINE: &str =
    "return [...document.querySelectorAll('#outline .lesson-link')].map(a => a.dataset.lesson);";

#[test]
fn a_book_opened_at_its_root_is_studied_and_a_summary_edit_reorders_it_live() {
    let (_tmp, dir) = fixture("formats/book");
    let app = App::start(&[&dir]);
    app.wait_for(
        "#outline .lesson-link[data-lesson='listings']",
        Duration::from_secs(10),
    );
    // The book's title from book.toml, not the folder's name.
    assert_eq!(
        app.js("return document.title;"),
        json!("Fixture Book — Lectern")
    );
    // Study a chapter: open it and mark it complete from the keyboard.
    app.click("#outline .lesson-link[data-lesson='thanks']");
    app.wait_for(
        "article.lesson[data-lesson='thanks']",
        Duration::from_secs(10),
    );
    app.keys("m");
    let done = "#outline .lesson-link[data-lesson='thanks'][data-state='completed']";
    app.wait_for(done, Duration::from_secs(10));
    // The author moves Listings first and drops the preface from the SUMMARY.
    let summary = dir.join("src/SUMMARY.md");
    let text = "# Summary\n\n- [Listings](listings.md)\n- [Basics](basics.md)\n  - [Values](basics/values.md)\n    - [Deep Values](basics/deep.md)\n\n---\n\n[Thanks](thanks.md)\n";
    let tmp = summary.with_file_name(".SUMMARY.md.swp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &summary).unwrap();
    app.wait_js(
        "the outline in the new SUMMARY's order",
        OUTLINE,
        json!([
            "listings",
            "basics",
            "basics--values",
            "basics--deep",
            "thanks"
        ]),
    );
    // What the learner did survives the edit, and the open chapter stays open.
    assert_eq!(app.find_all(done).len(), 1);
    assert_eq!(
        app.find_all("article.lesson[data-lesson='thanks']").len(),
        1
    );
    app.assert_accessible("book after a SUMMARY edit");
    // The book is in the recent courses under its title, at its root.
    let recent = app.exec(
        "return window.__TAURI__.core.invoke('recent_courses');",
        json!([]),
    );
    assert_eq!(recent[0]["title"], json!("Fixture Book"), "{recent}");
    let root = std::fs::canonicalize(&dir).unwrap();
    assert_eq!(
        std::fs::canonicalize(recent[0]["root"].as_str().unwrap()).unwrap(),
        root
    );
}
