//! mdBook books: `book.toml` and `SUMMARY.md`, read as mdBook reads them.
//!
//! `book.toml`'s `[book]` gives the `title`, the `src` folder (default `src`) and the
//! `language`; a `course.yaml` beside it may give the course an `id` and a `language`.
//! `SUMMARY.md` gives the chapters and their order: an optional `# Title`, prefix
//! chapters (links before the first list), numbered chapters (list items, nested to any
//! depth), part titles (`# Part`, each a section), separators (`---`), drafts
//! (`[Title]()`: listed in the outline as not written yet, never an error) and suffix
//! chapters (links after the last list). In a book without parts, each top-level
//! chapter that has sub-chapters is a section whose first lesson is that chapter (a
//! top-level chapter without any is a section of its own). Prefix chapters and numbered
//! chapters before the first part are in the untitled first section, suffix chapters in
//! the last. A chapter listed twice or a missing file is a diagnostic on the SUMMARY's
//! line; files the SUMMARY does not list are not lessons.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde::Deserialize;

use super::super::file::{self, CourseFile, SectionEntry};
use super::super::incremental::Sources;
use super::super::Draft;
use super::{Detected, Layout, BOOK_FILE, SUMMARY_FILE};
use crate::diagnostic::Diagnostic;
use crate::folder::{Folder, ReadError, MAX_COURSE_FILE_BYTES};
use crate::lesson::{self, Lenient, Lesson, COURSE_FILE};
use crate::text::LineIndex;

/// `book.toml`, the parts Lectern reads.
#[derive(Debug, Default, Deserialize)]
struct BookFile {
    #[serde(default)]
    book: BookTable,
}

#[derive(Debug, Default, Deserialize)]
struct BookTable {
    title: Option<String>,
    src: Option<String>,
    language: Option<String>,
}

/// The `src` folder `book.toml` in `root` names (`src` when it names none or cannot be
/// read; reading it again in [`read`] reports why).
pub(super) fn src_of(root: &Path) -> PathBuf {
    let (book, _) = read_book_file(&Folder::new(root));
    book.book
        .src
        .and_then(|s| crate::folder::normalize(Path::new(&s)))
        .unwrap_or_else(|| PathBuf::from("src"))
}

fn read_book_file(folder: &Folder) -> (BookFile, Option<Diagnostic>) {
    let rel = Path::new(BOOK_FILE);
    let text = match folder.read_text(rel, MAX_COURSE_FILE_BYTES) {
        Ok(t) => t,
        Err(e) => return (BookFile::default(), Some(e.diagnostic(rel, "`book.toml`"))),
    };
    match toml::from_str::<BookFile>(text.trim_start_matches('\u{feff}')) {
        Ok(book) => (book, None),
        Err(e) => {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() as u32 + 1
            });
            let d = Diagnostic::error(
                rel,
                line,
                1,
                "book-file-syntax",
                format!(
                    "`book.toml` could not be read: {}",
                    crate::text::one_line(e.message(), 200)
                ),
            )
            .with_source(&text);
            (BookFile::default(), Some(d))
        }
    }
}

/// One entry of the SUMMARY.
#[derive(Clone, Debug)]
struct Chapter {
    title: String,
    /// The link; `None` for a draft.
    link: Option<String>,
    /// 1-based line in SUMMARY.md.
    line: u32,
    /// 0 for prefix and suffix chapters, the list depth (1 = top level) for numbered.
    depth: usize,
    /// The part (index into `Summary::parts`) it is in, if any.
    part: Option<usize>,
    suffix: bool,
}

/// SUMMARY.md as mdBook reads it.
#[derive(Clone, Debug, Default)]
struct Summary {
    title: Option<String>,
    parts: Vec<String>,
    chapters: Vec<Chapter>,
}

/// Where the SUMMARY parser is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Prefix,
    Numbered,
    Suffix,
}

/// Parses SUMMARY.md with pulldown-cmark, as mdBook does.
fn parse_summary(text: &str) -> Summary {
    let index = LineIndex::new(text);
    let mut summary = Summary::default();
    let mut phase = Phase::Prefix;
    let mut depth = 0usize;
    let mut heading: Option<String> = None;
    let mut link: Option<(String, String, u32)> = None;
    let mut item_has_link: Vec<bool> = Vec::new();
    let mut anything = false;
    for (event, range) in Parser::new_ext(text, crate::render::parser_options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                let h = heading.take().unwrap_or_default().trim().to_owned();
                if !anything && summary.title.is_none() {
                    summary.title = Some(h);
                } else {
                    summary.parts.push(h);
                    phase = Phase::Numbered;
                }
                anything = true;
            }
            Event::Start(Tag::List(_)) => {
                depth += 1;
                phase = Phase::Numbered;
                anything = true;
            }
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Item) => item_has_link.push(false),
            Event::End(TagEnd::Item) => {
                item_has_link.pop();
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((
                    dest_url.to_string(),
                    String::new(),
                    index.position(text, range.start).0,
                ));
            }
            Event::End(TagEnd::Link) => {
                let Some((dest, title, line)) = link.take() else {
                    continue;
                };
                // Only an item's first link is its chapter; links in a list item's text
                // after it, or in prose, are not chapters.
                let in_item = depth > 0;
                if in_item && item_has_link.last().copied().unwrap_or(true) {
                    continue;
                }
                if let Some(last) = item_has_link.last_mut() {
                    *last = true;
                }
                if !in_item && phase == Phase::Numbered {
                    phase = Phase::Suffix;
                }
                anything = true;
                let dest = dest.trim();
                summary.chapters.push(Chapter {
                    title: title.trim().to_owned(),
                    link: (!dest.is_empty()).then(|| dest.to_owned()),
                    line,
                    depth: if in_item { depth } else { 0 },
                    part: summary.parts.len().checked_sub(1),
                    suffix: phase == Phase::Suffix,
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title, _)) = link.as_mut() {
                    title.push_str(&t);
                } else if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Rule => {}
            _ => {}
        }
    }
    summary
}

/// Reads the book `detected` describes: `book.toml`, `course.yaml`, the SUMMARY, then
/// every chapter file it lists, then places the chapters ([`place`]).
pub(in crate::course) fn read(
    folder: &Folder,
    detected: &Detected,
    sources: &mut Sources,
) -> Vec<Lesson> {
    let mut course_diagnostics = Vec::new();
    let book = if detected.has_book_file {
        let (book, problem) = read_book_file(folder);
        course_diagnostics.extend(problem);
        book
    } else {
        BookFile::default()
    };
    let mut course_file = CourseFile::default();
    if folder.exists(Path::new(COURSE_FILE)) {
        let yaml = file::read(folder, &mut course_diagnostics);
        course_file.id = yaml.id;
        course_file.language = yaml.language;
        course_file.title = yaml.title;
    }
    course_file.language = course_file.language.or(book.book.language);
    let summary_rel = detected.src.join(SUMMARY_FILE);
    let summary = match folder.read_text(&summary_rel, MAX_COURSE_FILE_BYTES) {
        Ok(text) => parse_summary(&text.trim_start_matches('\u{feff}').replace("\r\n", "\n")),
        Err(e) => {
            let d = match e {
                ReadError::Missing => Diagnostic::error(
                    &summary_rel,
                    1,
                    1,
                    "summary-missing",
                    "the book has no `SUMMARY.md`; add one listing its chapters, e.g. `- [Introduction](intro.md)`",
                ),
                other => other.diagnostic(&summary_rel, "`SUMMARY.md`"),
            };
            course_diagnostics.push(d);
            Summary::default()
        }
    };
    course_file.title = book
        .book
        .title
        .or(summary.title.clone().filter(|t| !t.is_empty()))
        .or(course_file.title);
    let book = Book::new(detected.clone(), summary, course_file.title.clone());
    let files: Vec<PathBuf> = book.chapters.keys().cloned().collect();
    sources.set_course_file(course_file, course_diagnostics);
    sources.layout = Layout::Book(Box::new(book));
    // The chapter files are read, parsed and their includes expanded on every core at
    // once (each alone), then recorded one by one: what a one-at-a-time read records.
    let reads: Vec<Option<ChapterRead>> = match &sources.layout {
        Layout::Book(book) => files
            .par_iter()
            .map(|rel| Some(ChapterRead::read(folder, rel, book.chapters.get(rel)?)))
            .collect(),
        _ => Vec::new(),
    };
    let mut pool = HashMap::with_capacity(files.len());
    for (rel, read) in files.into_iter().zip(reads) {
        sources.forget(&rel);
        if let Some(lesson) = read.and_then(|read| read.record(&rel, sources)) {
            pool.insert(rel, lesson);
        }
    }
    place(pool, sources)
}

/// What reading one chapter file gave, before it is recorded.
struct ChapterRead {
    /// The chapter and its warnings, or why it is none.
    read: Result<(Lesson, Vec<Diagnostic>), Diagnostic>,
    /// Whether nothing is there (the SUMMARY's line says so).
    missing: bool,
}

impl ChapterRead {
    /// Reads the chapter file `rel` as the SUMMARY lists it (its title wins); reads
    /// nothing shared, so chapters are read in parallel.
    fn read(folder: &Folder, rel: &Path, listed: &Listed) -> ChapterRead {
        let hint = Lenient {
            id_path: &listed.id_path,
            title: Some(&listed.title),
        };
        let read = lesson::load_lenient(folder, rel, hint).map(|(l, warnings, _)| (l, warnings));
        let missing = read.is_err() && matches!(folder.locate(rel), Err(ReadError::Missing));
        ChapterRead { read, missing }
    }

    /// Records what the read gave in `sources` (a missing file in the book's state, the
    /// rest as every lesson file's read is). The chapter if it loaded.
    fn record(self, rel: &Path, sources: &mut Sources) -> Option<Lesson> {
        let Layout::Book(book) = &mut sources.layout else {
            return None;
        };
        if self.missing {
            book.missing.insert(rel.to_path_buf());
            return None;
        }
        book.missing.remove(rel);
        sources.keep(rel, self.read)
    }
}

/// What placing a book's chapters needs beside the chapters: its SUMMARY, the title
/// of its first section, and each chapter file's state. Kept in `Sources`, so a change
/// to a chapter (or to a file it includes) reads that chapter alone and places every
/// chapter again in memory, as a fresh read does.
#[derive(Clone, Debug)]
pub(in crate::course) struct Book {
    detected: Detected,
    summary: Summary,
    title: Option<String>,
    /// Each chapter file the SUMMARY lists (its first listing), and how to read it.
    chapters: BTreeMap<PathBuf, Listed>,
    /// The chapter files found missing when last read (the SUMMARY's line says so).
    missing: HashSet<PathBuf>,
}

/// How the SUMMARY lists a chapter file: the path its id derives from (relative to
/// `src`) and its title.
#[derive(Clone, Debug)]
struct Listed {
    id_path: PathBuf,
    title: String,
}

impl Book {
    fn new(detected: Detected, summary: Summary, title: Option<String>) -> Book {
        let mut chapters = BTreeMap::new();
        for ch in &summary.chapters {
            let Some(id_path) = ch.link.as_deref().and_then(chapter_path) else {
                continue;
            };
            let rel = detected.src.join(&id_path);
            chapters.entry(rel).or_insert_with(|| Listed {
                id_path,
                title: ch.title.clone(),
            });
        }
        Book {
            detected,
            summary,
            title,
            chapters,
            missing: HashSet::new(),
        }
    }

    /// Whether `rel` is a chapter file of the book.
    pub(in crate::course) fn is_chapter(&self, rel: &Path) -> bool {
        self.chapters.contains_key(rel)
    }
}

/// The chapter file a SUMMARY link names, relative to `src`; `None` when it leads out.
fn chapter_path(link: &str) -> Option<PathBuf> {
    let link_path = link.split('#').next().unwrap_or("");
    crate::folder::normalize(Path::new(link_path))
}

/// Reads the chapter file `rel` (as the SUMMARY lists it: its title wins), recording
/// what it gave in `sources`; a missing file is recorded for the SUMMARY's line to say
/// so. `None` when it did not load, or is no chapter of the book.
pub(in crate::course) fn read_chapter(
    folder: &Folder,
    rel: &Path,
    sources: &mut Sources,
) -> Option<Lesson> {
    sources.forget(rel);
    let Layout::Book(book) = &sources.layout else {
        return None;
    };
    let listed = book.chapters.get(rel)?;
    ChapterRead::read(folder, rel, listed).record(rel, sources)
}

/// Places the chapters of `pool` (by file) as the SUMMARY lists them: positions,
/// parents, sections and drafts, and the SUMMARY's line diagnostics (a chapter listed
/// twice, missing or outside `src`), recorded in `sources`. The lessons in course order.
pub(in crate::course) fn place(
    mut pool: HashMap<PathBuf, Lesson>,
    sources: &mut Sources,
) -> Vec<Lesson> {
    let Layout::Book(book) = &sources.layout else {
        return pool.into_values().collect();
    };
    let mut placing = Placing {
        book,
        summary_rel: book.detected.src.join(SUMMARY_FILE),
        seen: HashMap::new(),
        diagnostics: Vec::new(),
    };
    let mut sections = Sections::new(book.title.as_deref());
    let mut lessons = Vec::with_capacity(pool.len());
    // The nearest chapter at each depth, for `parent` (None for a draft).
    let mut ancestors: Vec<Option<String>> = Vec::new();
    for ch in &book.summary.chapters {
        sections.enter(ch, &book.summary);
        let current = sections.current;
        ancestors.truncate(ch.depth.saturating_sub(1));
        let parent = ancestors.iter().rev().flatten().next().cloned();
        let id = match &ch.link {
            None => {
                let position = sections.counts[current];
                sections.sections[current].drafts.push(Draft {
                    title: ch.title.clone(),
                    position,
                });
                None
            }
            Some(link) => placing.chapter(ch, link, &mut pool).map(|mut l| {
                l.position = Some(lessons.len());
                l.parent = parent;
                let id = sections.sections[current].id.clone();
                l.section = (!id.is_empty()).then_some(id);
                let lesson_id = l.id.clone();
                lessons.push(l);
                sections.counts[current] += 1;
                lesson_id
            }),
        };
        if ch.depth > 0 {
            ancestors.resize(ch.depth - 1, None);
            ancestors.push(id);
        }
    }
    let diagnostics = placing.diagnostics;
    sources.set_sections(sections.sections);
    sources.layout_diagnostics = diagnostics;
    lessons
}

/// The sections being built from the SUMMARY, with the lessons each has so far.
struct Sections {
    sections: Vec<SectionEntry>,
    /// How many lessons each section has (a draft's position).
    counts: Vec<usize>,
    taken: HashSet<String>,
    part_section: HashMap<usize, usize>,
    suffix_section: Option<usize>,
    current: usize,
}

impl Sections {
    fn new(book_title: Option<&str>) -> Sections {
        Sections {
            sections: vec![SectionEntry {
                id: String::new(),
                title: Some(book_title.unwrap_or("Introduction").to_owned()),
                drafts: Vec::new(),
            }],
            counts: vec![0],
            taken: HashSet::from([String::new()]),
            part_section: HashMap::new(),
            suffix_section: None,
            current: 0,
        }
    }

    fn open(&mut self, slug: String, fallback: &str, title: &str) -> usize {
        let id = super::unique_slug(slug, fallback, &mut self.taken);
        self.sections.push(SectionEntry {
            id,
            title: Some(title.to_owned()),
            drafts: Vec::new(),
        });
        self.counts.push(0);
        self.sections.len() - 1
    }

    /// Moves to the section `ch` belongs to (opening it when it is the first there).
    fn enter(&mut self, ch: &Chapter, summary: &Summary) {
        self.current = if ch.suffix {
            match self.suffix_section {
                Some(s) => s,
                None => {
                    let s = self.open("more".into(), "more", "More");
                    *self.suffix_section.insert(s)
                }
            }
        } else if let Some(p) = ch.part {
            match self.part_section.get(&p) {
                Some(&s) => s,
                None => {
                    let title = &summary.parts[p];
                    let s = self.open(lesson::slugify(title), "part", title);
                    self.part_section.insert(p, s);
                    s
                }
            }
        } else if ch.depth == 1 && summary.parts.is_empty() {
            // A book without parts: each top-level chapter opens a section.
            self.open(lesson::slugify(&ch.title), "chapter", &ch.title)
        } else {
            self.current
        };
    }
}

/// The SUMMARY's chapters being placed: which files are taken, and what its lines say.
struct Placing<'b> {
    book: &'b Book,
    summary_rel: PathBuf,
    /// Each chapter file placed, with the SUMMARY line that listed it.
    seen: HashMap<PathBuf, u32>,
    diagnostics: Vec<Diagnostic>,
}

impl Placing<'_> {
    /// The chapter `ch` (linking to `link`) from `pool`; a diagnostic on the SUMMARY's
    /// line when it is listed twice, leads out of `src`, or its file is missing.
    fn chapter(
        &mut self,
        ch: &Chapter,
        link: &str,
        pool: &mut HashMap<PathBuf, Lesson>,
    ) -> Option<Lesson> {
        let summary_rel = &self.summary_rel;
        let on_summary = |code: &'static str, message: String| {
            Diagnostic::error(summary_rel, ch.line, 1, code, message)
        };
        let Some(id_path) = chapter_path(link) else {
            self.diagnostics.push(on_summary(
                "summary-missing-file",
                format!("`{link}` is outside the book's `src` folder; chapters must be inside it"),
            ));
            return None;
        };
        let rel = self.book.detected.src.join(&id_path);
        if let Some(first) = self.seen.get(&rel) {
            self.diagnostics.push(on_summary(
                "summary-duplicate",
                format!("`{link}` is already listed on line {first}; a chapter is listed once"),
            ));
            return None;
        }
        self.seen.insert(rel.clone(), ch.line);
        if self.book.missing.contains(&rel) {
            self.diagnostics.push(on_summary(
                "summary-missing-file",
                format!(
                    "`{link}` does not exist; create it or fix the link (it is relative to {})",
                    where_summary_is(summary_rel)
                ),
            ));
        }
        pool.remove(&rel)
    }
}

/// Where links of the SUMMARY at `summary_rel` are relative to, in words.
fn where_summary_is(summary_rel: &Path) -> String {
    match summary_rel.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => format!("`{}`", crate::diagnostic::slash_path(dir)),
        None => "the book's folder".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_is_read_as_mdbook_reads_it() {
        let s = parse_summary(
            "# My Book\n\n[Preface](pre.md)\n\n- [One](one.md)\n  - [One A](one-a.md)\n    - [Deep](deep.md)\n- [Draft]()\n\n---\n\n# Part Two\n\n- [Two](two.md) see [x](x.md)\n\n[Thanks](thanks.md)\n",
        );
        assert_eq!(s.title.as_deref(), Some("My Book"));
        assert_eq!(s.parts, ["Part Two"]);
        let got: Vec<String> = s
            .chapters
            .iter()
            .map(|c| {
                format!(
                    "{} {:?} {} {} {:?} {}",
                    c.title, c.link, c.line, c.depth, c.part, c.suffix
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                r#"Preface Some("pre.md") 3 0 None false"#,
                r#"One Some("one.md") 5 1 None false"#,
                r#"One A Some("one-a.md") 6 2 None false"#,
                r#"Deep Some("deep.md") 7 3 None false"#,
                "Draft None 8 1 None false",
                r#"Two Some("two.md") 14 1 Some(0) false"#,
                r#"Thanks Some("thanks.md") 16 0 Some(0) true"#,
            ]
        );
    }
}
