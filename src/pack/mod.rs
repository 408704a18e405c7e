//! A course as one file: `lectern pack` writes a `.lectern` archive (a zip) of a
//! course, and [`open`] lays one out, checked, in the app's data folder.
//!
//! Front door: [`pack`] (folder → archive) and [`open`] (archive → a folder the rest of
//! the core reads like any course). The invariant that no path escapes the course folder
//! extends to archives: [`pack`] reads every file through [`crate::folder::Folder`]
//! (links leading out are never followed) and [`open`] refuses, before writing a byte,
//! any entry that is not a plain relative path (`..`, absolute, a symbolic link), a
//! duplicate name, or an archive over the [`Limits`]; while extracting it counts the
//! bytes really decompressed, since the sizes an archive declares may lie. An archive
//! is unpacked into a temporary folder beside its destination and renamed into place
//! once complete, so a crash never leaves a half course that a later run trusts.
//!
//! A pack needs `course.yaml`'s `id`: progress is kept under the course's id
//! ([`crate::progress::CourseKey`]), so a newer pack of the same course, unpacked into
//! another folder (folders are named by the archive's content hash), keeps the
//! learner's progress.

mod unpack;
mod write;

use std::path::PathBuf;

pub use unpack::{default_base, is_unpacked, open, open_with};
pub use write::{pack, pack_with};

/// Why a course opened from a `.lectern` file is not edited nor watched: the window and
/// the `edit-read-only` error say it.
pub const READ_ONLY_REASON: &str = "this course was opened from a .lectern file: its lessons are a read-only copy, so Edit and the live preview are off (edit the course's own folder, then pack it again)";

/// The file extension of a packed course.
pub const EXTENSION: &str = "lectern";

/// Whether `path` names a packed course: a file whose extension is `.lectern` (any
/// case). The CLI and the app open such a file as a course; any other file given for a
/// folder stays the usage error it was.
pub fn is_archive(path: &std::path::Path) -> bool {
    path.is_file()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION))
}

/// What an archive may hold: checked on the sizes it declares and on the bytes it
/// really decompresses to, and by [`pack`] so that it never writes an archive [`open`]
/// would refuse. README.md documents [`Limits::DEFAULT`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// At most this many entries (files and folders).
    pub entries: usize,
    /// At most this many bytes in one file, uncompressed.
    pub entry_bytes: u64,
    /// At most this many bytes in all files together, uncompressed.
    pub total_bytes: u64,
}

impl Limits {
    /// 10,000 entries, 64 MiB a file, 512 MiB in all: far above any course (the bundled
    /// one is under 1 MiB; a lesson is capped at 2 MiB), far below a disk-filling bomb.
    pub const DEFAULT: Limits = Limits {
        entries: 10_000,
        entry_bytes: 64 << 20,
        total_bytes: 512 << 20,
    };
}

/// Why a course was not packed or an archive not opened. Nothing is left half-written
/// in either case.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The course has no `id` in `course.yaml`; the message says how to add one for its
    /// format.
    #[error("{0}")]
    NoId(String),
    /// A file of the course could not be read (or is over the size limit).
    #[error("cannot read `{}` of the course: {reason}", path.display())]
    Read {
        /// Relative to the course folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The course (or the archive) is over one of the [`Limits`].
    #[error("{0}")]
    TooLarge(String),
    /// The file is not a readable zip archive (not a zip at all, or truncated).
    #[error("`{}` is not a Lectern course archive (a .lectern file is a zip): {reason}", path.display())]
    NotAnArchive {
        /// The archive.
        path: PathBuf,
        /// What the zip reader said.
        reason: String,
    },
    /// An entry that could write outside the course folder, or be read two ways.
    #[error("refused archive entry `{entry}`: {reason}; nothing was unpacked")]
    UnsafeEntry {
        /// The entry's name as stored (control characters escaped).
        entry: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// An entry's data is damaged (wrong checksum, cut short).
    #[error("archive entry `{entry}` is damaged: {reason}; nothing was unpacked")]
    Corrupt {
        /// The entry's name.
        entry: String,
        /// What the reader said.
        reason: String,
    },
    /// Writing the archive or the unpacked course failed.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// What was being written.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl PackError {
    /// The stable code the CLI reports (kebab-case).
    pub fn code(&self) -> &'static str {
        match self {
            PackError::NoId(_) => "no-course-id",
            PackError::Read { .. } => "file-unreadable",
            PackError::TooLarge(_) => "archive-too-large",
            PackError::NotAnArchive { .. } => "not-an-archive",
            PackError::UnsafeEntry { .. } => "unsafe-entry",
            PackError::Corrupt { .. } => "archive-corrupt",
            PackError::Io { .. } => "write-failed",
        }
    }

    fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> PackError + '_ {
        move |source| PackError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
