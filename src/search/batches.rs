//! A sync in batches, so that a first index of a big course can be searched while it is
//! built, and survives being stopped.
//!
//! The course's lessons are taken [`Batches::every`] at a time, in course order; each
//! batch is one transaction (`build::Pipeline::write` of those lessons, committed; one
//! pipeline makes the lessons ready across all of them), then the caller's report is
//! called with the [`Progress`] so far. A build killed midway keeps
//! the batches committed: their `docs` rows carry the lessons' hashes, so the next sync
//! finds them current and goes on from there. Lessons gone from the course are dropped,
//! and the word tables merged (FTS5's `optimize`, see `merges_segments`), in a last
//! transaction of their own.
//!
//! Between batches another connection to the same cache file (a [`Reader`], from
//! [`Batch::reader`]) sees the lessons committed so far: the file is in WAL mode, so a
//! reader never waits for the writer nor sees half a batch. An index in memory has no
//! second connection: its [`Batch::reader`] is `None`, and whoever searches meanwhile
//! answers nothing yet (the app says it is indexing).

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use serde::Serialize;

use super::{build, cache, forgive, warm, NoteText, Results, SearchError, SearchIndex, SyncStats};
use crate::course::Loaded;

/// How far a sync has come: `done` of the course's `total` lessons are current in the
/// index (committed). Counts only grow during a sync, and end at `total`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Lessons current in the index.
    pub done: usize,
    /// Lessons in the course.
    pub total: usize,
}

/// What a report sees after each committed batch (and once before the first).
pub struct Batch<'a> {
    /// How far the sync has come.
    pub progress: Progress,
    /// The cache file being written, if any.
    file: Option<&'a cache::Held>,
    /// The course's language tag, for a reader's stemmer.
    tag: Option<&'a str>,
}

impl Batch<'_> {
    /// A second, read-only connection to the cache file being written, which sees
    /// every batch committed when it reads (this one and later ones); `None` for an
    /// index in memory. It holds the cache's open lock for as long as it lives, so no
    /// other process deletes the file under it.
    pub fn reader(&self) -> Result<Option<Reader>, SearchError> {
        let Some(held) = self.file else {
            return Ok(None);
        };
        let conn = open_reader(held.path())?;
        Ok(Some(Reader {
            index: SearchIndex {
                conn,
                language: forgive::Language::from_tag(self.tag),
                file: Some(held.again()?),
            },
        }))
    }
}

/// A sync's report: told each [`Batch`], answers whether to go on.
type Report<'r> = dyn FnMut(&Batch<'_>) -> ControlFlow<()> + 'r;

/// How a sync commits and reports: every `every` lessons a transaction, then `report`,
/// which answers whether to go on ([`ControlFlow::Break`]: stop, the sync returns
/// [`SearchError::Stopped`] with the batches so far committed).
pub struct Batches<'r> {
    every: usize,
    report: Box<Report<'r>>,
    stopped: bool,
}

impl<'r> Batches<'r> {
    /// Lessons per transaction by default: at 10,000 lessons (about 20 s to build) a
    /// batch is about a second of work, so a search during the build sees it grow,
    /// and a commit (a WAL append, no sync: `synchronous = NORMAL`) costs little.
    pub const EVERY: usize = 500;

    /// Batches of `every` lessons (at least one), `report` called after each.
    pub fn new(every: usize, report: impl FnMut(&Batch<'_>) -> ControlFlow<()> + 'r) -> Self {
        Batches {
            every: every.max(1),
            report: Box::new(report),
            stopped: false,
        }
    }

    /// Whether the report stopped a sync.
    pub(super) fn stopped(&self) -> bool {
        self.stopped
    }

    /// Batches of [`Batches::EVERY`] lessons that report to nobody.
    pub fn quiet() -> Batches<'static> {
        Batches::new(Self::EVERY, |_| ControlFlow::Continue(()))
    }
}

/// A read-only view of an index being built (see [`Batch::reader`]): it answers
/// queries from the lessons committed when it is asked.
pub struct Reader {
    index: SearchIndex,
}

impl Reader {
    /// [`SearchIndex::query_with`] on what is committed so far.
    pub fn query_with(
        &self,
        query: &str,
        limit: usize,
        notes: &[NoteText],
    ) -> Result<Results, SearchError> {
        self.index.query_with(query, limit, notes)
    }
}

/// Opens the cache file read-only beside its writer: through `dbfile`'s check, the
/// `unpack` function registered, another process's write waited for.
fn open_reader(path: &Path) -> Result<Connection, SearchError> {
    crate::dbfile::inspect(path).map_err(|e| SearchError::Io(std::io::Error::other(e)))?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    build::register(&conn)?;
    Ok(conn)
}

impl SearchIndex {
    /// [`SearchIndex::sync`] in batches: each committed on its own and reported to
    /// `batches` (see the module docs). A cache found damaged is built again as `sync`
    /// does (that rebuild reports to nobody).
    pub fn sync_in_batches(
        &mut self,
        loaded: &Loaded,
        batches: &mut Batches<'_>,
    ) -> Result<SyncStats, SearchError> {
        match self.sync_once(loaded, batches) {
            Err(e) if e.is_damage() => self.repair(loaded),
            other => other,
        }
    }

    /// The sync itself: the batches, then the lessons gone and the merge.
    pub(super) fn sync_once(
        &mut self,
        loaded: &Loaded,
        batches: &mut Batches<'_>,
    ) -> Result<SyncStats, SearchError> {
        let tag = loaded.course.language();
        self.language = forgive::Language::from_tag(tag);
        // Before `known` is read: a commit by any other connection from here on moves it,
        // and the stored load is then not this sync's to claim (see `finish`).
        let version = data_version(&self.conn)?;
        let known: HashMap<String, String> = {
            let mut stmt = self.conn.prepare("SELECT lesson, hash FROM docs")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let lessons = loaded.course.lessons();
        let mut progress = Progress {
            done: 0,
            total: lessons.len(),
        };
        let mut stats = SyncStats::default();
        let every = batches.every;
        let mut report = |progress: Progress, file: Option<&cache::Held>| {
            let batch = Batch {
                progress,
                file,
                tag,
            };
            match (batches.report)(&batch) {
                ControlFlow::Continue(()) => Ok(()),
                ControlFlow::Break(()) => {
                    batches.stopped = true;
                    Err(SearchError::Stopped)
                }
            }
        };
        let ids: HashSet<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
        let gone: HashMap<String, String> = known
            .iter()
            .filter(|(id, _)| !ids.contains(id.as_str()))
            .map(|(id, hash)| (id.clone(), hash.clone()))
            .collect();
        let plan = build::Plan::new(lessons, &known, gone.len());
        report(progress, self.file.as_ref())?;
        let (conn, file) = (&mut self.conn, self.file.as_ref());
        std::thread::scope(|scope| -> Result<(), SearchError> {
            let mut pipeline = build::Pipeline::start(scope, &plan);
            for chunk in lessons.chunks(every) {
                let tx = conn.transaction()?;
                let done = pipeline.write(&tx, chunk.len())?;
                // The stored load stops holding with the first lesson written: a sync
                // stopped midway leaves none, so a search loads until one completes.
                if done.indexed > 0 && stats.indexed == 0 {
                    warm::forget(&tx)?;
                }
                tx.commit()?;
                stats.indexed += done.indexed;
                stats.unchanged += done.unchanged;
                progress.done += chunk.len();
                report(progress, file)?;
            }
            pipeline.finish();
            Ok(())
        })?;
        self.finish(loaded, gone, stats, version)
    }

    /// The sync's last transaction: the lessons gone dropped, the word tables merged
    /// after a big write, and the load stored as the one the index answers for (its
    /// stamp, see `warm.rs`) — only when no other connection committed since the sync
    /// read the index (`PRAGMA data_version`, read in this transaction, which holds the
    /// write lock from its start when it writes): else the index may hold another
    /// load's lessons, and the stored load is forgotten. A sync that wrote nothing and
    /// writes nothing here stays one that needs no write lock (`store_unless_busy`).
    fn finish(
        &mut self,
        loaded: &Loaded,
        gone: HashMap<String, String>,
        mut stats: SyncStats,
        version: i64,
    ) -> Result<SyncStats, SearchError> {
        let writes = stats.indexed > 0 || !gone.is_empty();
        let tx = if writes {
            self.conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?
        } else {
            self.conn.transaction()?
        };
        let others_wrote = data_version(&tx)? != version;
        stats.removed = build::drop_lessons(&tx, gone.keys())?;
        if super::merges_segments(&stats) {
            tx.execute_batch(
                "INSERT INTO words(words) VALUES ('optimize');
                 INSERT INTO heads(heads) VALUES ('optimize');
                 INSERT INTO pairs(pairs) VALUES ('optimize');",
            )?;
        }
        match (others_wrote, writes) {
            (true, true) => warm::forget(&tx)?,
            (true, false) => {} // nothing written: the index is another's to claim
            (false, true) => warm::store(&tx, loaded)?,
            (false, false) => warm::store_unless_busy(&tx, loaded)?,
        }
        tx.commit()?;
        Ok(stats)
    }
}

/// SQLite's `data_version` of `conn`: moves when another connection commits.
fn data_version(conn: &Connection) -> Result<i64, SearchError> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::Course;
    use crate::search::CacheOptions;
    use std::path::PathBuf;

    /// Seven lessons, each with one word no other has (nor one near it).
    const WORDS: [&str; 7] = [
        "apple", "zebra", "quartz", "violin", "meadow", "copper", "lantern",
    ];

    fn course() -> (tempfile::TempDir, Loaded) {
        let tmp = tempfile::tempdir().unwrap();
        for (i, word) in WORDS.iter().enumerate() {
            let text =
                format!("---\nid: l{i}\ntitle: Lesson {i}\norder: {i}\n---\nThe {word} here.\n");
            std::fs::write(tmp.path().join(format!("l{i}.md")), text).unwrap();
        }
        let loaded = Course::load(tmp.path());
        (tmp, loaded)
    }

    /// Builds the cache at `path` in batches of 3 and stops it after the first.
    fn stop_after_first_batch(path: &Path, loaded: &Loaded) {
        let mut stop = Batches::new(3, |b| {
            if b.progress.done >= 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        let stopped =
            SearchIndex::open_in_batches(path, loaded, CacheOptions::default(), &mut stop);
        assert!(matches!(stopped, Err(SearchError::Stopped)));
    }

    fn lessons_found(results: &Results) -> Vec<String> {
        results.results.iter().map(|h| h.lesson.clone()).collect()
    }

    #[test]
    fn a_sync_in_batches_reports_growing_counts_that_end_at_the_course_size() {
        let (_tmp, loaded) = course();
        let mut seen = Vec::new();
        let mut index = SearchIndex::in_memory().unwrap();
        let mut batches = Batches::new(3, |b| {
            seen.push(b.progress);
            ControlFlow::Continue(())
        });
        let stats = index.sync_in_batches(&loaded, &mut batches).unwrap();
        drop(batches);
        let done: Vec<usize> = seen.iter().map(|p| p.done).collect();
        assert_eq!(done, [0, 3, 6, 7]);
        assert!(seen.iter().all(|p| p.total == 7));
        assert_eq!(stats.indexed, 7);
    }

    #[test]
    fn a_reader_between_batches_finds_the_lessons_committed_and_none_of_the_later_ones() {
        let (tmp, loaded) = course();
        let path = tmp.path().join("cache").join("index.sqlite");
        let mut reader: Option<Reader> = None;
        let mut checked = 0;
        let mut batches = Batches::new(3, |b| {
            if reader.is_none() {
                reader = b.reader().unwrap();
            }
            let Some(r) = reader.as_ref() else {
                panic!("a cache file has a reader");
            };
            for (i, word) in WORDS.iter().enumerate() {
                let found = lessons_found(&r.query_with(word, 10, &[]).unwrap());
                let id = format!("l{i}");
                assert_eq!(
                    found.contains(&id),
                    i < b.progress.done,
                    "{word} after {} lessons: {found:?}",
                    b.progress.done
                );
                checked += 1;
            }
            ControlFlow::Continue(())
        });
        let opened =
            SearchIndex::open_in_batches(&path, &loaded, CacheOptions::default(), &mut batches)
                .unwrap();
        drop(batches);
        assert_eq!(opened.cache, crate::search::Cache::Built);
        assert_eq!(
            checked,
            4 * WORDS.len(),
            "asked before and after each batch"
        );
    }

    #[test]
    fn a_build_stopped_after_its_first_batch_goes_on_from_there_and_ends_as_a_build_in_one_go() {
        let (tmp, loaded) = course();
        let whole = tmp.path().join("whole.sqlite");
        let resumed = tmp.path().join("resumed.sqlite");
        let one_go = SearchIndex::open(&whole, &loaded).unwrap().index;
        stop_after_first_batch(&resumed, &loaded);
        let again = SearchIndex::open(&resumed, &loaded).unwrap();
        assert_eq!(again.cache, crate::search::Cache::Reused);
        assert_eq!((again.stats.unchanged, again.stats.indexed), (3, 4));
        for query in WORDS
            .iter()
            .copied()
            .chain(["lesson", "the", "zebr", "quarts"])
        {
            let (a, b) = (
                one_go.query(query, 10).unwrap(),
                again.index.query(query, 10).unwrap(),
            );
            assert_eq!(a.results, b.results, "{query}");
            assert_eq!((a.matched, a.suggestions), (b.matched, b.suggestions));
        }
        assert_eq!(
            lessons_found(&again.index.query("lesson", 10).unwrap()).len(),
            7
        );
    }

    /// Every word's lessons (as a set) and the vocabulary of `index`: what two indexes of one
    /// course must agree on.
    fn answers(index: &SearchIndex) -> (Vec<Vec<String>>, Vec<String>) {
        let found = WORDS
            .iter()
            .chain(&["lesson", "edited", "added", "zebr", "quarts"])
            .map(|w| {
                // As a set: lessons that rank the same come in the order they were
                // written, which differs between an edit and a fresh build.
                let mut found = lessons_found(&index.query(w, 10).unwrap());
                found.sort();
                found
            })
            .collect();
        let mut stmt = index.conn.prepare("SELECT term FROM vocab").unwrap();
        let vocab = stmt.query_map([], |r| r.get(0)).unwrap();
        (found, vocab.collect::<Result<_, _>>().unwrap())
    }

    #[test]
    fn a_sync_whose_changes_fall_in_different_transactions_ends_as_a_build_of_the_new_course() {
        let (tmp, loaded) = course();
        let mut index = SearchIndex::in_memory().unwrap();
        index.sync(&loaded).unwrap();
        for (i, word) in [(1, "edited"), (4, "edited"), (6, "edited"), (7, "added")] {
            let text =
                format!("---\nid: l{i}\ntitle: Lesson {i}\norder: {i}\n---\nThe {word} {i}.\n");
            std::fs::write(tmp.path().join(format!("l{i}.md")), text).unwrap();
        }
        std::fs::remove_file(tmp.path().join("l2.md")).unwrap();
        let edited = Course::load(tmp.path());
        let mut done = Vec::new();
        let mut batches = Batches::new(2, |b| {
            done.push(b.progress.done);
            ControlFlow::Continue(())
        });
        let stats = index.sync_in_batches(&edited, &mut batches).unwrap();
        drop(batches);
        assert_eq!(done, [0, 2, 4, 6, 7]);
        assert_eq!((stats.indexed, stats.removed, stats.unchanged), (4, 1, 3));
        let mut fresh = SearchIndex::in_memory().unwrap();
        fresh.sync(&edited).unwrap();
        let (after, built) = (answers(&index), answers(&fresh));
        assert_eq!(after.0, built.0);
        assert!(
            after.0[0].contains(&"l0".to_owned()) && after.0[1].is_empty(),
            "{after:?}"
        );
        // The old words stay in the vocabulary (never taken out); the new are all there.
        assert!(built.1.iter().all(|w| after.1.contains(w)), "{after:?}");
    }

    #[test]
    fn an_index_in_memory_has_no_reader_beside_it() {
        let (_tmp, loaded) = course();
        let mut readers = Vec::new();
        let mut batches = Batches::new(3, |b| {
            readers.push(b.reader().unwrap().is_none());
            ControlFlow::Continue(())
        });
        SearchIndex::in_memory()
            .unwrap()
            .sync_in_batches(&loaded, &mut batches)
            .unwrap();
        drop(batches);
        assert_eq!(readers, [true; 4]);
    }

    #[test]
    fn another_opener_during_a_build_in_batches_follows_the_build_lock_and_searches_from_memory_instead(
    ) {
        let (tmp, loaded) = course();
        let path = tmp.path().join("cache").join("index.sqlite");
        let mut other = None;
        let mut batches = Batches::new(3, |b| {
            if b.progress.done == 3 {
                let wait = CacheOptions {
                    wait: std::time::Duration::from_millis(100),
                };
                other = Some(SearchIndex::open_with(&path, &loaded, wait).unwrap().cache);
            }
            ControlFlow::Continue(())
        });
        SearchIndex::open_in_batches(&path, &loaded, CacheOptions::default(), &mut batches)
            .unwrap();
        drop(batches);
        let Some(crate::search::Cache::Memory(why)) = other else {
            panic!("the other opener used the cache mid-build: {other:?}");
        };
        assert!(why.contains("still building"), "{why}");
    }

    /// How many loads the cache at `path` holds (0 or 1): whether it answers for one.
    fn stored_loads(path: &Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM loaded", [], |r| r.get(0))
            .unwrap()
    }

    /// A course built into a cache at `<tmp>/cache/index.sqlite` from a stamped load (so
    /// the cache answers for it), then lesson 0 and lesson 6 edited.
    fn built_then_edited() -> (tempfile::TempDir, PathBuf, Loaded) {
        let (tmp, _) = course();
        let path = tmp.path().join("cache").join("index.sqlite");
        let stamped = Course::load_stamped(tmp.path(), 0);
        SearchIndex::open(&path, &stamped).unwrap();
        assert_eq!(stored_loads(&path), 1, "a whole sync stores its load");
        for i in [0, 6] {
            let text = format!("---\nid: l{i}\ntitle: Lesson {i}\norder: {i}\n---\nEdited.\n");
            std::fs::write(tmp.path().join(format!("l{i}.md")), text).unwrap();
        }
        let loaded = Course::load_stamped(tmp.path(), 0);
        (tmp, path, loaded)
    }

    #[test]
    fn a_sync_stopped_after_writing_a_batch_leaves_the_cache_answering_for_no_load() {
        let (_tmp, path, loaded) = built_then_edited();
        stop_after_first_batch(&path, &loaded);
        assert_eq!(stored_loads(&path), 0, "lesson 0 is new, lesson 6 not yet");
        SearchIndex::open(&path, &loaded).unwrap();
        assert_eq!(stored_loads(&path), 1, "the sync that completes stores it");
    }

    #[test]
    fn a_sync_during_which_another_connection_commits_stores_no_load() {
        let (_tmp, path, loaded) = built_then_edited();
        let mut other_commits = Batches::new(3, |b| {
            if b.progress.done == 3 {
                Connection::open(&path)
                    .unwrap()
                    .execute("INSERT OR IGNORE INTO vocab (term) VALUES ('zzz')", [])
                    .unwrap();
            }
            ControlFlow::Continue(())
        });
        SearchIndex::open_in_batches(&path, &loaded, CacheOptions::default(), &mut other_commits)
            .unwrap();
        assert_eq!(
            stored_loads(&path),
            0,
            "the index may hold another's lessons"
        );
        let again = SearchIndex::open(&path, &loaded).unwrap();
        assert_eq!(again.stats.indexed, 0, "nothing left to index");
        assert_eq!(stored_loads(&path), 1, "a quiet sync stores it again");
    }
}
