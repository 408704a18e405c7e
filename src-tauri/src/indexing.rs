//! The first index of the course opened at start, built on a thread of its own in
//! batches (`lectern::search::Batches`): searches meanwhile go to a read connection
//! beside the build (`AppState::search`) and answer from the lessons indexed so far,
//! with how far the build has come; the window is told as it grows and when it is done
//! (`search://indexing`).

use std::ops::ControlFlow;

use lectern::search::{self, Batch, Batches, Progress, Reader, SearchIndex};
use tauri::{AppHandle, Manager};

use crate::events;
use crate::state::AppState;

/// How far the first index has come, and the read connection that searches what it
/// has committed (`None`: not opened yet, or an index in memory, which has none).
pub(crate) struct Indexing {
    pub(crate) progress: Progress,
    pub(crate) reader: Option<Reader>,
}

/// Opens the search index of the course opened at start and brings it up to date on a
/// thread of its own, so that the window does not wait for it: a first index of 10,000
/// lessons takes tens of seconds (BENCHMARKS.md). The index's lock is not held
/// meanwhile; when the build is done the index takes its place, unless another course
/// was opened meanwhile (which stops the build), and is synced once more with the
/// course as it is now (changes saved during the build).
pub(crate) fn in_background(app: &AppHandle) {
    let handle = app.clone();
    let spawned = std::thread::Builder::new()
        .name("lectern-search-index".into())
        .spawn(move || build(&handle));
    if let Err(e) = spawned {
        eprintln!("lectern-app: no indexing thread ({e}); indexing now");
        build(app);
    }
}

/// The build itself (see [`in_background`]).
fn build(app: &AppHandle) {
    let state = app.state::<AppState>();
    // A snapshot, so the course is not locked while indexing.
    let snapshot = state.loaded().0.clone();
    let generation = state.generation();
    let seam = seam::Seam::from_env();
    let mut batches = Batches::new(seam.every(), |batch: &Batch<'_>| {
        if state.generation() != generation {
            return ControlFlow::Break(());
        }
        state.indexing_report(batch, generation);
        if let Err(e) = events::search_indexing(app, batch.progress, false) {
            eprintln!("lectern-app: {e:?}");
        }
        seam.hold(batch.progress);
        ControlFlow::Continue(())
    });
    let path = search::index_path(snapshot.course.root());
    let options = search::CacheOptions::default();
    let index = match SearchIndex::open_in_batches(&path, &snapshot, options, &mut batches) {
        Ok(opened) => {
            if let search::Cache::Memory(why) = &opened.cache {
                eprintln!("lectern-app: search cache not used ({why}): searching from memory this session");
            }
            Some(opened.index)
        }
        Err(search::SearchError::Stopped) => return,
        Err(e) => {
            eprintln!("lectern-app: {e}");
            None
        }
    };
    drop(batches);
    let total = snapshot.course.lessons().len();
    if state.indexing_done(index, generation) {
        let done = Progress { done: total, total };
        if let Err(e) = events::search_indexing(app, done, true) {
            eprintln!("lectern-app: {e:?}");
        }
    }
}

/// The test seam of the end-to-end tests (debug builds only; a release build reads no
/// such variable): `LECTERN_TEST_INDEX_BATCH=N` makes the first index's batches `N`
/// lessons, and `LECTERN_TEST_INDEX_HOLD=FILE` holds the build after its first batch
/// until `FILE` exists, so a test sees the palette while indexing however fast the
/// machine is (`tests/e2e/search.rs`).
mod seam {
    use lectern::search::{Batches, Progress};

    #[derive(Default)]
    pub(super) struct Seam {
        every: Option<usize>,
        hold: Option<std::path::PathBuf>,
    }

    /// The batch size.
    #[cfg(debug_assertions)]
    const BATCH_ENV: &str = "LECTERN_TEST_INDEX_BATCH";
    /// The file whose existence lets the build go on after its first batch.
    #[cfg(debug_assertions)]
    const HOLD_ENV: &str = "LECTERN_TEST_INDEX_HOLD";

    impl Seam {
        #[cfg(debug_assertions)]
        pub(super) fn from_env() -> Seam {
            Seam {
                every: std::env::var(BATCH_ENV).ok().and_then(|v| v.parse().ok()),
                hold: std::env::var_os(HOLD_ENV).map(std::path::PathBuf::from),
            }
        }

        #[cfg(not(debug_assertions))]
        pub(super) fn from_env() -> Seam {
            Seam::default()
        }

        /// Lessons per batch.
        pub(super) fn every(&self) -> usize {
            self.every.unwrap_or(Batches::EVERY)
        }

        /// After the first batch (and before the last), waits until the hold file
        /// exists (polled; at most ten minutes, so a forgotten test ends).
        pub(super) fn hold(&self, progress: Progress) {
            let Some(file) = &self.hold else { return };
            if progress.done == 0 || progress.done >= progress.total {
                return;
            }
            let poll = std::time::Duration::from_millis(50);
            for _ in 0..12_000 {
                if file.exists() {
                    return;
                }
                std::thread::sleep(poll);
            }
        }
    }
}
