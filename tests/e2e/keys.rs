//! Every key of the keymap, pressed in the real window, does what its action says; the
//! help dialog lists exactly the keymap.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{fixture, key, App};
use crate::live::RecordingEditor;

/// The keymap as the UI defines it (`ui/js/keymap.js`), read from the page.
fn keymap(app: &App) -> Vec<Value> {
    let v = app.exec(
        "return import('./js/keymap.js').then(m => m.KEYMAP.map(b => ({keys: b.keys, shown: b.shown || b.keys, action: b.action, help: b.help})));",
        json!([]),
    );
    v.as_array().expect("the keymap").clone()
}

fn focused_lesson(app: &App) -> Value {
    app.js("return document.activeElement.dataset.lesson || null;")
}

fn open_lesson(app: &App) -> Value {
    app.js(
        "const a = document.querySelector('article.lesson'); return a ? a.dataset.lesson : null;",
    )
}

/// Presses `k` (a WebDriver key, or Ctrl+key when `ctrl`) and records it as pressed.
fn press(app: &App, pressed: &mut Pressed, name: &str, k: &str, ctrl: bool) {
    if ctrl {
        app.chord(&[key::CTRL, k]);
        pressed.insert(format!("Ctrl+{name}"));
    } else {
        app.keys(k);
        pressed.insert(name.to_owned());
    }
}

#[test]
fn help_lists_exactly_the_keymap() {
    let (_tmp, dir) = fixture("e2e/keys");
    let app = App::start(&[&dir]);
    app.keys("?");
    app.wait_for("dialog#help[open]", Duration::from_secs(5));
    let map = keymap(&app);
    let rows = app.js("return Array.from(document.querySelectorAll('#help .help-row')).map(r => [r.querySelector('dt').textContent, r.querySelector('dd').textContent]);",
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), map.len(), "one help row per binding: {rows:?}");
    // The rows are grouped by where the keys work, so each binding is found by its text.
    for b in &map {
        let matching: Vec<_> = rows.iter().filter(|r| r[1] == b["help"]).collect();
        assert_eq!(matching.len(), 1, "one row says {}", b["help"]);
        let row = matching[0];
        for k in b["shown"].as_array().unwrap() {
            let k = k.as_str().unwrap();
            // A one-letter key is shown upper-case after Ctrl (and Shift).
            let shown = match k.rsplit_once('+') {
                Some((mods, c)) if c.len() == 1 && mods.starts_with("Ctrl") => {
                    format!("{mods}+{}", c.to_uppercase())
                }
                _ => k.to_owned(),
            };
            let shown = shown
                .replace("ArrowUp", "↑")
                .replace("ArrowDown", "↓")
                .replace("ArrowLeft", "←")
                .replace("ArrowRight", "→");
            assert!(
                row[0].as_str().unwrap().contains(&shown),
                "{row} lacks {shown}"
            );
        }
    }
    app.keys(key::ESCAPE);
    app.wait_for("dialog#help:not([open])", Duration::from_secs(5));
}

/// Keys pressed so far, as the keymap writes them.
type Pressed = BTreeSet<String>;

/// `?` (help), `g` (focus the outline), the outline's arrows, Home, End and Enter.
fn help_and_outline_keys(app: &App, p: &mut Pressed) {
    press(app, p, "?", "?", false);
    app.wait_for("dialog#help[open]", Duration::from_secs(5));
    press(app, p, "?", "?", false);
    app.wait_for("dialog#help:not([open])", Duration::from_secs(5));
    press(app, p, "a", "a", false);
    app.wait_for("dialog#about[open]", Duration::from_secs(5));
    app.keys(key::ESCAPE);
    app.wait_for("dialog#about:not([open])", Duration::from_secs(5));
    press(app, p, "v", "v", false);
    app.wait_for("article.notes-view", Duration::from_secs(10));
    // `/` and Ctrl+K open the search palette, focus in its box; Escape closes it.
    press(app, p, "/", "/", false);
    app.wait_for("dialog#search[open]", Duration::from_secs(5));
    assert_eq!(
        app.js("return document.activeElement.id;"),
        json!("search-input")
    );
    assert_eq!(
        app.js("return document.getElementById('search-input').value;"),
        json!("")
    );
    press(app, p, "Escape", key::ESCAPE, false);
    app.wait_for("dialog#search:not([open])", Duration::from_secs(5));
    press(app, p, "k", "k", true);
    app.wait_for("dialog#search[open]", Duration::from_secs(5));
    assert_eq!(
        app.js("return document.activeElement.id;"),
        json!("search-input")
    );
    app.keys(key::ESCAPE);
    app.wait_for("dialog#search:not([open])", Duration::from_secs(5));

    press(app, p, "g", "g", false);
    assert_eq!(focused_lesson(app), json!("one"));
    press(app, p, "ArrowDown", key::DOWN, false);
    assert_eq!(focused_lesson(app), json!("two"));
    press(app, p, "End", key::END, false);
    assert_eq!(focused_lesson(app), json!("three"));
    press(app, p, "ArrowUp", key::UP, false);
    assert_eq!(focused_lesson(app), json!("two"));
    press(app, p, "Home", key::HOME, false);
    assert_eq!(focused_lesson(app), json!("one"));
    press(app, p, "Enter", key::ENTER, false);
    app.wait_for("article.lesson[data-lesson='one']", Duration::from_secs(10));
}

/// `n`/`p`/arrows between lessons; `e` opens the lesson's file in the editor.
fn lesson_keys(app: &App, p: &mut Pressed, dir: &Path, editor: &RecordingEditor) {
    for (name, k, want) in [
        ("n", "n", "two"),
        ("p", "p", "one"),
        ("ArrowRight", key::RIGHT, "two"),
        ("ArrowLeft", key::LEFT, "one"),
    ] {
        press(app, p, name, k, false);
        app.wait_for(
            &format!("article.lesson[data-lesson='{want}']"),
            Duration::from_secs(10),
        );
    }
    assert_eq!(open_lesson(app), json!("one"));
    // Alt+Left goes back to the lesson before, Alt+Right forward again.
    for (name, arrow, want) in [
        ("Alt+ArrowLeft", key::LEFT, "two"),
        ("Alt+ArrowRight", key::RIGHT, "one"),
    ] {
        app.chord(&[key::ALT, arrow]);
        p.insert(name.to_owned());
        app.wait_for(
            &format!("article.lesson[data-lesson='{want}']"),
            Duration::from_secs(10),
        );
    }
    press(app, p, "e", "e", false);
    let path = std::fs::canonicalize(dir.join("one.md")).unwrap();
    // At the top of the lesson: the line of its title heading.
    assert_eq!(editor.args(), format!("+9\n{}\n", path.display()));
    // Ctrl+F: the find bar, marks in the lesson body, Enter / Shift+Enter, Escape.
    press(app, p, "f", "f", true);
    app.wait_for("#find:not([hidden])", Duration::from_secs(5));
    assert_eq!(
        app.js("return document.activeElement.id;"),
        json!("find-input")
    );
    app.keys("one");
    let count = "return document.getElementById('find-count').textContent;";
    let marks = "return document.querySelectorAll('#lesson-body mark.find-hit').length;";
    app.wait_js("first match", count, json!("1 of 3"));
    assert_eq!(app.js(marks), json!(3));
    app.keys(key::ENTER);
    assert_eq!(app.js(count), json!("2 of 3"));
    app.chord(&[key::SHIFT, key::ENTER]);
    p.insert("Shift+Enter".to_owned());
    assert_eq!(app.js(count), json!("1 of 3"));
    press(app, p, "Escape", key::ESCAPE, false);
    app.wait_for("#find[hidden]", Duration::from_secs(5));
    assert_eq!(app.js(marks), json!(0));
    note_keys(app, p);
}

/// `h` highlights the selection, `N` opens its note editor (typing there types; Escape
/// closes it), `b` bookmarks the heading nearest the top.
fn note_keys(app: &App, p: &mut Pressed) {
    app.exec(
        "const t = document.querySelector('#lesson-body p').firstChild;
         const r = document.createRange();
         r.setStart(t, 0);
         r.setEnd(t, 'A shepherd counts stones'.length);
         window.getSelection().removeAllRanges();
         window.getSelection().addRange(r);",
        json!([]),
    );
    press(app, p, "h", "h", false);
    app.wait_js(
        "the selection highlighted",
        "return [...document.querySelectorAll('#lesson-body mark.hl')].map(m => m.textContent).join('');",
        json!("A shepherd counts stones"),
    );
    press(app, p, "N", "N", false);
    app.wait_js(
        "the note editor focused",
        "return document.activeElement.id;",
        json!("note-input"),
    );
    app.keys("n");
    assert_eq!(
        app.js("return document.getElementById('note-input').value;"),
        json!("n")
    );
    app.keys(key::ESCAPE);
    app.wait_js(
        "the note editor closed",
        "return document.getElementById('note-input') === null;",
        json!(true),
    );
    app.js("document.getElementById('main').focus(); return 1;");
    press(app, p, "b", "b", false);
    app.wait_js(
        "the bookmark's toast",
        "return document.getElementById('toast').textContent;",
        json!("Bookmarked at “Counting Stones”"),
    );
    // `k` with nothing selected says how to make a card (the card itself: cards.rs;
    // none is made here, so the review below holds only the course's questions).
    app.js("window.getSelection().removeAllRanges(); return 1;");
    press(app, p, "k", "k", false);
    app.wait_js(
        "the card key's hint",
        "return document.getElementById('toast').textContent;",
        json!("Select text of the lesson or click a highlight first, then make a card"),
    );
    selection_and_author_keys(app, p);
}

/// `]` a word more, `[` a word less, `}` a sentence, from a caret put in the first
/// paragraph; `A` turns author mode on (the quiz shows its key) and off again.
fn selection_and_author_keys(app: &App, p: &mut Pressed) {
    app.exec(
        "window.getSelection().collapse(document.querySelector('#lesson-body p').firstChild, 0);
         document.getElementById('main').focus();",
        json!([]),
    );
    let selected = "return window.getSelection().toString().trim();";
    press(app, p, "]", "]", false);
    press(app, p, "]", "]", false);
    assert_eq!(app.js(selected), json!("A shepherd"));
    press(app, p, "[", "[", false);
    assert_eq!(app.js(selected), json!("A"));
    press(app, p, "}", "}", false);
    assert_eq!(
        app.js(selected),
        json!("A shepherd counts stones into a bag, one for each sheep that leaves the fold.")
    );
    app.js("window.getSelection().removeAllRanges(); return 1;");
    press(app, p, "A", "A", false);
    app.wait_for("#quiz .author-key", Duration::from_secs(10));
    app.keys("A");
    app.wait_for(
        ".author-toggle[aria-pressed='false']",
        Duration::from_secs(10),
    );
    assert!(app.find_all("#quiz .author-key").is_empty());
}

/// `1`–`9` on a nine-option question, Enter to check, Enter again to move on.
fn quiz_keys(app: &App, p: &mut Pressed) {
    app.js("document.querySelector('#quiz fieldset.question input').focus();");
    for d in 1..=9 {
        let digit = d.to_string();
        press(app, p, &digit, &digit, false);
        let checked = app.js("return Array.from(document.querySelectorAll('#quiz fieldset.question:nth-of-type(1) input')).findIndex(i => i.checked) + 1;",
        );
        assert_eq!(checked, json!(d), "digit {d} chose option {checked}");
    }
    press(app, p, "Enter", key::ENTER, false);
    app.wait_for(
        "#quiz fieldset.question:nth-of-type(1) .feedback:not([hidden]) .verdict",
        Duration::from_secs(5),
    );
    app.keys(key::ENTER);
    app.wait_js("focus on question 2",
        "return document.activeElement.closest('fieldset.question') === document.querySelectorAll('#quiz fieldset.question')[1];",
        json!(true),
    );
}

/// Enter and Ctrl+Enter in an answer field check its question: left empty, it asks for
/// an answer (nothing is graded, so no review card comes of it).
fn answer_keys(app: &App, p: &mut Pressed) {
    let typed = "#quiz fieldset.question[data-kind='typed']";
    app.js(&format!(
        "document.querySelector(\"{typed} .answer-field\").focus();"
    ));
    for ctrl in [false, true] {
        app.js(&format!("const f = document.querySelector(\"{typed} .feedback\"); f.hidden = true; f.textContent = '';"));
        press(app, p, "Enter", key::ENTER, ctrl);
        app.wait_js(
            "asked for an answer",
            &format!("return document.querySelector(\"{typed} .feedback\").textContent;"),
            json!("Type an answer first."),
        );
    }
}

/// `t` cycles the theme; Ctrl+= / Ctrl++ / Ctrl+- / Ctrl+0 change the lesson's text size.
fn preference_keys(app: &App, p: &mut Pressed) {
    app.js("document.getElementById('main').focus();");
    press(app, p, "t", "t", false);
    assert_eq!(
        app.js("return document.getElementById('theme-select').value;"),
        json!("light")
    );
    press(app, p, "t", "t", false);
    assert_eq!(
        app.js("return document.documentElement.dataset.theme;"),
        json!("dark")
    );

    let size = "return [document.documentElement.dataset.readingScale, getComputedStyle(document.getElementById('lesson-body')).fontSize];";
    assert_eq!(app.js(size), json!(["1", "17.5px"]));
    press(app, p, "=", "=", true);
    assert_eq!(app.js(size)[0], json!("1.15"));
    app.chord(&[key::CTRL, key::SHIFT, "+"]);
    p.insert("Ctrl++".to_owned());
    assert_eq!(app.js(size), json!(["1.3", "22.75px"]));
    press(app, p, "-", "-", true);
    assert_eq!(app.js(size)[0], json!("1.15"));
    press(app, p, "0", "0", true);
    assert_eq!(app.js(size), json!(["1", "17.5px"]));

    // `w` wraps long code lines, again scrolls them (the preference on <html>).
    let wrap = "return document.documentElement.dataset.codeWrap;";
    press(app, p, "w", "w", false);
    assert_eq!(app.js(wrap), json!("on"));
    press(app, p, "w", "w", false);
    assert_eq!(app.js(wrap), json!("off"));
    // Ctrl+B hides the outline, again shows it.
    let shown = "return getComputedStyle(document.getElementById('sidebar')).display !== 'none';";
    press(app, p, "b", "b", true);
    app.wait_js("the outline hidden", shown, json!(false));
    press(app, p, "b", "b", true);
    app.wait_js("the outline shown", shown, json!(true));
    // `o` goes to the contents; this lesson has a Knowledge Check only, and says so.
    press(app, p, "o", "o", false);
    app.wait_js(
        "o on a lesson without sections",
        "return document.getElementById('toast').textContent;",
        json!("This lesson has no sections to list"),
    );
}

/// F5 and Ctrl+R read the course again from disk, keeping the lesson; Ctrl+O shows the
/// system's folder picker (dismissed with Escape).
/// `m` marks the open lesson complete, `x` asks to reset it (Escape keeps it), Ctrl+,
/// opens Settings, `c` continues in the lesson left, `s` practises its section.
fn progress_keys(app: &App, p: &mut Pressed) {
    let id = open_lesson(app);
    let id = id.as_str().unwrap();
    let state = format!(
        "return document.querySelector(\"#outline .lesson-link[data-lesson='{id}']\").dataset.state;"
    );
    app.js("document.getElementById('main').focus();");
    press(app, p, "m", "m", false);
    app.wait_js("marked complete", &state, json!("completed"));
    press(app, p, "x", "x", false);
    app.wait_for("dialog#confirm[open]", Duration::from_secs(5));
    app.keys(key::ESCAPE);
    app.wait_js(
        "dialog closed",
        "return document.getElementById('confirm').open;",
        json!(false),
    );
    assert_eq!(app.js(&state), json!("completed"));
    press(app, p, ",", ",", true);
    app.wait_for("article.settings", Duration::from_secs(5));
    assert_eq!(open_lesson(app), Value::Null);
    press(app, p, "c", "c", false);
    let lesson = "return document.querySelector('article.lesson')?.dataset.lesson ?? null;";
    app.wait_js("continued", lesson, json!(id));
    // `s` practises the lesson's section; `c` comes back.
    app.js("document.getElementById('main').focus();");
    press(app, p, "s", "s", false);
    app.wait_for("article.practice #review-title", Duration::from_secs(5));
    // The first card may be a typed one, whose field takes focus (and `c` as a letter):
    // out of it first, as a learner would.
    app.js("document.getElementById('main').focus();");
    app.keys("c");
    app.wait_js("continued after practice", lesson, json!(id));
}

fn course_keys(app: &App, p: &mut Pressed, dir: &std::path::Path) {
    for (name, k, ctrl, title) in [
        ("F5", key::F5, false, "Stones, Renamed"),
        ("r", "r", true, "Stones, Again"),
    ] {
        let path = dir.join("one.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let old = text
            .lines()
            .find(|l| l.starts_with("title: "))
            .unwrap()
            .to_owned();
        std::fs::write(&path, text.replace(&old, &format!("title: {title}"))).unwrap();
        press(app, p, name, k, ctrl);
        app.wait_js(
            "reloaded lesson title",
            "return document.querySelector('.lesson-head h1').textContent;",
            json!(title),
        );
        assert_eq!(open_lesson(app), json!("one"));
    }
    press(app, p, "o", "o", true);
    app.wait_native_window("Open a folder of lessons");
    app.xdotool(&["key", "Escape"]);
    app.wait_native_window_gone("Open a folder of lessons");
    app.chord(&[key::CTRL, key::SHIFT, "o"]);
    p.insert("Ctrl+Shift+o".to_owned());
    app.wait_native_window("Open a course file");
    app.xdotool(&["key", "Escape"]);
    app.wait_native_window_gone("Open a course file");
}

/// `r` opens the review session, `d` the dashboard; in a session a month later (both
/// questions of lesson one due), a right answer then `h` rates it Hard, `e` Easy.
fn review_keys(app: App, p: &mut Pressed) -> App {
    // Lesson one's second question, answered too, so that two cards exist.
    app.click("#outline .lesson-link[data-lesson='one']");
    app.wait_for("#quiz fieldset.question", Duration::from_secs(10));
    app.js("const fs = document.querySelectorAll('#quiz fieldset.question')[1];
         for (const l of fs.querySelectorAll('label.option')) if (l.textContent.includes('A count')) l.querySelector('input').click();
         fs.querySelector('.check').click();",
    );
    app.wait_for(
        "#quiz fieldset.question:nth-of-type(2) .feedback.good",
        Duration::from_secs(5),
    );
    app.js("document.getElementById('main').focus();");
    press(&app, p, "d", "d", false);
    app.wait_for("article.dashboard #chart-due", Duration::from_secs(10));
    let month = app.js("return Date.now();").as_i64().unwrap() + 30 * 86_400_000;
    let app = app.restart_at(month);
    app.js("document.getElementById('main').focus();");
    press(&app, p, "r", "r", false);
    for (name, toast) in [("h", "Rated Hard"), ("e", "Rated Easy")] {
        app.wait_for(
            "fieldset.review-card:not([data-graded])",
            Duration::from_secs(10),
        );
        let digit = app.js("const opts = Array.from(document.querySelectorAll('fieldset.review-card .opt-html')).map(o => o.textContent.trim());
             return Math.max(opts.indexOf('Seven'), opts.indexOf('A count')) + 1;",
        );
        app.keys(&digit.as_i64().unwrap().to_string());
        app.keys(key::ENTER);
        app.wait_for(
            "fieldset.review-card[data-graded='correct']",
            Duration::from_secs(5),
        );
        if name == "h" {
            // Shift+D deletes only a card the learner made: on the course's own
            // question it says so, and asks nothing.
            press(&app, p, "D", "D", false);
            app.wait_js(
                "the toast saying why not",
                "return document.getElementById('toast').textContent;",
                json!("Only cards you made can be deleted: this is one of the course's questions"),
            );
            assert_eq!(
                app.js("return document.getElementById('confirm').open;"),
                json!(false)
            );
        }
        press(&app, p, name, name, false);
        app.wait_js(
            "the rating's toast",
            &format!(
                "return document.getElementById('toast').textContent.startsWith({});",
                json!(toast)
            ),
            json!(true),
        );
    }
    app.wait_for("#review-summary", Duration::from_secs(5));
    app
}

#[test]
fn every_key_of_the_keymap_does_its_action() {
    let (tmp, dir) = fixture("e2e/keys");
    let editor = RecordingEditor::new(tmp.path());
    let app = App::start_with_env(&[&dir], &[("EDITOR", editor.script())]);
    let mut pressed = Pressed::new();
    help_and_outline_keys(&app, &mut pressed);
    lesson_keys(&app, &mut pressed, &dir, &editor);
    quiz_keys(&app, &mut pressed);
    answer_keys(&app, &mut pressed);
    preference_keys(&app, &mut pressed);
    progress_keys(&app, &mut pressed);
    course_keys(&app, &mut pressed, &dir);
    let app = review_keys(app, &mut pressed);

    // Every key of every binding was pressed above.
    let mut wanted = Pressed::new();
    for b in keymap(&app) {
        for k in b["keys"].as_array().unwrap() {
            wanted.insert(k.as_str().unwrap().to_owned());
        }
    }
    let missing: Vec<_> = wanted.difference(&pressed).collect();
    assert!(
        missing.is_empty(),
        "keys of the keymap not tested: {missing:?}"
    );
}

#[test]
fn help_groups_keys_by_where_they_work_each_key_once_per_group_and_fits_at_1280_by_800() {
    let (_tmp, dir) = fixture("e2e/keys");
    let app = App::start(&[&dir]);
    app.set_window_size(1280, 800);
    app.keys("?");
    app.wait_for("dialog#help[open]", Duration::from_secs(5));
    app.settle();
    let groups = app.js(
        "return Array.from(document.querySelectorAll('#help .help-group')).map(g =>
           [g.querySelector('h3').textContent, Array.from(g.querySelectorAll('dt')).map(d => d.textContent)]);",
    );
    let titles: Vec<&str> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g[0].as_str().unwrap())
        .collect();
    for place in [
        "Anywhere",
        "outline",
        "lesson",
        "Knowledge Check",
        "answer field",
        "review",
        "search",
        "find",
    ] {
        assert!(
            titles.iter().any(|t| t.contains(place)),
            "no group for {place}: {titles:?}"
        );
    }
    for g in groups.as_array().unwrap() {
        let mut seen = BTreeSet::new();
        for keys in g[1].as_array().unwrap() {
            for k in keys.as_str().unwrap().split(" or ") {
                assert!(seen.insert(k.to_owned()), "{k} twice in the group {}", g[0]);
            }
        }
    }
    assert_eq!(
        app.js("const d = document.getElementById('help'); return d.scrollHeight <= d.clientHeight && d.getBoundingClientRect().bottom <= innerHeight;"),
        json!(true),
        "the help scrolls at 1280×800"
    );
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("help, {theme}"));
        app.settle();
        app.screenshot(&crate::harness::shot_path(&format!("help-{theme}.png")));
    }
}
