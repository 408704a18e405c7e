//! Folder → `.lectern`: what belongs to the course, written as a reproducible zip.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::{Limits, PackError};
use crate::course::{Course, Format};
use crate::folder::Folder;

/// Files a course is described by, besides its lessons, wherever a lesson's folder or
/// the root has them.
const COURSE_FILES: &[&str] = &["course.yaml", "book.toml", "SUMMARY.md"];

/// Folders never scanned for images (as the lesson scan skips them).
const SKIPPED_FOLDERS: &[&str] = &["node_modules", "target"];

/// [`pack_with`] under [`Limits::DEFAULT`].
pub fn pack(dir: &Path, out: &Path) -> Result<Vec<String>, PackError> {
    pack_with(dir, out, &Limits::DEFAULT)
}

/// Writes the course in `dir` to `out` and returns the entries written (sorted).
///
/// What belongs to the course is what its loader says: `course.yaml` (and a book's
/// `book.toml` and `SUMMARY.md`), every lesson file, every file a lesson includes
/// (listings, mdbook-quiz files) that exists inside the folder, and every image
/// (by extension) in the folder, hidden folders skipped and symbolic links not
/// followed. The bytes depend only on those files: entries sorted by path, every
/// timestamp 1980-01-01, permissions 0644, Deflate at level 6. `out` is written beside
/// itself and renamed, so a failed pack leaves no half archive. Refuses a course
/// without `course.yaml`'s `id` (progress is kept under it).
pub fn pack_with(dir: &Path, out: &Path, limits: &Limits) -> Result<Vec<String>, PackError> {
    let loaded = Course::load(dir);
    let course = &loaded.course;
    if course.id().is_none() {
        return Err(PackError::NoId(no_id_message(course)));
    }
    let folder = Folder::new(course.root());
    let entries = members(course);
    if entries.len() > limits.entries {
        return Err(PackError::TooLarge(format!(
            "the course has {} files; a .lectern holds at most {}",
            entries.len(),
            limits.entries
        )));
    }
    let tmp = sibling_tmp(out);
    let written = write_zip(&folder, &entries, &tmp, limits).and_then(|()| {
        fs::rename(&tmp, out).map_err(PackError::io(out))?;
        Ok(entries.into_iter().collect())
    });
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

fn no_id_message(course: &Course) -> String {
    let root = course.root().display();
    match course.format() {
        Format::Lectern => format!(
            "the course in `{root}` has no `id` in `course.yaml`; add a line such as `id: my-course` (progress is kept under it, so a newer pack keeps the learner's progress)"
        ),
        Format::Mdbook => format!(
            "the book in `{root}` has no course id; add a `course.yaml` beside its `book.toml` with a line such as `id: my-book` (the book is still read as mdBook; progress is kept under the id)"
        ),
        Format::Markdown => format!(
            "the folder `{root}` has no course id; add a `course.yaml` with a line such as `id: my-notes` (note that with it the folder is read as a Lectern course: every lesson needs front matter)"
        ),
    }
}

/// The course's files, relative to its root with `/` separators, sorted.
fn members(course: &Course) -> BTreeSet<String> {
    let root = course.root();
    let mut files = BTreeSet::new();
    let mut folders: BTreeSet<PathBuf> = BTreeSet::from([PathBuf::new()]);
    for lesson in course.lessons() {
        files.insert(slashed(&lesson.path));
        if let Some(parent) = lesson.path.parent() {
            folders.insert(parent.to_path_buf());
        }
        for include in lesson.includes.iter().filter_map(|i| normalized(i)) {
            if root.join(&include).is_file() {
                files.insert(slashed(&include));
            }
        }
    }
    for folder in &folders {
        for name in COURSE_FILES {
            let rel = folder.join(name);
            if root.join(&rel).is_file() {
                files.insert(slashed(&rel));
            }
        }
    }
    images(root, Path::new(""), &mut files);
    files
}

/// `path` with `.` and `..` resolved by name (`src/../quizzes/q.toml` →
/// `quizzes/q.toml`), or `None` when it would leave the root. Where a link inside the
/// folder leads is the `Folder`'s check, made again when the file is read.
fn normalized(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::Normal(part) => out.push(part),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.pop() => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Adds every image under `root/rel` (by extension), not following symbolic links.
fn images(root: &Path, rel: &Path, files: &mut BTreeSet<String>) {
    let Ok(entries) = fs::read_dir(root.join(rel)) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = rel.join(&name);
        if kind.is_dir() && !name_str.starts_with('.') && !SKIPPED_FOLDERS.contains(&&*name_str) {
            images(root, &path, files);
        } else if kind.is_file() && is_image(&name_str) {
            files.insert(slashed(&path));
        }
    }
}

fn is_image(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    ext.is_some_and(|e| crate::text::IMAGE_TYPES.iter().any(|(x, _)| *x == e))
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn sibling_tmp(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn write_zip(
    folder: &Folder,
    entries: &BTreeSet<String>,
    tmp: &Path,
    limits: &Limits,
) -> Result<(), PackError> {
    let file = fs::File::create(tmp).map_err(PackError::io(tmp))?;
    let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let zip_error = |e: zip::result::ZipError| PackError::Io {
        path: tmp.to_path_buf(),
        source: std::io::Error::other(e),
    };
    let mut total = 0u64;
    for name in entries {
        let bytes = folder
            .read(Path::new(name), limits.entry_bytes)
            .map_err(|e| PackError::Read {
                path: PathBuf::from(name),
                reason: e.to_string(),
            })?;
        total += bytes.len() as u64;
        if total > limits.total_bytes {
            return Err(PackError::TooLarge(format!(
                "the course's files are over {} bytes together, the most a .lectern holds",
                limits.total_bytes
            )));
        }
        zip.start_file(name.as_str(), options).map_err(zip_error)?;
        zip.write_all(&bytes).map_err(PackError::io(tmp))?;
    }
    let mut inner = zip.finish().map_err(zip_error)?;
    inner.flush().map_err(PackError::io(tmp))?;
    let file = inner.into_inner().map_err(|e| PackError::Io {
        path: tmp.to_path_buf(),
        source: e.into_error(),
    })?;
    file.sync_all().map_err(PackError::io(tmp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_image_knows_the_served_types_whatever_their_case() {
        assert!(is_image("a/b.PNG"));
        assert!(is_image("x.svg"));
        assert!(!is_image("notes.md"));
        assert!(!is_image("png"));
    }

    #[test]
    fn normalized_resolves_parent_folders_and_refuses_leaving_the_root() {
        assert_eq!(
            normalized(Path::new("src/../quizzes/q.toml")),
            Some(PathBuf::from("quizzes/q.toml"))
        );
        assert_eq!(normalized(Path::new("../outside.toml")), None);
        assert_eq!(normalized(Path::new("/etc/passwd")), None);
    }

    #[test]
    fn slashed_joins_components_with_forward_slashes() {
        assert_eq!(slashed(Path::new("a/b/c.md")), "a/b/c.md");
    }
}
