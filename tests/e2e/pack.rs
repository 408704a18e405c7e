//! A `.lectern` file on the command line: its course opened from the unpacked copy,
//! read-only (the watch notice says so, and Edit refuses with the reason).

use serde_json::json;

use crate::harness::{App, PATIENCE};
use crate::live::RecordingEditor;

/// A double-click on a `.lectern` file while Lectern runs starts a second `lectern-app`
/// with it: that one hands the file to the running window, which opens its course, and
/// exits; a file that is no course leaves the open course and says why.
#[test]
fn a_lectern_file_given_to_a_second_instance_opens_in_the_running_window() {
    let (_fixture, dir) = crate::harness::fixture("e2e/live");
    let tmp = tempfile::tempdir().unwrap();
    let course = tmp.path().join("course");
    lectern::scaffold::new_course(&course).unwrap();
    let archive = tmp.path().join("course.lectern");
    lectern::pack::pack(&course, &archive).unwrap();
    let app = App::start(&[&dir]);
    app.wait_for("#outline .lesson-link[data-lesson='tides']", PATIENCE);

    let status = app.second_instance_with(&[&archive], std::time::Duration::from_secs(20));
    assert!(status.is_some_and(|s| s.success()), "{status:?}");
    app.wait_for(
        "#outline .lesson-link[data-lesson='asking-questions']",
        PATIENCE,
    );
    assert!(app
        .find_all("#outline .lesson-link[data-lesson='tides']")
        .is_empty());
    app.wait_js(
        "the toast naming the course",
        "return document.getElementById('toast').textContent.startsWith('Opened');",
        json!(true),
    );

    let junk = tmp.path().join("junk.lectern");
    std::fs::write(&junk, "not a zip").unwrap();
    let status = app.second_instance_with(&[&junk], std::time::Duration::from_secs(20));
    assert!(status.is_some_and(|s| s.success()), "{status:?}");
    app.wait_js(
        "the refusal's toast",
        "return document.getElementById('toast').textContent.startsWith('Not opened:');",
        json!(true),
    );
    assert_eq!(
        app.find_all("#outline .lesson-link[data-lesson='asking-questions']")
            .len(),
        1,
        "the open course stays"
    );
}

#[test]
fn a_lectern_file_opens_its_course_read_only_with_edit_and_live_preview_off() {
    let tmp = tempfile::tempdir().unwrap();
    let course = tmp.path().join("course");
    lectern::scaffold::new_course(&course).unwrap();
    let archive = tmp.path().join("course.lectern");
    lectern::pack::pack(&course, &archive).unwrap();
    let editor = RecordingEditor::new(tmp.path());
    let app = App::start_with_env(&[&archive], &[("EDITOR", editor.script())]);

    app.wait_for(
        "#outline .lesson-link[data-lesson='asking-questions']",
        PATIENCE,
    );
    app.wait_for("#watch-status:not([hidden])", PATIENCE);
    let notice = app.texts("#watch-status")[0].clone();
    assert!(notice.contains("read-only copy"), "{notice}");
    // Unpacked once into the app's data folder, and read from there.
    let packs = app.data_dir().join("app.lectern.desktop").join("packs");
    assert_eq!(std::fs::read_dir(&packs).unwrap().count(), 1);

    app.click("#outline .lesson-link[data-lesson='writing-lessons']");
    app.wait_for(
        "article.lesson[data-lesson='writing-lessons'] #quiz",
        PATIENCE,
    );
    app.js("document.getElementById('main').focus(); return 1;");
    app.keys("e");
    app.wait_js(
        "Edit refused with the reason",
        "return document.getElementById('toast').textContent.includes('Not opened in your editor');",
        json!(true),
    );
    // The refusal came from the core before any editor was started.
    assert!(!tmp.path().join("editor-args.txt").exists());
}
