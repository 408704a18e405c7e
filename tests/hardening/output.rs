//! What reaches an author's terminal and tools: bounded, escaped, and a JSON error on
//! `--json` usage mistakes; front matter messages that say what was written.

use std::fs;

use serde_json::Value;

use crate::support::{fixture, lectern};

#[test]
fn forty_thousand_problems_in_one_file_list_two_hundred_and_count_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let images: String = (0..40_000)
        .map(|i| format!("![x](missing-{i}.png)\n"))
        .collect();
    fs::write(
        dir.path().join("many.md"),
        format!("---\nid: many\ntitle: Many\n---\n{images}"),
    )
    .unwrap();
    let o = lectern(&["check", ".", "--json"], dir.path());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let listed = v["diagnostics"].as_array().unwrap();
    assert_eq!(listed.len(), lectern::diagnostic::MAX_PER_FILE + 1);
    assert_eq!(listed.last().unwrap()["code"], "too-many-diagnostics");
    assert_eq!(v["warnings"], 40_001);
}

#[test]
fn a_long_line_with_many_problems_prints_a_window_per_problem() {
    let dir = tempfile::tempdir().unwrap();
    let line: String = (0..10_000).map(|i| format!("![](m{i}.png)")).collect();
    assert!(line.len() > 100_000);
    fs::write(
        dir.path().join("wide.md"),
        format!("---\nid: wide\ntitle: Wide\n---\n{line}\n"),
    )
    .unwrap();
    let o = lectern(&["check", "."], dir.path());
    // 201 diagnostics of a few hundred bytes each, not 10,000 copies of a 120 KB line.
    assert!(o.stdout.len() < 201 * 600, "{} bytes", o.stdout.len());
}

#[test]
fn control_characters_in_file_names_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // A Lectern course, where a file without front matter is an error.
    fs::write(dir.path().join("course.yaml"), "title: T\n").unwrap();
    fs::write(
        dir.path().join("evil\u{1b}]0;owned\u{7}\nname.md"),
        "no front matter\n",
    )
    .unwrap();
    let o = lectern(&["check", "."], dir.path());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(
        out.contains("evil\\u{1b}]0;owned\\u{7}\\u{a}name.md:1:1: error[front-matter-missing]"),
        "{out}"
    );
}

#[test]
fn usage_errors_under_json_print_a_json_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = lectern(&["check", "nowhere", "--json"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["code"], "not-a-folder");
    let o = lectern(&["list", "--bogus", "--json"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["code"], "usage");
}

#[test]
fn front_matter_messages_quote_what_was_written() {
    let (tmp, _dir) = fixture("hardening/frontmatter");
    let o = lectern(&["check", "frontmatter", "--json"], tmp.path());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let found: Vec<(String, String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let by_file = |f: &str| found.iter().find(|(p, _, _)| p == f).unwrap().clone();
    let (_, code, message) = by_file("deep-yaml.md");
    assert_eq!(code, "front-matter-syntax");
    assert!(
        message.ends_with("it nests more than 64 levels deep; flatten it"),
        "{message}"
    );
    assert!(!message.contains("Depth {"));
    let (_, code, _) = by_file("inf.md");
    assert_eq!(code, "front-matter-type");
    let (_, _, message) = by_file("huge-order.md");
    assert!(
        message.contains("`order: 1234567890123456789012345678901`"),
        "{message}"
    );
    let (_, code, _) = by_file("twice.md");
    assert_eq!(code, "duration-format");
    let (_, code, message) = by_file("umlaut.md");
    assert_eq!(code, "invalid-id");
    assert!(message.contains("(e.g. `ub`)"), "{message}");
}
