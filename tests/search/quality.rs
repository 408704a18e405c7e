//! The search quality benchmark (`tests/fixtures/search/quality.tsv`): realistic learner
//! queries over the bundled course and a fixture book, each with the lesson that should
//! come first. It prints top-1 and top-3 by class (`cargo test -p lectern --test
//! integration search_quality -- --nocapture`; BENCHMARKS.md records them) and fails when
//! a query marked `keep` is no longer first, so nothing that works gets worse.

use std::collections::BTreeMap;
use std::path::Path;

use lectern::course::Course;
use lectern::search::SearchIndex;

/// One line of the benchmark.
struct Case {
    class: String,
    query: String,
    expected: String,
    keep: bool,
}

fn cases() -> Vec<Case> {
    let path = crate::support::fixtures_root().join("search/quality.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() >= 3, "quality.tsv: malformed line {l:?}");
            Case {
                class: cols[0].to_owned(),
                query: cols[1].to_owned(),
                expected: cols[2].to_owned(),
                keep: cols.get(3).is_some_and(|k| k.trim() == "1"),
            }
        })
        .collect()
}

/// The index of a course folder and the ids of its lessons.
fn indexed(dir: &Path) -> (SearchIndex, Vec<String>) {
    let loaded = Course::load(dir);
    let ids = loaded
        .course
        .lessons()
        .iter()
        .map(|l| l.id.clone())
        .collect();
    let mut index = SearchIndex::in_memory().unwrap();
    index.sync(&loaded).unwrap();
    (index, ids)
}

/// Where `expected` comes among the lessons found for `query` (0 is first), each lesson
/// counted once, at its best hit.
fn rank(index: &SearchIndex, query: &str, expected: &str) -> Option<usize> {
    let mut lessons: Vec<String> = Vec::new();
    for hit in index.query(query, 100).unwrap().results {
        if !lessons.contains(&hit.lesson) {
            lessons.push(hit.lesson);
        }
    }
    lessons.iter().position(|l| l == expected)
}

#[test]
fn search_quality_keeps_every_kept_query_first_and_reports_top_1_and_top_3() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let course = indexed(&root.join("lessons"));
    let book = indexed(&crate::support::fixtures_root().join("search/book"));
    let cases = cases();
    assert!(
        cases.len() >= 60,
        "the benchmark has {} queries",
        cases.len()
    );
    // class → (queries, top-1, top-3)
    let mut by_class: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut lost = Vec::new();
    for case in &cases {
        let (index, ids) = if course.1.contains(&case.expected) {
            (&course.0, &course.1)
        } else {
            (&book.0, &book.1)
        };
        assert!(
            ids.contains(&case.expected),
            "{:?}: no lesson {:?} (book: {:?})",
            case.query,
            case.expected,
            book.1
        );
        let at = rank(index, &case.query, &case.expected);
        let row = by_class.entry(&case.class).or_default();
        row.0 += 1;
        row.1 += usize::from(at == Some(0));
        row.2 += usize::from(at.is_some_and(|r| r < 3));
        if at != Some(0) {
            println!("miss  {:<10} {:<28} {:?}", case.class, case.query, at);
            if case.keep {
                lost.push(case.query.clone());
            }
        }
    }
    let total = by_class
        .values()
        .fold((0, 0, 0), |a, r| (a.0 + r.0, a.1 + r.1, a.2 + r.2));
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of as f64;
    for (class, (n, one, three)) in by_class.iter().chain([(&"all", &total)]) {
        println!(
            "{class:<10} {n:>3} queries  top-1 {:>5.1} %  top-3 {:>5.1} %",
            pct(*one, *n),
            pct(*three, *n)
        );
    }
    assert!(lost.is_empty(), "kept queries no longer first: {lost:?}");
}
