//! Full-text search: any language, code, prefixes and substrings, quiz prompts but never
//! answers, malformed queries, incremental updates and a cache that can be lost.

use std::path::Path;

use lectern::course::Course;
use lectern::search::{Cache, SearchIndex};

use crate::support::fixture;

mod cache;
mod forgive;
mod quality;
mod warm;

fn lessons_for(index: &SearchIndex, q: &str) -> Vec<String> {
    let mut found: Vec<String> = index
        .query(q, 20)
        .unwrap()
        .results
        .into_iter()
        .map(|h| h.lesson)
        .collect();
    found.dedup();
    found
}

fn indexed(dir: &Path) -> SearchIndex {
    let mut index = SearchIndex::in_memory().unwrap();
    index.sync(&Course::load(dir)).unwrap();
    index
}

#[test]
fn words_prefixes_accents_cjk_and_code_are_found() {
    let (_tmp, dir) = fixture("search/course");
    let index = indexed(&dir);
    assert_eq!(lessons_for(&index, "tokenizer"), ["english"]);
    assert_eq!(lessons_for(&index, "tokeniz"), ["english"], "a prefix");
    assert!(
        lessons_for(&index, "naive").contains(&"english".to_owned()),
        "naïve ↔ naive"
    );
    assert!(
        lessons_for(&index, "naïve").contains(&"french".to_owned()),
        "naive ↔ naïve"
    );
    assert_eq!(lessons_for(&index, "cafe"), ["french"]);
    assert_eq!(
        lessons_for(&index, "注意力"),
        ["chinese"],
        "CJK through the pairs"
    );
    assert_eq!(
        lessons_for(&index, "词元"),
        ["chinese"],
        "two CJK characters inside a run, through the pairs"
    );
    assert_eq!(
        lessons_for(&index, "序列 词元"),
        ["chinese"],
        "two such terms"
    );
    assert!(
        lessons_for(&index, "元词").is_empty(),
        "the pairs keep their order"
    );
    assert_eq!(lessons_for(&index, "softmax("), ["english"], "a code token");
    assert_eq!(lessons_for(&index, "ubword"), ["english"], "a substring");
}

#[test]
fn a_two_character_cjk_hit_points_at_its_heading_with_the_word_marked() {
    let (_tmp, dir) = fixture("search/course");
    let index = indexed(&dir);
    let hits = index.query("词元", 5).unwrap().results;
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].anchor, "自注意力");
    assert_eq!(hits[0].heading, "自注意力");
    assert_eq!(
        hits[0].snippet,
        "自注意力让每个<mark>词元</mark>关注序列中的所有其他<mark>词元</mark>。"
    );
}

#[test]
fn results_point_at_the_nearest_heading_with_marked_escaped_snippets() {
    let (_tmp, dir) = fixture("search/course");
    let index = indexed(&dir);
    let hit = &index.query("subword units", 5).unwrap().results[0];
    assert_eq!(
        (hit.lesson.as_str(), hit.anchor.as_str()),
        ("english", "byte-pair-encoding")
    );
    assert_eq!(hit.heading, "Byte pair encoding");
    assert!(
        hit.snippet.contains("<mark>subword</mark>"),
        "{}",
        hit.snippet
    );
    let code = &index.query("math.exp", 5).unwrap().results[0];
    assert!(
        !code.snippet.contains('<') || code.snippet.contains("<mark>"),
        "{}",
        code.snippet
    );
}

#[test]
fn quiz_prompts_are_found_but_never_options_or_explanations() {
    let (_tmp, dir) = fixture("search/course");
    let index = indexed(&dir);
    assert_eq!(lessons_for(&index, "which unit"), ["english"]);
    assert!(lessons_for(&index, "paragraphs").is_empty(), "an option");
    assert!(lessons_for(&index, "zeppelin").is_empty(), "an explanation");
}

#[test]
fn malformed_queries_give_results_or_nothing_never_an_error() {
    let (_tmp, dir) = fixture("search/course");
    let index = indexed(&dir);
    for q in [
        "\"unbalanced",
        "AND OR",
        "*",
        "NEAR(",
        "title:tokenizer",
        "-",
        "\"\"",
        "(",
        "a\"b",
        "^x",
        "",
    ] {
        assert!(index.query(q, 5).is_ok(), "{q}");
    }
    assert_eq!(lessons_for(&index, "\"tokenizer"), ["english"]);
}

#[test]
fn each_malformed_query_class_still_finds_its_words() {
    let (_tmp, dir) = fixture("search/course");
    let index = indexed(&dir);
    for (class, q) in [
        ("unbalanced quotes", "\"tokenizer"),
        ("unbalanced quotes after", "tokenizer\""),
        ("a stray operator first", "AND tokenizer"),
        ("a stray operator last", "tokenizer OR"),
        ("a stray NOT", "NOT tokenizer"),
        ("a lone star", "tokenizer *"),
        ("an open NEAR", "NEAR( tokenizer"),
        ("NEAR glued on", "NEAR(tokenizer"),
        ("a column filter", "title:tokenizer"),
        ("a column set", "{body}: tokenizer"),
        ("a caret", "^tokenizer"),
        ("a plus", "+tokenizer"),
    ] {
        let found = index.query(q, 5).unwrap_or_else(|e| panic!("{class}: {e}"));
        assert!(
            found.results.iter().any(|h| h.lesson == "english"),
            "{class} ({q}): {:?}",
            found.results
        );
    }
    for q in ["*", "NEAR(", "AND", "\"", "{", ":", "(((", "-*-"] {
        let found = index.query(q, 5).unwrap_or_else(|e| panic!("{q}: {e}"));
        assert!(found.results.is_empty(), "{q}: nothing to look for");
    }
}

#[test]
fn a_hit_in_a_quiz_prompt_points_at_the_knowledge_check_heading() {
    let (_tmp, dir) = fixture("search/course");
    let index = indexed(&dir);
    let hit = &index.query("which unit", 5).unwrap().results[0];
    assert_eq!(hit.heading, "Knowledge Check");
    assert_eq!(hit.anchor, lectern::search::KNOWLEDGE_CHECK_ANCHOR);
    assert_eq!(
        hit.anchor, "quiz-title",
        "the id ui/js/views/quiz.js gives it"
    );
}

#[test]
fn an_edited_lesson_is_found_by_its_new_words_only_and_a_warm_sync_does_nothing() {
    let (_tmp, dir) = fixture("search/course");
    let mut index = SearchIndex::in_memory().unwrap();
    let first = index.sync(&Course::load(&dir)).unwrap();
    assert_eq!((first.indexed, first.unchanged), (3, 0));
    let warm = index.sync(&Course::load(&dir)).unwrap();
    assert_eq!((warm.indexed, warm.unchanged, warm.removed), (0, 3, 0));
    let path = dir.join("french.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("élémentaire", "quantique");
    std::fs::write(&path, text).unwrap();
    std::fs::remove_file(dir.join("chinese.md")).unwrap();
    let after = index.sync(&Course::load(&dir)).unwrap();
    assert_eq!((after.indexed, after.unchanged, after.removed), (1, 1, 1));
    assert_eq!(lessons_for(&index, "quantique"), ["french"]);
    assert!(lessons_for(&index, "elementaire").is_empty());
    assert!(lessons_for(&index, "注意力").is_empty());
}

#[test]
fn substrings_follow_the_text_through_edits_with_no_trigram_index_kept() {
    let (tmp, dir) = fixture("search/course");
    let path = tmp.path().join("cache").join("index.sqlite");
    drop(SearchIndex::open(&path, &Course::load(&dir)).unwrap());
    let file = dir.join("french.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("élémentaire", "quantique")).unwrap();
    std::fs::remove_file(dir.join("chinese.md")).unwrap();
    let opened = SearchIndex::open(&path, &Course::load(&dir)).unwrap();
    assert_eq!((opened.stats.indexed, opened.stats.removed), (1, 1));
    // Substrings (through the indexed words): the old text's are gone, the new text's
    // found; a word the vocabulary still holds matches no row.
    assert!(lessons_for(&opened.index, "lementair").is_empty());
    assert_eq!(lessons_for(&opened.index, "uantiqu"), ["french"]);
    drop(opened);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let trigram_tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%trigram%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(trigram_tables, 0, "the text is indexed a second time");
}

#[test]
fn a_substring_of_several_words_is_the_end_of_one_then_the_start_of_the_last() {
    let (_tmp, dir) = fixture("search/course");
    let index = indexed(&dir);
    assert_eq!(lessons_for(&index, "ubwor"), ["english"], "inside one word");
    assert_eq!(
        lessons_for(&index, "ubword unit"),
        ["english"],
        "with another term"
    );
    assert_eq!(
        lessons_for(&index, "ath.ex"),
        ["english"],
        "the end of `math`, then the start of `exp`"
    );
    assert!(
        lessons_for(&index, "ath.xe").is_empty(),
        "no word starts `xe`"
    );
    assert!(lessons_for(&index, "qqxqq").is_empty(), "inside no word");
}

#[test]
fn a_damaged_index_file_is_rebuilt_not_an_error() {
    let (tmp, dir) = fixture("search/course");
    let path = tmp.path().join("cache").join("index.sqlite");
    let opened = SearchIndex::open(&path, &Course::load(&dir)).unwrap();
    assert_eq!(opened.cache, Cache::Built);
    drop(opened);
    std::fs::write(&path, b"not a database at all").unwrap();
    let opened = SearchIndex::open(&path, &Course::load(&dir)).unwrap();
    assert_eq!(opened.cache, Cache::Built);
    assert_eq!(opened.stats.indexed, 3);
    assert_eq!(lessons_for(&opened.index, "tokenizer"), ["english"]);
}

#[test]
fn the_cli_finds_the_bert_lesson_first_for_masked_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cache = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["search", "masked language", "lessons", "--json"])
        .current_dir(root)
        .env("XDG_CACHE_HOME", cache.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["query"], "masked language");
    let first = &v["results"][0];
    assert_eq!(first["lesson"], "nlp-bert-gpt");
    assert!(first["heading"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("masked language"));
    assert!(first["snippet"].as_str().unwrap().contains("<mark>"));
    assert!(v["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn the_cli_json_says_the_words_matched_and_did_you_mean_when_nothing_matches() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cache = tempfile::tempdir().unwrap();
    let ask = |q: &str| -> serde_json::Value {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["search", q, "lessons", "--json"])
            .current_dir(root)
            .env("XDG_CACHE_HOME", cache.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let typo = ask("transfomer");
    assert_eq!(typo["results"][0]["lesson"], "nlp-transformers");
    let matched = typo["matched"].as_array().unwrap();
    assert!(matched.contains(&"transformer".into()), "{matched:?}");
    assert_eq!(typo["suggestions"], serde_json::json!([]));
    let none = ask("attention qwertyuiop transfomers");
    assert_eq!(none["results"], serde_json::json!([]));
    assert_eq!(none["suggestions"], serde_json::json!(["transformers"]));
}

#[test]
fn snippets_show_formulas_and_prompts_as_the_reader_sees_them_not_their_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let index = indexed(&root.join("lessons"));
    let hits = index.query("scaled", 20).unwrap().results;
    assert!(hits.iter().any(|h| h.snippet.contains("√dk")), "{hits:?}");
    for hit in &hits {
        for source in ["$", "\\sqrt", "\\mathbf", "\\infty", "**"] {
            assert!(!hit.snippet.contains(source), "{source} in {hit:?}");
        }
    }
}
