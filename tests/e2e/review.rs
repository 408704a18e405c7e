//! Spaced review and the dashboard in the real window, on an injected clock
//! (`LECTERN_NOW`): a question missed in a lesson's quiz comes back days later in the
//! review session, is answered by keyboard and rescheduled; a wrong answer links to the
//! section that teaches it and comes back in the same session; Hard and Easy rate a
//! right answer; an empty queue says when the next card is due. The dashboard draws a
//! history seeded through the core. Both views pass axe-core in both themes, and the
//! dashboard's screenshot for README.md is taken here.

use std::time::Duration;

use serde_json::json;

use crate::harness::{fixture, key, App};

/// Monday 2 March 2026, 09:00 UTC: the day the learner takes the quiz.
const T0: i64 = 1_772_442_000_000;
const DAY: i64 = 86_400_000;

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
    app.js("return document.querySelector('fieldset.review-card .q-prompt').textContent.trim();")
        .as_str()
        .unwrap()
        .to_owned()
}

/// Chooses the option `text` of the card on screen by its digit key, then Enter checks.
fn answer_card(app: &App, text: &str) {
    let digit = app.js(&format!(
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
    answer_in_quiz(
        app,
        1,
        "At new and full moon, when the Sun and the Moon line up",
    );
}

/// The first session, four days after the quiz: the Moon card answered right and rated
/// Easy; the spring tides card answered wrong (its section linked), then right when it
/// comes back. Returns the prompts in the order shown.
fn first_session(app: &App) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..3 {
        let prompt = card_prompt(app);
        seen.push(prompt.clone());
        if prompt == MOON {
            // Answered right now: rescheduled further out, rated Easy with `e`.
            answer_card(app, "The Moon's gravity");
            assert_eq!(
                app.texts("fieldset.review-card .verdict"),
                ["Correct."],
                "{prompt}"
            );
            let next = app.texts("fieldset.review-card .review-next");
            assert!(next[0].starts_with("Next review in "), "{next:?}");
            app.keys("e");
        } else if seen.iter().filter(|p| *p == SPRING).count() == 1 {
            // Wrong: the link to the section that teaches it; it comes back.
            answer_card(app, "Only in spring");
            let href = app.js("return document.querySelector('fieldset.review-card .review-section').getAttribute('href');",
            );
            assert_eq!(href, json!("#lesson/tides/spring-and-neap-tides"));
            assert_eq!(
                app.texts("fieldset.review-card .review-section"),
                ["Spring and neap tides"]
            );
            app.assert_accessible("review card after a wrong answer, light");
            app.screenshot(&crate::harness::shot_path("review-wrong.png"));
            app.keys(key::ENTER);
        } else {
            // Back in the same session: right now; Enter keeps Good.
            answer_card(
                app,
                "At new and full moon, when the Sun and the Moon line up",
            );
            app.keys(key::ENTER);
        }
    }
    seen
}

#[test]
fn a_question_missed_in_a_quiz_comes_back_for_review_days_later_and_is_rescheduled() {
    let (_tmp, dir) = fixture("e2e/review");
    let app = App::start_at(&[&dir], T0);
    take_quiz(&app);
    // Four days later both cards are due: the missed one (Again) and the one answered
    // right (Good: a first interval of about three days).
    let app = app.restart_at(T0 + 4 * DAY);
    app.wait_js(
        "the outline says how many are due",
        "return document.getElementById('outline-review').textContent;",
        json!("Review · 2 due"),
    );
    app.js("document.getElementById('main').focus();");
    app.keys("r");
    let seen = first_session(&app);
    assert_eq!(seen.iter().filter(|p| *p == MOON).count(), 1, "{seen:?}");
    assert_eq!(seen.iter().filter(|p| *p == SPRING).count(), 2, "{seen:?}");
    app.wait_for("#review-summary", Duration::from_secs(5));
    let summary = app.texts("#review-summary .summary-line");
    assert_eq!(
        summary,
        ["2 cards reviewed: 1 right the first time, 1 to study again."]
    );
    app.set_theme("dark");
    app.assert_accessible("review summary, dark");
    app.wait_js(
        "nothing due any more",
        "return document.getElementById('outline-review').textContent;",
        json!("Review"),
    );

    // The next day the missed card is due again; the Moon card (Easy) is not.
    let app = app.restart_at(T0 + 5 * DAY);
    app.js("document.getElementById('main').focus();");
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
    app.set_theme("light");
    app.assert_accessible("empty review queue, light");
}

#[test]
fn a_wrong_review_answer_links_to_the_section_that_teaches_it() {
    let (_tmp, dir) = fixture("e2e/review");
    let app = App::start_at(&[&dir], T0);
    take_quiz(&app);
    let app = app.restart_at(T0 + 4 * DAY);
    app.js("document.getElementById('main').focus();");
    app.keys("r");
    while card_prompt(&app) != MOON {
        answer_card(
            &app,
            "At new and full moon, when the Sun and the Moon line up",
        );
        app.keys(key::ENTER);
    }
    answer_card(&app, "The Earth's magnetic field");
    app.set_theme("dark");
    app.assert_accessible("review card after a wrong answer, dark");
    app.click("fieldset.review-card .review-section");
    app.wait_for(
        "article.lesson[data-lesson='tides']",
        Duration::from_secs(10),
    );
    app.wait_js(
        "the lesson opens at the section",
        "return location.hash;",
        json!("#lesson/tides/the-moon-s-pull"),
    );
}

#[test]
fn a_card_missed_then_left_with_escape_is_still_there_when_the_session_is_opened_again() {
    let (_tmp, dir) = fixture("e2e/review");
    let app = App::start_at(&[&dir], T0);
    take_quiz(&app);
    let app = app.restart_at(T0 + 4 * DAY);
    app.js("document.getElementById('main').focus();");
    app.keys("r");
    card_prompt(&app);
    assert_eq!(app.texts("#review-progress"), ["2 cards to go"]);
    // Miss whichever card comes first; the counter reads as one sentence.
    let missed = card_prompt(&app);
    let wrong = if missed == MOON {
        "The wind"
    } else {
        "Only in spring"
    };
    answer_card(&app, wrong);
    assert_eq!(
        app.texts("fieldset.review-card .review-again"),
        ["This card comes back later in this session."]
    );
    app.keys(key::ENTER);
    app.wait_js(
        "the counter counts the answer",
        "return document.getElementById('review-progress').textContent;",
        json!("1 card answered, 2 to go"),
    );
    // Escape leaves the session for the course page.
    app.keys(key::ESCAPE);
    app.wait_for("#course-home-title", Duration::from_secs(10));
    // Back in the session the same day: the missed card is still to be reviewed, after
    // the one not answered yet.
    app.js("document.getElementById('main').focus();");
    app.keys("r");
    app.wait_js(
        "the session opens again with both cards",
        "return document.getElementById('review-progress').textContent;",
        json!("2 cards to go"),
    );
    assert_ne!(card_prompt(&app), missed);
    answer_card(
        &app,
        if missed == MOON {
            "At new and full moon, when the Sun and the Moon line up"
        } else {
            "The Moon's gravity"
        },
    );
    app.keys(key::ENTER);
    assert_eq!(card_prompt(&app), missed);
}

#[test]
fn daily_limits_set_in_settings_keep_due_cards_for_tomorrow_and_say_so() {
    let (_tmp, dir) = fixture("e2e/review");
    let app = App::start_at(&[&dir], T0);
    take_quiz(&app);
    let app = app.restart_at(T0 + 4 * DAY);
    app.js("location.hash = '#settings';");
    app.wait_for("#settings-new", Duration::from_secs(10));
    app.wait_js(
        "the default limits are shown",
        "return [document.getElementById('settings-new').value, document.getElementById('settings-reviews').value].join(' ');",
        json!("20 200"),
    );
    app.assert_accessible("settings with daily limits, light");
    app.exec(
        "const s = document.getElementById('settings-new'); s.value = '0';
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        json!([]),
    );
    app.wait_js(
        "the limit is saved",
        "return document.getElementById('toast').textContent;",
        json!("Daily limits saved: they apply from the next session"),
    );
    app.js("document.getElementById('main').focus();");
    app.keys("r");
    app.wait_for("#review-limit", Duration::from_secs(10));
    assert_eq!(
        app.texts("#review-limit"),
        ["Daily limit reached: 2 more cards due wait for tomorrow. Change the limits in Settings."]
    );
    app.set_theme("dark");
    app.assert_accessible("review with the daily limit reached, dark");
    app.screenshot(&crate::harness::shot_path("review-limit-dark.png"));
    // The dashboard says so too, under the reviews due.
    app.js("location.hash = '#dashboard';");
    app.wait_for("#dashboard-title ~ #review-limit", Duration::from_secs(10));
    assert_eq!(
        app.texts("#review-limit"),
        ["Daily limit reached: 2 more cards due wait for tomorrow. Change the limits in Settings."]
    );
    app.assert_accessible("dashboard with the daily limit reached, dark");
    app.js("location.hash = '#settings';");
    app.wait_for("#settings-new", Duration::from_secs(10));
    app.wait_js(
        "the stored limit is shown",
        "return document.getElementById('settings-new').value;",
        json!("0"),
    );
    app.assert_accessible("settings with daily limits, dark");
    app.screenshot(&crate::harness::shot_path("settings-limits-dark.png"));
}

/// The right options of `q`, or one wrong one.
fn pick(q: &lectern::quiz::Question, right: bool) -> Vec<String> {
    if right {
        q.correct_ids()
    } else {
        q.options()
            .iter()
            .filter(|o| !o.correct)
            .take(1)
            .map(|o| o.id.clone())
            .collect()
    }
}

/// The cards due at `now` (at most twelve) answered in a review session, about 80%
/// right.
fn morning_reviews(
    store: &mut lectern::progress::Store,
    course: &lectern::course::Course,
    now: &lectern::review::Now,
    roll: &mut impl FnMut() -> u64,
) {
    use lectern::answer::{self, Answer, Origin};
    use lectern::review;
    let key = lectern::progress::CourseKey::of(course);
    let session = review::session(store, &key, course, now, roll()).unwrap();
    for card in session.cards.iter().take(12) {
        let quiz = lectern::quiz::parse(course.lesson(&card.lesson).unwrap()).0;
        let q = quiz.question(&card.question.id).unwrap();
        let chosen = pick(q, roll() < 80);
        let input = Answer {
            note: None,
            lesson: &card.lesson,
            question: &q.id,
            chosen: &chosen,
            time_ms: 15_000,
            now: *now,
            origin: Origin::Review,
        };
        answer::submit(Some(&mut *store), &key, course, &input).unwrap();
    }
}

/// A copy of the bundled course (`lessons/`) in a temp dir.
fn bundled_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("lessons");
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(&src)
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    (tmp, dir)
}

/// Eight weeks of study of the bundled course before `now`, written through the core
/// as the app would have written it: about one lesson a week, its quiz taken (some
/// answers wrong at first, the same tricky questions missed again), most days studied,
/// the last nine in a row. Deterministic (a fixed LCG), so the screenshot is stable.
fn seed_history(dir: &std::path::Path, db: &std::path::Path, now: i64) {
    use lectern::answer::{self, Answer, Origin};
    use lectern::course::Course;
    use lectern::progress::{CourseKey, Store};
    use lectern::review::Now;

    let course = Course::load(dir).course;
    let key = CourseKey::of(&course);
    let mut store = Store::open(db).unwrap().store;
    store
        .record_course_opened(&key, course.title(), dir, now - 57 * DAY)
        .unwrap();
    let mut seed: u64 = 7;
    let mut roll = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) % 100
    };
    let lessons: Vec<String> = course.lessons().iter().map(|l| l.id.clone()).collect();
    for day in (1..=55).rev() {
        let week = usize::try_from((55 - day) / 7).unwrap();
        // The last day of each of the first five weeks finishes that week's lesson.
        let finishing = (55 - day) % 7 == 6 && week < 5;
        if day > 9 && !finishing && (day % 5 == 0 || day % 7 == 3) {
            continue; // a day off
        }
        let lesson = &lessons[week.min(5)];
        let (quiz, _) = lectern::quiz::parse(course.lesson(lesson).unwrap());
        let at = now - day * DAY + 3_600_000 * i64::try_from(roll() % 8).unwrap();
        // The reviews due that morning, then reading (in the window's 10-minute reports).
        let morning = Now::utc(at);
        morning_reviews(&mut store, &course, &morning, &mut roll);
        let mut minutes = 10 + roll() % 40;
        while minutes > 0 {
            let chunk = minutes.min(10);
            store
                .record_active_time(&key, lesson, chunk * 60_000, &morning)
                .unwrap();
            minutes -= chunk;
        }
        let asked = if finishing {
            quiz.questions.len()
        } else {
            3 + usize::try_from(roll() % 6).unwrap()
        };
        let skip = if finishing { 0 } else { day as usize };
        for (i, q) in quiz
            .questions
            .iter()
            .cycle()
            .skip(skip)
            .take(asked)
            .enumerate()
        {
            // Tricky questions (every third) are missed more often; a finishing day
            // gets everything right.
            let p_right = if finishing {
                100
            } else if i % 3 == 0 {
                45
            } else {
                85
            };
            let chosen = pick(q, roll() < p_right);
            let when = at + 1_800_000 + i64::try_from(i).unwrap() * 40_000;
            let input = Answer {
                note: None,
                lesson,
                question: &q.id,
                chosen: &chosen,
                time_ms: 20_000,
                now: Now::utc(when),
                origin: Origin::Quiz {
                    attempt: u64::try_from(at).unwrap(),
                },
            };
            answer::submit(Some(&mut store), &key, &course, &input).unwrap();
        }
    }
}

/// A screenshot with the element `id` at the top of the reading area.
fn shot_from(app: &App, id: &str, name: &str) {
    app.exec(
        "const main = document.getElementById('main');
         main.scrollTop = document.getElementById(arguments[0]).getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop - 16;",
        json!([id]),
    );
    app.settle();
    app.exec("document.getElementById('toast').hidden = true;", json!([]));
    app.screenshot(&crate::harness::shot_path(name));
}

#[test]
fn the_dashboard_draws_a_seeded_history_readably_in_both_themes() {
    let (tmp, dir) = bundled_copy();
    let db = tmp.path().join("progress.sqlite");
    // Tuesday 28 April 2026, 10:00 UTC.
    let now = 1_777_370_400_000;
    seed_history(&dir, &db, now);
    let app = App::start_at(&[&dir, std::path::Path::new("--db"), &db], now);
    app.set_theme("light");
    app.js("document.getElementById('main').focus();");
    app.keys("d");
    app.wait_for("article.dashboard #chart-history", Duration::from_secs(10));
    // Nine days in a row up to yesterday; nothing yet today.
    assert_eq!(app.texts("#streak-current"), ["9 days"]);
    // Every chart has its table: 14 days due, 56 days of history.
    let rows = app.js("return ['#chart-due', '#chart-history'].map(c => document.querySelectorAll(`${c} table tbody tr`).length);",
    );
    assert_eq!(rows, json!([14, 56]));
    let bars =
        app.js("return document.querySelectorAll('#chart-history rect.bar-answered').length;");
    assert!(bars.as_u64().unwrap() > 30, "{bars}");
    let missed = app.find_all(".dash-missed li a.missed-link");
    assert!(missed.len() >= 5, "{missed:?}");
    let href =
        app.js("return document.querySelector('.dash-missed a.missed-link').getAttribute('href');");
    assert!(href.as_str().unwrap().starts_with("#lesson/nlp-"), "{href}");
    // Prompts read as the quiz shows them: no TeX or Markdown source.
    let prompts = app.texts(".dash-missed .missed-prompt");
    assert_eq!(prompts.len(), missed.len());
    for p in &prompts {
        assert!(
            !p.contains('$') && !p.contains('\\') && !p.contains("**") && !p.contains('`'),
            "a missed prompt shows its source: {p}"
        );
    }
    let sections = app.texts(".dash-sections .dash-section-title");
    assert_eq!(sections.len(), 3, "{sections:?}");
    app.assert_accessible("dashboard, light");
    app.xdotool(&["mousemove", "1279", "819"]);
    shot_from(&app, "dashboard-title", "dashboard-top.png");
    // README's screenshot: the sections and both charts.
    shot_from(&app, "dash-sections-title", "dashboard.png");
    app.set_theme("dark");
    app.assert_accessible("dashboard, dark");
    shot_from(&app, "chart-due", "dashboard-dark.png");
    shot_from(&app, "dash-missed-title", "dashboard-missed-dark.png");
    // A most-missed link opens the lesson at the section that teaches the question.
    app.click(".dash-missed a.missed-link");
    app.wait_for("article.lesson #lesson-body", Duration::from_secs(10));
}
