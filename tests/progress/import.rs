//! `progress import` bounds and validation (issue "Store safety"): a size cap enforced
//! by a bounded read, values no Lectern writes refused, a byte order mark accepted.

use std::path::Path;

use lectern::progress::{self, Export, Store};

use super::lectern_within;

const EMPTY: &str =
    r#"{"format": 1, "courses": [], "lessons": [], "attempts": [], "answers": [], "settings": []}"#;

fn with(field: &str, rows: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(EMPTY).unwrap();
    v[field] = rows;
    v.to_string()
}

fn import(dir: &Path, json: &str) -> std::process::Output {
    std::fs::write(dir.join("e.json"), json).unwrap();
    lectern_within(&["progress", "import", "e.json", "--db", "p.db"], &[], dir)
}

#[test]
fn an_export_with_a_byte_order_mark_is_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let json = with(
        "settings",
        serde_json::json!([{"key": "theme", "value": "dark"}]),
    );
    let out = import(tmp.path(), &format!("\u{feff}{json}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open_read_only(&tmp.path().join("p.db")).unwrap();
    assert_eq!(store.setting("theme").unwrap().as_deref(), Some("dark"));
}

#[test]
fn values_no_lectern_writes_are_refused_and_nothing_is_imported() {
    let card = |due: i64, reps: i64| {
        serde_json::json!([{"course": "id:c", "lesson": "l", "question": "q",
            "stability": 1.0, "difficulty": 5.0, "due": due, "last_review": 0,
            "last_day": 0, "reps": reps, "lapses": 0}])
    };
    let lesson = |active_ms: i64| {
        serde_json::json!([{"course": "id:c", "lesson": "l", "first_opened": 1,
            "last_opened": 2, "active_ms": active_ms, "position_anchor": null,
            "position_offset": null, "read_to_end": false, "marked_complete": false,
            "completed_at": null}])
    };
    let course = |title: String| {
        serde_json::json!([{"key": "id:c", "title": title, "root": "/c",
            "first_opened": 1, "last_opened": 2, "last_lesson": null}])
    };
    for (json, said) in [
        (with("lessons", lesson(-5)), "lessons[0].active_ms is -5"),
        (
            with("review_cards", card(i64::MIN, 1)),
            "review_cards[0].due is -9223372036854775808",
        ),
        (
            with("review_cards", card(1000, -1)),
            "review_cards[0].reps is -1",
        ),
        (
            with("courses", course("t".repeat(200_000))),
            "courses[0].title is 200000 bytes long",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let out = import(tmp.path(), &json);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{said}: {err}");
        assert!(err.contains(said), "{said}: {err}");
        assert!(err.contains("nothing was imported"), "{err}");
        let data: Export = serde_json::from_str(&json).unwrap();
        assert!(data.validate().is_err());
        if tmp.path().join("p.db").exists() {
            let store = Store::open_read_only(&tmp.path().join("p.db")).unwrap();
            let export = store.export().unwrap();
            assert!(export.courses.is_empty() && export.lessons.is_empty());
            assert!(export.review_cards.is_empty());
        }
    }
}

#[test]
fn a_device_as_the_export_is_refused_without_reading_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = lectern_within(
        &["progress", "import", "/dev/zero", "--db", "p.db"],
        &[],
        tmp.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("a device, not a regular file"), "{err}");
}

#[test]
fn standard_input_is_read_only_up_to_the_import_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["progress", "import", "-", "--db", "p.db"])
        .current_dir(tmp.path())
        .stdin(zero)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("over the 256 MiB an import may be"), "{err}");
    assert_eq!(progress::IMPORT_LIMIT, 256 * 1024 * 1024);
}

#[test]
fn a_file_over_the_import_limit_is_refused_by_its_size() {
    let tmp = tempfile::tempdir().unwrap();
    let big = std::fs::File::create(tmp.path().join("big.json")).unwrap();
    // Sparse: no disk space used, and never read.
    big.set_len(progress::IMPORT_LIMIT + 1).unwrap();
    let out = lectern_within(
        &["progress", "import", "big.json", "--db", "p.db"],
        &[],
        tmp.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("over the 256 MiB an import may be"), "{err}");
}
