//! The lessons folder: the one place the core reads files from, and the one check that
//! no path leaves the folder.
//!
//! Lessons are untrusted, and so is the folder around them: a "lesson" may be a named
//! pipe (reading it would block forever), a device, a 500 MB sparse file, a symbolic link
//! to `/etc/passwd` or to itself. Every read goes through [`Folder::read`], which
//!
//! - resolves the path canonically (symbolic links and `..` followed) and refuses one
//!   that ends up outside the canonical folder ([`ReadError::Escape`]);
//! - opens without blocking and accepts only a regular file ([`ReadError::NotAFile`]);
//! - reads at most the caller's limit, however large the file is or grows while being
//!   read ([`ReadError::TooLarge`]);
//! - and, with [`Folder::read_text`], checks UTF-8 and says where it breaks.
//!
//! Every error becomes a [`Diagnostic`] with [`ReadError::diagnostic`], so one bad file is
//! one diagnostic and never a hang, a crash or a silent skip.

use std::fs;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{slash_path, Diagnostic};
use crate::stamp::{Look, Recorder};
use crate::text::LineIndex;

/// Lessons are at most this large (bigger ones are refused with a diagnostic).
pub const MAX_LESSON_BYTES: u64 = 2 * 1024 * 1024;
/// `course.yaml` is at most this large: a title, a description and a list of sections.
pub const MAX_COURSE_FILE_BYTES: u64 = 256 * 1024;

/// A lessons folder, with its canonical path resolved once.
#[derive(Clone, Debug)]
pub struct Folder {
    root: PathBuf,
    canonical: Option<PathBuf>,
    /// Where a load's stamp is noted, if it is stamped (see [`crate::stamp`]).
    recorder: Option<Recorder>,
}

/// Why a file of the folder could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The path (after following links and `..`) leads outside the folder.
    Escape,
    /// Nothing is there, or a symbolic link leads nowhere (dangling or looping).
    Missing,
    /// Something other than a regular file: the words say what (`a named pipe (FIFO)`).
    NotAFile(&'static str),
    /// Larger than the limit: `len` bytes (at least; a file may grow while read).
    TooLarge {
        /// The size found.
        len: u64,
        /// The limit it breaks.
        limit: u64,
    },
    /// Not valid UTF-8, first at this 1-based line and column, at this byte.
    InvalidUtf8 {
        /// Line of the first invalid byte.
        line: u32,
        /// Column (in characters) of the first invalid byte.
        column: u32,
        /// The byte.
        byte: u8,
        /// Its offset in the file.
        offset: usize,
    },
    /// The system refused (permissions, I/O error).
    Unreadable(std::io::Error),
}

impl Folder {
    /// The folder at `root` (as the user named it; diagnostics stay relative to it).
    pub fn new(root: &Path) -> Folder {
        Folder {
            root: root.to_path_buf(),
            canonical: fs::canonicalize(root).ok(),
            recorder: None,
        }
    }

    /// The folder at `root`, noting in `recorder` every path it resolves or looks for
    /// and every folder listed through [`Folder::note_listing`]: a stamped load.
    pub fn recording(root: &Path, recorder: Recorder) -> Folder {
        Folder {
            recorder: Some(recorder),
            ..Folder::new(root)
        }
    }

    /// Notes the folder `dir` as listed (its time changes when an entry is added,
    /// removed or renamed); nothing unless the load is stamped.
    /// `rel` is relative to the folder.
    pub fn note_listing(&self, rel: &Path) {
        if let (Some(recorder), Some(root)) = (&self.recorder, &self.canonical) {
            recorder.note(&root.join(rel), Look::Follow);
        }
    }

    /// Whether something is at `rel` (links followed), as a load looks for an optional
    /// file outside the guarded reader; noted like a read.
    pub fn exists(&self, rel: &Path) -> bool {
        if let (Some(recorder), Some(root)) = (&self.recorder, &self.canonical) {
            recorder.note(&root.join(rel), Look::Follow);
        }
        self.root.join(rel).exists()
    }

    /// The folder as it was named.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder's canonical path, if it exists.
    pub fn canonical(&self) -> Option<&Path> {
        self.canonical.as_deref()
    }

    /// Where `rel` (relative to the folder) really is: its canonical path, which must be
    /// inside the canonical folder. `..` may not climb above the folder even on the way
    /// (`a/../../x`), and a link that leads out is refused like a path that does.
    pub fn locate(&self, rel: &Path) -> Result<PathBuf, ReadError> {
        let located = self.resolve(rel);
        if let Some(recorder) = &self.recorder {
            note_located(recorder, self.canonical.as_deref(), rel, &located);
        }
        located
    }

    /// [`Folder::locate`] without the note.
    fn resolve(&self, rel: &Path) -> Result<PathBuf, ReadError> {
        let lexical = normalize(rel).ok_or(ReadError::Escape)?;
        let canonical_root = self.canonical.as_deref().ok_or(ReadError::Missing)?;
        let canonical = fs::canonicalize(self.root.join(&lexical)).map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => ReadError::Unreadable(e),
            _ => ReadError::Missing,
        })?;
        if canonical.starts_with(canonical_root) {
            Ok(canonical)
        } else {
            Err(ReadError::Escape)
        }
    }

    /// The path of `path` (absolute, or relative to the working directory) relative to
    /// this folder, compared canonically: `d/../o/x.md` is not inside `d`, and neither is
    /// a link in `d` that points out of it.
    pub fn relative(&self, path: &Path) -> Result<PathBuf, ReadError> {
        let canonical_root = self.canonical.as_deref().ok_or(ReadError::Missing)?;
        let canonical = fs::canonicalize(path).map_err(|_| ReadError::Missing)?;
        let rel = canonical
            .strip_prefix(canonical_root)
            .map_err(|_| ReadError::Escape)?;
        // Keep the name the user gave the file when it is reached through the folder as
        // named (a link inside the folder to another file inside it keeps its own name).
        let lexical = path
            .strip_prefix(&self.root)
            .ok()
            .and_then(normalize)
            .filter(|l| fs::canonicalize(self.root.join(l)).is_ok_and(|c| c == canonical));
        Ok(lexical.unwrap_or_else(|| rel.to_path_buf()))
    }

    /// Reads `rel` (relative to the folder), at most `limit` bytes: see the module docs.
    pub fn read(&self, rel: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let path = self.locate(rel)?;
        read_regular(&path, limit)
    }

    /// [`Folder::read`], then UTF-8 checked (a leading BOM is kept; callers strip it).
    pub fn read_text(&self, rel: &Path, limit: u64) -> Result<String, ReadError> {
        let bytes = self.read(rel, limit)?;
        utf8(bytes)
    }
}

/// Notes what [`Folder::locate`] found for `rel`: the file it leads to (size and time:
/// what was read), and the path as named when that is not the same file's own name (a
/// link, which may be pointed elsewhere), or when nothing was found (a missing include
/// that may be written, a link that leads out).
///
/// Paths are noted absolute, under the folder's canonical path, so the stamp means the
/// same from any working directory; nothing is noted for a folder that is not there
/// (its load read nothing, and its stamp then holds no entry that could prove it).
fn note_located(
    recorder: &Recorder,
    canonical_root: Option<&Path>,
    rel: &Path,
    located: &Result<PathBuf, ReadError>,
) {
    let Some(root) = canonical_root else {
        return;
    };
    let named = root.join(rel);
    match located {
        Ok(canonical) => {
            recorder.note(canonical, Look::Follow);
            let plain = normalize(rel).is_some_and(|l| root.join(l) == *canonical);
            if !plain {
                recorder.note(&named, Look::Entry);
            }
        }
        Err(_) => {
            recorder.note(&named, Look::Entry);
            recorder.note(&named, Look::Follow);
        }
    }
}

/// `bytes` as a string, or where they stop being UTF-8.
pub fn utf8(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // The prefix up to `valid_up_to` is valid UTF-8 by that field's definition.
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let (line, column) = LineIndex::new(valid).position(valid, valid.len());
        ReadError::InvalidUtf8 {
            line,
            column,
            byte: bytes.get(offset).copied().unwrap_or(0),
            offset,
        }
    })
}

/// `rel` with `.` removed and `..` applied, if it never climbs above its start and has
/// no root or prefix.
pub(crate) fn normalize(rel: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Opens `path` without blocking (a FIFO would otherwise wait for a writer forever),
/// accepts a regular file only, and reads at most `limit` bytes of it.
fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Unreadable(e),
    })?;
    let meta = file.metadata().map_err(ReadError::Unreadable)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind_of(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            len: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte more than the limit tells a file that grew past it since `metadata`.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            len: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, in words.
pub fn kind_of(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// A size for messages: exact bytes below 1 MiB, else MiB with as many decimals as it
/// takes to differ from the limit (`2.000001 MiB`, never "2.0 MiB, over the 2 MiB").
pub fn size_words(len: u64, limit: u64) -> String {
    const MIB: f64 = 1_048_576.0;
    if len < 1_048_576 {
        return format!("{len} bytes");
    }
    let (l, m) = (len as f64 / MIB, limit as f64 / MIB);
    for decimals in 1..=6 {
        let shown = format!("{l:.decimals$}");
        if shown.parse::<f64>().is_ok_and(|s| s > m) {
            return format!("{shown} MiB");
        }
    }
    format!("{len} bytes")
}

/// A limit for messages: `2 MiB`, `256 KiB`, or bytes.
pub fn limit_words(limit: u64) -> String {
    if limit.is_multiple_of(1_048_576) {
        format!("{} MiB", limit / 1_048_576)
    } else if limit.is_multiple_of(1024) {
        format!("{} KiB", limit / 1024)
    } else {
        format!("{limit} bytes")
    }
}

impl ReadError {
    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Escape => "path-escape",
            ReadError::Missing | ReadError::NotAFile(_) | ReadError::Unreadable(_) => {
                "file-unreadable"
            }
            ReadError::TooLarge { .. } => "file-too-large",
            ReadError::InvalidUtf8 { .. } => "invalid-utf8",
        }
    }

    /// The problem as a diagnostic on `rel` (relative to the folder). `what` names the
    /// file's role in the message (`lesson`, `course.yaml`, `image`). A file that leads
    /// out of the folder is skipped, so that is a warning; the rest are errors.
    pub fn diagnostic(&self, rel: &Path, what: &str) -> Diagnostic {
        let name = slash_path(rel);
        let (line, column, message) = match self {
            ReadError::Escape => (1, 1, format!(
                "`{name}` leads outside the lessons folder and was skipped; copy the file into the folder instead"
            )),
            ReadError::Missing => (1, 1, format!(
                "`{name}` cannot be read: nothing is there (a symbolic link that leads nowhere or to itself?)"
            )),
            ReadError::NotAFile(kind) => (1, 1, format!(
                "`{name}` is {kind}, not a regular file; Lectern reads only regular files"
            )),
            ReadError::TooLarge { len, limit } => (1, 1, format!(
                "{what} is {}, over the {} limit; split it into several files",
                size_words(*len, *limit),
                limit_words(*limit)
            )),
            ReadError::InvalidUtf8 { line, column, byte, offset } => (*line, *column, format!(
                "file is not valid UTF-8 (byte 0x{byte:02x} at offset {offset}); save it as UTF-8"
            )),
            ReadError::Unreadable(e) => (1, 1, format!("cannot read `{name}`: {e}")),
        };
        match self {
            ReadError::Escape => Diagnostic::warning(rel, line, column, self.code(), message),
            _ => Diagnostic::error(rel, line, column, self.code(), message),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic(Path::new("file"), "the file").message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Folder) {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        let folder = Folder::new(dir.path());
        (dir, folder)
    }

    #[test]
    fn reads_a_regular_file_inside_the_folder() {
        let (_d, f) = folder_with(&[("a/b.md", b"hello")]);
        assert_eq!(f.read(Path::new("a/b.md"), 10).unwrap(), b"hello");
        assert_eq!(f.read(Path::new("a/./x/../b.md"), 10).unwrap(), b"hello");
    }

    #[test]
    fn dot_dot_above_the_folder_is_an_escape_even_when_it_comes_back() {
        let (d, f) = folder_with(&[("a.md", b"x")]);
        let name = d.path().file_name().unwrap().to_string_lossy().into_owned();
        let back = format!("../{name}/a.md");
        assert!(matches!(
            f.read(Path::new(&back), 10),
            Err(ReadError::Escape)
        ));
        assert!(matches!(
            f.read(Path::new("/etc/passwd"), 10),
            Err(ReadError::Escape)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_folder_is_an_escape_and_a_link_to_nowhere_is_missing() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.md"), b"x").unwrap();
        let (d, f) = folder_with(&[]);
        std::os::unix::fs::symlink(outside.path().join("secret.md"), d.path().join("s.md"))
            .unwrap();
        std::os::unix::fs::symlink(d.path().join("none.md"), d.path().join("dangling.md")).unwrap();
        std::os::unix::fs::symlink(d.path().join("loop.md"), d.path().join("loop.md")).unwrap();
        assert!(matches!(
            f.read(Path::new("s.md"), 10),
            Err(ReadError::Escape)
        ));
        assert!(matches!(
            f.read(Path::new("dangling.md"), 10),
            Err(ReadError::Missing)
        ));
        assert!(matches!(
            f.read(Path::new("loop.md"), 10),
            Err(ReadError::Missing)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let (d, f) = folder_with(&[]);
        let fifo = d.path().join("course.yaml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        match f.read(Path::new("course.yaml"), 10) {
            Err(ReadError::NotAFile(kind)) => assert_eq!(kind, "a named pipe (FIFO)"),
            other => panic!("expected NotAFile, got {other:?}"),
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_exact_figures() {
        let (_d, f) = folder_with(&[("big.md", &[b'a'; 2_097_153])]);
        let err = f.read(Path::new("big.md"), MAX_LESSON_BYTES).unwrap_err();
        let d = err.diagnostic(Path::new("big.md"), "lesson");
        assert_eq!(d.code, "file-too-large");
        assert_eq!(
            d.message,
            "lesson is 2.000001 MiB, over the 2 MiB limit; split it into several files"
        );
    }

    #[test]
    fn sizes_in_messages_never_round_to_the_limit() {
        assert_eq!(size_words(2_097_153, 2_097_152), "2.000001 MiB");
        assert_eq!(size_words(3 * 1_048_576, 2_097_152), "3.0 MiB");
        assert_eq!(size_words(1000, 10), "1000 bytes");
        assert_eq!(limit_words(256 * 1024), "256 KiB");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let (_d, f) = folder_with(&[("x.md", b"ab\ncd\xffe")]);
        match f.read_text(Path::new("x.md"), 100) {
            Err(ReadError::InvalidUtf8 {
                line,
                column,
                byte,
                offset,
            }) => assert_eq!((line, column, byte, offset), (2, 3, 0xff, 5)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn relative_compares_canonical_paths_not_text() {
        let (d, f) = folder_with(&[("in/x.md", b"x")]);
        let other = tempfile::tempdir().unwrap();
        fs::write(other.path().join("o.md"), b"o").unwrap();
        let sneaky = d
            .path()
            .join("..")
            .join(other.path().file_name().unwrap())
            .join("o.md");
        let inside = Folder::new(&d.path().join("in"));
        assert!(matches!(inside.relative(&sneaky), Err(ReadError::Escape)));
        assert_eq!(
            f.relative(&d.path().join("in/../in/x.md")).unwrap(),
            Path::new("in/x.md")
        );
    }
}
