//! The schema: numbered migrations tracked in `PRAGMA user_version`, each applied in one
//! transaction (a failed migration rolls back and leaves the previous version intact).
//!
//! Migrations are only ever appended. A database whose version is newer than
//! [`LATEST`] was written by a newer Lectern: it is refused, untouched.

use std::path::Path;

use rusqlite::Connection;

use super::StoreError;

/// Each entry migrates from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: courses, lessons, attempts and answers, settings, and who wrote the file.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
     CREATE TABLE courses (
         key TEXT PRIMARY KEY,
         title TEXT NOT NULL,
         root TEXT NOT NULL,
         first_opened INTEGER NOT NULL,
         last_opened INTEGER NOT NULL,
         last_lesson TEXT
     ) STRICT;
     CREATE TABLE lessons (
         course TEXT NOT NULL,
         lesson TEXT NOT NULL,
         first_opened INTEGER,
         last_opened INTEGER,
         active_ms INTEGER NOT NULL DEFAULT 0,
         position_anchor TEXT,
         position_offset REAL,
         read_to_end INTEGER NOT NULL DEFAULT 0,
         marked_complete INTEGER NOT NULL DEFAULT 0,
         completed_at INTEGER,
         PRIMARY KEY (course, lesson)
     ) STRICT;
     CREATE TABLE attempts (
         id TEXT PRIMARY KEY,
         course TEXT NOT NULL,
         lesson TEXT NOT NULL,
         started_at INTEGER NOT NULL,
         questions INTEGER NOT NULL,
         right_first INTEGER NOT NULL DEFAULT 0
     ) STRICT;
     CREATE INDEX attempts_by_lesson ON attempts (course, lesson, started_at);
     CREATE TABLE answers (
         id TEXT PRIMARY KEY,
         attempt TEXT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
         course TEXT NOT NULL,
         lesson TEXT NOT NULL,
         question TEXT NOT NULL,
         position INTEGER NOT NULL,
         chosen TEXT NOT NULL,
         correct INTEGER NOT NULL,
         first_try INTEGER NOT NULL,
         time_ms INTEGER NOT NULL,
         answered_at INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX answers_by_question ON answers (course, lesson, question);
     CREATE INDEX answers_by_attempt ON answers (attempt);
     CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;",
    // 2: spaced review (src/review/): one FSRS card per question answered, the log of
    // every graded answer (quiz or review) with the card's state before it, so a Hard or
    // Easy given right after answering recomputes from that state; and active minutes
    // per local day for the dashboard. Days are local day numbers (days since
    // 1970-01-01 in the learner's time zone at the time), so "today" never depends on
    // the zone the file is read in later.
    "CREATE TABLE review_cards (
         course TEXT NOT NULL,
         lesson TEXT NOT NULL,
         question TEXT NOT NULL,
         stability REAL NOT NULL,
         difficulty REAL NOT NULL,
         due INTEGER NOT NULL,
         last_review INTEGER NOT NULL,
         last_day INTEGER NOT NULL,
         reps INTEGER NOT NULL,
         lapses INTEGER NOT NULL,
         PRIMARY KEY (course, lesson, question)
     ) STRICT;
     CREATE INDEX review_cards_by_due ON review_cards (course, due);
     CREATE TABLE review_log (
         id TEXT PRIMARY KEY,
         course TEXT NOT NULL,
         lesson TEXT NOT NULL,
         question TEXT NOT NULL,
         at INTEGER NOT NULL,
         day INTEGER NOT NULL,
         rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
         correct INTEGER NOT NULL,
         source TEXT NOT NULL CHECK (source IN ('quiz', 'review')),
         rescheduled INTEGER NOT NULL,
         time_ms INTEGER NOT NULL,
         due INTEGER,
         prev_stability REAL,
         prev_difficulty REAL,
         prev_due INTEGER,
         prev_last_review INTEGER,
         prev_last_day INTEGER,
         prev_reps INTEGER,
         prev_lapses INTEGER
     ) STRICT;
     CREATE INDEX review_log_by_day ON review_log (course, day);
     CREATE INDEX review_log_by_question ON review_log (course, lesson, question, day);
     CREATE TABLE activity_days (
         course TEXT NOT NULL,
         day INTEGER NOT NULL,
         active_ms INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (course, day)
     ) STRICT;",
    // 3: indexes for the dashboard, so its figures read index entries of the course
    // instead of every answer: answers by time (the 8-week history, study days), and
    // the wrong answers alone (most missed; partial indexes stay small as learners
    // mostly answer right; the filtered columns are in them so they cover the query).
    "CREATE INDEX answers_by_time ON answers (course, answered_at);
     CREATE INDEX answers_missed ON answers (course, lesson, question, correct)
         WHERE NOT correct;
     CREATE INDEX review_log_missed ON review_log (course, lesson, question, correct, source)
         WHERE NOT correct AND source = 'review';",
    // 4: the learner's note beside an answer (why they answered so: mdbook-quiz's
    // `promptExplanation`); older answers have none.
    "ALTER TABLE answers ADD COLUMN note TEXT;",
    // 5: the history of FSRS parameter fits of a course (src/review/fit.rs): every fit
    // run, adopted or not, with the candidate parameters (a JSON array; NULL on a reset
    // to the defaults), how many first-answers-of-the-day it read and the log loss and
    // RMSE of the parameters in use before and of the candidate on that history. The
    // parameters in use are those of the newest adopted row (none: the defaults).
    "CREATE TABLE review_fits (
         id INTEGER PRIMARY KEY,
         course TEXT NOT NULL,
         at INTEGER NOT NULL,
         kind TEXT NOT NULL CHECK (kind IN ('manual', 'background', 'reset')),
         reviews INTEGER NOT NULL,
         parameters TEXT,
         old_log_loss REAL,
         old_rmse REAL,
         new_log_loss REAL,
         new_rmse REAL,
         adopted INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX review_fits_by_course ON review_fits (course, id);",
    // 6: leeches (src/progress/leeches.rs): a card marked when its lapses reach
    // `LEECH_LAPSES`, and suspended by the learner (a suspended card is never due).
    "ALTER TABLE review_cards ADD COLUMN leech INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE review_cards ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;",
    // 7: "Practise this section" answers in the review log (`source = 'practice'`):
    // SQLite cannot change a CHECK, so the table is rebuilt with the same columns and
    // rows, and its indexes made again.
    "CREATE TABLE review_log_new (
         id TEXT PRIMARY KEY,
         course TEXT NOT NULL,
         lesson TEXT NOT NULL,
         question TEXT NOT NULL,
         at INTEGER NOT NULL,
         day INTEGER NOT NULL,
         rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
         correct INTEGER NOT NULL,
         source TEXT NOT NULL CHECK (source IN ('quiz', 'review', 'practice')),
         rescheduled INTEGER NOT NULL,
         time_ms INTEGER NOT NULL,
         due INTEGER,
         prev_stability REAL,
         prev_difficulty REAL,
         prev_due INTEGER,
         prev_last_review INTEGER,
         prev_last_day INTEGER,
         prev_reps INTEGER,
         prev_lapses INTEGER
     ) STRICT;
     INSERT INTO review_log_new SELECT id, course, lesson, question, at, day, rating,
         correct, source, rescheduled, time_ms, due, prev_stability, prev_difficulty,
         prev_due, prev_last_review, prev_last_day, prev_reps, prev_lapses FROM review_log;
     DROP TABLE review_log;
     ALTER TABLE review_log_new RENAME TO review_log;
     CREATE INDEX review_log_by_day ON review_log (course, day);
     CREATE INDEX review_log_by_question ON review_log (course, lesson, question, day);
     CREATE INDEX review_log_missed ON review_log (course, lesson, question, correct, source)
         WHERE NOT correct AND source = 'review';",
    // 8: the learner's highlights, notes and bookmarks (progress/annotations.rs): each
    // keeps its anchor as made (quote, context, old position), never a placement.
    "CREATE TABLE annotations (
         id TEXT PRIMARY KEY,
         course TEXT NOT NULL,
         lesson TEXT NOT NULL,
         kind TEXT NOT NULL CHECK (kind IN ('highlight', 'bookmark')),
         color TEXT,
         quote TEXT NOT NULL,
         prefix TEXT NOT NULL,
         suffix TEXT NOT NULL,
         start INTEGER NOT NULL,
         heading TEXT,
         note TEXT,
         created_at INTEGER NOT NULL,
         updated_at INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX annotations_by_lesson ON annotations (course, lesson, start);",
    // 9: the learner's own review cards (progress/made_cards.rs, "Make a card"): the
    // text captured when made, and the highlight it came from, named but not a foreign
    // key (removing the highlight keeps the card). Its schedule is a `review_cards` row.
    "CREATE TABLE made_cards (
         id TEXT PRIMARY KEY,
         course TEXT NOT NULL,
         lesson TEXT NOT NULL,
         annotation TEXT NOT NULL,
         before TEXT NOT NULL,
         phrase TEXT NOT NULL,
         after TEXT NOT NULL,
         created_at INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX made_cards_by_course ON made_cards (course, lesson);",
];

/// The schema version this build writes and reads.
pub(super) const LATEST: i64 = MIGRATIONS.len() as i64;

fn version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Refuses a database from a newer Lectern before anything writes to it.
pub(super) fn check_version(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let found = version(conn)?;
    if found > LATEST {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found,
            supported: LATEST,
        });
    }
    Ok(())
}

/// Whether the database is at [`LATEST`] (a reader can use it as it is).
pub(super) fn is_current(conn: &Connection) -> Result<bool, StoreError> {
    Ok(version(conn)? == LATEST)
}

/// Applies the missing migrations, each in its own `BEGIN IMMEDIATE` transaction
/// together with the new `user_version`, and records which Lectern version last opened
/// the file to write. The version is read *inside* each transaction: several processes
/// opening a new (or old) database at once take turns on the write lock, and each finds
/// the migrations the others already applied instead of applying them twice ("table
/// meta already exists").
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current = version(&tx)?;
        let Some(sql) = usize::try_from(current)
            .ok()
            .and_then(|i| MIGRATIONS.get(i))
        else {
            break;
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
    }
    // Which Lectern last opened the file for writing (support questions, and a future
    // migration that needs to know).
    let stored: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'written_by'", [], |r| {
            r.get(0)
        })
        .ok();
    if stored.as_deref() != Some(env!("CARGO_PKG_VERSION")) {
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('written_by', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [env!("CARGO_PKG_VERSION")],
        )?;
    }
    Ok(())
}

/// Why the database behind `conn` is not a Lectern progress database this build can
/// read or migrate (`None`: it is). A restore asks this of its backup: an empty SQLite
/// file, another program's database or a newer Lectern's would replace the learner's
/// progress with something no command can read.
pub(super) fn not_lectern(conn: &Connection) -> Result<Option<String>, StoreError> {
    let found = version(conn)?;
    if found > LATEST {
        return Ok(Some(format!(
            "it was written by a newer Lectern (schema {found}; this one reads up to {LATEST})"
        )));
    }
    if found < 1 {
        return Ok(Some(
            "it is not a Lectern progress database (no Lectern schema in it)".to_owned(),
        ));
    }
    let tables = [
        "meta", "courses", "lessons", "attempts", "answers", "settings",
    ];
    let review = ["review_cards", "review_log", "activity_days"];
    let expected = tables
        .iter()
        .chain(if found >= 2 { &review[..] } else { &[] });
    for table in expected {
        let present: bool = conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )?;
        if !present {
            return Ok(Some(format!(
                "it is not a Lectern progress database (schema {found} but no `{table}` table)"
            )));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_changes_nothing_and_records_the_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), LATEST);
        let by: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'written_by'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(by, env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn migration_7_keeps_the_review_log_and_its_indexes_and_accepts_practice() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (i, sql) in MIGRATIONS[..6].iter().enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", i as i64 + 1)
                .unwrap();
        }
        let row = "INSERT INTO review_log (id, course, lesson, question, at, day, rating,
             correct, source, rescheduled, time_ms) VALUES (?1, 'c', 'l', 'q', 1, 0, 3, 1, ?2, 1, 5)";
        conn.execute(row, ["a", "review"]).unwrap();
        assert!(
            conn.execute(row, ["b", "practice"]).is_err(),
            "6 refuses practice"
        );
        migrate(&mut conn).unwrap();
        conn.execute(row, ["b", "practice"]).unwrap();
        assert!(conn.execute(row, ["c", "elsewhere"]).is_err());
        let sources: Vec<String> = conn
            .prepare("SELECT source FROM review_log ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(sources, ["review", "practice"]);
        let indexes: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index'
                 AND tbl_name = 'review_log' AND name LIKE 'review_log_%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 3);
    }
}
