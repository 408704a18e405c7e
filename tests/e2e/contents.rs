//! "On this page" and narrow windows: the contents list the Knowledge Check and mark
//! exactly the section being read, whatever moved the lesson; a narrow window offers
//! them as a menu under the toolbar; the outline can be hidden (Ctrl+B, the toolbar's
//! button) and stays hidden after a restart; a long course title stays short.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{key, shot_path, App};

const LESSON: &str = "#lesson/nlp-attention";

/// The texts of the marked contents entries (exactly one, when right).
fn marked(app: &App) -> Value {
    app.js("return Array.from(document.querySelectorAll('.toc a.active')).map(a => a.textContent);")
}

/// Waits until exactly `text` is marked.
fn wait_marked(app: &App, text: &str, after: &str) {
    app.wait_js(
        &format!("the contents marking {text} after {after}"),
        "return Array.from(document.querySelectorAll('.toc a.active')).map(a => a.textContent);",
        json!([text]),
    );
}

/// Scrolls the reading area so that `script` (an expression of `main`) is its scrollTop.
fn scroll_main(app: &App, script: &str) {
    app.js(&format!(
        "const main = document.getElementById('main'); main.scrollTo({{top: {script}, behavior: 'instant'}}); return 1;"
    ));
}

fn open_attention(app: &App) -> Vec<String> {
    app.js(&format!("location.hash = '{LESSON}'; return 1;"));
    app.wait_for(
        "article.lesson[data-lesson='nlp-attention'] #quiz",
        Duration::from_secs(10),
    );
    app.settle();
    let entries =
        app.js("return Array.from(document.querySelectorAll('.toc a')).map(a => a.textContent);");
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn on_this_page_lists_the_knowledge_check_and_marks_exactly_the_section_being_read() {
    let app = App::start(&[]);
    app.set_window_size(1280, 900);
    let entries = open_attention(&app);
    assert!(entries.len() > 4, "{entries:?}");
    assert_eq!(entries.last().unwrap(), "Knowledge Check");
    // At the top: the first section, and only it.
    wait_marked(&app, &entries[0], "opening the lesson");

    // A jump from the contents to a section further down.
    let third = app.js("return document.querySelectorAll('.toc a')[2].dataset.target;");
    app.click(&format!(
        ".toc a[data-target='{}']",
        third.as_str().unwrap()
    ));
    wait_marked(&app, &entries[2], "a jump from the contents");

    // Scrolled by hand to the end: the Knowledge Check, and only it.
    scroll_main(&app, "main.scrollHeight");
    wait_marked(&app, "Knowledge Check", "scrolling to the end");

    // Scrolled by hand to the middle of the fourth section: that one.
    let fourth = app.js("return document.querySelectorAll('.toc a')[3].dataset.target;");
    scroll_main(
        &app,
        &format!(
            "document.getElementById('{}').getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop + 40",
            fourth.as_str().unwrap()
        ),
    );
    wait_marked(&app, &entries[3], "scrolling by hand");

    // Back (Alt+Left) to the jump, then Continue from another page: one mark each time.
    app.chord(&[key::ALT, key::LEFT]);
    app.wait_js(
        "Back to the jump",
        "return Array.from(document.querySelectorAll('.toc a.active')).length;",
        json!(1),
    );
    app.js("location.hash = '#dashboard'; return 1;");
    app.wait_for("article.dashboard", Duration::from_secs(10));
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("c");
    app.wait_for("article.lesson", Duration::from_secs(10));
    app.settle();
    assert_eq!(
        marked(&app).as_array().unwrap().len(),
        1,
        "after Continue: {}",
        marked(&app)
    );
    assert_eq!(
        app.js("return document.querySelectorAll('.toc a[aria-current=location]').length;"),
        json!(1)
    );
}

#[test]
fn a_narrow_window_offers_the_contents_as_a_menu_and_the_outline_can_be_hidden_for_good() {
    let app = App::start(&[]);
    app.set_window_size(800, 700);
    let entries = open_attention(&app);
    // Every toolbar control is inside the window.
    assert_eq!(
        app.js("return Array.from(document.querySelectorAll('.toolbar button, .toolbar select, .toolbar a'))
            .filter(e => e.offsetParent && e.getBoundingClientRect().right > innerWidth).map(e => e.id);"),
        json!([])
    );
    // The contents are not beside the lesson; the toolbar's button offers them.
    assert_eq!(
        app.js("return getComputedStyle(document.getElementById('toc')).display;"),
        json!("none")
    );
    app.click("#toc-button");
    app.wait_for("#toc.open", Duration::from_secs(5));
    assert_eq!(
        app.js("return document.activeElement.closest('#toc') !== null;"),
        json!(true)
    );
    assert_eq!(
        app.js("return document.getElementById('toc-button').getAttribute('aria-expanded');"),
        json!("true")
    );
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("contents menu at 800×700, {theme}"));
        app.screenshot(&shot_path(&format!("contents-menu-800-{theme}.png")));
    }
    // Following an entry closes the menu and lands on the section.
    let target = app.js("return document.querySelectorAll('#toc a')[2].dataset.target;");
    app.click(&format!(
        "#toc a[data-target='{}']",
        target.as_str().unwrap()
    ));
    app.wait_js(
        "the menu to close",
        "return document.getElementById('toc').classList.contains('open');",
        json!(false),
    );
    wait_marked(&app, &entries[2], "an entry of the menu");
    // `o` opens it from the keyboard too.
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("o");
    app.wait_for("#toc.open", Duration::from_secs(5));
    app.click("#toc-button");

    let app = the_outline_hides_for_good(app);

    // At 640 px the course title takes two lines at most, all of it in its tooltip.
    app.set_window_size(640, 700);
    let title = app.js(
        "const t = document.getElementById('course-title');
         return [Math.round(t.getBoundingClientRect().height / parseFloat(getComputedStyle(t).lineHeight)), t.title === t.textContent];",
    );
    assert_eq!(title, json!([2, true]), "course title lines, tooltip");
    app.screenshot(&shot_path("narrow-640.png"));
}

/// The outline hides with Ctrl+B and the toolbar's button, stays hidden after a
/// restart, and `g` shows it again. Returns the restarted app.
fn the_outline_hides_for_good(app: App) -> App {
    let sidebar_shown =
        "return getComputedStyle(document.getElementById('sidebar')).display !== 'none';";
    app.js("document.getElementById('main').focus(); return 1;");
    app.chord(&[key::CTRL, "b"]);
    app.wait_js("the outline hidden by Ctrl+B", sidebar_shown, json!(false));
    assert_eq!(
        app.js(
            "return document.getElementById('lesson-body').getBoundingClientRect().width > 600;"
        ),
        json!(true),
        "the lesson takes the width"
    );
    app.screenshot(&shot_path("outline-hidden-800.png"));
    app.click("#sidebar-button");
    app.wait_js(
        "the outline shown by its button",
        sidebar_shown,
        json!(true),
    );
    app.click("#sidebar-button");
    app.wait_js(
        "the outline hidden by its button",
        sidebar_shown,
        json!(false),
    );
    assert_eq!(
        app.js("return document.getElementById('sidebar-button').getAttribute('aria-expanded');"),
        json!("false")
    );
    let app = app.restart();
    app.wait_for("#outline .lesson-link", Duration::from_secs(10));
    app.wait_js(
        "the outline still hidden after a restart",
        sidebar_shown,
        json!(false),
    );
    // `g` (go to the outline) shows it again.
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("g");
    app.wait_js("the outline shown by g", sidebar_shown, json!(true));

    app
}
