//! Load once (issue 26): `lectern search` answers from its cache without loading the
//! course when nothing the last load read has changed, and loads it again after each
//! kind of change a load would see — with the same answer either way.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use lectern::course::Course;
use lectern::search::{answer_at, Answer, Route, SearchError, SearchIndex, Stale};

use crate::support::fixture;

/// Sets the time of everything under `dir` to one moment long past, so no file is
/// within the racy window of a load now.
fn age(dir: &Path) {
    let status = Command::new("find")
        .arg(dir)
        .args(["-exec", "touch", "-h", "-d", "@1700000000", "{}", "+"])
        .status()
        .unwrap();
    assert!(status.success());
}

fn ask(cache: &Path, dir: &Path, query: &str) -> Answer {
    answer_at::<SearchError>(cache, dir, query, 20, lectern::clock::system_ms(), None).unwrap()
}

/// What a search of the course as it is now answers, loaded and indexed in memory.
fn fresh(dir: &Path, query: &str) -> String {
    let loaded = Course::load(dir);
    let mut index = SearchIndex::in_memory().unwrap();
    index.sync(&loaded).unwrap();
    let results = index.search_with(&loaded, query, 20, &[]).unwrap();
    serde_json::json!({ "results": results.results, "diagnostics": loaded.diagnostics }).to_string()
}

fn printed(a: &Answer) -> String {
    serde_json::json!({ "results": a.results.results, "diagnostics": a.diagnostics }).to_string()
}

/// A fixture copied and aged, with its cache built and found current: the folder, the
/// cache file and the temporary folder holding both.
fn warmed(rel: &str, query: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (tmp, dir) = fixture(rel);
    age(&dir);
    let cache = tmp.path().join("cache").join("index.sqlite");
    assert_eq!(
        ask(&cache, &dir, query).route,
        Route::Loaded(Stale::NoCache)
    );
    let warm = ask(&cache, &dir, query);
    assert_eq!(warm.route, Route::Warm);
    assert_eq!(printed(&warm), fresh(&dir, query));
    (tmp, dir, cache)
}

/// After `change` to the warmed fixture `rel`, the search loads the course again
/// (the stamp names a changed path) and answers what a fresh load answers.
fn loads_after(rel: &str, query: &str, change: impl FnOnce(&Path)) {
    let (_tmp, dir, cache) = warmed(rel, query);
    change(&dir);
    let after = ask(&cache, &dir, query);
    assert!(
        matches!(after.route, Route::Loaded(Stale::Changed(_))),
        "{rel}: {:?}",
        after.route
    );
    assert_eq!(printed(&after), fresh(&dir, query), "{rel}");
}

#[test]
fn a_warm_search_loads_again_after_a_lesson_is_edited() {
    loads_after("search/course", "zebraquux", |dir| {
        let file = dir.join("english.md");
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, text + "\nA zebraquux appears.\n").unwrap();
    });
}

#[test]
fn a_warm_search_loads_again_after_a_lesson_is_added_or_removed() {
    loads_after("search/course", "zebraquux", |dir| {
        fs::write(
            dir.join("added.md"),
            "---\nid: added\ntitle: Added\n---\nA zebraquux.\n",
        )
        .unwrap();
    });
    loads_after("search/course", "tokenizer", |dir| {
        fs::remove_file(dir.join("english.md")).unwrap();
    });
}

#[test]
fn a_warm_search_loads_again_after_course_yaml_is_edited() {
    loads_after("formats/includes", "include", |dir| {
        let file = dir.join("course.yaml");
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, text + "language: fr\n").unwrap();
    });
}

#[test]
fn a_warm_search_loads_again_after_an_include_is_edited_or_a_missing_one_written() {
    loads_after("formats/includes", "zebraquux", |dir| {
        let file = dir.join("inc/good.md");
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, text + "\nA zebraquux.\n").unwrap();
    });
    loads_after("formats/includes", "zebraquux", |dir| {
        fs::write(dir.join("inc/missing.md"), "Now a zebraquux is here.\n").unwrap();
    });
}

#[test]
fn a_warm_search_loads_again_after_the_summary_or_book_toml_is_edited_or_a_chapter_written() {
    loads_after("search/book", "zebraquux", |dir| {
        let file = dir.join("src/SUMMARY.md");
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, text + "- [Zebraquux](zebra.md)\n").unwrap();
    });
    loads_after("search/book", "colour", |dir| {
        let file = dir.join("book.toml");
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, text.replace("en-GB", "fr")).unwrap();
    });
    // A chapter the SUMMARY lists but nobody wrote yet, then written.
    let (_tmp, dir, cache) = warmed("search/book", "zebraquux");
    let summary = dir.join("src/SUMMARY.md");
    let text = fs::read_to_string(&summary).unwrap();
    fs::write(&summary, text + "- [Zebraquux](zebra.md)\n").unwrap();
    age(&dir);
    assert!(matches!(
        ask(&cache, &dir, "zebraquux").route,
        Route::Loaded(Stale::Changed(_))
    ));
    assert_eq!(ask(&cache, &dir, "zebraquux").route, Route::Warm);
    fs::write(dir.join("src/zebra.md"), "# Zebraquux\n\nStripes.\n").unwrap();
    let after = ask(&cache, &dir, "zebraquux");
    assert!(matches!(after.route, Route::Loaded(Stale::Changed(_))));
    assert_eq!(printed(&after), fresh(&dir, "zebraquux"));
}

#[test]
fn a_book_opened_at_its_src_folder_is_answered_warm_from_the_books_cache() {
    let (_tmp, dir, cache) = warmed("search/book", "colour");
    let warm = ask(&cache, &dir.join("src"), "colour");
    assert_eq!(warm.route, Route::Warm);
    assert_eq!(printed(&warm), fresh(&dir, "colour"));
}

/// `lectern search --json` with its cache in `cache`.
fn search_json(cache: &Path, dir: &Path, query: &str) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["search", query, "--json"])
        .arg(dir)
        .env("XDG_CACHE_HOME", cache)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    out.stdout
}

#[test]
fn search_json_from_the_cache_alone_is_byte_identical_to_a_loaded_search() {
    for rel in ["search/course", "search/book", "formats/includes"] {
        let (tmp, dir) = fixture(rel);
        age(&dir);
        let cache = tmp.path().join("cache");
        for query in ["the", "colour", "tokenizer", "zzqx", "include", "naive"] {
            let loaded = search_json(&cache, &dir, query);
            let warm = search_json(&cache, &dir, query);
            assert_eq!(
                String::from_utf8_lossy(&warm),
                String::from_utf8_lossy(&loaded),
                "{rel} `{query}`"
            );
            let elsewhere = tmp.path().join(format!("other-{query}"));
            assert_eq!(
                search_json(&elsewhere, &dir, query),
                loaded,
                "{rel} `{query}`"
            );
        }
    }
}
