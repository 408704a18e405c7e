//! "Practise this section" in the real window on an injected clock (`LECTERN_NOW`):
//! from the course page, every question of the section, its due card first, answered
//! by keyboard and logged as practice; `s` in a lesson practises its section. The view
//! passes axe-core in both themes.

use std::path::Path;
use std::time::Duration;

use lectern::answer::{self, Answer, Origin};
use lectern::course::Course;
use lectern::progress::{CourseKey, Store};
use lectern::review::Now;

use crate::harness::{fixture, key, App};

/// Monday 2 March 2026, 09:00 UTC.
const T0: i64 = 1_772_442_000_000;
const DAY: i64 = 86_400_000;

/// The first question of `vectors` missed in its quiz at T0 (due the next day); the
/// prompt of that question and the number of questions in the section.
fn seed(dir: &Path, db: &Path) -> (String, usize) {
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
    let input = Answer {
        note: None,
        lesson: "vectors",
        question: &q.id,
        chosen: &wrong,
        time_ms: 5_000,
        now: Now::utc(T0),
        origin: Origin::Quiz { attempt: 1 },
    };
    answer::submit(Some(&mut store), &key, &course, &input).unwrap();
    let total = course
        .lessons()
        .iter()
        .map(|l| lectern::quiz::parse(l).0.questions.len())
        .sum();
    (q.shown_prompt().trim().to_owned(), total)
}

#[test]
fn practising_a_section_from_the_course_page_asks_its_due_card_first_and_logs_practice() {
    let (_tmp, dir) = fixture("review/course");
    let db = dir.parent().unwrap().join("progress.sqlite");
    let (due_prompt, total) = seed(&dir, &db);
    let app = App::start_at(&[&dir, Path::new("--db"), &db], T0 + 3 * DAY);
    app.set_theme("light");
    app.wait_for("a.practice-link", Duration::from_secs(10));
    app.click("a.practice-link");
    app.wait_for(
        "article.practice fieldset.review-card .q-prompt",
        Duration::from_secs(10),
    );
    assert_eq!(app.texts("#review-title"), ["Practise: Basics"]);
    let prompt = app
        .js("return document.querySelector('fieldset.review-card .q-prompt').textContent.trim();");
    assert_eq!(prompt.as_str().unwrap(), due_prompt, "the due card first");
    let progress = app.texts("#review-progress").join("");
    assert!(progress.contains(&total.to_string()), "{progress}");
    app.assert_accessible("practice, light");
    app.set_theme("dark");
    app.assert_accessible("practice, dark");
    app.keys("1");
    app.keys(key::ENTER);
    app.wait_for(
        "fieldset.review-card[data-graded] .feedback:not([hidden]) .verdict",
        Duration::from_secs(10),
    );
    drop(app);
    let store = Store::open_read_only(&db).unwrap();
    let log = store.export().unwrap().review_log;
    let practice: Vec<_> = log.iter().filter(|l| l.source == "practice").collect();
    assert_eq!(practice.len(), 1, "{log:?}");
    assert!(
        practice[0].rescheduled,
        "the day's first answer reschedules"
    );
}
