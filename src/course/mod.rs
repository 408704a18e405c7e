//! The course: lessons in order, grouped into sections, with their prev/next links checked.
//!
//! Front door: [`Course::load`], which never fails. It returns the course built from
//! every lesson that could be read, together with every diagnostic found on the way
//! (broken files from [`crate::lesson`], duplicate ids, dangling or disagreeing links,
//! link cycles, a broken `course.yaml`, `book.toml` or `SUMMARY.md`). How the folder
//! becomes lessons depends on its format, detected in [`source`] (the seam): a Lectern
//! course, a folder of plain Markdown or an mdBook book.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::day::Millis;
use crate::diagnostic::{slash_path, Diagnostic};
use crate::folder::Folder;
use crate::lesson::{self, Lesson};
use crate::stamp::{Recorder, Stamp};

/// Name of the optional course description file at the root of the lessons folder.
pub use crate::lesson::COURSE_FILE;

mod dependencies;
mod file;
mod incremental;
pub mod source;

pub use file::COURSE_KEYS;
use file::{CourseFile, SectionEntry};
pub use incremental::{Applied, FileChange};
pub use source::{detect, Detected, Format};

/// A loaded course. Lessons are held in course order.
#[derive(Clone, Debug)]
pub struct Course {
    root: PathBuf,
    /// The format the folder was read as.
    format: Format,
    /// The language the course is written in, when its source says.
    language: Option<String>,
    /// `id` from `course.yaml`, the course's identity for progress when present.
    id: Option<String>,
    title: String,
    description: Option<String>,
    lessons: Vec<Lesson>,
    sections: Vec<Section>,
    /// Index of each lesson in `lessons` by id, so that looking a lesson up (every
    /// command of the app does) does not grow with the course.
    by_id: HashMap<String, usize>,
    /// Lesson id by path, for the renderer's links; built once per load.
    ids_by_path: HashMap<PathBuf, String>,
    /// The cycles of declared links (each one's members, indices into `lessons` in
    /// link order), kept so a lesson changed in place is told its own `link-cycle`
    /// warning without walking the course again ([`Course::own_diagnostics`]).
    cycles: Vec<(Direction, Vec<usize>)>,
}

/// A group of lessons in the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Slug from the lessons' `section` key; empty for lessons without one.
    pub id: String,
    /// From `course.yaml` when it names the section, else the slug title-cased.
    pub title: String,
    /// Indices into [`Course::lessons`], in course order.
    pub lessons: Vec<usize>,
    /// Chapters the source lists but that are not written yet (mdBook's drafts).
    pub drafts: Vec<Draft>,
}

/// A chapter listed but not written yet (mdBook's `[Title]()`): shown in the outline,
/// never an error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Draft {
    /// The chapter's title.
    pub title: String,
    /// How many of the section's lessons come before it.
    pub position: usize,
}

/// A course and everything that was wrong with it.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The course built from every usable lesson.
    pub course: Course,
    /// Problems found, sorted by path, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// What each file gave when last read, so a change re-reads only that file.
    sources: incremental::Sources,
    /// Names what the outline shows (see [`Loaded::outline_stamp`]).
    outline_stamp: u64,
    /// What the load read on disk, for a load made with [`Course::load_stamped`]; gone
    /// once a change is applied (the course then is no longer that load's).
    stamp: Option<Stamp>,
}

impl Course {
    /// Loads the course in `root`. Never fails: problems become diagnostics.
    pub fn load(root: &Path) -> Loaded {
        let detected = source::detect(root);
        Course::load_from(&Folder::new(&detected.root), detected)
    }

    /// [`Course::load`], with the [`Stamp`] of everything it read on disk (see
    /// [`Loaded::stamp`]); `started` is now, read before the load (the stamp's racy
    /// rule is measured from it).
    pub fn load_stamped(root: &Path, started: Millis) -> Loaded {
        let detected = source::detect(root);
        let recorder = Recorder::default();
        let mut loaded = Course::load_from(
            &Folder::recording(&detected.root, recorder.clone()),
            detected,
        );
        loaded.stamp = Some(recorder.finish(started));
        loaded
    }

    /// Loads the course `detected` found, every file read through `folder`.
    fn load_from(folder: &Folder, detected: Detected) -> Loaded {
        let mut sources = incremental::Sources::default();
        let lessons = source::read(folder, &detected, &mut sources);
        let mut loaded = Loaded {
            course: Course::empty(&detected.root),
            diagnostics: Vec::new(),
            sources,
            outline_stamp: 0,
            stamp: None,
        };
        loaded.rebuild(lessons);
        loaded
    }

    /// A course with no lessons yet (the start of a load).
    fn empty(root: &Path) -> Course {
        Course {
            root: root.to_path_buf(),
            format: Format::Lectern,
            language: None,
            id: None,
            title: String::new(),
            description: None,
            lessons: Vec::new(),
            sections: Vec::new(),
            by_id: HashMap::new(),
            ids_by_path: HashMap::new(),
            cycles: Vec::new(),
        }
    }

    /// Builds the course from every lesson read (sorted by path here: of two lessons
    /// with one id, the first by path keeps it). Lessons dropped as duplicates are put
    /// in `shadowed`, to come back when the lesson that shadows them changes its id.
    fn assemble(
        root: &Path,
        lessons: Vec<Lesson>,
        course_file: CourseFile,
        diagnostics: &mut Vec<Diagnostic>,
        shadowed: &mut Vec<Lesson>,
    ) -> Course {
        let lessons = reorder(lessons, |a, b| a.path.cmp(&b.path));
        // Duplicate ids: the first file by path keeps the id; later ones are dropped.
        // Decided on borrowed ids first, then the lessons are moved once.
        let mut first_with: HashMap<&str, usize> = HashMap::with_capacity(lessons.len());
        let keep: Vec<Option<usize>> = lessons
            .iter()
            .enumerate()
            .map(|(i, l)| match first_with.get(l.id.as_str()) {
                Some(&first) => Some(first),
                None => {
                    first_with.insert(&l.id, i);
                    None
                }
            })
            .collect();
        for (l, first) in lessons.iter().zip(&keep) {
            if let Some(first) = first {
                diagnostics.push(
                    Diagnostic::error(
                        &l.path,
                        l.positions.id.line,
                        l.positions.id.column,
                        "duplicate-id",
                        format!(
                            "id `{}` is already used by `{}`; give one of the two lessons another id",
                            l.id,
                            slash_path(&lessons[*first].path)
                        ),
                    )
                    .with_source(&l.text),
                );
            }
        }
        let mut unique = Vec::with_capacity(lessons.len());
        for (l, first) in lessons.into_iter().zip(keep) {
            match first {
                Some(_) => shadowed.push(l),
                None => unique.push(l),
            }
        }
        // The source's position first (a SUMMARY's order; none in Lectern courses),
        // then `order`, then id.
        let lessons = reorder(unique, |a, b| {
            let key = |l: &Lesson| (l.position.is_none(), l.position, l.order.is_none(), l.order);
            key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
        });
        let cycles = check_links(&lessons, diagnostics);
        let sections = build_sections(&lessons, &course_file.sections, diagnostics);
        let title = course_file
            .title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| {
                let name = fs::canonicalize(root)
                    .ok()
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| "Course".to_owned());
                title_case(&lesson::slugify(&name))
            });
        let by_id = lessons
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), i))
            .collect();
        let ids_by_path = lessons
            .iter()
            .map(|l| (l.path.clone(), l.id.clone()))
            .collect();
        Course {
            root: root.to_path_buf(),
            format: Format::Lectern,
            language: course_file.language,
            title,
            description: course_file.description,
            id: course_file.id,
            lessons,
            sections,
            by_id,
            ids_by_path,
            cycles,
        }
    }

    /// The diagnostics the course's assembly gives lesson `i` when `lesson` stands in
    /// its place (its own id, path, order, section and declared links; only its text and
    /// the positions of its keys may differ from `self.lessons[i]`'s), in the order
    /// [`Course::assemble`] finds them: its declared links' problems (previous, then
    /// next), the `link-cycle` warning it reports (previous, then next), its
    /// `unknown-section` warning. None of a lesson in the course is a `duplicate-id`
    /// (those are on the lessons dropped). `declared` is the course file's sections.
    fn own_diagnostics(
        &self,
        i: usize,
        lesson: &Lesson,
        declared: &[SectionEntry],
    ) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for dir in Direction::BOTH {
            let (Some(target), pos) = dir.declared(lesson) else {
                continue;
            };
            if let Some((code, message)) = link_problem(&self.lessons, &self.by_id, i, dir, target)
            {
                found.push(
                    Diagnostic::warning(&lesson.path, pos.line, pos.column, code, message)
                        .with_source(&lesson.text),
                );
            }
        }
        for (dir, members) in &self.cycles {
            if members.iter().min() == Some(&i) {
                found.push(cycle_diagnostic(&self.lessons, members, *dir, lesson));
            }
        }
        let id = lesson.section.clone().unwrap_or_default();
        let first_of_section = self
            .sections
            .iter()
            .any(|s| s.id == id && s.lessons.first() == Some(&i));
        if first_of_section
            && !declared.is_empty()
            && !id.is_empty()
            && !declared.iter().any(|s| s.id == id)
        {
            found.push(unknown_section(lesson, &id, declared));
        }
        found
    }

    /// Puts `lesson` in place of lesson `i`, which has the same id, path, order,
    /// position, section, parent and declared links (what places a lesson in the
    /// course): the rest of the course stays as it is. The lesson it replaced.
    fn replace(&mut self, i: usize, lesson: Lesson) -> Option<Lesson> {
        let slot = self.lessons.get_mut(i)?;
        Some(std::mem::replace(slot, lesson))
    }

    /// The lessons folder this course was loaded from (a book's root when its `src/`
    /// was opened).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The format the folder was read as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The language the course is written in, when `course.yaml` or `book.toml` says.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// `course.yaml`'s `id`, when it has a valid one: the course's identity for progress,
    /// kept when the folder moves.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The course title: `course.yaml`'s, else the folder name title-cased.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// `course.yaml`'s description, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Lessons in course order: by `(order, id)`, lessons without `order` last.
    pub fn lessons(&self) -> &[Lesson] {
        &self.lessons
    }

    /// Sections in outline order.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// Every lesson's path (relative to the lessons folder) and id: what the renderer needs
    /// to turn a link to `other.md` into an in-app link.
    pub fn lesson_ids_by_path(&self) -> &HashMap<PathBuf, String> {
        &self.ids_by_path
    }

    /// The lesson with this id.
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.index_of(id).map(|i| &self.lessons[i])
    }

    /// The position of lesson `id` in [`Course::lessons`].
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The lesson before `index` for navigation: the declared `prevLessonId` when it
    /// names an existing lesson, else the previous lesson in course order.
    pub fn prev_of(&self, index: usize) -> Option<&Lesson> {
        let l = self.lessons.get(index)?;
        l.prev
            .as_deref()
            .and_then(|id| self.lesson(id))
            .or_else(|| index.checked_sub(1).and_then(|i| self.lessons.get(i)))
    }

    /// The lesson after `index` for navigation, like [`Course::prev_of`].
    pub fn next_of(&self, index: usize) -> Option<&Lesson> {
        let l = self.lessons.get(index)?;
        l.next
            .as_deref()
            .and_then(|id| self.lesson(id))
            .or_else(|| self.lessons.get(index + 1))
    }

    /// Total of the lessons' durations, in minutes.
    pub fn total_minutes(&self) -> u32 {
        // Saturating: a course of absurd durations shows the largest total, never wraps.
        self.lessons
            .iter()
            .filter_map(|l| l.duration_minutes)
            .fold(0u32, u32::saturating_add)
    }

    /// The outline: what `lectern list --json` prints and the app's sidebar shows.
    pub fn outline(&self, diagnostics: &[Diagnostic]) -> Outline {
        let entry = |i: usize| {
            let l = &self.lessons[i];
            // The declared link as written (even when it dangles: a warning says so),
            // else the neighbour in course order.
            let prev = l
                .prev
                .clone()
                .or_else(|| i.checked_sub(1).map(|j| self.lessons[j].id.clone()));
            let next = l
                .next
                .clone()
                .or_else(|| self.lessons.get(i + 1).map(|n| n.id.clone()));
            OutlineLesson {
                id: l.id.clone(),
                title: l.title.clone(),
                kind: l.kind.clone(),
                duration_minutes: l.duration_minutes,
                order: l.order,
                section: l.section.clone(),
                prev,
                next,
                path: slash_path(&l.path),
                parent: l.parent.clone(),
                broken: l.broken,
            }
        };
        Outline {
            format: self.format,
            title: self.title.clone(),
            description: self.description.clone(),
            total_minutes: self.total_minutes(),
            sections: self
                .sections
                .iter()
                .map(|s| OutlineSection {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    lessons: s.lessons.iter().map(|&i| entry(i)).collect(),
                    drafts: s.drafts.clone(),
                })
                .collect(),
            diagnostics: diagnostics.to_vec(),
        }
    }
}

/// The course outline. Serialized, this is the JSON of `lectern list --json`: a
/// public contract for authors' tools, documented in README.md. Add fields; never
/// rename or remove one.
#[derive(Clone, Debug, Serialize)]
pub struct Outline {
    /// The detected format: `lectern`, `markdown` or `mdbook`.
    pub format: Format,
    /// Course title.
    pub title: String,
    /// Course description from `course.yaml`, or null.
    pub description: Option<String>,
    /// Sum of the lessons' durations in minutes.
    pub total_minutes: u32,
    /// Sections in outline order.
    pub sections: Vec<OutlineSection>,
    /// Every diagnostic found while loading.
    pub diagnostics: Vec<Diagnostic>,
}

/// A section of the outline.
#[derive(Clone, Debug, Serialize)]
pub struct OutlineSection {
    /// Section slug; empty for lessons with no `section`.
    pub id: String,
    /// Display title.
    pub title: String,
    /// Lessons in course order.
    pub lessons: Vec<OutlineLesson>,
    /// Chapters listed but not written yet, each with its position among `lessons`.
    pub drafts: Vec<Draft>,
}

/// A lesson as listed in the outline.
#[derive(Clone, Debug, Serialize)]
pub struct OutlineLesson {
    /// Lesson id.
    pub id: String,
    /// Lesson title.
    pub title: String,
    /// `type` from the front matter (`lesson` by default).
    #[serde(rename = "type")]
    pub kind: String,
    /// Duration in minutes, or null when absent or unreadable.
    pub duration_minutes: Option<u32>,
    /// `order` from the front matter, or null.
    pub order: Option<i64>,
    /// Section slug, or null.
    pub section: Option<String>,
    /// Declared `prevLessonId`, else the previous lesson by order; null for the first.
    pub prev: Option<String>,
    /// Declared `nextLessonId`, else the next lesson by order; null for the last.
    pub next: Option<String>,
    /// Path relative to the lessons folder, `/`-separated.
    pub path: String,
    /// Id of the chapter this lesson is nested under (mdBook's sub-chapters); absent
    /// where chapters do not nest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// `true` when the lesson's front matter could not be read: it is listed (under
    /// what its lines still say) so the outline keeps it, and has no body; absent
    /// otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub broken: bool,
}

fn build_sections(
    lessons: &[Lesson],
    declared: &[SectionEntry],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut sections: Vec<Section> = declared
        .iter()
        .map(|s| Section {
            id: s.id.clone(),
            title: s
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| title_case(&s.id)),
            lessons: Vec::new(),
            drafts: s.drafts.clone(),
        })
        .collect();
    let declared_any = !declared.is_empty();
    // Section id → its index: one lookup per lesson, however many sections there are.
    let mut index: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    for (i, l) in lessons.iter().enumerate() {
        let id = l.section.clone().unwrap_or_default();
        if let Some(&at) = index.get(&id) {
            sections[at].lessons.push(i);
            continue;
        }
        if declared_any && !id.is_empty() {
            diagnostics.push(unknown_section(l, &id, declared));
        }
        index.insert(id.clone(), sections.len());
        sections.push(Section {
            title: if id.is_empty() {
                "Lessons".to_owned()
            } else {
                title_case(&id)
            },
            id,
            lessons: vec![i],
            drafts: Vec::new(),
        });
    }
    sections.retain(|s| !s.lessons.is_empty() || !s.drafts.is_empty());
    sections
}

/// The warning for lesson `l` whose section `id` the course file does not list.
fn unknown_section(l: &Lesson, id: &str, declared: &[SectionEntry]) -> Diagnostic {
    let mut names: Vec<String> = declared
        .iter()
        .take(10)
        .map(|s| format!("`{}`", s.id))
        .collect();
    if declared.len() > 10 {
        names.push(format!("… ({} in all)", declared.len()));
    }
    let pos = l.positions.section.unwrap_or_default();
    Diagnostic::warning(
        &l.path,
        pos.line,
        pos.column,
        "unknown-section",
        format!(
            "section `{id}` is not listed in `course.yaml`; add it there or use one of: {}",
            names.join(", ")
        ),
    )
    .with_source(&l.text)
}

/// `lessons` sorted by `cmp`, each moved once: the sort runs over indices, since a
/// lesson is a few hundred bytes and a 10,000-lesson course is rebuilt on every save.
fn reorder(
    lessons: Vec<Lesson>,
    cmp: impl Fn(&Lesson, &Lesson) -> std::cmp::Ordering,
) -> Vec<Lesson> {
    let mut order: Vec<usize> = (0..lessons.len()).collect();
    order.sort_by(|&a, &b| cmp(&lessons[a], &lessons[b]));
    if order.iter().enumerate().all(|(i, &o)| i == o) {
        return lessons;
    }
    let mut slots: Vec<Option<Lesson>> = lessons.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

/// Which declared link of a lesson: `prevLessonId` or `nextLessonId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Prev,
    Next,
}

impl Direction {
    const BOTH: [Direction; 2] = [Direction::Prev, Direction::Next];

    fn key(self) -> &'static str {
        match self {
            Direction::Prev => "prevLessonId",
            Direction::Next => "nextLessonId",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Direction::Prev => "previous",
            Direction::Next => "next",
        }
    }

    /// The lesson's declared link of this direction, and where it is written.
    fn declared(self, l: &Lesson) -> (Option<&str>, lesson::Pos) {
        let (target, pos) = match self {
            Direction::Prev => (&l.prev, l.positions.prev),
            Direction::Next => (&l.next, l.positions.next),
        };
        (target.as_deref(), pos.unwrap_or_default())
    }

    /// The neighbour of lesson `i` in course order in this direction.
    fn neighbour(self, lessons: &[Lesson], i: usize) -> Option<&str> {
        let j = match self {
            Direction::Prev => i.checked_sub(1)?,
            Direction::Next => i + 1,
        };
        lessons.get(j).map(|n| n.id.as_str())
    }
}

/// Checks declared `prevLessonId`/`nextLessonId` against the course order, then looks
/// for cycles along them. The cycles found (see [`Course::cycles`]).
fn check_links(
    lessons: &[Lesson],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Direction, Vec<usize>)> {
    let index: HashMap<&str, usize> = lessons
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    for (i, l) in lessons.iter().enumerate() {
        for dir in Direction::BOTH {
            let (Some(target), pos) = dir.declared(l) else {
                continue;
            };
            if let Some((code, message)) = link_problem(lessons, &index, i, dir, target) {
                diagnostics.push(
                    Diagnostic::warning(&l.path, pos.line, pos.column, code, message)
                        .with_source(&l.text),
                );
            }
        }
    }
    let mut cycles = Vec::new();
    for dir in Direction::BOTH {
        for members in find_cycles(lessons, &index, dir) {
            let reporter = &lessons[members.iter().copied().min().unwrap_or(0)];
            diagnostics.push(cycle_diagnostic(lessons, &members, dir, reporter));
            cycles.push((dir, members));
        }
    }
    cycles
}

/// What is wrong with lesson `i`'s declared link to `target`, if anything (`index`:
/// each lesson's position by id).
fn link_problem<K: std::borrow::Borrow<str> + std::hash::Hash + Eq>(
    lessons: &[Lesson],
    index: &HashMap<K, usize>,
    i: usize,
    dir: Direction,
    target: &str,
) -> Option<(&'static str, String)> {
    let key = dir.key();
    let expected = dir.neighbour(lessons, i);
    if !index.contains_key(target) {
        let hint = closest_id(target, index)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Some((
            "missing-link",
            format!("`{key}: {target}` names a lesson that does not exist{hint}"),
        ));
    }
    if target == lessons[i].id {
        return Some((
            "link-cycle",
            format!("`{key}: {target}` links the lesson to itself; remove it or name a neighbour"),
        ));
    }
    (Some(target) != expected).then(|| {
        (
            "link-order",
            format!(
                "`{key}: {target}` disagrees with the course order, where the {} lesson is {}; fix `order` or the link",
                dir.word(),
                expected.map_or("none".to_owned(), |e| format!("`{e}`"))
            ),
        )
    })
}

/// Cycles along declared links of one direction, each as its members in link order
/// from where the walk met it. Each lesson has at most one outgoing link of a kind, so
/// one walk per unvisited lesson, stopping at anything already seen, visits every
/// lesson once: linear in the course size.
fn find_cycles(
    lessons: &[Lesson],
    index: &HashMap<&str, usize>,
    dir: Direction,
) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Seen {
        No,
        OnPath,
        Done,
    }
    let step = |i: usize| {
        dir.declared(&lessons[i])
            .0
            .and_then(|t| index.get(t).copied())
    };
    let mut seen = vec![Seen::No; lessons.len()];
    let mut cycles = Vec::new();
    for start in 0..lessons.len() {
        if seen[start] != Seen::No {
            continue;
        }
        let mut path = vec![start];
        seen[start] = Seen::OnPath;
        let mut cur = start;
        while let Some(n) = step(cur) {
            if n == cur {
                break; // self-links are reported by `link_problem`
            }
            match seen[n] {
                Seen::Done => break,
                Seen::OnPath => {
                    let cycle_start = path.iter().position(|&p| p == n).unwrap_or(0);
                    cycles.push(path[cycle_start..].to_vec());
                    break;
                }
                Seen::No => {
                    seen[n] = Seen::OnPath;
                    path.push(n);
                    cur = n;
                }
            }
        }
        for p in path {
            seen[p] = Seen::Done;
        }
    }
    cycles
}

/// The warning for a cycle of `prevLessonId` or `nextLessonId` links through `members`
/// (in link order), reported at the member that comes first in course order: `l`, that
/// lesson (or the lesson about to take its place, [`Course::own_diagnostics`]).
fn cycle_diagnostic(
    lessons: &[Lesson],
    members: &[usize],
    dir: Direction,
    l: &Lesson,
) -> Diagnostic {
    let (_, pos) = dir.declared(l);
    let mut names: Vec<&str> = members.iter().map(|&m| lessons[m].id.as_str()).collect();
    let rot = names.iter().position(|&x| x == l.id).unwrap_or(0);
    names.rotate_left(rot);
    names.push(&l.id);
    Diagnostic::warning(
        &l.path,
        pos.line,
        pos.column,
        "link-cycle",
        format!(
            "`{}` links form a cycle: {}; break it so the course has a start and an end",
            dir.key(),
            names.join(" → ")
        ),
    )
    .with_source(&l.text)
}

fn closest_id<'a, K: std::borrow::Borrow<str>>(
    target: &str,
    index: &'a HashMap<K, usize>,
) -> Option<&'a str> {
    index
        .keys()
        .map(|k| (k.borrow(), strsim::jaro_winkler(k.borrow(), target)))
        .filter(|(_, s)| *s >= 0.9)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| k)
}

/// `language-models` → `Language Models`.
pub fn title_case(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every course folder the repository holds: the bundled course, then each case of each
/// group under `tests/fixtures` (what the unit tests that compare two paths through the
/// core run on, so that each covers every fixture anyone adds).
#[cfg(test)]
pub(crate) fn every_fixture_course() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut courses = vec![root.join("lessons")];
    for group in fs::read_dir(root.join("tests/fixtures")).unwrap() {
        let group = group.unwrap().path();
        for case in fs::read_dir(&group).into_iter().flatten() {
            courses.push(case.unwrap().path());
        }
    }
    courses.retain(|d| d.is_dir());
    courses
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(id: &str, order: Option<i64>, extra: &str) -> Lesson {
        let src = format!(
            "---\nid: {id}\ntitle: T {id}\n{}{extra}---\n",
            order.map(|o| format!("order: {o}\n")).unwrap_or_default()
        );
        crate::lesson::parse(Path::new(&format!("{id}.md")), src.as_bytes())
            .unwrap()
            .0
    }

    fn assemble(lessons: Vec<Lesson>) -> (Course, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let c = Course::assemble(
            Path::new("x"),
            lessons,
            CourseFile::default(),
            &mut d,
            &mut Vec::new(),
        );
        (c, d)
    }

    fn ids(c: &Course) -> Vec<&str> {
        c.lessons().iter().map(|l| l.id.as_str()).collect()
    }

    #[test]
    fn total_minutes_saturates_instead_of_wrapping() {
        let one = lesson("x", Some(1), "duration: 100000 minutes\n");
        let lessons: Vec<Lesson> = (0..50_000)
            .map(|i| {
                let mut l = one.clone();
                l.id = format!("l{i}");
                l.path = PathBuf::from(format!("l{i}.md"));
                l
            })
            .collect();
        let (c, _) = assemble(lessons);
        assert_eq!(c.total_minutes(), u32::MAX);
    }

    #[test]
    fn lessons_sort_by_order_then_id_with_unordered_last() {
        let (c, _) = assemble(vec![
            lesson("z", None, ""),
            lesson("b", Some(2), ""),
            lesson("a", Some(2), ""),
            lesson("c", Some(1), ""),
            lesson("m", None, ""),
        ]);
        assert_eq!(ids(&c), ["c", "a", "b", "m", "z"]);
    }

    #[test]
    fn duplicate_id_keeps_first_and_names_both_files() {
        let mut second = lesson("a", Some(2), "");
        second.path = PathBuf::from("other.md");
        let (c, d) = assemble(vec![lesson("a", Some(1), ""), second]);
        assert_eq!(c.lessons().len(), 1);
        assert_eq!(d[0].code, "duplicate-id");
        assert_eq!(d[0].path, PathBuf::from("other.md"));
        assert!(d[0].message.contains("a.md"));
    }

    #[test]
    fn link_to_missing_lesson_is_a_warning_at_the_value() {
        let (_, d) = assemble(vec![lesson("a", Some(1), "nextLessonId: bb\n")]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "missing-link");
        assert_eq!((d[0].line, d[0].column), (5, 15));
    }

    #[test]
    fn link_that_disagrees_with_order_is_a_warning() {
        let (_, d) = assemble(vec![
            lesson("a", Some(1), "nextLessonId: c\n"),
            lesson("b", Some(2), ""),
            lesson("c", Some(3), ""),
        ]);
        assert_eq!(d.iter().map(|d| d.code).collect::<Vec<_>>(), ["link-order"]);
    }

    #[test]
    fn agreeing_links_are_silent() {
        let (_, d) = assemble(vec![
            lesson("a", Some(1), "nextLessonId: b\n"),
            lesson("b", Some(2), "prevLessonId: a\n"),
        ]);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn next_link_cycle_is_reported_once() {
        let (_, d) = assemble(vec![
            lesson("a", Some(1), "nextLessonId: b\n"),
            lesson("b", Some(2), "nextLessonId: c\n"),
            lesson("c", Some(3), "nextLessonId: a\n"),
        ]);
        let cycles: Vec<_> = d.iter().filter(|d| d.code == "link-cycle").collect();
        assert_eq!(cycles.len(), 1, "{d:?}");
        assert!(
            cycles[0].message.contains("a → b → c → a"),
            "{}",
            cycles[0].message
        );
    }

    #[test]
    fn each_cycle_is_reported_once_even_when_a_tail_leads_into_it() {
        let (_, d) = assemble(vec![
            lesson("a", Some(1), "nextLessonId: b\n"),
            lesson("b", Some(2), "nextLessonId: a\n"),
            lesson("c", Some(3), "nextLessonId: d\n"),
            lesson("d", Some(4), "nextLessonId: c\n"),
            lesson("e", Some(5), "nextLessonId: a\n"),
        ]);
        let cycles: Vec<&str> = d
            .iter()
            .filter(|d| d.code == "link-cycle")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(cycles.len(), 2, "{cycles:?}");
        assert!(cycles.iter().any(|m| m.contains("a → b → a")));
        assert!(cycles.iter().any(|m| m.contains("c → d → c")));
    }

    #[test]
    fn sections_follow_first_lesson_and_title_case_their_slug() {
        let (c, _) = assemble(vec![
            lesson("a", Some(1), "section: basics\n"),
            lesson("b", Some(2), "section: language-models\n"),
            lesson("c", Some(3), "section: basics\n"),
        ]);
        let s: Vec<(&str, &str, usize)> = c
            .sections()
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str(), s.lessons.len()))
            .collect();
        assert_eq!(
            s,
            [
                ("basics", "Basics", 2),
                ("language-models", "Language Models", 1)
            ]
        );
    }

    #[test]
    fn navigation_skips_dangling_links() {
        let (c, _) = assemble(vec![
            lesson("a", Some(1), ""),
            lesson("b", Some(2), "prevLessonId: gone\n"),
        ]);
        assert_eq!(c.prev_of(1).map(|l| l.id.as_str()), Some("a"));
        assert_eq!(c.next_of(1).map(|l| l.id.as_str()), None);
    }
}
