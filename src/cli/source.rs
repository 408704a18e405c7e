//! Which course a `FILE` argument belongs to, whatever its format: `lectern render` of
//! a chapter reads it as its book reads it (its SUMMARY title, its includes expanded).

use std::path::{Path, PathBuf};

use lectern::course::{detect, Course, Format, Loaded};
use lectern::diagnostic::Diagnostic;
use lectern::folder::Folder;
use lectern::lesson::Lesson;

use super::{lesson_file, UsageError};

/// How many folders above a file an mdBook book's root is looked for (a chapter in
/// `src/part/sub/` is three below it).
const BOOK_SEARCH_DEPTH: usize = 8;

/// `file` read as a lesson of the course at `dir` (or, without `--dir`, of the book it
/// is in): the course, the lesson's path in it, and the load diagnostics of that file.
/// `None` for a Lectern course, which reads the one file strictly as before.
pub(crate) fn course_of(file: &Path, dir: &Path, dir_given: bool) -> Option<(Loaded, PathBuf)> {
    // Canonical, so `.` (the folder the command runs in) has a parent to find a book in.
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut detected = detect(&dir);
    if !dir_given && detected.format != Format::Mdbook {
        let start = std::fs::canonicalize(file).ok()?;
        if let Some(book) = start
            .ancestors()
            .skip(1)
            .take(BOOK_SEARCH_DEPTH)
            .map(detect)
            .find(|d| d.format == Format::Mdbook)
        {
            detected = book;
        }
    }
    if detected.format == Format::Lectern {
        return None;
    }
    let loaded = Course::load(&detected.root);
    let rel = Folder::new(loaded.course.root()).relative(file).ok()?;
    Some((loaded, rel))
}

/// The lesson at `rel` in `loaded`, with the diagnostics of loading that file; or those
/// diagnostics alone when it is no lesson (then at least one says why).
pub(crate) fn lesson_at(loaded: &Loaded, rel: &Path) -> (Option<Lesson>, Vec<Diagnostic>) {
    let diagnostics: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.path == rel)
        .cloned()
        .collect();
    let lesson = loaded
        .course
        .lessons()
        .iter()
        .find(|l| l.path == rel)
        .cloned();
    if lesson.is_none() && diagnostics.is_empty() {
        let d = Diagnostic::error(
            rel,
            1,
            1,
            "not-a-lesson",
            "this file is not a lesson of the course (a book's lessons are the chapters its `SUMMARY.md` lists)",
        );
        return (None, vec![d]);
    }
    (lesson, diagnostics)
}

/// A `FILE` argument read as a lesson, as its course reads it.
pub(crate) struct FileLesson {
    /// The folder paths in diagnostics are relative to: the course's root.
    pub(crate) dir: PathBuf,
    /// The lesson, when the file is one.
    pub(crate) lesson: Option<Lesson>,
    /// The diagnostics of loading it (at least one says why when there is no lesson).
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The whole course, when reading the file needed it (a book or a plain folder);
    /// `None` for a Lectern course, whose lesson files stand alone.
    pub(crate) loaded: Option<Loaded>,
}

/// `lectern render FILE` and `lectern quiz FILE`: the lesson at `file`, a chapter of a
/// book or a note of a plain folder read as its course reads it (its SUMMARY title, its
/// includes expanded, lenient front matter), a Lectern lesson strictly as always.
pub(crate) fn lesson_of(file: &Path, dir: Option<&Path>) -> Result<FileLesson, UsageError> {
    let dir_given = dir.is_some();
    let (dir, folder, rel) = lesson_file(file, dir)?;
    if let Some((loaded, rel)) = course_of(file, &dir, dir_given) {
        let (lesson, diagnostics) = lesson_at(&loaded, &rel);
        return Ok(FileLesson {
            dir: loaded.course.root().to_path_buf(),
            lesson,
            diagnostics,
            loaded: Some(loaded),
        });
    }
    let (lesson, diagnostics) = match lectern::lesson::load(&folder, &rel) {
        Ok((lesson, warnings)) => (Some(lesson), warnings),
        Err(d) => (None, vec![d]),
    };
    Ok(FileLesson {
        dir,
        lesson,
        diagnostics,
        loaded: None,
    })
}
