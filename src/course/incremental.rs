//! Keeping a loaded course current as its files change, at the cost of what changed.
//!
//! [`Course::load`] reads every file once and keeps what each gave ([`Sources`]: its
//! diagnostics; the lessons themselves live in the course). [`Loaded::apply`] re-reads
//! only the files named by the changes, then rebuilds the course from the lessons in
//! memory through the same `rebuild` a fresh load uses, so the result always equals a
//! fresh load. The rebuild is in-memory work over the course (sorting, ids, links,
//! sections: a few milliseconds for 10,000 lessons); reading, parsing and rendering are
//! done for the changed files only.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::file::{self, CourseFile};
use super::{Course, Loaded};
use crate::diagnostic::{self, Diagnostic};
use crate::folder::{Folder, ReadError};
use crate::lesson::{self, Lesson};

/// A change to the course folder, as the watcher reports it (paths relative to it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileChange {
    /// A lesson file was written, created, removed or renamed (each side of a rename
    /// is one change): it is read again, or forgotten when gone.
    Lesson(PathBuf),
    /// `course.yaml` changed.
    CourseFile,
    /// Too much changed to follow file by file (a `git checkout`, a folder moved):
    /// everything is read again.
    Rescan,
}

/// What applying changes did to the course.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Ids of lessons that were added or whose file changed, in course order.
    pub changed: Vec<String>,
    /// Ids of lessons that are no longer in the course.
    pub removed: Vec<String>,
    /// Files whose diagnostics may have changed (relative paths, `/`-separated).
    pub files: Vec<String>,
    /// Whether the whole course was read again.
    pub rescanned: bool,
}

/// What each file gave when last read.
#[derive(Clone, Debug, Default)]
pub(super) struct Sources {
    /// Diagnostics of reading each file (by path): scan problems, front matter errors
    /// and warnings.
    pub(super) file_diagnostics: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// `course.yaml` as last read, and its diagnostics.
    course_file: CourseFile,
    course_file_diagnostics: Vec<Diagnostic>,
    /// Lessons dropped because another file has their id.
    shadowed: Vec<Lesson>,
    /// The format the course was read as.
    pub(super) format: super::Format,
}

impl Sources {
    /// Reads one lesson file, recording its diagnostics; the lesson if it loaded.
    pub(super) fn read_lesson(&mut self, folder: &Folder, rel: &Path) -> Option<Lesson> {
        self.file_diagnostics.remove(rel);
        match lesson::load(folder, rel) {
            Ok((lesson, warnings)) => {
                if !warnings.is_empty() {
                    self.file_diagnostics.insert(rel.to_path_buf(), warnings);
                }
                Some(lesson)
            }
            Err(d) => {
                self.file_diagnostics.insert(rel.to_path_buf(), vec![d]);
                None
            }
        }
    }

    pub(super) fn read_course_file(&mut self, root: &Path) {
        let mut diagnostics = Vec::new();
        self.course_file = file::read(root, &mut diagnostics);
        self.course_file_diagnostics = diagnostics;
    }

    /// Sets what the course's source says about the course (the plain and mdBook
    /// readers build it), with the diagnostics of reading it.
    pub(super) fn set_course_file(&mut self, file: CourseFile, diagnostics: Vec<Diagnostic>) {
        self.course_file = file;
        self.course_file_diagnostics = diagnostics;
    }

    /// Whether `course.yaml`'s `ignore:` globs match `rel`.
    pub(super) fn ignores(&self, rel: &Path) -> bool {
        self.course_file
            .ignore
            .as_ref()
            .is_some_and(|set| set.is_match(rel))
    }
}

impl Loaded {
    /// Rebuilds the course from `lessons` and the shadowed ones, with every diagnostic.
    pub(super) fn rebuild(&mut self, mut lessons: Vec<Lesson>) {
        lessons.append(&mut self.sources.shadowed);
        let mut diagnostics: Vec<Diagnostic> = self
            .sources
            .file_diagnostics
            .values()
            .flatten()
            .cloned()
            .collect();
        diagnostics.extend(self.sources.course_file_diagnostics.iter().cloned());
        let root = self.course.root.clone();
        self.course = Course::assemble(
            &root,
            lessons,
            self.sources.course_file.clone(),
            &mut diagnostics,
            &mut self.sources.shadowed,
        );
        self.course.format = self.sources.format;
        diagnostic::sort(&mut diagnostics);
        self.diagnostics = diagnostics;
    }

    /// Applies changes reported by the watcher; the result equals [`Course::load`] of
    /// the folder as it is now.
    pub fn apply(&mut self, changes: &[FileChange]) -> Applied {
        // Other formats are re-read whole for now: a SUMMARY or an included file decides
        // what many lessons hold (tracking those dependencies is the live preview's part).
        if changes.contains(&FileChange::Rescan) || self.sources.format != super::Format::Lectern {
            return self.rescan();
        }
        let root = self.course.root.clone();
        let folder = Folder::new(&root);
        // The ids the changed paths had, to tell what was removed (not the whole map:
        // copying it would cost as much as the rest of a change).
        let before: HashMap<PathBuf, String> = changes
            .iter()
            .filter_map(|c| match c {
                FileChange::Lesson(rel) => self
                    .course
                    .lesson_ids_by_path()
                    .get(rel)
                    .map(|id| (rel.clone(), id.clone())),
                _ => None,
            })
            .collect();
        let mut lessons = std::mem::take(&mut self.course.lessons);
        lessons.append(&mut self.sources.shadowed);
        let mut touched = Vec::new();
        for change in changes {
            match change {
                FileChange::Lesson(rel) => {
                    lessons.retain(|l| &l.path != rel);
                    self.sources.file_diagnostics.remove(rel);
                    if let Some(lesson) = self.reread(&folder, rel) {
                        lessons.push(lesson);
                    }
                    touched.push(rel.clone());
                }
                FileChange::CourseFile => {
                    // The `ignore:` globs may have changed: which files are lessons is
                    // decided again.
                    if self.sources.course_file.ignore.is_some() {
                        return self.rescan();
                    }
                    self.sources.read_course_file(&root);
                    if self.sources.course_file.ignore.is_some() {
                        return self.rescan();
                    }
                    touched.push(PathBuf::from(lesson::COURSE_FILE));
                }
                FileChange::Rescan => {}
            }
        }
        self.rebuild(lessons);
        self.summarize(&before, &touched)
    }

    /// Reads a changed path again: a lesson, a problem to report, or nothing (gone).
    fn reread(&mut self, folder: &Folder, rel: &Path) -> Option<Lesson> {
        match folder.locate(rel) {
            Ok(_) if self.sources.ignores(rel) => None,
            Ok(path) if path.is_file() => self.sources.read_lesson(folder, rel),
            Ok(path) if path.is_dir() => None,
            Ok(path) => {
                let kind = std::fs::metadata(&path).map_or("not a regular file", |m| {
                    crate::folder::kind_of(&m.file_type())
                });
                let e = ReadError::NotAFile(kind);
                self.sources
                    .file_diagnostics
                    .insert(rel.to_path_buf(), vec![e.diagnostic(rel, "lesson")]);
                None
            }
            // Gone: nothing at all there any more (a link to nowhere is a problem).
            Err(ReadError::Missing)
                if std::fs::symlink_metadata(folder.root().join(rel)).is_err() =>
            {
                None
            }
            Err(e) => {
                self.sources
                    .file_diagnostics
                    .insert(rel.to_path_buf(), vec![e.diagnostic(rel, "lesson")]);
                None
            }
        }
    }

    fn rescan(&mut self) -> Applied {
        let before = self.ids_by_path();
        *self = Course::load(&self.course.root.clone());
        let after = self.ids_by_path();
        let mut applied = Applied {
            rescanned: true,
            ..Applied::default()
        };
        applied.removed = before
            .values()
            .filter(|id| self.course.lesson(id).is_none())
            .cloned()
            .collect();
        applied.changed = self.course.lessons().iter().map(|l| l.id.clone()).collect();
        applied.files = after.keys().map(|p| diagnostic::slash_path(p)).collect();
        applied.removed.sort();
        applied
    }

    fn ids_by_path(&self) -> HashMap<PathBuf, String> {
        self.course.lesson_ids_by_path().clone()
    }

    fn summarize(&self, before: &HashMap<PathBuf, String>, touched: &[PathBuf]) -> Applied {
        let mut applied = Applied::default();
        for rel in touched {
            if let Some(old) = before.get(rel) {
                if self.course.lesson(old).is_none() {
                    applied.removed.push(old.clone());
                }
            }
            if let Some(id) = self.course.lesson_ids_by_path().get(rel) {
                applied.changed.push(id.clone());
            }
            applied.files.push(diagnostic::slash_path(rel));
        }
        applied.changed.sort_by_key(|id| self.course.index_of(id));
        applied.changed.dedup();
        applied.removed.sort();
        applied.removed.dedup();
        applied
    }
}
