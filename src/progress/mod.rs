//! Progress: what a learner has done, kept in one SQLite database that survives
//! anything — restarts, a kill at any moment, a corrupt or read-only file, a second
//! instance, a newer Lectern's file.
//!
//! Front door: [`Store::open`] (or [`Store::open_at_default`]) gives the one writer; its
//! methods record what happened (`record_*`, `mark_complete`, `reset_*`) and answer what
//! the app shows (`course_progress`, `resume`, `recent_courses`). Every write is one
//! transaction. Time is always passed in (`now`, Unix milliseconds), never read here, so
//! tests and the review scheduler run on an injected clock.
//!
//! Durability: WAL with `synchronous = FULL`. A commit returns only once the WAL is on
//! disk, so an acknowledged answer survives a kill and a power cut; answers come at
//! human speed, so the fsync per answer is affordable (figures in BENCHMARKS.md).
//! Readers never block the writer (WAL); a second writer waits up to
//! [`BUSY_TIMEOUT`], then gets [`StoreError::Busy`].
//!
//! Identity: progress belongs to a course ([`CourseKey`]): `course.yaml`'s `id` when it
//! has one, else the folder's canonical path. Lessons and questions are keyed by their
//! ids (question ids are content hashes), so progress of a lesson that disappears is
//! kept and comes back with it.

mod annotations;
mod cards;
mod dashboard;
mod due;
mod fits;
mod leeches;
mod made_cards;
mod query;
mod record;
mod schema;
mod study;
mod transfer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::course::Course;
use crate::dbfile::{self, DbLock, Found};

pub use annotations::{
    AnnotationKind, AnnotationRow, NewAnnotation, HIGHLIGHT_COLORS, MAX_ANNOTATION_TEXT,
};
pub use cards::{
    ActivityDayRow, CardState, DueRow, NewReview, Rating, ReviewCardRow, ReviewLogRow,
    ReviewTotals, Scheduled, Scheduler, Source,
};
pub use dashboard::{
    Dashboard, DueDay, Missed, SectionCompletion, Streak, StudyDay, FORECAST_DAYS, HISTORY_DAYS,
    MISSED_SHOWN, REVIEW_ANSWER_CAP_MS,
};
pub(crate) use due::{catalog, current_due};
pub use due::{due_count, forecast, forecast_empty, DayCount, ReviewDay};
pub use fits::{FitExportRow, FitFigures, FitKind, FitRow, HistoryRow};
pub use leeches::{CardAction, Leech, LEECH_LAPSES};
pub use made_cards::{MadeCardRow, NewMadeCard};
pub use query::{
    CourseProgress, LessonHistory, LessonProgress, LessonState, RecentCourse, Resume, ScoreFigure,
    SectionProgress,
};
pub use record::{CompletedBy, NewAnswer, Position};
pub use study::{record_reading, reset_course_after_backup};
pub use transfer::{
    list_backups, parse_export, restore, AnswerRow, AttemptRow, CourseRow, Export, ImportSummary,
    LessonRow, Restored, SettingRow, EXPORT_FORMAT, IMPORT_LIMIT,
};

pub use crate::day::Millis;

/// The progress database's schema version this build writes (`PRAGMA user_version`):
/// the number of migrations. A file with a larger one was written by a newer Lectern.
pub const SCHEMA_VERSION: i64 = schema::LATEST;

/// How long a writer waits for another one before [`StoreError::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The environment variable that overrides where the database lives (tests, portable
/// use); `--db PATH` overrides it in turn.
pub const DB_ENV: &str = "LECTERN_DB";

/// The app's folder under the per-user data directory (Tauri's `app_data_dir` for the
/// bundle identifier), shared by the app and the CLI.
pub const APP_DIR: &str = "app.lectern.desktop";

/// Which course progress belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CourseKey(String);

impl CourseKey {
    /// The key of a loaded course: `id:<id>` from `course.yaml`, else `path:<canonical
    /// folder>`. Fixed when the course is opened: the app keeps the key it got then.
    pub fn of(course: &Course) -> CourseKey {
        match course.id() {
            Some(id) => CourseKey(format!("id:{id}")),
            None => {
                let root = std::fs::canonicalize(course.root())
                    .unwrap_or_else(|_| course.root().to_path_buf());
                CourseKey(format!("path:{}", root.display()))
            }
        }
    }

    /// The key as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A key read back from the database or an export.
    pub fn from_stored(s: &str) -> CourseKey {
        CourseKey(s.to_owned())
    }
}

/// Why progress could not be read or saved. `code()` is stable for the UI.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file was written by a newer Lectern; it is left untouched.
    #[error("the progress database `{path}` was written by a newer Lectern (schema {found}; this one reads up to {supported}); it is left untouched: update Lectern to use it")]
    Newer {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build reads.
        supported: i64,
    },
    /// Another writer held the database longer than [`BUSY_TIMEOUT`].
    #[error("another Lectern is saving progress right now; try again in a moment")]
    Busy,
    /// The database cannot be written (read-only file, folder or disk).
    #[error("progress cannot be saved: `{0}` is read-only; what you do now is not kept")]
    ReadOnly(PathBuf),
    /// The disk is full: nothing was half-written (the transaction rolled back).
    #[error("progress cannot be saved: the disk is full; free some space (nothing was lost)")]
    DiskFull,
    /// A file operation around the database failed.
    #[error("progress database: {0}")]
    Io(#[from] std::io::Error),
    /// Anything else SQLite reported.
    #[error("progress database: {0}")]
    Sqlite(rusqlite::Error),
    /// The path is a FIFO, a device or a folder (found without opening it).
    #[error("progress database: {0}")]
    NotAFile(#[from] crate::dbfile::FileError),
    /// A restore was asked while another process has the database open for writing
    /// (or a writer waited for a restore longer than [`BUSY_TIMEOUT`]).
    #[error("`{path}`: {source}; nothing was changed")]
    InUse {
        /// The database file.
        path: PathBuf,
        /// Who holds it.
        source: crate::dbfile::LockError,
    },
    /// A reader found the file damaged (a writer would have moved it aside).
    #[error("the progress database `{path}` is damaged ({reason}); open Lectern to set it aside and start afresh, or bring a backup back with `lectern progress restore`")]
    Damaged {
        /// The database file.
        path: PathBuf,
        /// What SQLite's check said.
        reason: String,
    },
    /// A restore refused its backup before touching anything.
    #[error("`{path}` cannot be restored: {reason}; the current database was not touched")]
    BadBackup {
        /// The backup given.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
    /// A restore failed part-way; `message` says where every byte of the previous
    /// database is.
    #[error("restore failed: {message}")]
    Restore {
        /// What failed and where the previous data is.
        message: String,
    },
    /// An import carried a value no Lectern writes (a negative time, a date out of
    /// range, a huge text); nothing was imported.
    #[error("the export is not valid: {0}; nothing was imported")]
    InvalidImport(String),
    /// A highlight, note or bookmark the store does not keep (an unknown colour, a
    /// text over its limit); nothing was stored.
    #[error("the annotation was not saved: {0}")]
    InvalidAnnotation(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(PathBuf::new()),
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// Stable kebab-case code for the UI and the CLI.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Newer { .. } => "progress-newer",
            StoreError::Busy => "progress-busy",
            StoreError::ReadOnly(_) => "progress-read-only",
            StoreError::DiskFull => "progress-disk-full",
            StoreError::Io(_) => "progress-io",
            StoreError::Sqlite(_) => "progress-db",
            StoreError::NotAFile(_) => "progress-not-a-file",
            StoreError::InUse { .. } => "progress-in-use",
            StoreError::Damaged { .. } => "progress-damaged",
            StoreError::BadBackup { .. } => "progress-bad-backup",
            StoreError::Restore { .. } => "progress-restore-failed",
            StoreError::InvalidImport(_) => "export-invalid",
            StoreError::InvalidAnnotation(_) => "annotation-invalid",
        }
    }
}

/// A corrupt database found when opening: moved aside, never wiped.
#[derive(Clone, Debug, Serialize)]
pub struct Recovery {
    /// Where the damaged file now is (the learner can send it in, or restore a backup).
    pub moved_to: PathBuf,
    /// What was wrong with it.
    pub reason: String,
}

/// The result of opening the store: the store, and a corrupt file moved aside if any.
pub struct Opened {
    /// The store, ready (read-only when the file cannot be written).
    pub store: Store,
    /// Set when the file was corrupt and a fresh database was started.
    pub recovered: Option<Recovery>,
}

/// The progress database: one connection, the one writer of this process.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    /// The shared lock beside the file, held by every writable store for as long as it
    /// is open (see `dbfile`): a restore is refused meanwhile.
    _lock: Option<DbLock>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

/// Where progress lives by default: `$LECTERN_DB`, else `<data dir>/app.lectern.desktop/
/// progress.sqlite` (`$XDG_DATA_HOME`, else `~/.local/share`).
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    data_dir().join(APP_DIR).join("progress.sqlite")
}

/// Where backups of the database at `db` go: a `backups` folder beside it.
pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

/// The per-user data directory (XDG on Linux).
pub fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".local").join("share")
}

impl Store {
    /// Opens (creating if needed) the database at `path` for writing, migrating it to
    /// the current schema. The path is checked first without opening it (a FIFO, a
    /// device or a folder is [`StoreError::NotAFile`]; an empty file is a new
    /// database), then the writer's lock beside it is taken (shared: a restore is
    /// refused while it is held). A corrupt file is moved aside with its WAL, bytes
    /// unchanged (see [`Recovery`]) and a fresh one started; a newer Lectern's file is
    /// refused untouched; a file that cannot be written is opened read-only (check
    /// [`Store::is_read_only`]).
    pub fn open(path: &Path) -> Result<Opened, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let found = dbfile::inspect(path)?;
        let lock = match DbLock::for_writing(path, BUSY_TIMEOUT) {
            Ok(lock) => lock,
            // A read-only folder: nobody can replace the file there either.
            Err(e) if e.is_read_only() && found != Found::Nothing => {
                return Ok(Opened {
                    store: Self::open_read_only(path)?,
                    recovered: None,
                })
            }
            Err(e) if e.is_read_only() => return Err(StoreError::ReadOnly(path.to_path_buf())),
            Err(e @ dbfile::LockError::Io { .. }) => {
                return Err(StoreError::Io(std::io::Error::other(e.to_string())))
            }
            Err(source) => {
                return Err(StoreError::InUse {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let recovered = if found == Found::File {
            dbfile::damage(path, dbfile::Check::Quick)?
                .map(|reason| move_aside(path, &reason))
                .transpose()?
        } else {
            None
        };
        let store = match Self::open_writable(path, lock) {
            Ok(store) => store,
            Err(StoreError::ReadOnly(_)) => Self::open_read_only(path)?,
            Err(e) => return Err(e),
        };
        Ok(Opened { store, recovered })
    }

    /// [`Store::open`] at [`default_path`].
    pub fn open_at_default() -> Result<Opened, StoreError> {
        Self::open(&default_path())
    }

    fn open_writable(path: &Path, lock: DbLock) -> Result<Store, StoreError> {
        if path.exists() && std::fs::metadata(path)?.permissions().readonly() {
            return Err(StoreError::ReadOnly(path.to_path_buf()));
        }
        let conn = Connection::open(path).map_err(|e| read_only_at(e, path))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        schema::check_version(&conn, path)?;
        dbfile::use_wal(&conn).map_err(|e| read_only_at(e, path))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: false,
            _lock: Some(lock),
        };
        schema::migrate(&mut store.conn).map_err(|e| match e {
            StoreError::ReadOnly(_) => StoreError::ReadOnly(path.to_path_buf()),
            other => other,
        })?;
        Ok(store)
    }

    /// Opens an existing database for reading only (the CLI's readers; the app when the
    /// file cannot be written). Never blocks and never changes the file: no lock is
    /// taken (a restore may move the file aside meanwhile; this store keeps reading the
    /// file it opened), a damaged file is [`StoreError::Damaged`], and an empty file or
    /// one of an older schema is read from a copy in memory migrated there, so a reader
    /// sees what a writer would.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let found = dbfile::inspect(path)?;
        if found == Found::File {
            if let Some(reason) = dbfile::damage(path, dbfile::Check::Quick)? {
                return Err(StoreError::Damaged {
                    path: path.to_path_buf(),
                    reason,
                });
            }
        }
        let conn = match found {
            // A plain read-only open (not `immutable`): the app may write meanwhile, and
            // SQLite's locks keep what this reads consistent. It never checkpoints.
            Found::File => Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?,
            Found::Nothing | Found::Empty => Connection::open_in_memory()?,
        };
        conn.busy_timeout(BUSY_TIMEOUT)?;
        schema::check_version(&conn, path)?;
        let conn = if schema::is_current(&conn)? {
            conn
        } else {
            let mut copy = Connection::open_in_memory()?;
            rusqlite::backup::Backup::new(&conn, &mut copy)?.run_to_completion(
                1024,
                Duration::ZERO,
                None,
            )?;
            schema::migrate(&mut copy)?;
            copy
        };
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: true,
            _lock: None,
        })
    }

    /// How long a write waits for another writer before [`StoreError::Busy`]
    /// ([`BUSY_TIMEOUT`] unless changed).
    pub fn set_busy_timeout(&mut self, wait: Duration) -> Result<(), StoreError> {
        self.conn.busy_timeout(wait)?;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether writes are refused (the file, its folder or the disk is read-only).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// A write transaction, refused up front on a read-only store.
    fn write(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| read_only_at(e, &path))
    }
}

/// A read-only error names the file.
fn read_only_at(e: rusqlite::Error, path: &Path) -> StoreError {
    match StoreError::from(e) {
        StoreError::ReadOnly(_) => StoreError::ReadOnly(path.to_path_buf()),
        other => other,
    }
}

/// Moves a damaged database (and its WAL and shared-memory files) to
/// `<name>.corrupt-<millis>` beside it.
fn move_aside(path: &Path, reason: &str) -> Result<Recovery, StoreError> {
    let stamp = crate::clock::file_stamp();
    let name = path.file_name().map_or_else(
        || "progress.sqlite".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let moved_to = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    std::fs::rename(path, &moved_to)?;
    for suffix in ["-wal", "-shm"] {
        let side = path.with_file_name(format!("{name}{suffix}"));
        if side.exists() {
            std::fs::rename(
                &side,
                moved_to.with_file_name(format!("{name}.corrupt-{stamp}{suffix}")),
            )?;
        }
    }
    Ok(Recovery {
        moved_to,
        reason: reason.to_owned(),
    })
}
