//! What a course load depended on on disk, and whether it is still so: the stamp that
//! lets `lectern search` answer from its index without loading the course again.
//!
//! A [`Recorder`] rides on the load's [`Folder`](crate::folder::Folder): every path the
//! guarded reader resolves (a lesson, an include, `course.yaml`, `book.toml`,
//! `SUMMARY.md`, a link met by the scan), every path it looks for and does not find (a
//! missing include or chapter), and every folder the scan lists is noted there as it is
//! met, with what `stat` said of it then ([`Seen`]). Recording at the reader and the
//! lister, not by listing again what a load is thought to read, is what keeps the stamp
//! complete as the readers change. [`Stamp::check`] asks the same questions again: the
//! load would read the same bytes only if every answer is the same.
//!
//! Git's "racy clean" rule holds: a file may change again within its timestamp's
//! granularity without its time changing, so an entry whose time is not older than the
//! moment the load started, less [`RACY_MS`], proves nothing and the stamp is not
//! trusted ([`Check::Racy`]).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::day::Millis;

/// How close to the load's start a file's time must be for it to prove nothing: larger
/// than any file system's timestamp granularity (FAT's is 2 s; ext4's is the kernel
/// tick's, a few ms).
pub const RACY_MS: Millis = 2_000;

/// How a path was asked about: following links (`stat`, a file the load read), or not
/// (`lstat`, a link the load met, so a link pointed elsewhere is a change).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Look {
    /// `stat`: what the path leads to.
    Follow,
    /// `lstat`: the path's own entry.
    Entry,
}

/// What `stat` (or `lstat`) said of a path: git's "stat data" (kind, size, times,
/// inode), enough to tell a file edited, replaced or moved over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Nothing there (or nothing it could be asked about: a link to nowhere, no
    /// permission).
    Missing,
    /// Something there: a regular file, a folder, a link or anything else.
    Present {
        /// What it is ([`Kind`]).
        kind: Kind,
        /// Its length in bytes.
        size: u64,
        /// Its modification time, in nanoseconds since the Unix epoch.
        mtime_ns: i64,
        /// Its status-change time (ns), which no program can set back: a file moved
        /// over another, or given an old modification time, changes it (0 off Unix).
        ctime_ns: i64,
        /// Its inode: another file put in its place has another (0 off Unix).
        inode: u64,
    },
}

/// The kind of a path that is there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A regular file.
    File,
    /// A folder.
    Folder,
    /// A symbolic link (seen with [`Look::Entry`] only).
    Link,
    /// A FIFO, a socket, a device.
    Other,
}

impl Kind {
    /// The kind's number where a stamp is stored.
    pub fn code(self) -> i64 {
        match self {
            Kind::File => 1,
            Kind::Folder => 2,
            Kind::Link => 3,
            Kind::Other => 4,
        }
    }

    /// The kind stored as `code`, if it is one.
    pub fn from_code(code: i64) -> Option<Kind> {
        match code {
            1 => Some(Kind::File),
            2 => Some(Kind::Folder),
            3 => Some(Kind::Link),
            4 => Some(Kind::Other),
            _ => None,
        }
    }
}

impl Seen {
    /// What `stat` (`Look::Follow`) or `lstat` (`Look::Entry`) says of `path` now.
    pub fn of(path: &Path, look: Look) -> Seen {
        let meta = match look {
            Look::Follow => fs::metadata(path),
            Look::Entry => fs::symlink_metadata(path),
        };
        meta.map_or(Seen::Missing, |m| Seen::from_metadata(&m))
    }

    /// What `meta` says.
    pub fn from_metadata(meta: &fs::Metadata) -> Seen {
        let t = meta.file_type();
        let kind = if t.is_file() {
            Kind::File
        } else if t.is_dir() {
            Kind::Folder
        } else if t.is_symlink() {
            Kind::Link
        } else {
            Kind::Other
        };
        // A time before the epoch or unknown is 0 — always older than any load, but
        // then also unchanged only if it stays so; size and kind still tell.
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        #[cfg(unix)]
        let (ctime_ns, inode) = {
            use std::os::unix::fs::MetadataExt as _;
            let ctime = meta.ctime().saturating_mul(1_000_000_000);
            (ctime.saturating_add(meta.ctime_nsec()), meta.ino())
        };
        #[cfg(not(unix))]
        let (ctime_ns, inode) = (0, 0);
        Seen::Present {
            kind,
            size: meta.len(),
            mtime_ns,
            ctime_ns,
            inode,
        }
    }

    /// Whether this answer proves nothing for a load that started at `taken_at`: its
    /// time is not older than the start less [`RACY_MS`].
    fn is_racy(&self, taken_at: Millis) -> bool {
        match self {
            Seen::Missing => false,
            Seen::Present { mtime_ns, .. } => {
                mtime_ns / 1_000_000 >= taken_at.saturating_sub(RACY_MS)
            }
        }
    }
}

/// One path a load depended on, and what was seen of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The absolute path asked about.
    pub path: PathBuf,
    /// How it was asked about.
    pub look: Look,
    /// The answer.
    pub seen: Seen,
}

/// Notes what a load asks of the disk; shared by the load's threads (see the module
/// docs). Cloning shares the same record.
#[derive(Clone, Debug, Default)]
pub struct Recorder(Arc<Mutex<BTreeMap<(PathBuf, Look), Seen>>>);

impl Recorder {
    /// Notes what `path` is now, asked about as `look`.
    pub fn note(&self, path: &Path, look: Look) {
        self.note_seen(path, look, Seen::of(path, look));
    }

    /// Notes `seen` (already asked, e.g. from an open file's metadata) of `path`. The
    /// first answer for a path is kept: it is the one the load went by.
    pub fn note_seen(&self, path: &Path, look: Look, seen: Seen) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.entry((path.to_path_buf(), look)).or_insert(seen);
    }

    /// The stamp of everything noted, for a load that started at `taken_at`.
    pub fn finish(&self, taken_at: Millis) -> Stamp {
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        Stamp {
            taken_at,
            entries: map
                .iter()
                .map(|((path, look), seen)| Entry {
                    path: path.clone(),
                    look: *look,
                    seen: *seen,
                })
                .collect(),
        }
    }
}

/// Everything a load depended on: see the module docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// When the load started (Unix ms): the racy rule's reference.
    pub taken_at: Millis,
    /// Every path asked about, sorted.
    pub entries: Vec<Entry>,
}

/// Whether a [`Stamp`] still holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// Every path says what it said: a load now would read what that load read.
    Current,
    /// This path says something else now.
    Changed(PathBuf),
    /// This path's time is too close to the load's start to prove anything.
    Racy(PathBuf),
}

impl Stamp {
    /// Whether an entry's time is within the racy window of the load: such a stamp is
    /// never [`Check::Current`].
    pub fn is_racy(&self) -> bool {
        self.entries.iter().any(|e| e.seen.is_racy(self.taken_at))
    }

    /// Asks every path again (on every core: 10,000 `stat`s are tens of ms on one).
    pub fn check(&self) -> Check {
        let found = self.entries.par_iter().find_map_any(|e| {
            if e.seen.is_racy(self.taken_at) {
                Some(Check::Racy(e.path.clone()))
            } else if Seen::of(&e.path, e.look) != e.seen {
                Some(Check::Changed(e.path.clone()))
            } else {
                None
            }
        });
        found.unwrap_or(Check::Current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now_ms() -> Millis {
        crate::clock::system_ms()
    }

    /// Sets `path`'s time to one fixed moment long past (November 2023).
    fn age(path: &Path) {
        let then =
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        fs::File::open(path).unwrap().set_modified(then).unwrap();
    }

    #[test]
    fn a_stamp_holds_until_a_noted_file_is_written_even_with_its_size_and_time_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        fs::write(&file, "one").unwrap();
        age(&file);
        let recorder = Recorder::default();
        recorder.note(&file, Look::Follow);
        let stamp = recorder.finish(now_ms());
        assert_eq!(stamp.check(), Check::Current);
        assert_eq!(stamp.check(), Check::Current, "reading changes nothing");
        // Same size, its old time put back: the status-change time still tells.
        fs::write(&file, "two").unwrap();
        age(&file);
        assert_eq!(stamp.check(), Check::Changed(file.clone()));
    }

    #[test]
    fn another_file_moved_into_a_noted_path_is_a_change_whatever_its_times() {
        let dir = tempfile::tempdir().unwrap();
        let (file, other) = (dir.path().join("a.md"), dir.path().join("b.md"));
        fs::write(&other, "two").unwrap();
        fs::write(&file, "one").unwrap();
        age(&file);
        age(&other);
        let recorder = Recorder::default();
        recorder.note(&file, Look::Follow);
        let stamp = recorder.finish(now_ms());
        fs::rename(&other, &file).unwrap();
        assert_eq!(stamp.check(), Check::Changed(file));
    }

    #[test]
    fn a_path_noted_missing_that_appears_is_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("gone.md");
        let recorder = Recorder::default();
        recorder.note(&file, Look::Follow);
        let stamp = recorder.finish(now_ms());
        assert_eq!(stamp.check(), Check::Current);
        fs::write(&file, "here").unwrap();
        assert_eq!(stamp.check(), Check::Changed(file));
    }

    #[test]
    fn a_file_written_within_the_racy_window_of_the_load_is_never_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        fs::write(&file, "just now").unwrap();
        let recorder = Recorder::default();
        recorder.note(&file, Look::Follow);
        assert_eq!(recorder.finish(now_ms()).check(), Check::Racy(file.clone()));
        age(&file);
        let recorder = Recorder::default();
        recorder.note(&file, Look::Follow);
        assert_eq!(recorder.finish(now_ms()).check(), Check::Current);
    }

    #[test]
    fn kinds_round_trip_through_their_stored_code() {
        for kind in [Kind::File, Kind::Folder, Kind::Link, Kind::Other] {
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(Kind::from_code(0), None);
    }
}
