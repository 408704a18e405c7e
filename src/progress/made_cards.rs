//! The learner's own review cards ("Make a card", the notes issue, #24): a phrase of a
//! highlight hidden in its sentence, typed back in review.
//!
//! A card is the learner's, not the author's: its row keeps the text captured when it
//! was made (the sentence around the phrase, and the phrase) and never changes, and its
//! schedule is an ordinary review card (`review_cards`, the card's id as the question),
//! so an edit of the lesson never starts it over. The highlight it came from is only
//! named (`annotation`): removing the highlight keeps the card (the review says its
//! source was removed), and where the highlight's text changed is found by placing
//! the highlight again (`notes::Sources`), never stored here.
//!
//! One card per highlight: its id hashes the course and the highlight's id, so making
//! it twice, and importing the same export twice, adds nothing.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::transfer::Rules;
use super::{CourseKey, Millis, Store, StoreError, MAX_ANNOTATION_TEXT};
use crate::text::fnv1a;

/// A card to make: the phrase and the sentence around it, as the lesson reads now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMadeCard<'a> {
    /// The lesson the highlight is on.
    pub lesson: &'a str,
    /// The highlight's id.
    pub annotation: &'a str,
    /// The sentence's text before the phrase.
    pub before: &'a str,
    /// The phrase the learner types back.
    pub phrase: &'a str,
    /// The sentence's text after the phrase.
    pub after: &'a str,
}

/// A stored card; also a row of the export (`made_cards`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct MadeCardRow {
    pub id: String,
    pub course: String,
    pub lesson: String,
    pub annotation: String,
    pub before: String,
    pub phrase: String,
    pub after: String,
    pub created_at: Millis,
}

impl MadeCardRow {
    /// The sentence as captured, phrase included.
    pub fn sentence(&self) -> String {
        format!("{}{}{}", self.before, self.phrase, self.after)
    }
}

const COLUMNS: &str = "id, course, lesson, annotation, before, phrase, after, created_at";

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<MadeCardRow> {
    Ok(MadeCardRow {
        id: r.get(0)?,
        course: r.get(1)?,
        lesson: r.get(2)?,
        annotation: r.get(3)?,
        before: r.get(4)?,
        phrase: r.get(5)?,
        after: r.get(6)?,
        created_at: r.get(7)?,
    })
}

/// The id of the card made from highlight `annotation` of `course`.
fn card_id(course: &CourseKey, annotation: &str) -> String {
    format!(
        "{:016x}",
        fnv1a(&[course.as_str(), "made-card", annotation])
    )
}

impl Store {
    /// Stores the card `new` (unless the highlight already has one), due at once as a
    /// new review card, and returns its id and whether it is new. Refused (`annotation-invalid`) when the phrase is blank or
    /// a text is over [`MAX_ANNOTATION_TEXT`].
    pub fn make_card(
        &mut self,
        course: &CourseKey,
        new: &NewMadeCard<'_>,
        now: Millis,
    ) -> Result<(String, bool), StoreError> {
        if new.phrase.trim().is_empty() {
            return Err(StoreError::InvalidAnnotation(
                "a card needs a phrase to hide".to_owned(),
            ));
        }
        if let Some(long) = [new.before, new.phrase, new.after]
            .iter()
            .find(|t| t.len() > MAX_ANNOTATION_TEXT)
        {
            return Err(StoreError::InvalidAnnotation(format!(
                "a text of {} bytes is over the {MAX_ANNOTATION_TEXT} a card keeps",
                long.len()
            )));
        }
        let id = card_id(course, new.annotation);
        let tx = self.write()?;
        let added = tx.execute(
            &format!("INSERT OR IGNORE INTO made_cards ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
            params![
                id,
                course.as_str(),
                new.lesson,
                new.annotation,
                new.before,
                new.phrase,
                new.after,
                now
            ],
        )?;
        if added > 0 {
            // Due at once, as a card never answered (`reps` 0: its first answer
            // schedules it as new, and the day's limits count it as new).
            tx.execute(
                "INSERT OR IGNORE INTO review_cards (course, lesson, question, stability,
                     difficulty, due, last_review, last_day, reps, lapses)
                 VALUES (?1, ?2, ?3, 0, 0, ?4, ?4, ?5, 0, 0)",
                params![
                    course.as_str(),
                    new.lesson,
                    id,
                    now,
                    now.div_euclid(86_400_000)
                ],
            )?;
        }
        tx.commit()?;
        Ok((id, added > 0))
    }

    /// The card `id` of `course`, if there is one.
    pub fn made_card(
        &self,
        course: &CourseKey,
        id: &str,
    ) -> Result<Option<MadeCardRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM made_cards WHERE course = ?1 AND id = ?2"),
                params![course.as_str(), id],
                row_of,
            )
            .optional()?)
    }

    /// Every card of `course`, by lesson, then time made, then id.
    pub fn made_cards(&self, course: &CourseKey) -> Result<Vec<MadeCardRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM made_cards WHERE course = ?1 ORDER BY lesson, created_at, id"
        ))?;
        let rows = stmt
            .query_map([course.as_str()], row_of)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Deletes the learner's card `id` of `course` and its schedule, in one transaction;
    /// `false` when there is no such card (nothing written). Its answers stay in the
    /// review log (they were given: the history and a parameter fit still count them),
    /// and its highlight stays: making a card of it again starts a new schedule.
    pub fn delete_made_card(&mut self, course: &CourseKey, id: &str) -> Result<bool, StoreError> {
        let tx = self.write()?;
        let deleted = tx.execute(
            "DELETE FROM made_cards WHERE course = ?1 AND id = ?2",
            params![course.as_str(), id],
        )?;
        if deleted > 0 {
            tx.execute(
                "DELETE FROM review_cards WHERE course = ?1 AND question = ?2",
                params![course.as_str(), id],
            )?;
        }
        tx.commit()?;
        Ok(deleted > 0)
    }

    /// Question `question` as review asks it: the course's own (from `parsed`, its
    /// lesson's quiz), else the learner's card of that id (a one-question quiz of its
    /// own, `quiz::cloze`); `None` when it is neither (edited or removed since). What
    /// the dashboard's lists show, so the learner's cards are in them too.
    pub(super) fn question_shown(
        &self,
        course: &CourseKey,
        parsed: &crate::quiz::Quiz,
        question: &str,
    ) -> Result<Option<crate::quiz::Question>, StoreError> {
        if let Some(q) = parsed.question(question) {
            return Ok(Some(q.clone()));
        }
        let Some(made) = self.made_card(course, question)? else {
            return Ok(None);
        };
        let quiz = crate::quiz::cloze(
            &made.lesson,
            &made.id,
            &made.before,
            &made.phrase,
            &made.after,
        );
        Ok(quiz.questions.into_iter().next())
    }

    /// The ids of `course`'s cards: what the review queue adopts as current questions.
    pub fn made_card_ids(&self, course: &CourseKey) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM made_cards WHERE course = ?1")?;
        let ids = stmt
            .query_map([course.as_str()], |r| r.get(0))?
            .collect::<Result<HashSet<String>, _>>()?;
        Ok(ids)
    }
}

/// After a reset forgot the review cards of `course` (of `lesson` only, when given):
/// the learner's own cards there start over as new, due from when they were made (a
/// reset forgets progress, never the learner's writing: the cards themselves stay).
pub(super) fn start_over(
    tx: &Transaction<'_>,
    course: &CourseKey,
    lesson: Option<&str>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR IGNORE INTO review_cards (course, lesson, question, stability,
             difficulty, due, last_review, last_day, reps, lapses)
         SELECT course, lesson, id, 0, 0, created_at, created_at,
             created_at / 86400000, 0, 0
         FROM made_cards WHERE course = ?1 AND (?2 IS NULL OR lesson = ?2)",
        params![course.as_str(), lesson],
    )?;
    Ok(())
}

/// Every card of every course, by id: the export's `made_cards`.
pub(super) fn export_made_cards(
    conn: &rusqlite::Connection,
) -> Result<Vec<MadeCardRow>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM made_cards ORDER BY id"))?;
    let rows = stmt.query_map([], row_of)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Adds the exported cards not known yet (a card never changes, so a known id is kept
/// as it is). Returns how many were added.
pub(super) fn import_made_cards(
    tx: &Transaction<'_>,
    rows: &[MadeCardRow],
) -> Result<usize, StoreError> {
    let mut added = 0;
    for c in rows {
        added += tx.execute(
            &format!("INSERT OR IGNORE INTO made_cards ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
            params![
                c.id,
                c.course,
                c.lesson,
                c.annotation,
                c.before,
                c.phrase,
                c.after,
                c.created_at
            ],
        )?;
    }
    Ok(added)
}

/// The first value of the export's `made_cards` no Lectern writes.
pub(super) fn validate_made_cards(rows: &[MadeCardRow]) -> Result<(), String> {
    for (i, c) in rows.iter().enumerate() {
        let r = Rules {
            table: "made_cards",
            row: i,
        };
        for (field, v) in [
            ("id", &c.id),
            ("course", &c.course),
            ("lesson", &c.lesson),
            ("annotation", &c.annotation),
        ] {
            r.name(field, v)?;
        }
        for (field, v) in [
            ("before", &c.before),
            ("phrase", &c.phrase),
            ("after", &c.after),
        ] {
            r.text(field, v, MAX_ANNOTATION_TEXT)?;
        }
        r.time("created_at", c.created_at)?;
    }
    Ok(())
}
