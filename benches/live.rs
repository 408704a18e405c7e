//! Live preview latency: from a file's write being closed to the re-rendered lesson
//! being ready, through the path the app takes (watch → `live::Session::apply`, that
//! is `Loaded::apply` → render the open lesson), on a Lectern course and a plain folder
//! of 10 and of 10,000 lessons (one lesson saved) and on a generated mdBook book of 110
//! chapters in the Rust Book's shape (one chapter saved; one listing that a chapter
//! includes saved).
//! See BENCHMARKS.md.
//!
//! It also times what `lectern check --watch` does with the same change
//! (`live::Session::settle`: the live check of the lessons the change reached, course
//! totals and the outline comparison).
//!
//! `cargo bench -p lectern --bench live [-- NAME…]` prints p50 and p95 over 60 saves
//! per case (the first 5 are a warm-up, not counted), for every case or those whose
//! name contains a NAME (`book`, `plain`, `Lectern`, `10000`). Saves are 300 ms apart,
//! so each is its own burst, as an author's are.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/courses.rs"]
#[allow(dead_code)]
mod courses;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use lectern::course::Course;
use lectern::render::{RenderOptions, Renderer};
use lectern::watch::{self, Event, WatchOptions};

const LESSON: &str = include_str!("../tests/fixtures/render/seedlike/lesson.md");

/// Chapters of the generated book: the Rust Book has 111.
const BOOK_CHAPTERS: usize = 110;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// One thing to measure: a course, the file saved in it, and the lesson that shows it.
struct Case {
    name: String,
    /// Writes the course into the folder.
    write: Box<dyn Fn(&Path)>,
    /// The file saved, relative to the course.
    saved: String,
    /// The saved file's text for save number `run`; the lesson then shows `marker(run)`.
    text: fn(&str, usize) -> String,
    /// The lesson whose page shows the save.
    lesson: String,
    /// The lessons the course holds.
    lessons: usize,
}

fn marker(run: usize) -> String {
    format!("An edit, number {run}.")
}

fn cases() -> Vec<Case> {
    // The edit goes before the Knowledge Check, which the body leaves out.
    let prose: fn(&str, usize) -> String = |original, run| {
        original.replacen(
            "## Knowledge Check",
            &format!("{}\n\n## Knowledge Check", marker(run)),
            1,
        )
    };
    let mut out = Vec::new();
    // The same lessons as a Lectern course (with a `course.yaml`, read strictly) and as
    // a plain folder (without, read leniently and laid out again on every save).
    for (kind, shape) in [
        ("Lectern course", courses::Shape::SHORT_COURSE),
        ("plain folder", courses::Shape::SHORT),
    ] {
        for n in [10, 10_000] {
            out.push(Case {
                name: format!("{kind}, {n} lessons: a lesson saved"),
                write: Box::new(move |dir| {
                    shape.write(dir, n);
                    std::fs::write(dir.join("edited.md"), LESSON).unwrap();
                }),
                saved: "edited.md".into(),
                text: prose,
                lesson: "tokenizers".into(),
                lessons: n + 1,
            });
        }
    }
    out.push(Case {
        name: format!("mdBook book, {BOOK_CHAPTERS} chapters: a chapter saved"),
        write: Box::new(|dir| courses::write_book(dir, BOOK_CHAPTERS)),
        saved: courses::book_chapter(55),
        text: prose,
        lesson: "ch055".into(),
        lessons: BOOK_CHAPTERS,
    });
    out.push(Case {
        name: format!("mdBook book, {BOOK_CHAPTERS} chapters: a listing saved"),
        write: Box::new(|dir| courses::write_book(dir, BOOK_CHAPTERS)),
        saved: courses::book_listing(55, 1),
        text: |original, run| {
            let comment = format!("fn main() {{\n    // {}", marker(run));
            original.replace("fn main() {", &comment)
        },
        lesson: "ch055".into(),
        lessons: BOOK_CHAPTERS,
    });
    out
}

/// (app path, CLI path) latencies, sorted.
fn measure(case: &Case) -> (Vec<Duration>, Vec<Duration>) {
    let tmp = tempfile::tempdir().unwrap();
    (case.write)(tmp.path());
    let saved = tmp.path().join(&case.saved);
    let original = std::fs::read_to_string(&saved).unwrap();
    let mut loaded = Course::load(tmp.path());
    assert!(
        loaded.course.lesson(&case.lesson).is_some(),
        "{}",
        case.name
    );
    let renderer = Renderer::default();
    let (mut session, _) = lectern::live::Session::start(&loaded, &renderer);
    let (tx, rx) = mpsc::channel();
    let _w = watch::watch(tmp.path(), WatchOptions::default(), move |e| {
        let _ = tx.send(e);
    })
    .unwrap();
    let _ = rx.recv_timeout(Duration::from_secs(10)); // the status
    let (mut app, mut cli) = (Vec::new(), Vec::new());
    for run in 0..65 {
        std::thread::sleep(Duration::from_millis(300));
        // Anything still queued belongs to the previous save: it must not be taken for
        // this one's change.
        while rx.try_recv().is_ok() {}
        std::fs::write(&saved, (case.text)(&original, run)).unwrap(); // closed on return
        let t0 = Instant::now();
        let changes = loop {
            if let Event::Changes(c) = rx.recv_timeout(Duration::from_secs(10)).unwrap() {
                break c;
            }
        };
        let pending = lectern::live::Session::apply(&mut loaded, &changes);
        let course = &loaded.course;
        let lesson = course.lesson(&case.lesson).unwrap();
        let page = renderer.render(
            lesson,
            &RenderOptions::new(course.root(), course.lesson_ids_by_path()),
        );
        assert!(page.html.contains(&marker(run)), "{}", case.name);
        let rendered = t0.elapsed();
        // What `lectern check --watch` does next with the same change.
        let change = session.settle(&loaded, &renderer, pending, None);
        assert_eq!(change.check.totals.lessons, case.lessons);
        assert!(!change.applied.rescanned, "{}", case.name);
        if run >= 5 {
            app.push(rendered);
            cli.push(t0.elapsed());
        }
    }
    app.sort();
    cli.sort();
    (app, cli)
}

fn main() {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for case in cases() {
        if !wanted.is_empty() && !wanted.iter().any(|w| case.name.contains(w.as_str())) {
            continue;
        }
        let (app, cli) = measure(&case);
        println!(
            "live preview, {}: save → re-rendered lesson p50 {:.1} ms, p95 {:.1} ms; \
             save → check --watch line ready p50 {:.1} ms, p95 {:.1} ms",
            case.name,
            ms(percentile(&app, 0.5)),
            ms(percentile(&app, 0.95)),
            ms(percentile(&cli, 0.5)),
            ms(percentile(&cli, 0.95))
        );
    }
}
