//! The course-source seam: how a folder becomes lessons, sections and order, decided in
//! this one place. Everything after it (rendering, quizzes, `lectern check`, progress
//! keys, review, search, the Problems panel) is shared by every format.
//!
//! [`detect`] applies the one rule, first match wins:
//!
//! 1. a `book.toml` in the folder, or in the folder above when the opened folder is that
//!    book's `src` → an **mdBook** book, rooted where `book.toml` is (the root for
//!    includes, identity and paths; `src` read from it);
//! 2. a `SUMMARY.md` in the folder or in its `src/` → read as a SUMMARY the same way
//!    (GitBook folders use the same list form), with mdBook's defaults;
//! 3. a `course.yaml` → a **Lectern** course, read strictly, exactly as always;
//! 4. anything else → a folder of **plain Markdown**, read leniently.
//!
//! One implementation per format: [`lectern`], [`plain`], [`mdbook`]. Each returns the
//! lessons it read (with a `position` when the source orders them) and fills a
//! [`CourseFile`] with what it says about the course (title, id, sections in order with
//! their titles and drafts), so `Course::assemble` builds every format the same way.
//!
//! Each format reads a course in two steps: every lesson file through
//! `Sources::read_lesson` (which records what the file gave), then a layout over the
//! lessons in memory (a plain folder's order, sections and `missing-id` rule; a book's
//! SUMMARY placement), keeping in [`Layout`] what that layout needs. `Loaded::apply`
//! runs the same two steps for the files a change reached, so a change costs what it
//! touched and its result equals a fresh read.

pub(super) mod lectern;
pub(super) mod mdbook;
pub(super) mod plain;

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::incremental::Sources;
use crate::folder::Folder;
use crate::lesson::{Lesson, COURSE_FILE};

/// Name of an mdBook book's configuration file.
pub const BOOK_FILE: &str = "book.toml";
/// Name of the table of contents of mdBook and GitBook.
pub const SUMMARY_FILE: &str = "SUMMARY.md";

/// The formats Lectern reads (`format` in `lectern list --json`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A Lectern course: `course.yaml` and lessons with Lectern front matter.
    #[default]
    Lectern,
    /// A folder of Markdown files, read leniently.
    Markdown,
    /// An mdBook book (or a folder with a `SUMMARY.md`).
    Mdbook,
}

/// Where a course's files are and how to read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detected {
    /// The format.
    pub format: Format,
    /// The course's root: the opened folder, or the book's root when its `src/` was
    /// opened. Paths, includes and identity are relative to it.
    pub root: PathBuf,
    /// For mdBook: the folder of `SUMMARY.md` and the chapters, relative to `root`.
    pub src: PathBuf,
    /// For mdBook: whether `book.toml` is there.
    pub has_book_file: bool,
}

/// Detects the format of the folder `opened` (see the module docs for the rule).
pub fn detect(opened: &Path) -> Detected {
    let at = |format, root: &Path, src: &Path, has_book_file| Detected {
        format,
        root: root.to_path_buf(),
        src: src.to_path_buf(),
        has_book_file,
    };
    if opened.join(BOOK_FILE).is_file() {
        let src = mdbook::src_of(opened);
        return at(Format::Mdbook, opened, &src, true);
    }
    if let Some(parent) = opened.parent().filter(|p| p.join(BOOK_FILE).is_file()) {
        let src = mdbook::src_of(parent);
        let same =
            std::fs::canonicalize(parent.join(&src)).ok() == std::fs::canonicalize(opened).ok();
        if same {
            return at(Format::Mdbook, parent, &src, true);
        }
    }
    if opened.join(SUMMARY_FILE).is_file() {
        return at(Format::Mdbook, opened, Path::new(""), false);
    }
    if opened.join("src").join(SUMMARY_FILE).is_file() {
        return at(Format::Mdbook, opened, Path::new("src"), false);
    }
    if opened.join(COURSE_FILE).exists()
        || std::fs::symlink_metadata(opened.join(COURSE_FILE)).is_ok()
    {
        return at(Format::Lectern, opened, Path::new(""), false);
    }
    at(Format::Markdown, opened, Path::new(""), false)
}

/// What a format's reader learned that laying the course out again needs, beside what
/// each file gave (`Sources`).
#[derive(Clone, Debug, Default)]
pub(super) enum Layout {
    /// A Lectern course: lessons order themselves (`order`, `course.yaml`).
    #[default]
    Lectern,
    /// A plain folder: what each file's front matter set itself.
    Plain(plain::Facts),
    /// An mdBook book: its SUMMARY and the state of each chapter file.
    Book(Box<mdbook::Book>),
}

/// Reads the course `detected` describes: the lessons, with every file's diagnostics and
/// the course file recorded in `sources`.
/// Every file is read through `folder` (the course's root), so a stamped load notes
/// each.
pub(super) fn read(folder: &Folder, detected: &Detected, sources: &mut Sources) -> Vec<Lesson> {
    sources.detected = detected.clone();
    match detected.format {
        Format::Lectern => lectern::read(folder, sources),
        Format::Markdown => plain::read(folder, sources),
        Format::Mdbook => mdbook::read(folder, detected, sources),
    }
}

/// A section slug not yet in `taken` (then taken): `slug`, `slug-2`, `slug-3`…
pub(super) fn unique_slug(
    slug: String,
    fallback: &str,
    taken: &mut std::collections::HashSet<String>,
) -> String {
    let base = if slug.is_empty() {
        fallback.to_owned()
    } else {
        slug
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}
