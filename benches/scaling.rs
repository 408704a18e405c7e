//! Scaling bench (issue 10): each class of input that used to be quadratic (20,000
//! identical headings, 40,000 lines of `#`, 40,000 missing images, duplicate options,
//! bad links or math errors, a 160 KB line of 10,000 problems, a course of 1,000
//! lessons) is timed at N/4 and at the N. The work is what the app and
//! `lectern check` do: **render** (`Renderer::render`, HTML) and **check** (the render
//! check, the quiz parser and the human output of every diagnostic; for the course,
//! `Course::load` + `check::check` + human output). The inputs are the test suite's
//! (`tests/robustness/scaling_inputs.rs`, and `Shape::SCALING` of
//! `tests/support/courses.rs` for the course).
//!
//! After criterion's report the bench prints each ratio (median time per iteration at N
//! over N/4) and fails if any is above 6× (linear is 4×). See BENCHMARKS.md. Under
//! `cargo test` (one run of each case) it prints the ratios without judging them.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/courses.rs"]
#[allow(dead_code)]
mod courses;
#[path = "../tests/robustness/scaling_inputs.rs"]
#[allow(dead_code)]
mod scaling_inputs;

use std::cell::RefCell;
use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, BenchmarkId, Criterion};
use lectern::course::Course;
use lectern::lesson::Lesson;
use lectern::render::{RenderOptions, Renderer};
use scaling_inputs::CLASSES;

/// The most the time may grow when the input grows 4×.
const MAX_GROWTH: f64 = 6.0;

/// Median per-iteration times, by (class, work, n).
type Times = RefCell<HashMap<(String, &'static str, usize), Vec<Duration>>>;

fn human_bytes(diagnostics: &[lectern::diagnostic::Diagnostic]) -> usize {
    diagnostics
        .iter()
        .map(|d| d.render_human(Path::new("lessons")).len())
        .sum()
}

fn check_lesson(renderer: &Renderer, lesson: &Lesson, options: &RenderOptions<'_>) -> usize {
    let mut diagnostics = renderer.check(lesson, options);
    diagnostics.extend(lectern::quiz::parse(lesson).1);
    human_bytes(&diagnostics)
}

/// A single run slower than this is the figure itself: criterion's ten samples of a
/// still-quadratic input would take many minutes.
const PROBE_LIMIT: Duration = Duration::from_secs(3);

/// Times `work` with criterion, keeping each sample's time per iteration in `times`.
/// One untimed-by-criterion probe run comes first; if it exceeds [`PROBE_LIMIT`] its
/// time is recorded instead (and said so).
fn timed<M: criterion::measurement::Measurement<Value = Duration>>(
    group: &mut BenchmarkGroup<'_, M>,
    times: &Times,
    key: (String, &'static str, usize),
    work: impl Fn() -> usize,
) {
    let probe = Instant::now();
    black_box(work());
    let once = probe.elapsed();
    if once > PROBE_LIMIT {
        println!(
            "{}/{}/{}: one run took {once:.2?}, over {PROBE_LIMIT:?}: that run is the figure",
            key.0, key.1, key.2
        );
        times.borrow_mut().insert(key, vec![once]);
        return;
    }
    group.bench_function(
        BenchmarkId::new(format!("{}/{}", key.0, key.1), key.2),
        |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(work());
                }
                let elapsed = start.elapsed();
                let per = elapsed / u32::try_from(iters).unwrap_or(u32::MAX);
                times.borrow_mut().entry(key.clone()).or_default().push(per);
                elapsed
            })
        },
    );
}

fn lessons(c: &mut Criterion, times: &Times) {
    let root = tempfile::tempdir().unwrap();
    let ids = HashMap::new();
    let options = RenderOptions::new(root.path(), &ids);
    let renderer = Renderer::default();
    let mut group = c.benchmark_group("scaling");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for class in CLASSES {
        for n in [class.full / 4, class.full] {
            let text = (class.make)(n);
            let (lesson, _) =
                lectern::lesson::parse(Path::new("scale.md"), text.as_bytes()).unwrap();
            let name = class.name.to_owned();
            timed(&mut group, times, (name.clone(), "render", n), || {
                renderer.render(&lesson, &options).html.len()
            });
            timed(&mut group, times, (name, "check", n), || {
                check_lesson(&renderer, &lesson, &options)
            });
        }
    }
    group.finish();
}

fn course(c: &mut Criterion, times: &Times) {
    let mut group = c.benchmark_group("scaling");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for n in [250, 1000] {
        let dir = tempfile::tempdir().unwrap();
        courses::Shape::SCALING.write(dir.path(), n);
        timed(
            &mut group,
            times,
            ("course".to_owned(), "load+check", n),
            || {
                let loaded = Course::load(dir.path());
                human_bytes(&lectern::check::check(&loaded, &Renderer::default()).diagnostics)
            },
        );
    }
    group.finish();
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Prints the ratio table; returns the rows over [`MAX_GROWTH`].
fn ratios(times: Times) -> Vec<String> {
    let mut medians: Vec<_> = times
        .into_inner()
        .into_iter()
        .map(|(key, v)| (key, median(v)))
        .collect();
    medians.sort_by(|a, b| a.0.cmp(&b.0));
    let mut too_steep = Vec::new();
    println!("\n| input | work | N/4 | N | time at N/4 | time at N | ratio |\n|---|---|---:|---:|---:|---:|---:|");
    for pair in medians.chunks(2) {
        let [((class, work, small_n), small), ((_, _, n), large)] = pair else {
            continue;
        };
        let ratio = large.as_secs_f64() / small.as_secs_f64();
        let row = format!(
            "| {class} | {work} | {small_n} | {n} | {small:.2?} | {large:.2?} | {ratio:.1}× |"
        );
        println!("{row}");
        if ratio > MAX_GROWTH {
            too_steep.push(row);
        }
    }
    too_steep
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let times = Times::default();
    lessons(&mut c, &times);
    course(&mut c, &times);
    c.final_summary();
    let too_steep = ratios(times);
    // Only `cargo bench` passes `--bench`; under `cargo test` (no arguments, criterion's
    // test mode) each case runs once, so a ratio is of two single timings on a machine
    // that may be busy: printed, never judged. CI's guard against quadratic work is
    // tests/robustness/scaling.rs, which counts operations and allocations; this bench
    // judges medians of real samples only.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    assert!(
        too_steep.is_empty(),
        "time grew more than {MAX_GROWTH}× for 4× the input:\n{}",
        too_steep.join("\n")
    );
}
