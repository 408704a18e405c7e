//! The study dashboard: what the learner has done and what is coming, in one read.
//!
//! Front door: [`Store::dashboard`]. It gathers, for one course:
//! - per-section completion (the same figures as [`Store::course_progress`]);
//! - reviews due per local day for the next [`FORECAST_DAYS`] days (from
//!   [`super::forecast`]; today's count includes overdue cards);
//! - questions answered (quiz answers and reviews) and minutes studied (reading time and
//!   review-session answers) per local day for the last [`HISTORY_DAYS`] days, oldest
//!   first, ending today, rounded to the nearest minute;
//! - the current streak (consecutive local days with any study, ending today, or
//!   yesterday when nothing was done yet today) and the longest one;
//! - the questions most often missed (quiz answers and reviews), each with its prompt,
//!   its lesson and the heading whose section teaches it (the one a wrong answer links
//!   to, `quiz::Question::review`). Questions no longer in the course are left out: a
//!   prompt cannot be shown for them;
//! - the leeches (cards forgotten [`super::LEECH_LAPSES`] times or more), each with the
//!   section that teaches it, suspended or not.
//!
//! Days are local: the learner's UTC offset at `now` is applied to every timestamp (a
//! change of offset within the eight weeks, such as daylight saving time, moves a study
//! session at midnight by an hour: accepted for a chart).
//!
//! Bounded work: every query is restricted to one course through an index whose first
//! column is the course, the history to the last eight weeks; the missed questions are
//! grouped in SQL (one row per question), and only the lessons of the few shown are
//! parsed. Streaks read one row per study day from `activity_days`.

use std::collections::{BTreeSet, HashMap};

use rusqlite::params;
use serde::Serialize;

use super::{CourseKey, Store, StoreError};
use crate::course::Course;
use crate::day::{date_of_day as date_of, Now};
use crate::quiz::{self, HeadingLink};
use crate::render;
use crate::text::one_line;

/// How many days of history the dashboard shows (eight weeks).
pub const HISTORY_DAYS: i64 = 56;
/// How many days of due reviews the dashboard shows, today first.
pub const FORECAST_DAYS: u32 = 14;
/// How many most-missed questions the dashboard lists.
pub const MISSED_SHOWN: usize = 10;

/// Everything the dashboard draws.
#[derive(Clone, Debug, Serialize)]
pub struct Dashboard {
    /// Today's local date, `YYYY-MM-DD`.
    pub today: String,
    /// Every section of the course, in outline order.
    pub sections: Vec<SectionCompletion>,
    /// Reviews due per day, today first ([`FORECAST_DAYS`] entries).
    pub due: Vec<DueDay>,
    /// Study per day, oldest first, today last ([`HISTORY_DAYS`] entries).
    pub history: Vec<StudyDay>,
    /// Consecutive days of study.
    pub streak: Streak,
    /// The questions most often missed, most misses first (at most [`MISSED_SHOWN`]).
    pub missed: Vec<Missed>,
    /// The course's leeches, most lapses first (see [`super::LEECH_LAPSES`]).
    pub leeches: Vec<super::Leech>,
    /// Lapses that make a card a leech.
    pub leech_lapses: i64,
}

/// One section's completion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SectionCompletion {
    /// Section id (empty for lessons without one).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Completed lessons.
    pub completed: usize,
    /// Lessons.
    pub total: usize,
}

/// Reviews due on one local day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DueDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Cards due that day (today: also every overdue card).
    pub count: u32,
}

/// What was studied on one local day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StudyDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Questions answered: in quizzes and in reviews.
    pub answered: u32,
    /// Minutes of active study (rounded down).
    pub minutes: u32,
}

/// Streaks of consecutive local days with any study (an answer, a review, or active
/// reading time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Streak {
    /// Days in the streak that reaches today, or yesterday when nothing was done yet
    /// today (the streak is not lost before the day is over); 0 otherwise.
    pub current: u32,
    /// The longest streak ever.
    pub longest: u32,
    /// Whether something was studied today.
    pub today: bool,
}

/// A question often answered wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Missed {
    /// Its lesson's id.
    pub lesson: String,
    /// Its lesson's title.
    pub lesson_title: String,
    /// The question id.
    pub question: String,
    /// The prompt's Markdown on one line (show with `textContent`).
    pub prompt: String,
    /// The prompt as the quiz shows it: rendered and sanitized like the lesson body
    /// (formulas as MathML, emphasis, code), a blank as `___` (the answer never shows).
    /// The only markup of the dashboard; insert it as HTML, never the Markdown.
    pub prompt_html: String,
    /// Wrong answers, in quizzes and reviews.
    pub misses: u32,
    /// The heading whose section teaches it, if one matches.
    pub section: Option<HeadingLink>,
}

impl Store {
    /// The dashboard of `course` (identified by `key`) as of `now`.
    pub fn dashboard(
        &self,
        key: &CourseKey,
        course: &Course,
        now: &Now,
    ) -> Result<Dashboard, StoreError> {
        let today = now.day();
        let progress = self.course_progress(key, course, now)?;
        let sections = course
            .sections()
            .iter()
            .zip(progress.sections)
            .map(|(s, p)| SectionCompletion {
                id: s.id.clone(),
                title: s.title.clone(),
                completed: p.completed,
                total: p.total,
            })
            .collect();
        let due = super::forecast(self, key, course, now, FORECAST_DAYS)?
            .into_iter()
            .map(|d| DueDay {
                date: d.date,
                count: u32::try_from(d.due).unwrap_or(u32::MAX),
            })
            .collect();
        Ok(Dashboard {
            today: date_of(today),
            sections,
            due,
            history: self.study_history(key, now)?,
            streak: self.streak(key, now)?,
            missed: self.most_missed(key, course, MISSED_SHOWN)?,
            leeches: self.leeches(key, course)?,
            leech_lapses: super::LEECH_LAPSES,
        })
    }

    /// Questions answered and minutes studied per local day, the last
    /// [`HISTORY_DAYS`] days, oldest first: quiz answers (`answers`) and review and practice answers
    /// (`review_log`, whose quiz rows repeat `answers`).
    fn study_history(&self, key: &CourseKey, now: &Now) -> Result<Vec<StudyDay>, StoreError> {
        let today = now.day();
        let first = today - HISTORY_DAYS + 1;
        let offset_ms = i64::from(now.utc_offset_min) * 60_000;
        let mut answered = self.per_day(
            ANSWERS_PER_DAY,
            params![key.as_str(), now.start_of_day(first), offset_ms],
        )?;
        let reviewed = self.per_day(
            "SELECT day, count(*) FROM review_log
             WHERE course = ?1 AND day >= ?2 AND source IN ('review', 'practice') GROUP BY day",
            params![key.as_str(), first],
        )?;
        for (day, n) in reviewed {
            *answered.entry(day).or_default() += n;
        }
        let read_ms = self.per_day(
            "SELECT day, active_ms FROM activity_days WHERE course = ?1 AND day >= ?2",
            params![key.as_str(), first],
        )?;
        let review_ms = self.per_day(
            REVIEW_MS_PER_DAY,
            params![key.as_str(), first, REVIEW_ANSWER_CAP_MS],
        )?;
        let ms = |day: i64| {
            let of = |m: &HashMap<i64, u32>| u64::from(m.get(&day).copied().unwrap_or(0));
            of(&read_ms) + of(&review_ms)
        };
        Ok((first..=today)
            .map(|day| StudyDay {
                date: date_of(day),
                answered: answered.get(&day).copied().unwrap_or(0),
                minutes: u32::try_from((ms(day) + 30_000) / 60_000).unwrap_or(u32::MAX),
            })
            .collect())
    }

    /// A figure per local day: `sql` returns (day, figure) rows.
    fn per_day(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<HashMap<i64, u32>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(args, |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (day, n) = row?;
            out.insert(day, u32::try_from(n.max(0)).unwrap_or(u32::MAX));
        }
        Ok(out)
    }

    /// The current and longest streaks of study days: days with a quiz answer, a
    /// review, or active time.
    fn streak(&self, key: &CourseKey, now: &Now) -> Result<Streak, StoreError> {
        let today = now.day();
        let offset_ms = i64::from(now.utc_offset_min) * 60_000;
        let mut days: BTreeSet<i64> = BTreeSet::new();
        for (sql, with_offset) in [
            (ANSWER_DAYS, true),
            (
                "SELECT DISTINCT day FROM review_log WHERE course = ?1",
                false,
            ),
            (
                "SELECT day FROM activity_days WHERE course = ?1 AND active_ms > 0",
                false,
            ),
        ] {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = if with_offset {
                stmt.query_map(params![key.as_str(), offset_ms], |r| r.get::<_, i64>(0))?
                    .collect::<Result<Vec<_>, _>>()?
            } else {
                stmt.query_map(params![key.as_str()], |r| r.get::<_, i64>(0))?
                    .collect::<Result<Vec<_>, _>>()?
            };
            days.extend(rows.into_iter().filter(|&d| d <= today));
        }
        Ok(streak_of(&days, today))
    }

    /// The `limit` questions of `course` most often answered wrong, in quizzes and
    /// reviews (the learner's own cards among them); ties in course order.
    fn most_missed(
        &self,
        key: &CourseKey,
        course: &Course,
        limit: usize,
    ) -> Result<Vec<Missed>, StoreError> {
        let mut misses: HashMap<(String, String), u32> = HashMap::new();
        for sql in MISSES_PER_QUESTION {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map([key.as_str()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })?;
            for row in rows {
                let (lesson, question, n): (String, String, u32) = row?;
                *misses.entry((lesson, question)).or_default() += n;
            }
        }
        let mut ranked: Vec<((String, String), u32)> = misses
            .into_iter()
            .filter(|((lesson, _), _)| course.lesson(lesson).is_some())
            .collect();
        ranked.sort_by(|((la, qa), a), ((lb, qb), b)| {
            b.cmp(a)
                .then_with(|| course.index_of(la).cmp(&course.index_of(lb)))
                .then_with(|| qa.cmp(qb))
        });
        let mut quizzes: HashMap<String, quiz::Quiz> = HashMap::new();
        let mut out = Vec::new();
        for ((lesson_id, question), n) in ranked {
            if out.len() == limit {
                break;
            }
            let Some(lesson) = course.lesson(&lesson_id) else {
                continue;
            };
            let parsed = quizzes
                .entry(lesson_id.clone())
                .or_insert_with(|| quiz::parse(lesson).0);
            let Some(q) = self.question_shown(key, parsed, &question)? else {
                continue; // edited or removed since: no prompt to show
            };
            let shown = q.shown_prompt();
            out.push(Missed {
                lesson: lesson_id,
                lesson_title: lesson.title.clone(),
                question,
                prompt: one_line(&shown, 200),
                prompt_html: render::inline_html(&shown),
                misses: n,
                section: q.review.clone(),
            });
        }
        Ok(out)
    }
}

/// Quiz answers per local day since a time (`?3`: the UTC offset in ms).
const ANSWERS_PER_DAY: &str = "SELECT (answered_at + ?3) / 86400000, count(*) FROM answers
     WHERE course = ?1 AND answered_at >= ?2 GROUP BY 1";
/// Time spent answering in review sessions per local day (the review view is not a
/// lesson, so its time is not in `activity_days`): each answer counts for at most
/// [`REVIEW_ANSWER_CAP_MS`], so a card left on screen while away adds no hours.
const REVIEW_MS_PER_DAY: &str = "SELECT day, sum(min(time_ms, ?3)) FROM review_log
     WHERE course = ?1 AND day >= ?2 AND source = 'review' GROUP BY day";
/// The most one review answer adds to the time studied: five minutes.
pub const REVIEW_ANSWER_CAP_MS: i64 = 300_000;
/// The local days with a quiz answer (`?2`: the UTC offset in ms).
const ANSWER_DAYS: &str =
    "SELECT DISTINCT (answered_at + ?2) / 86400000 FROM answers WHERE course = ?1";

/// Wrong answers per question, in quizzes and reviews.
const MISSES_PER_QUESTION: &[&str] = &[
    "SELECT lesson, question, count(*) FROM answers
     WHERE course = ?1 AND NOT correct GROUP BY lesson, question",
    "SELECT lesson, question, count(*) FROM review_log
     WHERE course = ?1 AND NOT correct AND source = 'review' GROUP BY lesson, question",
];

/// The streaks in a set of study days, as of `today`.
fn streak_of(days: &BTreeSet<i64>, today: i64) -> Streak {
    let studied_today = days.contains(&today);
    let end = if studied_today { today } else { today - 1 };
    let mut current = 0u32;
    while days.contains(&(end - i64::from(current))) {
        current += 1;
    }
    let (mut longest, mut run, mut previous) = (0u32, 0u32, None);
    for &day in days {
        run = if previous == Some(day - 1) {
            run + 1
        } else {
            1
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    Streak {
        current,
        longest,
        today: studied_today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_reads_answers_and_the_review_log_through_indexes_only() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(&tmp.path().join("p.sqlite")).unwrap().store;
        let queries = [ANSWERS_PER_DAY, ANSWER_DAYS]
            .iter()
            .chain(MISSES_PER_QUESTION);
        for sql in queries {
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(nulls), |r| r.get(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for step in plan
                .iter()
                .filter(|d| d.contains("answers") || d.contains("review_log"))
            {
                assert!(
                    step.contains("COVERING INDEX"),
                    "{sql}\nreads the table's rows, not only an index: {plan:?}"
                );
            }
        }
    }

    fn days(list: &[i64]) -> BTreeSet<i64> {
        list.iter().copied().collect()
    }

    #[test]
    fn the_current_streak_reaches_today_or_yesterday() {
        let history = days(&[1, 2, 3, 5, 6, 7, 8, 9, 12, 13]);
        assert_eq!(
            streak_of(&history, 13),
            Streak {
                current: 2,
                longest: 5,
                today: true
            }
        );
        // Nothing yet today: yesterday's streak still counts.
        assert_eq!(streak_of(&history, 14).current, 2);
        assert!(!streak_of(&history, 14).today);
        // A whole day without study breaks it.
        assert_eq!(streak_of(&history, 15).current, 0);
        assert_eq!(streak_of(&history, 15).longest, 5);
    }

    #[test]
    fn no_study_means_no_streak() {
        assert_eq!(
            streak_of(&BTreeSet::new(), 100),
            Streak {
                current: 0,
                longest: 0,
                today: false
            }
        );
    }
}
