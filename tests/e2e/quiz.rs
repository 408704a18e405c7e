//! The Knowledge Check in the window: shuffled, graded by the core, with feedback.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{fixture, shot_path, App};

fn open_quiz(app: &App) {
    app.click("#outline .lesson-link[data-lesson='first']");
    app.wait_for("#quiz fieldset.question", Duration::from_secs(10));
}

/// Clicks the option of question `q` (0-based) whose text is `text`.
fn choose(app: &App, q: usize, text: &str) {
    let ok = app.exec(
        "const fs = document.querySelectorAll('#quiz fieldset.question')[arguments[0]];
         for (const l of fs.querySelectorAll('label.option')) {
           if (l.querySelector('.opt-html').textContent.trim() === arguments[1]) { l.querySelector('input').click(); return true; }
         }
         return false;",
        json!([q, text]),
    );
    assert_eq!(ok, json!(true), "no option `{text}` in question {q}");
}

fn check(app: &App, q: usize) {
    app.exec(
        "document.querySelectorAll('#quiz fieldset.question')[arguments[0]].querySelector('.check').click();",
        json!([q]),
    );
    app.wait_for(
        &format!(
            "#quiz fieldset.question:nth-of-type({}) .feedback:not([hidden]) .verdict",
            q + 1
        ),
        Duration::from_secs(5),
    );
}

fn verdict(app: &App, q: usize) -> Value {
    app.exec(
        "return document.querySelectorAll('#quiz fieldset.question')[arguments[0]].querySelector('.verdict').textContent;",
        json!([q]),
    )
}

#[test]
fn quiz_grades_right_and_wrong_answers_with_feedback_and_retry() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    open_quiz(&app);
    let options = app.texts("#quiz fieldset.question:nth-of-type(1) .opt-html");
    assert_eq!(options.len(), 3);
    // Every opening is a fresh attempt, shuffled by the core (uniformly, so the
    // authored order may come up too): eight openings showing one order would happen
    // with probability (1/6)^7.
    let mut orders = std::collections::BTreeSet::from([options]);
    for _ in 0..7 {
        app.click("#outline .lesson-link[data-lesson='second']");
        app.wait_for(
            "article.lesson[data-lesson='second']",
            Duration::from_secs(10),
        );
        open_quiz(&app);
        orders.insert(app.texts("#quiz fieldset.question:nth-of-type(1) .opt-html"));
    }
    assert!(orders.len() > 1, "the options are not shuffled: {orders:?}");
    // Radio buttons for one answer, checkboxes for choose-all.
    let types = app.exec(
        "return Array.from(document.querySelectorAll('#quiz fieldset.question')).map(f => f.querySelector('input').type);",
        json!([]),
    );
    assert_eq!(types, json!(["radio", "checkbox"]));
    assert_eq!(app.texts("#quiz .q-hint"), ["Choose all that apply."]);

    // Right answer.
    choose(&app, 0, "Python");
    check(&app, 0);
    assert_eq!(verdict(&app, 0), json!("Correct."));
    let focused = app.exec("return document.activeElement.className;", json!([]));
    assert!(
        focused.as_str().unwrap_or("").contains("feedback"),
        "focus moved to {focused}"
    );
    assert!(app.texts("#quiz fieldset.question:nth-of-type(1) .explanation")[0].contains("tagged"));

    // Wrong answer to the choose-all question: one right, one wrong.
    choose(&app, 1, "A table");
    choose(&app, 1, "A video");
    check(&app, 1);
    assert_eq!(verdict(&app, 1), json!("Not quite."));
    assert_eq!(
        app.texts("#quiz fieldset.question:nth-of-type(2) .option.is-wrong .opt-html"),
        ["A video"]
    );
    assert_eq!(
        app.texts("#quiz fieldset.question:nth-of-type(2) .option.is-correct .opt-html"),
        ["A table"]
    );
    assert_eq!(
        app.texts("#quiz fieldset.question:nth-of-type(2) .option.is-missed .opt-html"),
        ["A diagram"]
    );
    let review = app.texts("#quiz fieldset.question:nth-of-type(2) .review-link a");
    assert_eq!(
        review.len(),
        1,
        "a missed question links to the heading that covers it"
    );

    // Score and retry of the missed one.
    app.wait_for("#quiz-score:not([hidden])", Duration::from_secs(5));
    assert!(app.texts("#quiz-score .score-line")[0].starts_with("1 of 2"));
    app.screenshot(&shot_path("quiz-feedback.png"));
    app.click("#quiz-score .retry");
    app.wait_for(
        "#quiz fieldset.question:not([data-graded])",
        Duration::from_secs(5),
    );
    let prompts = app.texts("#quiz .q-prompt");
    assert_eq!(prompts, ["Which of these appear on this page?"]);
}

#[test]
fn quiz_is_keyboard_operable() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    open_quiz(&app);
    // Focus the first question's first option, then choose with a digit and check with Enter.
    app.exec(
        "document.querySelector('#quiz fieldset.question input').focus();",
        json!([]),
    );
    let pos = app.exec(
        "const opts = Array.from(document.querySelectorAll('#quiz fieldset.question:nth-of-type(1) .opt-html')).map(o => o.textContent.trim());
         return opts.indexOf('Python') + 1;",
        json!([]),
    );
    let digit = pos.as_u64().expect("Python is an option").to_string();
    app.keys(&digit);
    app.keys("\u{E007}");
    app.wait_for(
        "#quiz fieldset.question:nth-of-type(1) .feedback:not([hidden])",
        Duration::from_secs(5),
    );
    assert_eq!(verdict(&app, 0), json!("Correct."));
}

#[test]
fn a_right_quiz_answer_can_be_rated_easy_and_back_to_good() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    open_quiz(&app);
    choose(&app, 0, "Python");
    check(&app, 0);
    let next = "#quiz fieldset.question:nth-of-type(1) .quiz-rate .quiz-next";
    let good = app.texts(next)[0].clone();
    assert!(good.starts_with("Next review in"), "{good}");
    let days = |text: &str| -> u32 {
        text.split_whitespace()
            .nth(3)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no interval in {text:?}"))
    };
    let easy = "#quiz fieldset.question:nth-of-type(1) .quiz-rate button[data-rating='easy']";
    app.click(easy);
    app.wait_for(
        &format!("{easy}[aria-pressed='true']"),
        Duration::from_secs(5),
    );
    let rated = app.texts(next)[0].clone();
    assert!(
        days(&rated) > days(&good),
        "Easy gives a longer interval: {good} → {rated}"
    );
    // Pressed again: back to Good, the first schedule exactly (never applied twice).
    app.click(easy);
    app.wait_for(
        &format!("{easy}[aria-pressed='false']"),
        Duration::from_secs(5),
    );
    assert_eq!(app.texts(next)[0], good);
}

#[test]
fn the_quiz_says_answers_are_checked_and_the_outline_shows_no_score_until_every_question_is_answered(
) {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    open_quiz(&app);
    // Answers are checked with a button (or Enter), not as soon as one is chosen.
    let intro = &app.texts("#quiz .quiz-intro")[0];
    assert!(
        intro.contains("check it with its Check answer button"),
        "{intro}"
    );
    let link = "#outline .lesson-link[data-lesson='first']";
    let state = format!("return document.querySelector(\"{link} .lesson-state\").textContent;");
    let score = format!("return document.querySelector(\"{link} .lesson-score\").textContent;");

    // One wrong answer of two: the lesson is in progress, with no score to read as final.
    choose(&app, 0, "Rust");
    check(&app, 0);
    app.wait_js(
        "the outline to say in progress",
        &state,
        json!(", in progress"),
    );
    assert_eq!(app.js(&score), json!(""));

    // Every question answered: the score, seen and heard alike.
    choose(&app, 1, "A table");
    choose(&app, 1, "A diagram");
    check(&app, 1);
    app.wait_js("the outline to show the score", &score, json!("1/2"));
    assert!(app
        .js(&state)
        .as_str()
        .unwrap()
        .contains("best score 1 of 2"));
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("quiz answered, {theme}"));
    }
    app.screenshot(&shot_path("quiz-outline-score.png"));
}
