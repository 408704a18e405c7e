//! A folder of plain Markdown (no `course.yaml`, no `book.toml`, no `SUMMARY.md`), read
//! leniently: every `.md` file is a lesson (see [`crate::lesson::parse_lenient`]).
//!
//! Order: lessons with Lectern's own `order:` first, course-wide by `(order, id)` as in
//! a Lectern course; then, within each folder, files and subfolders by their position key (`order`,
//! `weight`, `sidebar_position` or `nav_order`; a subfolder takes its opening file's),
//! those without one after, then by file name in natural order (`2-x` before `10-x`); a
//! folder's `README.md`, `index.md` or `_index.md` opens it. Folders are walked depth
//! first. Sections: a lesson's `section:` when it sets one (so a Lectern-style folder
//! keeps its outline), else its folder (titled by the folder's opening file, else the
//! folder's name); files at the top are in the untitled first section. Where most
//! lessons set `id:`, each one without gets a `missing-id` warning naming the id it got.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::super::file::{CourseFile, SectionEntry};
use super::super::incremental::Sources;
use super::super::title_case;
use super::Layout;
use crate::diagnostic::{slash_path, Diagnostic};
use crate::folder::Folder;
use crate::lesson::{self, Lesson, Provenance};

/// What each file of a plain folder set itself in its front matter (only files that
/// set something), so laying the folder out again tells the values a file set from
/// those the layout gave it (a folder's section, a position).
#[derive(Clone, Debug, Default)]
pub(in crate::course) struct Facts {
    set: HashMap<PathBuf, Provenance>,
}

impl Facts {
    /// What the lesson file `rel` set itself when last read.
    pub(in crate::course) fn of(&self, rel: &Path) -> Provenance {
        self.set.get(rel).copied().unwrap_or_default()
    }

    /// What the lesson file `rel`, just read, set.
    pub(in crate::course) fn record(&mut self, rel: &Path, set: Provenance) {
        if set == Provenance::default() {
            self.set.remove(rel);
        } else {
            self.set.insert(rel.to_path_buf(), set);
        }
    }

    /// `rel` is no lesson (any more).
    pub(in crate::course) fn forget(&mut self, rel: &Path) {
        self.set.remove(rel);
    }
}

/// Reads every Markdown file under `root`, then lays them out.
pub(in crate::course) fn read(folder: &Folder, sources: &mut Sources) -> Vec<Lesson> {
    sources.layout = Layout::Plain(Facts::default());
    let (files, scan_diagnostics) = lesson::lesson_files(folder);
    sources.record_scan(scan_diagnostics);
    let mut lessons = sources.read_lessons(folder, &files);
    lay_out(&mut lessons, sources);
    lessons
}

/// Lays out every lesson of the folder from the lessons alone and what their files set
/// (see the module docs): positions, sections (a lesson's own `section:` kept, the
/// others put in their folder's), the course file's sections and the `missing-id`
/// warnings. A fresh read does it once the files are read; a change does it again over
/// the lessons in memory, with the same result.
pub(in crate::course) fn lay_out(lessons: &mut [Lesson], sources: &mut Sources) {
    let Layout::Plain(facts) = &sources.layout else {
        return;
    };
    for l in lessons.iter_mut() {
        if !facts.of(&l.path).section {
            l.section = None;
        }
    }
    let with_id = lessons.iter().filter(|l| facts.of(&l.path).id).count();
    let missing: Vec<Diagnostic> = if with_id * 2 > lessons.len() {
        lessons
            .iter()
            .filter(|l| !facts.of(&l.path).id)
            .map(missing_id)
            .collect()
    } else {
        Vec::new()
    };
    let sections = arrange(lessons, facts);
    sources.layout_diagnostics = missing;
    let file = CourseFile {
        sections,
        ..CourseFile::default()
    };
    sources.set_course_file(file, Vec::new());
}

/// The `missing-id` warning of lesson `l` (a change in place gives it again).
pub(in crate::course) fn missing_id(l: &Lesson) -> Diagnostic {
    Diagnostic::warning(
        &l.path,
        1,
        1,
        "missing-id",
        format!(
            "front matter has no `id` (most lessons here have one); it is `{}`, from its path, so moving the file loses its progress; add `id: {}` to keep it",
            l.id, l.id
        ),
    )
    .with_source(&l.text)
}

/// Whether a file name opens its folder.
pub(in crate::course) fn is_index(name: &str) -> bool {
    ["readme.md", "index.md", "_index.md"].contains(&name.to_ascii_lowercase().as_str())
}

/// Gives every lesson its `position` and section (unless it set one), and returns the
/// sections in the order they first appear, with their titles.
fn arrange(lessons: &mut [Lesson], facts: &Facts) -> Vec<SectionEntry> {
    let (mut children, opening) = tree(lessons);
    let mut order = Vec::with_capacity(lessons.len());
    walk(Path::new(""), &mut children, &opening, lessons, &mut order);
    // Lectern's `order:` is course-wide, as in a Lectern course: those lessons come
    // first by `(order, id)`, the others after in folder order.
    order.sort_by(|&a, &b| {
        let key = |i: usize| {
            let l = &lessons[i];
            match facts.of(&l.path).lectern_order {
                true => (false, l.order, Some(l.id.as_str())),
                false => (true, None, None),
            }
        };
        key(a).cmp(&key(b))
    });
    let mut sections: Vec<SectionEntry> = Vec::new();
    let mut taken = HashSet::new();
    let mut by_folder: HashMap<PathBuf, String> = HashMap::new();
    let mut seen = HashSet::new();
    for (position, &i) in order.iter().enumerate() {
        let dir = lessons[i]
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        lessons[i].position = Some(position);
        let id = match &lessons[i].section {
            Some(s) => s.clone(),
            None if dir.as_os_str().is_empty() => String::new(),
            None => by_folder
                .entry(dir.clone())
                .or_insert_with(|| {
                    super::unique_slug(lesson::slugify(&slash_path(&dir)), "section", &mut taken)
                })
                .clone(),
        };
        if seen.insert(id.clone()) {
            let title = folder_title(&dir, lessons[i].section.is_none(), &opening, lessons);
            sections.push(SectionEntry {
                id: id.clone(),
                title,
                drafts: Vec::new(),
            });
        }
        lessons[i].section = (!id.is_empty()).then_some(id);
    }
    sections
}

/// The folder tree of the lessons: each folder's children (files and folders), and
/// each folder's opening file (`README.md`, `index.md`, `_index.md`).
fn tree(lessons: &[Lesson]) -> (Children, HashMap<PathBuf, usize>) {
    let mut children = Children::new();
    let mut listed: HashSet<PathBuf> = HashSet::new();
    let mut opening: HashMap<PathBuf, usize> = HashMap::new();
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    for (i, l) in lessons.iter().enumerate() {
        let dir = l.path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = name_of(&l.path);
        if is_index(&name) {
            // Of `README.md` and `index.md` side by side, the first by name opens the
            // folder, whatever order the lessons come in.
            let first = opening.entry(dir.clone()).or_insert(i);
            if name < name_of(&lessons[*first].path) {
                *first = i;
            }
        }
        children
            .entry(dir.clone())
            .or_default()
            .push((l.order, name, Child::Lesson(i)));
        // Every ancestor folder lists its child folder once (a set, so a folder of many
        // folders stays linear).
        let mut d = dir;
        while let Some(parent) = d.parent().map(Path::to_path_buf) {
            if d.as_os_str().is_empty() || !listed.insert(d.clone()) {
                break;
            }
            let entry = (None, name_of(&d), Child::Folder(d.clone()));
            children.entry(parent.clone()).or_default().push(entry);
            d = parent;
        }
    }
    (children, opening)
}

/// Each folder's children: (position key, name, what).
type Children = BTreeMap<PathBuf, Vec<(Option<i64>, String, Child)>>;

/// What a folder holds.
#[derive(Clone, Debug)]
enum Child {
    Lesson(usize),
    Folder(PathBuf),
}

/// Lessons of `dir` in course order, depth first, appended to `out`.
fn walk(
    dir: &Path,
    children: &mut Children,
    opening: &HashMap<PathBuf, usize>,
    lessons: &[Lesson],
    out: &mut Vec<usize>,
) {
    let Some(mut list) = children.remove(dir) else {
        return;
    };
    for c in &mut list {
        if let Child::Folder(f) = &c.2 {
            c.0 = opening.get(f).and_then(|&i| lessons[i].order);
        }
    }
    let open = opening.get(dir).copied();
    list.sort_by(|a, b| {
        let first =
            |c: &(Option<i64>, String, Child)| !matches!(c.2, Child::Lesson(i) if Some(i) == open);
        first(a)
            .cmp(&first(b))
            .then((a.0.is_none(), a.0).cmp(&(b.0.is_none(), b.0)))
            .then_with(|| natural(&a.1, &b.1))
    });
    for (_, _, child) in list {
        match child {
            Child::Lesson(i) => out.push(i),
            Child::Folder(f) => walk(&f, children, opening, lessons, out),
        }
    }
}

/// A folder section's title: its opening file's title, else its name without a
/// numeric prefix, title-cased. `None` (the default) for sections set by `section:`.
fn folder_title(
    dir: &Path,
    from_folder: bool,
    opening: &HashMap<PathBuf, usize>,
    lessons: &[Lesson],
) -> Option<String> {
    if dir.as_os_str().is_empty() {
        return from_folder.then(|| "Lessons".to_owned());
    }
    if !from_folder {
        return None;
    }
    if let Some(&i) = opening.get(dir) {
        return Some(lessons[i].title.clone());
    }
    let name = dir.file_name()?.to_string_lossy().into_owned();
    let bare = name.trim_start_matches(|c: char| {
        c.is_ascii_digit() || c == '-' || c == '_' || c == '.' || c == ' '
    });
    Some(title_case(if bare.is_empty() { &name } else { bare }))
}

/// Natural order of names: runs of digits compare as numbers (`2-x` < `10-x`), the rest
/// case-insensitively, then byte-wise so the order is total. It runs for every pair the
/// layout sorts on every save, so it allocates nothing: digit runs are compared as
/// slices.
pub(crate) fn natural(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                // ASCII digits are one byte each: the run's end is a character boundary.
                let run = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
                let (i, j) = (run(x), run(y));
                let (m, n) = (
                    x[..i].trim_start_matches('0'),
                    y[..j].trim_start_matches('0'),
                );
                let o = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if o != Ordering::Equal {
                    return o;
                }
                (x, y) = (&x[i..], &y[j..]);
            }
            (Some(c), Some(d)) => {
                let o = c.to_lowercase().cmp(d.to_lowercase());
                if o != Ordering::Equal {
                    return o;
                }
                (x, y) = (&x[c.len_utf8()..], &y[d.len_utf8()..]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        let mut names = vec!["10-end.md", "2-middle.md", "1-start.md", "B.md", "a.md"];
        names.sort_by(|a, b| natural(a, b));
        assert_eq!(
            names,
            ["1-start.md", "2-middle.md", "10-end.md", "a.md", "B.md"]
        );
        let mut names = vec!["l10.md", "l002.md", "l2.md", "l1x.md", "Ä1.md", "ä10.md"];
        names.sort_by(|a, b| natural(a, b));
        assert_eq!(
            names,
            ["l1x.md", "l002.md", "l2.md", "l10.md", "Ä1.md", "ä10.md"]
        );
    }
}
