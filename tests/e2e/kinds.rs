//! Question kinds in the window: a typed answer checked with Enter and its marked
//! difference, a number typed with a decimal comma, an option's own feedback, a code
//! answer checked with Ctrl+Enter and a tracing question inside a `{{#quiz}}` block
//! drawn where the directive stands; a typed question reviewed by typing, then rated by
//! keys. Axe-clean in both themes.

use std::time::Duration;

use serde_json::json;

use crate::harness::{fixture, key, shot_path, App};

/// Monday 2 March 2026, 09:00 UTC.
const T0: i64 = 1_772_442_000_000;
const DAY: i64 = 86_400_000;

fn open_lesson(app: &App) {
    app.click("#outline .lesson-link[data-lesson='capitals']");
    app.wait_for("#quiz fieldset.question", Duration::from_secs(10));
}

/// Focuses the field of the quiz question whose prompt starts with `prompt`.
fn focus_field(app: &App, prompt: &str) {
    let ok = app.exec(
        "for (const fs of document.querySelectorAll('#view fieldset.question')) {
           if (fs.querySelector('.q-prompt').textContent.trim().startsWith(arguments[0])) {
             fs.querySelector('.answer-field').focus(); return true;
           }
         }
         return false;",
        json!([prompt]),
    );
    assert_eq!(ok, json!(true), "no question `{prompt}`");
}

/// The graded question whose prompt starts with `prompt`: waits for its verdict.
fn verdict(app: &App, prompt: &str) -> String {
    let script = "for (const fs of document.querySelectorAll('#view fieldset.question[data-graded]')) {
           if (fs.querySelector('.q-prompt').textContent.trim().startsWith(arguments[0])) return fs.querySelector('.verdict').textContent;
         }
         return null;";
    crate::harness::wait_until(&format!("the verdict on `{prompt}`"), || {
        app.exec(script, json!([prompt]))
            .as_str()
            .map(str::to_owned)
    })
}

#[test]
fn a_typed_answer_is_checked_with_enter_and_a_wrong_one_shows_the_difference() {
    let (_tmp, dir) = fixture("e2e/kinds");
    let app = App::start(&[&dir]);
    open_lesson(&app);
    // The `{{#quiz}}` block's questions stand where the directive does, in "Cities".
    let in_block = app.js("return Array.from(document.querySelectorAll('#lesson-body .quiz-block[data-quiz-block=\"0\"] fieldset.question')).map(f => f.dataset.kind);");
    assert_eq!(in_block, json!(["typed", "tracing"]));
    let after_cities = app.js("const b = document.querySelector('.quiz-block'); const h = document.getElementById('cities'); return Boolean(h.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);");
    assert_eq!(after_cities, json!(true));
    app.assert_accessible("typed questions, light");

    focus_field(&app, "The capital of France is");
    app.keys("Lyon");
    app.keys(key::ENTER);
    assert_eq!(verdict(&app, "The capital of France is"), "Not quite.");
    let shown = app.js("const fs = document.activeElement.closest('fieldset.question'); return [document.activeElement.className, fs.querySelector('.diff-given').textContent, fs.querySelector('.diff-expected').textContent, fs.querySelectorAll('.diff-expected ins').length > 0, fs.querySelectorAll('.diff-given del').length > 0];");
    assert_eq!(
        shown,
        json!(["feedback bad", "Lyon", "Paris", true, true]),
        "focus on the feedback, the difference marked"
    );

    focus_field(&app, "Three quarters");
    let hint = app.js("return document.activeElement.getAttribute('inputmode');");
    assert_eq!(hint, json!("decimal"));
    app.keys("0,75");
    app.keys(key::ENTER);
    assert_eq!(verdict(&app, "Three quarters"), "Correct.");

    // An option's own feedback.
    app.exec("for (const l of document.querySelectorAll('#quiz label.option')) if (l.textContent.includes('Rhine')) { l.querySelector('input').click(); l.closest('fieldset').querySelector('.check').click(); }", json!([]));
    assert_eq!(verdict(&app, "Which river"), "Not quite.");
    let feedback = app.texts("#quiz .option-feedback");
    assert_eq!(
        feedback,
        ["The Rhine runs along the German border, far from Paris."]
    );

    // A code answer: Enter is a new line, Ctrl+Enter checks. The question asks why
    // too (`promptExplanation`): the reason is kept with the answer.
    app.js("document.querySelector('fieldset.question .why-field').focus();");
    app.keys("to_string makes one");
    focus_field(&app, "Write the Rust expression");
    app.keys("\"Seine\".to_string()");
    app.chord(&[key::CTRL, key::ENTER]);
    assert_eq!(verdict(&app, "Write the Rust expression"), "Correct.");
    let store = lectern::progress::Store::open_read_only(&app.db_path()).expect("the database");
    let notes: Vec<String> = store
        .export()
        .unwrap()
        .answers
        .into_iter()
        .filter_map(|a| a.note)
        .collect();
    assert_eq!(notes, ["to_string makes one"]);

    // Tracing: compiles, and what it prints.
    app.exec("const fs = document.querySelector('fieldset.question[data-kind=\"tracing\"]'); fs.querySelector('input[value=\"compiles\"]').click(); fs.querySelector('[data-tracing=\"output\"]').value = 'Seine\\n'; fs.querySelector('.check').click();", json!([]));
    assert_eq!(verdict(&app, "Does this program compile?"), "Correct.");
    app.wait_for("#quiz-score:not([hidden])", Duration::from_secs(10));
    assert_eq!(app.texts("#quiz-score .score-line"), ["3 of 5 correct."]);
    app.js(
        "document.querySelector('#quiz fieldset.question[data-kind=\"typed\"]').scrollIntoView();",
    );
    app.screenshot(&shot_path("kinds-quiz.png"));
    app.js("document.querySelector('.quiz-block').scrollIntoView();");
    app.screenshot(&shot_path("kinds-block.png"));
    app.assert_accessible("typed questions answered, light");
    app.set_theme("dark");
    app.assert_accessible("typed questions answered, dark");
}

#[test]
fn a_typed_question_is_reviewed_by_typing_and_rated_by_keys() {
    let (_tmp, dir) = fixture("e2e/kinds");
    let app = App::start_at(&[&dir], T0);
    open_lesson(&app);
    for (prompt, wrong) in [
        ("The capital of France is", "Lyon"),
        ("Three quarters", "0.5"),
    ] {
        focus_field(&app, prompt);
        app.keys(wrong);
        app.keys(key::ENTER);
        assert_eq!(verdict(&app, prompt), "Not quite.");
    }

    let app = app.restart_at(T0 + 4 * DAY);
    app.wait_js(
        "the outline says two cards are due",
        "return document.getElementById('outline-review').textContent;",
        json!("Review · 2 due"),
    );
    app.js("document.getElementById('main').focus();");
    app.keys("r");
    let mut capital_seen = 0;
    let mut rated = false;
    for _ in 0..3 {
        app.wait_for(
            "fieldset.review-card:not([data-graded]) .answer-field",
            Duration::from_secs(10),
        );
        app.wait_js(
            "the card's field has focus",
            "return document.activeElement.matches('fieldset.review-card .answer-field');",
            json!(true),
        );
        let prompt = app.texts("fieldset.review-card .q-prompt").remove(0);
        if prompt == "The capital of France is ___." && capital_seen == 0 {
            capital_seen += 1;
            answer_with_one_typo(&app);
            app.keys(key::ENTER);
        } else if prompt == "The capital of France is ___." {
            app.keys("paris");
            app.keys(key::ENTER);
            app.wait_for(
                "fieldset.review-card[data-graded='correct']",
                Duration::from_secs(10),
            );
            app.keys(key::ENTER);
        } else {
            assert_eq!(prompt, "Three quarters as a decimal is ___.");
            app.keys("0,75");
            app.keys(key::ENTER);
            app.wait_for(
                "fieldset.review-card[data-graded='correct'] .review-rate",
                Duration::from_secs(10),
            );
            assert_eq!(app.texts("fieldset.review-card .verdict"), ["Correct."]);
            app.wait_js(
                "focus left the field for the feedback",
                "return document.activeElement.matches('fieldset.review-card .feedback');",
                json!(true),
            );
            app.assert_accessible("typed review card answered, light");
            app.screenshot(&shot_path("kinds-review.png"));
            app.keys("e");
            app.wait_js(
                "the rating's toast",
                "return document.getElementById('toast').textContent.startsWith('Rated Easy.');",
                json!(true),
            );
            rated = true;
        }
    }
    app.wait_for("#review-summary", Duration::from_secs(10));
    assert!(rated && capital_seen == 1);
}

/// A typed review card answered with one typo: "almost", still wrong; the difference
/// is marked and the card comes back in this session.
fn answer_with_one_typo(app: &App) {
    app.set_theme("dark");
    app.assert_accessible("typed review card, dark");
    app.keys("Pariss");
    app.keys(key::ENTER);
    app.wait_for(
        "fieldset.review-card[data-graded='wrong'] .review-again",
        Duration::from_secs(10),
    );
    assert_eq!(
        app.texts("fieldset.review-card .verdict"),
        ["Almost: check the spelling."]
    );
    let marked = app.js("const f = document.querySelector('fieldset.review-card'); return [f.querySelector('.diff-given').textContent, Array.from(f.querySelectorAll('.diff-given del')).map(d => d.textContent), f.querySelector('.diff-expected').textContent];");
    assert_eq!(marked, json!(["Pariss", ["s"], "Paris"]));
    app.assert_accessible("typed review card answered wrong, dark");
    app.set_theme("light");
    app.screenshot(&shot_path("kinds-review-almost.png"));
}
