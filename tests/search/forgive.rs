//! What search forgives, on the fixture book (British English): word forms, the other
//! spelling, typos, compounds and identifiers; what is typed ranks first, code is never
//! corrected, and a query that finds nothing suggests the nearest words.

use lectern::search::SearchIndex;

use super::{indexed, lessons_for};
use crate::support::fixture;

fn book() -> (tempfile::TempDir, SearchIndex) {
    let (tmp, dir) = fixture("search/book");
    let index = indexed(&dir);
    (tmp, index)
}

#[test]
fn other_word_forms_and_the_american_spelling_find_a_british_text() {
    let (_tmp, index) = book();
    assert_eq!(lessons_for(&index, "optimization")[0], "optimisation");
    assert_eq!(lessons_for(&index, "labeling"), ["labelling"]);
    assert_eq!(lessons_for(&index, "color")[0], "colour");
    assert_eq!(lessons_for(&index, "annotator"), ["labelling"]);
}

#[test]
fn a_typo_of_five_letters_or_more_is_corrected_and_marked_as_the_word_found() {
    let (_tmp, index) = book();
    let answer = index.query("histogramm", 10).unwrap();
    assert_eq!(answer.results[0].lesson, "colour");
    assert!(
        answer.matched.contains(&"histogram".to_owned()),
        "{:?}",
        answer.matched
    );
    assert!(answer.results[0].snippet.contains("<mark>histogram</mark>"));
    assert!(
        lessons_for(&index, "hsx").is_empty(),
        "three letters: no typo allowed"
    );
}

#[test]
fn code_identifiers_are_never_corrected() {
    let (_tmp, index) = book();
    assert!(lessons_for(&index, "lru_cachee").is_empty());
    assert!(lessons_for(&index, "SettingsErorr").is_empty());
}

#[test]
fn compounds_are_found_joined_split_or_hyphenated_and_identifiers_by_their_parts() {
    let (_tmp, index) = book();
    for q in ["lookup", "look up", "look-up"] {
        assert_eq!(lessons_for(&index, q)[0], "caching", "{q}");
    }
    assert_eq!(lessons_for(&index, "parser")[0], "parsing", "ConfigParser");
    assert_eq!(lessons_for(&index, "SettingsError"), ["parsing"], "whole");
}

#[test]
fn the_word_as_typed_ranks_above_its_other_forms() {
    let (tmp, dir) = fixture("search/book");
    std::fs::write(
        dir.join("src/caching.md"),
        "# Caching\n\nAnnotating is a chore.\n",
    )
    .unwrap();
    let index = indexed(&dir);
    drop(tmp);
    let found = index.query("annotating", 10).unwrap().results;
    assert_eq!(found[0].lesson, "caching", "{found:?}");
    assert!(found.iter().any(|h| h.lesson == "labelling"), "{found:?}");
    assert!(
        found.windows(2).all(|w| w[0].score > w[1].score),
        "{found:?}"
    );
}

#[test]
fn stop_words_do_not_narrow_a_query() {
    let (_tmp, index) = book();
    assert_eq!(
        lessons_for(&index, "what is the momentum"),
        ["optimisation"]
    );
}

#[test]
fn a_query_that_finds_nothing_suggests_the_nearest_indexed_words() {
    let (_tmp, index) = book();
    let answer = index.query("momentum zzzzz hystogrum", 10).unwrap();
    assert!(answer.results.is_empty());
    assert_eq!(answer.suggestions, ["histogram"]);
    assert!(index.query("momentum", 10).unwrap().suggestions.is_empty());
}
