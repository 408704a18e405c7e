//! The one opening path for every SQLite file Lectern touches: the progress database
//! (`progress::Store`, its restore) and the search cache (`search::SearchIndex`).
//!
//! SQLite opens whatever it is given with a blocking `open()`: a FIFO hangs it forever,
//! a folder gives "disk I/O error", and an ordinary read-write open of a damaged file
//! folds a leftover WAL into it on close. So before SQLite sees a path:
//!
//! - [`inspect`] looks at it without opening it (`stat` never blocks): nothing there,
//!   an empty file (treated as a new database), or a regular file; anything else is
//!   [`FileError::NotAFile`] with what it is in words;
//! - [`damage`] checks a file through a read-only URI open (`mode=ro`, under SQLite's
//!   locks, so a file another process is writing right now is never misread as
//!   damaged; `immutable=1` only when that cannot open it), which can neither
//!   checkpoint nor change the file, so what a caller then moves aside is the original
//!   bytes, WAL included;
//! - [`DbLock`] is the lock file beside a database (`<db>.lock`): every process that
//!   opens the database for writing holds a *shared* advisory lock on it for as long as
//!   it is open (writers coexist: SQLite serializes their transactions), and a restore,
//!   which replaces the file under everyone's feet, takes it *exclusively* without
//!   waiting, so it is refused while any writer has the database open and names the
//!   holder from the pid and program name each writer records in the file. Readers take
//!   no lock: they never block and never stop a restore (they keep reading the file they
//!   opened, which a restore moves aside intact). The locks are std's `File::lock_shared`
//!   / `try_lock` (flock(2) on Linux, stable since Rust 1.89, this crate's minimum):
//!   no crate needed, and released by the kernel when the process dies, so a crash never
//!   leaves a stale lock.

use std::fs::{File, OpenOptions};
use std::io::{self, Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

/// What is at a database path, found without opening it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// Nothing (SQLite will create the file).
    Nothing,
    /// A regular file of 0 bytes: a new database (SQLite treats it as one).
    Empty,
    /// A regular file with content.
    File,
}

/// Why a path cannot be used as a database.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// A FIFO, a device, a socket or a folder.
    #[error("`{path}` is {kind}, not a regular file; Lectern keeps its databases in regular files only: pass the path of a file")]
    NotAFile {
        /// The path given.
        path: PathBuf,
        /// What it is, in words ("a named pipe (FIFO)", "a folder"…).
        kind: &'static str,
    },
    /// The path could not be looked at (permissions, a broken folder).
    #[error("cannot look at `{path}`: {source}")]
    Unreadable {
        /// The path given.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// What is at `path`, found with `stat` (symbolic links followed: a database may be
/// a link to a file elsewhere), which never blocks, so nothing is opened yet.
pub fn inspect(path: &Path) -> Result<Found, FileError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(if meta.len() == 0 {
            Found::Empty
        } else {
            Found::File
        }),
        Ok(meta) => Err(FileError::NotAFile {
            path: path.to_path_buf(),
            kind: crate::folder::kind_of(&meta.file_type()),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Found::Nothing),
        Err(source) => Err(FileError::Unreadable {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Opens an existing database read-only through a URI that cannot change the file.
/// First `mode=ro`, which takes SQLite's shared locks like any reader: another process
/// may be writing the file right now (a first open switching it to WAL, a migration, a
/// rollback-journal writer spilling pages into the file before it commits), and only a
/// locked read sees a consistent file. It never rolls back a hot journal or folds a WAL
/// in (a read-only connection does neither; SQLite may add a `-shm` index, which holds
/// no data) and waits for a writer as a writer would ([`crate::progress::BUSY_TIMEOUT`],
/// then `SQLITE_BUSY`). Only when the file cannot be opened that way at all (a hot
/// journal it may not roll back, no access to create the `-shm`) is it read
/// `immutable=1`, without locks: the main file alone, nothing created beside it. A busy
/// file is never read without locks. Check [`inspect`] first.
pub fn open_untouched(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if !wal_beside(path) && in_wal_mode(path) {
        // No connection has it open (the first one creates the WAL), and `mode=ro`
        // would create an empty WAL and index beside it: nothing to lock against.
        return Connection::open_with_flags(uri(path, "mode=ro&immutable=1"), flags);
    }
    let ro = Connection::open_with_flags(uri(path, "mode=ro"), flags).and_then(|c| {
        c.busy_timeout(crate::progress::BUSY_TIMEOUT)?;
        // Opening is lazy: reading the schema takes the lock and tells whether the
        // file (and its WAL) can be read this way.
        c.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
        Ok(c)
    });
    match ro {
        Err(e) if !is_damage(&e) && !is_busy(&e) => {
            Connection::open_with_flags(uri(path, "mode=ro&immutable=1"), flags)
        }
        other => other,
    }
}

/// Puts the file in WAL mode (a no-op when it is already). Several processes opening
/// a new or an old-mode file at once race to switch it, and SQLite answers a loser
/// `SQLITE_BUSY` at once, without calling the busy handler (measured with eight
/// processes: about one round in sixty, ~1 ms into a 5 s timeout). So this retries as
/// SQLite's busy handler would, with pauses growing from 1 ms to 50 ms, for up to
/// [`crate::progress::BUSY_TIMEOUT`]; any other error, or a file still busy after
/// that, is returned.
pub fn use_wal(conn: &Connection) -> rusqlite::Result<()> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e) if is_busy(&e) && started.elapsed() < crate::progress::BUSY_TIMEOUT => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// Whether a `-wal` file is beside the database (of any size: a writer that has just
/// switched the file to WAL has an empty one).
fn wal_beside(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_os_string();
    wal.push("-wal");
    std::fs::symlink_metadata(wal).is_ok()
}

/// Whether the file's header says WAL mode (bytes 18 and 19, the read and write
/// versions, are 2); `false` when it cannot be read, so the caller locks as usual.
fn in_wal_mode(path: &Path) -> bool {
    let mut header = [0u8; 20];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| header[18] == 2 && header[19] == 2)
}

/// Whether SQLite's error means another connection holds the file.
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// How thoroughly [`damage`] checks a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// `PRAGMA quick_check`: every open (structure, not index contents).
    Quick,
    /// `PRAGMA integrity_check`: a backup about to replace the database.
    Full,
}

/// Whether the file at `path` is damaged: `Ok(None)` when SQLite's check passes,
/// `Ok(Some(reason))` when it is not a database, truncated or has broken pages. Reads
/// through [`open_untouched`], so the file and its WAL keep their bytes.
pub fn damage(path: &Path, check: Check) -> rusqlite::Result<Option<String>> {
    let conn = match open_untouched(path) {
        Ok(conn) => conn,
        Err(e) if is_damage(&e) => return Ok(Some(e.to_string())),
        Err(e) => return Err(e),
    };
    let pragma = match check {
        Check::Quick => "PRAGMA quick_check",
        Check::Full => "PRAGMA integrity_check",
    };
    let checked: rusqlite::Result<String> = conn.query_row(pragma, [], |r| r.get(0));
    match checked {
        Ok(ok) if ok == "ok" => Ok(None),
        Ok(problem) => Ok(Some(problem)),
        Err(e) if is_damage(&e) => Ok(Some(e.to_string())),
        Err(e) => Err(e),
    }
}

/// Whether SQLite's error means the file's content is damaged (as opposed to a busy
/// or unreadable file).
pub fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

/// A `file:` URI for `path` with `query` (`mode=ro`): the characters URIs give a
/// meaning to are percent-encoded, so any file name works.
fn uri(path: &Path, query: &str) -> String {
    let mut out = String::from("file:");
    for &b in path.as_os_str().as_encoded_bytes() {
        if matches!(b, b'%' | b'?' | b'#') || !b.is_ascii() {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    format!("{out}?{query}")
}

/// The lock file of the database at `db`: `<db>.lock` beside it.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    db.with_file_name(name)
}

/// Why the lock beside a database could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process has the database open (a restore asked).
    #[error("{holder} has this database open: quit it first")]
    Held {
        /// Who, in words: "Lectern (pid 1234)", "`lectern` (pid 99)", or "another program".
        holder: String,
    },
    /// A writer waited its time while a restore replaced the database.
    #[error("a restore is replacing this database; try again in a moment")]
    Restoring,
    /// The lock file cannot be created or locked (a read-only folder, …).
    #[error("cannot lock `{path}`: {source}")]
    Io {
        /// The lock file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

impl LockError {
    /// Whether the lock failed only because the folder cannot be written: the
    /// database can still be opened read-only.
    pub fn is_read_only(&self) -> bool {
        matches!(self, LockError::Io { source, .. }
            if source.kind() == io::ErrorKind::PermissionDenied
                || source.raw_os_error() == Some(libc::EROFS))
    }
}

/// A lock on the file beside a database, held until dropped (or the process ends).
#[derive(Debug)]
pub struct DbLock {
    _file: File,
}

impl DbLock {
    /// The shared lock every writer holds while the database is open. Waits up to
    /// `wait` while a restore holds it exclusively (a restore takes well under a
    /// second), then fails with [`LockError::Restoring`]. Records this process's pid and
    /// program name in the file, so a restore can say who has the database open.
    pub fn for_writing(db: &Path, wait: Duration) -> Result<DbLock, LockError> {
        let path = lock_path(db);
        let io_error = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        let mut file = open_lock_file(&path).map_err(io_error)?;
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock_shared() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Err(LockError::Restoring),
                Err(std::fs::TryLockError::Error(e)) => return Err(io_error(e)),
            }
        }
        // Who holds it, for a restore's message; several writers overwrite each other's
        // record, and any one of them is a right answer to "who has it open".
        let record = format!("{}\n{}\n", std::process::id(), program_name());
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(record.as_bytes()))
            .map_err(io_error)?;
        Ok(DbLock { _file: file })
    }

    /// The exclusive lock a restore holds while it replaces the database: taken without
    /// waiting; [`LockError::Held`] names the holder when a writer has it open.
    pub fn for_replacing(db: &Path) -> Result<DbLock, LockError> {
        let path = lock_path(db);
        let mut file = open_lock_file(&path).map_err(|source| LockError::Io {
            path: path.clone(),
            source,
        })?;
        match file.try_lock() {
            Ok(()) => Ok(DbLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Held {
                holder: holder_words(&mut file),
            }),
            Err(std::fs::TryLockError::Error(source)) => Err(LockError::Io { path, source }),
        }
    }
}

/// Opens (creating) the lock file without following a planted symbolic link and
/// without blocking on anything that is not a regular file.
fn open_lock_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other(format!(
            "`{}` is not a regular file",
            path.display()
        )));
    }
    Ok(file)
}

/// This program's name as the lock file records it (`lectern-app`, `lectern`).
fn program_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "lectern".to_owned())
}

/// "Lectern (pid 1234)" from the record in the lock file, else "another program".
fn holder_words(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file
        .rewind()
        .and_then(|()| file.take(512).read_to_string(&mut text));
    let mut lines = text.lines();
    let pid = lines.next().and_then(|l| l.trim().parse::<u32>().ok());
    let program = lines.next().map(str::trim).filter(|p| !p.is_empty());
    match (pid, program) {
        (Some(pid), Some("lectern-app")) => format!("Lectern (pid {pid})"),
        (Some(pid), Some(program)) => {
            format!("`{}` (pid {pid})", crate::text::truncate(program, 40))
        }
        (Some(pid), None) => format!("another program (pid {pid})"),
        _ => "another program".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_keep_any_file_name() {
        assert_eq!(
            uri(Path::new("/a b/p.db"), "mode=ro"),
            "file:/a b/p.db?mode=ro"
        );
        assert_eq!(
            uri(Path::new("/x/50%?#é.db"), "mode=ro"),
            "file:/x/50%25%3F%23%C3%A9.db?mode=ro"
        );
    }

    #[test]
    fn a_uri_with_odd_characters_opens_the_right_file() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("50%?#é.db");
        Connection::open(&db)
            .unwrap()
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (7);")
            .unwrap();
        let conn = open_untouched(&db).unwrap();
        let x: i64 = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, 7);
    }

    /// A writer of a rollback-journal file writes pages into the file itself before it
    /// commits (a cache spill): read without SQLite's locks, the file looks damaged.
    #[test]
    fn a_file_another_connection_is_rewriting_is_never_judged_damaged() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("p.db");
        let writer = Connection::open(&db).unwrap();
        writer
            .execute_batch(
                "CREATE TABLE t (x);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                 INSERT INTO t SELECT randomblob(600) FROM n;",
            )
            .unwrap();
        writer
            .execute_batch(
                "PRAGMA cache_size = 2;
                 BEGIN;
                 DELETE FROM t;
                 CREATE TABLE u (y);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                 INSERT INTO u SELECT randomblob(700) FROM n;
                 CREATE INDEX ui ON u (y);",
            )
            .unwrap();
        match damage(&db, Check::Quick) {
            Ok(None) => {}
            Ok(Some(reason)) => panic!("a healthy file judged damaged: {reason}"),
            Err(e) => assert_eq!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy),
                "{e}"
            ),
        }
        writer.execute_batch("COMMIT").unwrap();
        assert_eq!(damage(&db, Check::Full).unwrap(), None);
    }

    #[test]
    fn a_restore_is_refused_while_a_writer_holds_the_lock_and_named() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("p.db");
        let writer = DbLock::for_writing(&db, Duration::ZERO).unwrap();
        let second = DbLock::for_writing(&db, Duration::ZERO).unwrap();
        let err = DbLock::for_replacing(&db).unwrap_err();
        let words = err.to_string();
        assert!(
            words.contains(&format!("(pid {})", std::process::id())),
            "{words}"
        );
        assert!(words.ends_with("has this database open: quit it first"));
        drop((writer, second));
        let restore = DbLock::for_replacing(&db).unwrap();
        let waited = DbLock::for_writing(&db, Duration::from_millis(50)).unwrap_err();
        assert!(matches!(waited, LockError::Restoring));
        drop(restore);
        DbLock::for_writing(&db, Duration::ZERO).unwrap();
    }

    #[test]
    fn the_app_holding_the_lock_is_named_lectern_with_its_pid() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("p.db");
        let app = DbLock::for_writing(&db, Duration::ZERO).unwrap();
        // What `lectern-app` records (this test runs in another program).
        std::fs::write(lock_path(&db), "1234\nlectern-app\n").unwrap();
        let err = DbLock::for_replacing(&db).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Lectern (pid 1234) has this database open: quit it first"
        );
        std::fs::write(lock_path(&db), "").unwrap();
        let err = DbLock::for_replacing(&db).unwrap_err();
        assert_eq!(
            err.to_string(),
            "another program has this database open: quit it first"
        );
        drop(app);
    }

    #[test]
    fn fifos_and_folders_are_named_without_being_opened() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("p.db");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = inspect(&fifo).unwrap_err();
        assert!(err.to_string().contains("a named pipe (FIFO)"), "{err}");
        let err = inspect(tmp.path()).unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
        assert_eq!(inspect(&tmp.path().join("none")).unwrap(), Found::Nothing);
        std::fs::write(tmp.path().join("empty"), b"").unwrap();
        assert_eq!(inspect(&tmp.path().join("empty")).unwrap(), Found::Empty);
    }
}
