//! `progress restore` as a transaction of files (issue "Store safety"): the backup is
//! checked first, the writer's lock is respected, nothing is followed or overwritten,
//! and the previous database is always somewhere the message names.

use std::path::Path;

use lectern::progress::{self, Store, StoreError};

use super::{lectern_within, names_in, small_database};

fn setting(db: &Path) -> Option<String> {
    Store::open_read_only(db).unwrap().setting("kept").unwrap()
}

/// A database `p.db` holding `kept = current` and a backup `b.db` holding `kept = yes`.
fn current_and_backup(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let backup = dir.join("b.db");
    small_database(&backup);
    let db = dir.join("p.db");
    small_database(&db);
    let mut store = Store::open(&db).unwrap().store;
    store.set_setting("kept", "current").unwrap();
    drop(store);
    (db, backup)
}

#[test]
fn restoring_the_database_onto_itself_is_refused_and_keeps_it() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("p.db");
    small_database(&db);
    let before = std::fs::read(&db).unwrap();
    let out = lectern_within(
        &["progress", "restore", "p.db", "--db", "p.db"],
        &[],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is the database itself"), "{err}");
    assert!(err.contains("was not touched"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(names_in(tmp.path()), ["p.db", "p.db.lock"]);
}

#[test]
fn restore_refuses_while_a_writer_holds_the_lock_and_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (db, backup) = current_and_backup(tmp.path());
    let app = Store::open(&db).unwrap().store;
    let err = progress::restore(&db, &backup, 7).unwrap_err();
    assert_eq!(err.code(), "progress-in-use");
    let words = err.to_string();
    assert!(
        words.contains(&format!(
            "(pid {}) has this database open: quit it first",
            std::process::id()
        )),
        "{words}"
    );
    assert!(words.ends_with("nothing was changed"), "{words}");
    drop(app);
    assert_eq!(setting(&db).as_deref(), Some("current"));
    let restored = progress::restore(&db, &backup, 7).unwrap();
    assert_eq!(setting(&db).as_deref(), Some("yes"));
    assert_eq!(
        setting(&restored.previous.unwrap()).as_deref(),
        Some("current")
    );
}

/// An export of `n` attempts of one question each, for an import that takes a while.
fn big_export(n: usize) -> String {
    let attempts: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({"id": format!("a{i}"), "course": "id:big", "lesson": "l",
                "started_at": 1000 + i, "questions": 1})
        })
        .collect();
    serde_json::json!({"format": 1, "courses": [], "lessons": [], "attempts": attempts,
        "answers": [], "settings": []})
    .to_string()
}

#[test]
fn a_restore_racing_an_import_is_refused_naming_it_and_the_import_keeps_its_data() {
    let tmp = tempfile::tempdir().unwrap();
    let (db, _) = current_and_backup(tmp.path());
    std::fs::write(tmp.path().join("big.json"), big_export(200_000)).unwrap();
    let mut import = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["progress", "import", "big.json", "--db", "p.db"])
        .current_dir(tmp.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the import holds the writer's lock (it records its pid in the file).
    let lock = tmp.path().join("p.db.lock");
    let pid = import.id().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.starts_with(&format!("{pid}\n"))) {
        assert!(
            std::time::Instant::now() < deadline,
            "the import never opened the database"
        );
        assert!(
            import.try_wait().unwrap().is_none(),
            "the import ended before it was seen"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let out = lectern_within(
        &["progress", "restore", "b.db", "--db", "p.db"],
        &[],
        tmp.path(),
    );
    assert!(import.wait().unwrap().success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "`lectern` (pid {pid}) has this database open: quit it first"
        )),
        "{err}"
    );
    let store = Store::open_read_only(&db).unwrap();
    assert_eq!(store.export().unwrap().attempts.len(), 200_000);
    assert_eq!(store.setting("kept").unwrap().as_deref(), Some("current"));
}

#[test]
fn restore_does_not_follow_a_link_planted_at_its_temporary_name() {
    let tmp = tempfile::tempdir().unwrap();
    let (db, _) = current_and_backup(tmp.path());
    let victim = tmp.path().join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    std::os::unix::fs::symlink(&victim, tmp.path().join("p.db.restoring")).unwrap();
    let out = lectern_within(
        &["progress", "restore", "b.db", "--db", "p.db"],
        &[],
        tmp.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    assert!(std::fs::symlink_metadata(&db)
        .unwrap()
        .file_type()
        .is_file());
    assert_eq!(setting(&db).as_deref(), Some("yes"));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("the previous database is kept as `"),
        "{said}"
    );
    assert!(!names_in(tmp.path())
        .iter()
        .any(|n| n.contains("restoring-")));
}

#[test]
fn restore_refuses_an_empty_a_foreign_and_a_newer_file_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (db, _) = current_and_backup(tmp.path());
    std::fs::write(tmp.path().join("empty.db"), b"").unwrap();
    rusqlite::Connection::open(tmp.path().join("blank.db"))
        .unwrap()
        .execute_batch("CREATE TABLE t (x); DROP TABLE t; VACUUM;")
        .unwrap();
    rusqlite::Connection::open(tmp.path().join("foreign.db"))
        .unwrap()
        .execute_batch("CREATE TABLE songs (title TEXT); PRAGMA user_version = 2;")
        .unwrap();
    small_database(&tmp.path().join("newer.db"));
    rusqlite::Connection::open(tmp.path().join("newer.db"))
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    let files = names_in(tmp.path());
    for (file, why) in [
        ("empty.db", "the file is empty"),
        ("blank.db", "not a Lectern progress database"),
        ("foreign.db", "no `meta` table"),
        ("newer.db", "written by a newer Lectern"),
        ("missing.db", "there is no such file"),
    ] {
        match progress::restore(&db, &tmp.path().join(file), 7) {
            Err(e @ StoreError::BadBackup { .. }) => {
                assert_eq!(e.code(), "progress-bad-backup");
                let words = e.to_string();
                assert!(words.contains(why), "{file}: {words}");
                assert!(words.ends_with("the current database was not touched"));
            }
            other => panic!("{file}: {other:?}"),
        }
        assert_eq!(std::fs::read(&db).unwrap(), before, "{file}");
        assert_eq!(names_in(tmp.path()), files, "{file}");
    }
    assert_eq!(setting(&db).as_deref(), Some("current"));
}

#[test]
fn restore_over_a_damaged_database_keeps_the_damaged_bytes_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let (db, _) = current_and_backup(tmp.path());
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let mut bytes = std::fs::read(&db).unwrap();
    for b in &mut bytes[4096..4096 + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let out = lectern_within(
        &["progress", "restore", "b.db", "--db", "p.db"],
        &[],
        tmp.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    let aside = said
        .split('`')
        .find(|p| p.contains(".before-restore-"))
        .unwrap_or_else(|| panic!("no aside named: {said}"));
    assert_eq!(std::fs::read(tmp.path().join(aside)).unwrap(), bytes);
    assert_eq!(setting(&db).as_deref(), Some("yes"));
}

#[test]
fn a_backup_with_its_wal_beside_it_is_restored_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let (db, _) = current_and_backup(tmp.path());
    // A database moved aside by an earlier restore keeps its -wal: restoring it back
    // must bring the WAL's rows too.
    let src = tmp.path().join("src.db");
    small_database(&src);
    let mut writer = Store::open(&src).unwrap().store;
    writer.set_setting("kept", "in the wal").unwrap();
    let held = tmp.path().join("held.db");
    std::fs::copy(&src, &held).unwrap();
    std::fs::copy(
        tmp.path().join("src.db-wal"),
        tmp.path().join("held.db-wal"),
    )
    .unwrap();
    drop(writer);
    assert!(
        std::fs::metadata(tmp.path().join("held.db-wal"))
            .unwrap()
            .len()
            > 0
    );
    progress::restore(&db, &held, 7).unwrap();
    assert_eq!(setting(&db).as_deref(), Some("in the wal"));
}
