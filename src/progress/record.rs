//! Writes: each one transaction, so a kill between two leaves the database as it was
//! after the last acknowledged one.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::cards::{add_activity, schedule_in, NewReview};
use super::Scheduled;
use super::{CourseKey, Millis, Store, StoreError};
use crate::day::Now;
use crate::text::fnv1a;

/// One graded answer, as the core graded it.
#[derive(Clone, Debug)]
pub struct NewAnswer<'a> {
    /// The course.
    pub course: &'a CourseKey,
    /// The lesson id.
    pub lesson: &'a str,
    /// The seed of the attempt's fresh start: retries of missed questions carry the
    /// same one, so they count in the same attempt.
    pub attempt: u64,
    /// How many questions the attempt's quiz had when it started.
    pub questions: usize,
    /// The question id (a content hash: an edited question has a new one).
    pub question: &'a str,
    /// The question's 0-based position in its lesson's quiz.
    pub position: usize,
    /// What the learner sent: option ids, or one typed text per blank.
    pub chosen: &'a [String],
    /// The learner's note on the answer (why), when the question asked for one.
    pub note: Option<&'a str>,
    /// Whether the answer was right.
    pub correct: bool,
    /// Time from showing the question to answering it.
    pub time_ms: u64,
    /// When it was answered.
    pub at: Millis,
}

/// Where a learner is in a lesson: the heading nearest the top of the view and how far
/// below it (in pixels of the reading column), and whether the end was reached.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Id of the heading the position is relative to (empty: the top of the lesson).
    pub anchor: String,
    /// Offset below that heading.
    pub offset: f64,
    /// Whether the learner has scrolled to the end of the lesson.
    pub at_end: bool,
}

/// What completes a lesson besides the learner's own mark: its Knowledge Check (every
/// question answered right once) or, for a lesson without one, reading to the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletedBy {
    /// The lesson has a Knowledge Check: reaching the end does not complete it.
    Quiz,
    /// The lesson has no Knowledge Check: reaching the end completes it.
    Reading,
}

/// The stable id of an attempt: the same course, lesson and fresh-start seed always
/// give the same id, on every machine (so an export imports idempotently).
pub(super) fn attempt_id(course: &CourseKey, lesson: &str, seed: u64) -> String {
    format!(
        "{:016x}",
        fnv1a(&[course.as_str(), lesson, &seed.to_string()])
    )
}

impl Store {
    /// Records that `course` was opened from `root`, for the recent-courses list.
    pub fn record_course_opened(
        &mut self,
        course: &CourseKey,
        title: &str,
        root: &std::path::Path,
        now: Millis,
    ) -> Result<(), StoreError> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO courses (key, title, root, first_opened, last_opened) VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (key) DO UPDATE SET title = excluded.title, root = excluded.root,
                 last_opened = excluded.last_opened",
            params![course.as_str(), title, root.to_string_lossy(), now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records that a lesson was opened: first and last opened, and the course's last
    /// lesson (what Continue reopens).
    pub fn record_lesson_opened(
        &mut self,
        course: &CourseKey,
        lesson: &str,
        now: Millis,
    ) -> Result<(), StoreError> {
        let tx = self.write()?;
        upsert_lesson(&tx, course, lesson)?;
        tx.execute(
            "UPDATE lessons SET first_opened = coalesce(first_opened, ?3), last_opened = ?3
             WHERE course = ?1 AND lesson = ?2",
            params![course.as_str(), lesson, now],
        )?;
        tx.execute(
            "UPDATE courses SET last_lesson = ?2 WHERE key = ?1",
            params![course.as_str(), lesson],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records the reading position; reaching the end completes a lesson
    /// [`CompletedBy::Reading`].
    pub fn record_position(
        &mut self,
        course: &CourseKey,
        lesson: &str,
        position: &Position,
        completed_by: CompletedBy,
        now: Millis,
    ) -> Result<(), StoreError> {
        let offset = if position.offset.is_finite() {
            position.offset.max(0.0)
        } else {
            0.0
        };
        let tx = self.write()?;
        upsert_lesson(&tx, course, lesson)?;
        tx.execute(
            "UPDATE lessons SET position_anchor = ?3, position_offset = ?4,
                 read_to_end = read_to_end OR ?5
             WHERE course = ?1 AND lesson = ?2",
            params![
                course.as_str(),
                lesson,
                position.anchor,
                offset,
                position.at_end
            ],
        )?;
        if position.at_end && completed_by == CompletedBy::Reading {
            complete(&tx, course, lesson, now)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Adds active reading time (the window focused, the learner active) to the lesson
    /// and to `now`'s local day (the dashboard's minutes per day). A report of more
    /// than ten minutes at once is cut to ten: the UI reports every few seconds.
    pub fn record_active_time(
        &mut self,
        course: &CourseKey,
        lesson: &str,
        ms: u64,
        now: &Now,
    ) -> Result<(), StoreError> {
        let ms = i64::try_from(ms.min(600_000)).unwrap_or(600_000);
        let tx = self.write()?;
        upsert_lesson(&tx, course, lesson)?;
        tx.execute(
            "UPDATE lessons SET active_ms = active_ms + ?3 WHERE course = ?1 AND lesson = ?2",
            params![course.as_str(), lesson, ms],
        )?;
        add_activity(&tx, course, now, ms)?;
        tx.commit()?;
        Ok(())
    }

    /// Records one graded answer in its attempt. `current_questions` are the ids of the
    /// lesson's quiz now: when every one has been answered right at least once, the
    /// lesson is completed. Returns the answer's id.
    pub fn record_answer(
        &mut self,
        a: &NewAnswer<'_>,
        current_questions: &[String],
    ) -> Result<String, StoreError> {
        let tx = self.write()?;
        let id = insert_answer(&tx, a, current_questions)?;
        tx.commit()?;
        Ok(id)
    }

    /// [`Store::record_answer`] and the scheduling of the question's review card
    /// (`review`), in one transaction: an answer is never kept without its card.
    pub fn record_quiz_answer(
        &mut self,
        a: &NewAnswer<'_>,
        current_questions: &[String],
        review: &NewReview<'_>,
    ) -> Result<(String, Scheduled), StoreError> {
        let tx = self.write()?;
        let id = insert_answer(&tx, a, current_questions)?;
        let scheduled = schedule_in(&tx, review)?;
        tx.commit()?;
        Ok((id, scheduled))
    }

    /// Marks a lesson complete by hand, or takes the mark back (a completion earned by
    /// the quiz or by reading stays).
    pub fn mark_complete(
        &mut self,
        course: &CourseKey,
        lesson: &str,
        complete_it: bool,
        now: Millis,
    ) -> Result<(), StoreError> {
        let tx = self.write()?;
        upsert_lesson(&tx, course, lesson)?;
        tx.execute(
            "UPDATE lessons SET marked_complete = ?3 WHERE course = ?1 AND lesson = ?2",
            params![course.as_str(), lesson, complete_it],
        )?;
        if complete_it {
            complete(&tx, course, lesson, now)?;
        } else {
            tx.execute(
                "UPDATE lessons SET completed_at = NULL WHERE course = ?1 AND lesson = ?2",
                params![course.as_str(), lesson],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Forgets one lesson's progress: position, time, completion, attempts, answers,
    /// and its questions' review cards and log (minutes per day stay: they are the
    /// course's); the learner's own cards of it are kept and start over as new.
    pub fn reset_lesson(&mut self, course: &CourseKey, lesson: &str) -> Result<(), StoreError> {
        let tx = self.write()?;
        tx.execute(
            "DELETE FROM attempts WHERE course = ?1 AND lesson = ?2",
            params![course.as_str(), lesson],
        )?;
        for table in ["lessons", "review_cards", "review_log"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE course = ?1 AND lesson = ?2"),
                params![course.as_str(), lesson],
            )?;
        }
        super::made_cards::start_over(&tx, course, Some(lesson))?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets a whole course's progress, review cards, review log and minutes per day
    /// included (the app makes a backup first); the learner's own cards are kept and
    /// start over as new.
    pub fn reset_course(&mut self, course: &CourseKey) -> Result<(), StoreError> {
        let tx = self.write()?;
        for table in [
            "attempts",
            "lessons",
            "review_cards",
            "review_log",
            "activity_days",
        ] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE course = ?1"),
                [course.as_str()],
            )?;
        }
        tx.execute(
            "UPDATE courses SET last_lesson = NULL WHERE key = ?1",
            [course.as_str()],
        )?;
        super::made_cards::start_over(&tx, course, None)?;
        tx.commit()?;
        Ok(())
    }

    /// Stores a preference (the Settings view's).
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A stored preference.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

fn upsert_lesson(
    tx: &rusqlite::Transaction<'_>,
    course: &CourseKey,
    lesson: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR IGNORE INTO lessons (course, lesson) VALUES (?1, ?2)",
        params![course.as_str(), lesson],
    )?;
    Ok(())
}

fn complete(
    tx: &rusqlite::Transaction<'_>,
    course: &CourseKey,
    lesson: &str,
    now: Millis,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE lessons SET completed_at = coalesce(completed_at, ?3) WHERE course = ?1 AND lesson = ?2",
        params![course.as_str(), lesson, now],
    )?;
    Ok(())
}

/// Whether every one of `questions` has a right answer in this lesson's history.
fn all_right_once(
    tx: &rusqlite::Transaction<'_>,
    course: &CourseKey,
    lesson: &str,
    questions: &[String],
) -> Result<bool, StoreError> {
    if questions.is_empty() {
        return Ok(false);
    }
    let mut stmt = tx.prepare_cached(
        "SELECT 1 FROM answers WHERE course = ?1 AND lesson = ?2 AND question = ?3 AND correct LIMIT 1",
    )?;
    for q in questions {
        if !stmt.exists(params![course.as_str(), lesson, q])? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Inserts one answer (and its attempt, the first time) inside `tx`; completes the
/// lesson when every current question has been answered right once.
fn insert_answer(
    tx: &rusqlite::Transaction<'_>,
    a: &NewAnswer<'_>,
    current_questions: &[String],
) -> Result<String, StoreError> {
    let attempt = attempt_id(a.course, a.lesson, a.attempt);
    let chosen = serde_json::to_string(a.chosen).unwrap_or_else(|_| "[]".to_owned());
    upsert_lesson(tx, a.course, a.lesson)?;
    tx.execute(
        "INSERT OR IGNORE INTO attempts (id, course, lesson, started_at, questions)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            attempt,
            a.course.as_str(),
            a.lesson,
            a.at,
            a.questions as i64
        ],
    )?;
    let ordinal: i64 = tx.query_row(
        "SELECT count(*) FROM answers WHERE attempt = ?1 AND question = ?2",
        params![attempt, a.question],
        |r| r.get(0),
    )?;
    let id = format!(
        "{:016x}",
        fnv1a(&[&attempt, a.question, &ordinal.to_string()])
    );
    let first_try = ordinal == 0;
    tx.execute(
        "INSERT INTO answers (id, attempt, course, lesson, question, position, chosen,
             correct, first_try, time_ms, answered_at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            attempt,
            a.course.as_str(),
            a.lesson,
            a.question,
            a.position as i64,
            chosen,
            a.correct,
            first_try,
            i64::try_from(a.time_ms).unwrap_or(i64::MAX),
            a.at,
            a.note
        ],
    )?;
    if first_try && a.correct {
        tx.execute(
            "UPDATE attempts SET right_first = right_first + 1 WHERE id = ?1",
            [&attempt],
        )?;
    }
    if all_right_once(tx, a.course, a.lesson, current_questions)? {
        complete(tx, a.course, a.lesson, a.at)?;
    }
    Ok(id)
}
