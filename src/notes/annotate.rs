//! The window's annotations of one open lesson: a new highlight or bookmark from a
//! selection the window made, and the lesson's annotations placed on today's text.
//!
//! The window counts a selection in UTF-16 units of the lesson's plain text (the text
//! nodes of `#lesson-body` before the window decorates it); here the same plain text
//! is made from the rendered lesson ([`crate::anchor::plain_text`]), the offsets converted
//! ([`Utf16`]) and the anchor cut from it ([`Anchor::of`]), so the two never disagree.

use serde::Deserialize;

use super::{overview, placed, text_of, LessonNotes};
use crate::anchor::{Anchor, Utf16};
use crate::course::Course;
use crate::progress::{AnnotationKind, CourseKey, Millis, NewAnnotation, Store, StoreError};
use crate::render::Renderer;

/// A selection of the window, to become an annotation.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Selection {
    /// Highlight (with a colour) or bookmark (the heading nearest the top).
    pub kind: AnnotationKind,
    /// Start, in UTF-16 units of the lesson's plain text.
    pub start: usize,
    /// End (exclusive), in the same units.
    pub end: usize,
    /// The highlight's colour (one of `progress::HIGHLIGHT_COLORS`).
    pub color: Option<String>,
    /// The id of the nearest heading above the selection, if the window knows it.
    pub heading: Option<String>,
    /// A note written with it.
    pub note: Option<String>,
}

/// Why an annotation could not be made or listed.
#[derive(Debug, thiserror::Error)]
pub enum NotesError {
    /// The lesson is not in the open course.
    #[error("no lesson `{0}` in this course")]
    LessonNotFound(String),
    /// The selection covers no text of the lesson.
    #[error("the selection {start}..{end} covers no text of the lesson")]
    EmptySelection {
        /// Its start, in UTF-16 units.
        start: usize,
        /// Its end, in UTF-16 units.
        end: usize,
    },
    /// A card was asked of a highlight that is unknown, a bookmark, or cannot be
    /// placed on its lesson now.
    #[error("highlight `{0}` is not on its lesson now, so no card can be made of it")]
    CardSource(String),
    /// The store refused it.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl NotesError {
    /// A stable code for the window.
    pub fn code(&self) -> &'static str {
        match self {
            NotesError::LessonNotFound(_) => "lesson-not-found",
            NotesError::EmptySelection { .. } => "empty-selection",
            NotesError::CardSource(_) => "card-source-missing",
            NotesError::Store(e) => e.code(),
        }
    }
}

/// The plain text of lesson `id` as the window's `#lesson-body` shows it.
fn lesson_text(
    course: &Course,
    renderer: &Renderer,
    id: &str,
) -> Result<std::sync::Arc<str>, NotesError> {
    let lesson = course
        .lesson(id)
        .ok_or_else(|| NotesError::LessonNotFound(id.to_owned()))?;
    Ok(text_of(course, renderer, lesson))
}

/// Stores the annotation `selection` makes on lesson `lesson` and returns its id.
/// `seed` (fresh entropy) makes the id, `now` is its time: both from the caller.
#[allow(clippy::too_many_arguments)] // the store, the course and the caller's time: each needed once
pub fn annotate(
    store: &mut Store,
    key: &CourseKey,
    course: &Course,
    renderer: &Renderer,
    lesson: &str,
    selection: &Selection,
    seed: u64,
    now: Millis,
) -> Result<String, NotesError> {
    let text = lesson_text(course, renderer, lesson)?;
    let units = Utf16::new(&text);
    let (start, end) = (
        units.to_byte(selection.start),
        units.to_byte(selection.end.max(selection.start)),
    );
    let anchor = Anchor::of(&text, start..end);
    if anchor.quote.trim().is_empty() {
        return Err(NotesError::EmptySelection {
            start: selection.start,
            end: selection.end,
        });
    }
    let new = NewAnnotation {
        kind: selection.kind,
        color: selection.color.clone(),
        anchor,
        heading: selection.heading.clone(),
        note: selection.note.clone(),
    };
    Ok(store.add_annotation(key, lesson, &new, seed, now)?)
}

/// Lesson `lesson`'s annotations placed on its text today (what the window draws).
pub fn lesson_notes(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    renderer: &Renderer,
    lesson: &str,
) -> Result<LessonNotes, NotesError> {
    let found = course
        .lesson(lesson)
        .ok_or_else(|| NotesError::LessonNotFound(lesson.to_owned()))?;
    let rows: Vec<_> = store
        .annotations(key)?
        .into_iter()
        .filter(|r| r.lesson == lesson)
        .collect();
    let notes = if rows.is_empty() {
        Vec::new()
    } else {
        placed(&lesson_text(course, renderer, lesson)?, rows)
    };
    Ok(LessonNotes {
        lesson: lesson.to_owned(),
        title: found.title.clone(),
        present: true,
        notes,
    })
}

/// Every annotation of the open course placed on today's lessons, grouped by lesson in
/// course order, gone lessons last ([`overview`]): what the notes view lists.
pub fn course_notes(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    renderer: &Renderer,
) -> Result<Vec<LessonNotes>, NotesError> {
    Ok(overview(course, store.annotations(key)?, renderer))
}

/// The course's highlights as texts for search ([`super::searchable`]), read from the
/// store: what the window's search looks in beside the lessons.
pub fn search_texts(
    store: &Store,
    key: &CourseKey,
    course: &Course,
) -> Result<Vec<crate::search::NoteText>, NotesError> {
    Ok(super::searchable(course, store.annotations(key)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::PlaceState;

    const NOW: Millis = 1_700_000_000_000;

    fn course(dir: &std::path::Path, body: &str) -> Course {
        std::fs::write(
            dir.join("a.md"),
            format!("---\nid: a\ntitle: First\n---\n# First\n\n{body}\n"),
        )
        .unwrap();
        Course::load(dir).course
    }

    fn units_of(text: &str, needle: &str) -> (usize, usize) {
        let at = text.find(needle).unwrap();
        let start = text[..at].encode_utf16().count();
        (start, start + needle.encode_utf16().count())
    }

    fn highlight(start: usize, end: usize) -> Selection {
        Selection {
            kind: AnnotationKind::Highlight,
            start,
            end,
            color: Some("green".into()),
            heading: Some("first".into()),
            note: None,
        }
    }

    #[test]
    fn a_selection_in_utf16_units_after_an_emoji_becomes_the_quoted_sentence() {
        let lessons = tempfile::tempdir().unwrap();
        let db = tempfile::tempdir().unwrap();
        let c = course(
            lessons.path(),
            "Emoji 😀 first. Then the quoted *words* here.",
        );
        let mut store = Store::open(&db.path().join("p.db")).unwrap().store;
        let key = CourseKey::of(&c);
        let r = Renderer::default();
        let text = lesson_text(&c, &r, "a").unwrap();
        let (start, end) = units_of(&text, "the quoted words");
        let id = annotate(
            &mut store,
            &key,
            &c,
            &r,
            "a",
            &highlight(start, end),
            1,
            NOW,
        )
        .unwrap();
        let listed = lesson_notes(&store, &key, &c, &r, "a").unwrap();
        assert_eq!(listed.notes.len(), 1);
        let note = &listed.notes[0];
        assert_eq!(note.row.id, id);
        assert_eq!(note.row.quote, "the quoted words");
        assert_eq!(note.row.color.as_deref(), Some("green"));
        assert_eq!(note.place.state, PlaceState::Exact);
        assert_eq!(note.place.range, Some((start, end)));
    }

    #[test]
    fn an_empty_or_blank_selection_is_refused_and_nothing_is_stored() {
        let lessons = tempfile::tempdir().unwrap();
        let db = tempfile::tempdir().unwrap();
        let c = course(lessons.path(), "Some words.");
        let mut store = Store::open(&db.path().join("p.db")).unwrap().store;
        let key = CourseKey::of(&c);
        let r = Renderer::default();
        let err = annotate(&mut store, &key, &c, &r, "a", &highlight(3, 3), 1, NOW).unwrap_err();
        assert_eq!(err.code(), "empty-selection");
        let err = annotate(&mut store, &key, &c, &r, "zz", &highlight(0, 3), 1, NOW).unwrap_err();
        assert_eq!(err.code(), "lesson-not-found");
        assert!(store.annotations(&key).unwrap().is_empty());
    }

    #[test]
    fn a_lesson_lists_only_its_own_annotations_placed_on_the_edited_text() {
        let lessons = tempfile::tempdir().unwrap();
        let db = tempfile::tempdir().unwrap();
        let c = course(lessons.path(), "Masking hides the future tokens.");
        let mut store = Store::open(&db.path().join("p.db")).unwrap().store;
        let key = CourseKey::of(&c);
        let r = Renderer::default();
        let text = lesson_text(&c, &r, "a").unwrap();
        let (start, end) = units_of(&text, "Masking hides the future tokens.");
        annotate(
            &mut store,
            &key,
            &c,
            &r,
            "a",
            &highlight(start, end),
            1,
            NOW,
        )
        .unwrap();
        let c = course(
            lessons.path(),
            "A new first sentence.\n\nMasking hides the future tokens.",
        );
        let text = lesson_text(&c, &r, "a").unwrap();
        let listed = lesson_notes(&store, &key, &c, &r, "a").unwrap();
        assert_eq!(
            listed.notes[0].place.range,
            Some(units_of(&text, "Masking hides the future tokens."))
        );
    }

    #[test]
    fn the_course_notes_list_the_open_courses_annotations_and_not_another_courses() {
        let lessons = tempfile::tempdir().unwrap();
        let db = tempfile::tempdir().unwrap();
        let c = course(lessons.path(), "Masking hides the future tokens.");
        let mut store = Store::open(&db.path().join("p.db")).unwrap().store;
        let key = CourseKey::of(&c);
        let r = Renderer::default();
        let text = lesson_text(&c, &r, "a").unwrap();
        let (start, end) = units_of(&text, "hides the future");
        annotate(
            &mut store,
            &key,
            &c,
            &r,
            "a",
            &highlight(start, end),
            1,
            NOW,
        )
        .unwrap();
        let other = CourseKey::from_stored("id:other");
        annotate(&mut store, &other, &c, &r, "a", &highlight(0, 7), 2, NOW).unwrap();
        let listed = course_notes(&store, &key, &c, &r).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].lesson, "a");
        let quotes: Vec<&str> = listed[0]
            .notes
            .iter()
            .map(|n| n.row.quote.as_str())
            .collect();
        assert_eq!(quotes, ["hides the future"]);
    }

    #[test]
    fn a_bookmark_keeps_its_heading_text_and_no_colour() {
        let lessons = tempfile::tempdir().unwrap();
        let db = tempfile::tempdir().unwrap();
        let c = course(lessons.path(), "Intro.\n\n## Later part\n\nMore words.");
        let mut store = Store::open(&db.path().join("p.db")).unwrap().store;
        let key = CourseKey::of(&c);
        let r = Renderer::default();
        let text = lesson_text(&c, &r, "a").unwrap();
        let (start, end) = units_of(&text, "Later part");
        let mark = Selection {
            kind: AnnotationKind::Bookmark,
            start,
            end,
            color: None,
            heading: Some("later-part".into()),
            note: None,
        };
        annotate(&mut store, &key, &c, &r, "a", &mark, 3, NOW).unwrap();
        let listed = lesson_notes(&store, &key, &c, &r, "a").unwrap();
        let row = &listed.notes[0].row;
        assert_eq!(
            (
                row.kind,
                row.quote.as_str(),
                row.color.as_deref(),
                row.heading.as_deref()
            ),
            (
                AnnotationKind::Bookmark,
                "Later part",
                None,
                Some("later-part")
            )
        );
    }
}
