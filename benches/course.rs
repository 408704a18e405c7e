//! Course-scale benchmark: how loading, checking and opening a lesson grow with the
//! number of lessons. Courses of 20 and 200 seed-sized lessons (the render fixture with
//! distinct ids) are generated in a temp dir. See BENCHMARKS.md for figures.
//!
//! `cargo bench -p lectern --bench course` measures:
//! - `load`: `Course::load` (scan, front matter, order, links), expected linear;
//! - `check`: load plus every lesson's render check and quiz parse, what
//!   `lectern check` does, expected linear;
//! - `open`: `reader::open` of one lesson with a warm renderer, what the app does when a
//!   lesson is clicked, expected flat: it must not grow with the course.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/courses.rs"]
#[allow(dead_code)]
mod courses;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion};
use lectern::course::Course;
use lectern::render::Renderer;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("course");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(4));
    for n in [20usize, 200] {
        let dir = tempfile::tempdir().unwrap();
        courses::Shape::SEEDLIKE.write(dir.path(), n);
        let loaded = Course::load(dir.path());
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        group.bench_with_input(BenchmarkId::new("load", n), &n, |b, _| {
            b.iter(|| black_box(Course::load(dir.path())))
        });
        group.bench_with_input(BenchmarkId::new("check", n), &n, |b, _| {
            b.iter(|| {
                let loaded = Course::load(dir.path());
                let mut d = loaded.diagnostics.clone();
                d.extend(lectern::quiz::check_course(&loaded.course));
                d.extend(lectern::render::check_course(&loaded.course));
                black_box(d)
            })
        });
        let renderer = Renderer::default();
        let middle = format!("lesson-{:04}", n / 2);
        // Warm: code blocks cached, as after the first visit.
        lectern::reader::open(&loaded, &renderer, &middle, 1).unwrap();
        group.bench_with_input(BenchmarkId::new("open", n), &n, |b, _| {
            b.iter(|| black_box(lectern::reader::open(&loaded, &renderer, &middle, 1).unwrap()))
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
