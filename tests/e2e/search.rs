//! The search palette: typed queries answered by the core's index, grouped by lesson,
//! arrows and Enter landing on the heading with the terms highlighted.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{fixture, key, shot_path, App};

/// The app on the search fixture, its check done and its first index built (a search
/// answers without `indexing`), so every answer is the whole course's.
fn start_checked() -> (tempfile::TempDir, App) {
    let (tmp, dir) = fixture("e2e/search");
    let app = App::start(&[&dir]);
    app.wait_checked();
    app.wait_js(
        "the first index to be built",
        "return window.__TAURI__.core.invoke('search', {query: 'zebra', limit: 1}).then(r => r.indexing === undefined);",
        json!(true),
    );
    (tmp, app)
}

/// Opens the lesson `alpha` and waits for it.
fn open_alpha(app: &App) {
    app.exec("location.hash = '#lesson/alpha';", json!([]));
    app.wait_for(
        "article.lesson[data-lesson='alpha']",
        Duration::from_secs(10),
    );
}

fn open_palette_with(app: &App, query: &str) {
    app.keys("/");
    app.wait_for("dialog#search[open]", Duration::from_secs(5));
    assert_eq!(
        app.js("return document.activeElement.id;"),
        json!("search-input")
    );
    app.keys(query);
    app.wait_for("#search-results [role=option]", Duration::from_secs(5));
}

/// The id of the palette's highlighted option (`aria-activedescendant`).
fn active_option(app: &App) -> Value {
    app.js("return document.getElementById('search-input').getAttribute('aria-activedescendant');")
}

#[test]
fn palette_types_arrows_and_lands_on_the_heading_with_terms_marked() {
    let (_tmp, app) = start_checked();
    open_palette_with(&app, "zebra");
    // Grouped by lesson: both lessons, each with its title, the snippets marked.
    let groups = app.texts("#search-results .search-lesson");
    let mut sorted = groups.clone();
    sorted.sort();
    assert_eq!(sorted, vec!["Alpha", "Beta"], "{groups:?}");
    assert!(!app
        .find_all("#search-results .search-snippet mark")
        .is_empty());
    assert_eq!(active_option(&app), json!("search-option-0"));
    app.keys(key::DOWN);
    assert_eq!(active_option(&app), json!("search-option-1"));
    // ↑ goes back, and wraps from the first result to the last.
    app.keys(key::UP);
    app.keys(key::UP);
    let last = app.js("return 'search-option-' + (document.querySelectorAll('#search-results [role=option]').length - 1);");
    assert_eq!(active_option(&app), last);
    app.keys(key::DOWN);
    app.keys(key::DOWN);
    assert_eq!(active_option(&app), json!("search-option-1"));
    // The second option as the palette shows them: grouped by lesson, best lesson first.
    let second = app.js("return window.__TAURI__.core.invoke('search', {query: 'zebra', limit: 30}).then(r => { \
         const g = new Map(); for (const h of r.results) { if (!g.has(h.lesson)) g.set(h.lesson, []); g.get(h.lesson).push(h); } \
         return [...g.values()].flat()[1]; });",
    );
    let (lesson, anchor) = (
        second["lesson"].as_str().unwrap(),
        second["anchor"].as_str().unwrap(),
    );
    assert!(!anchor.is_empty(), "{second}");
    app.keys(key::ENTER);
    app.wait_for(
        &format!("article.lesson[data-lesson='{lesson}']"),
        Duration::from_secs(10),
    );
    assert_eq!(
        app.js("return location.hash;"),
        json!(format!("#lesson/{lesson}/{anchor}"))
    );
    assert_eq!(
        app.js("return document.getElementById('search').open;"),
        json!(false)
    );
    // The heading is at the top of the reading pane, far below the lesson's start.
    app.wait_js_with("heading at the top",
        "const h = document.getElementById(arguments[0] || 'x'); const m = document.getElementById('main'); \
         if (!h) return 'missing'; const d = h.getBoundingClientRect().top - m.getBoundingClientRect().top; \
         return m.scrollTop > 200 && d >= -5 && d < 120;",
        &json!([anchor]),
        &json!(true),
    );
    let marks = app.js("return Array.from(document.querySelectorAll('#lesson-body mark.search-hit')).map(m => m.textContent.toLowerCase());");
    assert!(!marks.as_array().unwrap().is_empty(), "{marks}");
    assert!(
        marks.as_array().unwrap().iter().all(|m| m == "zebra"),
        "{marks}"
    );
    // Until the next navigation.
    app.exec(
        "location.hash = '#lesson/' + (arguments[0] === 'alpha' ? 'beta' : 'alpha');",
        json!([lesson]),
    );
    app.wait_js_with("the other lesson, no marks",
        "const a = document.querySelector('article.lesson'); \
         return [a.dataset.lesson !== arguments[0], document.querySelectorAll('mark.search-hit').length];",
        &json!([lesson]),
        &json!([true, 0]),
    );
}

#[test]
fn palette_shows_each_lesson_once_suggests_a_word_and_marks_the_words_a_typo_found() {
    let (_tmp, app) = start_checked();
    // `horses` hits alpha, beta, beta, alpha, alpha: each lesson is one group, in the
    // order of its best hit, and ↓ walks the options as shown.
    open_palette_with(&app, "horses");
    assert_eq!(
        app.texts("#search-results .search-lesson"),
        vec!["Alpha", "Beta"]
    );
    let shown = app.js("return Array.from(document.querySelectorAll('#search-results [role=option]')).map(o => o.id);");
    let ids: Vec<String> = (0..shown.as_array().unwrap().len())
        .map(|i| format!("search-option-{i}"))
        .collect();
    assert_eq!(shown, json!(ids), "options numbered in the order shown");
    // Nothing matches: the core's nearest word is offered.
    app.exec(
        "const i = document.getElementById('search-input'); i.value = ''; i.focus();",
        json!([]),
    );
    app.keys("zebrq qwxzzy");
    app.wait_js(
        "did you mean",
        "return document.getElementById('search-status').textContent;",
        json!("No results for “zebrq qwxzzy”. Did you mean “zebra”?"),
    );
    // A typo finds the lesson, and the lesson marks the words found, not the typo.
    app.exec(
        "const i = document.getElementById('search-input'); i.value = ''; i.focus();",
        json!([]),
    );
    app.keys("stripse");
    app.wait_for("#search-results [role=option]", Duration::from_secs(5));
    app.keys(key::ENTER);
    app.wait_for(
        "article.lesson[data-lesson='beta']",
        Duration::from_secs(10),
    );
    app.wait_js_with(
        "the words found are marked",
        "const m = Array.from(document.querySelectorAll('#lesson-body mark.search-hit')); \
         return m.length > 0 && m.every(x => x.textContent.toLowerCase().startsWith('stripe'));",
        &json!([]),
        &json!(true),
    );
}

#[test]
fn palette_says_when_nothing_matches_and_escape_returns_focus() {
    let (_tmp, app) = start_checked();
    app.exec(
        "document.querySelector('#outline .lesson-link').focus();",
        json!([]),
    );
    let before = app.js("return document.activeElement.dataset.lesson;");
    app.chord(&[key::CTRL, "k"]);
    app.wait_for("dialog#search[open]", Duration::from_secs(5));
    app.keys("qwxzzy");
    app.wait_js(
        "no results",
        "return document.getElementById('search-status').textContent;",
        json!("No results for “qwxzzy”"),
    );
    assert!(app.find_all("#search-results [role=option]").is_empty());
    app.keys(key::ESCAPE);
    app.wait_for("dialog#search:not([open])", Duration::from_secs(5));
    assert_eq!(
        app.js("return document.activeElement.dataset.lesson;"),
        before
    );
}

#[test]
fn ctrl_f_marks_and_moves_and_axe_passes_the_find_bar_in_either_theme() {
    let (_tmp, app) = start_checked();
    open_alpha(&app);
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.exec("document.getElementById('main').focus();", json!([]));
        app.chord(&[key::CTRL, "f"]);
        app.wait_for("#find:not([hidden])", Duration::from_secs(5));
        app.keys("zebra");
        let count = "return document.getElementById('find-count').textContent;";
        app.wait_js("first of three", count, json!("1 of 3"));
        app.keys(key::ENTER);
        app.keys(key::ENTER);
        assert_eq!(app.js(count), json!("3 of 3"));
        let current_in_view =
            "const m = document.querySelector('mark.find-hit.current').getBoundingClientRect(); \
             return m.top >= 0 && m.bottom <= window.innerHeight;";
        assert_eq!(app.js(current_in_view), json!(true));
        app.assert_accessible(&format!("find bar, {theme}"));
        app.keys(key::ESCAPE);
        app.wait_for("#find[hidden]", Duration::from_secs(5));
        assert!(app.find_all("mark.find-hit").is_empty());
        // Start the next theme from an empty field (a kept query is found again on
        // open, and a late search of the typed one would reset the position).
        app.js("document.getElementById('find-input').value = ''; return 0;");
    }
}

#[test]
fn axe_finds_nothing_serious_on_the_palette_in_either_theme() {
    let (_tmp, app) = start_checked();
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        open_palette_with(&app, "zebra");
        app.assert_accessible(&format!("search palette with results, {theme}"));
        app.keys(key::ESCAPE);
        app.wait_for("dialog#search:not([open])", Duration::from_secs(5));
        app.js("document.getElementById('search-input').value = ''; return 0;");
    }
}

/// The lessons whose group the palette shows for `query`, once it has answered it.
fn palette_lessons(app: &App, query: &str) -> Vec<String> {
    app.js("const i = document.getElementById('search-input'); i.value = ''; delete document.getElementById('search-results').dataset.query; return 0;");
    app.keys(query);
    app.wait_js_with(
        "the palette answers",
        "return document.getElementById('search-input').value === arguments[0] \
             && document.getElementById('search-results').dataset.query === arguments[0];",
        &json!([query]),
        &json!(true),
    );
    app.texts("#search-results .search-lesson")
}

#[test]
fn palette_finds_a_lesson_edited_while_the_app_runs_by_its_new_words_not_its_old_ones() {
    let (_tmp, dir) = fixture("e2e/search");
    let app = App::start(&[&dir]);
    app.wait_checked();
    let file = dir.join("alpha.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let tmp = file.with_file_name(".alpha.md.swp-save");
    std::fs::write(
        &tmp,
        text.replace("zebra", "okapi").replace("Zebra", "Okapi"),
    )
    .unwrap();
    std::fs::rename(&tmp, &file).unwrap();
    // The watcher re-syncs the index: wait for the core to know the new word.
    app.wait_js(
        "the index follows the edit",
        "return window.__TAURI__.core.invoke('search', {query: 'okapi', limit: 30}) \
             .then(r => r.results.map(h => h.lesson).join());",
        json!("alpha"),
    );
    app.keys("/");
    app.wait_for("dialog#search[open]", Duration::from_secs(5));
    assert_eq!(palette_lessons(&app, "okapi"), vec!["Alpha"]);
    assert_eq!(
        palette_lessons(&app, "zebra"),
        vec!["Beta"],
        "the old word is gone from Alpha"
    );
}

#[test]
fn choosing_a_hit_in_the_open_lesson_scrolls_to_its_heading_and_marks_accented_terms() {
    let (_tmp, app) = start_checked();
    open_alpha(&app);
    // `naive` finds and marks `naïve`, in the lesson already open, at its heading.
    open_palette_with(&app, "naive");
    let first = app.js("return window.__TAURI__.core.invoke('search', {query: 'naive', limit: 30}).then(r => r.results[0]);",
    );
    assert_eq!(first["lesson"], json!("alpha"), "{first}");
    let anchor = first["anchor"].as_str().unwrap().to_owned();
    assert!(!anchor.is_empty(), "{first}");
    app.keys(key::ENTER);
    app.wait_for("dialog#search:not([open])", Duration::from_secs(5));
    app.wait_js_with("heading at the top",
        "const h = document.getElementById(arguments[0] || 'x'); const m = document.getElementById('main'); \
         if (!h) return 'missing'; const d = h.getBoundingClientRect().top - m.getBoundingClientRect().top; \
         return m.scrollTop > 200 && d >= -5 && d < 120;",
        &json!([anchor]),
        &json!(true),
    );
    assert_eq!(
        app.js("return decodeURIComponent(location.hash);"),
        json!(format!("#lesson/alpha/{anchor}"))
    );
    let marks = app.js("return Array.from(document.querySelectorAll('#lesson-body mark.search-hit')).map(m => m.textContent);");
    assert!(!marks.as_array().unwrap().is_empty(), "{marks}");
    assert!(
        marks
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m == "naïve" || m == "Naïve"),
        "{marks}"
    );
}

#[test]
fn enter_on_a_quiz_prompt_hit_lands_on_the_knowledge_check() {
    let (_tmp, app) = start_checked();
    open_palette_with(&app, "tapir");
    assert_eq!(
        app.texts("#search-results .search-heading"),
        vec!["Knowledge Check"]
    );
    app.keys(key::ENTER);
    app.wait_for(
        "article.lesson[data-lesson='beta']",
        Duration::from_secs(10),
    );
    assert_eq!(
        app.js("return location.hash;"),
        json!("#lesson/beta/quiz-title")
    );
    app.wait_js("the quiz heading in view",
        "const h = document.getElementById('quiz-title'); const m = document.getElementById('main'); \
         if (!h) return 'missing'; const r = h.getBoundingClientRect(), b = m.getBoundingClientRect(); \
         return m.scrollTop > 200 && r.top >= b.top - 5 && r.bottom <= b.bottom;",
        json!(true),
    );
}

#[test]
fn ctrl_f_with_no_matches_clears_the_palette_s_marks() {
    let (_tmp, app) = start_checked();
    open_palette_with(&app, "zebra");
    app.keys(key::ENTER);
    app.wait_for("#lesson-body mark.search-hit", Duration::from_secs(10));
    app.exec("document.getElementById('main').focus();", json!([]));
    app.chord(&[key::CTRL, "f"]);
    app.wait_for("#find:not([hidden])", Duration::from_secs(5));
    app.keys("qxqxq");
    app.wait_js(
        "nothing found",
        "return document.getElementById('find-count').textContent;",
        json!("No matches"),
    );
    assert!(
        app.find_all("#view mark").is_empty(),
        "marks left in the lesson"
    );
}

#[test]
fn ctrl_f_finds_within_the_course_page_and_the_dashboard() {
    let (_tmp, app) = start_checked();
    let views = [
        ("#", "#course-home-title", "alpha", "light"),
        ("#dashboard", "#dashboard-title", "reviews due", "dark"),
    ];
    for (hash, drawn, word, theme) in views {
        app.set_theme(theme);
        app.exec("location.hash = arguments[0];", json!([hash]));
        app.wait_for(drawn, Duration::from_secs(10));
        app.exec("document.getElementById('main').focus();", json!([]));
        app.chord(&[key::CTRL, "f"]);
        app.wait_for("#find:not([hidden])", Duration::from_secs(5));
        assert_eq!(app.texts("#find label"), ["Find in page"]);
        app.keys(word);
        app.wait_js(
            "a first match",
            "return /^1 of \\d+$/.test(document.getElementById('find-count').textContent);",
            json!(true),
        );
        let marked = app.js("return Array.from(document.querySelectorAll('#view mark.find-hit')).map(m => m.textContent.toLowerCase());");
        assert!(
            marked.as_array().unwrap().iter().all(|m| m == word),
            "{marked}"
        );
        app.assert_accessible(&format!("find bar on {hash}, {theme}"));
        app.keys(key::ESCAPE);
        app.wait_for("#find[hidden]", Duration::from_secs(5));
        assert!(app.find_all("mark.find-hit").is_empty());
        app.js("document.getElementById('find-input').value = ''; return 0;");
    }
}

#[test]
fn palette_searches_while_the_first_index_builds_says_how_far_then_shows_every_lesson() {
    let (tmp, dir) = fixture("e2e/search");
    // The test seam: batches of one lesson, the build held after the first (alpha,
    // first in course order) until `go_on` exists, so the palette is seen while
    // indexing however fast the machine is.
    let go_on = tmp.path().join("index-go-on");
    let app = App::start_with_env(
        &[&dir],
        &[
            ("LECTERN_TEST_INDEX_BATCH", "1"),
            ("LECTERN_TEST_INDEX_HOLD", go_on.to_str().unwrap()),
        ],
    );
    open_palette_with(&app, "zebra");
    app.wait_js(
        "the palette to say it is indexing",
        "return document.getElementById('search-indexing').textContent;",
        json!("indexing, 1 of 2 lessons"),
    );
    // Only the lesson indexed so far, though beta holds zebra too.
    assert_eq!(app.texts("#search-results .search-lesson"), ["Alpha"]);
    assert_eq!(
        app.texts("#search-status"),
        ["1 result"],
        "one, not 1 results"
    );
    assert_eq!(
        app.js("const s = document.getElementById('search-indexing'); return [s.getAttribute('role'), s.getAttribute('aria-live')];"),
        json!(["status", "polite"])
    );
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.screenshot(&shot_path(&format!("search-indexing-{theme}.png")));
        app.assert_accessible(&format!("search palette while indexing, {theme}"));
    }
    std::fs::write(&go_on, "").unwrap();
    // Once the index is done the query is asked again: every lesson, nothing said.
    app.wait_js(
        "the full results once indexed",
        "return [document.getElementById('search-indexing').textContent, \
         Array.from(document.querySelectorAll('#search-results .search-lesson')).map(e => e.textContent).sort()];",
        json!(["", ["Alpha", "Beta"]]),
    );
    assert_eq!(
        app.js("return document.getElementById('search').open;"),
        json!(true)
    );
}
