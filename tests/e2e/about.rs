//! The About dialog (A, or the help dialog's button): the workspace's version, the
//! licence, and where the learner's data lives, accessible in both themes. And the
//! start-up trace (`LECTERN_STARTUP_TRACE`), whose last phase the window reports.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::{key, App, PATIENCE};

/// `version` of `[workspace.package]` in the root Cargo.toml: Lectern's one version.
fn workspace_version() -> String {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml"))
        .expect("root Cargo.toml");
    let section = manifest.split("[workspace.package]").nth(1).unwrap();
    let line = section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find(|l| l.starts_with("version"))
        .expect("a version in [workspace.package]");
    line.split('"').nth(1).unwrap().to_owned()
}

/// The dialog's places, by their label.
fn places(app: &App) -> Vec<(String, String)> {
    let rows = app.exec(
        "return [...document.querySelectorAll('#about .about-places dt')].map(dt => [dt.textContent, dt.nextElementSibling.querySelector('.about-path').textContent]);",
        json!([]),
    );
    serde_json::from_value(rows).unwrap()
}

fn place(rows: &[(String, String)], name: &str) -> PathBuf {
    let (_, path) = rows
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no “{name}” in the About dialog: {rows:?}"));
    PathBuf::from(path)
}

#[test]
fn about_shows_the_version_licence_and_where_the_data_lives_in_both_themes() {
    let app = App::start(&[]);
    let version = workspace_version();
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.keys("a");
        app.wait_for("dialog#about[open]", Duration::from_secs(5));
        assert_eq!(
            app.texts("#about-version"),
            vec![format!("Version {version}")]
        );
        assert!(app.texts("#about-body p")[1].contains("MIT licence"));
        app.assert_accessible(&format!("About dialog, {theme}"));
        app.keys(key::ESCAPE);
        app.wait_for("dialog#about:not([open])", Duration::from_secs(5));
    }

    // From the help dialog's button, which closes the help.
    app.keys("?");
    app.wait_for("dialog#help[open]", Duration::from_secs(5));
    app.click("#help-about");
    app.wait_for("dialog#about[open]", Duration::from_secs(5));
    assert!(app.find_all("dialog#help[open]").is_empty());

    let rows = places(&app);
    let data = app.data_dir().join("app.lectern.desktop");
    assert_eq!(place(&rows, "Progress database"), app.db_path());
    assert_eq!(place(&rows, "Backups"), data.join("backups"));
    assert!(
        place(&rows, "Backups").is_dir(),
        "a backup is made at start"
    );
    let cache = app.data_dir().parent().unwrap().join("cache");
    assert_eq!(
        place(&rows, "Search cache"),
        cache.join("app.lectern.desktop").join("search")
    );
    let bundled = place(&rows, "Bundled course");
    assert_eq!(bundled.parent(), Some(data.as_path()));
    assert!(bundled.join("course.yaml").is_file(), "{bundled:?}");
    assert_eq!(place(&rows, "Open course"), bundled);
    // The button in the dialog closes it, as A does.
    app.click("#about-close");
    app.wait_for("dialog#about:not([open])", Duration::from_secs(5));
}

/// The trace's lines: (phase, ms since the process started, Unix ms).
fn phases(path: &Path) -> Vec<(String, f64, f64)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            assert_eq!(f.len(), 4, "{l}");
            assert_eq!(f[0], "lectern-startup", "{l}");
            (
                f[1].to_owned(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
            )
        })
        .collect()
}

/// The trace's lines once it has the `course-painted` phase (fails after 10 s).
fn painted_phases(trace: &Path) -> Vec<(String, f64, f64)> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let got = phases(trace);
        if got.iter().any(|p| p.0 == "course-painted") {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "no course-painted phase: {got:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn startup_trace_reports_every_phase_in_order_up_to_the_painted_course_page() {
    let tmp = tempfile::tempdir().unwrap();
    let trace = tmp.path().join("startup.txt");
    let app = App::start_with_env(&[], &[("LECTERN_STARTUP_TRACE", trace.to_str().unwrap())]);
    app.wait_for("article.course-home", Duration::from_secs(10));
    let got = painted_phases(&trace);
    let names: Vec<&str> = got.iter().map(|p| p.0.as_str()).collect();
    // The course is read on its own thread while the window opens, so `core-loaded`
    // falls anywhere between `main` and the painted page; the others are in order.
    let window_first: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| *n != "core-loaded")
        .collect();
    assert_eq!(
        window_first,
        [
            "main",
            "window-created",
            "first-contentful-paint",
            "course-painted"
        ]
    );
    let at = |name: &str| got.iter().find(|p| p.0 == name).unwrap();
    let (main, painted) = (at("main"), at("course-painted"));
    assert!(main.1 >= 0.0 && main.1 < 5_000.0, "{got:?}");
    let core = at("core-loaded");
    assert!(core.1 >= main.1 && core.1 <= painted.1 + 10.0, "{got:?}");
    // Each phase comes after the one before, on both clocks (the first contentful
    // paint may be the same frame as the course page).
    let ordered: Vec<_> = got.iter().filter(|p| p.0 != "core-loaded").collect();
    for w in ordered.windows(2) {
        assert!(w[1].1 >= w[0].1 - 10.0, "{got:?}");
        assert!(w[1].2 >= w[0].2 - 10.0, "{got:?}");
    }
    // The two clocks agree: time between phases is the same on both, to the 10 ms
    // granularity of the process's start time.
    let on_process = painted.1 - main.1;
    let on_wall = painted.2 - main.2;
    assert!((on_process - on_wall).abs() < 2.0, "{got:?}");
    // A second report (the window reloaded) adds nothing: start-up is reported once.
    app.exec(
        "return window.__TAURI__.core.invoke('startup_painted', {fcp: Date.now()}).then(() => 1);",
        json!([]),
    );
    assert_eq!(phases(&trace).len(), 5);
}

/// A course is read on a thread of its own (a big one takes seconds): the window
/// paints at once, says what it is doing, and fills in once the course is read.
#[test]
fn the_window_paints_before_a_slow_course_is_read_and_fills_in_when_it_is() {
    let (tmp, dir) = crate::harness::fixture("course/good");
    let trace = tmp.path().join("startup.txt");
    let app = App::start_unready(
        &[&dir],
        &[
            ("LECTERN_TEST_SLOW_LOAD_MS", "4000"),
            ("LECTERN_STARTUP_TRACE", trace.to_str().unwrap()),
        ],
    );
    // The page is up while the course is still being read.
    assert_eq!(
        app.js("return document.querySelector('#view').ariaBusy;"),
        json!("true")
    );
    assert_eq!(app.js("return document.title;"), json!("Lectern"));
    // It fades in after a moment (a small course replaces it before it shows).
    app.wait_js(
        "the opening text faded in",
        "return getComputedStyle(document.querySelector('#view .opening')).opacity;",
        json!("1"),
    );
    assert_eq!(app.texts("#view .opening"), ["Opening the course…"]);
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("opening a course, {theme}"));
        app.screenshot(&crate::harness::shot_path(&format!("opening-{theme}.png")));
    }
    app.wait_for("article.course-home", Duration::from_secs(20));
    assert_eq!(
        app.js("return document.querySelector('#view').ariaBusy;"),
        json!(null)
    );
    assert_eq!(
        app.js("return document.title;"),
        json!("Fixture Course — Lectern")
    );
    // The window's first paint came before the course was read, by the trace's clock.
    let got = painted_phases(&trace);
    let at = |name: &str| {
        got.iter()
            .find(|p| p.0 == name)
            .unwrap_or_else(|| panic!("no {name} in {got:?}"))
            .2
    };
    assert!(
        at("first-contentful-paint") + 2_000.0 < at("core-loaded"),
        "{got:?}"
    );
}

#[test]
fn boot_answers_what_the_first_page_would_ask_one_command_at_a_time() {
    let (_tmp, dir) = crate::harness::fixture("course/good");
    let app = App::start(&[&dir]);
    let got = app.exec(
        "const invoke = window.__TAURI__.core.invoke;
         return Promise.all(['boot', 'watch_status', 'progress_status', 'course_outline',
           'course_progress', 'recent_courses'].map((c) => invoke(c)));",
        json!([]),
    );
    let boot = &got[0];
    assert_eq!(boot["watch"], got[1]);
    assert_eq!(boot["status"], got[2]);
    assert_eq!(boot["outline"], got[3]);
    assert_eq!(boot["outline"]["title"], json!("Fixture Course"));
    assert_eq!(boot["progress"], got[4]);
    assert_eq!(boot["recent"], got[5]);
}
