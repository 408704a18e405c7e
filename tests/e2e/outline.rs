//! The window lists the course it was opened on.

use std::time::Duration;

use serde_json::json;

use crate::harness::{fixture, App, PATIENCE};

#[test]
fn window_lists_the_fixture_course_lessons_in_order() {
    let (_tmp, dir) = fixture("course/good");
    let app = App::start(&[&dir]);
    assert_eq!(
        app.texts("#outline .lesson-title"),
        ["Hello", "The Second Lesson", "Third, Deeper", "Appendix"]
    );
    assert_eq!(
        app.texts("#outline .section-title"),
        ["GETTING STARTED", "DEEPER", "LESSONS"],
        "section titles, shown in small caps by CSS"
    );
    assert_eq!(app.texts("#course-title"), ["Fixture Course"]);
    assert_eq!(app.texts("#course-meta"), ["4 lessons · 2 h 15 min"]);
    assert_eq!(app.texts("#outline .lesson-duration")[1], "1 h 10 min");
    // A clean course shows no problems badge once checked.
    app.wait_checked();
    let hidden = app.exec(
        "return document.getElementById('diag-badge').hidden;",
        json!([]),
    );
    assert_eq!(hidden, json!(true));
    // Kept for people (and CI logs) to look at; see README.
    app.screenshot(&crate::harness::shot_path("outline.png"));
}

#[test]
fn window_counts_the_diagnostics_of_a_broken_course() {
    let (_tmp, dir) = fixture("course/broken");
    let app = App::start(&[&dir]);
    // The two files whose front matter alone failed stay, marked broken.
    assert_eq!(
        app.texts("#outline .lesson-title"),
        ["A Good Lesson", "unclosed quote", "Bad Order"]
    );
    assert_eq!(app.texts("#outline .lesson-broken"), ["broken", "broken"]);
    app.wait_checked();
    assert_eq!(app.texts("#diag-badge"), ["8 errors"]);
    app.click("#diag-badge");
    app.wait_for("#diagnostics:not([hidden]) .diag", Duration::from_secs(5));
    let locs = app.texts("#diagnostics .diag-loc");
    assert_eq!(locs.len(), 8);
    assert!(locs.contains(&"bad-id.md:2:5".to_owned()), "{locs:?}");
}

#[test]
fn keyboard_moves_through_the_outline_and_opens_a_lesson() {
    let (_tmp, dir) = fixture("course/good");
    let app = App::start(&[&dir]);
    // `g` focuses the outline, arrows move, Enter follows the link.
    app.keys("g");
    app.keys("\u{E015}"); // ArrowDown
    app.keys("\u{E007}"); // Enter
    app.wait_for(
        "article.lesson[data-lesson='second']",
        Duration::from_secs(5),
    );
    assert_eq!(app.texts(".lesson-head h1"), ["The Second Lesson"]);
    // Right arrow goes to the next lesson.
    app.keys("\u{E014}");
    app.wait_for(
        "article.lesson[data-lesson='third']",
        Duration::from_secs(5),
    );
    assert_eq!(
        app.texts("#outline .lesson-link.current .lesson-title"),
        ["Third, Deeper"]
    );
}

#[test]
fn f5_reloads_the_course_from_disk_and_keeps_the_open_lesson() {
    let (_tmp, dir) = fixture("course/good");
    let app = App::start(&[&dir]);
    app.click("#outline .lesson-link[data-lesson='second']");
    app.wait_for(
        "article.lesson[data-lesson='second']",
        Duration::from_secs(10),
    );
    let path = dir.join("basics").join("second.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("title: The Second Lesson", "title: Renamed on Disk"),
    )
    .unwrap();
    app.keys("\u{E035}"); // F5
    app.wait_for("body", Duration::from_secs(1));
    // Live preview may redraw the lesson too (the file changed): read the page in one
    // script, and tell F5's reload by its toast.
    let shown = || {
        app.exec(
            "return [document.querySelector('.lesson-head h1')?.textContent, document.getElementById('toast').textContent];",
            json!([]),
        )
    };
    let deadline = std::time::Instant::now() + PATIENCE;
    while shown() != json!(["Renamed on Disk", "Course reloaded"]) {
        assert!(
            std::time::Instant::now() < deadline,
            "the lesson was not reloaded"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        app.texts("#outline .lesson-link.current .lesson-title"),
        ["Renamed on Disk"]
    );
    let title = app.exec("return document.title;", json!([]));
    assert_eq!(title, json!("Renamed on Disk — Fixture Course — Lectern"));
}

#[test]
fn question_mark_shows_the_keyboard_shortcuts() {
    let (_tmp, dir) = fixture("course/good");
    let app = App::start(&[&dir]);
    app.keys("?");
    app.wait_for("dialog#help[open]", Duration::from_secs(5));
    assert!(app.texts("#help dd").iter().any(|d| d == "Previous lesson"));
    app.keys("\u{E00C}"); // Escape closes the dialog
    app.wait_for("dialog#help:not([open])", Duration::from_secs(5));
}

#[test]
fn a_problem_in_a_loaded_lesson_links_to_that_lesson() {
    let (_tmp, dir) = fixture("course/misspelled-key");
    let app = App::start(&[&dir]);
    app.wait_checked();
    assert_eq!(app.texts("#diag-badge"), ["1 warning"]);
    app.click("#diag-badge");
    app.wait_for(
        "#diagnostics:not([hidden]) a.diag-loc",
        Duration::from_secs(5),
    );
    assert_eq!(app.texts("#diagnostics a.diag-loc"), ["typo.md:5:1"]);
    app.click("#diagnostics a.diag-loc");
    app.wait_for(
        "article.lesson[data-lesson='typo']",
        Duration::from_secs(10),
    );
}

#[test]
fn open_folder_switches_to_the_course_picked_in_the_system_dialog() {
    let (_tmp, dir) = fixture("course/good");
    let (_other_tmp, other) = fixture("course/misspelled-key");
    let app = App::start(&[&dir]);
    app.click("#open-folder");
    // The native folder picker is a GTK window on the same display.
    app.wait_native_window("Open a folder of lessons");
    // Paste the folder into the picker's location field and accept it. Pasting, not
    // typing: the field completes names as it goes, and typed keys race the completion.
    app.xdotool(&["key", "ctrl+l"]);
    app.paste(&format!("{}/", other.display()));
    app.xdotool(&["key", "Return"]);
    let deadline = std::time::Instant::now() + PATIENCE;
    while app.texts("#course-title") != ["Strict Lectern course"] {
        assert!(
            std::time::Instant::now() < deadline,
            "the picked course was not opened: {} / {}",
            app.exec(
                "return document.getElementById('course-title').textContent;",
                json!([])
            ),
            app.exec(
                "return document.getElementById('diagnostics').textContent;",
                json!([])
            )
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(app.texts("#outline .lesson-title"), ["Start", "Typo"]);
    app.wait_for("#diag-badge:not([hidden])", Duration::from_secs(15));
    assert_eq!(app.texts("#diag-badge"), ["1 warning"]);
    // Lessons of the new course open, images and all served from its folder.
    app.click("#outline .lesson-link[data-lesson='typo']");
    app.wait_for(
        "article.lesson[data-lesson='typo']",
        Duration::from_secs(10),
    );
}

/// A course of `n` lessons in one section, in a temporary folder.
fn big_course(n: usize) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    for i in 0..n {
        let text = format!(
            "---\nid: l{i:04}\ntitle: Lesson {i}\norder: {i}\n---\n# Lesson {i}\n\nText.\n"
        );
        std::fs::write(tmp.path().join(format!("l{i:04}.md")), text).expect("lesson written");
    }
    tmp
}

#[test]
fn course_page_of_a_big_course_draws_a_few_chips_and_the_rest_on_request() {
    let tmp = big_course(300);
    let app = App::start(&[tmp.path()]);
    app.wait_for("#view .home-more summary", Duration::from_secs(20));
    assert_eq!(app.find_all("#view .home-lessons a").len(), 24);
    assert_eq!(
        app.texts("#view .home-more summary"),
        ["and 276 more lessons"]
    );
    app.click("#view .home-more summary");
    app.wait_for("#view .home-more .home-lessons", Duration::from_secs(10));
    assert_eq!(app.find_all("#view .home-lessons a").len(), 300);
    let last = app.exec(
        "const a = document.querySelectorAll('#view .home-lessons a'); return a[a.length - 1].getAttribute('href');",
        json!([]),
    );
    assert!(last.as_str().is_some_and(|h| h.contains("l0299")), "{last}");
    app.assert_accessible("course page of a big course");
}

#[test]
fn a_lesson_opened_from_the_outline_by_keyboard_has_focus_so_page_down_scrolls_it() {
    let (_tmp, dir) = fixture("e2e/progress");
    let app = App::start(&[&dir]);
    app.keys("g");
    assert_eq!(
        app.js("return document.activeElement.dataset.lesson;"),
        json!("long")
    );
    app.keys("\u{E007}"); // Enter
    app.wait_for(
        "article.lesson[data-lesson='long']",
        Duration::from_secs(10),
    );
    app.wait_js(
        "focus in the lesson's area",
        "return document.getElementById('main').contains(document.activeElement);",
        json!(true),
    );
    let top = "return document.getElementById('main').scrollTop;";
    assert_eq!(app.js(top), json!(0));
    app.keys("\u{E00F}"); // PageDown
    app.wait_js(
        "PageDown to scroll the lesson",
        "return document.getElementById('main').scrollTop > 0;",
        json!(true),
    );
    // `g` goes back to the outline, at the open lesson; its arrows move there again.
    app.keys("g");
    assert_eq!(
        app.js("return document.activeElement.dataset.lesson;"),
        json!("long")
    );
    app.keys("\u{E015}"); // ArrowDown
    assert_eq!(
        app.js("return document.activeElement.dataset.lesson;"),
        json!("short")
    );
}
