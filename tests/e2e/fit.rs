//! The memory model in Settings and the leeches on the dashboard, in the real window on
//! an injected clock (`LECTERN_NOW`), on histories seeded through the core: Settings
//! says which FSRS parameters are in use, from which fit, with both figures, and
//! "Optimize now" answers without blocking the window; the dashboard lists a card
//! forgotten eight times with the section that teaches it, and suspends it. Both pass
//! axe-core in both themes.

use std::path::Path;
use std::time::Duration;

use lectern::answer::{self, Answer, Origin};
use lectern::course::Course;
use lectern::progress::{CourseKey, FitFigures, FitKind, FitRow, Store};
use lectern::review::Now;

use crate::harness::{fixture, key, App};

/// Monday 2 March 2026, 09:00 UTC.
const T0: i64 = 1_772_442_000_000;
const DAY: i64 = 86_400_000;

/// The first question of `vectors` answered right in its quiz on day 0, then wrong in
/// a review every other day, eight times: a leech.
fn seed_leech(dir: &Path, db: &Path) {
    let course = Course::load(dir).course;
    let key = CourseKey::of(&course);
    let mut store = Store::open(db).unwrap().store;
    let quiz = lectern::quiz::parse(course.lesson("vectors").unwrap()).0;
    let q = &quiz.questions[0];
    let wrong: Vec<String> = q
        .options()
        .iter()
        .filter(|o| !o.correct)
        .take(1)
        .map(|o| o.id.clone())
        .collect();
    for n in 0..=8 {
        let (chosen, origin) = if n == 0 {
            (q.correct_ids(), Origin::Quiz { attempt: 1 })
        } else {
            (wrong.clone(), Origin::Review)
        };
        let input = Answer {
            note: None,
            lesson: "vectors",
            question: &q.id,
            chosen: &chosen,
            time_ms: 5_000,
            now: Now::utc(T0 + 2 * n * DAY),
            origin,
        };
        answer::submit(Some(&mut store), &key, &course, &input).unwrap();
    }
}

#[test]
fn the_dashboard_lists_a_leech_with_its_section_and_suspends_it() {
    let (_tmp, dir) = fixture("review/course");
    let db = dir.parent().unwrap().join("progress.sqlite");
    seed_leech(&dir, &db);
    let app = App::start_at(&[&dir, Path::new("--db"), &db], T0 + 20 * DAY);
    app.set_theme("light");
    app.js("document.getElementById('main').focus();");
    app.keys("d");
    app.wait_for(".dash-leeches li.leech", Duration::from_secs(10));
    let meta = app.texts(".dash-leeches .missed-meta");
    assert_eq!(meta.len(), 1, "{meta:?}");
    assert!(meta[0].starts_with("Forgotten 8 times"), "{meta:?}");
    let href = app
        .js("return document.querySelector('.dash-leeches a.missed-link').getAttribute('href');");
    assert!(
        href.as_str().unwrap().starts_with("#lesson/vectors"),
        "{href}"
    );
    app.assert_accessible("dashboard leeches, light");
    app.set_theme("dark");
    app.assert_accessible("dashboard leeches, dark");
    app.click(".dash-leeches button[data-card='suspend']");
    app.wait_for(
        ".dash-leeches li.leech.suspended button[data-card='unsuspend']",
        Duration::from_secs(10),
    );
    drop(app);
    let store = Store::open_read_only(&db).unwrap();
    let course = Course::load(&dir).course;
    assert!(store.leeches(&CourseKey::of(&course), &course).unwrap()[0].suspended);
}

#[test]
fn settings_shows_the_fitted_parameters_with_both_figures_and_optimizes_on_demand() {
    let (_tmp, dir) = fixture("review/course");
    let db = dir.parent().unwrap().join("progress.sqlite");
    seed_leech(&dir, &db);
    {
        let course = Course::load(&dir).course;
        let mut store = Store::open(&db).unwrap().store;
        let key = CourseKey::of(&course);
        let mut parameters = lectern::review::fit::parameters(&store, &key)
            .unwrap()
            .parameters;
        parameters[0] = 0.05;
        store
            .record_fit(
                &key,
                &FitRow {
                    at: T0 + 10 * DAY,
                    kind: FitKind::Manual,
                    reviews: 1234,
                    parameters: Some(parameters),
                    old: Some(FitFigures {
                        log_loss: 0.4567,
                        rmse: 0.0789,
                    }),
                    new: Some(FitFigures {
                        log_loss: 0.3456,
                        rmse: 0.0456,
                    }),
                    adopted: true,
                },
            )
            .unwrap();
    }
    let app = App::start_at(&[&dir, Path::new("--db"), &db], T0 + 20 * DAY);
    app.set_theme("light");
    app.js("document.getElementById('main').focus();");
    app.chord(&[key::CTRL, ","]);
    app.wait_for("#settings-model-in-use", Duration::from_secs(10));
    let in_use = app.texts("#settings-model-in-use").join("");
    assert!(in_use.contains("fitted to your answers"), "{in_use}");
    assert!(
        in_use.contains("1,234 answers") || in_use.contains("1234 answers"),
        "{in_use}"
    );
    assert!(in_use.contains("log loss 0.3456, RMSE 0.0456"), "{in_use}");
    assert!(in_use.contains("log loss 0.4567, RMSE 0.0789"), "{in_use}");
    app.assert_accessible("settings memory model, light");
    app.set_theme("dark");
    app.assert_accessible("settings memory model, dark");
    // Nine answers are too few to fit: said, and nothing changes.
    app.click("#optimize-review");
    app.wait_js(
        "the fit's answer",
        "return document.getElementById('toast').textContent;",
        serde_json::json!("Not enough answers to fit yet (9)"),
    );
    app.click("#reset-review-parameters");
    app.wait_js(
        "back to the defaults",
        "const p = document.getElementById('settings-model-in-use'); return p ? p.textContent.startsWith(\"In use: FSRS's default parameters\") : false;",
        serde_json::json!(true),
    );
    // No unadopted fit to show: nothing stands in for it (no stray "null").
    let model = app.texts("#settings-model").join(" ");
    assert!(!model.contains("null"), "{model}");
}
