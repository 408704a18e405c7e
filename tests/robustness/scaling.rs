//! Scaling harness (issue 10): every class of input that was quadratic is rendered and
//! checked at N and 4N, and what it costs may grow at most 6× (linear is 4×, quadratic
//! 16×). No clock: the costs are sizes and counts that stand for time, deterministic on
//! any machine — HTML bytes, diagnostics, bytes of `lectern check`'s human output, and
//! the allocations the work makes (see `alloc_count`). Time is measured by criterion in
//! `benches/scaling.rs`, on the same inputs (`scaling_inputs`).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use lectern::course::Course;
use lectern::render::{RenderOptions, Renderer};

use super::alloc_count::counted;
use super::scaling_inputs::{long_line, CLASSES};
use crate::support::courses::Shape;

/// The most any cost may grow when the input grows 4×.
const MAX_GROWTH: u64 = 6;

/// What one piece of work cost, in quantities that stand for time.
#[derive(Clone, Copy, Debug, Default)]
struct Cost {
    html_bytes: u64,
    diagnostics: u64,
    human_bytes: u64,
    allocations: u64,
    allocated_bytes: u64,
}

impl Cost {
    fn fields(&self) -> [(&'static str, u64); 5] {
        [
            ("HTML bytes", self.html_bytes),
            ("diagnostics", self.diagnostics),
            ("human output bytes", self.human_bytes),
            ("allocations", self.allocations),
            ("allocated bytes", self.allocated_bytes),
        ]
    }
}

/// Every cost that grew more than [`MAX_GROWTH`]× from `at_n` to `at_4n`.
fn growth_problems(at_n: &Cost, at_4n: &Cost) -> Vec<String> {
    at_n.fields()
        .iter()
        .zip(at_4n.fields())
        .filter(|((_, small), (_, large))| *large > MAX_GROWTH * (*small).max(1))
        .map(|((what, small), (_, large))| {
            format!(
                "{what}: {small} → {large} ({:.1}×)",
                large as f64 / (*small).max(1) as f64
            )
        })
        .collect()
}

/// Measures `cost` at `n` and `4 * n`; an error lists each cost that grew too much.
fn scales(name: &str, n: usize, cost: impl Fn(usize) -> Cost) -> Result<(Cost, Cost), String> {
    let (small, large) = (cost(n), cost(4 * n));
    let problems = growth_problems(&small, &large);
    if problems.is_empty() {
        Ok((small, large))
    } else {
        Err(format!(
            "{name}: from N = {n} to 4N grew more than {MAX_GROWTH}×: {}\n  N:  {small:?}\n  4N: {large:?}",
            problems.join("; ")
        ))
    }
}

/// What `lectern check` and the reader do with one lesson: parse, render, the render
/// check and the quiz, and the human output of every diagnostic.
fn lesson_cost(text: &str) -> Cost {
    let root = tempfile::tempdir().unwrap();
    let ids = std::collections::HashMap::new();
    let options = RenderOptions::new(root.path(), &ids);
    let renderer = Renderer::default();
    let ((html, diagnostics, human), allocs) = counted(|| {
        let (lesson, mut diagnostics) =
            lectern::lesson::parse(Path::new("scale.md"), text.as_bytes()).unwrap();
        let html = renderer.render(&lesson, &options).html.len();
        diagnostics.extend(renderer.check(&lesson, &options));
        diagnostics.extend(lectern::quiz::parse(&lesson).1);
        let human: usize = diagnostics
            .iter()
            .map(|d| d.render_human(Path::new("lessons")).len())
            .sum();
        (html, diagnostics.len(), human)
    });
    Cost {
        html_bytes: html as u64,
        diagnostics: diagnostics as u64,
        human_bytes: human as u64,
        allocations: allocs.count,
        allocated_bytes: allocs.bytes,
    }
}

#[test]
fn every_quadratic_input_class_of_issue_10_scales_linearly() {
    // Warm the process-wide state (syntax set, statics) so it is not counted at N only.
    lesson_cost(&(CLASSES[0].make)(4));
    let quiet = ["same-headings", "hash-lines"];
    let mut failures = Vec::new();
    for class in CLASSES {
        let n = class.full / 40;
        match scales(class.name, n, |n| lesson_cost(&(class.make)(n))) {
            Ok((small, _)) => assert!(
                quiet.contains(&class.name) || small.diagnostics > 0,
                "{}: the input finds no problem, so it tests nothing",
                class.name
            ),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Loading and checking a course of `n` generated lessons, as `lectern check` does.
fn course_cost(n: usize) -> Cost {
    let dir = tempfile::tempdir().unwrap();
    Shape::SCALING.write(dir.path(), n);
    let renderer = Renderer::default();
    let ((diagnostics, human), allocs) = counted(|| {
        let loaded = Course::load(dir.path());
        let report = lectern::check::check(&loaded, &renderer);
        let human: usize = report
            .diagnostics
            .iter()
            .map(|d| d.render_human(Path::new("lessons")).len())
            .sum();
        (report.diagnostics.len(), human)
    });
    Cost {
        diagnostics: diagnostics as u64,
        human_bytes: human as u64,
        allocations: allocs.count,
        allocated_bytes: allocs.bytes,
        ..Cost::default()
    }
}

#[test]
fn a_course_of_many_lessons_loads_and_checks_linearly() {
    let (small, _) = scales("course", 25, course_cost).unwrap();
    assert!(small.diagnostics >= 25, "{small:?}");
}

/// The bytes allocated by applying `changes` to the book in `dir` as loaded. On one
/// thread: allocations are counted on the thread that makes them, and a whole read
/// reads the chapters on every core.
fn apply_bytes(dir: &Path, changes: &[lectern::course::FileChange]) -> (u64, Vec<String>) {
    let mut loaded = Course::load(dir);
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let (applied, allocs) = one_thread.install(|| counted(|| loaded.apply(changes)));
    (allocs.bytes, applied.changed)
}

#[test]
fn saving_one_chapter_of_a_book_reads_that_chapter_not_the_book() {
    use crate::support::courses::{book_chapter, book_listing, write_book};
    use lectern::course::FileChange;
    // Allocations stand for reads: reading a chapter allocates its text at least once
    // (the file's bytes, which become its text, and its includes expanded), while laying the book
    // out and rebuilding it in memory costs a few kilobytes per lesson whatever its
    // size. Chapters of ~60 KB make one chapter's reading outweigh that rebuild, so
    // "less than two chapters' worth" tells one chapter read from two or more. A whole
    // read (a rescan) of the N chapters is the measure of a chapter's worth.
    const N: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    write_book(dir.path(), N);
    let padding = format!("\n{}\n", "Some more prose to read. ".repeat(2_000));
    for i in 0..N {
        let path = dir.path().join(book_chapter(i));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text + &padding).unwrap();
    }
    let (all, _) = apply_bytes(dir.path(), &[FileChange::Rescan]);
    let chapter_worth = all / N as u64;
    let saved = book_chapter(7);
    let text = std::fs::read_to_string(dir.path().join(&saved)).unwrap();
    std::fs::write(dir.path().join(&saved), text + "One more line.\n").unwrap();
    let (save, changed) = apply_bytes(dir.path(), &[FileChange::Lesson(saved.into())]);
    assert_eq!(changed, ["ch007"]);
    assert!(
        save < 2 * chapter_worth,
        "a one-chapter save allocated {save} bytes; reading the whole book {all} ({chapter_worth} a chapter)"
    );
    // A listing is read again with the one chapter that includes it, not the book.
    let listing = book_listing(12, 1);
    let (save, changed) = apply_bytes(dir.path(), &[FileChange::File(listing.into())]);
    assert_eq!(changed, ["ch012"]);
    assert!(
        save < 2 * chapter_worth,
        "a listing save allocated {save} bytes ({chapter_worth} a chapter)"
    );
}

#[test]
fn the_scaling_check_fails_on_quadratic_growth() {
    let quadratic = |n: usize| Cost {
        allocations: (n * n) as u64,
        ..Cost::default()
    };
    let err = scales("quadratic", 100, quadratic).unwrap_err();
    assert!(err.contains("allocations: 10000 → 160000 (16.0×)"), "{err}");
    let linear = |n: usize| Cost {
        html_bytes: 10 + 4 * n as u64,
        ..Cost::default()
    };
    assert!(scales("linear", 100, linear).is_ok());
}

/// Bytes `lectern check DIR` prints on stdout, reading at most `limit` + 1 of them (the
/// process is killed past that, so a runaway output fails fast instead of filling memory).
fn check_output_bytes(dir: &Path, limit: u64) -> u64 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .arg("check")
        .arg(dir)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let read = std::io::copy(&mut stdout.take(limit + 1), &mut std::io::sink()).unwrap();
    let _ = child.kill();
    child.wait().unwrap();
    read
}

#[test]
fn human_output_of_a_160_kb_line_with_10000_problems_stays_small() {
    // Issue 10: each diagnostic reprinted the whole line, 1.8 GB for this input.
    let dir = tempfile::tempdir().unwrap();
    let text = long_line(10_000);
    std::fs::write(dir.path().join("long.md"), &text).unwrap();
    let limit = 64 * text.len() as u64;
    let printed = check_output_bytes(dir.path(), limit);
    assert!(
        printed <= limit,
        "`lectern check` printed over {limit} bytes for a {} byte lesson",
        text.len()
    );
}

#[test]
fn a_search_query_of_4n_terms_allocates_what_one_of_n_terms_does() {
    // Issue 20: the same word 1,000 times took 13.5 s, 2,000 times 48 s; 10,000
    // one-letter words 36 s and 2.9 GB. A query is read up to its caps (README): past
    // them, a longer query costs nothing more.
    let (_tmp, dir) = crate::support::fixture("search/course");
    let mut index = lectern::search::SearchIndex::in_memory().unwrap();
    index.sync(&Course::load(&dir)).unwrap();
    let letters = |n: usize| -> String {
        (0..n)
            .map(|i| format!("{} ", char::from(b'a' + (i % 26) as u8)))
            .collect()
    };
    let same = |n: usize| "tokenizer ".repeat(n);
    for (what, query, n) in [
        ("the same word", &same as &dyn Fn(usize) -> String, 1_000),
        ("one-letter words", &letters, 2_500),
    ] {
        // The answer echoes the query as given: one copy of it is the only cost that
        // grows with its length.
        let cost = |n: usize| {
            let q = query(n);
            let (found, allocs) = counted(|| index.query(&q, 20).unwrap().results.len());
            (found, allocs.count, allocs.bytes - q.len() as u64)
        };
        cost(n); // statements prepared once, outside the counts
        let (small, large) = (cost(n), cost(4 * n));
        assert!(small.1 > 0, "{what}: {small:?}");
        assert_eq!(
            small, large,
            "{what}: N vs 4N (results, allocations, bytes)"
        );
    }
}
