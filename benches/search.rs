//! Search benchmark: building the index for 1,000 and 10,000 lessons, a warm start of
//! the index with nothing changed (the course already loaded), and queries — single
//! words, phrases, prefixes, CJK, code tokens, and forgiven ones (a typo, the other
//! spelling, another word form, stop words, a miss) — at 10,000 lessons, p50 and p95 over
//! repeated runs of a fixed set. See BENCHMARKS.md.
//!
//! `cargo bench -p lectern --bench search` prints the figures (one process).
//! `cargo bench -p lectern --bench search -- queries` measures the queries only, on a
//! 10,000-lesson course and index kept in `target/search-bench/` between runs (built on
//! the first run, and brought up to date by `sync` like any cache after a code change).
//! `cargo bench -p lectern --bench search -- build` builds the 10,000-lesson index once
//! (in a temporary folder) and times the queries on it: the build-time comparison of
//! BENCHMARKS.md in about a minute.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/courses.rs"]
#[allow(dead_code)]
mod courses;

use std::path::Path;
use std::time::{Duration, Instant};

use lectern::course::Course;
use lectern::search::SearchIndex;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn build(n: usize) -> (tempfile::TempDir, lectern::course::Loaded, SearchIndex) {
    let tmp = tempfile::tempdir().unwrap();
    let lessons = tmp.path().join("lessons");
    std::fs::create_dir(&lessons).unwrap();
    courses::Shape::SEARCHABLE.write(&lessons, n);
    let loaded = Course::load(&lessons);
    let path = tmp.path().join("index.sqlite");
    let t = Instant::now();
    let opened = SearchIndex::open(&path, &loaded).unwrap();
    println!(
        "index build, {n} lessons: {:.0} ms ({} indexed)",
        ms(t.elapsed()),
        opened.stats.indexed
    );
    (tmp, loaded, opened.index)
}

fn main() {
    if std::env::args().any(|a| a == "queries") {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/search-bench");
        let lessons = dir.join("lessons");
        if !lessons.exists() {
            std::fs::create_dir_all(&lessons).unwrap();
            courses::Shape::SEARCHABLE.write(&lessons, 10_000);
        }
        let loaded = Course::load(&lessons);
        let opened = SearchIndex::open(&dir.join("index.sqlite"), &loaded).unwrap();
        println!("kept index: {} lessons (re)indexed", opened.stats.indexed);
        queries(&opened.index, 10_000);
        return;
    }
    if std::env::args().any(|a| a == "build") {
        let (_tmp, _, index) = build(10_000);
        queries(&index, 10_000);
        return;
    }
    let (tmp1, _, index1) = build(1_000);
    queries(&index1, 1_000);
    drop((tmp1, index1));
    let (tmp, loaded, index) = build(10_000);
    drop(index);
    let mut warm = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let opened = SearchIndex::open(&tmp.path().join("index.sqlite"), &loaded).unwrap();
        assert_eq!(opened.stats.indexed, 0);
        warm.push(t.elapsed());
    }
    warm.sort();
    println!(
        "warm start, 10,000 lessons, nothing changed: median {:.1} ms",
        ms(warm[2])
    );
    let opened = SearchIndex::open(&tmp.path().join("index.sqlite"), &loaded).unwrap();
    queries(&opened.index, 10_000);
}

/// p50 and p95 of 20 runs of a fixed set of queries (20 results each).
fn queries(index: &SearchIndex, n: usize) {
    let queries = [
        "tokenizer",
        "attention",
        "masked language",
        "\"byte pair\"",
        "tokeniz",
        "subw",
        "注意力",
        "词元",
        "softmax(",
        "self.vocab",
        "topic42",
        "zzzz-nothing",
        // Forgiven: a typo, the other spelling, another form, a compound written whole,
        // stop words, and a miss that asks for "did you mean".
        "tokenizaton",
        "tokenisation",
        "tokenizing",
        "subwords",
        "what is the attention",
        "qwertyuiop",
    ];
    let mut times = Vec::new();
    let mut each = vec![Vec::new(); queries.len()];
    for _ in 0..20 {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let r = index.query(q, 20).unwrap();
            times.push(t.elapsed());
            each[i].push(t.elapsed());
            std::hint::black_box(r);
        }
    }
    for (q, mut t) in queries.iter().zip(each) {
        t.sort();
        println!("  {q:<16} median {:.2} ms", ms(t[t.len() / 2]));
    }
    times.sort();
    let p = |x: f64| times[((times.len() - 1) as f64 * x).round() as usize];
    println!(
        "queries at {n} lessons ({} runs of {} queries): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        20,
        queries.len(),
        ms(p(0.5)),
        ms(p(0.95)),
        ms(times[times.len() - 1])
    );
}
