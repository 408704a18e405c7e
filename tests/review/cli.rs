//! `lectern review due` and the review figures of `lectern progress show`, on the clock
//! fixed by `LECTERN_NOW` / `LECTERN_TZ_OFFSET_MIN`.

use std::process::Command;

use super::{at, setup, DAY, EPOCH_DAY};

pub(super) fn lectern(args: &[&str], now: i64) -> (serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .env("LECTERN_NOW", now.to_string())
        .env("LECTERN_TZ_OFFSET_MIN", "0")
        .env_remove("LECTERN_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    (
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        text,
    )
}

#[test]
fn review_due_lists_the_due_cards_with_their_dates() {
    let mut s = setup();
    s.quiz("vectors", 0, false, at(0, 9, 0));
    s.quiz("tokens", 0, false, at(1, 9, 0));
    s.quiz("tokens", 1, true, at(1, 9, 0));
    let (dir, db) = (
        s.dir.to_str().unwrap().to_owned(),
        s.db.to_str().unwrap().to_owned(),
    );
    drop(s.store);
    let now = (EPOCH_DAY + 2) * DAY + 3_600_000;
    let (json, _) = lectern(&["review", "due", &dir, "--db", &db, "--json"], now);
    assert_eq!(json["course"], "id:review-fixture");
    assert_eq!(json["today"], "2026-03-04");
    assert_eq!(json["due"], 2);
    let cards = json["cards"].as_array().unwrap();
    assert_eq!(cards[0]["lesson"], "vectors");
    assert_eq!(cards[0]["due_date"], "2026-03-03");
    assert_eq!(cards[0]["prompt"], "What does cosine similarity ignore?");
    assert_eq!(cards[1]["lesson"], "tokens");
    assert_eq!(cards[1]["due_date"], "2026-03-04");
    assert_eq!(json["figures"]["cards"], 3);
    assert_eq!(json["figures"]["due_now"], 2);

    let (_, text) = lectern(&["review", "due", &dir, "--db", &db], now);
    assert!(text.contains("2 cards due"), "{text}");
    assert!(text.contains("2026-03-03  vectors"), "{text}");

    let (show, _) = lectern(&["progress", "show", &dir, "--db", &db, "--json"], now);
    assert_eq!(show["review"]["cards"], 3);
    assert_eq!(show["review"]["due_now"], 2);
    assert_eq!(show["review"]["reviews_logged"], 3);
    assert!(show["review"]["due_next_7_days"].as_u64().unwrap() >= 2);
    let (_, text) = lectern(&["progress", "show", &dir, "--db", &db], now);
    assert!(text.contains("Review: 3 cards, 2 due now"), "{text}");
}

#[test]
fn review_due_without_a_database_has_nothing_due() {
    let s = setup();
    let dir = s.dir.to_str().unwrap().to_owned();
    let missing = s.dir.join("none.sqlite");
    let (json, _) = lectern(
        &[
            "review",
            "due",
            &dir,
            "--db",
            missing.to_str().unwrap(),
            "--json",
        ],
        0,
    );
    assert_eq!(json["due"], 0);
    assert!(!missing.exists(), "listing never creates a database");
}
