//! `lectern check --watch --json`: one JSON object per change, Ctrl+C exits cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

#[test]
fn check_watch_prints_a_line_per_change_and_stops_on_ctrl_c() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("course");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.md"), "---\nid: a\ntitle: A\n---\n# A\n").unwrap();
    std::fs::write(
        dir.join("b.md"),
        "---\nid: b\ntitle: B\n---\nSee [a](a.md).\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["check", "--watch", "--json"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let next = || -> Value {
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("a line from --watch");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    };
    let first = next();
    assert_eq!(
        (first["errors"].as_u64(), first["lessons"].as_u64()),
        (Some(0), Some(2))
    );

    std::fs::write(dir.join("a.md"), "---\nid: a\ntitle: [broken\n---\n").unwrap();
    let broken = next();
    assert_eq!(broken["diagnostics"][0]["code"], "front-matter-syntax");
    assert_eq!(broken["errors"], 1);
    assert_eq!(broken["changed"][0], "a", "kept, broken");
    assert!(broken["elapsed_ms"].as_f64().unwrap() >= 0.0);

    std::fs::write(dir.join("a.md"), "---\nid: a\ntitle: A again\n---\n# A\n").unwrap();
    let fixed = next();
    assert_eq!(fixed["changed"][0], "a");
    assert_eq!(fixed["errors"], 0);
    assert_eq!(fixed["diagnostics"].as_array().unwrap().len(), 0);

    std::fs::remove_file(dir.join("a.md")).unwrap();
    let removed = next();
    assert_eq!(removed["removed"][0], "a");
    // b.md links to a.md: its render check ran again and now reports the dead link.
    assert_eq!(removed["warnings"], 1, "{removed}");

    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn check_watch_of_a_book_at_its_src_reports_the_chapters_a_saved_listing_reaches() {
    let (_tmp, dir) = crate::support::fixture("formats/book");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["check", "--watch", "--json"])
        .arg(dir.join("src"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let next = || -> Value {
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("a line from --watch");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    };
    assert_eq!(next()["lessons"], 6);
    // Included by `listings.md` directly and through `part.md`.
    std::fs::write(dir.join("listings/greet/output.txt"), "$ cargo run\nHi!\n").unwrap();
    let saved = next();
    assert_eq!(saved["changed"], serde_json::json!(["listings"]), "{saved}");
    // A file no chapter includes prints nothing: the next line is the chapter's.
    std::fs::write(dir.join("theme/extra.css"), "body { color: red; }\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(dir.join("src/thanks.md"), "# Thanks\n\nAgain.\n").unwrap();
    let thanks = next();
    assert_eq!(thanks["changed"], serde_json::json!(["thanks"]), "{thanks}");
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
