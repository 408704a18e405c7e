//! Code and formulas wider than the column: a block that scrolls says so (a shade on the
//! side with more), a tall one scrolls within the window so its horizontal scrollbar is
//! on screen with it, code wraps on request (`w` or a block's Wrap button, remembered),
//! and no inline formula is cut off at 800 px.

use std::time::Duration;

use serde_json::json;

use crate::harness::{shot_path, App};

const LESSONS: [&str; 8] = [
    "nlp-text-preprocessing",
    "nlp-word-embeddings",
    "nlp-sequence-models",
    "nlp-attention",
    "nlp-transformers",
    "nlp-bert-gpt",
    "nlp-decoding",
    "nlp-fine-tuning",
];

fn open(app: &App, id: &str) {
    app.js(&format!("location.hash = '#lesson/{id}'; return 1;"));
    app.wait_for(
        &format!("article.lesson[data-lesson='{id}'] #lesson-body"),
        Duration::from_secs(10),
    );
    app.settle();
}

/// Code blocks of the open lesson wider than what they show.
const CLIPPED: &str = "return Array.from(document.querySelectorAll('#lesson-body figure.code pre'))
    .filter(p => p.offsetParent && p.scrollWidth > p.clientWidth + 1).length;";

/// Inline formulas reaching past the lesson's column, not in a box that scrolls.
const CUT_FORMULAS: &str =
    "const body = document.getElementById('lesson-body').getBoundingClientRect();
    return Array.from(document.querySelectorAll('#lesson-body math:not([display=block])'))
      .filter(m => !m.closest('[data-scrolls]') && m.getBoundingClientRect().right > body.right + 1)
      .map(m => m.textContent);";

#[test]
fn wide_code_shows_it_scrolls_wraps_on_request_and_no_formula_is_cut_off() {
    let app = App::start(&[]);
    app.set_window_size(1200, 800);
    open(&app, "nlp-attention");
    let clipped = app.js(CLIPPED).as_u64().unwrap();
    assert!(clipped > 0, "the lesson has code wider than the column");
    // Each clipped block says it has more to the right; scrolled, more to the left.
    let unmarked = app.js("return Array.from(document.querySelectorAll('#lesson-body figure.code pre'))
        .filter(p => p.offsetParent && p.scrollWidth > p.clientWidth + 1 && !(p.dataset.more || '').includes('right')).length;");
    assert_eq!(unmarked, json!(0));
    app.js("const p = Array.from(document.querySelectorAll('#lesson-body figure.code pre')).find(p => p.scrollWidth > p.clientWidth + 1);
            p.id = 'wide-one'; p.scrollIntoView({block: 'center', behavior: 'instant'}); p.scrollLeft = 40; return 1;");
    app.wait_js(
        "the scrolled block marked as having more on both sides",
        "return document.getElementById('wide-one').dataset.more.split(' ').filter(s => s !== 'down');",
        json!(["left", "right"]),
    );
    // A block never outgrows the window: its horizontal scrollbar is on screen with it.
    let tall = app.js("return Array.from(document.querySelectorAll('#lesson-body pre[data-scrolls]'))
        .filter(p => p.offsetParent && p.getBoundingClientRect().height > innerHeight * 0.75 + 1).length;");
    assert_eq!(tall, json!(0));
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("lesson with wide code, {theme}"));
        app.screenshot(&shot_path(&format!("wide-code-1200-{theme}.png")));
    }

    // `w` wraps every block (their Wrap buttons pressed), and it is remembered.
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("w");
    app.wait_js("code wrapped", CLIPPED, json!(0));
    assert_eq!(
        app.js("return Array.from(document.querySelectorAll('.wrap-toggle')).every(b => b.getAttribute('aria-pressed') === 'true');"),
        json!(true)
    );
    app.js("document.getElementById('wide-one').scrollIntoView({block: 'center', behavior: 'instant'}); return 1;");
    app.settle();
    app.screenshot(&shot_path("wide-code-wrapped-1200.png"));
    let app = app.restart();
    app.set_window_size(800, 700);
    open(&app, "nlp-attention");
    app.wait_js("code still wrapped after a restart", CLIPPED, json!(0));
    // The Wrap button turns it off again.
    app.click("#lesson-body .wrap-toggle");
    app.wait_js(
        "code scrolling again",
        "return document.documentElement.dataset.codeWrap;",
        json!("off"),
    );
    assert!(app.js(CLIPPED).as_u64().unwrap() > 0);

    // At 800 px no inline formula of any lesson reaches past the column unscrollable.
    for id in LESSONS {
        open(&app, id);
        assert_eq!(app.js(CUT_FORMULAS), json!([]), "in {id}");
    }
    app.screenshot(&shot_path("wide-800.png"));
}
