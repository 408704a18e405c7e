//! Full-text search across a course: SQLite FTS5, offline, in any language.
//!
//! Front door: [`SearchIndex::open`] (a cache file per course, see [`index_path`],
//! opened up to date with a loaded course; shared safely between processes, see
//! `cache.rs`) or [`SearchIndex::in_memory`], [`SearchIndex::sync`] to bring it up to
//! date again (only lessons whose content hash changed are indexed again), and
//! [`SearchIndex::search`] ([`SearchIndex::query`] plus the rebuild of a damaged cache).
//!
//! Each lesson is cut into sections at its headings; a section row holds the lesson
//! title, the heading, its prose, its code, and (for the Knowledge Check) the question
//! prompts — never options or explanations, so a snippet cannot give an answer away.
//! The FTS5 table `words` indexes the rows with the `unicode61` tokenizer, diacritics
//! removed (`naïve` finds `naive`), for words and prefixes; a substring (`ubword`,
//! `elf.voc`) is looked up in the vocabulary, as the indexed words that hold it (see
//! `query.rs`), so no trigram index of the text is kept. A second, `pairs`, holds only
//! the Chinese, Japanese and Korean text of a row, as overlapping pairs of characters:
//! those scripts put no space between words, and most of their words are two
//! characters long (`词元`). Beside them: `heads`, the title and heading of each row alone (so the
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

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use rusqlite::{params, Connection};
use serde::Serialize;

use crate::course::Loaded;
use crate::lesson::Lesson;
use crate::text::Fnv1a;

mod cache;
mod forgive;
mod learner;
mod plain;
mod query;
mod terms;

pub use cache::{Cache, CacheOptions, Opened};
pub use learner::NoteText;

use forgive::compound_forms;
use terms::{cjk_pairs, tokens};

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
}

impl SearchError {
    /// Whether the index file is damaged or not an index of this Lectern, so that
    /// building it again is the cure: SQLite's corrupt (FTS5's "missing row" is one) or
    /// not-a-database, or another schema. Busy and locked are not damage: another
    /// process is using the file, and it must never be deleted for that.
    pub fn is_damage(&self) -> bool {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match self {
            SearchError::Sqlite(e) => {
                matches!(e.sqlite_error_code(), Some(DatabaseCorrupt | NotADatabase))
                    || e.to_string().contains("malformed")
            }
            SearchError::Io(_) => false,
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

const SCHEMA_VERSION: i64 = 8;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS docs (lesson TEXT PRIMARY KEY, hash TEXT NOT NULL, title TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, lesson TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS rows_by_lesson ON rows (lesson);
    CREATE TABLE IF NOT EXISTS vocab (term TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS compounds (form TEXT, words TEXT, PRIMARY KEY (form, words)) WITHOUT ROWID;
    CREATE VIRTUAL TABLE IF NOT EXISTS heads USING fts5(
        title, heading, tokenize = 'unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(
        lesson UNINDEXED, anchor UNINDEXED, heading_text UNINDEXED,
        title, heading, body, code, prompts,
        tokenize = 'unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE IF NOT EXISTS pairs USING fts5(
        title, heading, body, code, prompts, tokenize = 'unicode61');
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
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
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
    /// as it is — a warm start with nothing changed writes nothing. A cache found
    /// damaged is built again (or replaced by an index in memory), never an error.
    pub fn sync(&mut self, loaded: &Loaded) -> Result<SyncStats, SearchError> {
        match self.sync_once(loaded) {
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

    /// [`SearchIndex::sync`] without the repair.
    fn sync_once(&mut self, loaded: &Loaded) -> Result<SyncStats, SearchError> {
        self.language = forgive::Language::from_tag(loaded.course.language());
        let known: HashMap<String, String> = {
            let mut stmt = self.conn.prepare("SELECT lesson, hash FROM docs")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut stats = SyncStats::default();
        let tx = self.conn.transaction()?;
        for lesson in loaded.course.lessons() {
            let hash = content_hash(lesson);
            if known.get(&lesson.id) == Some(&hash) {
                stats.unchanged += 1;
                continue;
            }
            index_lesson(&tx, lesson, &hash)?;
            stats.indexed += 1;
        }
        for id in known.keys() {
            if loaded.course.lesson(id).is_none() {
                delete_lesson(&tx, id)?;
                stats.removed += 1;
            }
        }
        if merges_segments(&stats) {
            tx.execute_batch(
                "INSERT INTO words(words) VALUES ('optimize');
                 INSERT INTO heads(heads) VALUES ('optimize');
                 INSERT INTO pairs(pairs) VALUES ('optimize');",
            )?;
        }
        tx.commit()?;
        Ok(stats)
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

fn content_hash(lesson: &Lesson) -> String {
    format!(
        "{:016x}",
        Fnv1a::default()
            .write(lesson.path.to_string_lossy().as_bytes())
            .write(&[0])
            .write(lesson.text.as_bytes())
            .finish()
    )
}

/// Drops a lesson's rows. The full-text tables are reached by rowid (their own columns
/// are not indexed for lookups: filtering on `lesson` would scan the whole table, and a
/// sync of n lessons would cost n²).
fn delete_lesson(tx: &rusqlite::Transaction<'_>, id: &str) -> Result<(), SearchError> {
    tx.execute("DELETE FROM docs WHERE lesson = ?1", [id])?;
    for table in ["words", "heads", "pairs"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE rowid IN (SELECT id FROM rows WHERE lesson = ?1)"),
            [id],
        )?;
    }
    tx.execute("DELETE FROM rows WHERE lesson = ?1", [id])?;
    Ok(())
}

fn index_lesson(
    tx: &rusqlite::Transaction<'_>,
    lesson: &Lesson,
    hash: &str,
) -> Result<(), SearchError> {
    delete_lesson(tx, &lesson.id)?;
    tx.execute(
        "INSERT INTO docs (lesson, hash, title) VALUES (?1, ?2, ?3)",
        params![lesson.id, hash, lesson.title],
    )?;
    let prompts: Vec<String> = crate::quiz::parse(lesson)
        .0
        .questions
        .into_iter()
        .map(|q| plain::markdown_text(&q.shown_prompt()))
        .collect();
    let mut sections = sections(lesson);
    if !prompts.is_empty() {
        sections.push(Section {
            anchor: KNOWLEDGE_CHECK_ANCHOR.to_owned(),
            heading: "Knowledge Check".to_owned(),
            prompts: prompts.join("\n"),
            ..Section::default()
        });
    }
    let mut vocab = std::collections::HashSet::new();
    let mut compounds = std::collections::HashSet::new();
    for s in &sections {
        for text in [&lesson.title, &s.heading, &s.body, &s.code, &s.prompts] {
            vocab.extend(tokens(text));
            compounds.extend(compound_forms(text));
        }
        tx.execute("INSERT INTO rows (lesson) VALUES (?1)", [&lesson.id])?;
        let rowid = tx.last_insert_rowid();
        let heading_text = if s.heading.is_empty() {
            &lesson.title
        } else {
            &s.heading
        };
        let mut stmt = tx.prepare_cached(
            "INSERT INTO words (rowid, lesson, anchor, heading_text, title, heading, body, code, prompts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        stmt.execute(params![
            rowid,
            lesson.id,
            s.anchor,
            heading_text,
            lesson.title,
            s.heading,
            s.body,
            s.code,
            s.prompts
        ])?;
        tx.prepare_cached("INSERT INTO heads (rowid, title, heading) VALUES (?1, ?2, ?3)")?
            .execute(params![rowid, lesson.title, s.heading])?;
        let pairs = [&lesson.title, &s.heading, &s.body, &s.code, &s.prompts].map(|t| cjk_pairs(t));
        if pairs.iter().any(|p| !p.is_empty()) {
            tx.prepare_cached(
                "INSERT INTO pairs (rowid, title, heading, body, code, prompts)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                rowid, pairs[0], pairs[1], pairs[2], pairs[3], pairs[4]
            ])?;
        }
    }
    // Words are never taken out of the vocabulary: one no lesson has any more only
    // costs a lookup that finds nothing.
    let mut add = tx.prepare_cached("INSERT OR IGNORE INTO vocab (term) VALUES (?1)")?;
    for word in vocab {
        add.execute([word])?;
    }
    let mut add =
        tx.prepare_cached("INSERT OR IGNORE INTO compounds (form, words) VALUES (?1, ?2)")?;
    for (form, words) in compounds {
        add.execute([form, words])?;
    }
    Ok(())
}

/// The element id of the Knowledge Check's heading in the app (ui/js/views/quiz.js),
/// where a hit in a question prompt takes the learner.
pub const KNOWLEDGE_CHECK_ANCHOR: &str = "quiz-title";

/// A part of a lesson between headings, as plain text.
#[derive(Default)]
struct Section {
    anchor: String,
    heading: String,
    body: String,
    code: String,
    prompts: String,
}

/// The lesson's body cut at its headings (the Knowledge Check left out), as plain text:
/// prose and code apart, markup gone.
fn sections(lesson: &Lesson) -> Vec<Section> {
    let body = lesson.body();
    let headings = crate::render::headings(body);
    let skip = crate::render::knowledge_check_spans(body);
    let mut out = vec![Section::default()];
    let mut next = headings.iter().peekable();
    let (mut in_code, mut in_heading, mut in_quiz) = (false, false, false);
    for (event, range) in Parser::new_ext(body, crate::render::parser_options()).into_offset_iter()
    {
        if skip.iter().any(|s| s.contains(&range.start)) {
            continue;
        }
        if let Some(h) = next.peek() {
            if range.start >= h.offset {
                out.push(Section {
                    anchor: h.id.clone(),
                    heading: h.text.clone(),
                    ..Section::default()
                });
                next.next();
            }
        }
        let Some(current) = out.last_mut() else {
            continue;
        };
        let is_math = matches!(event, Event::InlineMath(_) | Event::DisplayMath(_));
        match event {
            // A `{{#quiz}}` file holds its answers: its prompts are indexed with the
            // quiz's (`index_lesson`), the file itself never.
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if crate::render::is_quiz_block(&info) =>
            {
                in_quiz = true;
            }
            Event::End(TagEnd::CodeBlock) if in_quiz => in_quiz = false,
            _ if in_quiz => {}
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                if in_heading {
                    continue;
                }
                let target = if in_code {
                    &mut current.code
                } else {
                    &mut current.body
                };
                if is_math {
                    target.push_str(&plain::tex_text(&t));
                } else {
                    target.push_str(&t);
                }
                target.push(' ');
            }
            Event::SoftBreak | Event::HardBreak => current.body.push(' '),
            _ => {}
        }
    }
    out.retain(|s| !s.body.trim().is_empty() || !s.code.trim().is_empty() || !s.heading.is_empty());
    out
}

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
