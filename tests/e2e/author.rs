//! Author mode: the preview follows a save to the block that changed, each question
//! shows its key, lines and lints, answers are not recorded, and the mode is
//! remembered.

use serde_json::json;

use crate::harness::{fixture, shot_path, App, PATIENCE};
use lectern::progress::Store;

fn open_tides(app: &App) {
    app.click("#outline .lesson-link[data-lesson='tides']");
    app.wait_for("article.lesson[data-lesson='tides'] #quiz", PATIENCE);
}

#[test]
fn author_mode_follows_a_save_far_below_the_fold_and_shows_the_key_without_recording() {
    let (_tmp, dir) = fixture("e2e/live");
    let file = dir.join("tides.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let app = App::start(&[&dir]);
    open_tides(&app);
    assert!(
        app.find_all(".author-key").is_empty(),
        "no key while the mode is off"
    );
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("A");
    app.wait_for(".author-toggle[aria-pressed='true']", PATIENCE);
    app.wait_for("#quiz fieldset.question .author-key", PATIENCE);
    let keys = app.texts("#quiz .author-key .author-where");
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys[0].contains("tides.md:"), "{keys:?}");
    // Authored order: the first option is the right one (none marked).
    assert_eq!(
        app.texts("#quiz fieldset.question:first-of-type .author-options .author-mark"),
        ["✓ right", "✗ wrong", "✗ wrong"]
    );

    // Edit paragraph 3 of part 7, far below what is on screen.
    assert_eq!(
        app.js("return document.getElementById('main').scrollTop;"),
        json!(0)
    );
    let edited = original.replacen(
        "Paragraph 3 of part 7: the moon",
        "Paragraph 3 of part 7, edited: the moon",
        1,
    );
    std::fs::write(&file, &edited).unwrap();
    app.wait_js(
        "the edited paragraph followed and marked",
        "const p = document.querySelector('#lesson-body [data-author-changed]');
         if (!p || !p.textContent.includes('part 7, edited')) return false;
         const r = p.getBoundingClientRect(), m = document.getElementById('main').getBoundingClientRect();
         return r.top >= m.top && r.bottom <= m.bottom;",
        json!(true),
    );
    app.screenshot(&shot_path("author-follow.png"));

    // Answers in author mode are graded, not recorded.
    app.click("#quiz fieldset.question:first-of-type .option input");
    app.click("#quiz fieldset.question:first-of-type button.check");
    app.wait_for(
        "#quiz fieldset.question[data-graded] .author-note",
        PATIENCE,
    );
    let answers = Store::open_read_only(&app.db_path())
        .unwrap()
        .export()
        .unwrap()
        .answers;
    assert!(answers.is_empty(), "{answers:?}");
    app.exec(
        "document.querySelector('#quiz fieldset.question').scrollIntoView({block: 'start'}); return 1;",
        json!([]),
    );
    app.screenshot(&shot_path("author-key.png"));
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("lesson in author mode, {theme}"));
    }

    // Remembered: on after a restart, and off again with the toggle.
    let app = app.restart();
    open_tides(&app);
    app.wait_for("#quiz .author-key", PATIENCE);
    app.click(".author-toggle");
    app.wait_for(".author-toggle[aria-pressed='false']", PATIENCE);
    assert!(app.find_all(".author-key").is_empty());
}
