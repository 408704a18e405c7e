//! The application state: one per app, registered with Tauri's `manage`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, RwLock, RwLockReadGuard};

use lectern::course::{Course, FileChange, Loaded};
use lectern::live::{Pending, Session};
use lectern::progress::{CourseKey, Store};
use lectern::render::Renderer;
use lectern::search::{self, Batch, NoteText, Progress, Results, SearchIndex};
use serde::Serialize;

use crate::clock;
use crate::indexing::Indexing;
use crate::live::Live;

/// The open course (which knows its folder) with the progress identity fixed when it
/// was opened, the renderer that caches highlighted code, and the one progress store of
/// the process, and the live preview (the folder's watcher and the check kept current).
/// Fields are private; commands read through the getters.
///
/// The course is loaded after the window opens (`load`, on a thread of its own at
/// start): a course of 10,000 lessons takes seconds to read, and the window must not
/// wait for it to paint. Until then every reader of the course waits for it; the
/// window's first request, `boot`, waits off the main thread (BENCHMARKS.md, "Start-up
/// and memory").
pub(crate) struct AppState {
    loaded: OnceLock<RwLock<(Loaded, CourseKey)>>,
    renderer: Renderer,
    progress: Mutex<Option<Store>>,
    status: ProgressStatus,
    live: Live,
    search: Mutex<Option<SearchIndex>>,
    /// While the first index is built (from the start until it is done): how far it
    /// has come and its reader. Locked after the index, never while holding it.
    indexing: Mutex<Option<Indexing>>,
    /// Which course is open: counts the courses opened by `switch_to`, so a first
    /// index built for the course before is stopped and never stored.
    generation: AtomicU64,
}

/// What the window is told once about where progress lives and whether it is saved.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ProgressStatus {
    /// The database file.
    pub(crate) db: PathBuf,
    /// Where the backups are.
    pub(crate) backups: PathBuf,
    /// Whether progress is saved in this session.
    pub(crate) saving: bool,
    /// Said once at start: a damaged file moved aside, a read-only or newer database.
    pub(crate) notice: Option<Notice>,
}

/// A start-up notice, `{code, message}` like every error the window sees.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Notice {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl AppState {
    /// The state over the progress store as it could be opened, before any course is
    /// loaded: readers of the course wait until [`AppState::load`] has run.
    pub(crate) fn new(store: Option<Store>, status: ProgressStatus) -> Self {
        AppState {
            loaded: OnceLock::new(),
            renderer: Renderer::default(),
            progress: Mutex::new(store),
            status,
            live: Live::default(),
            search: Mutex::new(None),
            // Until the first index is done, searches say it is being built.
            indexing: Mutex::new(Some(Indexing {
                progress: Progress::default(),
                reader: None,
            })),
            generation: AtomicU64::new(0),
        }
    }

    /// Loads the course in `root` (never fails: problems are diagnostics), lets the
    /// readers waiting for it in, and records that the course was opened. Called once;
    /// later courses come through [`AppState::switch_to`] (a second call changes
    /// nothing and says so).
    pub(crate) fn load(&self, root: &Path) {
        if self.loaded.set(RwLock::new(load(root))).is_err() {
            eprintln!("lectern-app: a course is open already; use switch_to");
            return;
        }
        self.record_opened();
    }

    /// `new` then `load`, on this thread.
    #[cfg(test)]
    pub(crate) fn open(root: &Path, store: Option<Store>, status: ProgressStatus) -> Self {
        let state = AppState::new(store, status);
        state.load(root);
        state
    }

    /// The open course's lock, once there is one (waits for `load` until then).
    fn course(&self) -> &RwLock<(Loaded, CourseKey)> {
        self.loaded.wait()
    }

    /// The course opened at start, or the one opened since (see `generation`).
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Records how far the first index of course `generation` has come (from its
    /// build's report), opening the reader beside it the first time.
    pub(crate) fn indexing_report(&self, batch: &Batch<'_>, generation: u64) {
        let mut slot = self.indexing();
        if self.generation() != generation {
            return;
        }
        let reader = match slot.take().and_then(|i| i.reader) {
            Some(reader) => Some(reader),
            None => batch
                .reader()
                .map_err(|e| eprintln!("lectern-app: no search during indexing: {e}"))
                .ok()
                .flatten(),
        };
        *slot = Some(Indexing {
            progress: batch.progress,
            reader,
        });
    }

    /// Stores the first index of course `generation`, built, unless another course was
    /// opened meanwhile; then searches go to it, and it is synced with the course as it
    /// is now. Whether it was stored.
    pub(crate) fn indexing_done(&self, index: Option<SearchIndex>, generation: u64) -> bool {
        {
            let mut slot = self.search_index();
            if self.generation() != generation {
                return false;
            }
            *slot = index;
        }
        *self.indexing() = None;
        self.sync_search();
        true
    }

    /// The first index's progress (locked alone, or after the index).
    fn indexing(&self) -> MutexGuard<'_, Option<Indexing>> {
        // Replaced whole: a panic elsewhere left a consistent value.
        self.indexing.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The lessons folder of the open course.
    pub(crate) fn root(&self) -> PathBuf {
        self.loaded().0.course.root().to_path_buf()
    }

    /// The course as last loaded, with its diagnostics, and its progress key.
    pub(crate) fn loaded(&self) -> RwLockReadGuard<'_, (Loaded, CourseKey)> {
        // The pair is replaced whole, or the course changed by `Loaded::apply`, which
        // rebuilds it before storing it: a lock poisoned by a panic elsewhere holds the
        // last consistent value.
        self.course().read().unwrap_or_else(|p| p.into_inner())
    }

    /// The renderer shared by every lesson view.
    pub(crate) fn renderer(&self) -> &Renderer {
        &self.renderer
    }

    /// The progress store's slot itself, for work that takes the lock only now and then
    /// (a parameter fit: `review::fit::optimize_shared`).
    pub(crate) fn progress_slot(&self) -> &Mutex<Option<Store>> {
        &self.progress
    }

    /// The progress store (`None` when it could not be opened: a newer Lectern's file).
    pub(crate) fn progress(&self) -> MutexGuard<'_, Option<Store>> {
        // A store's writes are transactions: a panic mid-write left nothing half-done.
        self.progress.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where progress lives and whether it is saved.
    pub(crate) fn status(&self) -> &ProgressStatus {
        &self.status
    }

    /// Re-reads the open course from disk, keeping its progress identity: a broken
    /// save of `course.yaml` never moves progress elsewhere.
    /// The folder is watched again from the fresh course.
    pub(crate) fn reload(&self) {
        self.live.stop();
        let root = {
            let mut guard = self.course().write().unwrap_or_else(|p| p.into_inner());
            guard.0 = Course::load(guard.0.course.root());
            guard.0.course.root().to_path_buf()
        };
        self.sync_search();
        self.live.start(&root);
    }

    /// Opens the course in `root` instead of the current one, and watches its folder
    /// instead. The renderer's caches are kept: they are keyed by content, so they stay
    /// correct in any course.
    pub(crate) fn switch_to(&self, root: &Path) {
        self.live.stop();
        self.generation.fetch_add(1, Ordering::SeqCst);
        let fresh = load(root);
        *self.course().write().unwrap_or_else(|p| p.into_inner()) = fresh;
        self.open_search();
        self.live.start(root);
        self.record_opened();
    }

    /// Applies changes seen on disk to the open course, in place, under the course's
    /// write lock (the live loop's first step, `Session::apply`; `live.rs` settles
    /// it). The progress key stays, as on a reload.
    pub(crate) fn apply(&self, changes: &[FileChange]) -> Pending {
        let mut guard = self.course().write().unwrap_or_else(|p| p.into_inner());
        Session::apply(&mut guard.0, changes)
    }

    /// Opens the search index of the open course (its cache file, else one in memory
    /// when the file cannot be used) and brings it up to date.
    fn open_search(&self) {
        let loaded = self.loaded();
        let index = open_index(&loaded.0);
        *self.search_index() = index;
        *self.indexing() = None;
    }

    /// Brings the search index up to date with the course (lessons whose content
    /// changed are indexed again; cheap when nothing changed).
    pub(crate) fn sync_search(&self) {
        let loaded = self.loaded();
        if let Some(index) = self.search_index().as_mut() {
            if let Err(e) = index.sync(&loaded.0) {
                eprintln!("lectern-app: {e}");
            }
        }
    }

    /// Searches the open course and the learner's highlights and notes on it: the best
    /// `limit` results for `query`, best first. While the first index is built, the
    /// lessons indexed so far answer, with `indexing` set (see `search_while_indexing`).
    /// A cache found damaged is rebuilt (or replaced by an index in memory) and asked
    /// again; the course is locked only then, before the index (the lock order).
    pub(crate) fn search(&self, query: &str, limit: usize) -> Result<Results, search::SearchError> {
        let nothing = || nothing(query);
        let notes = self.search_notes();
        if let Some(partial) = self.search_while_indexing(query, limit, &notes) {
            return Ok(partial);
        }
        let answer = self
            .search_index()
            .as_ref()
            .map(|i| i.query_with(query, limit, &notes));
        match answer {
            Some(Err(e)) if e.is_damage() => {
                let loaded = self.loaded();
                match self.search_index().as_mut() {
                    Some(index) => index.search_with(&loaded.0, query, limit, &notes),
                    None => Ok(nothing()),
                }
            }
            Some(answer) => answer,
            None => Ok(nothing()),
        }
    }

    /// While the first index is built: the results from the lessons indexed so far
    /// (none for an index in memory, which has no reader), with how far it has come.
    /// `None` once it is done.
    fn search_while_indexing(
        &self,
        query: &str,
        limit: usize,
        notes: &[NoteText],
    ) -> Option<Results> {
        let slot = self.indexing();
        let indexing = slot.as_ref()?;
        let answer = indexing
            .reader
            .as_ref()
            .map(|r| r.query_with(query, limit, notes));
        let mut results = match answer {
            Some(Ok(results)) => results,
            Some(Err(e)) => {
                eprintln!("lectern-app: search during indexing: {e}");
                nothing(query)
            }
            None => nothing(query),
        };
        results.indexing = Some(indexing.progress);
        Some(results)
    }

    /// The learner's highlights on the open course, for search (none when progress is
    /// not saved or cannot be read: search still answers from the lessons). The course
    /// and the store are let go before the index is asked.
    fn search_notes(&self) -> Vec<NoteText> {
        let loaded = self.loaded();
        let (l, key) = &*loaded;
        let texts = self
            .progress()
            .as_ref()
            .map(|store| lectern::notes::search_texts(store, key, &l.course));
        match texts {
            Some(Ok(texts)) => texts,
            Some(Err(e)) => {
                eprintln!("lectern-app: notes not searched: {e}");
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    /// The search index of the open course (`None` when none could be made).
    pub(crate) fn search_index(&self) -> MutexGuard<'_, Option<SearchIndex>> {
        // A sync is one transaction: a panic mid-sync left the index as it was.
        self.search.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The live preview of the open course.
    pub(crate) fn live(&self) -> &Live {
        &self.live
    }

    /// The course title, for the window title.
    pub(crate) fn course_title(&self) -> String {
        self.loaded().0.course.title().to_owned()
    }

    /// Records the open course for the recent list; a store that cannot save has said
    /// so once at start, so a failure here is only logged.
    fn record_opened(&self) {
        let loaded = self.loaded();
        let (l, key) = &*loaded;
        if let Some(store) = self.progress().as_mut().filter(|s| !s.is_read_only()) {
            let title = l.course.title();
            if let Err(e) = store.record_course_opened(key, title, l.course.root(), clock::now()) {
                eprintln!("lectern-app: {e}");
            }
        }
    }
}

/// An answer with no results.
fn nothing(query: &str) -> Results {
    Results {
        query: query.to_owned(),
        results: Vec::new(),
        matched: Vec::new(),
        suggestions: Vec::new(),
        indexing: None,
    }
}

/// The search index of `loaded`'s course (its cache file, else one in memory), brought
/// up to date; `None` when not even one in memory could be made.
fn open_index(loaded: &Loaded) -> Option<SearchIndex> {
    let path = search::index_path(loaded.course.root());
    let opened = SearchIndex::open(&path, loaded)
        .map_err(|e| eprintln!("lectern-app: {e}"))
        .ok()?;
    if let search::Cache::Memory(why) = &opened.cache {
        eprintln!("lectern-app: search cache not used ({why}): searching from memory this session");
    }
    Some(opened.index)
}

fn load(root: &Path) -> (Loaded, CourseKey) {
    let loaded = Course::load(root);
    let key = CourseKey::of(&loaded.course);
    (loaded, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course_in(dir: &Path, id: &str) {
        let text = format!("---\nid: {id}\ntitle: {id}\n---\n# {id}\n");
        std::fs::write(dir.join(format!("{id}.md")), text).unwrap();
    }

    fn status(db: &Path) -> ProgressStatus {
        ProgressStatus {
            db: db.to_path_buf(),
            backups: lectern::progress::backups_dir(db),
            saving: true,
            notice: None,
        }
    }

    fn open(dir: &Path, db: &Path) -> AppState {
        let store = Store::open(db).unwrap().store;
        let state = AppState::open(dir, Some(store), status(db));
        // What `indexing::in_background` does on its thread, at once.
        state.open_search();
        state
    }

    #[test]
    fn readers_of_the_course_wait_until_it_is_loaded_then_see_it() {
        let dir = tempfile::tempdir().unwrap();
        course_in(dir.path(), "late");
        let state = std::sync::Arc::new(AppState::new(None, status(&dir.path().join("p"))));
        let reader = {
            let state = state.clone();
            std::thread::spawn(move || state.loaded().0.course.lesson("late").is_some())
        };
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!reader.is_finished(), "a reader went ahead of the course");
        state.load(dir.path());
        assert!(reader.join().unwrap());
        // Loading again changes nothing: other courses come through `switch_to`.
        let other = tempfile::tempdir().unwrap();
        state.load(other.path());
        assert_eq!(state.root(), dir.path());
    }

    #[test]
    fn switching_folders_replaces_the_course_and_records_both_as_recent() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        course_in(a.path(), "first");
        course_in(b.path(), "second");
        let state = open(a.path(), &a.path().join("p.sqlite"));
        assert!(state.loaded().0.course.lesson("first").is_some());
        state.switch_to(b.path());
        assert_eq!(state.root(), b.path());
        assert!(state.loaded().0.course.lesson("first").is_none());
        assert!(state.loaded().0.course.lesson("second").is_some());
        let recent = state
            .progress()
            .as_ref()
            .unwrap()
            .recent_courses(5)
            .unwrap();
        assert_eq!(recent.len(), 2);
    }

    #[test]
    fn reload_reads_the_open_folder_again_and_keeps_the_progress_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("course.yaml"), "id: kept\n").unwrap();
        course_in(dir.path(), "first");
        let state = open(dir.path(), &dir.path().join("p.sqlite"));
        let key = state.loaded().1.clone();
        course_in(dir.path(), "added");
        // A broken save of course.yaml (no id any more) must not move the progress.
        std::fs::write(dir.path().join("course.yaml"), "title: [broken\n").unwrap();
        state.reload();
        assert_eq!(state.loaded().0.course.lessons().len(), 2);
        assert_eq!(state.loaded().1, key);
    }

    #[test]
    fn search_follows_the_course_across_a_reload() {
        let dir = tempfile::tempdir().unwrap();
        let text = "---\nid: zoo\ntitle: Zoo\n---\n# Zoo\n\n## Stripes\n\nThe zebra grazes.\n";
        std::fs::write(dir.path().join("zoo.md"), text).unwrap();
        let state = open(dir.path(), &dir.path().join("p.sqlite"));
        let hits = state.search("zebra", 10).unwrap().results;
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].lesson.as_str(), hits[0].heading.as_str()),
            ("zoo", "Stripes")
        );
        std::fs::write(dir.path().join("zoo.md"), text.replace("zebra", "okapi")).unwrap();
        state.reload();
        assert!(state.search("zebra", 10).unwrap().results.is_empty());
        assert_eq!(state.search("okapi", 10).unwrap().results.len(), 1);
    }

    /// Lessons `a`, `b`, `c`, each with its own word.
    fn three_lessons(dir: &Path) {
        for (id, word) in [("a", "zebra"), ("b", "okapi"), ("c", "quartz")] {
            let text = format!("---\nid: {id}\ntitle: {id}\norder: 1\n---\nThe {word}.\n");
            std::fs::write(dir.join(format!("{id}.md")), text).unwrap();
        }
    }

    #[test]
    fn a_search_during_the_first_index_answers_from_the_batches_committed_and_says_how_far() {
        use lectern::search::{Batches, CacheOptions};
        use std::ops::ControlFlow;
        let dir = tempfile::tempdir().unwrap();
        three_lessons(dir.path());
        let state = AppState::open(dir.path(), None, status(&dir.path().join("p")));
        let before = state.search("zebra", 10).unwrap();
        assert!(before.results.is_empty());
        assert_eq!(before.indexing, Some(Progress::default()));
        let loaded = state.loaded().0.clone();
        let mut seen = Vec::new();
        let mut batches = Batches::new(2, |batch| {
            state.indexing_report(batch, state.generation());
            let answer = |q: &str| state.search(q, 10).unwrap();
            let (zebra, quartz) = (answer("zebra"), answer("quartz"));
            seen.push((
                zebra.indexing.map(|p| (p.done, p.total)),
                zebra.results.len(),
                quartz.results.len(),
            ));
            ControlFlow::Continue(())
        });
        let path = dir.path().join("cache").join("index.sqlite");
        let opened =
            SearchIndex::open_in_batches(&path, &loaded, CacheOptions::default(), &mut batches)
                .unwrap();
        drop(batches);
        // Lessons in course order a, b | c: zebra is in the first batch, quartz the last.
        assert_eq!(
            seen,
            [
                (Some((0, 3)), 0, 0),
                (Some((2, 3)), 1, 0),
                (Some((3, 3)), 1, 1)
            ]
        );
        assert!(state.indexing_done(Some(opened.index), state.generation()));
        let after = state.search("quartz", 10).unwrap();
        assert_eq!((after.indexing, after.results.len()), (None, 1));
    }

    #[test]
    fn a_first_index_finished_after_another_course_was_opened_is_not_stored() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        three_lessons(a.path());
        course_in(b.path(), "second");
        let state = AppState::open(a.path(), None, status(&a.path().join("p")));
        let started = state.generation();
        let stale = SearchIndex::open(&a.path().join("i.sqlite"), &state.loaded().0)
            .unwrap()
            .index;
        state.switch_to(b.path());
        assert!(!state.indexing_done(Some(stale), started));
        assert!(state.search("zebra", 10).unwrap().results.is_empty());
        assert_eq!(state.search("second", 10).unwrap().results.len(), 1);
    }
}
