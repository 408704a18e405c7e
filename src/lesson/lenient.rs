//! Lessons from Markdown not written for Lectern: files of a plain folder or an mdBook
//! book, read leniently.
//!
//! A file needs no front matter. When it has some, YAML between `---` lines (Jekyll,
//! Docusaurus, Lectern) or TOML between `+++` lines (Hugo, Zola), only the keys that say
//! something Lectern shows are read: `id` (when it is a valid Lectern id, else the id is
//! derived), `title`, the position (`order`, `weight`, `sidebar_position`, `nav_order`,
//! in that order of precedence), `section`, `type`, `duration`, `prevLessonId` and
//! `nextLessonId`. Other keys are ignored without a word (they belong to other tools).
//! Front matter that is not YAML or TOML is an error for that file, at its line.
//!
//! Without an `id`, a lesson's id is [`derive_id`] of its path: a pure function of the
//! path alone, so no id depends on which other files exist.

use std::path::Path;

use serde_json::Value;

use super::front_matter::{self, Entry, Pos};
use super::{decode, include, is_valid_id, slugify, suggest_id, Lesson};
use crate::diagnostic::Diagnostic;
use crate::folder::Folder;

/// What the course's source knows about a file before reading it.
#[derive(Clone, Copy, Debug)]
pub struct Lenient<'a> {
    /// The path the id is derived from (relative to the book's `src`, or the folder).
    pub id_path: &'a Path,
    /// The title the source gives it (a SUMMARY's link text), which wins over the file's.
    pub title: Option<&'a str>,
}

/// A leniently read lesson: the lesson, its warnings, and what its front matter set.
pub type LenientLesson = (Lesson, Vec<Diagnostic>, Provenance);

/// What a lenient file's front matter set itself (rather than leaving it derived).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// A valid `id` (the `missing-id` rule of plain folders counts them).
    pub id: bool,
    /// Lectern's own `order` (a course-wide position), not another tool's per-folder
    /// `weight`, `sidebar_position` or `nav_order`.
    pub lectern_order: bool,
    /// A `section` (a plain folder otherwise puts the lesson in its folder's section).
    pub section: bool,
}

/// The id of a file without one: each component of `id_path` (the extension of the
/// last one removed) transliterated and slugged as [`suggest_id`] does, joined by `--`,
/// which slugging never produces, so two paths never share an id. `guide/01 Intro.md`
/// → `guide--01-intro`; `ch02-00-guessing-game.md` → `ch02-00-guessing-game`.
pub fn derive_id(id_path: &Path) -> String {
    let stem = id_path.with_extension("");
    let parts: Vec<String> = stem
        .components()
        .map(|c| suggest_id(&c.as_os_str().to_string_lossy()))
        .collect();
    if parts.is_empty() {
        "lesson".to_owned()
    } else {
        parts.join("--")
    }
}

/// Reads `rel` from `folder` leniently and expands its preprocessor directives.
pub fn load_lenient(
    folder: &Folder,
    rel: &Path,
    hint: Lenient<'_>,
) -> Result<LenientLesson, Diagnostic> {
    let bytes = folder
        .read(rel, super::MAX_LESSON_BYTES)
        .map_err(|e| e.diagnostic(rel, "lesson"))?;
    let (mut lesson, mut warnings, set) = parse_lenient_text(rel, decode(rel, bytes)?, hint)?;
    warnings.extend(include::expand_lesson(folder, &mut lesson));
    Ok((lesson, warnings, set))
}

/// Parses one file leniently (see the module docs); `rel` is its path in the course.
pub fn parse_lenient(
    rel: &Path,
    bytes: &[u8],
    hint: Lenient<'_>,
) -> Result<LenientLesson, Diagnostic> {
    parse_lenient_text(rel, decode(rel, bytes.to_vec())?, hint)
}

/// [`parse_lenient`] of a file's text already decoded: the text becomes the lesson's,
/// never copied.
fn parse_lenient_text(
    rel: &Path,
    text: String,
    hint: Lenient<'_>,
) -> Result<LenientLesson, Diagnostic> {
    parse_keeping(rel, text, hint).map_err(|failed| failed.0)
}

/// [`parse_lenient_text`], giving the text back with the error (for the broken
/// stand-in).
pub(super) fn parse_keeping(
    rel: &Path,
    text: String,
    hint: Lenient<'_>,
) -> Result<LenientLesson, super::Failed> {
    let first = text.lines().next().unwrap_or("").trim_end();
    let front = match first {
        "---" => front_matter::split(rel, &text).and_then(|split| {
            let entries = front_matter::parse(rel, &text, split.yaml, 1)?;
            Ok((entries, split.body_offset, split.body_line))
        }),
        "+++" => toml_front_matter(rel, &text),
        _ => Ok((Vec::new(), 0, 1)),
    };
    let (entries, body_offset, body_line) = match front {
        Ok(front) => front,
        Err(failed) => return Err(Box::new((failed, text))),
    };
    let mut lesson = Lesson::blank(rel, body_offset, body_line);
    let mut warnings = Vec::new();
    let mut set = Provenance::default();
    let mut order_rank = usize::MAX;
    for e in &entries {
        set.id |= apply(&mut lesson, e, &mut order_rank, &mut warnings, rel);
    }
    if lesson.id.is_empty() {
        lesson.id = derive_id(hint.id_path);
    }
    if let Some(t) = hint.title.map(str::trim).filter(|t| !t.is_empty()) {
        lesson.title = t.to_owned();
    }
    if lesson.title.is_empty() {
        lesson.title = first_heading(&text[body_offset..]).unwrap_or_else(|| {
            let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned());
            stem.unwrap_or_else(|| lesson.id.clone())
        });
    }
    let warnings = warnings.into_iter().map(|d| d.with_source(&text)).collect();
    lesson.text = text;
    set.lectern_order = order_rank == 0;
    set.section = lesson.section.is_some();
    Ok((lesson, warnings, set))
}

/// Takes one entry into the lesson; whether it was a usable `id`.
fn apply(
    lesson: &mut Lesson,
    e: &Entry,
    order_rank: &mut usize,
    warnings: &mut Vec<Diagnostic>,
    rel: &Path,
) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match e.key.as_str() {
        "id" => match text(&e.value) {
            Some(id) if is_valid_id(&id) => {
                lesson.id = id;
                lesson.positions.id = e.value_pos;
                return true;
            }
            _ => {}
        },
        "title" => {
            if let Some(t) = text(&e.value) {
                lesson.title = t;
            }
        }
        "type" => {
            if let Some(t) = text(&e.value) {
                lesson.kind = t;
            }
        }
        "duration" => {
            lesson.duration_minutes = text(&e.value).and_then(|s| super::parse_minutes(&s))
        }
        key @ ("order" | "weight" | "sidebar_position" | "nav_order") => {
            let rank = ["order", "weight", "sidebar_position", "nav_order"]
                .iter()
                .position(|k| *k == key)
                .unwrap_or(usize::MAX);
            match number(&e.value) {
                Some(n) if rank < *order_rank => {
                    lesson.order = Some(n);
                    *order_rank = rank;
                }
                Some(_) => {}
                None => warnings.push(Diagnostic::warning(
                    rel,
                    e.value_pos.line,
                    e.value_pos.column,
                    "front-matter-type",
                    format!("`{key}` should be a number such as `3`; it is ignored"),
                )),
            }
        }
        "section" => {
            if let Some(s) = text(&e.value)
                .map(|s| slugify(&s))
                .filter(|s| !s.is_empty())
            {
                lesson.section = Some(s);
                lesson.positions.section = Some(e.value_pos);
            }
        }
        "prevLessonId" => {
            lesson.prev = text(&e.value);
            lesson.positions.prev = Some(e.value_pos);
        }
        "nextLessonId" => {
            lesson.next = text(&e.value);
            lesson.positions.next = Some(e.value_pos);
        }
        _ => {}
    }
    false
}

/// A position value: a whole number, a number with a fraction (Docusaurus allows
/// `2.5`; rounded down), or a string holding one.
fn number(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite())
                .map(|f| f.floor() as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// TOML front matter between `+++` lines: its entries (each at the line its key is
/// on), and where the body starts.
fn toml_front_matter(rel: &Path, text: &str) -> Result<(Vec<Entry>, usize, u32), Diagnostic> {
    let mut offset = text.find('\n').map_or(text.len(), |i| i + 1);
    let start = offset;
    let mut close = None;
    for (line_no, line) in (2u32..).zip(text[start..].split_inclusive('\n')) {
        if line.trim_end() == "+++" {
            close = Some((offset, offset + line.len(), line_no + 1));
            break;
        }
        offset += line.len();
    }
    let Some((end, body_offset, body_line)) = close else {
        return Err(Diagnostic::error(
            rel,
            1,
            1,
            "front-matter-unterminated",
            "front matter opened with `+++` here is never closed; add a line `+++` after the last key",
        )
        .with_source(text));
    };
    let toml_text = &text[start..end];
    let table: toml::Table = toml::from_str(toml_text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            toml_text[..s.start.min(toml_text.len())]
                .matches('\n')
                .count() as u32
                + 1
        });
        Diagnostic::error(
            rel,
            line + 1,
            1,
            "front-matter-syntax",
            format!(
                "front matter is not valid TOML: {}",
                crate::text::one_line(e.message(), 200)
            ),
        )
        .with_source(text)
    })?;
    let entries = table
        .into_iter()
        .map(|(key, value)| {
            let line = toml_text
                .lines()
                .position(|l| {
                    l.trim_start()
                        .strip_prefix(key.as_str())
                        .is_some_and(|r| r.trim_start().starts_with('='))
                })
                .map_or(2, |i| i as u32 + 2);
            let pos = Pos { line, column: 1 };
            Entry {
                key,
                key_pos: pos,
                value: serde_json::to_value(value).unwrap_or(Value::Null),
                value_pos: pos,
            }
        })
        .collect();
    Ok((entries, body_offset, body_line))
}

/// The text of the first heading of `body` (ATX `#` or setext `===`), outside code
/// fences; `None` when it has none.
pub(crate) fn first_heading(body: &str) -> Option<String> {
    let mut fence: Option<&str> = None;
    let mut previous = "";
    for line in body.lines() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if indent < 4 && (t.starts_with("```") || t.starts_with("~~~")) {
            fence = Some(&t[..3]);
            continue;
        }
        if indent < 4 {
            let hashes = t.len() - t.trim_start_matches('#').len();
            let rest = &t[hashes..];
            if (1..=6).contains(&hashes) && (rest.is_empty() || rest.starts_with([' ', '\t'])) {
                let title = rest.trim().trim_end_matches('#').trim();
                if !title.is_empty() {
                    return Some(title.to_owned());
                }
            }
            if !t.is_empty()
                && t.trim_end().chars().all(|c| c == '=')
                && !previous.trim().is_empty()
            {
                return Some(previous.trim().to_owned());
            }
        }
        previous = line;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(rel: &str, src: &str) -> LenientLesson {
        let hint = Lenient {
            id_path: Path::new(rel),
            title: None,
        };
        parse_lenient(Path::new(rel), src.as_bytes(), hint).expect("lesson")
    }

    #[test]
    fn ids_are_a_pure_function_of_the_path() {
        assert_eq!(derive_id(Path::new("guide/01 Intro.md")), "guide--01-intro");
        assert_eq!(derive_id(Path::new("Café/Über.md")), "cafe--uber");
        assert_eq!(derive_id(Path::new("a-b.md")), "a-b");
        assert_ne!(
            derive_id(Path::new("a/b.md")),
            derive_id(Path::new("a-b.md"))
        );
    }

    #[test]
    fn a_file_without_front_matter_takes_its_title_from_its_first_heading() {
        let (l, w, set) = read(
            "notes/graphs.md",
            "Some text\n\n```\n# not this\n```\n# Notes on Graphs\n",
        );
        assert_eq!(
            (l.id.as_str(), l.title.as_str(), set.id),
            ("notes--graphs", "Notes on Graphs", false)
        );
        assert!(w.is_empty());
        assert_eq!(read("x.md", "Title\n=====\n").0.title, "Title");
        assert_eq!(read("plain.md", "no heading\n").0.title, "plain");
    }

    #[test]
    fn hugo_toml_front_matter_gives_title_and_weight_and_ignores_the_rest() {
        let (l, w, _) = read(
            "a.md",
            "+++\ntitle = \"Graphs\"\nweight = 20\ntags = [\"x\"]\n+++\n# Heading\n",
        );
        assert_eq!(
            (l.title.as_str(), l.order, l.body_line),
            ("Graphs", Some(20), 6)
        );
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn docusaurus_yaml_keys_and_an_invalid_id_is_derived() {
        let (l, _, set) = read(
            "b.md",
            "---\nid: Not Valid\nsidebar_position: 2.5\nslug: /b\n---\n# B\n",
        );
        assert_eq!(
            (l.id.as_str(), l.order, set),
            ("b", Some(2), Provenance::default())
        );
    }

    #[test]
    fn malformed_front_matter_is_an_error_at_its_line() {
        let hint = Lenient {
            id_path: Path::new("a.md"),
            title: None,
        };
        let d = parse_lenient(
            Path::new("a.md"),
            b"+++\ntitle = \"x\"\nweight = = 3\n+++\n",
            hint,
        )
        .unwrap_err();
        assert_eq!((d.code, d.line), ("front-matter-syntax", 3));
        let d = parse_lenient(Path::new("a.md"), b"---\ntitle: [x\n---\n", hint).unwrap_err();
        assert_eq!(d.code, "front-matter-syntax");
    }
}
