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
//!
//! The common save skips even that: when the change reached one lesson file alone and
//! the lesson read again keeps everything that places it in the course (id, `order`,
//! position, section, parent, declared links; in a plain folder what its front matter
//! set, and not a folder's opening file), it replaces the lesson where it is and only
//! the diagnostics of its own file are made again, from the same pieces the rebuild
//! uses ([`Loaded::change_in_place`]); the cost no longer grows with the course. Its
//! title, type, duration and text may change: the outline entry follows, and
//! [`Loaded::outline_stamp`] tells the live loop whether the outline may differ. A
//! random-edit test in this module checks every step against a rebuild and a fresh
//! load.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::dependencies::Dependencies;
use super::file::{self, CourseFile, SectionEntry};
use super::source::{self, mdbook, plain, Detected, Format, Layout, BOOK_FILE, SUMMARY_FILE};
use super::{Course, Loaded};
use crate::diagnostic::{self, Diagnostic};
use crate::folder::{Folder, ReadError};
use crate::lesson::{self, Lenient, Lesson, Provenance, COURSE_FILE};
use crate::stamp::Stamp;

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

    pub(super) fn read_course_file(&mut self, folder: &Folder) {
        let mut diagnostics = Vec::new();
        self.course_file = file::read(folder, &mut diagnostics);
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

/// Gives a stamp never given before in this process ([`Loaded::outline_stamp`]).
fn fresh_stamp() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Where the diagnostics of the file `rel` are in `sorted` (sorted by
/// [`diagnostic::sort`], path first): `lo..hi`, empty when it has none.
fn range_of(sorted: &[Diagnostic], rel: &Path) -> (usize, usize) {
    let lo = sorted.partition_point(|d| d.path.as_path() < rel);
    let hi = lo + sorted[lo..].partition_point(|d| d.path.as_path() <= rel);
    (lo, hi)
}

/// A lesson that may change in place ([`Loaded::in_place`]), as it was before its file
/// was read again.
struct Was {
    /// Its index in the course's lessons.
    index: usize,
    /// What its front matter set, in a plain folder.
    set: Option<Provenance>,
    /// The diagnostics of reading its file.
    file_diagnostics: Vec<Diagnostic>,
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
    /// A number that changes whenever what the course's outline shows may have changed
    /// (its title, sections, totals and each lesson's entry; diagnostics aside) and is
    /// kept by a change in place that left all of it as it was: two states of a course
    /// with one stamp have the same outline, so `live::Session` compares outlines only
    /// when the stamp moved. Stamps are never given twice in a process.
    pub(crate) fn outline_stamp(&self) -> u64 {
        self.outline_stamp
    }

    /// Rebuilds the course from `lessons` and the shadowed ones, with every diagnostic.
    pub(super) fn rebuild(&mut self, mut lessons: Vec<Lesson>) {
        self.outline_stamp = fresh_stamp();
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
    /// A save of one lesson that keeps its place (its text, title or duration
    /// edited: the common case) changes that lesson in place at a cost independent of
    /// the course's size ([`Loaded::change_in_place`]); any other change rebuilds the
    /// course in memory.
    pub fn apply(&mut self, changes: &[FileChange]) -> Applied {
        self.stamp = None;
        self.apply_changes(changes, true)
    }

    /// What the load read on disk, with what it found ([`Course::load_stamped`]); `None`
    /// for a load not stamped or once a change was applied. With it, [`Loaded::detected`]
    /// and the diagnostics, a later process can tell that loading again would give this.
    pub fn stamp(&self) -> Option<&Stamp> {
        self.stamp.as_ref()
    }

    /// How the folder was read: its format, root and (for a book) `src`.
    pub fn detected(&self) -> &Detected {
        &self.sources.detected
    }

    /// [`Loaded::apply`], with changes in place allowed or not (a test compares both).
    fn apply_changes(&mut self, changes: &[FileChange], allow_in_place: bool) -> Applied {
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
            self.sources.read_course_file(&Folder::new(&root));
            if self.sources.course_file.ignore.is_some() {
                return self.rescan();
            }
            files.insert(PathBuf::from(COURSE_FILE));
        }
        let again = self.reached(changes, &mut files);
        if again.is_empty() && files.is_empty() {
            return Applied::default();
        }
        let mut before = self.before(&again);
        let folder = Folder::new(&root);
        let in_place = self.in_place(&again, &files).filter(|_| allow_in_place);
        let mut read: Vec<Lesson> = again
            .iter()
            .filter_map(|rel| self.reread(&folder, rel))
            .collect();
        if let Some(was) = in_place {
            if let Some(applied) = self.change_in_place(was, &mut read, &mut before) {
                return applied;
            }
        }
        let mut lessons = std::mem::take(&mut self.course.lessons);
        lessons.append(&mut self.sources.shadowed);
        lessons.retain(|l| !again.contains(&l.path));
        lessons.append(&mut read);
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

    /// The lesson file the change reached, when it may change in place: the change
    /// reached one lesson file and nothing else (no file it includes, not
    /// `course.yaml`), that lesson is in the course (not dropped as a duplicate), and in
    /// a plain folder it does not open its folder (its title and position key are its
    /// folder's). What it was before it is read again.
    fn in_place(&self, again: &BTreeSet<PathBuf>, files: &BTreeSet<PathBuf>) -> Option<Was> {
        let (Some(rel), 1, true) = (again.first(), again.len(), files.is_empty()) else {
            return None;
        };
        let course = &self.course;
        let index = course
            .ids_by_path
            .get(rel)
            .and_then(|id| course.index_of(id))?;
        let set = match &self.sources.layout {
            Layout::Plain(facts) => {
                let name = rel.file_name()?.to_string_lossy();
                if plain::is_index(&name) {
                    return None;
                }
                Some(facts.of(rel))
            }
            Layout::Lectern | Layout::Book(_) => None,
        };
        let file_diagnostics = self.sources.file_diagnostics.get(rel).cloned();
        Some(Was {
            index,
            set,
            file_diagnostics: file_diagnostics.unwrap_or_default(),
        })
    }

    /// Puts `lesson`, the lesson file [`Loaded::in_place`] chose read again, in place of
    /// what it was, when that is what a rebuild would do: it takes the place the layout
    /// gave the lesson before (a plain folder's position and folder section, a book's
    /// position, parent and section), and keeps everything that places a lesson in the
    /// course or others depend on: its id (duplicates, links and the maps by id and
    /// path), `order` and position (the course order, every lesson's neighbours), its
    /// section (membership, an `unknown-section` warning), its declared links (their
    /// warnings, cycles) and, in a plain folder, what its front matter set (the layout,
    /// the `missing-id` rule). Its title, duration, type and text may change: the
    /// outline entry and the diagnostics in its own file are all that follow. Only the
    /// diagnostics of its file are made again ([`Course::own_diagnostics`]), and only
    /// when the ones the course holds are what that model says they were (else a
    /// rebuild settles it). `read` holds the lesson read again: taken when it is put
    /// in place; else left there, for a rebuild (`None`).
    fn change_in_place(
        &mut self,
        was: Was,
        read: &mut Vec<Lesson>,
        before: &mut Before,
    ) -> Option<Applied> {
        let lesson = read.last_mut()?;
        let old = &self.course.lessons[was.index];
        if !self.takes_place_of(&was, old, lesson) {
            return None;
        }
        let diagnostics = self.own_diagnostics_again(&was, lesson, before)?;
        fn shown(l: &Lesson) -> (&str, &str, Option<u32>, bool) {
            (&l.title, &l.kind, l.duration_minutes, l.broken)
        }
        if shown(old) != shown(lesson) {
            self.outline_stamp = fresh_stamp();
        }
        let lesson = read.pop()?;
        let rel = lesson.path.clone();
        let (lo, hi) = range_of(&self.diagnostics, &rel);
        self.diagnostics.splice(lo..hi, diagnostics);
        let mut layout = std::mem::take(&mut before.layout_diagnostics);
        if matches!(self.sources.layout, Layout::Plain(_)) {
            for d in layout
                .iter_mut()
                .filter(|d| d.path == rel && d.code == "missing-id")
            {
                *d = plain::missing_id(&lesson);
            }
        }
        self.sources.layout_diagnostics = layout;
        let id = lesson.id.clone();
        self.course.replace(was.index, lesson);
        Some(Applied {
            changed: vec![id],
            removed: Vec::new(),
            files: vec![diagnostic::slash_path(&rel)],
            rescanned: false,
        })
    }

    /// Gives `lesson` (read again) what the layout gave `old`, the lesson it would
    /// replace (a plain folder's position and folder section, a book's position,
    /// parent and section); whether it then takes `old`'s place exactly: the same id,
    /// path, `order`, position, section, declared links and parent and, in a plain
    /// folder, the same keys set in its front matter. (What it is given is what a
    /// rebuild's layout gives it too, so a rebuild may follow.)
    fn takes_place_of(&self, was: &Was, old: &Lesson, lesson: &mut Lesson) -> bool {
        let set_now = match &self.sources.layout {
            Layout::Plain(facts) => Some(facts.of(&lesson.path)),
            Layout::Lectern | Layout::Book(_) => None,
        };
        if set_now != was.set {
            return false;
        }
        match (&self.sources.layout, set_now) {
            (Layout::Plain(_), Some(set)) if !set.section => {
                lesson.section.clone_from(&old.section);
            }
            (Layout::Plain(_), _) => {
                lesson.section = lesson.section.take().filter(|s| !s.is_empty());
            }
            (Layout::Book(_), _) => {
                lesson.section.clone_from(&old.section);
                lesson.parent.clone_from(&old.parent);
            }
            (Layout::Lectern, _) => {}
        }
        lesson.position = old.position;
        type Place<'a> = (&'a str, &'a Path, Option<i64>, Option<usize>, Links<'a>);
        type Links<'a> = [Option<&'a str>; 4];
        fn places(l: &Lesson) -> Place<'_> {
            let links = [&l.section, &l.prev, &l.next, &l.parent].map(|o| o.as_deref());
            (&l.id, &l.path, l.order, l.position, links)
        }
        places(old) == places(lesson)
    }

    /// The diagnostics of `lesson`'s file once it is in place of lesson `was.index`, as
    /// a rebuild finds them (sorted as [`diagnostic::sort`] leaves them): its file's, the
    /// course file's and the layout's in that file, its own from the course's assembly.
    /// `None` when the diagnostics the course holds for the file are not what the same
    /// model gives for the lesson as it was (a diagnostic from elsewhere: a rebuild
    /// settles it), or when a diagnostic of reading it is in another file.
    fn own_diagnostics_again(
        &self,
        was: &Was,
        lesson: &Lesson,
        before: &Before,
    ) -> Option<Vec<Diagnostic>> {
        let rel = &lesson.path;
        let now_read = self
            .sources
            .file_diagnostics
            .get(rel)
            .map_or(&[][..], Vec::as_slice);
        if was
            .file_diagnostics
            .iter()
            .chain(now_read)
            .any(|d| d.path != *rel)
        {
            return None;
        }
        let layout_then: Vec<&Diagnostic> = before
            .layout_diagnostics
            .iter()
            .filter(|d| d.path == *rel)
            .collect();
        let plain = matches!(self.sources.layout, Layout::Plain(_));
        let layout_now: Vec<Diagnostic> = layout_then
            .iter()
            .map(|d| match d.code {
                "missing-id" if plain => plain::missing_id(lesson),
                _ => (*d).clone(),
            })
            .collect();
        let model = |l: &Lesson, read: &[Diagnostic], layout: Vec<Diagnostic>| {
            let mut found = read.to_vec();
            let course_file = &self.sources.course_file_diagnostics;
            found.extend(course_file.iter().filter(|d| d.path == *rel).cloned());
            found.extend(layout);
            let declared = &self.sources.course_file.sections;
            found.extend(self.course.own_diagnostics(was.index, l, declared));
            diagnostic::sort(&mut found);
            found
        };
        let old = &self.course.lessons[was.index];
        let then = model(
            old,
            &was.file_diagnostics,
            layout_then.into_iter().cloned().collect(),
        );

        let (lo, hi) = range_of(&self.diagnostics, rel);
        (self.diagnostics[lo..hi] == then[..]).then(|| model(lesson, now_read, layout_now))
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so a failing sequence replays.
    struct Dice(u64);

    impl Dice {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % n as u64).unwrap()
        }

        fn chance(&mut self, percent: usize) -> bool {
            self.below(100) < percent
        }
    }

    /// One lesson file as the test writes it: its front matter's values, then a body.
    #[derive(Clone, Debug, Default)]
    struct Page {
        path: String,
        id: Option<String>,
        title: String,
        order: Option<i64>,
        section: Option<String>,
        prev: Option<String>,
        next: Option<String>,
        duration: Option<u32>,
        /// A key before the others, so the lines of the values move.
        tags: bool,
        /// A front matter that cannot be read (a quote left open).
        broken: bool,
        body: String,
    }

    impl Page {
        fn text(&self) -> String {
            let mut fm = String::new();
            if self.tags {
                fm.push_str("tags: [x]\n");
            }
            let lines = [
                ("id", self.id.clone()),
                ("order", self.order.map(|o| o.to_string())),
                ("section", self.section.clone()),
                ("prevLessonId", self.prev.clone()),
                ("nextLessonId", self.next.clone()),
                ("duration", self.duration.map(|d| format!("{d} mins"))),
            ];
            for (key, value) in lines {
                if let Some(v) = value {
                    fm.push_str(&format!("{key}: {v}\n"));
                }
            }
            let quote = if self.broken { "\"" } else { "" };
            fm.push_str(&format!("title: {quote}{}\n", self.title));
            format!("---\n{fm}---\n# {}\n\n{}\n", self.title, self.body)
        }
    }

    /// The kinds of course the test edits.
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Kind {
        Lectern,
        Plain,
        Book,
    }

    /// Everything the course kept current shows (every field of every lesson, the
    /// sections, the maps by id and path, the link cycles, the outline, the
    /// diagnostics) and what the next change starts from (each file's diagnostics, the
    /// layout's, the lessons dropped as duplicates).
    fn observed(l: &Loaded) -> String {
        let c = &l.course;
        let mut by_path: Vec<_> = c.ids_by_path.iter().collect();
        by_path.sort();
        let mut by_id: Vec<_> = c.by_id.iter().collect();
        by_id.sort();
        let outline = serde_json::to_string_pretty(&c.outline(&l.diagnostics)).unwrap();
        let mut layout = l.sources.layout_diagnostics.clone();
        diagnostic::sort(&mut layout);
        let shadowed: Vec<&Lesson> = l.sources.shadowed.iter().collect();
        format!(
            "{:#?}\n{:#?}\n{by_path:?}\n{by_id:?}\n{:?}\n{outline}\n{:#?}\n{:#?}\n{layout:#?}\n{shadowed:#?}",
            c.lessons, c.sections, c.cycles, l.diagnostics, l.sources.file_diagnostics
        )
    }

    fn write(root: &Path, page: &Page) {
        let path = root.join(&page.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, page.text()).unwrap();
    }

    /// The course's pages at the start: a dozen lessons in two folders, with sections
    /// declared and not, links that agree, disagree, dangle and loop.
    fn start(kind: Kind, root: &Path, dice: &mut Dice) -> Vec<Page> {
        let mut pages = Vec::new();
        for i in 0..12usize {
            let folder = ["a", "b"][i % 2];
            let id = format!("l{i}");
            let link = |d: &mut Dice| match d.below(6) {
                0 => Some(format!("l{}", d.below(12))),
                1 => Some(format!("l{}x", d.below(12))),
                _ => None,
            };
            let mut page = Page {
                path: format!("{folder}/{id}.md"),
                id: (kind == Kind::Lectern || dice.chance(75)).then_some(id),
                title: format!("Lesson {i}"),
                order: (kind != Kind::Book && dice.chance(80)).then(|| dice.below(20) as i64),
                section: (kind == Kind::Lectern || dice.chance(30))
                    .then(|| format!("s{}", dice.below(3))),
                prev: link(dice),
                next: link(dice),
                duration: dice.chance(50).then(|| 5 + dice.below(30) as u32),
                body: format!("Text of lesson {i}."),
                ..Page::default()
            };
            if kind == Kind::Book {
                page.path = format!("src/{}", page.path);
            }
            pages.push(page);
        }
        if kind == Kind::Plain {
            pages.push(Page {
                path: "b/README.md".into(),
                title: "Part B".into(),
                body: "Opens b.".into(),
                ..Page::default()
            });
        }
        for page in &pages {
            write(root, page);
        }
        match kind {
            Kind::Lectern => {
                let yaml = "title: T\nsections:\n  - id: s0\n    title: Zero\n  - id: s1\n";
                std::fs::write(root.join("course.yaml"), yaml).unwrap();
            }
            Kind::Plain => {}
            Kind::Book => {
                std::fs::write(root.join("book.toml"), "[book]\ntitle = \"B\"\n").unwrap();
                let mut summary = String::from("# Summary\n\n");
                for (i, p) in pages.iter().enumerate() {
                    let indent = if i % 3 == 0 { "" } else { "  " };
                    let link = p.path.trim_start_matches("src/");
                    summary.push_str(&format!("{indent}- [Chapter {i}]({link})\n"));
                }
                std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
            }
        }
        pages
    }

    /// One random edit of a random page: mostly its text, sometimes what places it.
    /// Returns the path changed, what was done, and whether it edited the text alone.
    fn edit(
        pages: &mut Vec<Page>,
        root: &Path,
        dice: &mut Dice,
        step: usize,
    ) -> (String, String, bool) {
        let at = dice.below(pages.len());
        let op = dice.below(16);
        let page = &mut pages[at];
        let mut text_only = false;
        let what = match op {
            0..=5 => {
                page.body = format!("Edited at step {step}.");
                text_only = true;
                "text"
            }
            6 => {
                page.title = format!("Title {step}");
                "title"
            }
            7 => {
                page.duration = dice.chance(70).then(|| dice.below(90) as u32);
                "duration"
            }
            8 => {
                page.id = dice.chance(90).then(|| format!("l{}", dice.below(14)));
                "id"
            }
            9 => {
                page.order = dice.chance(90).then(|| dice.below(20) as i64);
                "order"
            }
            10 => {
                page.section = dice.chance(80).then(|| format!("s{}", dice.below(4)));
                "section"
            }
            11 => {
                let target = dice.chance(70).then(|| format!("l{}", dice.below(13)));
                if dice.chance(50) {
                    page.prev = target;
                } else {
                    page.next = target;
                }
                "link"
            }
            12 => {
                page.broken = !page.broken;
                "broken"
            }
            13 => {
                page.tags = !page.tags;
                "key lines moved"
            }
            14 => {
                let gone = pages.remove(at);
                std::fs::remove_file(root.join(&gone.path)).unwrap();
                return (gone.path, "removed".into(), false);
            }
            _ => {
                let mut new = page.clone();
                new.path = format!("{}-{step}.md", page.path.trim_end_matches(".md"));
                new.id = dice.chance(50).then(|| format!("n{step}"));
                write(root, &new);
                let path = new.path.clone();
                pages.push(new);
                return (path, "added".into(), false);
            }
        };
        write(root, page);
        (page.path.clone(), what.to_owned(), text_only)
    }

    /// Applies random edits to a generated course one at a time, both in place where
    /// possible and by a whole rebuild, and compares each step with the other and with
    /// a fresh load. The number of text edits made in place.
    fn random_edits_equal_a_rebuild(kind: Kind, seed: u64) -> usize {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let mut dice = Dice(seed);
        let mut pages = start(kind, root, &mut dice);
        let mut loaded = Course::load(root);
        assert_eq!(
            loaded.sources.detected.format,
            match kind {
                Kind::Lectern => Format::Lectern,
                Kind::Plain => Format::Markdown,
                Kind::Book => Format::Mdbook,
            }
        );
        let mut in_place = 0;
        for step in 0..120 {
            if pages.is_empty() {
                break;
            }
            let (path, what, text_only) = edit(&mut pages, root, &mut dice, step);
            let rel = PathBuf::from(&path);
            let placed = loaded.course.ids_by_path.contains_key(&rel)
                && !(kind == Kind::Plain && path.ends_with("README.md"));
            let change = [FileChange::Lesson(rel)];
            let mut rebuilt = loaded.clone();
            let stamp = loaded.outline_stamp();
            let applied = loaded.apply(&change);
            let context = format!("{kind:?} seed {seed} step {step}: {what} of {path}");
            assert_eq!(applied, rebuilt.apply_changes(&change, false), "{context}");
            let now = observed(&loaded);
            assert_eq!(now, observed(&rebuilt), "{context}: in place vs rebuilt");
            assert_eq!(
                now,
                observed(&Course::load(root)),
                "{context}: vs a fresh load"
            );
            if text_only && placed {
                // A rebuild always gives a new stamp: the same one means it was in place.
                assert_eq!(loaded.outline_stamp(), stamp, "{context}: not in place");
                in_place += 1;
            }
        }
        in_place
    }

    #[test]
    fn random_edits_of_a_lectern_course_in_place_equal_a_rebuild_and_a_fresh_load() {
        let in_place: usize = (1..=4)
            .map(|seed| random_edits_equal_a_rebuild(Kind::Lectern, seed))
            .sum();
        assert!(in_place > 50, "{in_place}");
    }

    #[test]
    fn random_edits_of_a_plain_folder_in_place_equal_a_rebuild_and_a_fresh_load() {
        let in_place: usize = (1..=4)
            .map(|seed| random_edits_equal_a_rebuild(Kind::Plain, seed))
            .sum();
        assert!(in_place > 50, "{in_place}");
    }

    #[test]
    fn random_edits_of_a_book_in_place_equal_a_rebuild_and_a_fresh_load() {
        let in_place: usize = (1..=4)
            .map(|seed| random_edits_equal_a_rebuild(Kind::Book, seed))
            .sum();
        assert!(in_place > 50, "{in_place}");
    }
}
