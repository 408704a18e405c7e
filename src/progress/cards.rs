//! Review cards and the review log (migration 2): the writes that schedule a card, each
//! one transaction with its log row, and the reads the review queue is built from.
//! The rules themselves are documented in the `review` module.
//!
//! The store keeps cards but does not compute them: a card's next state comes from the
//! [`Scheduler`] it is handed (FSRS, the review module's `Fsrs`), called inside the
//! transaction that records the answer. So the store never depends on the scheduler's
//! module; the types it persists ([`CardState`], [`Rating`], [`Source`], [`Scheduled`])
//! are defined here and re-exported by `review`.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::{CourseKey, Millis, Store, StoreError};
use crate::day::Now;
use crate::text::fnv1a;

/// A card's memory and schedule, as stored in `review_cards`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    /// FSRS stability: days until recall probability falls to 90%.
    pub stability: f64,
    /// FSRS difficulty, 1 (easy) to 10 (hard).
    pub difficulty: f64,
    /// When it is due (Unix ms, local midnight).
    pub due: Millis,
    /// When it was last rescheduled (Unix ms).
    pub last_review: Millis,
    /// The local day of that answer.
    pub last_day: i64,
    /// How many answers rescheduled it.
    pub reps: i64,
    /// How many of those were Again after the first.
    pub lapses: i64,
}

/// How well the learner remembered: FSRS's four ratings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// Forgotten (a wrong answer).
    Again,
    /// Right, with effort.
    Hard,
    /// Right (the default for a right answer).
    Good,
    /// Right, effortlessly.
    Easy,
}

impl Rating {
    /// 1–4, as stored in `review_log.rating` and as FSRS numbers them.
    pub fn number(self) -> u32 {
        match self {
            Rating::Again => 1,
            Rating::Hard => 2,
            Rating::Good => 3,
            Rating::Easy => 4,
        }
    }

    /// The rating stored as `n`.
    pub fn from_number(n: i64) -> Option<Rating> {
        match n {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }
}

/// Where a graded answer came from (`review_log.source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A lesson's Knowledge Check.
    Quiz,
    /// A review session.
    Review,
    /// "Practise this section": every question of a section or lesson, asked now.
    Practice,
}

impl Source {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Quiz => "quiz",
            Source::Review => "review",
            Source::Practice => "practice",
        }
    }
}

/// What an answer did to its card.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Scheduled {
    /// When the card is next due (Unix ms, local midnight of that day).
    pub due: Millis,
    /// Whole days from today to `due`.
    pub interval_days: f64,
    /// Whether this answer rescheduled the card (only the first graded answer of a
    /// question on a local day does); when false, `due` is the card's unchanged due.
    pub rescheduled: bool,
    /// Whether the learner may now say Hard or Easy (the review module's `rate`): the
    /// answer was right and rescheduled the card today.
    pub can_rate: bool,
    /// The rating in force for today's rescheduling (Again, or Good until the review
    /// module's `rate` changes it); for an answer that did not reschedule, that
    /// answer's own rating.
    pub rating: Rating,
}

/// What computes a card's next state from its state before an answer (`None`: a new
/// card), the rating and the moment: FSRS, the review module's `Fsrs`. The store calls
/// it inside the transaction that records the answer, so the state read and the state
/// written belong to the same answer.
pub trait Scheduler {
    /// The card's state after an answer rated `rating` at `now`.
    fn next(&self, prev: Option<&CardState>, rating: Rating, now: &Now) -> CardState;
}

/// One graded answer to schedule (from a quiz or a review session).
#[derive(Clone, Copy)]
pub struct NewReview<'a> {
    /// The course.
    pub course: &'a CourseKey,
    /// The lesson id.
    pub lesson: &'a str,
    /// The question id.
    pub question: &'a str,
    /// Whether the answer was right (right rates Good, wrong Again).
    pub correct: bool,
    /// Quiz or review.
    pub source: Source,
    /// Time taken to answer.
    pub time_ms: u64,
    /// When, with the local day.
    pub now: Now,
    /// What computes the card's next state (FSRS at the desired retention).
    pub scheduler: &'a dyn Scheduler,
}

/// A card as the queue reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueRow {
    /// The lesson id.
    pub lesson: String,
    /// The question id.
    pub question: String,
    /// When it is due (Unix ms).
    pub due: Millis,
}

/// Review figures of a course, for `lectern progress show`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReviewTotals {
    /// Cards scheduled (questions answered at least once), including ones no longer in
    /// the course.
    pub cards: usize,
    /// Rows in the review log (every graded answer since migration 2).
    pub reviews_logged: usize,
}

const CARD_COLUMNS: &str = "stability, difficulty, due, last_review, last_day, reps, lapses";

fn card_from(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<CardState> {
    Ok(CardState {
        stability: r.get(at)?,
        difficulty: r.get(at + 1)?,
        due: r.get(at + 2)?,
        last_review: r.get(at + 3)?,
        last_day: r.get(at + 4)?,
        reps: r.get(at + 5)?,
        lapses: r.get(at + 6)?,
    })
}

fn due_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DueRow> {
    Ok(DueRow {
        lesson: r.get(0)?,
        question: r.get(1)?,
        due: r.get(2)?,
    })
}

/// Whole days from `now`'s local day to the local day of `due`.
fn days_until(now: &Now, due: Millis) -> f64 {
    (now.day_of(due) - now.day()) as f64
}

impl Store {
    /// Schedules one graded answer and logs it, in one transaction (the rules are in
    /// the `review` module; answers come through the answer pipeline, one layer up).
    pub fn record_review(&mut self, r: &NewReview<'_>) -> Result<Scheduled, StoreError> {
        let tx = self.write()?;
        let scheduled = schedule_in(&tx, r)?;
        tx.commit()?;
        Ok(scheduled)
    }

    /// Replaces today's rating of a right answer with `rating`, recomputed by
    /// `scheduler` from the card's state before that answer, kept in its log row: rating
    /// twice never applies twice. `None` (nothing written) when no right answer
    /// rescheduled the question today. Whether `rating` may be given (not Again) is the
    /// caller's rule (the review module's `rate`).
    pub fn rate_review(
        &mut self,
        course: &CourseKey,
        lesson: &str,
        question: &str,
        rating: Rating,
        now: &Now,
        scheduler: &dyn Scheduler,
    ) -> Result<Option<Scheduled>, StoreError> {
        let tx = self.write()?;
        let found = tx
            .query_row(
                &format!(
                    "SELECT id, at, correct, prev_{} FROM review_log
                     WHERE course = ?1 AND lesson = ?2 AND question = ?3 AND day = ?4
                       AND rescheduled ORDER BY at DESC, id LIMIT 1",
                    CARD_COLUMNS.replace(", ", ", prev_")
                ),
                params![course.as_str(), lesson, question, now.day()],
                |r| {
                    let prev: Option<f64> = r.get(3)?;
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Millis>(1)?,
                        r.get::<_, bool>(2)?,
                        prev.map(|_| card_from(r, 3)).transpose()?,
                    ))
                },
            )
            .optional()?;
        let Some((id, at, true, prev)) = found else {
            return Ok(None);
        };
        let answered = Now { at, ..*now };
        let next = scheduler.next(prev.as_ref(), rating, &answered);
        put_card(&tx, course, lesson, question, &next)?;
        tx.execute(
            "UPDATE review_log SET rating = ?2, due = ?3 WHERE id = ?1",
            params![id, rating.number(), next.due],
        )?;
        tx.commit()?;
        Ok(Some(Scheduled {
            due: next.due,
            interval_days: days_until(&answered, next.due),
            rescheduled: true,
            can_rate: true,
            rating,
        }))
    }

    /// A card's state, if the question was ever scheduled.
    pub fn review_card(
        &self,
        course: &CourseKey,
        lesson: &str,
        question: &str,
    ) -> Result<Option<CardState>, StoreError> {
        card(&self.conn, course, lesson, question)
    }

    /// Cards due at or before `until`, most overdue first (then lesson, question);
    /// suspended cards are never due.
    pub fn review_due_rows(
        &self,
        course: &CourseKey,
        until: Millis,
    ) -> Result<Vec<DueRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT lesson, question, due FROM review_cards
             WHERE course = ?1 AND due <= ?2 AND NOT suspended
             ORDER BY due, lesson, question",
        )?;
        let rows = stmt.query_map(params![course.as_str(), until], due_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// At most `limit` cards due after `after`, soonest first, skipping the first
    /// `skip` (suspended cards left out).
    pub fn review_later_rows(
        &self,
        course: &CourseKey,
        after: Millis,
        limit: usize,
        skip: usize,
    ) -> Result<Vec<DueRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT lesson, question, due FROM review_cards
             WHERE course = ?1 AND due > ?2 AND NOT suspended
             ORDER BY due, lesson, question LIMIT ?3 OFFSET ?4",
        )?;
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let rows = stmt.query_map(
            params![course.as_str(), after, count(limit), count(skip)],
            due_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many cards and log rows a course has.
    pub fn review_totals(&self, course: &CourseKey) -> Result<ReviewTotals, StoreError> {
        let count = |sql: &str| -> Result<usize, StoreError> {
            let n: i64 = self.conn.query_row(sql, [course.as_str()], |r| r.get(0))?;
            Ok(usize::try_from(n).unwrap_or(0))
        };
        Ok(ReviewTotals {
            cards: count("SELECT count(*) FROM review_cards WHERE course = ?1")?,
            reviews_logged: count("SELECT count(*) FROM review_log WHERE course = ?1")?,
        })
    }
}

fn card(
    conn: &rusqlite::Connection,
    course: &CourseKey,
    lesson: &str,
    question: &str,
) -> Result<Option<CardState>, StoreError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {CARD_COLUMNS} FROM review_cards
                 WHERE course = ?1 AND lesson = ?2 AND question = ?3"
            ),
            params![course.as_str(), lesson, question],
            |r| card_from(r, 0),
        )
        .optional()?)
}

fn put_card(
    tx: &Transaction<'_>,
    course: &CourseKey,
    lesson: &str,
    question: &str,
    s: &CardState,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO review_cards (course, lesson, question, stability, difficulty, due,
             last_review, last_day, reps, lapses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (course, lesson, question) DO UPDATE SET stability = excluded.stability,
             difficulty = excluded.difficulty, due = excluded.due,
             last_review = excluded.last_review, last_day = excluded.last_day,
             reps = excluded.reps, lapses = excluded.lapses,
             leech = leech OR excluded.lapses >= ?11",
        params![
            course.as_str(),
            lesson,
            question,
            s.stability,
            s.difficulty,
            s.due,
            s.last_review,
            s.last_day,
            s.reps,
            s.lapses,
            super::leeches::LEECH_LAPSES,
        ],
    )?;
    Ok(())
}

/// Schedules `r` inside `tx` (the quiz records its answer in the same transaction).
pub(super) fn schedule_in(
    tx: &Transaction<'_>,
    r: &NewReview<'_>,
) -> Result<Scheduled, StoreError> {
    let today = r.now.day();
    let rating = if r.correct {
        Rating::Good
    } else {
        Rating::Again
    };
    // A card reset by the learner (no rescheduling answer left: `reps` 0) starts over
    // as a new one.
    let prev = card(tx, r.course, r.lesson, r.question)?.filter(|c| c.reps > 0);
    // Only the first graded answer of the day reschedules (a clock set back counts as
    // the same day: nothing is rescheduled from the future).
    if let Some(card) = prev.filter(|c| c.last_day >= today) {
        log(tx, r, rating, None, None)?;
        return Ok(Scheduled {
            due: card.due,
            interval_days: days_until(&r.now, card.due),
            rescheduled: false,
            can_rate: false,
            rating,
        });
    }
    let next = r.scheduler.next(prev.as_ref(), rating, &r.now);
    put_card(tx, r.course, r.lesson, r.question, &next)?;
    log(tx, r, rating, Some(&next), prev.as_ref())?;
    Ok(Scheduled {
        due: next.due,
        interval_days: days_until(&r.now, next.due),
        rescheduled: true,
        can_rate: r.correct,
        rating,
    })
}

/// Appends the log row of `r`: `next` is the state it scheduled (`None`: it did not
/// reschedule), `prev` the state before (`None`: a new card).
fn log(
    tx: &Transaction<'_>,
    r: &NewReview<'_>,
    rating: Rating,
    next: Option<&CardState>,
    prev: Option<&CardState>,
) -> Result<(), StoreError> {
    let same: i64 = tx.query_row(
        "SELECT count(*) FROM review_log
         WHERE course = ?1 AND lesson = ?2 AND question = ?3 AND day = ?4 AND at = ?5",
        params![
            r.course.as_str(),
            r.lesson,
            r.question,
            r.now.day(),
            r.now.at
        ],
        |row| row.get(0),
    )?;
    let id = format!(
        "{:016x}",
        fnv1a(&[
            r.course.as_str(),
            r.lesson,
            r.question,
            &r.now.at.to_string(),
            &same.to_string()
        ])
    );
    tx.execute(
        "INSERT INTO review_log (id, course, lesson, question, at, day, rating, correct,
             source, rescheduled, time_ms, due, prev_stability, prev_difficulty, prev_due,
             prev_last_review, prev_last_day, prev_reps, prev_lapses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
             ?17, ?18, ?19)",
        params![
            id,
            r.course.as_str(),
            r.lesson,
            r.question,
            r.now.at,
            r.now.day(),
            rating.number(),
            r.correct,
            r.source.as_str(),
            next.is_some(),
            i64::try_from(r.time_ms).unwrap_or(i64::MAX),
            next.map(|n| n.due),
            prev.map(|p| p.stability),
            prev.map(|p| p.difficulty),
            prev.map(|p| p.due),
            prev.map(|p| p.last_review),
            prev.map(|p| p.last_day),
            prev.map(|p| p.reps),
            prev.map(|p| p.lapses),
        ],
    )?;
    Ok(())
}

/// Adds `ms` of active time to `now`'s local day (inside the caller's transaction).
pub(super) fn add_activity(
    tx: &Transaction<'_>,
    course: &CourseKey,
    now: &Now,
    ms: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO activity_days (course, day, active_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT (course, day) DO UPDATE SET active_ms = active_ms + excluded.active_ms",
        params![course.as_str(), now.day(), ms],
    )?;
    Ok(())
}

/// A review card row of the export.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[allow(missing_docs)]
pub struct ReviewCardRow {
    pub course: String,
    pub lesson: String,
    pub question: String,
    /// The card's fields, inline in the export as they always were.
    #[serde(flatten)]
    pub state: CardState,
    /// Marked a leech (absent when not, so exports without leeches are unchanged).
    #[serde(default, skip_serializing_if = "is_false")]
    pub leech: bool,
    /// Suspended by the learner (absent when not).
    #[serde(default, skip_serializing_if = "is_false")]
    pub suspended: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A review log row of the export (`prev_*`: the card before the answer, all `None`
/// for a new card; `due`: after it, `None` when it did not reschedule).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[allow(missing_docs)]
pub struct ReviewLogRow {
    pub id: String,
    pub course: String,
    pub lesson: String,
    pub question: String,
    pub at: Millis,
    pub day: i64,
    pub rating: i64,
    pub correct: bool,
    pub source: String,
    pub rescheduled: bool,
    pub time_ms: i64,
    pub due: Option<Millis>,
    pub prev_stability: Option<f64>,
    pub prev_difficulty: Option<f64>,
    pub prev_due: Option<Millis>,
    pub prev_last_review: Option<Millis>,
    pub prev_last_day: Option<i64>,
    pub prev_reps: Option<i64>,
    pub prev_lapses: Option<i64>,
}

/// Active time on one local day, a row of the export.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[allow(missing_docs)]
pub struct ActivityDayRow {
    pub course: String,
    pub day: i64,
    pub active_ms: i64,
}

const LOG_COLUMNS: &str = "id, course, lesson, question, at, day, rating, correct, source,
    rescheduled, time_ms, due, prev_stability, prev_difficulty, prev_due, prev_last_review,
    prev_last_day, prev_reps, prev_lapses";

/// The review tables of an export: cards, log, active time per day.
pub(super) type ReviewTables = (Vec<ReviewCardRow>, Vec<ReviewLogRow>, Vec<ActivityDayRow>);

/// The review tables for the export, each sorted by its key.
pub(super) fn export_review(conn: &rusqlite::Connection) -> Result<ReviewTables, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT course, lesson, question, {CARD_COLUMNS}, leech, suspended FROM review_cards
         ORDER BY course, lesson, question"
    ))?;
    let cards = stmt
        .query_map([], |r| {
            Ok(ReviewCardRow {
                course: r.get(0)?,
                lesson: r.get(1)?,
                question: r.get(2)?,
                state: card_from(r, 3)?,
                leech: r.get(10)?,
                suspended: r.get(11)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare(&format!("SELECT {LOG_COLUMNS} FROM review_log ORDER BY id"))?;
    let log = stmt
        .query_map([], |r| {
            Ok(ReviewLogRow {
                id: r.get(0)?,
                course: r.get(1)?,
                lesson: r.get(2)?,
                question: r.get(3)?,
                at: r.get(4)?,
                day: r.get(5)?,
                rating: r.get(6)?,
                correct: r.get(7)?,
                source: r.get(8)?,
                rescheduled: r.get(9)?,
                time_ms: r.get(10)?,
                due: r.get(11)?,
                prev_stability: r.get(12)?,
                prev_difficulty: r.get(13)?,
                prev_due: r.get(14)?,
                prev_last_review: r.get(15)?,
                prev_last_day: r.get(16)?,
                prev_reps: r.get(17)?,
                prev_lapses: r.get(18)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt =
        conn.prepare("SELECT course, day, active_ms FROM activity_days ORDER BY course, day")?;
    let days = stmt
        .query_map([], |r| {
            Ok(ActivityDayRow {
                course: r.get(0)?,
                day: r.get(1)?,
                active_ms: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((cards, log, days))
}

/// The review rows of an import follow the rules of [`super::transfer::Rules`]: times
/// and days from 1970 to 9999, no negative counts or durations, ratings 1–4.
pub(super) fn validate_review(
    cards: &[ReviewCardRow],
    log: &[ReviewLogRow],
    days: &[ActivityDayRow],
) -> Result<(), String> {
    use super::transfer::Rules;
    for (i, c) in cards.iter().enumerate() {
        let r = Rules {
            table: "review_cards",
            row: i,
        };
        for (field, v) in [
            ("course", &c.course),
            ("lesson", &c.lesson),
            ("question", &c.question),
        ] {
            r.name(field, v)?;
        }
        let c = &c.state;
        r.real("stability", c.stability)?;
        r.real("difficulty", c.difficulty)?;
        r.time("due", c.due)?;
        r.time("last_review", c.last_review)?;
        r.day("last_day", c.last_day)?;
        r.count("reps", c.reps)?;
        r.count("lapses", c.lapses)?;
    }
    for (i, l) in log.iter().enumerate() {
        let r = Rules {
            table: "review_log",
            row: i,
        };
        for (field, v) in [
            ("id", &l.id),
            ("course", &l.course),
            ("lesson", &l.lesson),
            ("question", &l.question),
        ] {
            r.name(field, v)?;
        }
        r.time("at", l.at)?;
        r.day("day", l.day)?;
        if Rating::from_number(l.rating).is_none() {
            return Err(format!(
                "review_log[{i}].rating is {}, not 1 to 4",
                l.rating
            ));
        }
        if !matches!(l.source.as_str(), "quiz" | "review" | "practice") {
            return Err(format!(
                "review_log[{i}].source is not `quiz`, `review` or `practice`"
            ));
        }
        r.duration("time_ms", l.time_ms)?;
        r.time_opt("due", l.due)?;
        r.real("prev_stability", l.prev_stability.unwrap_or_default())?;
        r.real("prev_difficulty", l.prev_difficulty.unwrap_or_default())?;
        r.time_opt("prev_due", l.prev_due)?;
        r.time_opt("prev_last_review", l.prev_last_review)?;
        r.day("prev_last_day", l.prev_last_day.unwrap_or_default())?;
        r.count("prev_reps", l.prev_reps.unwrap_or_default())?;
        r.count("prev_lapses", l.prev_lapses.unwrap_or_default())?;
    }
    for (i, d) in days.iter().enumerate() {
        let r = Rules {
            table: "activity_days",
            row: i,
        };
        r.name("course", &d.course)?;
        r.day("day", d.day)?;
        r.duration("active_ms", d.active_ms)?;
    }
    Ok(())
}

/// Merges the review tables of an export inside `tx`: a card is replaced only by one
/// rescheduled later, log rows with known ids are kept as they are (so importing twice
/// adds nothing), a day's active time is the larger of the two. Returns the log rows
/// added. Rows that break the schema's checks (a rating outside 1–4) are skipped.
pub(super) fn import_review(
    tx: &Transaction<'_>,
    cards: &[ReviewCardRow],
    log: &[ReviewLogRow],
    days: &[ActivityDayRow],
) -> Result<usize, StoreError> {
    for c in cards {
        tx.execute(
            "INSERT INTO review_cards (course, lesson, question, stability, difficulty, due,
                 last_review, last_day, reps, lapses, leech, suspended)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (course, lesson, question) DO UPDATE SET
                 stability = excluded.stability, difficulty = excluded.difficulty,
                 due = excluded.due, last_review = excluded.last_review,
                 last_day = excluded.last_day, reps = excluded.reps, lapses = excluded.lapses,
                 leech = excluded.leech, suspended = excluded.suspended
             WHERE excluded.last_review > review_cards.last_review",
            params![
                c.course,
                c.lesson,
                c.question,
                c.state.stability,
                c.state.difficulty,
                c.state.due,
                c.state.last_review,
                c.state.last_day,
                c.state.reps,
                c.state.lapses,
                c.leech,
                c.suspended
            ],
        )?;
    }
    let mut added = 0;
    for l in log {
        if !(1..=4).contains(&l.rating)
            || !["quiz", "review", "practice"].contains(&l.source.as_str())
        {
            continue;
        }
        added += tx.execute(
            &format!(
                "INSERT OR IGNORE INTO review_log ({LOG_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                     ?16, ?17, ?18, ?19)"
            ),
            params![
                l.id,
                l.course,
                l.lesson,
                l.question,
                l.at,
                l.day,
                l.rating,
                l.correct,
                l.source,
                l.rescheduled,
                l.time_ms,
                l.due,
                l.prev_stability,
                l.prev_difficulty,
                l.prev_due,
                l.prev_last_review,
                l.prev_last_day,
                l.prev_reps,
                l.prev_lapses
            ],
        )?;
    }
    for d in days {
        tx.execute(
            "INSERT INTO activity_days (course, day, active_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT (course, day) DO UPDATE SET
                 active_ms = max(active_ms, excluded.active_ms)",
            params![d.course, d.day, d.active_ms],
        )?;
    }
    Ok(added)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The export's review card rows, exactly as Lectern has always written them: the
    /// card's fields inline after the course, lesson and question (`CardState` is
    /// flattened into the row, which must not change a byte of the file).
    const CARD_ROW: &str = r#"{"course":"id:c","lesson":"l","question":"q","stability":2.5,"difficulty":5.25,"due":172800000,"last_review":86400000,"last_day":1,"reps":2,"lapses":0}"#;

    fn row() -> ReviewCardRow {
        ReviewCardRow {
            course: "id:c".to_owned(),
            lesson: "l".to_owned(),
            question: "q".to_owned(),
            state: CardState {
                stability: 2.5,
                difficulty: 5.25,
                due: 172_800_000,
                last_review: 86_400_000,
                last_day: 1,
                reps: 2,
                lapses: 0,
            },
            leech: false,
            suspended: false,
        }
    }

    #[test]
    fn leech_and_suspended_marks_export_only_when_set_and_read_back() {
        let marked = ReviewCardRow {
            leech: true,
            suspended: true,
            ..row()
        };
        let json = serde_json::to_string(&marked).unwrap();
        assert!(
            json.ends_with(r#""lapses":0,"leech":true,"suspended":true}"#),
            "{json}"
        );
        assert_eq!(
            serde_json::from_str::<ReviewCardRow>(&json).unwrap(),
            marked
        );
    }

    #[test]
    fn review_card_rows_export_the_same_json_bytes_as_before_the_card_was_flattened() {
        assert_eq!(serde_json::to_string(&row()).unwrap(), CARD_ROW);
        assert_eq!(
            serde_json::from_str::<ReviewCardRow>(CARD_ROW).unwrap(),
            row()
        );
        // A hand-edited file with whole numbers for the floats still imports.
        let whole = CARD_ROW.replace("2.5", "2").replace("5.25", "5");
        let read: ReviewCardRow = serde_json::from_str(&whole).unwrap();
        assert_eq!((read.state.stability, read.state.difficulty), (2.0, 5.0));
    }
}
