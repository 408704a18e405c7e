//! A probe, not a criterion bench: where a live-preview change's time goes on a
//! 10,000-lesson course. Prints the watcher's own latency (write → change reported)
//! for 10 and 10,000 files, then `Loaded::apply` and `check::Live::update` for five
//! saves. `cargo bench -p lectern --bench apply_probe`; see BENCHMARKS.md (Live preview).

#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/courses.rs"]
#[allow(dead_code)]
mod courses;
use lectern::course::{Course, FileChange};
use std::path::{Path, PathBuf};
use std::time::Instant;
fn watch_latency(n: usize) {
    use lectern::watch::{self, Event, WatchOptions};
    use std::sync::mpsc;
    use std::time::Duration;
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

fn main() {
    watch_latency(10);
    watch_latency(10_000);
    let tmp = tempfile::tempdir().unwrap();
    courses::Shape::SHORT.write(tmp.path(), 10_000);
    let mut loaded = Course::load(tmp.path());
    let renderer = lectern::render::Renderer::default();
    let (mut live, _) = lectern::check::Live::start(&loaded, &renderer);
    for run in 0..5 {
        std::fs::write(
            tmp.path().join("l00005.md"),
            format!("---\nid: l00005\ntitle: T{run}\norder: 5\n---\n# x\n"),
        )
        .unwrap();
        let t = Instant::now();
        let applied = loaded.apply(&[FileChange::Lesson(PathBuf::from("l00005.md"))]);
        let a = t.elapsed();
        let u = live.update(&loaded, &renderer, &applied);
        let b = t.elapsed();
        let _ = Path::new("");
        println!(
            "apply {:?} update {:?} ({} lessons)",
            a,
            b - a,
            u.report.lessons
        );
    }
}
