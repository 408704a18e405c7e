//! The Problems panel shows exactly what `lectern check` reports, drawn after the outline.

use std::time::Duration;

use serde_json::json;

use crate::harness::{fixture, App};

#[test]
fn a_broken_question_in_a_loaded_lesson_shows_in_the_problems_panel_as_lectern_check_reports_it() {
    let (_tmp, dir) = fixture("e2e/problems");
    // What `lectern check --json` prints for this folder, from the same core function.
    let loaded = lectern::course::Course::load(&dir);
    let report = lectern::check::check(&loaded, &lectern::render::Renderer::default());
    let expected: Vec<(String, String, u64)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.path.to_string_lossy().replace('\\', "/"),
                d.code.to_owned(),
                u64::from(d.line),
            )
        })
        .collect();
    assert!(
        expected
            .iter()
            .any(|(p, c, _)| p == "rivers.md" && c == "quiz-one-option"),
        "the fixture must have a broken question: {expected:?}"
    );
    assert!(
        loaded.diagnostics.is_empty(),
        "the problem is one loading alone does not find"
    );

    let app = App::start(&[&dir]);
    // The outline is there, and the lesson with the broken question loaded.
    assert_eq!(app.texts("#outline .lesson-title"), ["Rivers", "Deltas"]);
    app.wait_checked();
    assert_eq!(app.texts("#diag-badge"), ["1 error"]);
    let label = app.exec(
        "return document.getElementById('diag-badge').getAttribute('aria-label');",
        json!([]),
    );
    assert_eq!(label, json!("Problems in this course: 1 error"));
    app.click("#diag-badge");
    app.wait_for("#diagnostics:not([hidden]) .diag", Duration::from_secs(5));
    let shown = app.exec(
        "return Array.from(document.querySelectorAll('#diagnostics .diag')).map(li => {
           const loc = li.querySelector('.diag-loc').textContent.split(':');
           return [loc[0], li.dataset.code, Number(loc[1])];
         });",
        json!([]),
    );
    assert_eq!(shown, json!(expected));
    assert_eq!(
        app.accessible_names("#diagnostics"),
        ["Problems in this course (1 error)"]
    );
    assert_eq!(
        app.exec("return document.activeElement.id;", json!([])),
        json!("diagnostics"),
        "focus moves to the opened panel"
    );
    // It links to the lesson, which opens with its remaining questions.
    app.click("#diagnostics a.diag-loc");
    app.wait_for(
        "article.lesson[data-lesson='rivers'] #quiz",
        Duration::from_secs(10),
    );
    assert_eq!(app.texts("#quiz fieldset.question").len(), 2);
    // A lesson without a duration shows none (not "0 min").
    assert_eq!(app.texts("#outline .lesson-duration"), ["15 min", ""]);
    app.click("#outline .lesson-link[data-lesson='deltas']");
    app.wait_for(
        "article.lesson[data-lesson='deltas']",
        Duration::from_secs(10),
    );
    assert_eq!(app.find_all(".lesson-head .muted").len(), 0);
}

#[test]
fn a_lesson_with_a_front_matter_typo_stays_in_the_outline_marked_broken_and_opens_on_its_error() {
    let (_tmp, dir) = fixture("course/typo");
    let app = App::start(&[&dir]);
    assert_eq!(
        app.texts("#outline .lesson-title"),
        ["Embeddings", "Attention", "Transformers"]
    );
    assert_eq!(
        app.texts("#outline .lesson-link[data-lesson='attention'] .lesson-broken"),
        ["broken"]
    );
    assert!(app
        .find_all("#outline .lesson-link[data-lesson='embeddings'] .lesson-broken")
        .is_empty());
    app.wait_checked();
    assert_eq!(app.texts("#diag-badge"), ["1 error"]);
    app.click("#outline .lesson-link[data-lesson='attention']");
    app.wait_for(
        "article.lesson[data-lesson='attention'] .diag[data-code='front-matter-syntax']",
        Duration::from_secs(10),
    );
    let at = app.texts("article.lesson .diag[data-code='front-matter-syntax'] .diag-loc");
    assert!(at[0].starts_with("attention.md:3"), "{at:?}");
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("a broken lesson in the outline, {theme}"));
        app.screenshot(&crate::harness::shot_path(&format!(
            "broken-lesson-{theme}.png"
        )));
    }
}
