//! The learner's notes on a course: their highlights, notes and bookmarks placed on
//! today's lessons, and written out as Markdown — theirs to keep.
//!
//! Front door: [`overview`] (what `lectern notes` lists and the notes view shows),
//! [`markdown`], and for the window [`annotate`] (a selection becomes a highlight or
//! bookmark), [`lesson_notes`] (one lesson's, placed) and [`course_notes`] (the notes
//! view's); for search, [`searchable`] (the highlights' texts, searched beside the
//! lessons) and [`search_texts`] (the same, read from the store). A layer above `progress`
//! (whose rows it places) and `anchor` (which places them): the store keeps each
//! annotation's anchor as made; here each lesson that has annotations is rendered
//! once, its plain text made ([`crate::anchor::plain_text`]) and every anchor placed
//! on it. Annotations of a
//! lesson that is gone (renamed, removed) are listed under its old id, never dropped.

mod annotate;
mod card;

pub use annotate::{annotate, course_notes, lesson_notes, search_texts, NotesError, Selection};
pub use card::{make_card, sentence_around, CardSource, MadeCard, SourceState, Sources};

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::anchor::{place_all, plain_text, Placement, Utf16};
use crate::course::Course;
use crate::progress::{AnnotationKind, AnnotationRow};
use crate::render::{RenderOptions, Renderer};

/// One lesson's annotations, placed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LessonNotes {
    /// The lesson's id.
    pub lesson: String,
    /// Its title; for a lesson no longer in the course, its id.
    pub title: String,
    /// Whether the lesson is still in the course.
    pub present: bool,
    /// Its annotations, by their place in today's text (detached ones last).
    pub notes: Vec<PlacedNote>,
}

/// An annotation and where it is today.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlacedNote {
    /// The stored annotation.
    #[serde(flatten)]
    pub row: AnnotationRow,
    /// Where it lands in today's text.
    pub place: Place,
    /// The note rendered from its Markdown and sanitized like a lesson's quiz text
    /// (`render::inline_html`: no raw HTML, no script, only web and `#` links), for
    /// the window to show; `None` without a note.
    pub note_html: Option<String>,
}

impl PlacedNote {
    fn new(row: AnnotationRow, place: Place) -> PlacedNote {
        let note_html = row
            .note
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .map(crate::render::inline_html);
        PlacedNote {
            row,
            place,
            note_html,
        }
    }
}

/// Where an annotation lands, in the window's units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Place {
    /// `exact` (the quote unchanged), `edited` (the quote changed a little: placed on
    /// the nearest text) or `detached` (the quote is gone, or its lesson is).
    pub state: PlaceState,
    /// UTF-16 offsets of the covered text in the lesson's plain text, when placed.
    pub range: Option<(usize, usize)>,
    /// The covered text today, when placed.
    pub text: Option<String>,
}

/// See [`Place::state`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceState {
    /// The quote occurs unchanged.
    Exact,
    /// The quote was edited; placed on the nearest text.
    Edited,
    /// Not placed: listed as "could not place".
    Detached,
}

/// Every annotation of `rows` (one course's) placed on the lessons of `course`, in
/// course order; lessons that are gone last, by id.
pub fn overview(
    course: &Course,
    rows: Vec<AnnotationRow>,
    renderer: &Renderer,
) -> Vec<LessonNotes> {
    let mut by_lesson: std::collections::BTreeMap<String, Vec<AnnotationRow>> =
        std::collections::BTreeMap::new();
    for row in rows {
        by_lesson.entry(row.lesson.clone()).or_default().push(row);
    }
    let mut out = Vec::new();
    for lesson in course.lessons() {
        let Some(rows) = by_lesson.remove(&lesson.id) else {
            continue;
        };
        out.push(LessonNotes {
            lesson: lesson.id.clone(),
            title: lesson.title.clone(),
            present: true,
            notes: placed(&text_of(course, renderer, lesson), rows),
        });
    }
    for (lesson, rows) in by_lesson {
        let notes = rows
            .into_iter()
            .map(|row| {
                let place = Place {
                    state: PlaceState::Detached,
                    range: None,
                    text: None,
                };
                PlacedNote::new(row, place)
            })
            .collect();
        out.push(LessonNotes {
            title: lesson.clone(),
            lesson,
            present: false,
            notes,
        });
    }
    out
}

/// The learner's highlights of `rows` (one course's) as texts for search to look in
/// beside the lessons ([`crate::search::SearchIndex::query_with`]): the quote and the
/// note of each, in course order. Bookmarks (a heading's text, already found as the
/// heading) and annotations of lessons no longer in the course (nothing to open) are
/// left out. Nothing is rendered: the quote as stored is what the learner marked.
pub fn searchable(course: &Course, rows: Vec<AnnotationRow>) -> Vec<crate::search::NoteText> {
    let mut by_lesson: std::collections::HashMap<String, Vec<AnnotationRow>> =
        std::collections::HashMap::new();
    for row in rows {
        if row.kind == AnnotationKind::Highlight {
            by_lesson.entry(row.lesson.clone()).or_default().push(row);
        }
    }
    let mut out = Vec::new();
    for lesson in course.lessons() {
        let Some(mut rows) = by_lesson.remove(&lesson.id) else {
            continue;
        };
        rows.sort_by_key(|r| r.start);
        out.extend(rows.into_iter().map(|row| crate::search::NoteText {
            id: row.id,
            lesson: row.lesson,
            title: lesson.title.clone(),
            quote: row.quote,
            note: row.note,
        }));
    }
    out
}

/// The plain text of `lesson` as the window's `#lesson-body` shows it: what anchors
/// are cut from and placed on. Opening a lesson, each highlight made and each redraw
/// ask for the same text, and making it renders the whole lesson, so the last few are
/// kept ([`MADE`]), found by the course folder, the lesson's path and its *whole* text
/// (compared in full, never by a hash alone: an edit is never answered with the old
/// text).
fn text_of(course: &Course, renderer: &Renderer, lesson: &crate::lesson::Lesson) -> Arc<str> {
    let root = course.root();
    let mut made = MADE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(i) = made
        .iter()
        .position(|m| m.root == root && m.path == lesson.path && *m.source == *lesson.text)
    {
        let hit = made
            .remove(i)
            .unwrap_or_else(|| unreachable!("`i` was just found"));
        let text = Arc::clone(&hit.plain);
        made.push_front(hit);
        return text;
    }
    drop(made); // rendering takes a while: other lessons are not held up
    let options = RenderOptions::new(root, course.lesson_ids_by_path());
    let plain: Arc<str> = plain_text(&renderer.render(lesson, &options).html).into();
    let mut made = MADE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    made.push_front(Made {
        root: root.to_path_buf(),
        path: lesson.path.clone(),
        source: lesson.text.as_str().into(),
        plain: Arc::clone(&plain),
    });
    made.truncate(MADE_KEPT);
    plain
}

/// How many lessons' plain texts [`text_of`] keeps (a few lessons open in turn).
const MADE_KEPT: usize = 4;

/// The plain texts [`text_of`] made last, most recent first.
static MADE: Mutex<VecDeque<Made>> = Mutex::new(VecDeque::new());

/// One plain text and what it was made from.
struct Made {
    root: PathBuf,
    path: PathBuf,
    source: Arc<str>,
    plain: Arc<str>,
}

/// One lesson's rows placed on its plain text, sorted by place (detached last).
fn placed(text: &str, rows: Vec<AnnotationRow>) -> Vec<PlacedNote> {
    let anchors: Vec<_> = rows.iter().map(AnnotationRow::anchor).collect();
    let units = Utf16::new(text);
    let mut notes: Vec<PlacedNote> = rows
        .into_iter()
        .zip(place_all(text, &anchors))
        .map(|(row, placement)| {
            let state = match placement {
                Placement::Exact { .. } => PlaceState::Exact,
                Placement::Fuzzy { .. } => PlaceState::Edited,
                Placement::Detached => PlaceState::Detached,
            };
            let range = placement.range();
            let place = Place {
                state,
                range: range
                    .clone()
                    .map(|r| (units.to_utf16(r.start), units.to_utf16(r.end))),
                text: range.map(|r| text[r].to_owned()),
            };
            PlacedNote::new(row, place)
        })
        .collect();
    notes.sort_by_key(|n| n.place.range.map_or((1, 0), |r| (0, r.0)));
    notes
}

/// The learner's notes of a course as one Markdown file: a heading per lesson in course
/// order, each highlight's text as a block quote (today's text when placed, else the
/// text as it was, marked) with its note beneath, bookmarks as a line. Quoted text is
/// escaped so it reads as written, never as Markdown.
pub fn markdown(course_title: &str, lessons: &[LessonNotes]) -> String {
    let mut out = format!("# Notes: {}\n", escape(course_title));
    for lesson in lessons {
        out.push_str(&format!("\n## {}", escape(&lesson.title)));
        if !lesson.present {
            out.push_str(" (no longer in the course)");
        }
        out.push('\n');
        for note in &lesson.notes {
            out.push('\n');
            out.push_str(&note_markdown(note));
        }
    }
    out
}

fn note_markdown(note: &PlacedNote) -> String {
    let quote = note.place.text.as_deref().unwrap_or(&note.row.quote);
    let mut out = String::new();
    if note.row.kind == AnnotationKind::Bookmark {
        out.push_str(&format!("- Bookmark: {}\n", escape(&one_line(quote))));
    } else {
        for line in quote.lines().filter(|l| !l.trim().is_empty()) {
            out.push_str(&format!("> {}\n", escape(line.trim())));
        }
    }
    if note.place.state == PlaceState::Detached {
        out.push_str("\n*(could not be placed in the lesson as it is now)*\n");
    }
    if let Some(text) = note.row.note.as_deref().filter(|t| !t.trim().is_empty()) {
        out.push('\n');
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` with the characters that start Markdown constructs backslash-escaped (CommonMark
/// lets any ASCII punctuation be escaped).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '$' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(lesson: &str, quote: &str, kind: AnnotationKind, note: Option<&str>) -> AnnotationRow {
        AnnotationRow {
            id: format!("{lesson}-{}", quote.len()),
            course: "c".into(),
            lesson: lesson.into(),
            kind,
            color: (kind == AnnotationKind::Highlight).then(|| "yellow".into()),
            quote: quote.into(),
            prefix: String::new(),
            suffix: String::new(),
            start: 0,
            heading: None,
            note: note.map(str::to_owned),
            created_at: 0,
            updated_at: 0,
        }
    }

    fn course(dir: &std::path::Path) -> Course {
        std::fs::write(
            dir.join("a.md"),
            "---\nid: a\ntitle: First\norder: 1\n---\n# First\n\nThe softmax turns scores into weights.\n\nMasking hides the future.\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("b.md"),
            "---\nid: b\ntitle: Second\norder: 2\n---\n# Second\n\nAn émoji 😀 then the quoted words.\n",
        )
        .unwrap();
        Course::load(dir).course
    }

    #[test]
    fn searchable_hands_search_the_highlights_of_present_lessons_in_course_order() {
        let dir = tempfile::tempdir().unwrap();
        let rows = vec![
            row("b", "the quoted words", AnnotationKind::Highlight, None),
            row("zz-gone", "old text", AnnotationKind::Highlight, None),
            row("a", "First", AnnotationKind::Bookmark, None),
            row(
                "a",
                "Masking hides",
                AnnotationKind::Highlight,
                Some("why?"),
            ),
        ];
        let texts = searchable(&course(dir.path()), rows);
        let got: Vec<(&str, &str, &str, Option<&str>)> = texts
            .iter()
            .map(|t| {
                (
                    t.lesson.as_str(),
                    t.title.as_str(),
                    t.quote.as_str(),
                    t.note.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a", "First", "Masking hides", Some("why?")),
                ("b", "Second", "the quoted words", None),
            ]
        );
        assert_eq!(texts[0].id, "a-13");
    }

    #[test]
    fn overview_lists_lessons_in_course_order_and_gone_lessons_last() {
        let dir = tempfile::tempdir().unwrap();
        let rows = vec![
            row(
                "zz-gone",
                "whatever it said",
                AnnotationKind::Highlight,
                None,
            ),
            row("b", "the quoted words", AnnotationKind::Highlight, None),
            row(
                "a",
                "Masking hides the future.",
                AnnotationKind::Highlight,
                None,
            ),
        ];
        let out = overview(&course(dir.path()), rows, &Renderer::default());
        let order: Vec<(&str, bool)> = out.iter().map(|l| (l.lesson.as_str(), l.present)).collect();
        assert_eq!(order, [("a", true), ("b", true), ("zz-gone", false)]);
        assert_eq!(out[0].title, "First");
        assert_eq!(out[2].notes[0].place.state, PlaceState::Detached);
    }

    #[test]
    fn notes_are_rendered_from_markdown_and_sanitized_for_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let rows = vec![
            row(
                "a",
                "Masking hides the future.",
                AnnotationKind::Highlight,
                Some(
                    "Why **causal**? See `mask` <script>alert(1)</script> [x](javascript:alert(1))",
                ),
            ),
            row(
                "b",
                "the quoted words",
                AnnotationKind::Highlight,
                Some("  "),
            ),
            row("zz-gone", "gone", AnnotationKind::Highlight, Some("_kept_")),
        ];
        let out = overview(&course(dir.path()), rows, &Renderer::default());
        let html = out[0].notes[0].note_html.as_deref().unwrap();
        assert!(
            html.contains("<strong>causal</strong>") && html.contains("<code>mask</code>"),
            "{html}"
        );
        assert!(
            !html.contains("<script") && !html.contains("javascript:"),
            "{html}"
        );
        assert_eq!(out[1].notes[0].note_html, None, "a blank note has no HTML");
        assert_eq!(out[2].notes[0].note_html.as_deref(), Some("<em>kept</em>"));
    }

    #[test]
    fn a_lesson_s_plain_text_is_made_again_after_an_edit_never_served_stale() {
        let dir = tempfile::tempdir().unwrap();
        let c = course(dir.path());
        let r = Renderer::default();
        let before = text_of(&c, &r, c.lesson("a").unwrap());
        assert!(before.contains("Masking hides the future."));
        assert!(Arc::ptr_eq(
            &before,
            &text_of(&c, &r, c.lesson("a").unwrap())
        ));
        let edited = std::fs::read_to_string(dir.path().join("a.md"))
            .unwrap()
            .replace("Masking hides", "A mask hides");
        std::fs::write(dir.path().join("a.md"), edited).unwrap();
        let c = Course::load(dir.path()).course;
        let after = text_of(&c, &r, c.lesson("a").unwrap());
        assert!(after.contains("A mask hides the future.") && !after.contains("Masking"));
        // The same text in another course folder is its own entry.
        let other = tempfile::tempdir().unwrap();
        let o = course(other.path());
        assert!(!Arc::ptr_eq(
            &before,
            &text_of(&o, &r, o.lesson("a").unwrap())
        ));
    }

    #[test]
    fn placed_ranges_are_in_utf16_units_and_sorted_by_place() {
        let dir = tempfile::tempdir().unwrap();
        let rows = vec![
            row(
                "a",
                "Masking hides the future.",
                AnnotationKind::Highlight,
                None,
            ),
            row(
                "a",
                "turns scores into weights",
                AnnotationKind::Highlight,
                None,
            ),
            row("b", "the quoted words", AnnotationKind::Highlight, None),
            row(
                "a",
                "a sentence the author deleted",
                AnnotationKind::Highlight,
                None,
            ),
        ];
        let c = course(dir.path());
        let out = overview(&c, rows, &Renderer::default());
        let a: Vec<&str> = out[0].notes.iter().map(|n| n.row.quote.as_str()).collect();
        assert_eq!(
            a,
            [
                "turns scores into weights",
                "Masking hides the future.",
                "a sentence the author deleted"
            ]
        );
        let b = c.lesson("b").unwrap();
        let html = Renderer::default()
            .render(b, &RenderOptions::new(c.root(), c.lesson_ids_by_path()))
            .html;
        let text = plain_text(&html);
        assert!(text.contains('😀'));
        let (start, end) = out[1].notes[0].place.range.unwrap();
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&units[start..end]).unwrap(),
            "the quoted words"
        );
    }

    #[test]
    fn markdown_quotes_highlights_escapes_them_and_puts_notes_beneath() {
        let dir = tempfile::tempdir().unwrap();
        let rows = vec![
            row(
                "a",
                "The softmax turns scores into weights.",
                AnnotationKind::Highlight,
                Some("Remember: **sums to 1**."),
            ),
            row("a", "First", AnnotationKind::Bookmark, None),
            row("gone", "*old* words", AnnotationKind::Highlight, None),
        ];
        let c = course(dir.path());
        let md = markdown(c.title(), &overview(&c, rows, &Renderer::default()));
        assert!(md.contains("## First\n"), "{md}");
        assert!(md.contains("- Bookmark: First\n"), "{md}");
        assert!(
            md.contains("> The softmax turns scores into weights.\n\nRemember: **sums to 1**.\n"),
            "{md}"
        );
        assert!(
            md.contains(
                "## gone (no longer in the course)\n\n> \\*old\\* words\n\n*(could not be placed"
            ),
            "{md}"
        );
    }
}
