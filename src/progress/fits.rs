//! FSRS parameter fits (migration 5): the review history a fit reads, and the history of
//! fits kept in `review_fits`. The store keeps them but does not fit: the review module
//! (its `optimize`) reads [`Store::review_history`], fits, and writes the outcome
//! with [`Store::record_fit`], one transaction.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::{CourseKey, Millis, Store, StoreError};

/// One answer that rescheduled a card (the first graded answer of a question on a local
/// day, from a quiz or a review): what a fit learns from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    /// The lesson id.
    pub lesson: String,
    /// The question id.
    pub question: String,
    /// The local day of the answer.
    pub day: i64,
    /// The rating in force (1 Again … 4 Easy).
    pub rating: u32,
}

/// Why a fit row was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FitKind {
    /// The learner asked ("Optimize now", `lectern review optimize`).
    Manual,
    /// Enough new reviews came since the last fit (the review module's thresholds).
    Background,
    /// The learner went back to FSRS's default parameters.
    Reset,
}

impl FitKind {
    fn as_str(self) -> &'static str {
        match self {
            FitKind::Manual => "manual",
            FitKind::Background => "background",
            FitKind::Reset => "reset",
        }
    }

    fn parse(s: &str) -> FitKind {
        match s {
            "background" => FitKind::Background,
            "reset" => FitKind::Reset,
            _ => FitKind::Manual,
        }
    }
}

/// How well a set of parameters predicts a history: FSRS's log loss (binary
/// cross-entropy of recall) and RMSE over its bins. Lower is better for both.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitFigures {
    /// Log loss.
    pub log_loss: f64,
    /// RMSE (bins).
    pub rmse: f64,
}

/// One row of `review_fits`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitRow {
    /// When (Unix ms).
    pub at: Millis,
    /// Why.
    pub kind: FitKind,
    /// How many first-answers-of-the-day the course had then (the fit read them all):
    /// the next background fit counts new reviews from here.
    pub reviews: usize,
    /// The candidate parameters (FSRS-6's 21 numbers); `None` on a reset (the defaults).
    pub parameters: Option<Vec<f64>>,
    /// The parameters in use before, on that history (`None` on a reset).
    pub old: Option<FitFigures>,
    /// The candidate, on that history (`None` on a reset).
    pub new: Option<FitFigures>,
    /// Whether the candidate became the parameters in use.
    pub adopted: bool,
}

const FIT_COLUMNS: &str =
    "at, kind, reviews, parameters, old_log_loss, old_rmse, new_log_loss, new_rmse, adopted";

fn fit_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<FitRow> {
    let parameters: Option<String> = r.get(3)?;
    let figures = |at: usize| -> rusqlite::Result<Option<FitFigures>> {
        let log_loss: Option<f64> = r.get(at)?;
        let rmse: Option<f64> = r.get(at + 1)?;
        Ok(log_loss
            .zip(rmse)
            .map(|(log_loss, rmse)| FitFigures { log_loss, rmse }))
    };
    Ok(FitRow {
        at: r.get(0)?,
        kind: FitKind::parse(&r.get::<_, String>(1)?),
        reviews: usize::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
        // A damaged array reads as the defaults rather than failing every answer.
        parameters: parameters.and_then(|p| serde_json::from_str(&p).ok()),
        old: figures(4)?,
        new: figures(6)?,
        adopted: r.get(8)?,
    })
}

impl Store {
    /// The answers that rescheduled a card in `course`, card by card (lesson, question),
    /// each card's in the order given.
    pub fn review_history(&self, course: &CourseKey) -> Result<Vec<HistoryRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT lesson, question, day, rating FROM review_log
             WHERE course = ?1 AND rescheduled ORDER BY lesson, question, at, id",
        )?;
        let rows = stmt.query_map([course.as_str()], |r| {
            Ok(HistoryRow {
                lesson: r.get(0)?,
                question: r.get(1)?,
                day: r.get(2)?,
                rating: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many answers rescheduled a card in `course` (the size of its history).
    pub fn review_history_len(&self, course: &CourseKey) -> Result<usize, StoreError> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM review_log WHERE course = ?1 AND rescheduled",
            [course.as_str()],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Appends a fit to the course's history (one transaction).
    pub fn record_fit(&mut self, course: &CourseKey, fit: &FitRow) -> Result<(), StoreError> {
        let tx = self.write()?;
        insert_fit(&tx, course.as_str(), fit)?;
        tx.commit()?;
        Ok(())
    }

    /// The course's fits, newest first (by time; merged imports fall in place).
    pub fn fits(&self, course: &CourseKey) -> Result<Vec<FitRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {FIT_COLUMNS} FROM review_fits WHERE course = ?1 ORDER BY at DESC, id DESC"
        ))?;
        let rows = stmt.query_map([course.as_str()], fit_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The newest adopted fit of the course (a reset is one, with no parameters): the
    /// parameters in use. `None`: never fitted, the defaults.
    pub fn fit_in_use(&self, course: &CourseKey) -> Result<Option<FitRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {FIT_COLUMNS} FROM review_fits WHERE course = ?1 AND adopted
                     ORDER BY at DESC, id DESC LIMIT 1"
                ),
                [course.as_str()],
                fit_from,
            )
            .optional()?)
    }

    /// The newest fit of the course, adopted or not (when the last fit ran).
    pub fn last_fit(&self, course: &CourseKey) -> Result<Option<FitRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {FIT_COLUMNS} FROM review_fits WHERE course = ?1
                     ORDER BY at DESC, id DESC LIMIT 1"
                ),
                [course.as_str()],
                fit_from,
            )
            .optional()?)
    }
}

/// Inserts a fit inside `tx` unless the course already has one of that kind at that
/// moment (an import brought twice adds nothing); the rows inserted (0 or 1).
fn insert_fit(tx: &Transaction<'_>, course: &str, fit: &FitRow) -> Result<usize, StoreError> {
    // A list of numbers always serializes (a non-finite one as `null`, read back as the
    // defaults); the error is mapped rather than unwrapped all the same.
    let parameters = fit
        .parameters
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Io(std::io::Error::other(e)))?;
    Ok(tx.execute(
        &format!(
            "INSERT INTO review_fits (course, {FIT_COLUMNS})
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE NOT EXISTS
                 (SELECT 1 FROM review_fits WHERE course = ?1 AND at = ?2 AND kind = ?3)"
        ),
        params![
            course,
            fit.at,
            fit.kind.as_str(),
            i64::try_from(fit.reviews).unwrap_or(i64::MAX),
            parameters,
            fit.old.map(|f| f.log_loss),
            fit.old.map(|f| f.rmse),
            fit.new.map(|f| f.log_loss),
            fit.new.map(|f| f.rmse),
            fit.adopted,
        ],
    )?)
}

/// A fit row of the export: the course, then the fit's fields inline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitExportRow {
    /// The course key.
    pub course: String,
    /// The fit.
    #[serde(flatten)]
    pub fit: FitRow,
}

/// Every fit, by course then time, for the export.
pub(super) fn export_fits(conn: &rusqlite::Connection) -> Result<Vec<FitExportRow>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {FIT_COLUMNS}, course FROM review_fits ORDER BY course, at, id"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(FitExportRow {
            course: r.get(9)?,
            fit: fit_from(r)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Merges the fits of an export inside `tx` (known ones skipped); the rows added.
pub(super) fn import_fits(
    tx: &Transaction<'_>,
    rows: &[FitExportRow],
) -> Result<usize, StoreError> {
    let mut added = 0;
    for row in rows {
        added += insert_fit(tx, &row.course, &row.fit)?;
    }
    Ok(added)
}

/// Every value of the export's fits in range: times, counts, and finite non-negative
/// figures and parameters (at most 64 of them).
pub(super) fn validate_fits(rows: &[FitExportRow]) -> Result<(), String> {
    for (i, row) in rows.iter().enumerate() {
        let r = super::transfer::Rules {
            table: "review_fits",
            row: i,
        };
        r.name("course", &row.course)?;
        r.time("at", row.fit.at)?;
        r.count("reviews", i64::try_from(row.fit.reviews).unwrap_or(-1))?;
        let parameters = row.fit.parameters.as_deref().unwrap_or_default();
        r.count("parameters", if parameters.len() <= 64 { 0 } else { -1 })?;
        for x in parameters {
            r.real("parameters", *x)?;
        }
        for f in [row.fit.old, row.fit.new].into_iter().flatten() {
            r.real("log_loss", f.log_loss)?;
            r.real("rmse", f.rmse)?;
        }
    }
    Ok(())
}
