//! Leeches (migration 6): cards the learner fails again and again. A card is marked a
//! leech when its lapses (Again after the first answer) reach [`LEECH_LAPSES`], as
//! Anki does; the mark stays until the card is reset. The learner may suspend a card
//! (it is never due until unsuspended), unsuspend it, or reset it (it starts over as a
//! new card, due today, its lapses and leech mark cleared; the review log keeps its
//! history). The marks travel with the card in an export.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{CourseKey, Store, StoreError};
use crate::course::Course;
use crate::day::Now;
use crate::quiz::{self, HeadingLink};
use crate::text::one_line;

/// Lapses that make a card a leech (Anki's default threshold).
pub const LEECH_LAPSES: i64 = 8;

/// A leech, as the dashboard lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Leech {
    /// Its lesson's id.
    pub lesson: String,
    /// Its lesson's title.
    pub lesson_title: String,
    /// The question id.
    pub question: String,
    /// The prompt's Markdown on one line (show with `textContent`).
    pub prompt: String,
    /// Times forgotten.
    pub lapses: i64,
    /// Whether the learner suspended it.
    pub suspended: bool,
    /// The heading whose section teaches it, if one matches.
    pub section: Option<HeadingLink>,
}

/// What the learner does to a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardAction {
    /// Never due until unsuspended.
    Suspend,
    /// Due again as scheduled.
    Unsuspend,
    /// Start over as a new card, due today; lapses and leech mark cleared.
    Reset,
}

impl Store {
    /// The course's leeches still in the course (the learner's own cards among them),
    /// most lapses first (then course order).
    pub fn leeches(&self, key: &CourseKey, course: &Course) -> Result<Vec<Leech>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT lesson, question, lapses, suspended FROM review_cards
             WHERE course = ?1 AND leech ORDER BY lapses DESC, lesson, question",
        )?;
        let rows = stmt
            .query_map([key.as_str()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, bool>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for (lesson_id, question, lapses, suspended) in rows {
            let Some(lesson) = course.lesson(&lesson_id) else {
                continue;
            };
            let parsed = quiz::parse(lesson).0;
            let Some(q) = self.question_shown(key, &parsed, &question)? else {
                continue; // edited or removed since: never due, nothing to show
            };
            out.push(Leech {
                lesson: lesson_id,
                lesson_title: lesson.title.clone(),
                question,
                prompt: one_line(&q.shown_prompt(), 200),
                lapses,
                suspended,
                section: q.review.clone(),
            });
        }
        out.sort_by(|a, b| {
            b.lapses
                .cmp(&a.lapses)
                .then_with(|| course.index_of(&a.lesson).cmp(&course.index_of(&b.lesson)))
        });
        Ok(out)
    }

    /// Suspends, unsuspends or resets a card (one transaction); `false` when the
    /// question was never scheduled (nothing written).
    pub fn card_action(
        &mut self,
        key: &CourseKey,
        lesson: &str,
        question: &str,
        action: CardAction,
        now: &Now,
    ) -> Result<bool, StoreError> {
        let tx = self.write()?;
        let exists = tx
            .query_row(
                "SELECT 1 FROM review_cards WHERE course = ?1 AND lesson = ?2 AND question = ?3",
                params![key.as_str(), lesson, question],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !exists {
            return Ok(false);
        }
        match action {
            CardAction::Suspend | CardAction::Unsuspend => tx.execute(
                "UPDATE review_cards SET suspended = ?4
                 WHERE course = ?1 AND lesson = ?2 AND question = ?3",
                params![
                    key.as_str(),
                    lesson,
                    question,
                    action == CardAction::Suspend
                ],
            )?,
            CardAction::Reset => tx.execute(
                "UPDATE review_cards SET reps = 0, lapses = 0, leech = 0, suspended = 0,
                     due = ?4 WHERE course = ?1 AND lesson = ?2 AND question = ?3",
                params![key.as_str(), lesson, question, now.start_of_day(now.day())],
            )?,
        };
        tx.commit()?;
        Ok(true)
    }
}
