//! Keeping a loaded course current as its files change, at the cost of what changed.
//!
//! [`Course::load`] reads every lesson file once and keeps what each gave ([`Sources`]:
//! its diagnostics, the files its directives include, what a plain file's front matter
//! set; the lessons themselves live in the course) and what the format's layout needs
//! (a book's SUMMARY). [`Loaded::apply`] reads again only the lesson files a change
//! reaches: a changed lesson file (in a book, a SUMMARY chapter), and every lesson that
//! includes a changed file, directly or through nested includes (a listing, or a file a
//! directive wanted that was missing). It then lays the lessons in memory out as a fresh
//! load does (a plain folder's order, sections and `missing-id` rule; a book's SUMMARY
//! placement) and rebuilds the course through the same `rebuild`, so the result always
//! equals a fresh load. A change to what decides the format or the structure (a book's
//! `book.toml`, SUMMARY or `course.yaml`; `course.yaml`'s `ignore:` globs; a file that
//! makes the folder another format) reads everything again. The in-memory work is
//! sorting, ids, links, sections: a few milliseconds for 10,000 lessons; reading,
//! parsing and rendering are done for the lessons the change reached only.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::dependencies::Dependencies;
use super::file::{self, CourseFile, SectionEntry};
use super::source::{self, mdbook, plain, Detected, Format, Layout, BOOK_FILE, SUMMARY_FILE};
use super::{Course, Loaded};
use crate::diagnostic::{self, Diagnostic};
use crate::folder::{Folder, ReadError};
use crate::lesson::{self, Lenient, Lesson, Provenance, COURSE_FILE};

/// A change to the course folder, as the watcher reports it (paths relative to it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileChange {
    /// A Markdown file (`.md`) was written, created, removed or renamed (each side of a
    /// rename is one change). A lesson file is read again, or forgotten when gone (in a
    /// Lectern course or a plain folder every `.md` file is one; in a book, the
    /// SUMMARY's chapters); the lessons that include it are read again.
    Lesson(PathBuf),
    /// `course.yaml` changed.
    CourseFile,
    /// Any other file under the course folder was written, created, removed or renamed
    /// (a listing, a text file, `book.toml`). The lessons whose directives include it
    /// are read again; a book's `book.toml` reads the book again; a file no lesson
    /// includes changes nothing.
    File(PathBuf),
    /// Too much changed to follow file by file (a `git checkout`, a folder moved):
    /// everything is read again.
    Rescan,
}

impl FileChange {
    /// The path that changed, relative to the course folder (`course.yaml` for
    /// [`FileChange::CourseFile`]); `None` for a rescan.
    pub fn path(&self) -> Option<&Path> {
        match self {
            FileChange::Lesson(p) | FileChange::File(p) => Some(p),
            FileChange::CourseFile => Some(Path::new(COURSE_FILE)),
            FileChange::Rescan => None,
        }
    }
}

/// What applying changes did to the course.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Ids of lessons that were added or read again (their file, or a file they
    /// include, changed), in course order; after a rescan, those whose path, title or
    /// text differ from before.
    pub changed: Vec<String>,
    /// Ids of lessons that are no longer in the course.
    pub removed: Vec<String>,
    /// Files whose diagnostics may have changed (relative paths, `/`-separated,
    /// sorted): the lesson files read again, the changed files they include, and any
    /// other file whose load diagnostics changed.
    pub files: Vec<String>,
    /// Whether the whole course was read again.
    pub rescanned: bool,
}

impl Applied {
    /// Whether the change reached nothing in the course (a file no lesson includes).
    pub fn is_empty(&self) -> bool {
        *self == Applied::default()
    }
}

/// What each file gave when last read, and what laying the course out needs.
#[derive(Clone, Debug, Default)]
pub(super) struct Sources {
    /// Diagnostics of reading each file (by path): scan problems, front matter errors
    /// and warnings, problems of the directives a lesson holds.
    pub(super) file_diagnostics: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// `course.yaml` as last read (or what the source says in its place), and its
    /// diagnostics.
    course_file: CourseFile,
    course_file_diagnostics: Vec<Diagnostic>,
    /// Diagnostics the format's layout finds over all lessons (a plain folder's
    /// `missing-id`, a SUMMARY's chapters listed twice, missing or outside), found
    /// again by every layout.
    pub(super) layout_diagnostics: Vec<Diagnostic>,
    /// Lessons dropped because another file has their id.
    shadowed: Vec<Lesson>,
    /// Where the course is and the format it was read as.
    pub(super) detected: Detected,
    /// What the format's layout needs beside the lessons.
    pub(super) layout: Layout,
    /// Which lesson files include which files.
    dependencies: Dependencies,
}

impl Sources {
    /// Records the problems of scanning the folder (unreadable entries, links out),
    /// each under its file, except in files `course.yaml` ignores.
    pub(super) fn record_scan(&mut self, diagnostics: Vec<Diagnostic>) {
        for d in diagnostics {
            if !self.ignores(&d.path) {
                self.file_diagnostics
                    .entry(d.path.clone())
                    .or_default()
                    .push(d);
            }
        }
    }

    /// Reads one lesson file as the course's format does (strictly in a Lectern course,
    /// leniently in a plain folder, as a SUMMARY chapter in a book), recording what it
    /// gave: its diagnostics, the files it includes, what its front matter set. The
    /// lesson if it loaded, else a broken stand-in when only its front matter failed
    /// ([`lesson::broken`]).
    pub(super) fn read_lesson(&mut self, folder: &Folder, rel: &Path) -> Option<Lesson> {
        if matches!(self.layout, Layout::Book(_)) {
            self.forget(rel);
            return mdbook::read_chapter(folder, rel, self);
        }
        let read = Read::file(self.lenient(), folder, rel);
        self.record(rel, read)
    }

    /// Reads the lesson files `rels` as [`Sources::read_lesson`] does one after another,
    /// with the same lessons in the same order and the same records: the files are read,
    /// parsed and their includes expanded on every core at once (each file alone: it
    /// reads nothing shared), then what each gave is recorded in `rels`' order. A book's
    /// chapters are read one by one (the SUMMARY reader keeps state between them).
    pub(super) fn read_lessons(&mut self, folder: &Folder, rels: &[PathBuf]) -> Vec<Lesson> {
        if matches!(self.layout, Layout::Book(_)) {
            return rels
                .iter()
                .filter_map(|rel| self.read_lesson(folder, rel))
                .collect();
        }
        let lenient = self.lenient();
        let reads: Vec<Read> = rels
            .par_iter()
            .map(|rel| Read::file(lenient, folder, rel))
            .collect();
        rels.iter()
            .zip(reads)
            .filter_map(|(rel, read)| self.record(rel, read))
            .collect()
    }

    /// Whether lesson files are read leniently (a plain folder) rather than strictly.
    fn lenient(&self) -> bool {
        matches!(self.layout, Layout::Plain(_))
    }

    /// Records what reading the lesson file `rel` gave (see [`Sources::read_lesson`]).
    fn record(&mut self, rel: &Path, read: Read) -> Option<Lesson> {
        self.forget(rel);
        let result = read.result.map(|(lesson, warnings, set)| {
            if let (Layout::Plain(facts), Some(set)) = (&mut self.layout, set) {
                facts.record(rel, set);
            }
            (lesson, warnings)
        });
        self.keep(rel, result).or(read.stand_in)
    }

    /// Forgets what reading `rel` gave (before it is read again, or when it is gone).
    pub(super) fn forget(&mut self, rel: &Path) {
        self.file_diagnostics.remove(rel);
        self.dependencies.forget(rel);
        if let Layout::Plain(facts) = &mut self.layout {
            facts.forget(rel);
        }
    }

    /// Records what reading the lesson file `rel` gave: its diagnostics and the files it
    /// includes. The lesson if it loaded.
    pub(super) fn keep(
        &mut self,
        rel: &Path,
        read: Result<(Lesson, Vec<Diagnostic>), Diagnostic>,
    ) -> Option<Lesson> {
        match read {
            Ok((lesson, warnings)) => {
                if !warnings.is_empty() {
                    self.file_diagnostics.insert(rel.to_path_buf(), warnings);
                }
                self.dependencies.record(rel, &lesson.includes);
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

    /// Sets the sections a layout found, in order.
    pub(super) fn set_sections(&mut self, sections: Vec<SectionEntry>) {
        self.course_file.sections = sections;
    }

    /// Whether `course.yaml`'s `ignore:` globs match `rel`.
    pub(super) fn ignores(&self, rel: &Path) -> bool {
        self.course_file
            .ignore
            .as_ref()
            .is_some_and(|set| set.is_match(rel))
    }
}

/// What the course was before a change, as much as telling what changed needs.
struct Before {
    /// The ids the lesson files read again had.
    ids: HashMap<PathBuf, String>,
    /// The files of the lessons dropped as duplicates.
    shadowed: BTreeSet<PathBuf>,
    /// The layout's diagnostics.
    layout_diagnostics: Vec<Diagnostic>,
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
        diagnostics.extend(self.sources.layout_diagnostics.iter().cloned());
        let root = self.course.root.clone();
        self.course = Course::assemble(
            &root,
            lessons,
            self.sources.course_file.clone(),
            &mut diagnostics,
            &mut self.sources.shadowed,
        );
        self.course.format = self.sources.detected.format;
        diagnostic::sort(&mut diagnostics);
        self.diagnostics = diagnostics;
    }

    /// Applies changes reported by the watcher; the result equals [`Course::load`] of
    /// the folder as it is now. Reads again only the lesson files the changes reach
    /// (see the module docs); a change that reaches none gives an empty [`Applied`].
    pub fn apply(&mut self, changes: &[FileChange]) -> Applied {
        if changes.contains(&FileChange::Rescan) || self.structure_changed(changes) {
            return self.rescan();
        }
        let root = self.course.root.clone();
        let mut files = BTreeSet::new();
        let lectern = self.sources.detected.format == Format::Lectern;
        if lectern && changes.contains(&FileChange::CourseFile) {
            // The `ignore:` globs decide which files are lessons: when they are
            // involved, a rescan. (In the other formats it is structure, above.)
            if self.sources.course_file.ignore.is_some() {
                return self.rescan();
            }
            self.sources.read_course_file(&root);
            if self.sources.course_file.ignore.is_some() {
                return self.rescan();
            }
            files.insert(PathBuf::from(COURSE_FILE));
        }
        let again = self.reached(changes, &mut files);
        if again.is_empty() && files.is_empty() {
            return Applied::default();
        }
        let before = self.before(&again);
        let folder = Folder::new(&root);
        let mut lessons = std::mem::take(&mut self.course.lessons);
        lessons.append(&mut self.sources.shadowed);
        lessons.retain(|l| !again.contains(&l.path));
        for rel in &again {
            if let Some(lesson) = self.reread(&folder, rel) {
                lessons.push(lesson);
            }
        }
        let lessons = self.lay_out(lessons);
        self.rebuild(lessons);
        files.extend(again.iter().cloned());
        self.summarize(&before, &again, files)
    }

    /// Whether `changes` may give the course another format or structure, which only a
    /// whole read settles: a book's `book.toml`, SUMMARY or `course.yaml` changed, or a
    /// file the format is detected by changed and the folder now reads as another.
    fn structure_changed(&self, changes: &[FileChange]) -> bool {
        let detected = &self.sources.detected;
        let decides = [COURSE_FILE, BOOK_FILE, SUMMARY_FILE, "src/SUMMARY.md"];
        let mut detect_again = false;
        for path in changes.iter().filter_map(FileChange::path) {
            let book_structure = path == Path::new(BOOK_FILE)
                || path == Path::new(COURSE_FILE)
                || path == detected.src.join(SUMMARY_FILE);
            if detected.format == Format::Mdbook && book_structure {
                return true;
            }
            detect_again |= decides.iter().any(|f| path == Path::new(f));
        }
        detect_again && source::detect(&self.course.root) != *detected
    }

    /// The lesson files `changes` reach: each changed lesson file, and every lesson file
    /// that includes a changed file. Changed files that some lesson includes go into
    /// `files` (diagnostics in their lines may change).
    fn reached(&self, changes: &[FileChange], files: &mut BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
        let mut again = BTreeSet::new();
        for change in changes {
            let Some(path) = change.path() else {
                continue;
            };
            let own = match (&self.sources.layout, change) {
                (Layout::Book(book), _) => book.is_chapter(path),
                (_, FileChange::Lesson(_)) => true,
                _ => false,
            };
            if own {
                again.insert(path.to_path_buf());
            }
            let mut included = false;
            for lesson in self.sources.dependencies.includers(path) {
                again.insert(lesson.clone());
                included = true;
            }
            if included {
                files.insert(path.to_path_buf());
            }
        }
        again
    }

    fn before(&mut self, again: &BTreeSet<PathBuf>) -> Before {
        let by_path = self.course.lesson_ids_by_path();
        Before {
            ids: again
                .iter()
                .filter_map(|p| by_path.get(p).map(|id| (p.clone(), id.clone())))
                .collect(),
            shadowed: self
                .sources
                .shadowed
                .iter()
                .map(|l| l.path.clone())
                .collect(),
            layout_diagnostics: std::mem::take(&mut self.sources.layout_diagnostics),
        }
    }

    /// Reads a path the change reached again: a lesson, a problem to report, or nothing
    /// (gone, or not a lesson file).
    fn reread(&mut self, folder: &Folder, rel: &Path) -> Option<Lesson> {
        self.sources.forget(rel);
        if matches!(self.sources.layout, Layout::Book(_)) {
            // A chapter: the SUMMARY's line reports it missing.
            return self.sources.read_lesson(folder, rel);
        }
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

    /// Lays the lessons out as the format's fresh read does after reading its files.
    fn lay_out(&mut self, mut lessons: Vec<Lesson>) -> Vec<Lesson> {
        match self.sources.layout {
            Layout::Lectern => lessons,
            Layout::Plain(_) => {
                plain::lay_out(&mut lessons, &mut self.sources);
                lessons
            }
            Layout::Book(_) => {
                let pool = lessons.into_iter().map(|l| (l.path.clone(), l)).collect();
                mdbook::place(pool, &mut self.sources)
            }
        }
    }

    fn rescan(&mut self) -> Applied {
        let root = self.course.root.clone();
        let old = std::mem::replace(self, Course::load(&root));
        let mut applied = Applied {
            rescanned: true,
            ..Applied::default()
        };
        applied.removed = old
            .course
            .lessons()
            .iter()
            .filter(|l| self.course.lesson(&l.id).is_none())
            .map(|l| l.id.clone())
            .collect();
        applied.removed.sort();
        let differs = |l: &Lesson| {
            old.course
                .lesson(&l.id)
                .is_none_or(|o| (&o.path, &o.title, &o.text) != (&l.path, &l.title, &l.text))
        };
        applied.changed = self
            .course
            .lessons()
            .iter()
            .filter(|l| differs(l))
            .map(|l| l.id.clone())
            .collect();
        let paths: BTreeSet<String> = [&old.course, &self.course]
            .iter()
            .flat_map(|c| c.lessons().iter().map(|l| diagnostic::slash_path(&l.path)))
            .collect();
        applied.files = paths.into_iter().collect();
        applied
    }

    /// What changed: the lessons read again (`again`) now in the course, those that
    /// left it, lessons that stopped or started being shadowed by a duplicate id, and
    /// the files whose diagnostics may differ (`files`, plus those the layout's
    /// diagnostics moved between).
    fn summarize(
        &self,
        before: &Before,
        again: &BTreeSet<PathBuf>,
        mut files: BTreeSet<PathBuf>,
    ) -> Applied {
        let course = &self.course;
        let by_path = course.lesson_ids_by_path();
        let shadowed: BTreeSet<PathBuf> = self
            .sources
            .shadowed
            .iter()
            .map(|l| l.path.clone())
            .collect();
        let flipped: Vec<&PathBuf> = shadowed.symmetric_difference(&before.shadowed).collect();
        let mut applied = Applied::default();
        for rel in again.iter().chain(flipped.iter().copied()) {
            if let Some(id) = by_path.get(rel) {
                applied.changed.push(id.clone());
            }
            files.insert(rel.clone());
        }
        for old in before.ids.values() {
            if course.lesson(old).is_none() {
                applied.removed.push(old.clone());
            }
        }
        let now = &self.sources.layout_diagnostics;
        if *now != before.layout_diagnostics {
            files.extend(moved(&before.layout_diagnostics, now));
        }
        applied.changed.sort_by_key(|id| course.index_of(id));
        applied.changed.dedup();
        applied.removed.sort();
        applied.removed.dedup();
        applied.files = files.iter().map(|p| diagnostic::slash_path(p)).collect();
        applied
    }
}

/// The files whose diagnostics differ between `old` and `new`.
fn moved(old: &[Diagnostic], new: &[Diagnostic]) -> BTreeSet<PathBuf> {
    fn by_file(list: &[Diagnostic]) -> BTreeMap<&Path, Vec<&Diagnostic>> {
        let mut map: BTreeMap<&Path, Vec<&Diagnostic>> = BTreeMap::new();
        for d in list {
            map.entry(d.path.as_path()).or_default().push(d);
        }
        map
    }
    let (old, new) = (by_file(old), by_file(new));
    old.keys()
        .chain(new.keys())
        .filter(|p| old.get(*p) != new.get(*p))
        .map(|p| p.to_path_buf())
        .collect()
}

/// What reading one lesson file gave, before it is recorded: it depends on the file
/// alone, so files are read in parallel ([`Sources::read_lessons`]).
struct Read {
    /// The lesson and its warnings, with what a lenient read's front matter set; or why
    /// the file is not a lesson.
    result: Result<(Lesson, Vec<Diagnostic>, Option<Provenance>), Diagnostic>,
    /// The broken stand-in when only the front matter failed ([`lesson::broken`]).
    stand_in: Option<Lesson>,
}

impl Read {
    /// Reads `rel` strictly (a Lectern course) or leniently (a plain folder).
    /// The file is read once ([`lesson::load_once`]), its broken stand-in made from the
    /// same text.
    fn file(lenient: bool, folder: &Folder, rel: &Path) -> Read {
        let hint = lenient.then_some(Lenient {
            id_path: rel,
            title: None,
        });
        let (result, stand_in) = lesson::load_once(folder, rel, hint);
        Read { result, stand_in }
    }
}
