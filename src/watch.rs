//! Watching the lessons folder: file system events turned into course changes.
//!
//! Front door: [`watch`] starts a watcher (notify, debounced by notify-debouncer-full)
//! on the folder, recursively, and calls back with a closed set of [`Event`]s: batches
//! of [`FileChange`]s (one batch per burst of writes) and [`Status`] reports. It is
//! plain Rust with a callback, so it is tested without a window.
//!
//! - **Atomic saves** (write a temp file, rename it over the lesson, as vim, VS Code,
//!   JetBrains and `sed -i` do) arrive as one change of the lesson: every path an event
//!   names is classified by what is on disk once the burst is over.
//! - **Every file the course may depend on** is reported: Markdown files
//!   ([`FileChange::Lesson`]), `course.yaml`, and any other file
//!   ([`FileChange::File`]: a listing a chapter includes, `book.toml`); what a change
//!   means is `Loaded::apply`'s to decide (a file no lesson includes changes nothing).
//!   Images and folders created, removed or renamed are a [`FileChange::Rescan`].
//! - **Noise** is ignored: hidden files and folders (`.git/`), `node_modules`, editor
//!   swap and backup files, and build output (`target/` beside a `Cargo.toml`, a
//!   book's `book/` beside its `book.toml`: `cargo build` in a listing's folder or
//!   `mdbook build` is no change to the course). The search cache lives outside the
//!   folder (`search::index_path`).
//! - **Bursts** (a `git checkout` touching thousands of files) become one
//!   [`FileChange::Rescan`], whose result equals a fresh load.
//! - **The folder deleted and recreated**: [`Status::FolderMissing`] while it is gone,
//!   then a rescan and a new watch when it is back.
//! - **The inotify watch limit**: reported as [`Status::Polling`], and the watcher falls
//!   back to polling the folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent};

pub use crate::course::FileChange;

/// What the watcher reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Files changed during one burst (sorted, without duplicates).
    Changes(Vec<FileChange>),
    /// How the watcher is watching, when that changes.
    Status(Status),
}

/// How the folder is being watched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// With the system's notifications (inotify): changes arrive at once.
    Native,
    /// By polling, every [`WatchOptions::poll_interval`], because native watching
    /// failed (typically the inotify watch limit): the reason says why.
    Polling {
        /// What native watching said.
        reason: String,
    },
    /// The lessons folder does not exist right now; it is watched for again.
    FolderMissing,
}

/// How to watch. `Default` is what the app and `lectern check --watch` use.
#[derive(Clone, Debug)]
pub struct WatchOptions {
    /// How long after the last event of a burst the batch is delivered.
    pub debounce: Duration,
    /// More changed paths than this in one burst become one rescan.
    pub burst: usize,
    /// How often the fallback poller looks at the folder.
    pub poll_interval: Duration,
    /// How often the watcher checks that the folder still exists.
    pub folder_check: Duration,
    /// Test hook: make native watching fail as it would for this reason, to exercise
    /// the fallback without changing a system setting.
    pub fail_native: Option<NativeFailure>,
}

/// A failure of native watching that tests can inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NativeFailure {
    /// The inotify watch limit (`fs.inotify.max_user_watches`) is reached.
    WatchLimit,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            debounce: Duration::from_millis(40),
            burst: 200,
            poll_interval: Duration::from_millis(500),
            folder_check: Duration::from_millis(250),
            fail_native: None,
        }
    }
}

/// A running watcher: stops (and joins its thread) when dropped.
pub struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The watcher thread could not be started.
    #[error("cannot start watching: {0}")]
    Thread(#[from] std::io::Error),
}

/// Starts watching `root` (recursively); `sink` receives every [`Event`] on the
/// watcher's own thread, first the [`Status`].
pub fn watch(
    root: &Path,
    options: WatchOptions,
    sink: impl Fn(Event) + Send + 'static,
) -> Result<Watcher, WatchError> {
    let stop = Arc::new(AtomicBool::new(false));
    let root = root.to_path_buf();
    let flag = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name("lectern-watch".into())
        .spawn(move || supervise(&root, &options, &flag, &sink))?;
    Ok(Watcher {
        stop,
        thread: Some(thread),
    })
}

/// Either debouncer, held for as long as it should watch (dropping it stops it).
enum Active {
    Native {
        _debouncer: notify_debouncer_full::Debouncer<
            notify::RecommendedWatcher,
            notify_debouncer_full::NoCache,
        >,
    },
    Polling {
        _debouncer:
            notify_debouncer_full::Debouncer<notify::PollWatcher, notify_debouncer_full::NoCache>,
    },
}

/// Starts a debounced watch of `root`, natively or (when that fails) by polling.
fn start(
    root: &Path,
    options: &WatchOptions,
    tx: &mpsc::Sender<DebounceEventResult>,
) -> Result<(Active, Status), String> {
    let native = match &options.fail_native {
        Some(NativeFailure::WatchLimit) => {
            Err(notify::Error::new(notify::ErrorKind::MaxFilesWatch))
        }
        // No file-id cache: renames need no pairing here (every path is judged by what
        // is on disk once the burst is over), and the cache costs a walk of the tree.
        None => notify_debouncer_full::new_debouncer_opt::<_, notify::RecommendedWatcher, _>(
            options.debounce,
            None,
            tx.clone(),
            notify_debouncer_full::NoCache,
            notify::Config::default(),
        )
        .and_then(|mut d| d.watch(root, RecursiveMode::Recursive).map(|()| d)),
    };
    let reason = match native {
        Ok(d) => return Ok((Active::Native { _debouncer: d }, Status::Native)),
        Err(e) => e.to_string(),
    };
    let config = notify::Config::default().with_poll_interval(options.poll_interval);
    let mut polling = notify_debouncer_full::new_debouncer_opt::<_, notify::PollWatcher, _>(
        options.debounce,
        None,
        tx.clone(),
        notify_debouncer_full::NoCache,
        config,
    )
    .map_err(|e| e.to_string())?;
    polling
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| e.to_string())?;
    Ok((
        Active::Polling {
            _debouncer: polling,
        },
        Status::Polling { reason },
    ))
}

/// The watcher thread: (re)starts the watch, turns bursts into changes, notices the
/// folder disappearing and coming back.
fn supervise(root: &Path, options: &WatchOptions, stop: &AtomicBool, sink: &dyn Fn(Event)) {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut active: Option<Active> = None;
    let mut status: Option<Status> = None;
    let report = |s: Status, status: &mut Option<Status>| {
        if status.as_ref() != Some(&s) {
            sink(Event::Status(s.clone()));
            *status = Some(s);
        }
    };
    while !stop.load(Ordering::Relaxed) {
        if !root.is_dir() {
            active = None;
            report(Status::FolderMissing, &mut status);
        } else if active.is_none() {
            let was_missing = status == Some(Status::FolderMissing);
            match start(root, options, &tx) {
                Ok((a, s)) => {
                    active = Some(a);
                    report(s, &mut status);
                    if was_missing {
                        sink(Event::Changes(vec![FileChange::Rescan]));
                    }
                }
                Err(_) => report(Status::FolderMissing, &mut status),
            }
        }
        match rx.recv_timeout(options.folder_check) {
            Ok(result) => {
                let changes = changes(root, options, burst(&rx, result));
                if !changes.is_empty() {
                    sink(Event::Changes(changes));
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    drop(active);
}

/// A batch of at most this many events is a save, reported without waiting for more.
const SMALL_BATCH: usize = 16;

/// The most a burst is gathered for before it is reported anyway.
const BURST_CAP: Duration = Duration::from_secs(5);

/// Within a burst, how long without a new batch ends it. Longer than the debounce: a
/// checkout on a loaded machine pauses between files, and one rescan after the burst
/// is worth a fraction of a second's wait.
const BURST_QUIET: Duration = Duration::from_millis(300);

/// Gathers the debouncer's batches while they keep coming (each within [`BURST_QUIET`]
/// of the last, up to [`BURST_CAP`]): the debouncer delivers each path once it has been quiet,
/// so a long burst (a `git checkout`) arrives in pieces that belong together.
fn burst(
    rx: &mpsc::Receiver<DebounceEventResult>,
    first: DebounceEventResult,
) -> Result<Vec<DebouncedEvent>, ()> {
    let start = std::time::Instant::now();
    let mut events = first.map_err(|_| ())?;
    // A save is a few events: report it at once. Many events mean a burst under way.
    if events.len() <= SMALL_BATCH {
        return Ok(events);
    }
    while start.elapsed() < BURST_CAP {
        match rx.recv_timeout(BURST_QUIET) {
            Ok(Ok(more)) => events.extend(more),
            Ok(Err(_)) => return Err(()),
            Err(_) => break,
        }
    }
    Ok(events)
}

/// The course changes of one burst.
fn changes(
    root: &Path,
    options: &WatchOptions,
    result: Result<Vec<DebouncedEvent>, ()>,
) -> Vec<FileChange> {
    let Ok(events) = result else {
        // The watcher lost track (queue overflow and the like): read everything again.
        return vec![FileChange::Rescan];
    };
    let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
    for e in &events {
        // Opening and reading a file is an event too: the course reading its own files
        // (and the window its images) must not count as a change (it would loop).
        if only_read(e) {
            continue;
        }
        if e.need_rescan() {
            return vec![FileChange::Rescan];
        }
        let relevant: Vec<PathBuf> = e
            .paths
            .iter()
            .filter_map(|p| relative(root, p))
            .filter(|r| !ignored(r) && !build_output(root, r))
            .collect();
        if relevant.is_empty() {
            continue;
        }
        if folder_event(e) {
            return vec![FileChange::Rescan];
        }
        paths.extend(relevant);
    }
    let mut out: BTreeSet<FileChange> = BTreeSet::new();
    for rel in &paths {
        match classify(rel) {
            FileChange::Rescan => return vec![FileChange::Rescan],
            c => {
                out.insert(c);
            }
        }
        if out.len() > options.burst {
            return vec![FileChange::Rescan];
        }
    }
    out.into_iter().collect()
}

/// A file opened, read or closed without writing (inotify reports those too): nothing
/// changed. Without this, the app reading an image to show it would be a change, whose
/// redraw reads the image again.
fn only_read(e: &DebouncedEvent) -> bool {
    use notify::event::{AccessKind, AccessMode};
    matches!(e.kind, EventKind::Access(k) if k != AccessKind::Close(AccessMode::Write))
}

/// A folder created, removed or renamed: lessons may have come or gone in numbers.
/// (Other events on folders, such as their times changing, mean nothing.) Asked only
/// of events on a path that is not ignored, judged relative to the course folder: a
/// hidden folder above it (`~/.local/…`, a temp dir's `.tmpXYZ`) hides nothing.
fn folder_event(e: &DebouncedEvent) -> bool {
    use notify::event::{CreateKind, ModifyKind, RemoveKind};
    match e.kind {
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder) => true,
        EventKind::Modify(ModifyKind::Name(_)) => e.paths.iter().any(|p| p.is_dir()),
        _ => false,
    }
}

fn relative(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = match path.strip_prefix(root) {
        Ok(r) => r.to_path_buf(),
        Err(_) => path
            .strip_prefix(std::fs::canonicalize(root).ok()?)
            .ok()?
            .to_path_buf(),
    };
    (!rel.as_os_str().is_empty()).then_some(rel)
}

fn hidden(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules"
}

/// Hidden files and folders, `node_modules`, and editors' temporary, swap and backup
/// files (vim's `.swp`/`~`/`4913`, Emacs' `#…#` and `.#…`, JetBrains' `___jb_…`,
/// GNOME's `.goutputstream-…`, `sed -i`'s `sedXXXXXX`).
pub fn ignored(rel: &Path) -> bool {
    let mut names = rel.components().map(|c| c.as_os_str().to_string_lossy());
    if names.any(|n| hidden(&n)) {
        return true;
    }
    let Some(name) = rel.file_name().map(|n| n.to_string_lossy()) else {
        return true;
    };
    let lower = name.to_ascii_lowercase();
    name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.contains("___jb_")
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".orig", ".crswap"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        || (name.len() == 9
            && name.starts_with("sed")
            && name[3..].chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Build output under the course folder, judged by what is on disk: a `target/`
/// folder beside a `Cargo.toml` (cargo's), a `book/` folder beside the root's
/// `book.toml` (mdBook's), and everything in them. Builds write them; the course never
/// reads them.
fn build_output(root: &Path, rel: &Path) -> bool {
    let mut dir = PathBuf::new();
    for c in rel.components() {
        let name = c.as_os_str();
        let beside = |file: &str| root.join(&dir).join(file).is_file();
        if (name == "target" && beside("Cargo.toml"))
            || (name == "book" && dir.as_os_str().is_empty() && beside("book.toml"))
        {
            return true;
        }
        dir.push(name);
    }
    false
}

/// What a changed path means for the course (see the module docs).
fn classify(rel: &Path) -> FileChange {
    if rel == Path::new(crate::lesson::COURSE_FILE) {
        return FileChange::CourseFile;
    }
    let ext = rel
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("md") => FileChange::Lesson(rel.to_path_buf()),
        // Images: the lessons that show them re-render to pick up the change; a rescan
        // is the simple, always-right answer, and images change rarely.
        Some(e) if crate::text::IMAGE_TYPES.iter().any(|(x, _)| *x == e) => FileChange::Rescan,
        // Anything else may be included by a lesson, or be `book.toml`.
        _ => FileChange::File(rel.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_file_is_a_change_but_build_output_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("listings/ch01")).unwrap();
        std::fs::write(root.join("listings/ch01/Cargo.toml"), "").unwrap();
        let output = |rel: &str| build_output(root, Path::new(rel));
        assert!(output("listings/ch01/target/debug/ch01"));
        assert!(output("listings/ch01/target"), "the folder itself");
        assert!(!output("listings/ch01/src/main.rs"));
        assert!(!output("listings/ch02/target/x"), "no Cargo.toml beside it");
        assert!(!output("book/index.html"), "no book.toml yet");
        std::fs::write(root.join("book.toml"), "").unwrap();
        assert!(output("book/index.html"));
        assert!(!output("src/book/chapter.md"), "only the root's book/");
        let file = |rel: &str| FileChange::File(PathBuf::from(rel));
        assert_eq!(
            classify(Path::new("listings/ch01/src/main.rs")),
            file("listings/ch01/src/main.rs")
        );
        assert_eq!(classify(Path::new("book.toml")), file("book.toml"));
        assert_eq!(
            classify(Path::new("src/ch01.md")),
            FileChange::Lesson("src/ch01.md".into())
        );
        assert_eq!(classify(Path::new("course.yaml")), FileChange::CourseFile);
        assert_eq!(classify(Path::new("img/ferris.PNG")), FileChange::Rescan);
    }

    #[test]
    fn editor_temporaries_and_hidden_paths_are_ignored() {
        for p in [
            ".git/index",
            "a/.hidden.md",
            "node_modules/x.md",
            "lesson.md~",
            ".lesson.md.swp",
            "#lesson.md#",
            ".#lesson.md",
            "4913",
            "lesson.md___jb_tmp___",
            "sedAb12Cd",
            "x.md.crswap",
        ] {
            assert!(ignored(Path::new(p)), "{p}");
        }
        for p in [
            "lesson.md",
            "part/one.md",
            "course.yaml",
            "images/a.png",
            "sediment.md",
        ] {
            assert!(!ignored(Path::new(p)), "{p}");
        }
    }
}
