//! The store's reads of what is due: how many cards of the course's current questions
//! are due now ([`due_count`], the outline's figure) and on each coming local day
//! ([`forecast`], the dashboard's). Cards of questions no longer in the course (edited
//! or removed) are never due: [`Catalog`] says which questions the course has now.
//! `review` re-exports both; they live here because the store's own reads
//! (`course_progress`, the dashboard) need them and the store stands below `review`.

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
    Ok(current_due(store, &mut Catalog::new(course), key, now)?.len())
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
        let mut catalog = Catalog::new(course);
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
