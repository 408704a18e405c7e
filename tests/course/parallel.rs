//! Loading and checking on every core gives what one core gives: the same lessons in the
//! same order, the same diagnostics, the same report, on the fixture courses of every
//! format and on generated courses of 200 lessons.

use std::path::Path;

use lectern::course::Course;
use lectern::render::Renderer;

use crate::support::courses::{write_book, Shape};
use crate::support::{fixture, fixtures_root};

/// Everything a load and a check give, as JSON: the lessons (id, path, text), the
/// outline, the load diagnostics and the check report.
fn load_and_check(dir: &Path) -> String {
    let loaded = Course::load(dir);
    let report = lectern::check::check(&loaded, &Renderer::default());
    let lessons: Vec<(&str, String, &str)> = loaded
        .course
        .lessons()
        .iter()
        .map(|l| {
            (
                l.id.as_str(),
                l.path.to_string_lossy().into_owned(),
                l.text.as_str(),
            )
        })
        .collect();
    serde_json::to_string_pretty(&(
        lessons,
        loaded.course.outline(&loaded.diagnostics),
        &loaded.diagnostics,
        report,
    ))
    .unwrap()
}

/// [`load_and_check`] with rayon limited to `threads` threads.
fn on_threads(threads: usize, dir: &Path) -> String {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| load_and_check(dir))
}

fn assert_parallel_equals_sequential(dir: &Path) {
    let sequential = on_threads(1, dir);
    let parallel = on_threads(4, dir);
    assert!(
        sequential.len() > 100,
        "{} gave almost nothing",
        dir.display()
    );
    assert_eq!(parallel, sequential, "{}", dir.display());
}

#[test]
fn parallel_check_equals_sequential_on_every_fixture_course() {
    for kind in ["course", "formats"] {
        let mut cases: Vec<_> = std::fs::read_dir(fixtures_root().join(kind))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        cases.sort();
        assert!(cases.len() > 3, "{kind}: {cases:?}");
        for case in cases {
            let (_tmp, dir) = fixture(&format!("{kind}/{case}"));
            assert_parallel_equals_sequential(&dir);
        }
    }
}

#[test]
fn parallel_check_equals_sequential_on_generated_courses_of_200_lessons() {
    // A plain folder (lenient reading) and a Lectern course (strict reading), each
    // lesson with a broken image, a refused link, math and a one-option quiz; and a
    // book whose chapters include listings.
    let plain = tempfile::tempdir().unwrap();
    Shape::SCALING.write(plain.path(), 200);
    assert_parallel_equals_sequential(plain.path());
    let strict = tempfile::tempdir().unwrap();
    Shape {
        course_yaml: Some("id: big\ntitle: Big\n"),
        ..Shape::SCALING
    }
    .write(strict.path(), 200);
    assert_parallel_equals_sequential(strict.path());
    let book = tempfile::tempdir().unwrap();
    write_book(book.path(), 60);
    assert_parallel_equals_sequential(book.path());
}
