//! A probe, not a criterion bench: where a live-preview change's time goes on a
//! 10,000-lesson course. Prints the watcher's own latency (write → change reported)
//! for 10 and 10,000 files, then, in process, `live::Session::apply` (`Loaded::apply`)
//! and `Session::settle` (the live check, the outline comparison) for saves of one
//! lesson of a Lectern course and of a plain folder of 10,000 lessons: its text edited
//! (the common save) and its title edited; and a text edit in a course where every
//! lesson has diagnostics (the scaling shape). `cargo bench -p lectern --bench apply_probe`;
//! see BENCHMARKS.md (Live preview).

#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/courses.rs"]
#[allow(dead_code)]
mod courses;
use lectern::course::{Course, FileChange};
use lectern::live::Session;
use lectern::render::Renderer;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Saves per case; the first `WARM_UP` are not counted.
const SAVES: usize = 45;
const WARM_UP: usize = 5;

fn watch_latency(n: usize) {
    use lectern::watch::{self, Event, WatchOptions};
    use std::sync::mpsc;
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..n {
        std::fs::write(
            tmp.path().join(format!("l{i:05}.md")),
            "---\nid: x\ntitle: X\n---\n",
        )
        .unwrap();
    }
    let (tx, rx) = mpsc::channel();
    let _w = watch::watch(tmp.path(), WatchOptions::default(), move |e| {
        let _ = tx.send(e);
    })
    .unwrap();
    let _ = rx.recv_timeout(Duration::from_secs(10));
    let mut times = Vec::new();
    for run in 0..20 {
        std::thread::sleep(Duration::from_millis(200));
        while rx.try_recv().is_ok() {}
        std::fs::write(
            tmp.path().join("l00001.md"),
            format!("---\nid: x\ntitle: {run}\n---\n"),
        )
        .unwrap();
        let t = Instant::now();
        loop {
            if let Ok(Event::Changes(_)) = rx.recv_timeout(Duration::from_secs(5)) {
                break;
            }
        }
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "watch only, {n} files: p50 {:?} p95 {:?}",
        times[10], times[18]
    );
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// p50 and p95 of `times` (sorted here).
fn spread(times: &mut [Duration]) -> String {
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    format!("p50 {} p95 {}", ms(at(0.5)), ms(at(0.95)))
}

/// Saves lesson 5 of a 10,000-lesson course of `shape` `SAVES` times, 300 ms apart (as
/// an author's saves are, so the course's data may have left the caches), each save's
/// text made by `text(run)`; prints the apply and settle times.
fn saves(name: &str, shape: courses::Shape, text: fn(usize) -> String) {
    let tmp = tempfile::tempdir().unwrap();
    shape.write(tmp.path(), 10_000);
    let mut loaded = Course::load(tmp.path());
    let renderer = Renderer::default();
    let (mut session, _) = Session::start(&loaded, &renderer);
    let change = [FileChange::Lesson(PathBuf::from("l00005.md"))];
    let (mut apply, mut settle) = (Vec::new(), Vec::new());
    for run in 0..SAVES {
        std::thread::sleep(Duration::from_millis(300));
        std::fs::write(tmp.path().join("l00005.md"), text(run)).unwrap();
        let t = Instant::now();
        let pending = Session::apply(&mut loaded, &change);
        let a = t.elapsed();
        let settled = session.settle(&loaded, &renderer, pending, None);
        let b = t.elapsed() - a;
        assert_eq!(settled.applied.changed.len(), 1);
        if run >= WARM_UP {
            apply.push(a);
            settle.push(b);
        }
    }
    println!(
        "{name}: apply {}; settle {}",
        spread(&mut apply),
        spread(&mut settle)
    );
}

fn main() {
    watch_latency(10);
    watch_latency(10_000);
    for (kind, shape) in [
        ("Lectern course", courses::Shape::SHORT_COURSE),
        ("plain folder", courses::Shape::SHORT),
    ] {
        saves(
            &format!("{kind}, 10000 lessons, text edited"),
            shape,
            |run| {
                format!("---\nid: l00005\ntitle: Lesson 5\norder: 5\nsection: s0\n---\n# Lesson 5\n\nEdit {run}.\n")
            },
        );
        saves(
            &format!("{kind}, 10000 lessons, title edited"),
            shape,
            |run| {
                format!("---\nid: l00005\ntitle: Title {run}\norder: 5\nsection: s0\n---\n# Lesson 5\n\nSome prose.\n")
            },
        );
    }
    // Every lesson with problems (a missing image, a refused link, a chain of declared
    // links): the live check's report merges and sorts every one on each save.
    saves(
        "Lectern course of the scaling shape, 10000 lessons, text edited",
        courses::Shape {
            course_yaml: Some("title: Bench\n"),
            ..courses::Shape::SCALING
        },
        |run| {
            let text = courses::Shape::SCALING.lesson(5, 10_000);
            text.replace("# Lesson\n", &format!("# Lesson\n\nEdit {run}.\n"))
        },
    );
}
