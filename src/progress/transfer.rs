//! Moving progress in and out: JSON export and idempotent import (a documented
//! contract, like the CLI's other JSON), rotating backups and restore.
//!
//! The export holds no time of its own and lists every row sorted by its key, so the
//! same data always exports to the same bytes; attempts and answers carry stable ids,
//! so importing the same export twice adds nothing the second time.

use std::path::{Path, PathBuf};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::annotations::{
    export_annotations, import_annotations, validate_annotations, AnnotationRow,
};
use super::cards::{export_review, import_review, ActivityDayRow, ReviewCardRow, ReviewLogRow};
use super::{Millis, Store, StoreError};
use crate::dbfile::{self, DbLock, Found};

/// The export format's version; bumped only if a field changes meaning.
pub const EXPORT_FORMAT: u32 = 1;

/// Everything in the progress database, as `lectern progress export` prints it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// [`EXPORT_FORMAT`].
    pub format: u32,
    /// Courses opened.
    pub courses: Vec<CourseRow>,
    /// Per-lesson progress.
    pub lessons: Vec<LessonRow>,
    /// Quiz attempts.
    pub attempts: Vec<AttemptRow>,
    /// Every answer.
    pub answers: Vec<AnswerRow>,
    /// Preferences.
    pub settings: Vec<SettingRow>,
    /// Review cards (absent from exports made before spaced review: empty).
    #[serde(default)]
    pub review_cards: Vec<ReviewCardRow>,
    /// The review log.
    #[serde(default)]
    pub review_log: Vec<ReviewLogRow>,
    /// Active time per local day.
    #[serde(default)]
    pub activity_days: Vec<ActivityDayRow>,
    /// The learner's highlights, notes and bookmarks; absent when there are none, so an
    /// export without them is byte for byte what it was before they existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<AnnotationRow>,
    /// The history of FSRS parameter fits (absent when there is none, so exports
    /// without fits are byte-identical to those made before fitting existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review_fits: Vec<super::fits::FitExportRow>,
    /// The learner's own review cards ("Make a card"; their schedules are in
    /// `review_cards`); absent when there are none, as `annotations`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub made_cards: Vec<super::made_cards::MadeCardRow>,
}

/// A course row of the export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct CourseRow {
    pub key: String,
    pub title: String,
    pub root: String,
    pub first_opened: Millis,
    pub last_opened: Millis,
    pub last_lesson: Option<String>,
}

/// A lesson row of the export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct LessonRow {
    pub course: String,
    pub lesson: String,
    pub first_opened: Option<Millis>,
    pub last_opened: Option<Millis>,
    pub active_ms: i64,
    pub position_anchor: Option<String>,
    pub position_offset: Option<f64>,
    pub read_to_end: bool,
    pub marked_complete: bool,
    pub completed_at: Option<Millis>,
}

/// An attempt row of the export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct AttemptRow {
    pub id: String,
    pub course: String,
    pub lesson: String,
    pub started_at: Millis,
    pub questions: i64,
}

/// An answer row of the export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct AnswerRow {
    pub id: String,
    pub attempt: String,
    pub course: String,
    pub lesson: String,
    pub question: String,
    pub position: i64,
    pub chosen: Vec<String>,
    pub correct: bool,
    pub first_try: bool,
    pub time_ms: i64,
    pub answered_at: Millis,
    /// The learner's note on the answer (mdbook-quiz's `promptExplanation`); absent
    /// when none, so exports of answers without one are as they always were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A setting row of the export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct SettingRow {
    pub key: String,
    pub value: String,
}

/// The largest export `lectern progress import` reads (256 MiB, about a million
/// answers): a file or standard input is read through a bounded reader, so `/dev/zero`
/// or a runaway pipe ends in a clear error instead of filling memory.
pub const IMPORT_LIMIT: u64 = 256 * 1024 * 1024;

/// The latest moment an import accepts (9999-12-31T23:59:59.999Z): times are Unix ms
/// from 1970 to then.
pub(super) const MAX_TIME: Millis = 253_402_300_799_999;
/// The local day number of [`MAX_TIME`].
pub(super) const MAX_DAY: i64 = MAX_TIME / 86_400_000;
/// The most a count (questions, repetitions, lapses, a position) may be.
const MAX_COUNT: i64 = 1_000_000_000;
/// The longest id, key, title or path an import accepts, in bytes (a course key holds
/// a folder's path, at most 4 KiB on Linux).
const MAX_NAME: usize = 8 * 1024;
/// The longest setting value an import accepts, in bytes.
const MAX_VALUE: usize = 64 * 1024;

/// An export read from bytes: UTF-8 JSON, a leading byte order mark allowed (editors
/// on Windows add one). Values are checked by [`Store::import`].
pub fn parse_export(bytes: &[u8]) -> Result<Export, serde_json::Error> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    serde_json::from_slice(bytes)
}

/// The rules one row of an import must follow; each says which row and field broke it.
pub(super) struct Rules<'a> {
    /// The table (`answers`).
    pub(super) table: &'a str,
    /// The row's index in it.
    pub(super) row: usize,
}

impl Rules<'_> {
    fn fail(&self, field: &str, what: String) -> Result<(), String> {
        Err(format!("{}[{}].{field} {what}", self.table, self.row))
    }

    /// A moment: Unix ms from 1970 to the year 9999.
    pub(super) fn time(&self, field: &str, v: Millis) -> Result<(), String> {
        if (0..=MAX_TIME).contains(&v) {
            return Ok(());
        }
        self.fail(
            field,
            format!("is {v}, not a time between 1970 and the year 9999"),
        )
    }

    /// A moment that may be absent.
    pub(super) fn time_opt(&self, field: &str, v: Option<Millis>) -> Result<(), String> {
        v.map_or(Ok(()), |v| self.time(field, v))
    }

    /// A duration in ms (never negative, at most [`MAX_TIME`]).
    pub(super) fn duration(&self, field: &str, v: i64) -> Result<(), String> {
        if (0..=MAX_TIME).contains(&v) {
            return Ok(());
        }
        self.fail(field, format!("is {v}, not a duration (0 ms or more)"))
    }

    /// A local day number from 1970 to the year 9999.
    pub(super) fn day(&self, field: &str, v: i64) -> Result<(), String> {
        if (0..=MAX_DAY).contains(&v) {
            return Ok(());
        }
        self.fail(
            field,
            format!("is {v}, not a day between 1970 and the year 9999"),
        )
    }

    /// A count: 0 or more.
    pub(super) fn count(&self, field: &str, v: i64) -> Result<(), String> {
        if (0..=MAX_COUNT).contains(&v) {
            return Ok(());
        }
        self.fail(field, format!("is {v}, not a count (0 to {MAX_COUNT})"))
    }

    /// A finite, non-negative number.
    pub(super) fn real(&self, field: &str, v: f64) -> Result<(), String> {
        if v.is_finite() && (0.0..=1e12).contains(&v) {
            return Ok(());
        }
        self.fail(field, format!("is {v}, not a number of 0 or more"))
    }

    /// An id, key, title or path: at most [`MAX_NAME`] bytes.
    pub(super) fn name(&self, field: &str, v: &str) -> Result<(), String> {
        self.text(field, v, MAX_NAME)
    }

    pub(super) fn text(&self, field: &str, v: &str, max: usize) -> Result<(), String> {
        if v.len() <= max {
            return Ok(());
        }
        self.fail(
            field,
            format!("is {} bytes long, over the {max} allowed", v.len()),
        )
    }
}

impl Export {
    /// The first value no Lectern writes (a negative time or count, a date outside
    /// 1970–9999, a text over its limit), named by table, row and field.
    pub fn validate(&self) -> Result<(), String> {
        let at = |table, row| Rules { table, row };
        for (i, c) in self.courses.iter().enumerate() {
            let r = at("courses", i);
            r.name("key", &c.key)?;
            r.name("title", &c.title)?;
            r.name("root", &c.root)?;
            r.time("first_opened", c.first_opened)?;
            r.time("last_opened", c.last_opened)?;
            r.name("last_lesson", c.last_lesson.as_deref().unwrap_or_default())?;
        }
        for (i, l) in self.lessons.iter().enumerate() {
            let r = at("lessons", i);
            r.name("course", &l.course)?;
            r.name("lesson", &l.lesson)?;
            r.time_opt("first_opened", l.first_opened)?;
            r.time_opt("last_opened", l.last_opened)?;
            r.duration("active_ms", l.active_ms)?;
            r.name(
                "position_anchor",
                l.position_anchor.as_deref().unwrap_or_default(),
            )?;
            r.real("position_offset", l.position_offset.unwrap_or_default())?;
            r.time_opt("completed_at", l.completed_at)?;
        }
        for (i, a) in self.attempts.iter().enumerate() {
            let r = at("attempts", i);
            for (field, v) in [("id", &a.id), ("course", &a.course), ("lesson", &a.lesson)] {
                r.name(field, v)?;
            }
            r.time("started_at", a.started_at)?;
            r.count("questions", a.questions)?;
        }
        self.validate_answers()?;
        for (i, s) in self.settings.iter().enumerate() {
            let r = at("settings", i);
            r.name("key", &s.key)?;
            r.text("value", &s.value, MAX_VALUE)?;
        }
        super::cards::validate_review(&self.review_cards, &self.review_log, &self.activity_days)?;
        validate_annotations(&self.annotations)?;
        super::made_cards::validate_made_cards(&self.made_cards)?;
        super::fits::validate_fits(&self.review_fits)
    }

    fn validate_answers(&self) -> Result<(), String> {
        for (i, a) in self.answers.iter().enumerate() {
            let r = Rules {
                table: "answers",
                row: i,
            };
            for (field, v) in [
                ("id", &a.id),
                ("attempt", &a.attempt),
                ("course", &a.course),
                ("lesson", &a.lesson),
                ("question", &a.question),
            ] {
                r.name(field, v)?;
            }
            r.count("position", a.position)?;
            r.name("chosen", &a.chosen.concat())?;
            r.duration("time_ms", a.time_ms)?;
            r.time("answered_at", a.answered_at)?;
            r.text("note", a.note.as_deref().unwrap_or(""), MAX_VALUE)?;
        }
        Ok(())
    }
}

/// What an import added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// New attempts.
    pub attempts: usize,
    /// New answers.
    pub answers: usize,
    /// New review log rows.
    pub reviews: usize,
    /// New highlights, notes and bookmarks.
    pub annotations: usize,
    /// New cards made by the learner.
    pub made_cards: usize,
}

impl Store {
    /// Everything, sorted by key (see the module docs).
    pub fn export(&self) -> Result<Export, StoreError> {
        let c = &self.conn;
        let courses = rows(c, "SELECT key, title, root, first_opened, last_opened, last_lesson FROM courses ORDER BY key", |r| {
            Ok(CourseRow { key: r.get(0)?, title: r.get(1)?, root: r.get(2)?, first_opened: r.get(3)?, last_opened: r.get(4)?, last_lesson: r.get(5)? })
        })?;
        let lessons = rows(c, "SELECT course, lesson, first_opened, last_opened, active_ms, position_anchor, position_offset, read_to_end, marked_complete, completed_at FROM lessons ORDER BY course, lesson", |r| {
            Ok(LessonRow { course: r.get(0)?, lesson: r.get(1)?, first_opened: r.get(2)?, last_opened: r.get(3)?, active_ms: r.get(4)?, position_anchor: r.get(5)?, position_offset: r.get(6)?, read_to_end: r.get(7)?, marked_complete: r.get(8)?, completed_at: r.get(9)? })
        })?;
        let attempts = rows(
            c,
            "SELECT id, course, lesson, started_at, questions FROM attempts ORDER BY id",
            |r| {
                Ok(AttemptRow {
                    id: r.get(0)?,
                    course: r.get(1)?,
                    lesson: r.get(2)?,
                    started_at: r.get(3)?,
                    questions: r.get(4)?,
                })
            },
        )?;
        let answers = rows(c, "SELECT id, attempt, course, lesson, question, position, chosen, correct, first_try, time_ms, answered_at, note FROM answers ORDER BY id", |r| {
            let chosen: String = r.get(6)?;
            Ok(AnswerRow { id: r.get(0)?, attempt: r.get(1)?, course: r.get(2)?, lesson: r.get(3)?, question: r.get(4)?, position: r.get(5)?, chosen: serde_json::from_str(&chosen).unwrap_or_default(), correct: r.get(7)?, first_try: r.get(8)?, time_ms: r.get(9)?, answered_at: r.get(10)?, note: r.get(11)? })
        })?;
        let settings = rows(c, "SELECT key, value FROM settings ORDER BY key", |r| {
            Ok(SettingRow {
                key: r.get(0)?,
                value: r.get(1)?,
            })
        })?;
        let (review_cards, review_log, activity_days) = export_review(c)?;
        let annotations = export_annotations(c)?;
        Ok(Export {
            format: EXPORT_FORMAT,
            courses,
            lessons,
            attempts,
            answers,
            settings,
            review_cards,
            review_log,
            activity_days,
            annotations,
            review_fits: super::fits::export_fits(c)?,
            made_cards: super::made_cards::export_made_cards(c)?,
        })
    }

    /// Merges an export in, in one transaction: rows with known ids are kept as they
    /// are (review cards: the one rescheduled last wins; minutes per day: the larger),
    /// lessons and courses merge (earliest first-opened, latest last-opened, the
    /// larger reading time, completion if either has it), attempts' scores are recounted
    /// from their answers. Importing the same export twice changes nothing.
    /// Every value is checked first ([`Export::validate`]): one out of range refuses the
    /// whole import ([`StoreError::InvalidImport`]), nothing written.
    pub fn import(&mut self, data: &Export) -> Result<ImportSummary, StoreError> {
        data.validate().map_err(StoreError::InvalidImport)?;
        let tx = self.write()?;
        for c in &data.courses {
            tx.execute(
                "INSERT INTO courses (key, title, root, first_opened, last_opened, last_lesson) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (key) DO UPDATE SET first_opened = min(first_opened, excluded.first_opened),
                     last_lesson = CASE WHEN excluded.last_opened > last_opened THEN excluded.last_lesson ELSE last_lesson END,
                     title = CASE WHEN excluded.last_opened > last_opened THEN excluded.title ELSE title END,
                     root = CASE WHEN excluded.last_opened > last_opened THEN excluded.root ELSE root END,
                     last_opened = max(last_opened, excluded.last_opened)",
                params![c.key, c.title, c.root, c.first_opened, c.last_opened, c.last_lesson],
            )?;
        }
        for l in &data.lessons {
            tx.execute(
                "INSERT INTO lessons (course, lesson, first_opened, last_opened, active_ms, position_anchor, position_offset, read_to_end, marked_complete, completed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (course, lesson) DO UPDATE SET
                     first_opened = coalesce(min(first_opened, excluded.first_opened), first_opened, excluded.first_opened),
                     position_anchor = CASE WHEN coalesce(excluded.last_opened, 0) > coalesce(last_opened, 0) THEN excluded.position_anchor ELSE position_anchor END,
                     position_offset = CASE WHEN coalesce(excluded.last_opened, 0) > coalesce(last_opened, 0) THEN excluded.position_offset ELSE position_offset END,
                     last_opened = coalesce(max(last_opened, excluded.last_opened), last_opened, excluded.last_opened),
                     active_ms = max(active_ms, excluded.active_ms),
                     read_to_end = read_to_end OR excluded.read_to_end,
                     marked_complete = marked_complete OR excluded.marked_complete,
                     completed_at = coalesce(min(completed_at, excluded.completed_at), completed_at, excluded.completed_at)",
                params![l.course, l.lesson, l.first_opened, l.last_opened, l.active_ms, l.position_anchor, l.position_offset, l.read_to_end, l.marked_complete, l.completed_at],
            )?;
        }
        let mut summary = ImportSummary::default();
        for a in &data.attempts {
            summary.attempts += tx.execute(
                "INSERT OR IGNORE INTO attempts (id, course, lesson, started_at, questions) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![a.id, a.course, a.lesson, a.started_at, a.questions],
            )?;
        }
        for a in &data.answers {
            let chosen = serde_json::to_string(&a.chosen).unwrap_or_else(|_| "[]".to_owned());
            summary.answers += tx.execute(
                "INSERT OR IGNORE INTO answers (id, attempt, course, lesson, question, position, chosen, correct, first_try, time_ms, answered_at, note)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 WHERE EXISTS (SELECT 1 FROM attempts WHERE id = ?2)",
                params![a.id, a.attempt, a.course, a.lesson, a.question, a.position, chosen, a.correct, a.first_try, a.time_ms, a.answered_at, a.note],
            )?;
        }
        for s in &data.settings {
            tx.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)",
                params![s.key, s.value],
            )?;
        }
        summary.reviews = import_review(
            &tx,
            &data.review_cards,
            &data.review_log,
            &data.activity_days,
        )?;
        summary.annotations = import_annotations(&tx, &data.annotations)?;
        summary.made_cards = super::made_cards::import_made_cards(&tx, &data.made_cards)?;
        super::fits::import_fits(&tx, &data.review_fits)?;
        tx.execute(
            "UPDATE attempts SET right_first = (SELECT count(*) FROM answers
                 WHERE answers.attempt = attempts.id AND first_try AND correct)",
            [],
        )?;
        tx.commit()?;
        Ok(summary)
    }

    /// Writes a consistent copy of the database to `dir/progress-<now>.sqlite` (SQLite's
    /// `VACUUM INTO`, safe while the app runs) and keeps only the newest `keep` copies.
    /// Returns the new backup's path.
    pub fn backup(&self, dir: &Path, keep: usize, now: Millis) -> Result<PathBuf, StoreError> {
        std::fs::create_dir_all(dir)?;
        let target = dir.join(format!("progress-{now:013}.sqlite"));
        if target.exists() {
            std::fs::remove_file(&target)?;
        }
        self.conn
            .execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
        let mut backups = list_backups(dir)?;
        while backups.len() > keep {
            let oldest = backups.remove(0);
            std::fs::remove_file(oldest)?;
        }
        Ok(target)
    }
}

/// The backups in `dir`, oldest first.
pub fn list_backups(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("progress-") && n.ends_with(".sqlite")
            })
        })
        .collect();
    found.sort();
    Ok(found)
}

/// What a restore did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Restored {
    /// Where the previous database went, its `-wal` and `-shm` beside it under the same
    /// name plus the suffix (`None`: there was none).
    pub previous: Option<PathBuf>,
}

/// Replaces the database at `db` with the backup `from`, as a transaction of files:
///
/// 1. the backup is checked: a regular file, not `db` itself, SQLite's
///    `integrity_check` passes, a Lectern progress database of a schema this build
///    reads or migrates (else [`StoreError::BadBackup`]; nothing touched);
/// 2. the exclusive lock beside `db` is taken without waiting: refused
///    ([`StoreError::InUse`], naming the holder) while the app or an import has it open;
/// 3. the backup (and its WAL, if it has one) is copied beside `db` under a new name
///    created exclusively without following links, and synced to disk;
/// 4. the current file, with its WAL and shared memory, is renamed, bytes unchanged, to
///    `<name>.before-restore-<now>` (a damaged database too: that is when restoring
///    matters most), the copy is renamed in, and the folder synced.
///
/// A failure at any step undoes the steps before it; every error says where the
/// previous data is.
pub fn restore(db: &Path, from: &Path, now: Millis) -> Result<Restored, StoreError> {
    restore_with(db, from, now, &mut |_| Ok(()))
}

/// The steps of a restore that can fail after it has started writing (see
/// [`restore`]); the tests make each one fail in turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Copying the backup beside the database.
    Copy,
    /// Syncing the copy to disk.
    SyncCopy,
    /// Moving the current database aside.
    Aside,
    /// Moving its `-wal` / `-shm` aside.
    AsideSide,
    /// Renaming the copy's WAL in.
    InstallWal,
    /// Renaming the copy in.
    Install,
    /// Syncing the folder.
    SyncDir,
}

pub(crate) fn restore_with(
    db: &Path,
    from: &Path,
    now: Millis,
    hook: &mut dyn FnMut(Step) -> std::io::Result<()>,
) -> Result<Restored, StoreError> {
    check_backup(db, from)?;
    let _lock = DbLock::for_replacing(db).map_err(|source| StoreError::InUse {
        path: db.to_path_buf(),
        source,
    })?;
    let staged = Staged::copy(db, from, hook).map_err(|e| StoreError::Restore {
        message: format!(
            "cannot copy `{}` beside the database: {e}; `{}` was not touched",
            from.display(),
            db.display()
        ),
    })?;
    swap(db, staged, now, hook)
}

/// Step 1 of [`restore`]: the backup is one this build can use.
fn check_backup(db: &Path, from: &Path) -> Result<(), StoreError> {
    let bad = |reason: String| StoreError::BadBackup {
        path: from.to_path_buf(),
        reason,
    };
    match dbfile::inspect(from).map_err(|e| bad(e.to_string()))? {
        Found::Nothing => return Err(bad("there is no such file".to_owned())),
        Found::Empty => return Err(bad("the file is empty".to_owned())),
        Found::File => {}
    }
    // The target must be a file or nothing (a FIFO would hang the app later).
    dbfile::inspect(db)?;
    if same_file(db, from) {
        return Err(bad(
            "it is the database itself; pick a file from the `backups` folder".to_owned(),
        ));
    }
    if let Some(reason) = dbfile::damage(from, dbfile::Check::Full)? {
        return Err(bad(format!("it is damaged ({reason})")));
    }
    let conn = dbfile::open_untouched(from)?;
    match super::schema::not_lectern(&conn)? {
        Some(reason) => Err(bad(reason)),
        None => Ok(()),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

/// The backup's copy beside the database, removed on drop unless installed.
struct Staged {
    main: PathBuf,
    wal: Option<PathBuf>,
    installed: bool,
}

impl Staged {
    /// Step 3 of [`restore`].
    fn copy(
        db: &Path,
        from: &Path,
        hook: &mut dyn FnMut(Step) -> std::io::Result<()>,
    ) -> std::io::Result<Staged> {
        let (main, mut out) = create_unique(db, "restoring")?;
        let mut staged = Staged {
            main,
            wal: None,
            installed: false,
        };
        hook(Step::Copy)?;
        copy_regular(from, &mut out)?;
        let from_wal = side(from, "-wal");
        let mut wal_out = None;
        if std::fs::metadata(&from_wal).is_ok_and(|m| m.is_file() && m.len() > 0) {
            let wal = side(&staged.main, "-wal");
            let mut file = create_new(&wal)?;
            staged.wal = Some(wal);
            copy_regular(&from_wal, &mut file)?;
            wal_out = Some(file);
        }
        hook(Step::SyncCopy)?;
        out.sync_all()?;
        if let Some(file) = wal_out {
            file.sync_all()?;
        }
        Ok(staged)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.installed {
            return;
        }
        for f in std::iter::once(&self.main).chain(&self.wal) {
            let _ = std::fs::remove_file(f);
        }
    }
}

/// `<path><suffix>` (`-wal`, `-shm`).
fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates a new file, never following or reusing what is at `path` (a planted link).
fn create_new(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
        .mode(0o600)
        .open(path)
}

/// A new file beside `db` named `<name>.<what>-<stamp>-<pid>` (a counter added if that
/// is taken), created exclusively.
fn create_unique(db: &Path, what: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    let name = db.file_name().unwrap_or_default().to_string_lossy();
    let base = format!(
        "{name}.{what}-{}-{}",
        crate::clock::file_stamp(),
        std::process::id()
    );
    let mut last = None;
    for n in 0..100 {
        let candidate = if n == 0 {
            db.with_file_name(&base)
        } else {
            db.with_file_name(format!("{base}-{n}"))
        };
        match create_new(&candidate) {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free name")))
}

/// Copies the regular file at `from` into `out`, opened without blocking.
fn copy_regular(from: &Path, out: &mut std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut src = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(from)?;
    if !src.metadata()?.is_file() {
        return Err(std::io::Error::other(format!(
            "`{}` is not a regular file",
            from.display()
        )));
    }
    std::io::copy(&mut src, out)?;
    Ok(())
}

/// A name `<name>.before-restore-<now>` beside `db` that nothing uses yet, for the
/// database and its `-wal` and `-shm`.
fn aside_name(db: &Path, now: Millis) -> PathBuf {
    let name = db.file_name().unwrap_or_default().to_string_lossy();
    let free = |p: &PathBuf| {
        ["", "-wal", "-shm"]
            .iter()
            .all(|s| std::fs::symlink_metadata(side(p, s)).is_err())
    };
    let base = db.with_file_name(format!("{name}.before-restore-{now}"));
    std::iter::once(base.clone())
        .chain((1..1000).map(|n| db.with_file_name(format!("{name}.before-restore-{now}-{n}"))))
        .find(free)
        .unwrap_or(base)
}

/// Step 4 of [`restore`]: the current files aside, the copy in; undone on failure.
fn swap(
    db: &Path,
    mut staged: Staged,
    now: Millis,
    hook: &mut dyn FnMut(Step) -> std::io::Result<()>,
) -> Result<Restored, StoreError> {
    let aside = aside_name(db, now);
    let mut done: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut run = |done: &mut Vec<(PathBuf, PathBuf)>| -> std::io::Result<()> {
        for (suffix, step) in [
            ("", Step::Aside),
            ("-wal", Step::AsideSide),
            ("-shm", Step::AsideSide),
        ] {
            let current = side(db, suffix);
            if std::fs::symlink_metadata(&current).is_ok() {
                hook(step)?;
                std::fs::rename(&current, side(&aside, suffix))?;
                done.push((current, side(&aside, suffix)));
            }
        }
        if let Some(wal) = &staged.wal {
            hook(Step::InstallWal)?;
            std::fs::rename(wal, side(db, "-wal"))?;
            done.push((wal.clone(), side(db, "-wal")));
        }
        hook(Step::Install)?;
        std::fs::rename(&staged.main, db)?;
        Ok(())
    };
    let moved_previous = |done: &[(PathBuf, PathBuf)]| done.iter().any(|(from, _)| from == db);
    if let Err(e) = run(&mut done) {
        let previous = moved_previous(&done).then(|| aside.clone());
        let undo: std::io::Result<()> = done
            .iter()
            .rev()
            .try_for_each(|(from, to)| std::fs::rename(to, from));
        let message = match (undo, previous) {
            (Ok(()), _) | (Err(_), None) => format!(
                "{e} while replacing `{}`; it was put back as it was, nothing changed",
                db.display()
            ),
            (Err(undo), Some(p)) => format!(
                "{e} while replacing `{}`, and putting it back failed too ({undo}): the previous database is at `{}` (with its -wal and -shm beside it, if any); rename it back to `{}`",
                db.display(),
                p.display(),
                db.display()
            ),
        };
        return Err(StoreError::Restore { message });
    }
    staged.installed = true;
    let previous = moved_previous(&done).then_some(aside);
    let synced = hook(Step::SyncDir).and_then(|()| {
        std::fs::File::open(
            db.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )?
        .sync_all()
    });
    if let Err(e) = synced {
        return Err(StoreError::Restore {
            message: format!(
                "`{}` was replaced, but syncing its folder to disk failed ({e}); {}",
                db.display(),
                previous.as_ref().map_or_else(
                    || "there was no previous database".to_owned(),
                    |p| format!("the previous database is kept as `{}`", p.display())
                )
            ),
        });
    }
    Ok(Restored { previous })
}

fn rows<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let out = stmt.query_map([], map)?.collect::<Result<Vec<_>, _>>()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(path: &Path, value: &str) {
        let mut store = Store::open(path).unwrap().store;
        store.set_setting("kept", value).unwrap();
    }

    fn kept(path: &Path) -> Option<String> {
        Store::open_read_only(path)
            .unwrap()
            .setting("kept")
            .unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn a_restore_failing_at_any_step_loses_nothing_and_says_where_the_data_is() {
        let steps = [
            Step::Copy,
            Step::SyncCopy,
            Step::Aside,
            Step::AsideSide,
            Step::InstallWal,
            Step::Install,
            Step::SyncDir,
        ];
        for failing in steps {
            let tmp = tempfile::tempdir().unwrap();
            let db = tmp.path().join("p.db");
            let backup = tmp.path().join("b.db");
            // The backup has rows in its WAL (a file set aside by an earlier restore),
            // so the WAL steps run too.
            let mut held = Store::open(&backup).unwrap().store;
            held.set_setting("kept", "backup").unwrap();
            let wal = std::fs::read(tmp.path().join("b.db-wal")).unwrap();
            std::fs::copy(&backup, tmp.path().join("c.db")).unwrap();
            std::fs::write(tmp.path().join("c.db-wal"), wal).unwrap();
            drop(held);
            database(&db, "current");
            // Leave the current database's WAL and shared memory beside it (as a kill
            // would), so moving them aside runs too.
            let app = Store::open(&db).unwrap().store;
            let current_wal = std::fs::read(tmp.path().join("p.db-wal")).unwrap();
            let current_main = std::fs::read(&db).unwrap();
            std::mem::forget(app);
            let before = names(tmp.path());
            // The leaked store holds the writer's lock: take it over as a kill would.
            let lock = crate::dbfile::lock_path(&db);
            std::fs::remove_file(&lock).unwrap();
            let mut ran = Vec::new();
            let result = restore_with(&db, &tmp.path().join("c.db"), 7, &mut |step| {
                ran.push(step);
                if step == failing {
                    Err(std::io::Error::other("injected"))
                } else {
                    Ok(())
                }
            });
            assert!(ran.contains(&failing), "{failing:?} never ran: {ran:?}");
            let message = result.unwrap_err().to_string();
            assert!(message.contains("injected"), "{failing:?}: {message}");
            if failing == Step::SyncDir {
                // Replaced already: the message names where the previous data went.
                let aside = tmp.path().join("p.db.before-restore-7");
                assert!(message.contains(&aside.display().to_string()), "{message}");
                assert_eq!(std::fs::read(&aside).unwrap(), current_main);
                assert_eq!(std::fs::read(side(&aside, "-wal")).unwrap(), current_wal);
                assert_eq!(kept(&db).as_deref(), Some("backup"));
                continue;
            }
            assert!(
                message.contains("nothing changed") || message.contains("was not touched"),
                "{failing:?}: {message}"
            );
            assert_eq!(std::fs::read(&db).unwrap(), current_main, "{failing:?}");
            assert_eq!(
                std::fs::read(side(&db, "-wal")).unwrap(),
                current_wal,
                "{failing:?}"
            );
            // Checking the backup may add the `-shm` index beside it (no data in it).
            let ours = |n: &String| n != "p.db.lock" && n != "c.db-shm";
            let mut after = names(tmp.path());
            after.retain(ours);
            let mut expected = before.clone();
            expected.retain(ours);
            assert_eq!(
                after, expected,
                "{failing:?}: a file was left behind or lost"
            );
        }
    }
}
