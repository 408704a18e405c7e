//! Progress in the real window: answers recorded as they are graded, the course page
//! and outline showing states, scores and bars, Continue, restarts without arguments,
//! Mark as complete and Reset by keyboard, Settings, and the faults the learner is told
//! about (read-only and corrupt databases, a second instance).

use std::path::Path;
use std::time::{Duration, Instant};

use lectern::course::Course;
use lectern::progress::{CourseKey, Store};
use serde_json::{json, Value};

use crate::harness::{fixture, key, shot_path, wait_until, App, PATIENCE};

/// The correct option ids of every question of `lesson`, as the core's answer key says.
pub(crate) fn answer_key(dir: &Path, lesson: &str) -> Vec<(String, Vec<String>)> {
    let loaded = Course::load(dir);
    let (quiz, _) = lectern::quiz::parse(loaded.course.lesson(lesson).expect("lesson"));
    quiz.questions
        .iter()
        .map(|q| {
            let right = q
                .options()
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone());
            (q.id.clone(), right.collect())
        })
        .collect()
}

/// Answers every question of the open lesson's quiz rightly, with clicks.
pub(crate) fn answer_all_right(app: &App, dir: &Path, lesson: &str) {
    for (question, right) in answer_key(dir, lesson) {
        let n = app.exec(
            "const fs = document.querySelector(`#quiz fieldset[data-question='${arguments[0]}']`);
             let n = 0;
             for (const i of fs.querySelectorAll('input')) if (arguments[1].includes(i.value)) { i.click(); n++; }
             fs.querySelector('.check').click();
             return n;",
            json!([question, right]),
        );
        assert_eq!(n, json!(right.len()));
        app.wait_for(
            &format!("#quiz fieldset[data-question='{question}'] .feedback.good"),
            Duration::from_secs(5),
        );
    }
}

fn open_lesson(app: &App, id: &str) {
    app.click(&format!("#outline .lesson-link[data-lesson='{id}']"));
    app.wait_for(
        &format!("article.lesson[data-lesson='{id}'] #lesson-status .status-text"),
        Duration::from_secs(10),
    );
}

/// Scrolls the main column to `offset` pixels below heading `anchor`; returns scrollTop.
fn scroll_below(app: &App, anchor: &str, offset: f64) -> f64 {
    app.exec(
        "const main = document.getElementById('main');
         const h = document.getElementById(arguments[0]);
         const top = h.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop;
         main.scrollTo({top: top + arguments[1], behavior: 'instant'});
         main.dispatchEvent(new Event('scroll'));
         return main.scrollTop;",
        json!([anchor, offset]),
    )
    .as_f64()
    .expect("scrollTop")
}

fn scroll_top(app: &App) -> f64 {
    app.js("return document.getElementById('main').scrollTop;")
        .as_f64()
        .expect("scrollTop")
}

/// Waits until the database holds `anchor` as the resume position; returns the offset.
fn wait_saved_position(db: &Path, dir: &Path, lesson: &str, anchor: &str) -> f64 {
    let course = Course::load(dir).course;
    let key = CourseKey::of(&course);
    let deadline = Instant::now() + PATIENCE;
    loop {
        let store = Store::open_read_only(db).expect("read the app's database");
        if let Some(r) = store.resume(&key, &course).expect("resume") {
            if r.lesson == lesson && r.position.anchor == anchor {
                return r.position.offset;
            }
        }
        assert!(Instant::now() < deadline, "the position was never saved");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn answers_and_position_survive_a_restart_without_arguments_and_continue_goes_back() {
    let (_tmp, dir) = fixture("e2e/progress");
    let app = App::start(&[&dir]);
    open_lesson(&app, "long");
    answer_all_right(&app, &dir, "long");
    app.wait_for(
        "#outline .lesson-link[data-lesson='long'][data-state='completed']",
        Duration::from_secs(5),
    );
    let before = scroll_below(&app, "part-5", 37.0);
    let offset = wait_saved_position(&app.db_path(), &dir, "long", "part-5");
    assert!((offset - 37.0).abs() < 1.0, "saved offset {offset}");

    // Quit, and start again without a folder: the course last studied opens.
    let app = app.restart_with(&[]);
    assert_eq!(app.texts("#course-title"), ["Progress Fixture"]);
    app.wait_for("article.course-home #continue", Duration::from_secs(5));
    let link = "#outline .lesson-link[data-lesson='long']";
    assert_eq!(
        app.js(&format!(
            "return document.querySelector(\"{link}\").dataset.state;"
        )),
        json!("completed")
    );
    assert_eq!(app.texts(&format!("{link} .lesson-score")), ["2/2"]);
    let name = &app.accessible_names(link)[0];
    assert!(
        name.contains("A Long Lesson") && name.contains("completed, best score 2 of 2"),
        "{name}"
    );
    assert_eq!(
        app.accessible_names("#course-progress progress"),
        ["Course progress: 1 of 2 lessons completed"]
    );
    assert_eq!(
        app.js("return document.querySelector('#outline .section-progress progress').value;"),
        json!(1)
    );
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("course page with progress, {theme}"));
    }

    // Continue, by keyboard: the lesson opens where it was scrolled to.
    app.js("document.getElementById('main').focus();");
    app.keys("c");
    app.wait_for(
        "article.lesson[data-lesson='long']",
        Duration::from_secs(10),
    );
    wait_until(&format!("Continue to scroll back to {before}"), || {
        ((scroll_top(&app) - before).abs() <= 2.0).then_some(())
    });
    app.settle();
    let after = scroll_top(&app);
    assert!(
        (after - before).abs() <= 2.0,
        "Continue scrolled to {after}, the learner was at {before}"
    );
    // The quiz remembers what was answered right.
    app.wait_for("#quiz .q-history:not([hidden])", Duration::from_secs(5));
    assert_eq!(
        app.texts("#quiz .q-history"),
        ["✓ answered right before", "✓ answered right before"]
    );
}

#[test]
fn mark_complete_and_reset_work_from_the_keyboard_with_a_confirmation() {
    let (_tmp, dir) = fixture("e2e/progress");
    let app = App::start(&[&dir]);
    let link = "#outline .lesson-link[data-lesson='short']";
    app.keys("g");
    app.keys(key::END);
    app.keys(key::ENTER);
    app.wait_for(
        "article.lesson[data-lesson='short'] #lesson-status",
        Duration::from_secs(10),
    );
    app.js("document.getElementById('main').focus();");
    app.keys("m");
    app.wait_for(
        &format!("{link}[data-state='completed']"),
        Duration::from_secs(5),
    );
    app.wait_for(
        "#lesson-status .mark[aria-pressed='true']",
        Duration::from_secs(5),
    );
    assert!(app.accessible_names(link)[0].contains("completed"));

    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.js("document.getElementById('main').focus();");
        app.keys("x");
        app.wait_for("dialog#confirm[open]", Duration::from_secs(5));
        assert_eq!(
            app.js("return document.activeElement.id;"),
            json!("confirm-cancel"),
            "focus starts on Cancel"
        );
        app.screenshot(&shot_path(&format!("reset-lesson-{theme}.png")));
        app.assert_accessible(&format!("reset confirmation, {theme}"));
        app.keys(key::ESCAPE);
        app.wait_js(
            "dialog closed",
            "return document.getElementById('confirm').open;",
            json!(false),
        );
    }
    // Escape cancelled: still completed. Now confirm with Tab, Enter.
    app.wait_for(
        &format!("{link}[data-state='completed']"),
        Duration::from_secs(2),
    );
    app.js("document.getElementById('main').focus();");
    app.keys("x");
    app.wait_for("dialog#confirm[open]", Duration::from_secs(5));
    app.keys(key::TAB);
    assert_eq!(
        app.js("return document.activeElement.id;"),
        json!("confirm-ok")
    );
    app.keys(key::ENTER);
    app.wait_for(
        &format!("{link}[data-state='not-started']"),
        Duration::from_secs(5),
    );
    app.wait_for(
        "#lesson-status .mark[aria-pressed='false']",
        Duration::from_secs(5),
    );
    assert!(app.accessible_names(link)[0].contains("not started"));
}

#[test]
fn settings_keep_preferences_in_the_database_and_reset_the_course_after_a_backup() {
    let (_tmp, dir) = fixture("e2e/progress");
    let app = App::start(&[&dir]);
    open_lesson(&app, "long");
    answer_all_right(&app, &dir, "long");
    app.wait_for(
        "#outline .lesson-link[data-lesson='long'][data-state='completed']",
        Duration::from_secs(5),
    );
    app.js("document.getElementById('main').focus();");
    app.chord(&[key::CTRL, ","]);
    app.wait_for("article.settings #reset-course", Duration::from_secs(5));
    let db = app.db_path();
    let paths = app.texts(".data-paths code");
    assert_eq!(paths[0], db.display().to_string());
    for theme in ["light", "dark"] {
        app.exec(
            "const s = document.getElementById('settings-theme'); s.value = arguments[0]; s.dispatchEvent(new Event('change', {bubbles: true}));",
            json!([theme]),
        );
        app.wait_js(
            "theme",
            "return document.documentElement.dataset.theme;",
            json!(theme),
        );
        app.screenshot(&shot_path(&format!("settings-{theme}.png")));
        app.assert_accessible(&format!("settings, {theme}"));
    }
    let store = Store::open_read_only(&db).expect("database");
    assert_eq!(store.setting("theme").unwrap().as_deref(), Some("dark"));
    drop(store);
    let backups = lectern::progress::backups_dir(&db);
    let before = lectern::progress::list_backups(&backups).unwrap().len();
    app.click("#reset-course");
    app.wait_for("dialog#confirm[open]", Duration::from_secs(5));
    app.click("#confirm-ok");
    app.wait_for(
        "#outline .lesson-link[data-lesson='long'][data-state='not-started']",
        Duration::from_secs(5),
    );
    let after = lectern::progress::list_backups(&backups).unwrap();
    assert!(
        after.len() > before || after.len() == 5,
        "no backup made: {after:?}"
    );
    // The backup still holds the progress that was reset.
    let course = Course::load(&dir).course;
    let saved = Store::open_read_only(after.last().unwrap()).unwrap();
    assert!(saved
        .lesson_completed(&CourseKey::of(&course), "long")
        .unwrap());

    // The theme comes back from the database after a restart.
    let app = app.restart();
    assert_eq!(
        app.js("return document.documentElement.dataset.theme;"),
        json!("dark")
    );
}

#[test]
fn settings_keep_the_desired_retention_of_review_across_a_restart() {
    let (_tmp, dir) = fixture("e2e/progress");
    let app = App::start(&[&dir]);
    app.wait_checked();
    app.js("location.hash = '#settings';");
    app.wait_for("article.settings", Duration::from_secs(5));
    let db = app.db_path();
    app.wait_js(
        "retention shown",
        "return document.getElementById('settings-retention').value;",
        json!("0.9"),
    );
    app.exec(
        "const s = document.getElementById('settings-retention'); s.value = '0.8'; s.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([]),
    );
    app.wait_js(
        "retention saved",
        "return document.getElementById('toast').textContent;",
        json!("Reviews aim to keep 80%"),
    );
    let store = Store::open_read_only(&db).expect("database");
    assert_eq!(lectern::review::retention(&store).unwrap(), 0.8);
    drop(store);

    let app = app.restart();
    app.js("location.hash = '#settings';");
    app.wait_js(
        "retention kept",
        "return document.getElementById('settings-retention').value;",
        json!("0.8"),
    );
}

#[test]
fn a_read_only_database_keeps_the_app_working_and_says_progress_is_not_saved() {
    let (tmp, dir) = fixture("e2e/progress");
    let db = tmp.path().join("db").join("progress.sqlite");
    drop(Store::open(&db).expect("create the database"));
    let mut perms = std::fs::metadata(&db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&db, perms).unwrap();

    let app = App::start(&[&dir, Path::new("--db"), &db]);
    app.wait_for(
        "#notice[data-code='progress-read-only']:not([hidden])",
        Duration::from_secs(5),
    );
    let notice = app.texts("#notice .notice-text")[0].clone();
    assert!(
        notice.contains("not being saved") && notice.contains("read-only"),
        "{notice}"
    );
    open_lesson(&app, "long");
    answer_all_right(&app, &dir, "long");
    app.wait_for("#toast:not([hidden])", Duration::from_secs(5));
    let toast = app.texts("#toast")[0].clone();
    assert!(toast.contains("not saved"), "{toast}");
    // The grade was shown all the same, and nothing was written.
    assert_eq!(app.find_all("#quiz .feedback.good").len(), 2);
    assert_eq!(
        app.js("return document.querySelector(\"#outline .lesson-link[data-lesson='long']\").dataset.state;"),
        json!("not-started")
    );
}

#[test]
fn a_corrupt_database_is_moved_aside_the_learner_is_told_and_the_app_works() {
    let (tmp, dir) = fixture("e2e/progress");
    let folder = tmp.path().join("db");
    std::fs::create_dir_all(&folder).unwrap();
    let db = folder.join("progress.sqlite");
    std::fs::write(
        &db,
        "this is not a database, it is a shopping list\n".repeat(200),
    )
    .unwrap();

    let app = App::start(&[&dir, Path::new("--db"), &db]);
    app.wait_for(
        "#notice[data-code='progress-recovered']:not([hidden])",
        Duration::from_secs(5),
    );
    let notice = app.texts("#notice .notice-text")[0].clone();
    let aside: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(notice.contains(&aside[0].display().to_string()), "{notice}");
    assert!(notice.contains("lectern progress restore"), "{notice}");
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.screenshot(&shot_path(&format!("notice-{theme}.png")));
        app.assert_accessible(&format!("course page with a notice, {theme}"));
    }
    // The app works and saves into the fresh database.
    open_lesson(&app, "long");
    answer_all_right(&app, &dir, "long");
    app.wait_for(
        "#outline .lesson-link[data-lesson='long'][data-state='completed']",
        Duration::from_secs(5),
    );
}

#[test]
fn a_database_error_other_than_not_saving_is_a_toast_with_its_message() {
    let (tmp, dir) = fixture("e2e/progress");
    let db = tmp.path().join("db").join("progress.sqlite");
    let app = App::start(&[&dir, Path::new("--db"), &db]);
    // The database breaks under the running app: the table of lesson states is gone,
    // so opening a lesson cannot be recorded. That is not "progress is not saved" (no
    // notice said so): the learner is told what went wrong.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.execute_batch("DROP TABLE lessons;").unwrap();
    drop(conn);
    open_lesson(&app, "long");
    app.wait_js(
        "a toast naming the missing table",
        "const t = document.getElementById('toast'); return !t.hidden && t.textContent.includes('no such table: lessons');",
        json!(true),
    );
    assert!(app.find_all("#notice:not([hidden])").is_empty());
}

#[test]
fn a_second_instance_exits_and_the_first_stays() {
    let (_tmp, dir) = fixture("e2e/progress");
    let app = App::start(&[&dir]);
    let status = app.second_instance(Duration::from_secs(20));
    let status = status.expect("the second lectern-app kept running beside the first");
    assert!(status.success(), "{status:?}");
    // The first is still there and still saves.
    open_lesson(&app, "long");
    answer_all_right(&app, &dir, "long");
    app.wait_for(
        "#outline .lesson-link[data-lesson='long'][data-state='completed']",
        Duration::from_secs(5),
    );
}

#[test]
fn a_newer_database_is_left_untouched_and_the_app_works_without_saving() {
    let (tmp, dir) = fixture("e2e/progress");
    let db = tmp.path().join("db").join("progress.sqlite");
    drop(Store::open(&db).expect("create the database"));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let bytes = std::fs::read(&db).unwrap();

    let app = App::start(&[&dir, Path::new("--db"), &db]);
    app.wait_for(
        "#notice[data-code='progress-newer']:not([hidden])",
        Duration::from_secs(5),
    );
    let notice = app.texts("#notice .notice-text")[0].clone();
    assert!(
        notice.contains("newer Lectern") && notice.contains("not saved"),
        "{notice}"
    );
    open_lesson(&app, "long");
    answer_all_right(&app, &dir, "long");
    app.wait_for("#toast:not([hidden])", Duration::from_secs(5));
    assert!(app.texts("#toast")[0].contains("not saved"));
    // The notice goes away when dismissed.
    app.click("#notice button");
    app.wait_for("#notice[hidden]", Duration::from_secs(2));
    // The dashboard says why it has nothing to show, by the error's code, and nothing
    // is toasted for it: the notice said so at start. (The answer's toast is cleared
    // first, so any toast after this is the dashboard's.)
    app.js("const t = document.getElementById('toast'); t.hidden = true; t.textContent = ''; location.hash = '#dashboard'; return 0;");
    app.wait_for(
        "article.dashboard[data-code='progress-unavailable']",
        Duration::from_secs(10),
    );
    let said = app.texts("article.dashboard p")[0].clone();
    assert!(said.contains("not being saved"), "{said}");
    assert_eq!(
        app.js("const t = document.getElementById('toast'); return [t.hidden, t.textContent];"),
        json!([true, ""])
    );
    drop(app);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the newer database was changed"
    );
}

#[test]
fn a_changed_question_says_updated_since_you_answered() {
    let (_tmp, dir) = fixture("e2e/progress");
    let app = App::start(&[&dir]);
    open_lesson(&app, "long");
    answer_all_right(&app, &dir, "long");
    let path = dir.join("long.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replace("Which part comes first?", "Which part opens the lesson?");
    assert_ne!(text, edited);
    std::fs::write(&path, edited).unwrap();
    app.keys(key::F5);
    app.wait_for("#quiz .q-history:not([hidden])", Duration::from_secs(10));
    app.wait_js("history",
        "return Array.from(document.querySelectorAll('#quiz .q-history')).map(s => s.textContent.trim());",
        json!(["updated since you answered", "✓ answered right before"]),
    );
    let names = app.accessible_names("#quiz fieldset.question");
    assert!(names[0].contains("updated since you answered"), "{names:?}");
}

#[test]
fn recent_courses_open_with_enter_and_a_folder_gone_says_so() {
    let (_a_tmp, a) = fixture("e2e/progress");
    let (_b_tmp, b) = fixture("e2e/reader");
    let app = App::start(&[&a]);
    let app = app.restart_with(&[&b]);
    assert_eq!(app.texts("#course-title"), ["Reader Fixture"]);
    app.wait_for("#view .recent-open", Duration::from_secs(5));
    assert_eq!(
        app.texts(".recent-open .recent-title"),
        ["Progress Fixture"]
    );
    app.js("document.querySelector('.recent-open').focus();");
    app.keys(key::ENTER);
    app.wait_for(
        "#outline .lesson-link[data-lesson='long']",
        Duration::from_secs(10),
    );
    assert_eq!(app.texts("#course-title"), ["Progress Fixture"]);

    // The other course's folder goes away: the list says so and offers no button.
    std::fs::remove_dir_all(&b).unwrap();
    app.js("location.hash = '#settings';");
    app.wait_for("article.settings", Duration::from_secs(5));
    app.js("location.hash = '';");
    app.wait_for("#view .recent-gone", Duration::from_secs(5));
    let gone = app.texts(".recent-gone small")[0].clone();
    assert!(gone.starts_with("Folder not found"), "{gone}");
    assert!(app.find_all(".recent-open").is_empty());
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("course page with recent courses, {theme}"));
    }
}

#[test]
fn active_reading_time_is_counted_while_the_learner_is_active_and_saved() {
    let (_tmp, dir) = fixture("e2e/progress");
    let app = App::start(&[&dir]);
    let opening = Instant::now();
    open_lesson(&app, "long");
    assert_eq!(app.js("return document.hasFocus();"), json!(true));
    // Active for a little over two 5 s ticks: a key a second, as a reader scrolling on.
    // (The pause is the learner's pace, not a wait for something to happen.)
    for _ in 0..12 {
        app.keys(key::DOWN);
        std::thread::sleep(Duration::from_millis(1000));
    }
    // Leaving the lesson sends the time counted so far.
    open_lesson(&app, "short");
    // No more than the lesson was open can be counted: 12 s and a little on an idle
    // machine, more on a loaded one, where each key takes longer to send.
    let open_for = i64::try_from(opening.elapsed().as_millis()).unwrap();
    let course = Course::load(&dir).course;
    let key = CourseKey::of(&course);
    let deadline = Instant::now() + PATIENCE;
    let active = loop {
        let store = Store::open_read_only(&app.db_path()).unwrap();
        let p = store
            .course_progress(&key, &course, &lectern::review::Now::utc(0))
            .unwrap();
        let ms = p.lessons.iter().find(|l| l.id == "long").unwrap().active_ms;
        if ms > 0 || Instant::now() > deadline {
            break ms;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(
        (5_000..=open_for).contains(&active),
        "active time {active} ms, the lesson was open {open_for} ms"
    );
}

#[test]
fn the_window_comes_back_at_its_size() {
    let (_tmp, dir) = fixture("e2e/progress");
    let app = App::start(&[&dir]);
    app.set_window_size(900, 640);
    let size = "return [window.outerWidth, window.outerHeight];";
    app.wait_js("resized", size, json!([900, 640]));
    // The state is written once the resize has settled (not only on a clean exit).
    let saved = app
        .data_dir()
        .with_file_name("config")
        .join("app.lectern.desktop")
        .join(".window-state.json");
    let deadline = Instant::now() + PATIENCE;
    let width = || -> Option<u64> {
        let text = std::fs::read_to_string(&saved).ok()?;
        serde_json::from_str::<Value>(&text).ok()?["main"]["width"].as_u64()
    };
    // (A state written at start holds the first size, 1200 wide.)
    while width().is_none_or(|w| w == 1200) {
        assert!(
            Instant::now() < deadline,
            "no window state in {}",
            saved.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let app = app.restart();
    assert_eq!(
        app.js(size),
        json!([900, 640]),
        "the window size was not kept"
    );
}

#[test]
fn lectern_now_fixes_the_clock_of_what_the_app_records() {
    let (_tmp, dir) = fixture("e2e/progress");
    let now = 1_700_000_000_000;
    let app = App::start_at(&[&dir], now);
    open_lesson(&app, "long");
    let store = Store::open_read_only(&app.db_path()).unwrap();
    let recent = store.recent_courses(5).unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0].last_opened, now);
    // The backup made on start is named after the same clock.
    let backups =
        lectern::progress::list_backups(&lectern::progress::backups_dir(&app.db_path())).unwrap();
    assert!(
        backups
            .iter()
            .any(|b| b.to_string_lossy().contains(&now.to_string())),
        "{backups:?}"
    );
}
