//! A way back: every jump (the quiz's "Review:" link, a contents entry, another lesson)
//! is a history entry; Alt+Left returns to where the learner was, Alt+Right goes forward.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{fixture, key, shot_path, wait_until, App};

const WHERE: &str =
    "return [location.hash, Math.round(document.getElementById('main').scrollTop)];";

/// Where the window is once a jump's smooth scroll has come to rest (the same place
/// read twice in a row, a poll apart).
fn place(app: &App) -> Value {
    let mut last = Value::Null;
    wait_until("the scroll to come to rest", || {
        let now = app.js(WHERE);
        let rest = now == last;
        last = now.clone();
        rest.then_some(now)
    })
}

/// Presses Alt with `arrow` and waits until the window is back at `want`.
fn alt(app: &App, arrow: &str, want: &Value) {
    app.chord(&[key::ALT, arrow]);
    app.wait_js("the place returned to", WHERE, want);
}

#[test]
fn alt_left_returns_from_an_in_lesson_jump_to_where_you_were_and_alt_right_goes_forward() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    app.click("#outline .lesson-link[data-lesson='first']");
    app.wait_for("#quiz fieldset.question", Duration::from_secs(10));
    // A wrong answer, read where it is shown: the quiz, scrolled to.
    app.js("const fs = document.querySelector('#quiz fieldset.question');
            for (const l of fs.querySelectorAll('label.option')) if (l.textContent.includes('Rust')) l.querySelector('input').click();
            fs.querySelector('.check').click();");
    app.wait_for("#quiz .review-link a", Duration::from_secs(5));
    app.js("document.querySelector('#quiz fieldset.question').scrollIntoView({block: 'start', behavior: 'instant'});");
    app.settle();
    let at_quiz = place(&app);
    assert_eq!(at_quiz[0], json!("#lesson/first"));
    assert!(at_quiz[1].as_i64().unwrap() > 0, "{at_quiz}");

    // "Review: Code" jumps to the heading, a history entry of its own. (Clicked from
    // the page: WebDriver's click would scroll the link into view first.)
    app.js("document.querySelector('#quiz .review-link a').click();");
    app.wait_js(
        "the jump to the heading",
        "return location.hash;",
        json!("#lesson/first/code"),
    );
    app.settle();
    let at_code = place(&app);
    assert_ne!(at_code[1], at_quiz[1]);

    alt(&app, key::LEFT, &at_quiz);
    // The lesson was not drawn again: the answer and its feedback are still there.
    assert_eq!(app.find_all("#quiz .review-link a").len(), 1);
    app.screenshot(&shot_path("history-back-to-quiz.png"));
    alt(&app, key::RIGHT, &at_code);

    // A contents entry is a jump too; so is another lesson, and back comes to the heading.
    app.js("document.querySelector(\".toc a[data-target='diagram']\").click();");
    app.wait_js(
        "the contents' jump",
        "return location.hash;",
        json!("#lesson/first/diagram"),
    );
    app.settle();
    let at_diagram = place(&app);
    alt(&app, key::LEFT, &at_code);
    alt(&app, key::RIGHT, &at_diagram);
    app.click("#outline .lesson-link[data-lesson='second']");
    app.wait_for(
        "article.lesson[data-lesson='second']",
        Duration::from_secs(10),
    );
    app.chord(&[key::ALT, key::LEFT]);
    app.wait_for(
        "article.lesson[data-lesson='first']",
        Duration::from_secs(10),
    );
    app.wait_js("back at the diagram", WHERE, &at_diagram);
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("lesson after Back, {theme}"));
    }
}
