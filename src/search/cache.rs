//! The cache file of a course's index, shared by every Lectern process that opens the
//! course: who builds it, who may replace it, and what is done when it cannot be used.
//!
//! Two advisory locks beside the file (`<cache>.build-lock`, `<cache>.open-lock`), never
//! deleted, taken with std's `File::try_lock` family (`flock` on Linux; released by the
//! kernel when a process dies):
//!
//! - the **build lock**, exclusive, is held while a process opens the cache and brings
//!   it up to date. Others poll it (every 50 ms, up to [`CacheOptions::wait`]) and then
//!   open the cache the first one built: a course is indexed once, however many
//!   processes start together. A process that waits in vain searches from memory.
//! - the **open lock**, shared, is held by every process for as long as it has the
//!   cache open. The cache (with its `-wal` and `-shm`) is deleted only by a process that
//!   holds the build lock *and* gets the open lock exclusively: nobody else has it open,
//!   so no file is ever deleted under another process.
//!
//! Busy or locked is never damage. Damage is what SQLite calls corrupt or not a
//! database (FTS5's "missing row" among them) or another schema, found when the file is
//! opened or later by a query or a sync; the file is then replaced if nobody else has it
//! open, and otherwise this process searches from memory until it is closed.

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use super::forgive;
use super::{Batches, SearchError, SearchIndex, Stale, SyncStats};
use crate::course::Loaded;

/// How [`SearchIndex::open_with`] waits for another process building the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheOptions {
    /// How long to wait for another process to finish building, at most. Building a
    /// 10,000-lesson course takes seconds; past this the index is made in memory.
    pub wait: Duration,
}

impl Default for CacheOptions {
    fn default() -> Self {
        CacheOptions {
            wait: Duration::from_secs(30),
        }
    }
}

/// What [`SearchIndex::open`] found in the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cache {
    /// The cache file was there and usable; it was brought up to date.
    Reused,
    /// This process built the cache: there was none, or it was empty, damaged or of
    /// another schema and nobody else had it open.
    Built,
    /// The cache could not be used, for this reason: the index is in memory.
    Memory(String),
}

/// An index from [`SearchIndex::open`], current with the course it was given.
pub struct Opened {
    /// The index.
    pub index: SearchIndex,
    /// Where it lives and how it came to be.
    pub cache: Cache,
    /// What bringing it up to date did.
    pub stats: SyncStats,
}

/// The cache file as this process holds it open.
pub(super) struct Held {
    path: PathBuf,
    /// The open lock, shared, for as long as the connection is open.
    _open: File,
    /// The file the connection has open (device, inode): a repair replaces this one,
    /// not one another process made since.
    id: (u64, u64),
    options: CacheOptions,
}

impl Held {
    /// The cache file.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// The same file held once more (a reader beside the writer): the open lock's file
    /// cloned, so the lock stays taken while either is open.
    pub(super) fn again(&self) -> Result<Held, SearchError> {
        Ok(Held {
            path: self.path.clone(),
            _open: self._open.try_clone()?,
            id: self.id,
            options: self.options,
        })
    }
}

/// How often a waiting process tries a lock.
const POLL: Duration = Duration::from_millis(50);

/// How long a process that must replace the cache waits to be alone with it.
const ALONE_WAIT: Duration = Duration::from_secs(1);

impl SearchIndex {
    /// Opens the cache at `path` (see [`index_path`](super::index_path)) and brings it up
    /// to date with `loaded`, building it if this process is the first; see the module
    /// docs for who builds, waits and replaces. Never fails for the cache's sake: a cache
    /// that cannot be used (unwritable folder, damaged and open elsewhere, another
    /// process building for longer than the wait) gives an index in memory, and
    /// [`Opened::cache`] says why. Errs only if not even that can be made.
    pub fn open(path: &Path, loaded: &Loaded) -> Result<Opened, SearchError> {
        Self::open_with(path, loaded, CacheOptions::default())
    }

    /// [`SearchIndex::open`] with a chosen wait.
    pub fn open_with(
        path: &Path,
        loaded: &Loaded,
        options: CacheOptions,
    ) -> Result<Opened, SearchError> {
        Self::open_in_batches(path, loaded, options, &mut Batches::quiet())
    }

    /// [`SearchIndex::open_with`], the sync that brings the index up to date made in
    /// batches reported to `batches` (see [`Batches`]): under the build lock, as every
    /// sync of the cache, so other processes wait for it as ever. A report that stops
    /// the sync makes this err with [`SearchError::Stopped`] (no index in memory is made
    /// instead); a cache that cannot be used is built in memory, reported the same way.
    pub fn open_in_batches(
        path: &Path,
        loaded: &Loaded,
        options: CacheOptions,
        batches: &mut Batches<'_>,
    ) -> Result<Opened, SearchError> {
        let opened = open_cache(path, loaded, options, None, batches);
        if batches.stopped() {
            return Err(SearchError::Stopped);
        }
        opened.or_else(|why| in_memory(loaded, why, batches))
    }

    /// Replaces an index found damaged by a query or a sync: the cache file is built
    /// again (if nobody else has it open), else the index moves to memory.
    pub(super) fn repair(&mut self, loaded: &Loaded) -> Result<SyncStats, SearchError> {
        // The damaged connection is closed before its open lock is released.
        self.conn = Connection::open_in_memory()?;
        let opened = match self.file.take() {
            Some(held) => {
                let Held {
                    path,
                    _open: open,
                    id,
                    options,
                } = held;
                drop(open);
                let quiet = &mut Batches::quiet();
                open_cache(&path, loaded, options, Some(id), quiet)
                    .or_else(|why| in_memory(loaded, why, quiet))?
            }
            None => in_memory(
                loaded,
                "the index in memory was damaged".to_owned(),
                &mut Batches::quiet(),
            )?,
        };
        *self = opened.index;
        Ok(opened.stats)
    }
}

impl SearchIndex {
    /// Opens the cache at `path` as it is, neither syncing nor building it (the warm
    /// path, `warm.rs`): no file there, another process building it (its build lock
    /// held past [`ALONE_WAIT`]: a child process forked meanwhile holds it a moment)
    /// or anything that stops it opening is a [`Stale`] reason; the whole path then
    /// waits for the builder as usual. The open lock is held shared, as by every
    /// process that has the cache open.
    pub(super) fn open_as_is(path: &Path) -> Result<SearchIndex, Stale> {
        if fs::symlink_metadata(path).is_err() {
            return Err(Stale::NoCache);
        }
        let build = lock_file(path, "build-lock").map_err(Stale::Unusable)?;
        if !wait_for(&build, ALONE_WAIT).map_err(Stale::Unusable)? {
            return Err(Stale::Busy);
        }
        let open = lock_file(path, "open-lock").map_err(Stale::Unusable)?;
        if !got(open.try_lock_shared()).map_err(Stale::Unusable)? {
            return Err(Stale::Busy);
        }
        drop(build);
        let conn = super::try_open(path).map_err(|e| Stale::Unusable(e.to_string()))?;
        let id = file_id(path).ok_or(Stale::NoCache)?;
        Ok(SearchIndex {
            conn,
            language: forgive::Language::from_tag(None),
            file: Some(Held {
                path: path.to_path_buf(),
                _open: open,
                id,
                options: CacheOptions::default(),
            }),
        })
    }
}

/// An index in memory, up to date with `loaded`: the cache could not be used, for `why`.
fn in_memory(
    loaded: &Loaded,
    why: String,
    batches: &mut Batches<'_>,
) -> Result<Opened, SearchError> {
    let mut index = SearchIndex::in_memory()?;
    let stats = index.sync_once(loaded, batches)?;
    Ok(Opened {
        index,
        cache: Cache::Memory(why),
        stats,
    })
}

/// Opens the cache under the build lock; `damaged` is the file a query or a sync found
/// damaged, to be replaced if it is still the one at `path`. Errs with the reason the
/// cache cannot be used.
fn open_cache(
    path: &Path,
    loaded: &Loaded,
    options: CacheOptions,
    damaged: Option<(u64, u64)>,
    batches: &mut Batches<'_>,
) -> Result<Opened, String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let build = lock_file(path, "build-lock")?;
    if !wait_for(&build, options.wait)? {
        return Err(format!(
            "another Lectern was still building {} after {} s",
            path.display(),
            options.wait.as_secs_f32()
        ));
    }
    let open = lock_file(path, "open-lock")?;
    let opened = open_locked(path, loaded, &open, options, damaged, batches);
    drop(build);
    opened
}

/// [`open_cache`] once the build lock is held: nobody else opens, builds or deletes the
/// cache meanwhile. A file the first sync finds damaged is replaced and built once more.
fn open_locked(
    path: &Path,
    loaded: &Loaded,
    open: &File,
    options: CacheOptions,
    mut damaged: Option<(u64, u64)>,
    batches: &mut Batches<'_>,
) -> Result<Opened, String> {
    let fail = |e: SearchError| format!("{}: {e}", path.display());
    for _ in 0..2 {
        // Exclusive only when no other process has the cache open.
        let mut alone = got(open.try_lock())?;
        let before = file_id(path);
        let conn = match before {
            Some(_) if before != damaged => match super::try_open(path) {
                Ok(conn) => Some(conn),
                Err(e) if e.is_damage() => None,
                Err(e) => return Err(fail(e)),
            },
            _ => None,
        };
        let (conn, replaced) = match conn {
            Some(conn) => (conn, false),
            None => {
                // Making or replacing the file needs nobody else to have it open:
                // another's connection to a file deleted by hand still owns the `-wal`
                // and `-shm` a new one would use. A child process forked meanwhile
                // holds the lock until its exec, a moment: that is waited out.
                alone = alone || wait_for(open, ALONE_WAIT)?;
                if !alone {
                    return Err(format!("{} is damaged or gone, and in use", path.display()));
                }
                remove(path)?;
                (super::try_open(path).map_err(fail)?, before.is_some())
            }
        };
        if alone {
            open.unlock().map_err(|e| e.to_string())?;
        }
        // Cannot be refused: an exclusive open lock is only taken under the build lock.
        if !got(open.try_lock_shared())? {
            return Err(format!("{}: the open lock was refused", path.display()));
        }
        let id = file_id(path).ok_or_else(|| format!("{}: gone", path.display()))?;
        let held = Held {
            path: path.to_path_buf(),
            _open: open.try_clone().map_err(|e| e.to_string())?,
            id,
            options,
        };
        let mut index = SearchIndex {
            language: forgive::Language::from_tag(None),
            conn,
            file: Some(held),
        };
        let synced = index
            .is_empty()
            .and_then(|empty| Ok((empty, index.sync_once(loaded, batches)?)));
        match synced {
            Ok((empty, stats)) => {
                let cache = if before.is_none() || replaced || empty {
                    Cache::Built
                } else {
                    Cache::Reused
                };
                return Ok(Opened {
                    index,
                    cache,
                    stats,
                });
            }
            Err(e) if e.is_damage() => damaged = Some(id),
            Err(e) => return Err(fail(e)),
        }
        drop(index);
        open.unlock().map_err(|e| e.to_string())?;
    }
    Err(format!("{} was damaged again once rebuilt", path.display()))
}

/// Polls for `lock` exclusively every [`POLL`] for up to `wait`; whether it was taken.
fn wait_for(lock: &File, wait: Duration) -> Result<bool, String> {
    let tries = wait.as_millis() / POLL.as_millis() + 1;
    for i in 0..tries {
        if got(lock.try_lock())? {
            return Ok(true);
        }
        if i + 1 < tries {
            std::thread::sleep(POLL);
        }
    }
    Ok(false)
}

/// Whether a `try_lock` took the lock (`false`: someone else holds it).
fn got(attempt: Result<(), TryLockError>) -> Result<bool, String> {
    match attempt {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(e)) => Err(format!("cannot lock the search cache: {e}")),
    }
}

/// The lock file `<cache>.<suffix>`, opened or made: a regular file (not followed if
/// it is a symbolic link, never waited on if it is a FIFO). Never deleted.
fn lock_file(path: &Path, suffix: &str) -> Result<File, String> {
    let lock = PathBuf::from(format!("{}.{suffix}", path.display()));
    let fail = |e: std::io::Error| format!("{}: {e}", lock.display());
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(&lock).map_err(fail)?;
    if !file.metadata().map_err(fail)?.is_file() {
        return Err(format!("{}: not a regular file", lock.display()));
    }
    Ok(file)
}

/// The device and inode of the file at `path`, if there is one.
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    fs::symlink_metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Without inodes every file is the same one: a damaged cache is always replaced.
#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    fs::symlink_metadata(path).ok().map(|_| (0, 0))
}

/// Deletes the cache and its journal files; called only by the process that holds the
/// build lock and the open lock exclusively.
fn remove(path: &Path) -> Result<(), String> {
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        match fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", file.display())),
        }
    }
    Ok(())
}
