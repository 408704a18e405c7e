//! The reader shows a rendered lesson: highlighted code, diagrams, tables, math, images
//! through the `lesson://` scheme, a table of contents and in-app links.

use std::time::Duration;

use serde_json::json;

use crate::harness::{fixture, shot_path, App};

fn open_first(app: &App) {
    app.click("#outline .lesson-link[data-lesson='first']");
    app.wait_for(
        "article.lesson[data-lesson='first'] #lesson-body",
        Duration::from_secs(10),
    );
}

#[test]
fn lesson_renders_code_diagram_table_math_image_and_toc() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    open_first(&app);
    // Highlighted code, labelled with its language, with a copy button.
    assert_eq!(
        app.texts("#lesson-body figure.code figcaption .copy"),
        ["Copy"]
    );
    let highlighted = app.exec(
        "return document.querySelectorAll('#lesson-body figure.code[data-lang=python] code span[class]').length;",
        json!([]),
    );
    assert!(
        highlighted.as_u64().unwrap_or(0) > 3,
        "code is not highlighted: {highlighted}"
    );
    // The untagged diagram keeps its box-drawing characters verbatim.
    let diagram = app.exec(
        "return document.querySelector('#lesson-body pre.diagram').textContent;",
        json!([]),
    );
    assert!(
        diagram
            .as_str()
            .unwrap_or("")
            .contains("┌─────┐    ┌─────┐"),
        "{diagram}"
    );
    assert_eq!(app.texts("#lesson-body table td"), ["small", "10M"]);
    let maths = app.exec(
        "return document.querySelectorAll('#lesson-body math').length;",
        json!([]),
    );
    assert_eq!(maths, json!(2));
    // The image is served by the lesson:// scheme and actually decodes.
    app.wait_for("#lesson-body img", Duration::from_secs(5));
    let loaded = app.exec(
        "const i = document.querySelector('#lesson-body img');
         return new Promise(r => { if (i.complete) r([i.src, i.naturalWidth]); else i.onload = () => r([i.src, i.naturalWidth]); });",
        json!([]),
    );
    let loaded = if loaded.is_array() {
        loaded
    } else {
        // Older WebDriver implementations do not await promises; poll instead.
        app.wait_js(
            "the image to decode",
            "return document.querySelector('#lesson-body img').naturalWidth > 0;",
            json!(true),
        );
        app.exec(
            "const i = document.querySelector('#lesson-body img'); return [i.src, i.naturalWidth];",
            json!([]),
        )
    };
    assert!(
        loaded[0].as_str().unwrap_or("").starts_with("lesson://"),
        "{loaded}"
    );
    assert_eq!(loaded[1], json!(40), "image did not load: {loaded}");
    // The Knowledge Check is not in the body; it is the quiz.
    let body = app.texts("#lesson-body")[0].clone();
    assert!(!body.contains("Which language is the code block in?"));
    assert_eq!(
        app.texts(".toc a"),
        ["Code", "Diagram", "Table and Math", "Knowledge Check"]
    );
    app.screenshot(&shot_path("reader.png"));
}

#[test]
fn in_app_link_opens_the_other_lesson_at_its_heading() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    open_first(&app);
    app.click("#lesson-body a[data-lesson='second']");
    app.wait_for(
        "article.lesson[data-lesson='second']",
        Duration::from_secs(10),
    );
    assert_eq!(app.texts(".lesson-head h1"), ["The Second Page"]);
    let hash = app.exec("return location.hash;", json!([]));
    assert_eq!(hash, json!("#lesson/second/details"));
    // Previous goes back.
    app.click(".lesson-nav .nav-prev");
    app.wait_for(
        "article.lesson[data-lesson='first']",
        Duration::from_secs(10),
    );
}

#[test]
fn dark_theme_switches_without_rerendering() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    open_first(&app);
    app.exec(
        "document.getElementById('lesson-body').dataset.marker = 'same';",
        json!([]),
    );
    app.keys("t"); // system -> light
    app.keys("t"); // light -> dark
    let theme = app.exec("return document.documentElement.dataset.theme;", json!([]));
    assert_eq!(theme, json!("dark"));
    let marker = app.exec(
        "return document.getElementById('lesson-body').dataset.marker;",
        json!([]),
    );
    assert_eq!(marker, json!("same"), "the lesson was re-rendered");
    let bg = app.exec(
        "return getComputedStyle(document.body).backgroundColor;",
        json!([]),
    );
    assert_eq!(bg, json!("rgb(23, 25, 28)"));
    app.screenshot(&shot_path("reader-dark.png"));
}
