//! The `lectern` binary: exit codes, human output and the JSON contract.

use std::process::Output;

use serde_json::Value;

use crate::support::{fixture, lectern};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn check_exits_zero_on_a_clean_course() {
    let (tmp, _dir) = fixture("course/good");
    let o = lectern(&["check", "good"], tmp.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("4 lessons checked: 0 errors, 0 warnings"));
}

#[test]
fn check_defaults_to_the_lessons_folder() {
    let (tmp, dir) = fixture("course/good");
    std::fs::rename(&dir, tmp.path().join("lessons")).unwrap();
    let o = lectern(&["check"], tmp.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn check_exits_one_and_prints_rustc_style_diagnostics_on_errors() {
    let (tmp, _dir) = fixture("course/broken");
    let o = lectern(&["check", "broken"], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("broken/bad-id.md:2:5: error[invalid-id]: `id: Not Valid` is not a valid id"),
        "{out}"
    );
    assert!(out.contains("2 | id: Not Valid\n  |     ^\n"), "{out}");
    assert!(
        // The two files whose front matter alone failed are kept as broken lessons.
        out.contains("3 lessons checked: 8 errors, 0 warnings"),
        "{out}"
    );
}

/// `lectern ARGS DIR` with its per-user cache in `cache`, no colour.
fn checked_with_cache(args: &[&str], dir: &std::path::Path, cache: &std::path::Path) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .arg(dir)
        .env("XDG_CACHE_HOME", cache)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn check_prints_the_same_from_its_cache_and_after_the_cache_is_damaged() {
    let (tmp, dir) = fixture("course/broken");
    let cache = tmp.path().join("cache");
    let run = |args: &[&str]| checked_with_cache(args, &dir, &cache);
    let cold = run(&["check"]);
    let file = lectern::check::cache_path(&dir)
        .strip_prefix(lectern::check::cache_path(&dir).ancestors().nth(3).unwrap())
        .map(|rel| cache.join(rel))
        .unwrap();
    assert!(file.is_file(), "no cache at {}", file.display());
    let warm = run(&["check"]);
    assert_eq!(stdout(&warm), stdout(&cold));
    assert_eq!(warm.status.code(), Some(1));
    std::fs::write(&file, "{\"format\": 1, \"lec").unwrap();
    assert_eq!(stdout(&run(&["check"])), stdout(&cold));
    assert_eq!(stdout(&run(&["check"])), stdout(&cold));
    assert_eq!(
        run(&["check", "--json"]).stdout,
        lectern(&["check", "broken", "--json"], tmp.path()).stdout
    );
}

#[test]
fn check_with_no_cache_prints_the_same_and_leaves_no_cache_behind() {
    let (tmp, dir) = fixture("course/broken");
    let cache = tmp.path().join("cache");
    let run = |args: &[&str]| checked_with_cache(args, &dir, &cache);
    let uncached = run(&["check", "--no-cache"]);
    assert_eq!(uncached.status.code(), Some(1));
    assert!(!cache.exists(), "--no-cache wrote {}", cache.display());
    let cached = run(&["check"]);
    assert!(cache.exists(), "a plain check keeps its cache");
    assert_eq!(stdout(&uncached), stdout(&cached));
    assert_eq!(
        run(&["check", "--no-cache", "--json"]).stdout,
        run(&["check", "--json"]).stdout
    );
}

#[test]
fn check_json_reports_counts_and_diagnostics() {
    let (tmp, _dir) = fixture("course/broken");
    let o = lectern(&["check", "broken", "--json"], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["lessons"], 3);
    assert_eq!(v["errors"], 8);
    assert_eq!(v["warnings"], 0);
    let d = &v["diagnostics"][0];
    for key in ["path", "line", "column", "severity", "code", "message"] {
        assert!(d.get(key).is_some(), "diagnostic lacks `{key}`: {d}");
    }
}

#[test]
fn list_json_follows_the_documented_contract() {
    let (tmp, _dir) = fixture("course/good");
    let o = lectern(&["list", "good", "--json"], tmp.path());
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["title"], "Fixture Course");
    assert_eq!(v["diagnostics"], Value::Array(vec![]));
    let first = &v["sections"][0];
    assert_eq!(first["id"], "intro");
    assert_eq!(first["title"], "Getting Started");
    let hello = &first["lessons"][0];
    let expected = serde_json::json!({
        "id": "hello", "title": "Hello", "type": "lesson", "duration_minutes": 20,
        "order": 1, "section": "intro", "prev": null, "next": "second",
        "path": "basics/hello.md"
    });
    assert_eq!(hello, &expected);
    let appendix = &v["sections"][2]["lessons"][0];
    assert_eq!(appendix["type"], "reference");
    assert_eq!(appendix["order"], Value::Null);
    assert_eq!(appendix["prev"], "third");
    assert_eq!(appendix["next"], Value::Null);
}

#[test]
fn list_json_of_a_lone_seed_like_lesson_reports_its_dangling_prev_link() {
    let tmp = tempfile::tempdir().unwrap();
    let src = "---\nid: nlp-bert-gpt\ntitle: BERT and GPT\ntype: lesson\nduration: 55 mins\norder: 6\nsection: language-models\nprevLessonId: nlp-transformers\n---\n\n# BERT\n";
    std::fs::write(tmp.path().join("nlp-bert-gpt.md"), src).unwrap();
    let o = lectern(&["list", ".", "--json"], tmp.path());
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let l = &v["sections"][0]["lessons"][0];
    assert_eq!(l["id"], "nlp-bert-gpt");
    assert_eq!(l["type"], "lesson");
    assert_eq!(l["duration_minutes"], 55);
    assert_eq!(l["order"], 6);
    assert_eq!(l["section"], "language-models");
    assert_eq!(l["prev"], "nlp-transformers");
    assert_eq!(v["sections"][0]["title"], "Language Models");
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "missing-link");
    assert_eq!(d["severity"], "warning");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(8), Some(15))
    );
}

#[test]
fn a_missing_folder_is_a_clear_error_with_exit_two() {
    let tmp = tempfile::tempdir().unwrap();
    let o = lectern(&["check", "nope"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`nope` is not a folder"));
}

/// The `version` of `[workspace.package]` in the root Cargo.toml: Lectern's one version.
pub(crate) fn workspace_version() -> String {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("root Cargo.toml");
    let section = manifest
        .split("[workspace.package]")
        .nth(1)
        .expect("a [workspace.package] section");
    let line = section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find(|l| l.starts_with("version"))
        .expect("a version in [workspace.package]");
    line.split('"').nth(1).expect("a quoted version").to_owned()
}

#[test]
fn version_prints_the_workspace_version() {
    let tmp = tempfile::tempdir().unwrap();
    let o = lectern(&["--version"], tmp.path());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), format!("lectern {}\n", workspace_version()));
    assert_eq!(lectern::about::VERSION, workspace_version());
}
