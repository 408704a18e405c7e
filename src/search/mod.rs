//! Full-text search across a course: SQLite FTS5, offline, in any language.
//!
//! Front door: [`SearchIndex::open`] (a cache file per course, see [`index_path`],
//! opened up to date with a loaded course; shared safely between processes, see
//! `cache.rs`) or [`SearchIndex::in_memory`], [`SearchIndex::sync`] to bring it up to
//! date again (only lessons whose content hash changed are indexed again; every sync is
//! committed in batches, which [`SearchIndex::open_in_batches`] reports, with a
//! [`Reader`] that searches the batches committed while the build goes on: see
//! `batches.rs`), and
//! [`SearchIndex::search`] ([`SearchIndex::query`] plus the rebuild of a damaged cache);
//! [`answer`], what `lectern search` asks, answers from the cache alone when the stamp
//! of the load it was synced from still holds (see `warm.rs`), and loads otherwise.
//!
//! Each lesson is cut into sections at its headings; a section row holds the lesson
//! title, the heading, its prose, its code, and (for the Knowledge Check) the question
//! prompts — never options or explanations, so a snippet cannot give an answer away.
//! The FTS5 table `words` indexes the rows (their text stored once, compressed, in
//! `rows`: see `build.rs`) with the `unicode61` tokenizer, diacritics
//! removed (`naïve` finds `naive`), for words and prefixes; a substring (`ubword`,
//! `elf.voc`) is looked up in the vocabulary, as the indexed words that hold it (see
//! `query.rs`), so no trigram index of the text is kept. A second, `pairs`, holds only
//! the Chinese, Japanese and Korean text of a row, as overlapping pairs of characters:
//! those scripts put no space between words, and most of their words are two
//! characters long (`词元`). Beside them: `heads`, the title and heading of each row alone (no text kept; so the
//! rows where a very common word is in a heading are found without reading all its
//! matches), and `vocab`, every indexed word (a query word is looked up as the words it
//! starts, see `query.rs`). Ranking is bm25 with the title and heading weighted up, its
//! cost bounded by the result limit rather than by the number of matches.
//!
//! The index is a cache: deleting it loses nothing, and one that is damaged (found when
//! it is opened, synced or queried) or of another schema is rebuilt, or searched in
//! memory when another process has it open; damage is never an error to the learner.
//! A query is read up to 256 characters and 32 different terms, so its cost is bounded
//! whatever is typed or pasted. Queries are never handed to FTS5 as written: each term is quoted, so no
//! input (unbalanced quotes, `NEAR(`, a lone `*`, a column filter) is an FTS5 error.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;

use crate::course::Loaded;
use crate::text::Fnv1a;

mod batches;
mod build;
mod cache;
mod forgive;
mod learner;
mod plain;
mod query;
mod terms;
mod warm;

pub use batches::{Batch, Batches, Progress, Reader};
pub use cache::{Cache, CacheOptions, Opened};
pub use learner::NoteText;
pub use warm::{answer, answer_at, Answer, NotesOf, Route, Stale, Warm};

/// One result: the best-matching section of a lesson.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Hit {
    /// Lesson id.
    pub lesson: String,
    /// Lesson title.
    pub title: String,
    /// The heading nearest the match (the lesson title for text before any heading).
    pub heading: String,
    /// That heading's element id (empty: the top of the lesson).
    pub anchor: String,
    /// Sanitized HTML: escaped text with the matched terms in `<mark>`.
    pub snippet: String,
    /// Higher is better.
    pub score: f64,
    /// What was found: a section of a lesson, or one of the learner's notes on it.
    pub kind: HitKind,
    /// For a note: the annotation's id (what the window scrolls to); absent for a
    /// lesson's section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
}

/// What a [`Hit`] is: `"lesson"` or `"note"` in JSON.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum HitKind {
    /// A section of a lesson.
    Lesson,
    /// The learner's highlight or note (see [`NoteText`]).
    Note,
}

/// The answer to a query, best first.
#[derive(Clone, Debug, Serialize)]
pub struct Results {
    /// The query as given.
    pub query: String,
    /// Results, best first.
    pub results: Vec<Hit>,
    /// The indexed words the results were found by: the typed ones, and the forms,
    /// spellings, corrections and compounds they stood for (what the opened lesson
    /// marks).
    pub matched: Vec<String>,
    /// When nothing matched: the indexed words nearest the query's words ("did you
    /// mean …"), best first; empty otherwise.
    pub suggestions: Vec<String>,
    /// While a first index is being built (the app's search during it): how far it
    /// has come; the results are from the lessons indexed so far. Absent otherwise (and
    /// so never in `lectern search --json`, which waits for its index).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexing: Option<Progress>,
}

/// Why the index could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// SQLite failed.
    #[error("search index: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file operation failed.
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
    /// The file is an index of another version of Lectern.
    #[error("search index: schema {found}, this Lectern uses {SCHEMA_VERSION}")]
    Schema {
        /// The file's `user_version`.
        found: i64,
    },
    /// A sync in batches was stopped by its report (see [`Batches`]); the batches
    /// before were committed.
    #[error("search index: the build was stopped")]
    Stopped,
}

impl SearchError {
    /// Whether the index file is damaged or not an index of this Lectern, so that
    /// building it again is the cure: SQLite's corrupt (FTS5's "missing row" is one) or
    /// not-a-database, a table of the schema missing, or another schema. Busy and locked are not damage: another
    /// process is using the file, and it must never be deleted for that.
    pub fn is_damage(&self) -> bool {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match self {
            SearchError::Sqlite(e) => {
                matches!(e.sqlite_error_code(), Some(DatabaseCorrupt | NotADatabase))
                    || e.to_string().contains("malformed")
                    // A table of the schema gone: the file is not a whole index.
                    || e.to_string().contains("no such table")
            }
            SearchError::Io(_) | SearchError::Stopped => false,
            SearchError::Schema { .. } => true,
        }
    }
}

/// What a sync did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncStats {
    /// Lessons (re)indexed.
    pub indexed: usize,
    /// Lessons dropped from the index.
    pub removed: usize,
    /// Lessons already current.
    pub unchanged: usize,
}

/// The search index of one course.
pub struct SearchIndex {
    conn: Connection,
    /// The course's language (its stemmer and stop words), set by each sync.
    language: forgive::Language,
    /// The cache file this index lives in, with its open lock; `None` in memory.
    file: Option<cache::Held>,
}

/// Moves whenever what a cache holds changes meaning, so an older cache is rebuilt, not
/// misread: 11, TeX accents as combining marks (`plain::tex_text`), which rows written
/// before still spell as words (`hatyt`).
const SCHEMA_VERSION: i64 = 11;

/// How long a write to the cache waits for another process's write.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS docs (lesson TEXT PRIMARY KEY, hash TEXT NOT NULL, title TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, lesson TEXT NOT NULL,
        anchor TEXT, heading_text TEXT, title TEXT, heading TEXT,
        body BLOB, code BLOB, prompts BLOB);
    CREATE INDEX IF NOT EXISTS rows_by_lesson ON rows (lesson);
    CREATE TABLE IF NOT EXISTS vocab (term TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS compounds (form TEXT, words TEXT, PRIMARY KEY (form, words)) WITHOUT ROWID;
    CREATE VIEW IF NOT EXISTS words_text AS
        SELECT id, lesson, anchor, heading_text, title, heading,
            unpack(body) AS body, unpack(code) AS code, unpack(prompts) AS prompts
        FROM rows;
    CREATE VIRTUAL TABLE IF NOT EXISTS heads USING fts5(
        title, heading, content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(
        lesson UNINDEXED, anchor UNINDEXED, heading_text UNINDEXED,
        title, heading, body, code, prompts,
        content = 'words_text', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE IF NOT EXISTS pairs USING fts5(
        title, heading, body, code, prompts, tokenize = 'unicode61');
    CREATE TABLE IF NOT EXISTS stamp (path BLOB NOT NULL, look INTEGER NOT NULL,
        kind INTEGER NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
        ctime INTEGER NOT NULL, inode INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS loaded (one INTEGER PRIMARY KEY CHECK (one = 1),
        format TEXT NOT NULL, root BLOB NOT NULL, src BLOB NOT NULL,
        book_file INTEGER NOT NULL, language TEXT, diagnostics TEXT NOT NULL,
        started INTEGER NOT NULL);
";

/// Where a course's index lives: `<cache dir>/app.lectern.desktop/search/<hash of the
/// course's canonical folder>.sqlite`.
pub fn index_path(course_root: &Path) -> PathBuf {
    course_cache_path(course_root, "search", "sqlite")
}

/// A cache file of the course in `course_root`: `<cache dir>/app.lectern.desktop/<kind>/<hash
/// of the course's canonical folder>.<extension>` (the search index, the check cache).
pub(crate) fn course_cache_path(course_root: &Path, kind: &str, extension: &str) -> PathBuf {
    let canonical =
        std::fs::canonicalize(course_root).unwrap_or_else(|_| course_root.to_path_buf());
    let hash = Fnv1a::default()
        .write(canonical.to_string_lossy().as_bytes())
        .finish();
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map_or_else(|| PathBuf::from("."), PathBuf::from)
                .join(".cache")
        });
    cache
        .join(crate::progress::APP_DIR)
        .join(kind)
        .join(format!("{hash:016x}.{extension}"))
}

/// Opens (or creates) the index file at `path`: the one place the cache file itself is
/// opened and checked (locking, building and replacing it are `cache.rs`'s). Errs with
/// [`SearchError::is_damage`] for a file that is not an index of this Lectern.
fn try_open(path: &Path) -> Result<Connection, SearchError> {
    // The one opening path's check (`dbfile`): a FIFO or a folder is refused before
    // SQLite would hang on it or it would be taken for a damaged cache.
    crate::dbfile::inspect(path).map_err(|e| SearchError::Io(std::io::Error::other(e)))?;
    let conn = Connection::open(path)?;
    // Another process's write (a sync) is waited for, never taken for damage.
    conn.busy_timeout(BUSY_WAIT)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version != 0 && version != SCHEMA_VERSION {
        return Err(SearchError::Schema { found: version });
    }
    // No integrity check here: on a 10,000-lesson index it reads every page (seconds);
    // a file that is not a database fails just above, and a damaged one fails on use,
    // where `sync` and `search` rebuild it.
    prepare(&conn)?;
    Ok(conn)
}

/// Sets a connection up for the index: WAL, and the schema unless it is there already
/// (so opening a current cache writes nothing).
fn prepare(conn: &Connection) -> Result<(), SearchError> {
    build::register(conn)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version != SCHEMA_VERSION {
        crate::dbfile::use_wal(conn)?;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        ))?;
    }
    Ok(())
}

impl SearchIndex {
    /// An index in memory (tests, and where the cache cannot be used).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let conn = Connection::open_in_memory()?;
        prepare(&conn)?;
        Ok(SearchIndex {
            conn,
            language: forgive::Language::from_tag(None),
            file: None,
        })
    }

    /// Brings the index up to date with `loaded`: lessons whose content hash changed
    /// (or that are new) are indexed again, lessons gone are dropped, the rest is left
    /// as it is — a warm start with nothing changed writes no lesson. The load's stamp
    /// (or its absence) is written in the same transaction (see `warm.rs`). A cache found
    /// damaged is built again (or replaced by an index in memory), never an error.
    pub fn sync(&mut self, loaded: &Loaded) -> Result<SyncStats, SearchError> {
        match self.sync_once(loaded, &mut Batches::quiet()) {
            Err(e) if e.is_damage() => self.repair(loaded),
            other => other,
        }
    }

    /// Answers `query` as [`SearchIndex::query`] does; a cache found damaged while
    /// answering is built again from `loaded` (or replaced by an index in memory) and
    /// asked again, so damage is never an error to the learner.
    pub fn search(
        &mut self,
        loaded: &Loaded,
        query: &str,
        limit: usize,
    ) -> Result<Results, SearchError> {
        match self.query(query, limit) {
            Err(e) if e.is_damage() => {
                self.repair(loaded)?;
                self.query(query, limit)
            }
            other => other,
        }
    }

    /// [`SearchIndex::search`] with the learner's `notes` searched beside the lessons
    /// (see [`SearchIndex::query_with`]).
    pub fn search_with(
        &mut self,
        loaded: &Loaded,
        query: &str,
        limit: usize,
        notes: &[NoteText],
    ) -> Result<Results, SearchError> {
        match self.query_with(query, limit, notes) {
            Err(e) if e.is_damage() => {
                self.repair(loaded)?;
                self.query_with(query, limit, notes)
            }
            other => other,
        }
    }

    /// Whether nothing is indexed yet.
    fn is_empty(&self) -> Result<bool, SearchError> {
        let any: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM docs)", [], |r| r.get(0))?;
        Ok(!any)
    }
}

/// Whether a sync wrote so much of the index (a quarter of the course or more: a first
/// build, a rebuild, a large change) that its word tables are merged into one segment
/// each (FTS5's `optimize`). A big write leaves a table in many segments (21 in a
/// 10,000-lesson build), and each look-up of a word in one row — every snippet, for
/// every word of an `OR` of forms — is a seek in each: 20 snippets of `tokenizing`'s
/// seven forms cost 11 ms in 21 segments, 1.3 ms in one. Merging costs about 2 % of
/// such a build (0.9 s of ~45 s at 10,000 lessons); after a small sync (a saved lesson)
/// it is left to FTS5's own incremental merging, so a save stays cheap.
fn merges_segments(stats: &SyncStats) -> bool {
    let written = stats.indexed + stats.removed;
    written > 0 && written * 4 >= stats.indexed + stats.unchanged
}

/// A snippet with U+E000/U+E001 around matches, as escaped HTML with `<mark>`.
fn marked_html(snippet: &str) -> String {
    crate::render::escape_html(snippet)
        .replace('\u{E000}', "<mark>")
        .replace('\u{E001}', "</mark>")
}

/// The element id of the Knowledge Check's heading in the app (ui/js/views/quiz.js),
/// where a hit in a question prompt takes the learner.
pub const KNOWLEDGE_CHECK_ANCHOR: &str = "quiz-title";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::Course;

    fn write(dir: &Path, i: usize, word: &str) {
        std::fs::write(
            dir.join(format!("l{i}.md")),
            format!(
                "---\nid: l{i}\ntitle: Lesson {i}\norder: {i}\n---\nThe {word} of lesson {i}.\n"
            ),
        )
        .unwrap();
    }

    fn segments(index: &SearchIndex) -> i64 {
        index
            .conn
            .query_row("SELECT count(DISTINCT segid) FROM words_idx", [], |r| {
                r.get(0)
            })
            .unwrap()
    }

    /// An index of `n` lessons, built, then lesson 0 edited and synced again: the
    /// edit's stats and the word table's segments after it.
    fn edit_one_of(n: usize) -> (SyncStats, i64, SearchIndex) {
        let tmp = tempfile::tempdir().unwrap();
        (0..n).for_each(|i| write(tmp.path(), i, "apple"));
        let mut index = SearchIndex::in_memory().unwrap();
        index.sync(&Course::load(tmp.path())).unwrap();
        write(tmp.path(), 0, "quince");
        let stats = index.sync(&Course::load(tmp.path())).unwrap();
        let n = segments(&index);
        (stats, n, index)
    }

    #[test]
    fn a_sync_that_rewrites_a_quarter_of_the_course_leaves_each_word_table_one_segment() {
        let (stats, segments, index) = edit_one_of(4);
        assert_eq!((stats.indexed, stats.unchanged), (1, 3));
        assert_eq!(segments, 1);
        let found = index.query("quince", 5).unwrap().results;
        assert_eq!(found.len(), 1);
        assert_eq!(index.query("apple", 5).unwrap().results.len(), 3);
    }

    #[test]
    fn a_small_sync_such_as_a_saved_lesson_is_not_merged_so_a_save_stays_cheap() {
        let (stats, segments, _) = edit_one_of(8);
        assert_eq!((stats.indexed, stats.unchanged), (1, 7));
        assert!(
            segments > 1,
            "the edit's own segments beside the build's: {segments}"
        );
    }
}
