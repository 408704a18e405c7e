//! The one opening path (`lectern::dbfile`) as every command meets it (issue "Store
//! safety"): FIFOs and folders refused without hanging, concurrent first opens, empty
//! and old databases read, damage reported with the original bytes kept.

use std::path::Path;

use lectern::progress::Store;

use super::{bench, lectern_within, small_database};

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
}

#[test]
fn a_fifo_or_a_folder_as_the_database_is_an_error_not_a_hang() {
    let b = bench();
    let cwd = b.dir.parent().unwrap();
    mkfifo(&cwd.join("fifo.db"));
    std::fs::create_dir(cwd.join("folder.db")).unwrap();
    small_database(&cwd.join("b.db"));
    std::fs::write(cwd.join("e.json"), r#"{"format": 1, "courses": [], "lessons": [], "attempts": [], "answers": [], "settings": []}"#).unwrap();
    let course = b.dir.to_string_lossy().into_owned();
    for (db, kind) in [
        ("fifo.db", "a named pipe (FIFO)"),
        ("folder.db", "a folder"),
    ] {
        for args in [
            &["progress", "show", &course, "--db", db][..],
            &["review", "due", &course, "--db", db],
            &["progress", "export", "--db", db],
            &["progress", "import", "e.json", "--db", db],
            &["progress", "restore", "b.db", "--db", db],
            &["progress", "restore", db, "--db", "p.db"],
        ] {
            let out = lectern_within(args, &[], cwd);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(
                err.contains(&format!("is {kind}, not a regular file")),
                "{args:?}: {err}"
            );
        }
    }
}

#[test]
fn a_fifo_where_the_search_cache_lives_is_not_a_hang() {
    let b = bench();
    let cwd = b.dir.parent().unwrap();
    let cache = cwd.join("cache");
    let env = [("XDG_CACHE_HOME", cache.to_str().unwrap())];
    let course = b.dir.to_string_lossy().into_owned();
    let first = lectern_within(&["search", "lesson", &course], &env, cwd);
    assert_eq!(first.status.code(), Some(0));
    let folder = cache.join("app.lectern.desktop").join("search");
    let index = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "sqlite"))
        .unwrap();
    for f in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{f}", index.display()));
    }
    mkfifo(&index);
    let again = lectern_within(&["search", "lesson", &course], &env, cwd);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(again.stdout, first.stdout);
    assert!(std::fs::symlink_metadata(&index)
        .unwrap()
        .file_type()
        .is_fifo_like());
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

impl FifoLike for std::fs::FileType {
    fn is_fifo_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_fifo(self)
    }
}

/// Runs `n` imports of the same export into `db` at once; all must succeed, none may
/// take the file another one is writing for a damaged one, and the settings they bring
/// are there after.
fn concurrent_imports(cwd: &Path, db: &str, n: usize) {
    std::fs::write(
        cwd.join("e.json"),
        r#"{"format": 1, "courses": [], "lessons": [], "attempts": [], "answers": [], "settings": [{"key": "k", "value": "v"}]}"#,
    )
    .unwrap();
    let children: Vec<_> = (0..n)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
                .args(["progress", "import", "e.json", "--db", db])
                .current_dir(cwd)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && stderr.is_empty(), "{stderr}");
    }
    let store = Store::open_read_only(&cwd.join(db)).unwrap();
    assert_eq!(store.setting("k").unwrap().as_deref(), Some("v"));
    let aside: Vec<_> = std::fs::read_dir(cwd)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("corrupt"))
        .collect();
    assert!(
        aside.is_empty(),
        "a healthy database was moved aside: {aside:?}"
    );
}

/// How many times each race is run: one round of eight first opens lost the race for
/// the WAL switch about once in sixty, so a single round proves little.
const ROUNDS: usize = 12;

#[test]
fn eight_concurrent_first_imports_into_a_new_database_all_succeed() {
    for _ in 0..ROUNDS {
        let tmp = tempfile::tempdir().unwrap();
        concurrent_imports(tmp.path(), "new.db", 8);
    }
}

#[test]
fn eight_concurrent_first_imports_into_a_schema_1_database_all_succeed_and_keep_its_answers() {
    for _ in 0..ROUNDS {
        let tmp = tempfile::tempdir().unwrap();
        v1_database(&tmp.path().join("old.db"));
        let before = Store::open_read_only(&tmp.path().join("old.db"))
            .unwrap()
            .export()
            .unwrap()
            .answers;
        assert!(!before.is_empty());
        concurrent_imports(tmp.path(), "old.db", 8);
        let store = Store::open_read_only(&tmp.path().join("old.db")).unwrap();
        assert_eq!(store.export().unwrap().answers.len(), before.len());
    }
}

fn v1_database(db: &Path) {
    let sql = std::fs::read_to_string(crate::support::fixtures_root().join("review/v1-schema.sql"))
        .unwrap();
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(&sql)
        .unwrap();
}

#[test]
fn a_zero_byte_database_is_a_new_one_for_readers_and_writers() {
    let b = bench();
    let cwd = b.dir.parent().unwrap();
    std::fs::write(cwd.join("zero.db"), b"").unwrap();
    let course = b.dir.to_string_lossy().into_owned();
    let show = lectern_within(
        &["progress", "show", &course, "--db", "zero.db", "--json"],
        &[],
        cwd,
    );
    assert_eq!(
        show.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(v["completed"], 0);
    let due = lectern_within(&["review", "due", &course, "--db", "zero.db"], &[], cwd);
    assert_eq!(
        due.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&due.stderr)
    );
    assert_eq!(std::fs::read(cwd.join("zero.db")).unwrap(), b"");
    let opened = Store::open(&cwd.join("zero.db")).unwrap();
    assert!(opened.recovered.is_none());
    assert!(!opened.store.is_read_only());
}

#[test]
fn show_and_due_read_a_schema_1_database_without_changing_it() {
    let b = bench();
    let cwd = b.dir.parent().unwrap();
    v1_database(&cwd.join("old.db"));
    let before = std::fs::read(cwd.join("old.db")).unwrap();
    let course = b.dir.to_string_lossy().into_owned();
    for args in [
        &["progress", "show", &course, "--db", "old.db", "--json"][..],
        &["review", "due", &course, "--db", "old.db", "--json"],
        &["progress", "export", "--db", "old.db"],
    ] {
        let out = lectern_within(args, &[], cwd);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("no such table"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(cwd.join("old.db")).unwrap(), before);
}

/// `db` with data in its WAL and damage in its main file: the WAL is held open by a
/// second copy's writer, so it is never folded in before the damage.
fn damaged_with_wal(dir: &Path) -> (std::path::PathBuf, Vec<u8>, Vec<u8>) {
    let src = dir.join("src.db");
    small_database(&src);
    let mut writer = Store::open(&src).unwrap().store;
    writer.set_setting("late", "in the wal").unwrap();
    let db = dir.join("p.db");
    let mut main = std::fs::read(&src).unwrap();
    let wal = std::fs::read(dir.join("src.db-wal")).unwrap();
    drop(writer);
    assert!(!wal.is_empty());
    for b in &mut main[4096..4096 + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(&db, &main).unwrap();
    std::fs::write(dir.join("p.db-wal"), &wal).unwrap();
    (db, main, wal)
}

#[test]
fn a_corrupt_database_found_by_import_is_reported_and_kept_byte_for_byte_with_its_wal() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, main, wal) = damaged_with_wal(tmp.path());
    std::fs::write(
        tmp.path().join("e.json"),
        r#"{"format": 1, "courses": [], "lessons": [], "attempts": [], "answers": [], "settings": []}"#,
    )
    .unwrap();
    let out = lectern_within(
        &["progress", "import", "e.json", "--db", "p.db"],
        &[],
        tmp.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("`p.db` was damaged"), "{err}");
    let aside = err
        .split('`')
        .find(|p| p.contains(".corrupt-"))
        .unwrap_or_else(|| panic!("where it went is not said: {err}"));
    assert_eq!(std::fs::read(tmp.path().join(aside)).unwrap(), main);
    assert_eq!(
        std::fs::read(tmp.path().join(format!("{aside}-wal"))).unwrap(),
        wal
    );
}

#[test]
fn readers_report_a_damaged_database_in_words_and_leave_it_as_it_is() {
    let b = bench();
    let cwd = b.dir.parent().unwrap();
    let (db, main, wal) = damaged_with_wal(cwd);
    let course = b.dir.to_string_lossy().into_owned();
    for args in [
        &["progress", "show", &course, "--db", "p.db", "--json"][..],
        &["review", "due", &course, "--db", "p.db"],
    ] {
        let out = lectern_within(args, &[], cwd);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("`p.db` is damaged"), "{args:?}: {err}");
        assert!(err.contains("lectern progress restore"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), main);
    assert_eq!(std::fs::read(cwd.join("p.db-wal")).unwrap(), wal);
}
