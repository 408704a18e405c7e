//! Lessons: finding `.md` files under the lessons folder and reading their front matter.
//!
//! Front door: [`lesson_files`] walks a folder and returns every `.md` file *and* a
//! diagnostic for every one that cannot be a lesson; [`load`] reads one of them through
//! the [`Folder`], [`parse`] one file's bytes (`Course::load` and `Loaded::apply` are the
//! callers). Nothing here fails the whole course: one broken file is one error
//! diagnostic.

mod duration;
mod front_matter;
pub mod include;
mod lenient;

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::folder::{Folder, ReadError};

/// The course file at the root of the lessons folder, read by `course`.
pub const COURSE_FILE: &str = "course.yaml";
pub use duration::parse_minutes;
pub(crate) use front_matter::{entries as yaml_entries, Entry as YamlEntry};
pub use front_matter::{suggest_key, Pos, KNOWN_KEYS};
pub use lenient::{derive_id, load_lenient, parse_lenient, Lenient, LenientLesson, Provenance};

/// Lessons larger than this are refused with a diagnostic instead of being read:
/// no real lesson is this big, and it bounds the work any one file can cause.
pub use crate::folder::MAX_LESSON_BYTES;

/// One lesson file whose front matter was read.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// Unique id (`[a-z0-9][a-z0-9-]*`), the lesson's identity in progress data and links.
    pub id: String,
    /// Shown in the outline and the window title.
    pub title: String,
    /// `lesson` unless the front matter says otherwise; unknown values are kept.
    pub kind: String,
    /// `duration` converted to minutes, when it could be understood.
    pub duration_minutes: Option<u32>,
    /// Position in the course; lessons without one come last.
    pub order: Option<i64>,
    /// Section slug, if any.
    pub section: Option<String>,
    /// `prevLessonId` as written.
    pub prev: Option<String>,
    /// `nextLessonId` as written.
    pub next: Option<String>,
    /// Keys the format does not define, kept for tools and future use.
    pub extra: BTreeMap<String, Value>,
    /// Path relative to the lessons folder.
    pub path: PathBuf,
    /// Where some keys' values are, so later checks (links) can point at them.
    pub positions: Positions,
    /// The whole file, BOM removed and line endings normalized to `\n`.
    pub text: String,
    /// Byte offset of the body (after the front matter) in `text`.
    pub body_offset: usize,
    /// 1-based line of the file where the body starts.
    pub body_line: u32,
    /// Position given by the course's source (a SUMMARY's order, a folder's order): when
    /// set it orders the course before `order` does. `None` in Lectern courses.
    pub position: Option<usize>,
    /// Id of the chapter this one is nested under (mdBook's sub-chapters), if any.
    pub parent: Option<String>,
    /// Where the lines of `text` came from, when preprocessor directives included other
    /// files; `None` when the text is the file's own.
    pub sources: Option<std::sync::Arc<include::SourceMap>>,
    /// Every file its preprocessor directives name, directly or through nested
    /// includes, relative to the course folder, sorted: read or not (a missing file
    /// counts, so creating it changes the lesson). The lesson's text depends on these
    /// files; the live preview reads it again when one of them changes.
    pub includes: Vec<PathBuf>,
    /// The front matter could not be read: a stand-in ([`broken`]) that keeps the file in
    /// the outline, marked, with no body; its diagnostic says why.
    pub broken: bool,
}

/// Positions of the front matter values that later stages point at.
#[derive(Clone, Copy, Debug, Default)]
pub struct Positions {
    /// Where the `id` value is.
    pub id: Pos,
    /// Where the `section` value is, if present.
    pub section: Option<Pos>,
    /// Where the `prevLessonId` value is, if present.
    pub prev: Option<Pos>,
    /// Where the `nextLessonId` value is, if present.
    pub next: Option<Pos>,
}

impl Lesson {
    /// A lesson of `rel` with nothing read yet but where its body starts: what the
    /// strict and the lenient readers fill in from the front matter.
    pub(crate) fn blank(rel: &Path, body_offset: usize, body_line: u32) -> Lesson {
        Lesson {
            id: String::new(),
            title: String::new(),
            kind: "lesson".to_owned(),
            duration_minutes: None,
            order: None,
            section: None,
            prev: None,
            next: None,
            extra: BTreeMap::new(),
            path: rel.to_path_buf(),
            positions: Positions::default(),
            text: String::new(),
            body_offset,
            body_line,
            position: None,
            parent: None,
            sources: None,
            includes: Vec::new(),
            broken: false,
        }
    }

    /// The Markdown after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The file and line that line `line` of [`Lesson::text`] came from: an included
    /// file's own line when a directive put it there, else this lesson's file.
    pub fn origin(&self, line: u32) -> (PathBuf, u32) {
        match &self.sources {
            Some(map) => map.locate(line, &self.path),
            None => (self.path.clone(), line),
        }
    }
}

/// Every `.md` file under the folder (sorted), and a diagnostic for each one that cannot
/// be a lesson: a link out of the folder, a link to nowhere, a FIFO or other special
/// file. Hidden folders and `node_modules` are skipped. Any depth is scanned; each real
/// folder once (a link back to a parent cannot make it loop), with an explicit stack so
/// a very deep tree cannot overflow the thread's stack.
pub fn lesson_files(folder: &Folder) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = folder.root().join(&rel);
        folder.note_listing(&rel);
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                let what = if rel.as_os_str().is_empty() {
                    format!("cannot read the lessons folder `{}`: {e}", dir.display())
                } else {
                    format!(
                        "cannot read the folder `{}`: {e}",
                        crate::diagnostic::slash_path(&rel)
                    )
                };
                diagnostics.push(Diagnostic::error(&rel, 1, 1, "folder-unreadable", what));
                continue;
            }
        };
        if let Ok(canonical) = fs::canonicalize(&dir) {
            if !seen.insert(canonical) {
                continue;
            }
        }
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name_str = name.to_string_lossy();
            if name_str.starts_with('.') || name_str == "node_modules" {
                continue;
            }
            let child = rel.join(&name);
            let is_md = Path::new(&name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"));
            match classify(folder, &entry, &child) {
                Entry::Folder => stack.push(child),
                Entry::File if is_md => files.push(child),
                // A link out is reported whatever it is (`course.yaml` is reported where
                // it is read); other odd files matter only when they claim to be lessons.
                Entry::Problem(e)
                    if is_md || (matches!(e, ReadError::Escape) && name_str != COURSE_FILE) =>
                {
                    diagnostics.push(e.diagnostic(&child, "lesson"));
                }
                Entry::File | Entry::Problem(_) | Entry::Other => {}
            }
        }
    }
    files.sort();
    (files, diagnostics)
}

/// What one folder entry is, for the scan.
enum Entry {
    /// A folder inside the lessons folder, not reached through a link.
    Folder,
    /// A regular file inside the lessons folder.
    File,
    /// Something that cannot be read as a lesson.
    Problem(ReadError),
    /// Something else (a link to a folder inside, already reached by its real path).
    Other,
}

/// What the entry `rel` of a folder the scan reached by its real path is. A regular
/// file or a folder that is no link is inside the lessons folder by where it was found,
/// and its type is in the listing (the directory entry's type, no `stat`); only a link
/// or an entry of unknown type is resolved ([`Folder::locate`]) and looked at, so a
/// scan of 10,000 lessons costs no 10,000 `realpath` calls (the read resolves each
/// lesson anyway).
fn classify(folder: &Folder, entry: &fs::DirEntry, rel: &Path) -> Entry {
    let file_type = entry.file_type();
    match &file_type {
        Ok(t) if t.is_file() => return Entry::File,
        Ok(t) if t.is_dir() => return Entry::Folder,
        _ => {}
    }
    let is_link = file_type.is_ok_and(|t| t.is_symlink());
    let located = match folder.locate(rel) {
        Ok(path) => path,
        Err(e) => return Entry::Problem(e),
    };
    let Ok(meta) = fs::metadata(&located) else {
        return Entry::Problem(ReadError::Missing);
    };
    if meta.is_dir() {
        // A link to a folder inside is not followed: its files are found by their own
        // path, and following it could only list them twice.
        return if is_link { Entry::Other } else { Entry::Folder };
    }
    if meta.is_file() {
        Entry::File
    } else {
        Entry::Problem(ReadError::NotAFile(crate::folder::kind_of(
            &meta.file_type(),
        )))
    }
}

/// Reads and parses one lesson of `folder`, `rel` being its path relative to it, through
/// the folder's guarded reader.
pub fn load(folder: &Folder, rel: &Path) -> Result<(Lesson, Vec<Diagnostic>), Diagnostic> {
    let bytes = folder
        .read(rel, MAX_LESSON_BYTES)
        .map_err(|e| e.diagnostic(rel, "lesson"))?;
    let (mut lesson, mut warnings) = parse_text(rel, decode(rel, bytes)?)?;
    warnings.extend(include::expand_lesson(folder, &mut lesson));
    Ok((lesson, warnings))
}

/// What [`load_once`] gives: the lesson, its warnings and (read leniently) what its
/// front matter set, or why it is none; and the broken stand-in.
pub(crate) type ReadOnce = (
    Result<(Lesson, Vec<Diagnostic>, Option<Provenance>), Diagnostic>,
    Option<Lesson>,
);

/// What reading one lesson file gave (strictly, or leniently with the hint): the
/// lesson with its warnings (and, read leniently, what its front matter set), or why it
/// is none together with the broken stand-in ([`broken`]) when only its front matter
/// failed. The file is read once: the stand-in comes from the text already read.
pub(crate) fn load_once(folder: &Folder, rel: &Path, lenient: Option<Lenient<'_>>) -> ReadOnce {
    let text = match folder.read(rel, MAX_LESSON_BYTES) {
        Ok(bytes) => decode(rel, bytes),
        Err(e) => Err(e.diagnostic(rel, "lesson")),
    };
    let text = match text {
        Ok(text) => text,
        Err(failed) => return (Err(failed), None),
    };
    let parsed = match lenient {
        Some(hint) => lenient::parse_keeping(rel, text, hint)
            .map(|(lesson, warnings, set)| (lesson, warnings, Some(set))),
        None => parse_keeping(rel, text).map(|(lesson, warnings)| (lesson, warnings, None)),
    };
    match parsed {
        Ok((mut lesson, mut warnings, set)) => {
            warnings.extend(include::expand_lesson(folder, &mut lesson));
            (Ok((lesson, warnings, set)), None)
        }
        Err(failed) => {
            let (failed, text) = *failed;
            let stand_in = stand_in(rel, &text, &failed);
            (Err(failed), stand_in)
        }
    }
}

/// A stand-in for the lesson file `rel` whose front matter `failed` (its syntax or a
/// value's type), so one typo does not take the lesson out of the course: it stays in
/// the outline, marked [`Lesson::broken`], under the id, title, order and section its
/// lines still say (read line by line, as `key: value`; the id derived from the path
/// and the title from the file name when they cannot be read), and links to it still
/// resolve, so the typo is the one problem reported. `None` for other failures (the
/// file unreadable, no front matter at all).
pub fn broken(folder: &Folder, rel: &Path, failed: &Diagnostic) -> Option<Lesson> {
    if !matches!(failed.code, "front-matter-syntax" | "front-matter-type") {
        return None;
    }
    let text = folder.read_text(rel, MAX_LESSON_BYTES).ok()?;
    stand_in(rel, &text, failed)
}

/// [`broken`] from the file's text already read (loading reads each file once).
fn stand_in(rel: &Path, text: &str, failed: &Diagnostic) -> Option<Lesson> {
    if !matches!(failed.code, "front-matter-syntax" | "front-matter-type") {
        return None;
    }
    let field = |key: &str| -> Option<String> {
        text.lines()
            .skip(1)
            .take_while(|l| l.trim_end() != "---")
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
            .map(|v| {
                v.trim()
                    .trim_matches(|c| matches!(c, '"' | '\'' | '[' | ']' | '{' | '}'))
                    .trim()
                    .to_owned()
            })
            .filter(|v| !v.is_empty())
    };
    let valid_id = |id: &String| {
        id.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-')
    };
    let mut lesson = Lesson::blank(rel, 0, 1);
    lesson.id = field("id")
        .filter(valid_id)
        .unwrap_or_else(|| derive_id(rel));
    lesson.title = field("title").unwrap_or_else(|| {
        rel.file_stem()
            .map_or_else(|| lesson.id.clone(), |s| s.to_string_lossy().into_owned())
    });
    lesson.order = field("order").and_then(|o| o.parse().ok());
    lesson.section = field("section");
    lesson.broken = true;
    Some(lesson)
}

fn too_large(rel: &Path, len: u64) -> Diagnostic {
    ReadError::TooLarge {
        len,
        limit: MAX_LESSON_BYTES,
    }
    .diagnostic(rel, "lesson")
}

/// Parses one lesson from its bytes. `rel` is its path relative to the lessons folder.
///
/// Returns the lesson with its warnings, or the one error that made it unusable.
/// Accepts a UTF-8 BOM and CRLF line endings.
pub fn parse(rel: &Path, bytes: &[u8]) -> Result<(Lesson, Vec<Diagnostic>), Diagnostic> {
    parse_text(rel, decode(rel, bytes.to_vec())?)
}

/// [`parse`] of a file's text already decoded ([`decode`]): the text becomes the
/// lesson's, never copied.
fn parse_text(rel: &Path, text: String) -> Result<(Lesson, Vec<Diagnostic>), Diagnostic> {
    parse_keeping(rel, text).map_err(|failed| failed.0)
}

/// [`parse_text`], giving the text back with the error (for the broken stand-in).
fn parse_keeping(rel: &Path, text: String) -> Result<(Lesson, Vec<Diagnostic>), Failed> {
    let parsed = front_matter::split(rel, &text).and_then(|split| {
        let entries = front_matter::parse(rel, &text, split.yaml, 1)?;
        Ok((entries, split.body_offset, split.body_line))
    });
    match parsed {
        Ok((entries, body_offset, body_line)) => build(rel, text, entries, body_offset, body_line),
        Err(failed) => Err(Box::new((failed, text))),
    }
}

/// Why a decoded file is no lesson, with its text (boxed: the error path is rare and
/// the `Result` stays small).
pub(super) type Failed = Box<(Diagnostic, String)>;

/// A lesson file's bytes as text: size checked, BOM removed, UTF-8 checked (an error
/// names the line and column), CRLF made LF and NUL made U+FFFD. The bytes become the
/// text in place: a file as most are (no BOM, CR or NUL) is neither copied nor
/// allocated again, so loading holds each lesson's text once.
pub(crate) fn decode(rel: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() as u64 > MAX_LESSON_BYTES {
        return Err(too_large(rel, bytes.len() as u64));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = crate::folder::utf8(bytes).map_err(|e| e.diagnostic(rel, "lesson"))?;
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    // NUL becomes U+FFFD, as CommonMark says, before anything reads the text: it must
    // reach neither the HTML nor the quiz JSON. (Offsets are of this text throughout.)
    Ok(if text.contains('\0') {
        text.replace('\0', "\u{FFFD}")
    } else {
        text
    })
}

/// A lesson being built from its front matter entries, with what was found so far.
struct Fields<'a> {
    rel: &'a Path,
    text: &'a str,
    lesson: Lesson,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    has_id: bool,
    has_title: bool,
}

impl Fields<'_> {
    /// A diagnostic at an entry's value.
    fn at(
        &self,
        e: &front_matter::Entry,
        severity: Severity,
        code: &'static str,
        msg: String,
    ) -> Diagnostic {
        let (line, column) = (e.value_pos.line, e.value_pos.column);
        Diagnostic::new(severity, self.rel, line, column, code, msg).with_source(self.text)
    }
}

fn build(
    rel: &Path,
    text: String,
    entries: Vec<front_matter::Entry>,
    body_offset: usize,
    body_line: u32,
) -> Result<(Lesson, Vec<Diagnostic>), Failed> {
    let lesson = Lesson::blank(rel, body_offset, body_line);
    let mut f = Fields {
        rel,
        text: &text,
        lesson,
        errors: Vec::new(),
        warnings: Vec::new(),
        has_id: false,
        has_title: false,
    };
    for e in entries {
        apply(&mut f, e);
    }
    if let Some(first) = f.errors.into_iter().next() {
        return Err(Box::new((first, text)));
    }
    if !f.has_id {
        let failed = Diagnostic::error(
            rel,
            1,
            1,
            "missing-id",
            format!(
                "front matter has no `id`; add e.g. `id: {}`",
                suggest_id(&file_stem(rel))
            ),
        )
        .with_source(&text);
        return Err(Box::new((failed, text)));
    }
    if !f.has_title {
        let failed = Diagnostic::error(
            rel,
            1,
            1,
            "missing-title",
            "front matter has no `title`; add e.g. `title: Word Embeddings`",
        )
        .with_source(&text);
        return Err(Box::new((failed, text)));
    }
    let (mut lesson, warnings) = (f.lesson, f.warnings);
    lesson.text = text;
    Ok((lesson, warnings))
}

/// Takes one front matter entry into the lesson, or records what is wrong with it.
fn apply(f: &mut Fields<'_>, e: front_matter::Entry) {
    match e.key.as_str() {
        "id" => match scalar_string(&e.value) {
            Some(id) if is_valid_id(&id) => {
                f.lesson.id = id;
                f.lesson.positions.id = e.value_pos;
                f.has_id = true;
            }
            Some(id) => f.errors.push(f.at(&e,
                Severity::Error,
                "invalid-id",
                format!(
                    "`id: {id}` is not a valid id; use lowercase letters, digits and `-`, starting with a letter or digit (e.g. `{}`)",
                    suggest_id(&id)
                ),
            )),
            None => f.errors.push(f.at(&e, Severity::Error, "invalid-id", "`id` must be a string".to_owned())),
        },
        "title" => match scalar_string(&e.value) {
            Some(t) if !t.trim().is_empty() => {
                f.lesson.title = t.trim().to_owned();
                f.has_title = true;
            }
            _ => f.errors.push(f.at(&e,
                Severity::Error,
                "missing-title",
                "`title` must be a non-empty string".to_owned(),
            )),
        },
        "type" => match scalar_string(&e.value) {
            Some(t) if !t.trim().is_empty() => f.lesson.kind = t.trim().to_owned(),
            _ => f.warnings.push(f.at(&e,
                Severity::Warning,
                "front-matter-type",
                "`type` should be a string such as `lesson`; using `lesson`".to_owned(),
            )),
        },
        "duration" => match &e.value {
            Value::Number(n) if n.as_u64().is_some_and(|m| m <= 100_000) => {
                f.lesson.duration_minutes = n.as_u64().map(|m| m as u32)
            }
            v => {
                let s = scalar_string(v).unwrap_or_default();
                match parse_minutes(&s) {
                    Some(m) => f.lesson.duration_minutes = Some(m),
                    None => f.warnings.push(f.at(&e,
                        Severity::Warning,
                        "duration-format",
                        format!(
                            "cannot read `duration: {s}` as a duration; write e.g. `45 mins`, `1 hour` or `1h 30m`"
                        ),
                    )),
                }
            }
        },
        "order" => match e.value.as_i64() {
            Some(n) => f.lesson.order = Some(n),
            None => f.errors.push(f.at(&e,
                Severity::Error,
                "front-matter-type",
                format!(
                    "`order: {}` must be a whole number such as `3`",
                    source_value(f.text, e.value_pos).unwrap_or_else(|| display_value(&e.value))
                ),
            )),
        },
        "section" => apply_section(f, &e),
        "prevLessonId" | "nextLessonId" => apply_link(f, &e),
        other => apply_unknown(f, &e, other),
    }
}

/// `section:` — a slug naming the lesson's section in the outline.
fn apply_section(f: &mut Fields<'_>, e: &front_matter::Entry) {
    match scalar_string(&e.value) {
        Some(s) if !s.trim().is_empty() => {
            let slug = slugify(&s);
            if slug != s {
                f.warnings.push(f.at(
                    e,
                    Severity::Warning,
                    "section-slug",
                    format!("`section: {s}` is not a slug; using `{slug}`"),
                ));
            }
            f.lesson.section = Some(slug);
            f.lesson.positions.section = Some(e.value_pos);
        }
        _ => f.warnings.push(f.at(
            e,
            Severity::Warning,
            "front-matter-type",
            "`section` should be a slug such as `language-models`".to_owned(),
        )),
    }
}

/// `prevLessonId:` / `nextLessonId:` — the declared neighbours.
fn apply_link(f: &mut Fields<'_>, e: &front_matter::Entry) {
    let is_prev = e.key == "prevLessonId";
    match &e.value {
        Value::Null => {}
        v => match scalar_string(v) {
            Some(s) if !s.trim().is_empty() => {
                if is_prev {
                    f.lesson.prev = Some(s.trim().to_owned());
                    f.lesson.positions.prev = Some(e.value_pos);
                } else {
                    f.lesson.next = Some(s.trim().to_owned());
                    f.lesson.positions.next = Some(e.value_pos);
                }
            }
            _ => f.warnings.push(f.at(
                e,
                Severity::Warning,
                "front-matter-type",
                format!("`{}` should be a lesson id", e.key),
            )),
        },
    }
}

/// Any other key: kept, with a warning (and a suggestion when it looks like a typo).
fn apply_unknown(f: &mut Fields<'_>, e: &front_matter::Entry, other: &str) {
    let hint = match suggest_key(other) {
        Some(k) => format!(" (did you mean `{k}`?)"),
        None => String::from("; it is kept but not used"),
    };
    f.warnings.push(
        Diagnostic::warning(
            f.rel,
            e.key_pos.line,
            e.key_pos.column,
            "unknown-key",
            format!("unknown key `{other}`{hint}"),
        )
        .with_source(f.text),
    );
    f.lesson.extra.insert(other.to_owned(), e.value.clone());
}

fn file_stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A YAML scalar as a string (numbers and booleans are written out); `None` for
/// null, lists and maps.
fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The value as written at `pos` (to the end of its line, comment removed), so a message
/// quotes `1234567890123456789012345678901` rather than the float it became.
fn source_value(text: &str, pos: Pos) -> Option<String> {
    let line = text.lines().nth(pos.line.checked_sub(1)? as usize)?;
    let start = line
        .char_indices()
        .nth(pos.column.checked_sub(1)? as usize)?
        .0;
    let value = line[start..].split(" #").next()?.trim();
    (!value.is_empty()).then(|| crate::text::truncate(value, 40))
}

fn display_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A valid lesson id made from any text, for "add e.g. `id: …`" hints: transliterated
/// to ASCII (`Café` → `cafe`, `Über` → `uber`), then slugified; `lesson` when nothing
/// is left.
pub fn suggest_id(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    let slug: String = slugify(&ascii)
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .collect();
    let slug = slug.trim_matches('-').to_owned();
    if is_valid_id(&slug) {
        slug
    } else {
        "lesson".to_owned()
    }
}

/// Whether `id` matches `[a-z0-9][a-z0-9-]*`.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Turns any text into a slug: its letters and digits (in any script, lowercased)
/// joined by `-`. Heading ids use it, so a heading in Chinese or Greek keeps a readable
/// id; lesson ids are stricter (see [`is_valid_id`] and [`suggest_id`]).
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_file_becomes_its_text_in_place_and_a_bom_or_crlf_is_still_taken_out() {
        let bytes = b"---\nid: a\ntitle: A\n---\n# A\n".to_vec();
        let at = bytes.as_ptr();
        let text = decode(Path::new("a.md"), bytes).unwrap();
        assert_eq!(text.as_ptr(), at, "the file's bytes were copied");
        let bom_crlf = b"\xEF\xBB\xBF---\r\nid: a\r\n".to_vec();
        assert_eq!(decode(Path::new("a.md"), bom_crlf).unwrap(), "---\nid: a\n");
        let d = decode(Path::new("a.md"), b"ok\n\xFF".to_vec()).unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("invalid-utf8", 2, 1));
    }

    #[test]
    fn suggested_ids_are_always_valid_ids() {
        for (input, expected) in [
            ("Café", "cafe"),
            ("Üb", "ub"),
            ("Word Embeddings!", "word-embeddings"),
            ("注意力", "zhu-yi-li"),
            ("---", "lesson"),
            ("", "lesson"),
        ] {
            let id = suggest_id(input);
            assert!(is_valid_id(&id), "{input} -> {id}");
            assert_eq!(id, expected, "{input}");
        }
    }

    fn ok(src: &str) -> (Lesson, Vec<Diagnostic>) {
        parse(Path::new("x.md"), src.as_bytes()).expect("lesson should parse")
    }

    fn err(src: &[u8]) -> Diagnostic {
        parse(Path::new("x.md"), src).expect_err("lesson should be refused")
    }

    #[test]
    fn reads_every_documented_key() {
        let (l, w) = ok("---\nid: a-1\ntitle: A\ntype: lab\nduration: 1h 30m\norder: 4\nsection: basics\nprevLessonId: z\nnextLessonId: b\n---\n# A\n");
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(l.id, "a-1");
        assert_eq!(l.title, "A");
        assert_eq!(l.kind, "lab");
        assert_eq!(l.duration_minutes, Some(90));
        assert_eq!(l.order, Some(4));
        assert_eq!(l.section.as_deref(), Some("basics"));
        assert_eq!(l.prev.as_deref(), Some("z"));
        assert_eq!(l.next.as_deref(), Some("b"));
        assert_eq!(l.body(), "# A\n");
        assert_eq!(l.body_line, 11);
    }

    #[test]
    fn type_defaults_to_lesson() {
        assert_eq!(ok("---\nid: a\ntitle: A\n---\n").0.kind, "lesson");
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let (l, w) = ok("\u{feff}---\r\nid: a\r\ntitle: A\r\n---\r\nbody\r\n");
        assert!(w.is_empty());
        assert_eq!(l.id, "a");
        assert_eq!(l.body(), "body\n");
    }

    #[test]
    fn unknown_key_is_kept_and_warned_with_suggestion() {
        let (l, w) = ok("---\nid: a\ntitle: A\nprevLessonID: b\n---\n");
        assert_eq!(l.prev, None);
        assert!(l.extra.contains_key("prevLessonID"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "unknown-key");
        assert_eq!((w[0].line, w[0].column), (4, 1));
        assert!(
            w[0].message.contains("did you mean `prevLessonId`?"),
            "{}",
            w[0].message
        );
    }

    #[test]
    fn missing_front_matter_is_an_error_at_line_one() {
        let d = err(b"# Just a heading\n");
        assert_eq!((d.code, d.line, d.column), ("front-matter-missing", 1, 1));
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        assert_eq!(
            err(b"---\nid: a\ntitle: A\n").code,
            "front-matter-unterminated"
        );
    }

    #[test]
    fn yaml_syntax_error_points_at_file_line_and_column() {
        let d = err(b"---\nid: a\ntitle: [oops\n---\n");
        assert_eq!(d.code, "front-matter-syntax");
        assert_eq!(d.line, 3);
        assert!(d.column >= 8, "{d:?}");
    }

    #[test]
    fn missing_id_and_title_are_errors() {
        assert_eq!(err(b"---\ntitle: A\n---\n").code, "missing-id");
        assert_eq!(err(b"---\nid: a\n---\n").code, "missing-title");
    }

    #[test]
    fn invalid_id_points_at_the_value() {
        let d = err(b"---\nid: Bad Id\ntitle: A\n---\n");
        assert_eq!((d.code, d.line, d.column), ("invalid-id", 2, 5));
        assert!(d.message.contains("bad-id"));
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let d = err(b"---\nid: a\ntitle: caf\xe9\n---\n");
        assert_eq!((d.code, d.line, d.column), ("invalid-utf8", 3, 11));
    }

    #[test]
    fn oversized_lesson_is_refused() {
        let big = vec![b'a'; (MAX_LESSON_BYTES + 1) as usize];
        assert_eq!(err(&big).code, "file-too-large");
    }

    #[test]
    fn unreadable_duration_is_a_warning_not_an_error() {
        let (l, w) = ok("---\nid: a\ntitle: A\nduration: a while\n---\n");
        assert_eq!(l.duration_minutes, None);
        assert_eq!(w[0].code, "duration-format");
    }

    #[test]
    fn non_integer_order_is_an_error() {
        assert_eq!(
            err(b"---\nid: a\ntitle: A\norder: first\n---\n").code,
            "front-matter-type"
        );
    }

    #[test]
    fn slugify_makes_section_slugs() {
        assert_eq!(slugify("Language Models!"), "language-models");
        assert_eq!(slugify("  a  b "), "a-b");
    }
}
