//! The store's reads of what is due: how many cards of the course's current questions
//! are due now ([`due_count`], the outline's figure) and on each coming local day
//! ([`forecast`], the dashboard's). Cards of questions no longer in the course (edited
//! or removed) are never due: [`Catalog`] says which questions the course has now.
//! `review` re-exports both; they live here because the store's own reads
//! (`course_progress`, the dashboard) need them and the store stands below `review`.

use std::collections::HashSet;

use rusqlite::params;
use serde::Serialize;

use super::{CourseKey, DueRow, Store, StoreError};
use crate::course::Course;
use crate::day::{date_of_day, Now};
use crate::quiz::Catalog;

/// Reviews due on one local day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayCount {
    /// Local day number (days since 1970-01-01, local time).
    pub day: i64,
    /// The same day as `YYYY-MM-DD`.
    pub date: String,
    /// Cards due that day (today's count includes every overdue card).
    pub due: usize,
}

/// The catalog of `course`'s current questions, the learner's own cards of it adopted
/// (they are current whatever their lesson's text).
pub(crate) fn catalog<'c>(
    store: &Store,
    key: &CourseKey,
    course: &'c Course,
) -> Result<Catalog<'c>, StoreError> {
    let mut catalog = Catalog::new(course);
    catalog.adopt(store.made_card_ids(key)?);
    Ok(catalog)
}

/// The due cards of the course's current questions, most overdue first.
pub(crate) fn current_due(
    store: &Store,
    catalog: &mut Catalog<'_>,
    key: &CourseKey,
    now: &Now,
) -> Result<Vec<DueRow>, StoreError> {
    let mut rows = store.review_due_rows(key, now.at)?;
    rows.retain(|r| catalog.has(&r.lesson, &r.question));
    Ok(rows)
}

/// How many of the course's current questions are due at `now` (what the outline
/// shows).
pub fn due_count(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    now: &Now,
) -> Result<usize, StoreError> {
    Ok(current_due(store, &mut catalog(store, key, course)?, key, now)?.len())
}

/// Cards due on each of the `days` local days starting today; overdue cards count on
/// today.
pub fn forecast(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    now: &Now,
    days: u32,
) -> Result<Vec<DayCount>, StoreError> {
    let today = now.day();
    let mut counts = vec![0usize; days as usize];
    if days > 0 {
        let end = now.start_of_day(today + i64::from(days));
        let mut catalog = catalog(store, key, course)?;
        for row in store.review_due_rows(key, end - 1)? {
            if !catalog.has(&row.lesson, &row.question) {
                continue;
            }
            let offset = (now.day_of(row.due) - today).max(0);
            if let Some(slot) = usize::try_from(offset).ok().and_then(|i| counts.get_mut(i)) {
                *slot += 1;
            }
        }
    }
    Ok(days_from(today, counts))
}

/// A forecast with nothing due (no progress database in this session).
pub fn forecast_empty(now: &Now, days: u32) -> Vec<DayCount> {
    days_from(now.day(), vec![0; days as usize])
}

fn days_from(today: i64, counts: Vec<usize>) -> Vec<DayCount> {
    counts
        .into_iter()
        .zip(today..)
        .map(|(due, day)| DayCount {
            day,
            date: date_of_day(day),
            due,
        })
        .collect()
}

/// What the learner did in review sessions on one local day: what the daily limits
/// count, and the cards missed in a session that come back in it. Read from the review
/// log, so it survives leaving the session and quitting the app.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewDay {
    /// Cards whose latest answer that day was a wrong one in a review session (they come
    /// back later in the day's session), in the order they were missed; `due` is the
    /// card's rescheduled due time.
    pub again: Vec<DueRow>,
    /// Questions answered in a review session that day for the first time ever.
    pub new_done: usize,
    /// Questions answered in a review session that day that had been reviewed before.
    pub reviews_done: usize,
    /// Every question (lesson, question) ever answered in a review session: a due card
    /// not among them is new to review.
    pub reviewed: HashSet<(String, String)>,
}

impl Store {
    /// The review sessions of local day `day` (see [`ReviewDay`]).
    pub fn review_day(&self, course: &CourseKey, day: i64) -> Result<ReviewDay, StoreError> {
        let mut out = ReviewDay::default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT lesson, question, MIN(day), MAX(day) FROM review_log
             WHERE course = ?1 AND source = 'review' GROUP BY lesson, question",
        )?;
        let rows = stmt.query_map(params![course.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (lesson, question, first, last) = row?;
            if last == day {
                if first == day {
                    out.new_done += 1;
                } else {
                    out.reviews_done += 1;
                }
            }
            out.reviewed.insert((lesson, question));
        }
        // The latest answer of the day to each question, when it is a wrong review one.
        // Latest by time, then by order of writing: two answers in the same millisecond
        // (a clock held still, as `LECTERN_NOW` holds it) are told apart by their rowid.
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.lesson, l.question, c.due FROM review_log l
             JOIN review_cards c ON c.course = l.course AND c.lesson = l.lesson
                  AND c.question = l.question
             WHERE l.course = ?1 AND l.day = ?2 AND l.source = 'review' AND NOT l.correct
               AND l.rowid = (SELECT m.rowid FROM review_log m WHERE m.course = l.course
                           AND m.lesson = l.lesson AND m.question = l.question AND m.day = ?2
                           ORDER BY m.at DESC, m.rowid DESC LIMIT 1)
             GROUP BY l.lesson, l.question ORDER BY MAX(l.at), l.lesson, l.question",
        )?;
        let rows = stmt.query_map(params![course.as_str(), day], |r| {
            Ok(DueRow {
                lesson: r.get(0)?,
                question: r.get(1)?,
                due: r.get(2)?,
            })
        })?;
        out.again = rows.collect::<Result<_, _>>()?;
        Ok(out)
    }
}
