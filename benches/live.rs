//! Live preview latency: from a lesson file's write being closed to the re-rendered
//! lesson being ready, through the path the app takes (watch → `Loaded::apply` →
//! render the open lesson), with courses of 10 and 10,000 lessons. See BENCHMARKS.md.
//!
//! It also times what `lectern check --watch` does with the same change
//! (`live::Session`: apply, then settle: the live check of the changed files, course
//! totals and the outline comparison).
//!
//! `cargo bench -p lectern --bench live` prints p50 and p95 over 60 saves per course
//! (the first 5 are a warm-up, not counted). Saves are 300 ms apart, so each is its
//! own burst, as an author's are.

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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// (app path, CLI path) latencies, sorted.
fn measure(n: usize) -> (Vec<Duration>, Vec<Duration>) {
    let tmp = tempfile::tempdir().unwrap();
    courses::Shape::SHORT.write(tmp.path(), n);
    let edited = tmp.path().join("edited.md");
    std::fs::write(&edited, LESSON).unwrap();
    let mut loaded = Course::load(tmp.path());
    let renderer = Renderer::default();
    let (mut session, _) = lectern::live::Session::start(&loaded, &renderer);
    let (tx, rx) = mpsc::channel();
    let _w = watch::watch(tmp.path(), WatchOptions::default(), move |e| {
        let _ = tx.send(e);
    })
    .unwrap();
    let _ = rx.recv_timeout(Duration::from_secs(10)); // the status
    let id = loaded.course.lesson_ids_by_path()[Path::new("edited.md")].clone();
    let (mut app, mut cli) = (Vec::new(), Vec::new());
    for run in 0..65 {
        std::thread::sleep(Duration::from_millis(300));
        // Anything still queued belongs to the previous save: it must not be taken for
        // this one's change.
        while rx.try_recv().is_ok() {}
        // The edit goes before the Knowledge Check, which the body leaves out.
        let text = LESSON.replacen(
            "## Knowledge Check",
            &format!("An edit, number {run}.\n\n## Knowledge Check"),
            1,
        );
        std::fs::write(&edited, text).unwrap(); // closed when `write` returns
        let t0 = Instant::now();
        let changes = loop {
            if let Event::Changes(c) = rx.recv_timeout(Duration::from_secs(10)).unwrap() {
                break c;
            }
        };
        let pending = lectern::live::Session::apply(&mut loaded, &changes);
        let course = &loaded.course;
        let lesson = course.lesson(&id).unwrap();
        let page = renderer.render(
            lesson,
            &RenderOptions::new(course.root(), course.lesson_ids_by_path()),
        );
        assert!(page.html.contains(&format!("An edit, number {run}.")));
        let rendered = t0.elapsed();
        // What `lectern check --watch` does next with the same change.
        let change = session.settle(&loaded, &renderer, pending, None);
        assert_eq!(change.check.report.lessons, n + 1);
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
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for n in [10, 10_000] {
        let (app, cli) = measure(n);
        println!(
            "live preview, {n} lessons: save → re-rendered lesson p50 {:.1} ms, p95 {:.1} ms; \
             save → check --watch line ready p50 {:.1} ms, p95 {:.1} ms",
            ms(percentile(&app, 0.5)),
            ms(percentile(&app, 0.95)),
            ms(percentile(&cli, 0.5)),
            ms(percentile(&cli, 0.95))
        );
    }
}
