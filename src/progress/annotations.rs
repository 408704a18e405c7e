//! The learner's highlights, notes and bookmarks, as the store keeps them (the notes
//! issue, #24).
//!
//! A row keeps the annotation's [`Anchor`] as it was made — the quote, its context and
//! its old position — never a placement on today's text: placing is
//! [`crate::anchor::place`]'s job, done on each version of the lesson, so an annotation
//! whose text is gone is shown as detached and comes back if the text does. Nothing
//! here deletes an annotation but [`Store::remove_annotation`]: resetting a lesson's
//! or a course's progress keeps them (they are the learner's writing, not a score).
//!
//! Ids are stable (course, lesson and the caller's fresh seed), so export → import is
//! idempotent; an import keeps, for each id, the row edited last.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::transfer::Rules;
use super::{CourseKey, Millis, Store, StoreError};
use crate::anchor::Anchor;
use crate::text::fnv1a;

/// The highlight colours, by name (the window draws each at AA contrast in both
/// themes). A name outside this list is refused.
pub const HIGHLIGHT_COLORS: &[&str] = &["yellow", "green", "blue", "pink", "purple"];

/// The longest note, quote or context an annotation keeps, in bytes.
pub const MAX_ANNOTATION_TEXT: usize = 64 * 1024;

/// What an annotation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnnotationKind {
    /// Marked text, with a colour and perhaps a note.
    Highlight,
    /// A place in the lesson: the heading nearest the top when it was made.
    Bookmark,
}

impl AnnotationKind {
    fn as_str(self) -> &'static str {
        match self {
            AnnotationKind::Highlight => "highlight",
            AnnotationKind::Bookmark => "bookmark",
        }
    }

    fn parse(s: &str) -> Option<AnnotationKind> {
        match s {
            "highlight" => Some(AnnotationKind::Highlight),
            "bookmark" => Some(AnnotationKind::Bookmark),
            _ => None,
        }
    }
}

/// A new annotation, as the window sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewAnnotation {
    /// Highlight or bookmark.
    pub kind: AnnotationKind,
    /// One of [`HIGHLIGHT_COLORS`] for a highlight; none for a bookmark.
    pub color: Option<String>,
    /// Where it is: the quote with its context (see [`Anchor::of`]).
    pub anchor: Anchor,
    /// The id of the nearest heading above it, if any.
    pub heading: Option<String>,
    /// The learner's note (Markdown, rendered safely where shown).
    pub note: Option<String>,
}

/// A stored annotation; also a row of the export (`annotations`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct AnnotationRow {
    pub id: String,
    pub course: String,
    pub lesson: String,
    pub kind: AnnotationKind,
    pub color: Option<String>,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub start: i64,
    pub heading: Option<String>,
    pub note: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

impl AnnotationRow {
    /// The anchor it was made with, for [`crate::anchor::place`].
    pub fn anchor(&self) -> Anchor {
        Anchor {
            quote: self.quote.clone(),
            prefix: self.prefix.clone(),
            suffix: self.suffix.clone(),
            start: usize::try_from(self.start).unwrap_or(0),
        }
    }
}

const COLUMNS: &str = "id, course, lesson, kind, color, quote, prefix, suffix, start, heading, \
                       note, created_at, updated_at";

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<AnnotationRow> {
    let kind: String = r.get(3)?;
    Ok(AnnotationRow {
        id: r.get(0)?,
        course: r.get(1)?,
        lesson: r.get(2)?,
        // The table's CHECK admits only the two names.
        kind: AnnotationKind::parse(&kind).unwrap_or(AnnotationKind::Highlight),
        color: r.get(4)?,
        quote: r.get(5)?,
        prefix: r.get(6)?,
        suffix: r.get(7)?,
        start: r.get(8)?,
        heading: r.get(9)?,
        note: r.get(10)?,
        created_at: r.get(11)?,
        updated_at: r.get(12)?,
    })
}

/// Why a new or edited annotation was refused (the window shows it; nothing is stored).
fn check(kind: AnnotationKind, color: Option<&str>, texts: &[&str]) -> Result<(), StoreError> {
    let refuse = |why: String| Err(StoreError::InvalidAnnotation(why));
    match (kind, color) {
        (AnnotationKind::Highlight, Some(c)) if !HIGHLIGHT_COLORS.contains(&c) => {
            return refuse(format!(
                "`{}` is not a highlight colour (one of {})",
                crate::text::truncate(c, 40),
                HIGHLIGHT_COLORS.join(", ")
            ));
        }
        (AnnotationKind::Bookmark, Some(_)) => {
            return refuse("a bookmark has no colour".to_owned())
        }
        _ => {}
    }
    if let Some(long) = texts.iter().find(|t| t.len() > MAX_ANNOTATION_TEXT) {
        return refuse(format!(
            "a text of {} bytes is over the {MAX_ANNOTATION_TEXT} an annotation keeps",
            long.len()
        ));
    }
    Ok(())
}

impl Store {
    /// Stores a new annotation on `lesson` and returns its id. `seed` makes the id
    /// (from the caller's entropy: `clock::fresh_seed`); `now` is its creation time.
    pub fn add_annotation(
        &mut self,
        course: &CourseKey,
        lesson: &str,
        new: &NewAnnotation,
        seed: u64,
        now: Millis,
    ) -> Result<String, StoreError> {
        let a = &new.anchor;
        let note = new.note.as_deref().unwrap_or("");
        check(
            new.kind,
            new.color.as_deref(),
            &[&a.quote, &a.prefix, &a.suffix, note],
        )?;
        let id = format!(
            "{:016x}",
            fnv1a(&[course.as_str(), lesson, "annotation", &seed.to_string()])
        );
        let tx = self.write()?;
        tx.execute(
            &format!(
                "INSERT INTO annotations ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)"
            ),
            params![
                id,
                course.as_str(),
                lesson,
                new.kind.as_str(),
                new.color,
                a.quote,
                a.prefix,
                a.suffix,
                i64::try_from(a.start).unwrap_or(i64::MAX),
                new.heading,
                new.note,
                now
            ],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Changes a highlight's colour and note (`None` note: removed). Returns whether
    /// the annotation exists.
    pub fn edit_annotation(
        &mut self,
        course: &CourseKey,
        id: &str,
        color: Option<&str>,
        note: Option<&str>,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let tx = self.write()?;
        let kind: Option<String> = tx
            .query_row(
                "SELECT kind FROM annotations WHERE course = ?1 AND id = ?2",
                params![course.as_str(), id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(kind) = kind.as_deref().and_then(AnnotationKind::parse) else {
            return Ok(false);
        };
        check(kind, color, &[note.unwrap_or("")])?;
        tx.execute(
            "UPDATE annotations SET color = ?3, note = ?4, updated_at = max(updated_at, ?5)
             WHERE course = ?1 AND id = ?2",
            params![course.as_str(), id, color, note, now],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Deletes one annotation (the learner's own act). Returns whether it existed.
    pub fn remove_annotation(&mut self, course: &CourseKey, id: &str) -> Result<bool, StoreError> {
        let tx = self.write()?;
        let n = tx.execute(
            "DELETE FROM annotations WHERE course = ?1 AND id = ?2",
            params![course.as_str(), id],
        )?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// Annotation `id` of `course`, if it exists.
    pub fn annotation(
        &self,
        course: &CourseKey,
        id: &str,
    ) -> Result<Option<AnnotationRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM annotations WHERE course = ?1 AND id = ?2"),
                params![course.as_str(), id],
                row_of,
            )
            .optional()?)
    }

    /// Every annotation of a course, by lesson, then old position, then id (a lesson
    /// that is gone keeps its own: the caller lists them under it).
    pub fn annotations(&self, course: &CourseKey) -> Result<Vec<AnnotationRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM annotations WHERE course = ?1 ORDER BY lesson, start, id"
        ))?;
        let rows = stmt
            .query_map([course.as_str()], row_of)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

/// Every annotation of every course, sorted by id: the export's `annotations`.
pub(super) fn export_annotations(
    conn: &rusqlite::Connection,
) -> Result<Vec<AnnotationRow>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM annotations ORDER BY id"))?;
    let rows = stmt.query_map([], row_of)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Merges exported annotations: a new id is added; a known one takes the imported
/// colour and note only if they were edited later. Returns how many were added.
pub(super) fn import_annotations(
    tx: &Transaction<'_>,
    rows: &[AnnotationRow],
) -> Result<usize, StoreError> {
    let mut added = 0;
    for a in rows {
        let known: bool = tx.query_row(
            "SELECT count(*) > 0 FROM annotations WHERE id = ?1",
            [&a.id],
            |r| r.get(0),
        )?;
        tx.execute(
            &format!(
                "INSERT INTO annotations ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT (id) DO UPDATE SET color = excluded.color, note = excluded.note,
                     updated_at = excluded.updated_at
                 WHERE excluded.updated_at > annotations.updated_at
                     AND excluded.course = annotations.course"
            ),
            params![
                a.id,
                a.course,
                a.lesson,
                a.kind.as_str(),
                a.color,
                a.quote,
                a.prefix,
                a.suffix,
                a.start,
                a.heading,
                a.note,
                a.created_at,
                a.updated_at
            ],
        )?;
        if !known {
            added += 1;
        }
    }
    Ok(added)
}

/// The first value of the export's `annotations` no Lectern writes.
pub(super) fn validate_annotations(rows: &[AnnotationRow]) -> Result<(), String> {
    for (i, a) in rows.iter().enumerate() {
        let r = Rules {
            table: "annotations",
            row: i,
        };
        for (field, v) in [("id", &a.id), ("course", &a.course), ("lesson", &a.lesson)] {
            r.name(field, v)?;
        }
        for (field, v) in [
            ("quote", a.quote.as_str()),
            ("prefix", &a.prefix),
            ("suffix", &a.suffix),
            ("note", a.note.as_deref().unwrap_or("")),
        ] {
            r.text(field, v, MAX_ANNOTATION_TEXT)?;
        }
        r.name("heading", a.heading.as_deref().unwrap_or(""))?;
        r.count("start", a.start)?;
        r.time("created_at", a.created_at)?;
        r.time("updated_at", a.updated_at)?;
        if let Err(StoreError::InvalidAnnotation(why)) = check(a.kind, a.color.as_deref(), &[]) {
            return Err(format!("annotations[{i}].color: {why}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_780_000_000_000;

    fn store(dir: &tempfile::TempDir) -> Store {
        Store::open(&dir.path().join("p.db")).unwrap().store
    }

    fn highlight(quote: &str, note: Option<&str>) -> NewAnnotation {
        let text = format!("Some text before. {quote} Some text after.");
        let at = text.find(quote).unwrap();
        NewAnnotation {
            kind: AnnotationKind::Highlight,
            color: Some("yellow".into()),
            anchor: Anchor::of(&text, at..at + quote.len()),
            heading: Some("intro".into()),
            note: note.map(str::to_owned),
        }
    }

    fn key() -> CourseKey {
        CourseKey::from_stored("course-a")
    }

    #[test]
    fn an_added_highlight_is_listed_with_its_anchor_and_note() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        let new = highlight("Attention is a weighted average.", Some("*key* idea"));
        let id = s.add_annotation(&key(), "attention", &new, 7, NOW).unwrap();
        let rows = s.annotations(&key()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].id, id);
        assert_eq!(rows[0].anchor(), new.anchor);
        assert_eq!(rows[0].note.as_deref(), Some("*key* idea"));
        assert_eq!((rows[0].created_at, rows[0].updated_at), (NOW, NOW));
        assert!(s
            .annotations(&CourseKey::from_stored("other"))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn annotations_are_listed_by_lesson_then_position() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        let mut late = highlight("second sentence here", None);
        late.anchor.start = 500;
        s.add_annotation(&key(), "b", &late, 1, NOW).unwrap();
        s.add_annotation(&key(), "b", &highlight("first sentence here", None), 2, NOW)
            .unwrap();
        s.add_annotation(&key(), "a", &highlight("other lesson", None), 3, NOW)
            .unwrap();
        let order: Vec<(String, i64)> = s
            .annotations(&key())
            .unwrap()
            .into_iter()
            .map(|r| (r.lesson, r.start))
            .collect();
        assert_eq!(
            order,
            [("a".into(), 18), ("b".into(), 18), ("b".into(), 500)]
        );
    }

    #[test]
    fn editing_changes_colour_and_note_and_removing_deletes_only_that_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        let id = s
            .add_annotation(&key(), "l", &highlight("keep me around", None), 1, NOW)
            .unwrap();
        let other = s
            .add_annotation(&key(), "l", &highlight("and me as well", None), 2, NOW)
            .unwrap();
        assert!(s
            .edit_annotation(&key(), &id, Some("green"), Some("why"), NOW + 5)
            .unwrap());
        let row = s
            .annotations(&key())
            .unwrap()
            .into_iter()
            .find(|r| r.id == id)
            .unwrap();
        assert_eq!(
            (row.color.as_deref(), row.note.as_deref(), row.updated_at),
            (Some("green"), Some("why"), NOW + 5)
        );
        assert!(s.remove_annotation(&key(), &id).unwrap());
        assert!(!s.remove_annotation(&key(), &id).unwrap());
        assert!(!s.edit_annotation(&key(), &id, None, None, NOW).unwrap());
        let left: Vec<String> = s
            .annotations(&key())
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(left, [other]);
    }

    #[test]
    fn an_unknown_colour_or_a_huge_note_is_refused_and_nothing_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        let mut bad = highlight("some quoted words", None);
        bad.color = Some("#ff0000; background: url(x)".into());
        let e = s.add_annotation(&key(), "l", &bad, 1, NOW).unwrap_err();
        assert_eq!(e.code(), "annotation-invalid");
        let huge = highlight(
            "some quoted words",
            Some(&"x".repeat(MAX_ANNOTATION_TEXT + 1)),
        );
        assert_eq!(
            s.add_annotation(&key(), "l", &huge, 2, NOW)
                .unwrap_err()
                .code(),
            "annotation-invalid"
        );
        let mut bookmark = highlight("Heading", None);
        bookmark.kind = AnnotationKind::Bookmark;
        assert!(
            s.add_annotation(&key(), "l", &bookmark, 3, NOW).is_err(),
            "a bookmark has no colour"
        );
        assert!(s.annotations(&key()).unwrap().is_empty());
    }

    #[test]
    fn resetting_progress_keeps_the_learners_annotations() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        s.add_annotation(
            &key(),
            "l",
            &highlight("my own words", Some("mine")),
            1,
            NOW,
        )
        .unwrap();
        s.reset_lesson(&key(), "l").unwrap();
        s.reset_course(&key()).unwrap();
        assert_eq!(s.annotations(&key()).unwrap().len(), 1);
    }

    #[test]
    fn export_import_round_trips_byte_for_byte_and_a_second_import_adds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        s.add_annotation(
            &key(),
            "l",
            &highlight("the quoted text", Some("a note")),
            1,
            NOW,
        )
        .unwrap();
        let mut bookmark = highlight("Masking", None);
        bookmark.kind = AnnotationKind::Bookmark;
        bookmark.color = None;
        s.add_annotation(&key(), "m", &bookmark, 2, NOW).unwrap();
        let export = s.export().unwrap();
        let bytes = serde_json::to_string(&export).unwrap();

        let other = tempfile::tempdir().unwrap();
        let mut t = store(&other);
        assert_eq!(t.import(&export).unwrap().annotations, 2);
        assert_eq!(t.import(&export).unwrap().annotations, 0);
        assert_eq!(serde_json::to_string(&t.export().unwrap()).unwrap(), bytes);
    }

    #[test]
    fn an_import_keeps_the_edit_made_last() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        let id = s
            .add_annotation(&key(), "l", &highlight("edited twice", None), 1, NOW)
            .unwrap();
        let old = s.export().unwrap();
        s.edit_annotation(&key(), &id, Some("blue"), Some("newer"), NOW + 10)
            .unwrap();
        s.import(&old).unwrap();
        let row = &s.annotations(&key()).unwrap()[0];
        assert_eq!(row.note.as_deref(), Some("newer"));
        let newer = s.export().unwrap();
        let other = tempfile::tempdir().unwrap();
        let mut t = store(&other);
        t.import(&old).unwrap();
        t.import(&newer).unwrap();
        assert_eq!(
            t.annotations(&key()).unwrap()[0].color.as_deref(),
            Some("blue")
        );
    }

    #[test]
    fn an_export_without_annotations_has_no_annotations_field() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir);
        let json = serde_json::to_string(&s.export().unwrap()).unwrap();
        assert!(!json.contains("annotations"), "{json}");
    }

    #[test]
    fn an_import_with_an_impossible_annotation_is_refused_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        s.add_annotation(&key(), "l", &highlight("fine words", None), 1, NOW)
            .unwrap();
        let mut export = s.export().unwrap();
        export.annotations[0].start = -4;
        let other = tempfile::tempdir().unwrap();
        let mut t = store(&other);
        let e = t.import(&export).unwrap_err();
        assert!(e.to_string().contains("annotations[0].start"), "{e}");
        export.annotations[0].start = 4;
        export.annotations[0].color = Some("chartreuse".into());
        assert!(t
            .import(&export)
            .unwrap_err()
            .to_string()
            .contains("annotations[0].color"));
        assert!(t.annotations(&key()).unwrap().is_empty());
    }
}
