//! "Make a card": a highlighted phrase becomes a review card from the highlight's
//! toolbar; the review asks for it as a blank in its sentence, typed and graded, with a
//! link back to the lesson; the notes view filters highlights by colour from the
//! keyboard. The toolbar, the card and the filter pass axe in both themes.

use std::path::Path;
use std::time::Duration;

use serde_json::json;

use crate::harness::{fixture, key, shot_path, App};
use crate::notes::select;

const WAIT: Duration = crate::harness::PATIENCE;
const PHRASE: &str = "pulls the water";

/// The app on `dir` with [`PHRASE`] of "Tides" highlighted from the keyboard.
fn highlighted_in_tides(dir: &Path) -> App {
    let app = App::start(&[dir]);
    app.click("#outline .lesson-link[data-lesson='tides']");
    app.wait_for("article.lesson[data-lesson='tides'] #lesson-body", WAIT);
    select(&app, PHRASE);
    app.keys("h");
    app.wait_for("#lesson-body mark.hl.hl-yellow", WAIT);
    app
}

#[test]
fn a_highlighted_phrase_made_a_card_is_answered_by_typing_in_review() {
    let (_tmp, dir) = fixture("e2e/notes");
    let app = highlighted_in_tides(&dir);
    app.click("#lesson-body mark.hl");
    app.wait_for("#hl-toolbar:not([hidden]) [data-action='makeCard']", WAIT);
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("highlight toolbar with Card, {theme}"));
    }
    app.click("#hl-toolbar [data-action='makeCard']");
    app.wait_js(
        "the card's toast",
        "return document.getElementById('toast').textContent;",
        json!("Card made, due in review now: “The moon ___ towards itself.”"),
    );
    app.wait_js(
        "the outline counts the card",
        "return document.getElementById('outline-review').textContent;",
        json!("Review · 1 due"),
    );

    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("r");
    app.wait_for(
        "fieldset.review-card:not([data-graded]) .answer-field",
        WAIT,
    );
    assert_eq!(
        app.texts("fieldset.review-card .q-prompt"),
        ["The moon ___ towards itself."]
    );
    assert_eq!(
        app.texts("fieldset.review-card .review-source"),
        ["Your card, from a highlight in “Tides” · Delete card"]
    );
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("a card made of a highlight, {theme}"));
    }
    app.js("document.querySelector('fieldset.review-card .answer-field').focus(); return 1;");
    app.keys("Pulls the  water");
    app.keys(key::ENTER);
    app.wait_for(
        "fieldset.review-card[data-graded='correct'] .review-rate",
        WAIT,
    );
    assert_eq!(app.texts("fieldset.review-card .verdict"), ["Correct."]);
    app.screenshot(&shot_path("cards-review.png"));
    app.keys(key::ENTER);
    app.wait_for("#review-summary", WAIT);
    the_notes_view_filters_highlights_by_colour_from_the_keyboard(&app);
    let app = an_edited_sentence_is_flagged_in_review_with_a_link_to_it(app, &dir);
    drop(app);
}

/// `v`, then the colour filter: arrows move through the radio group, and only the
/// highlights of the chosen colour stay listed.
fn the_notes_view_filters_highlights_by_colour_from_the_keyboard(app: &App) {
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("v");
    app.wait_for("#notes-filter input[value='all']:checked", WAIT);
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("notes view with the colour filter, {theme}"));
    }
    let listed = "return [...document.querySelectorAll('.notes-view .note-item')]
                    .filter(li => !li.hidden).length;";
    assert_eq!(app.js(listed), json!(1));
    // All → Yellow → Green with the arrow keys: the yellow highlight is hidden.
    app.js("document.querySelector('#notes-filter input[value=all]').focus(); return 1;");
    app.keys(key::RIGHT);
    app.wait_for("#notes-filter input[value='yellow']:checked", WAIT);
    assert_eq!(app.js(listed), json!(1));
    app.keys(key::RIGHT);
    app.wait_for("#notes-filter input[value='green']:checked", WAIT);
    app.wait_js("the yellow highlight hidden", listed, json!(0));
    assert_eq!(app.texts("#notes-filter-status"), ["0 green highlights"]);
}

/// The author rewords the card's sentence; a month later the card, due again, says so,
/// shows the new sentence, and its link opens the lesson at the highlight.
fn an_edited_sentence_is_flagged_in_review_with_a_link_to_it(app: App, dir: &Path) -> App {
    let file = dir.join("tides.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace(
        "The moon pulls the water towards itself.",
        "The moon pulls the water towards itself, day and night.",
    );
    std::fs::write(&file, edited).unwrap();
    let month = app.js("return Date.now();").as_i64().unwrap() + 30 * 86_400_000;
    let app = app.restart_at(month);
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("r");
    app.wait_for("fieldset.review-card #card-source-state", WAIT);
    assert_eq!(
        app.texts("fieldset.review-card #card-source-state q"),
        ["The moon pulls the water towards itself, day and night."]
    );
    assert_eq!(
        app.texts("fieldset.review-card .q-prompt"),
        ["The moon ___ towards itself."],
        "the card keeps the text it was made with"
    );
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("a card whose sentence changed, {theme}"));
    }
    app.click("#card-source-state a");
    app.wait_for("#lesson-body mark.hl.flash", WAIT);
    app
}

/// The learner deletes a card they made, from the keyboard: `D` asks first (focus on
/// Cancel, Escape keeps the card), the dialog passes axe in both themes, and once
/// confirmed the card leaves the session and the reviews for good while its highlight
/// stays in the lesson.
#[test]
fn a_card_the_learner_made_is_deleted_from_review_after_asking() {
    let (_tmp, dir) = fixture("e2e/notes");
    let app = highlighted_in_tides(&dir);
    app.keys("k");
    app.wait_js(
        "the outline counts the card",
        "return document.getElementById('outline-review').textContent;",
        json!("Review · 1 due"),
    );
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("r");
    app.wait_for("fieldset.review-card .delete-card", WAIT);
    // Checked (a wrong answer), focus leaves the answer field for the verdict: `D`.
    app.js("document.querySelector('fieldset.review-card .answer-field').focus(); return 1;");
    app.keys("sinks");
    app.keys(key::ENTER);
    app.wait_for("fieldset.review-card[data-graded='wrong']", WAIT);
    app.screenshot(&shot_path("cards-delete-button.png"));
    app.keys("D");
    app.wait_for("#confirm[open]", WAIT);
    assert_eq!(
        app.js("return document.activeElement.id;"),
        json!("confirm-cancel")
    );
    assert_eq!(app.texts("#confirm-title"), ["Delete this card?"]);
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("deleting a card the learner made, {theme}"));
    }
    app.screenshot(&shot_path("cards-delete-dialog.png"));
    app.keys(key::ESCAPE);
    app.wait_for("#confirm:not([open])", WAIT);
    assert_eq!(app.find_all("fieldset.review-card").len(), 1, "kept");
    app.js("document.querySelector('fieldset.review-card .feedback').focus(); return 1;");
    app.keys("D");
    app.wait_for("#confirm[open]", WAIT);
    app.keys(key::TAB);
    app.keys(key::ENTER);
    app.wait_js(
        "the toast",
        "return document.getElementById('toast').textContent;",
        json!("Card deleted"),
    );
    app.wait_for("#review-summary", WAIT);
    app.wait_js(
        "the outline counts nothing due",
        "return document.getElementById('outline-review').textContent;",
        json!("Review"),
    );
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("r");
    app.wait_for("#review-empty", WAIT);
    app.click("#outline .lesson-link[data-lesson='tides']");
    app.wait_for("#lesson-body mark.hl.hl-yellow", WAIT);
}
