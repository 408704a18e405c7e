//! Selecting lesson text from the keyboard: `}` selects the sentence at the top of the
//! reading area (or at the caret), `]` and `[` add and take back a word, `h` highlights it with the
//! section it is in, and a note written in Markdown shows rendered in the notes view.

use serde_json::json;

use crate::harness::{fixture, key, App, PATIENCE};

fn selection(app: &App) -> String {
    app.js("return window.getSelection().toString().trim();")
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn keys_select_a_sentence_and_words_that_h_highlights_with_its_section_and_notes_render_markdown() {
    let (_tmp, dir) = fixture("e2e/notes");
    let app = App::start(&[&dir]);
    app.click("#outline .lesson-link[data-lesson='tides']");
    app.wait_for("article.lesson[data-lesson='tides'] #lesson-body", PATIENCE);
    // Nothing selected: the first sentence of the paragraph at the top of the reading area.
    app.js("window.getSelection().removeAllRanges();
         document.getElementById('main').focus(); return 1;");
    app.keys("}");
    assert_eq!(selection(&app), "The sea rises and falls twice a day.");
    // A caret put in a paragraph (a click): the selection grows from there.
    app.js("const p = document.querySelector('#lesson-body h2 + p');
         window.getSelection().collapse(p.firstChild, 0);
         document.getElementById('main').focus(); return 1;");
    app.keys("}");
    assert_eq!(selection(&app), "The moon pulls the water towards itself.");
    app.keys("]");
    assert_eq!(
        selection(&app),
        "The moon pulls the water towards itself. The"
    );
    app.keys("[");
    assert_eq!(selection(&app), "The moon pulls the water towards itself.");
    app.wait_js(
        "the selection announced",
        "return document.querySelector('[aria-live]:not(:empty)') !== null
           && [...document.querySelectorAll('[aria-live]')].some(r => r.textContent.includes('Selected: The moon'));",
        json!(true),
    );

    app.keys("h");
    app.wait_js(
        "the sentence highlighted",
        "return [...document.querySelectorAll('#lesson-body mark.hl')].map(m => m.textContent).join('').trim();",
        json!("The moon pulls the water towards itself."),
    );
    let heading = app.js("return document.querySelector('#lesson-body h2').id;");
    let export = lectern::progress::Store::open_read_only(&app.db_path())
        .unwrap()
        .export()
        .unwrap();
    let kept = serde_json::to_value(&export.annotations).unwrap();
    assert_eq!(kept[0]["heading"], heading, "{kept}");

    app.keys("N");
    app.wait_for("#note-input", PATIENCE);
    app.keys("Because of **gravity**, see `F = ma`");
    app.chord(&[key::CTRL, key::ENTER]);
    app.wait_for("#lesson-body .hl-note", PATIENCE);
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("v");
    app.wait_js(
        "the note rendered from its Markdown",
        "const n = document.querySelector('.notes-view .note-text');
         return n ? [n.querySelector('strong')?.textContent, n.querySelector('code')?.textContent] : null;",
        json!(["gravity", "F = ma"]),
    );
}
