//! Live preview: saves to the open lesson's file show up in the window at once, in
//! place, without a reload and without the scroll jumping; a broken lesson shows its
//! errors over the last good render; the Edit key opens the author's editor.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::{fixture, App};

const WAIT: Duration = crate::harness::PATIENCE;

/// Saves `text` as `file` the way most editors do: a temporary file renamed over it.
fn save(file: &Path, text: &str) {
    let tmp = file.with_file_name(".tides.md.swp-save");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, file).unwrap();
}

/// Waits until `script` returns true.
fn wait_true(app: &App, script: &str, what: &str) {
    let deadline = Instant::now() + WAIT;
    while app.js(script) != json!(true) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Where heading `id` is, relative to the top of the reading area, and the scroll.
fn position(app: &App, id: &str) -> (f64, f64) {
    let v = app.exec(
        "const main = document.getElementById('main');
         const h = document.getElementById(arguments[0]);
         return [h.getBoundingClientRect().top - main.getBoundingClientRect().top, main.scrollTop];",
        json!([id]),
    );
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

/// A stand-in for the author's editor: a script that writes its arguments, one a line,
/// to a file (`EDITOR` names it).
pub(crate) struct RecordingEditor {
    script: PathBuf,
    out: PathBuf,
}

impl RecordingEditor {
    pub(crate) fn new(dir: &Path) -> RecordingEditor {
        use std::os::unix::fs::PermissionsExt as _;
        let out = dir.join("editor-args.txt");
        let script = dir.join("recording-editor.sh");
        let o = out.display();
        let text = format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{o}.part'\nmv '{o}.part' '{o}'\n");
        std::fs::write(&script, text).unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        RecordingEditor { script, out }
    }

    pub(crate) fn script(&self) -> &str {
        self.script.to_str().unwrap()
    }

    /// The arguments of the next run (waits for it), one a line.
    pub(crate) fn args(&self) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(text) = std::fs::read_to_string(&self.out) {
                std::fs::remove_file(&self.out).unwrap();
                return text;
            }
            assert!(Instant::now() < deadline, "the editor was not started");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn open_tides(app: &App) {
    app.click("#outline .lesson-link[data-lesson='tides']");
    app.wait_for("article.lesson[data-lesson='tides'] #quiz", WAIT);
}

#[test]
fn saves_to_the_open_lesson_show_in_place_errors_show_over_the_last_good_render_and_removal_is_noticed(
) {
    let (_tmp, dir) = fixture("e2e/live");
    let file = dir.join("tides.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let app = App::start(&[&dir]);
    open_tides(&app);
    // A marker that a reload of the page would lose.
    app.js("window.__notReloaded = true; return 1;");
    // Answer the first question: an edit elsewhere must not throw the answer away.
    app.click("#quiz fieldset.question:first-of-type .option input");
    app.click("#quiz fieldset.question:first-of-type button.check");
    app.wait_for("#quiz fieldset.question[data-graded]", WAIT);

    let (edited, added) = an_edit_keeps_the_reading_position(&app, &file, &original);
    a_broken_front_matter_shows_errors_over_the_last_good_render(&app, &file, &edited, added);

    // Fixed: the panel goes and the new text shows.
    let fixed = edited.replace(added, "The sentence, fixed.");
    save(&file, &fixed);
    wait_true(
        &app,
        "return !document.getElementById('live-panel') && document.getElementById('lesson-body').textContent.includes('The sentence, fixed.');",
        "the panel to go once the file is fixed",
    );
    assert_eq!(
        app.find_all("#quiz fieldset.question[data-graded]").len(),
        1,
        "the answered question survives the broken save too"
    );

    // Removed: a notice, the last render still there.
    std::fs::remove_file(&file).unwrap();
    app.wait_for("#live-panel.live-removed", WAIT);
    let notice = app.js("return document.querySelector('#live-panel p').textContent;");
    assert!(
        notice
            .as_str()
            .unwrap()
            .contains("your progress in it is kept"),
        "{notice}"
    );
    assert_eq!(app.texts("#outline .lesson-title"), ["Currents"]);
    assert_eq!(app.texts(".lesson-head h1"), ["Tides"]);
    // Nothing left to edit, mark or reset: the buttons go, and their keys say why.
    assert!(
        app.find_all(".lesson-head .edit, #lesson-status button")
            .is_empty(),
        "a removed lesson still offers Edit, Mark as complete or Reset"
    );
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("m");
    app.wait_js(
        "the toast for m on a removed lesson",
        "return document.getElementById('toast').textContent;",
        json!("This lesson is no longer in the course"),
    );
}

#[test]
fn the_edit_key_and_an_error_location_open_the_author_s_editor_at_the_line() {
    let (tmp, dir) = fixture("e2e/live");
    let editor = RecordingEditor::new(tmp.path());
    let app = App::start_with_env(&[&dir], &[("EDITOR", editor.script())]);
    open_tides(&app);
    let file = std::fs::canonicalize(dir.join("tides.md")).unwrap();
    let read_args = || editor.args();

    // At the top of the lesson: its title heading's line.
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("e");
    assert_eq!(read_args(), format!("+7\n{}\n", file.display()));
    // Reading part 5 (its heading just scrolled past): that heading's line.
    app.js("const main = document.getElementById('main'); const h = document.getElementById('part-5');
         main.scrollTo({top: main.scrollTop + h.getBoundingClientRect().top - main.getBoundingClientRect().top + 10, behavior: 'instant'});
         return 1;",
    );
    app.keys("e");
    assert_eq!(read_args(), format!("+55\n{}\n", file.display()));

    // A broken front matter: its location in the error panel opens the file there.
    let text = std::fs::read_to_string(&file).unwrap();
    save(&file, &text.replace("title: Tides\n", "title: \"Tides\n"));
    app.wait_for("#live-panel .diag-loc", WAIT);
    let line = app.exec(
        "return Number(document.querySelector('#live-panel .diag').dataset.line);",
        json!([]),
    );
    assert_eq!(line, json!(3));
    app.click("#live-panel .diag-loc");
    assert_eq!(read_args(), format!("+3\n{}\n", file.display()));
    // The same problem in the course's Problems panel: its Edit button does the same.
    app.wait_for("#diag-badge.has-errors:not([hidden])", WAIT);
    app.click("#diag-badge");
    app.wait_for(
        "#diagnostics:not([hidden]) .diag[data-code='front-matter-syntax'] .diag-edit",
        WAIT,
    );
    app.click("#diagnostics .diag[data-code='front-matter-syntax'] .diag-edit");
    assert_eq!(read_args(), format!("+3\n{}\n", file.display()));
}

/// Scrolled to part 5, a save that adds text above it: the text appears, the heading
/// stays where it was on screen, the page is not reloaded, the answer is kept.
fn an_edit_keeps_the_reading_position(
    app: &App,
    file: &Path,
    original: &str,
) -> (String, &'static str) {
    // Read from part 5: its heading 40 px below the top of the reading area.
    app.js("const main = document.getElementById('main'); const h = document.getElementById('part-5');
         main.scrollTo({top: main.scrollTop + h.getBoundingClientRect().top - main.getBoundingClientRect().top - 40, behavior: 'instant'});
         return 1;",
    );
    let (before, scroll_before) = position(app, "part-5");
    assert!((before - 40.0).abs() < 2.0, "scrolled to part 5: {before}");

    // A new paragraph above it (in part 2): the text below moves down in the page.
    let added = "A fresh sentence, written in the editor while the lesson was open.";
    let edited = original.replace("## Part 3\n", &format!("{added}\n\n{added}\n\n## Part 3\n"));
    save(file, &edited);
    wait_true(
        app,
        &format!("return document.getElementById('lesson-body').textContent.includes('{added}');"),
        "the edit to appear",
    );
    let (after, scroll_after) = position(app, "part-5");
    assert!(
        (after - before).abs() <= 3.0,
        "the heading read stays where it was on screen: {before} → {after}"
    );
    assert!(
        scroll_after > scroll_before + 20.0,
        "the page scrolled by the added text ({scroll_before} → {scroll_after}), so the heading could stay"
    );
    assert_eq!(app.js("return window.__notReloaded === true;"), json!(true));
    assert_eq!(
        app.find_all("#quiz fieldset.question[data-graded]").len(),
        1,
        "the answered question is kept"
    );
    (edited, added)
}

/// A broken front matter: its error, with the source line, over the last good render;
/// axe-core finds nothing serious on it in either theme.
fn a_broken_front_matter_shows_errors_over_the_last_good_render(
    app: &App,
    file: &Path,
    edited: &str,
    added: &str,
) {
    // Break the front matter: the errors show over the last good render.
    let broken = edited.replace("title: Tides\n", "title: \"Tides\n");
    save(file, &broken);
    app.wait_for("#live-panel.live-errors .diag", WAIT);
    let shown = app.exec(
        "return Array.from(document.querySelectorAll('#live-panel .diag')).map(li => [
           li.querySelector('.diag-loc').textContent, li.dataset.code,
           li.querySelector('.diag-source code').textContent]);",
        json!([]),
    );
    assert_eq!(
        shown,
        json!([["tides.md:3:8", "front-matter-syntax", "title: \"Tides"]])
    );
    let title = app.js("return document.querySelector('#live-panel h2').textContent;");
    assert!(
        title.as_str().unwrap().contains("1 error in tides.md"),
        "{title}"
    );
    assert_eq!(
        app.js(&format!(
            "return document.getElementById('lesson-body').textContent.includes('{added}');"
        )),
        json!(true),
        "the last good render stays visible"
    );
    assert_eq!(app.texts(".lesson-head h1"), ["Tides"]);
    for theme in ["light", "dark"] {
        app.js(&format!("const s = document.getElementById('theme-select'); s.value = '{theme}'; s.dispatchEvent(new Event('change')); return 1;"),
        );
        app.assert_accessible(&format!("live error panel, {theme}"));
    }
}

#[test]
fn the_lessons_folder_going_missing_shows_a_notice_until_it_is_back() {
    let (_tmp, dir) = fixture("e2e/live");
    let app = App::start(&[&dir]);
    open_tides(&app);
    assert!(app.find_all("#watch-status:not([hidden])").is_empty());
    let aside = dir.with_file_name("live-aside");
    std::fs::rename(&dir, &aside).unwrap();
    app.wait_for("#watch-status:not([hidden])", WAIT);
    let text = app.js("return document.getElementById('watch-status').textContent;");
    assert!(
        text.as_str().unwrap().contains("folder is missing"),
        "{text}"
    );
    std::fs::rename(&aside, &dir).unwrap();
    app.wait_for("#watch-status[hidden]", WAIT);
    // Watching again: a save shows up.
    let file = dir.join("tides.md");
    let text = std::fs::read_to_string(&file).unwrap();
    save(
        &file,
        &text.replace("The sea rises", "The sea, back again, rises"),
    );
    wait_true(
        &app,
        "return document.getElementById('lesson-body').textContent.includes('The sea, back again, rises');",
        "a save after the folder came back",
    );
}

/// The rectangles of `css` elements as `[top, bottom, left, right]`, rounded.
fn rect(app: &App, css: &str) -> Vec<i64> {
    let v = app.exec(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();
         return [r.top, r.bottom, r.left, r.right].map(Math.round);",
        json!([css]),
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect()
}

#[test]
fn the_error_panel_folds_to_a_line_remembered_and_covers_neither_the_quiz_nor_the_contents() {
    let (_tmp, dir) = fixture("e2e/live");
    let file = dir.join("tides.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let app = App::start(&[&dir]);
    app.set_window_size(1280, 900);
    open_tides(&app);
    save(
        &file,
        &original.replace("title: Tides\n", "title: \"Tides\n"),
    );
    app.wait_for("#live-panel.live-errors .diag", WAIT);
    // In the lesson's column: "On this page" stays clear.
    let (panel, toc) = (rect(&app, "#live-panel"), rect(&app, "#toc"));
    assert!(
        panel[3] <= toc[2],
        "panel {panel:?} over the contents {toc:?}"
    );

    // Folded to its line, remembered for the next broken save.
    app.click("#live-panel .live-fold");
    app.wait_js(
        "the panel folded",
        "return document.getElementById('live-diags').hidden;",
        json!(true),
    );
    let line = rect(&app, "#live-panel");
    assert!(
        line[1] - line[0] < 56,
        "a folded panel is one line: {line:?}"
    );
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("folded error panel, {theme}"));
        app.screenshot(&crate::harness::shot_path(&format!(
            "live-panel-folded-{theme}.png"
        )));
    }
    save(&file, &original);
    app.wait_js(
        "the panel to go",
        "return document.getElementById('live-panel') === null;",
        json!(true),
    );
    save(
        &file,
        &original.replace("title: Tides\n", "title: \"Tides\n"),
    );
    app.wait_for("#live-panel.live-errors.folded", WAIT);
    app.click("#live-panel .live-fold");
    app.wait_js(
        "the panel unfolded",
        "return document.getElementById('live-diags').hidden;",
        json!(false),
    );

    // The quiz being fixed: on screen, the panel is its line and the quiz below it.
    app.js("document.getElementById('quiz-title').scrollIntoView({block: 'start', behavior: 'instant'}); return 1;");
    app.wait_for("#live-panel.folded", WAIT);
    app.settle();
    app.js("document.getElementById('quiz-title').scrollIntoView({block: 'start', behavior: 'instant'}); return 1;");
    app.settle();
    let (panel, quiz) = (rect(&app, "#live-panel"), rect(&app, "#quiz-title"));
    assert!(
        quiz[0] >= panel[1],
        "the panel {panel:?} covers the quiz's heading {quiz:?}"
    );
    app.screenshot(&crate::harness::shot_path("live-panel-quiz.png"));
}
