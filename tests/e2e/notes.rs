//! Notes: a sentence highlighted with the keyboard keeps its note across a restart and
//! follows its text when the author edits the lesson live; the lesson with highlights
//! and the note editor pass axe in both themes, and the notes view lists it; the search
//! palette finds a note by a word of it and opens its lesson at the highlight.

use std::path::Path;
use std::time::Duration;

use serde_json::json;

use crate::harness::{fixture, key, shot_path, App};

const WAIT: Duration = crate::harness::PATIENCE;
const SENTENCE: &str = "The moon pulls the water towards itself.";
const NOTE: &str = "Twice a day: two bulges.";

/// Saves `text` as `file` the way most editors do: a temporary file renamed over it.
fn save(file: &Path, text: &str) {
    let tmp = file.with_file_name(".tides.md.swp-save");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, file).unwrap();
}

fn open_tides(app: &App) {
    app.click("#outline .lesson-link[data-lesson='tides']");
    app.wait_for("article.lesson[data-lesson='tides'] #lesson-body", WAIT);
}

/// Selects `text` in the lesson body with a DOM range, as a mouse drag would.
pub(crate) fn select(app: &App, text: &str) {
    let found = app.exec(
        "const body = document.getElementById('lesson-body');
         const w = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
         for (let n = w.nextNode(); n; n = w.nextNode()) {
           const at = n.data.indexOf(arguments[0]);
           if (at < 0) continue;
           const r = document.createRange();
           r.setStart(n, at);
           r.setEnd(n, at + arguments[0].length);
           const s = window.getSelection();
           s.removeAllRanges();
           s.addRange(r);
           return true;
         }
         return false;",
        json!([text]),
    );
    assert_eq!(found, json!(true), "`{text}` is not in the lesson");
}

/// Waits until the highlight's marks together read `text` (and it has a note, if `note`).
fn wait_highlight(app: &App, text: &str, note: Option<&str>) {
    app.wait_js(
        "the highlight drawn over its sentence",
        "const marks = [...document.querySelectorAll('#lesson-body mark.hl')];
         const button = document.querySelector('#lesson-body .hl-note');
         return {text: marks.map(m => m.textContent).join(''),
                 note: button ? button.getAttribute('aria-label') : null};",
        json!({
            "text": text,
            "note": note.map(|n| format!("Note on “{text}”: {n}")),
        }),
    );
}

#[test]
fn a_sentence_highlighted_with_the_keyboard_keeps_its_note_across_a_restart_and_follows_a_live_edit(
) {
    let (_tmp, dir) = fixture("e2e/notes");
    let file = dir.join("tides.md");
    let app = App::start(&[&dir]);
    open_tides(&app);
    // After the code block, whose Copy button the window adds: offsets must skip it.
    select(&app, SENTENCE);
    app.keys("h");
    wait_highlight(&app, SENTENCE, None);
    assert_eq!(app.find_all("#lesson-body mark.hl.hl-yellow").len(), 1);

    app.keys("N");
    app.wait_for("#note-input", WAIT);
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("note editor, {theme}"));
    }
    app.keys(NOTE);
    app.chord(&[key::CTRL, key::ENTER]);
    wait_highlight(&app, SENTENCE, Some(NOTE));
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("lesson with a highlight, {theme}"));
        app.screenshot(&shot_path(&format!("notes-highlight-{theme}.png")));
    }

    let app = app.restart();
    open_tides(&app);
    wait_highlight(&app, SENTENCE, Some(NOTE));

    // The author adds a paragraph above and rewords the next sentence: the highlight
    // stays on its own text.
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text
        .replace(
            "# Tides\n",
            "# Tides\n\nA new opening paragraph, added live.\n",
        )
        .replace("The sun pulls too, but less.", "The sun pulls as well.");
    save(&file, &edited);
    app.wait_js(
        "the edit shown",
        "return document.getElementById('lesson-body').textContent.includes('added live');",
        json!(true),
    );
    wait_highlight(&app, SENTENCE, Some(NOTE));
    the_notes_view_lists_it_and_opens_the_lesson_at_it(&app);
}

/// `w`: the notes view lists the highlight under its lesson with its note; its link
/// opens the lesson with the highlight flashed.
fn the_notes_view_lists_it_and_opens_the_lesson_at_it(app: &App) {
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("v");
    app.wait_for("article.notes-view .note-link", WAIT);
    let listed = app.js(
        "return [...document.querySelectorAll('.notes-lesson')].map(s => ({
           lesson: s.querySelector('h2').textContent,
           links: [...s.querySelectorAll('.note-link')].map(a => a.textContent),
           notes: [...s.querySelectorAll('.note-text')].map(p => p.textContent)}));",
    );
    assert_eq!(
        listed,
        json!([{"lesson": "Tides", "links": [SENTENCE], "notes": [NOTE]}])
    );
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("notes view, {theme}"));
    }
    app.click(".notes-lesson .note-link");
    app.wait_for("#lesson-body mark.hl.flash", WAIT);
    the_toolbar_recolours_and_removes_it(app);
}

/// A click on the highlight shows the toolbar: a colour recolours it, Remove removes it.
fn the_toolbar_recolours_and_removes_it(app: &App) {
    app.click("#lesson-body mark.hl");
    app.wait_for("#hl-toolbar:not([hidden]) [data-color='green']", WAIT);
    app.click("#hl-toolbar [data-color='green']");
    app.wait_for("#lesson-body mark.hl.hl-green", WAIT);
    app.click("#lesson-body mark.hl");
    app.wait_for(
        "#hl-toolbar:not([hidden]) [data-action='highlightRemove']",
        WAIT,
    );
    app.click("#hl-toolbar [data-action='highlightRemove']");
    app.wait_js(
        "the highlight removed",
        "return document.querySelectorAll('#lesson-body mark.hl, #lesson-body .hl-note').length;",
        json!(0),
    );
}

#[test]
fn the_search_palette_finds_a_note_by_its_words_labelled_as_a_note_and_opens_its_lesson_at_it() {
    let (_tmp, dir) = fixture("e2e/notes");
    let app = App::start(&[&dir]);
    open_tides(&app);
    select(&app, SENTENCE);
    app.keys("h");
    wait_highlight(&app, SENTENCE, None);
    app.keys("N");
    app.wait_for("#note-input", WAIT);
    app.keys(NOTE);
    app.chord(&[key::CTRL, key::ENTER]);
    wait_highlight(&app, SENTENCE, Some(NOTE));
    // Away from the lesson (the notes view), then `/` and a word only the note has.
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("v");
    app.wait_for("article.notes-view", WAIT);
    app.keys("/");
    app.wait_for("dialog#search[open]", WAIT);
    app.keys("bulges");
    app.wait_for("#search-results [role=option][data-kind='note']", WAIT);
    let shown = app.js(
        "const o = document.querySelector('#search-results [role=option][data-kind=note]');
         return {label: o.querySelector('.search-badge').textContent,
                 text: o.textContent,
                 group: o.closest('[role=group]').getAttribute('aria-labelledby'),
                 marked: [...o.querySelectorAll('mark')].map(m => m.textContent)};",
    );
    assert_eq!(
        shown,
        json!({
            "label": "Your note",
            "text": format!("Your note{SENTENCE} — {NOTE}"),
            "group": "search-group-0",
            "marked": ["bulges"],
        })
    );
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("search palette with a note, {theme}"));
    }
    app.keys(key::ENTER);
    app.wait_for(
        "article.lesson[data-lesson='tides'] #lesson-body mark.hl.flash",
        WAIT,
    );
    assert_eq!(app.js("return location.hash;"), json!("#lesson/tides"));
}
