//! Moving progress in and out: JSON export and idempotent import (a documented
//! contract, like the CLI's other JSON), rotating backups and restore.
//!
//! The export holds no time of its own and lists every row sorted by its key, so the
//! same data always exports to the same bytes; attempts and answers carry stable ids,
//! so importing the same export twice adds nothing the second time.

use std::path::{Path, PathBuf};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::cards::{export_review, import_review, ActivityDayRow, ReviewCardRow, ReviewLogRow};
use super::{Millis, Store, StoreError};

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
}

/// A setting row of the export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct SettingRow {
    pub key: String,
    pub value: String,
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
        let answers = rows(c, "SELECT id, attempt, course, lesson, question, position, chosen, correct, first_try, time_ms, answered_at FROM answers ORDER BY id", |r| {
            let chosen: String = r.get(6)?;
            Ok(AnswerRow { id: r.get(0)?, attempt: r.get(1)?, course: r.get(2)?, lesson: r.get(3)?, question: r.get(4)?, position: r.get(5)?, chosen: serde_json::from_str(&chosen).unwrap_or_default(), correct: r.get(7)?, first_try: r.get(8)?, time_ms: r.get(9)?, answered_at: r.get(10)? })
        })?;
        let settings = rows(c, "SELECT key, value FROM settings ORDER BY key", |r| {
            Ok(SettingRow {
                key: r.get(0)?,
                value: r.get(1)?,
            })
        })?;
        let (review_cards, review_log, activity_days) = export_review(c)?;
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
        })
    }

    /// Merges an export in, in one transaction: rows with known ids are kept as they
    /// are (review cards: the one rescheduled last wins; minutes per day: the larger),
    /// lessons and courses merge (earliest first-opened, latest last-opened, the
    /// larger reading time, completion if either has it), attempts' scores are recounted
    /// from their answers. Importing the same export twice changes nothing.
    pub fn import(&mut self, data: &Export) -> Result<ImportSummary, StoreError> {
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
                "INSERT OR IGNORE INTO answers (id, attempt, course, lesson, question, position, chosen, correct, first_try, time_ms, answered_at)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 WHERE EXISTS (SELECT 1 FROM attempts WHERE id = ?2)",
                params![a.id, a.attempt, a.course, a.lesson, a.question, a.position, chosen, a.correct, a.first_try, a.time_ms, a.answered_at],
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

/// Replaces the database at `db` with the backup `from`: the backup is checked first,
/// the current file is kept aside as `<name>.before-restore-<now>`. Returns where the
/// previous file went (if there was one).
pub fn restore(db: &Path, from: &Path, now: Millis) -> Result<Option<PathBuf>, StoreError> {
    if let Err(reason) = super::schema::health(from)? {
        return Err(StoreError::Io(std::io::Error::other(format!(
            "`{}` is not a usable backup: {reason}",
            from.display()
        ))));
    }
    let name = db.file_name().map_or_else(
        || "progress.sqlite".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let aside = db.with_file_name(format!("{name}.before-restore-{now}"));
    let kept = if db.exists() {
        // A clean copy of the current state (its WAL folded in), then the files go.
        let current = rusqlite::Connection::open(db)?;
        current.execute("VACUUM INTO ?1", [aside.to_string_lossy()])?;
        drop(current);
        for suffix in ["", "-wal", "-shm"] {
            let f = db.with_file_name(format!("{name}{suffix}"));
            if f.exists() {
                std::fs::remove_file(f)?;
            }
        }
        Some(aside)
    } else {
        None
    };
    let tmp = db.with_file_name(format!("{name}.restoring"));
    std::fs::copy(from, &tmp)?;
    std::fs::rename(&tmp, db)?;
    Ok(kept)
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
