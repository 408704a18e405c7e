//! Accessibility in the real window: axe-core on every view in both themes, the whole
//! study path by keyboard alone, reading size kept across restarts, and zoom.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{fixture, key, shot_path, wait_until, App};

/// Answers question `q` (0-based) of the open quiz: chooses `texts`, then checks it.
fn answer(app: &App, q: usize, texts: &[&str]) {
    let ok = app.exec(
        "const fs = document.querySelectorAll('#quiz fieldset.question')[arguments[0]];
         let n = 0;
         for (const l of fs.querySelectorAll('label.option'))
           if (arguments[1].includes(l.querySelector('.opt-html').textContent.trim())) { l.querySelector('input').click(); n++; }
         fs.querySelector('.check').click();
         return n;",
        json!([q, texts]),
    );
    assert_eq!(ok, json!(texts.len()));
    app.wait_for(
        &format!(
            "#quiz fieldset.question:nth-of-type({}) .feedback:not([hidden]) .verdict",
            q + 1
        ),
        Duration::from_secs(5),
    );
}

#[test]
fn axe_finds_nothing_serious_on_any_view_in_either_theme() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    app.wait_checked();
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.exec("location.hash = '';", json!([]));
        app.wait_for("article.course-home", Duration::from_secs(5));
        app.assert_accessible(&format!("course page, {theme}"));

        app.click("#outline .lesson-link[data-lesson='first']");
        app.wait_for(
            "article.lesson[data-lesson='first'] #quiz",
            Duration::from_secs(10),
        );
        app.screenshot(&shot_path(&format!("a11y-lesson-{theme}.png")));
        app.assert_accessible(&format!("lesson, {theme}"));

        answer(&app, 0, &["Python"]);
        answer(&app, 1, &["A table", "A video"]);
        app.wait_for("#quiz-score:not([hidden])", Duration::from_secs(5));
        assert_eq!(app.find_all("#quiz .feedback.good").len(), 1);
        assert_eq!(app.find_all("#quiz .feedback.bad").len(), 1);
        app.exec(
            "document.querySelector('#quiz fieldset.question:nth-of-type(2)').scrollIntoView({block: 'center', behavior: 'instant'});",
            json!([]),
        );
        app.screenshot(&shot_path(&format!("a11y-quiz-{theme}.png")));
        app.assert_accessible(&format!("answered quiz, {theme}"));

        app.keys("?");
        app.wait_for("dialog#help[open]", Duration::from_secs(5));
        app.assert_accessible(&format!("help dialog, {theme}"));
        app.keys(key::ESCAPE);
        app.wait_for("dialog#help:not([open])", Duration::from_secs(5));
    }
}

#[test]
fn axe_finds_nothing_serious_on_the_problems_panel_in_either_theme() {
    let (_tmp, dir) = fixture("e2e/problems");
    let app = App::start(&[&dir]);
    app.wait_checked();
    app.click("#diag-badge");
    app.wait_for("#diagnostics:not([hidden]) .diag", Duration::from_secs(5));
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("problems panel, {theme}"));
    }
    // A lesson with its own problems listed.
    app.click("#outline .lesson-link[data-lesson='rivers']");
    app.wait_for(
        "article.lesson[data-lesson='rivers'] .lesson-problems",
        Duration::from_secs(10),
    );
    app.exec(
        "document.querySelector('.lesson-problems').open = true;",
        json!([]),
    );
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("lesson with problems, {theme}"));
    }
}

/// What has focus, and whether it can be seen.
fn focused(app: &App) -> Value {
    app.js("const e = document.activeElement; const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
         return {tag: e.tagName, cls: e.className, label: e.getAttribute('aria-label'),
                 inQuiz: Boolean(e.closest('#quiz fieldset.question')),
                 visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && Number(s.opacity) > 0};",
    )
}

/// Tabs forward until focus satisfies `want`, checking every stop on the way is visible.
fn tab_until(app: &App, what: &str, want: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut stops = Vec::new();
    for _ in 0..80 {
        app.keys(key::TAB);
        let f = focused(app);
        assert_eq!(
            f["visible"],
            json!(true),
            "focus landed on something invisible: {f}"
        );
        stops.push(f.clone());
        if want(&f) {
            return stops;
        }
    }
    panic!("Tab never reached {what}; stops: {stops:?}");
}

/// The 1-based position of the option `text` in question `q`.
fn digit_of(app: &App, q: usize, text: &str) -> String {
    let pos = app.exec(
        "const fs = document.querySelectorAll('#quiz fieldset.question')[arguments[0]];
         return Array.from(fs.querySelectorAll('.opt-html')).map(o => o.textContent.trim()).indexOf(arguments[1]) + 1;",
        json!([q, text]),
    );
    let pos = pos.as_u64().unwrap();
    assert!(pos > 0, "no option {text}");
    pos.to_string()
}

#[test]
fn keyboard_alone_goes_from_the_course_page_through_a_lesson_and_its_quiz_to_the_next() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    app.wait_for("article.course-home", Duration::from_secs(5));
    // From the course page, Tab to "Start the course" and follow it.
    tab_until(&app, "Start the course", |f| {
        f["cls"] == json!("button primary")
    });
    app.keys(key::ENTER);
    app.wait_for(
        "article.lesson[data-lesson='first']",
        Duration::from_secs(10),
    );
    // Through the lesson: its code, diagram and table are stops with a name (and a
    // visible ring: see the screenshot).
    let mut stops = tab_until(&app, "the code", |f| f["label"] == json!("Code: python"));
    app.screenshot(&shot_path("focus-code-region.png"));
    stops.extend(tab_until(&app, "the quiz", |f| f["inQuiz"] == json!(true)));
    let regions: Vec<_> = stops.iter().filter_map(|s| s["label"].as_str()).collect();
    for want in ["Code: python", "Diagram", "Table"] {
        assert!(
            regions.contains(&want),
            "no keyboard stop `{want}`: {regions:?}"
        );
    }
    answer_retry_and_finish_by_keyboard(&app);
    // On to the next lesson.
    app.keys("n");
    app.wait_for(
        "article.lesson[data-lesson='second']",
        Duration::from_secs(10),
    );
    assert_eq!(
        app.texts("#outline [aria-current='page'] .lesson-title"),
        ["The Second Page"]
    );
}

/// Question 1 right and question 2 wrong by keys, then the score, Retry, and the
/// retried question right.
fn answer_retry_and_finish_by_keyboard(app: &App) {
    // Question 1 right, question 2 wrong.
    app.keys(&digit_of(app, 0, "Python"));
    app.keys(key::ENTER);
    app.wait_for(
        "#quiz fieldset.question:nth-of-type(1)[data-graded='correct']",
        Duration::from_secs(5),
    );
    app.keys(key::ENTER);
    app.keys(&digit_of(app, 1, "A video"));
    app.keys(key::ENTER);
    app.wait_for(
        "#quiz fieldset.question:nth-of-type(2)[data-graded='wrong']",
        Duration::from_secs(5),
    );
    // Each result is part of its question's accessible name, and said in the live region.
    let names = app.accessible_names("#quiz fieldset.question");
    assert!(names[0].ends_with("✓ Correct"), "{names:?}");
    assert!(names[1].ends_with("✗ Not quite"), "{names:?}");
    app.wait_js("announced", "return document.getElementById('announcer').textContent.startsWith('Question 2: Not quite.') || document.getElementById('announcer').textContent.startsWith('Score');", json!(true));
    // Enter moves to the score; Tab to "Retry", Enter retries the missed one.
    app.keys(key::ENTER);
    app.wait_js(
        "focus on the score",
        "return document.activeElement.id;",
        json!("quiz-score"),
    );
    assert!(app.texts("#quiz-score .score-line")[0].starts_with("1 of 2"));
    tab_until(app, "Retry", |f| {
        f["cls"].as_str().unwrap_or("").contains("retry")
    });
    app.keys(key::ENTER);
    app.wait_for(
        "#quiz fieldset.question:not([data-graded])",
        Duration::from_secs(5),
    );
    app.wait_js(
        "focus in the retried question",
        "return Boolean(document.activeElement.closest('#quiz fieldset.question'));",
        json!(true),
    );
    app.keys(&digit_of(app, 0, "A table"));
    app.keys(&digit_of(app, 0, "A diagram"));
    app.keys(key::ENTER);
    app.wait_for(
        "#quiz fieldset.question[data-graded='correct']",
        Duration::from_secs(5),
    );
    app.keys(key::ENTER);
    app.wait_js(
        "focus on the score",
        "return document.activeElement.id;",
        json!("quiz-score"),
    );
    assert!(app.texts("#quiz-score .score-line")[0].starts_with("1 of 1"));
}

#[test]
fn reading_size_keys_change_the_text_and_the_size_survives_a_restart() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    app.click("#outline .lesson-link[data-lesson='first']");
    app.wait_for(
        "article.lesson[data-lesson='first'] #lesson-body",
        Duration::from_secs(10),
    );
    let size = "return getComputedStyle(document.getElementById('lesson-body')).fontSize;";
    assert_eq!(app.js(size), json!("17.5px"));
    app.chord(&[key::CTRL, "="]);
    app.chord(&[key::CTRL, "="]);
    assert_eq!(app.js(size), json!("22.75px"));
    // The size is stored in the progress database by a command the key does not wait for.
    let db = app.db_path();
    wait_until("the reading size in the progress database", || {
        let store = lectern::progress::Store::open_read_only(&db).ok()?;
        (store.setting("reading_scale").ok()?.as_deref() == Some("1.3")).then_some(())
    });
    let app = app.restart();
    app.click("#outline .lesson-link[data-lesson='first']");
    app.wait_for(
        "article.lesson[data-lesson='first'] #lesson-body",
        Duration::from_secs(10),
    );
    assert_eq!(
        app.js(size),
        json!("22.75px"),
        "the reading size was not kept"
    );
    app.chord(&[key::CTRL, "0"]);
    assert_eq!(app.js(size), json!("17.5px"));
}

/// Elements of the lesson page whose content is wider than they are, or that stick out
/// of the reading column: prose that would scroll sideways.
fn sideways(app: &App) -> Value {
    app.js("const main = document.getElementById('main');
         const wide = (e) => e.scrollWidth > e.clientWidth + 1;
         const bad = [];
         if (wide(document.documentElement)) bad.push('page');
         if (wide(main)) bad.push('main');
         const right = main.getBoundingClientRect().right + 1;
         for (const e of document.querySelectorAll('.lesson-head, .lesson-body > p, .lesson-body li, .quiz, .question, .lesson-nav'))
           if (wide(e) || e.getBoundingClientRect().right > right) bad.push(e.className || e.tagName);
         return bad;",
    )
}

#[test]
fn in_a_1280_by_720_window_and_at_200_percent_zoom_prose_does_not_scroll_sideways() {
    let (_tmp, dir) = fixture("e2e/reader");
    let app = App::start(&[&dir]);
    app.click("#outline .lesson-link[data-lesson='first']");
    app.wait_for(
        "article.lesson[data-lesson='first'] #quiz",
        Duration::from_secs(10),
    );
    app.set_window_size(1280, 720);
    assert_eq!(app.js("return innerWidth;"), json!(1280));
    assert_eq!(sideways(&app), json!([]), "sideways scrolling at 1280×720");
    // 200% zoom of a 1280-pixel window lays the page out in 640 CSS pixels (media
    // queries included), which is what a 640-pixel window at 100% gives.
    app.set_window_size(640, 720);
    assert_eq!(app.js("return innerWidth;"), json!(640));
    assert_eq!(sideways(&app), json!([]), "sideways scrolling at 200% zoom");
    app.screenshot(&shot_path("zoom-200.png"));
}

#[test]
fn axe_finds_nothing_serious_on_any_lesson_of_the_bundled_course_in_either_theme() {
    let app = App::start(&[]);
    app.wait_checked();
    let ids = app.js("return Array.from(document.querySelectorAll('#outline .lesson-link')).map(a => a.dataset.lesson);",
    );
    let ids: Vec<String> = ids
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 8);
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        for id in &ids {
            app.click(&format!("#outline .lesson-link[data-lesson='{id}']"));
            app.wait_for(
                &format!("article.lesson[data-lesson='{id}'] #lesson-body"),
                Duration::from_secs(10),
            );
            app.assert_accessible(&format!("bundled lesson {id}, {theme}"));
        }
        // The last lesson's quiz, every question answered with its first option.
        let n = app.find_all("#quiz fieldset.question").len();
        for q in 0..n {
            app.exec(
                "const fs = document.querySelectorAll('#quiz fieldset.question')[arguments[0]];
                 fs.querySelector('input').click(); fs.querySelector('.check').click();",
                json!([q]),
            );
        }
        app.wait_for("#quiz-score:not([hidden])", Duration::from_secs(10));
        app.assert_accessible(&format!("bundled answered quiz, {theme}"));
    }
}
