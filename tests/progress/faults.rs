//! Faults the store must survive: kill -9 at random moments, corrupt files, a newer
//! schema, a read-only file, a second writer.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use lectern::progress::{CourseKey, NewAnswer, Store, StoreError};

/// Child mode of `kill_nine_loses_at_most_the_answer_in_flight`: records answers in a
/// loop and prints `ack N` after each commit. Does nothing in a normal run.
#[test]
fn child_writer() {
    let Some(db) = std::env::var_os("LECTERN_TEST_WRITER_DB") else {
        return;
    };
    let mut store = Store::open(Path::new(&db)).unwrap().store;
    let key = CourseKey::from_stored("id:kill");
    let start: u64 = std::env::var("LECTERN_TEST_WRITER_FROM")
        .unwrap()
        .parse()
        .unwrap();
    for n in start.. {
        let question = format!("q{n}");
        let chosen = vec!["o".to_owned()];
        store
            .record_answer(
                &NewAnswer {
                    note: None,
                    course: &key,
                    lesson: "l",
                    attempt: n,
                    questions: 1,
                    question: &question,
                    position: 0,
                    chosen: &chosen,
                    correct: n % 3 == 0,
                    time_ms: 10,
                    at: n as i64,
                },
                &[],
            )
            .unwrap();
        println!("ack {n}");
    }
}

fn answered(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let mut stmt = conn.prepare("SELECT question FROM answers").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn kill_nine_loses_at_most_the_answer_in_flight() {
    let runs: u64 = std::env::var("LECTERN_KILL_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("progress.sqlite");
    Store::open(&db).unwrap();
    let mut next = 0u64;
    let mut total_acked = 0usize;
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    for run in 0..runs {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "progress::faults::child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("LECTERN_TEST_WRITER_DB", &db)
            .env("LECTERN_TEST_WRITER_FROM", next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // Wait for a random number of acknowledged answers (0 to 7), then a random
        // sub-millisecond pause, then SIGKILL: mid-transaction as often as not.
        let wanted = rng % 8;
        let mut acked = Vec::new();
        let mut lines = BufReader::new(stdout).lines();
        while (acked.len() as u64) < wanted {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(n) = line.strip_prefix("ack ") {
                        acked.push(n.parse::<u64>().unwrap());
                    }
                }
                _ => break,
            }
        }
        std::thread::sleep(Duration::from_micros(rng % 900));
        child.kill().unwrap();
        // Acknowledgements already written to the pipe count too.
        for line in lines.map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("ack ") {
                acked.push(n.parse().unwrap());
            }
        }
        let _ = child.wait();
        total_acked += acked.len();
        let present = answered(&db);
        for n in &acked {
            assert!(
                present.contains(&format!("q{n}")),
                "run {run}: acknowledged answer q{n} lost"
            );
        }
        next = acked.iter().max().map_or(next, |m| m + 1).max(next) + 10;
    }
    // The children did write: on average 3.5 answers a run were waited for.
    assert!(
        total_acked as u64 >= runs * 2,
        "only {total_acked} answers acknowledged in {runs} runs"
    );
}

#[test]
fn corrupt_files_are_moved_aside_and_a_fresh_database_starts() {
    for (name, damage) in [
        (
            "not a database",
            &(|p: &Path| std::fs::write(p, b"this is a text file, not SQLite").unwrap())
                as &dyn Fn(&Path),
        ),
        ("flipped header", &|p: &Path| {
            let mut bytes = std::fs::read(p).unwrap();
            for b in &mut bytes[0..16] {
                *b ^= 0xff;
            }
            std::fs::write(p, bytes).unwrap();
        }),
        ("truncated", &|p: &Path| {
            let len = std::fs::metadata(p).unwrap().len();
            std::fs::OpenOptions::new()
                .write(true)
                .open(p)
                .unwrap()
                .set_len(len / 2 + 100)
                .unwrap();
        }),
        // Flipped bytes in a table page's header and cell pointers (page 2). Flips inside
        // a stored text value cannot be told from an edit without checksums; damage to
        // the file's structure can, and is.
        ("flipped page", &|p: &Path| {
            let mut bytes = std::fs::read(p).unwrap();
            for b in &mut bytes[4096..4096 + 64] {
                *b ^= 0x5a;
            }
            std::fs::write(p, bytes).unwrap();
        }),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("progress.sqlite");
        {
            let mut store = Store::open(&db).unwrap().store;
            let key = CourseKey::from_stored("id:x");
            for n in 0..200 {
                store
                    .record_course_opened(
                        &key,
                        &format!("title {n} {}", "x".repeat(200)),
                        "/x".as_ref(),
                        n,
                    )
                    .unwrap();
                store
                    .set_setting(&format!("k{n}"), &"v".repeat(100))
                    .unwrap();
            }
            // Fold the WAL into the main file so the damage hits real pages.
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
                .unwrap();
        }
        let original = std::fs::read(&db).unwrap();
        damage(&db);
        let damaged = std::fs::read(&db).unwrap();
        assert_ne!(original, damaged, "{name}");
        let opened = Store::open(&db).unwrap_or_else(|e| panic!("{name}: {e}"));
        let recovery = opened
            .recovered
            .unwrap_or_else(|| panic!("{name}: not detected"));
        assert_eq!(
            std::fs::read(&recovery.moved_to).unwrap(),
            damaged,
            "{name}: kept as it was"
        );
        assert!(
            opened.store.recent_courses(10).unwrap().is_empty(),
            "{name}"
        );
    }
}

#[test]
fn a_database_from_a_newer_lectern_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("progress.sqlite");
    Store::open(&db).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99; PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    match Store::open(&db) {
        Err(StoreError::Newer {
            found, supported, ..
        }) => assert_eq!((found, supported), (99, 7)),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a newer database was opened"),
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_read_only_file_opens_read_only_and_writes_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("progress.sqlite");
    {
        let mut store = Store::open(&db).unwrap().store;
        store.set_setting("kept", "yes").unwrap();
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let mut perms = std::fs::metadata(&db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&db, perms).unwrap();
    let before = std::fs::read(&db).unwrap();
    let mut store = Store::open(&db).unwrap().store;
    assert!(store.is_read_only());
    assert_eq!(store.setting("kept").unwrap().as_deref(), Some("yes"));
    match store.set_setting("new", "no") {
        Err(e @ StoreError::ReadOnly(_)) => assert_eq!(e.code(), "progress-read-only"),
        other => panic!("expected ReadOnly, got {other:?}"),
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_second_writer_waits_then_reports_busy_and_readers_always_read() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("progress.sqlite");
    let mut first = Store::open(&db).unwrap().store;
    first.set_setting("a", "1").unwrap();
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO settings VALUES ('held', 'x');")
        .unwrap();
    let reader = Store::open_read_only(&db).unwrap();
    assert_eq!(reader.setting("a").unwrap().as_deref(), Some("1"));
    first.set_busy_timeout(Duration::from_millis(200)).unwrap();
    let err = first.set_setting("b", "2").unwrap_err();
    assert_eq!(err.code(), "progress-busy");
    holder.execute_batch("ROLLBACK").unwrap();
    first.set_setting("b", "2").unwrap();
}
