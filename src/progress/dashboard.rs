//! The study dashboard: what the learner has done and what is coming, in one read.
//!
//! Front door: [`Store::dashboard`]. It gathers, for one course:
//! - per-section completion (the same figures as [`Store::course_progress`]);
//! - reviews due per local day for the next [`FORECAST_DAYS`] days (from
//!   `review::forecast`; today's count includes overdue cards);
//! - questions answered (quiz answers and reviews) and minutes studied per local day for
//!   the last [`HISTORY_DAYS`] days, oldest first, ending today;
//! - the current streak (consecutive local days with any study, ending today, or
//!   yesterday when nothing was done yet today) and the longest one;
//! - the questions most often missed (quiz answers and reviews), each with its prompt,
//!   its lesson and the heading whose section teaches it (the one a wrong answer links
//!   to, `quiz::Question::review`). Questions no longer in the course are left out: a
//!   prompt cannot be shown for them.
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
use crate::quiz::{self, HeadingLink};
use crate::review::{self, date_of_day as date_of, Now};
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
        let due = review::forecast(self, key, course, now, FORECAST_DAYS)?
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
        })
    }

    /// Questions answered and minutes studied per local day, the last
    /// [`HISTORY_DAYS`] days, oldest first: quiz answers (`answers`) and review answers
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
             WHERE course = ?1 AND day >= ?2 AND source = 'review' GROUP BY day",
            params![key.as_str(), first],
        )?;
        for (day, n) in reviewed {
            *answered.entry(day).or_default() += n;
        }
        let minutes = self.per_day(
            "SELECT day, active_ms / 60000 FROM activity_days WHERE course = ?1 AND day >= ?2",
            params![key.as_str(), first],
        )?;
        Ok((first..=today)
            .map(|day| StudyDay {
                date: date_of(day),
                answered: answered.get(&day).copied().unwrap_or(0),
                minutes: minutes.get(&day).copied().unwrap_or(0),
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
    /// reviews; ties in course order.
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
            let Some(q) = parsed.question(&question) else {
                continue; // edited or removed since: no prompt to show
            };
            out.push(Missed {
                lesson: lesson_id,
                lesson_title: lesson.title.clone(),
                question,
                prompt: one_line(&q.prompt_md, 200),
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

    use crate::course::Course;
    use crate::progress::{grade_and_record, AnswerInput, Millis};

    const DAY_MS: i64 = 86_400_000;

    /// Tuesday 3 March 2026, 10:00 in UTC+1 (09:00 UTC).
    const TODAY: i64 = 20_515;
    const OFFSET: i32 = 60;

    fn at(day: i64, hour: i64) -> Millis {
        day * DAY_MS + hour * 3_600_000 - i64::from(OFFSET) * 60_000
    }

    fn now() -> Now {
        Now {
            at: at(TODAY, 10),
            utc_offset_min: OFFSET,
        }
    }

    const TIDES: &str = "---\nid: tides\ntitle: Tides\nsection: sea\n---\n# Tides\n\n\
        ## The Moon's pull\n\nThe Moon's gravity pulls the ocean into a bulge.\n\n\
        ## Spring tides\n\nSun and Moon in line at new and full moon make spring tides.\n\n\
        ## Knowledge Check\n\n\
        1. What pulls the ocean into a bulge?\n   - The Moon's gravity\n   - The wind\n\n\
        2. When are spring tides?\n   - At new and full moon\n   - In spring\n";

    fn course(dir: &std::path::Path) -> Course {
        std::fs::write(
            dir.join("course.yaml"),
            "id: dash\ntitle: Dash\nsections:\n  - id: sea\n    title: The Sea\n  - id: sky\n    title: The Sky\n",
        )
        .unwrap();
        std::fs::write(dir.join("tides.md"), TIDES).unwrap();
        std::fs::write(
            dir.join("moon.md"),
            "---\nid: moon\ntitle: Moon\nsection: sky\n---\n# Moon\n\nHalf of it is lit.\n",
        )
        .unwrap();
        Course::load(dir).course
    }

    /// Answers question `q` of the tides quiz at `when`, right or wrong.
    fn answer(store: &mut Store, course: &Course, q: usize, right: bool, when: Millis) {
        let key = CourseKey::of(course);
        let (quiz, _) = quiz::parse(course.lesson("tides").unwrap());
        let question = &quiz.questions[q];
        let pick = question
            .options
            .iter()
            .find(|o| o.correct == right)
            .unwrap();
        let input = AnswerInput {
            lesson: "tides",
            attempt: u64::try_from(when).unwrap(),
            question: &question.id,
            chosen: std::slice::from_ref(&pick.id),
            time_ms: 5_000,
            now: Now {
                at: when,
                utc_offset_min: OFFSET,
            },
        };
        let graded = grade_and_record(Some(store), &key, course, &input).unwrap();
        assert!(graded.not_saved.is_none());
    }

    /// A seeded history: study on days -9..=-7 and -2..=-1 (none today); the Moon
    /// question missed three times, the spring tides one once; 40 days ago, once more.
    fn seeded() -> (tempfile::TempDir, Course, Store) {
        let tmp = tempfile::tempdir().unwrap();
        let course = course(tmp.path());
        let mut store = Store::open(&tmp.path().join("p.sqlite")).unwrap().store;
        for d in [-9, -8, -7, -2, -1] {
            answer(
                &mut store,
                &course,
                0,
                d != -9 && d != -1,
                at(TODAY + d, 20),
            );
            answer(&mut store, &course, 1, true, at(TODAY + d, 21));
        }
        answer(&mut store, &course, 0, false, at(TODAY - 8, 22));
        answer(&mut store, &course, 1, false, at(TODAY - 1, 23));
        answer(&mut store, &course, 0, true, at(TODAY - 70, 12));
        (tmp, course, store)
    }

    #[test]
    fn the_history_counts_answers_per_local_day_for_eight_weeks() {
        let (_tmp, course, store) = seeded();
        let d = store
            .dashboard(&CourseKey::of(&course), &course, &now())
            .unwrap();
        assert_eq!(d.today, "2026-03-03");
        assert_eq!(d.history.len(), 56);
        assert_eq!(d.history[55].date, "2026-03-03");
        assert_eq!(d.history[0].date, date_of(TODAY - 55));
        let answered: Vec<u32> = d.history[55 - 9..].iter().map(|s| s.answered).collect();
        // Days -9..=0: 2, 3, 2, 0, 0, 0, 0, 2, 3 (23:00 local on day -1 is still day -1), 0.
        assert_eq!(answered, [2, 3, 2, 0, 0, 0, 0, 2, 3, 0]);
        // 70 days ago is outside the eight weeks.
        assert_eq!(d.history.iter().map(|s| s.answered).sum::<u32>(), 12);
    }

    #[test]
    fn the_streak_keeps_yesterdays_run_and_remembers_the_longest() {
        let (_tmp, course, store) = seeded();
        let d = store
            .dashboard(&CourseKey::of(&course), &course, &now())
            .unwrap();
        assert_eq!(
            d.streak,
            Streak {
                current: 2,
                longest: 3,
                today: false
            }
        );
    }

    #[test]
    fn the_most_missed_questions_come_first_with_the_section_that_teaches_them() {
        let (_tmp, course, store) = seeded();
        let d = store
            .dashboard(&CourseKey::of(&course), &course, &now())
            .unwrap();
        let missed: Vec<(&str, u32, Option<&str>)> = d
            .missed
            .iter()
            .map(|m| {
                (
                    m.prompt.as_str(),
                    m.misses,
                    m.section.as_ref().map(|s| s.id.as_str()),
                )
            })
            .collect();
        assert_eq!(
            missed,
            [
                (
                    "What pulls the ocean into a bulge?",
                    3,
                    Some("the-moon-s-pull")
                ),
                ("When are spring tides?", 1, Some("spring-tides")),
            ]
        );
        assert_eq!(d.missed[0].lesson_title, "Tides");
    }

    #[test]
    fn sections_show_their_completion_in_outline_order() {
        let (_tmp, course, store) = seeded();
        let d = store
            .dashboard(&CourseKey::of(&course), &course, &now())
            .unwrap();
        let sections: Vec<(&str, usize, usize)> = d
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.completed, s.total))
            .collect();
        // Both tides questions were answered right at least once: the lesson is done.
        assert_eq!(sections, [("The Sea", 1, 1), ("The Sky", 0, 1)]);
    }

    #[test]
    fn a_question_edited_since_it_was_missed_is_left_out() {
        let (tmp, _, store) = seeded();
        std::fs::write(
            tmp.path().join("tides.md"),
            TIDES.replace("What pulls the ocean", "What lifts the ocean"),
        )
        .unwrap();
        let course = Course::load(tmp.path()).course;
        let d = store
            .dashboard(&CourseKey::of(&course), &course, &now())
            .unwrap();
        let prompts: Vec<&str> = d.missed.iter().map(|m| m.prompt.as_str()).collect();
        assert_eq!(prompts, ["When are spring tides?"]);
    }

    fn local(day: i64, hour: i64) -> Now {
        Now {
            at: at(day, hour),
            utc_offset_min: OFFSET,
        }
    }

    #[test]
    fn reviews_count_once_in_the_history_and_the_misses_and_cards_show_in_the_forecast() {
        let (_tmp, course, mut store) = seeded();
        let key = CourseKey::of(&course);
        let before = store.dashboard(&key, &course, &now()).unwrap();
        // The quiz scheduled cards: the Moon question, missed yesterday, is due today;
        // the spring tides one, right on five days, not within two weeks.
        let due = |d: &Dashboard| d.due.iter().map(|d| d.count).collect::<Vec<u32>>();
        assert_eq!(before.due.len(), 14);
        assert_eq!(before.due[0].date, "2026-03-03");
        assert_eq!(due(&before), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        // A wrong review today, fifteen minutes of reading today.
        let (quiz, _) = quiz::parse(course.lesson("tides").unwrap());
        let q = &quiz.questions[1];
        let wrong = q.options.iter().find(|o| !o.correct).unwrap().id.clone();
        let answer = review::ReviewAnswer {
            lesson: "tides",
            question: &q.id,
            chosen: &[wrong],
            time_ms: 4_000,
            now: local(TODAY, 9),
        };
        let graded = review::grade(Some(&mut store), &key, &course, &answer).unwrap();
        assert!(!graded.grade.correct && graded.not_saved.is_none());
        store
            .record_active_time(&key, "tides", 600_000, &local(TODAY, 9))
            .unwrap();
        store
            .record_active_time(&key, "tides", 300_000, &local(TODAY, 10))
            .unwrap();
        let after = store.dashboard(&key, &course, &now()).unwrap();
        // Missed in review today: due again within days (FSRS's interval after a
        // lapse), not today.
        assert_eq!(due(&after)[0], 1);
        assert_eq!(due(&after).iter().sum::<u32>(), 2, "{:?}", due(&after));
        assert_eq!(
            after.history[55],
            StudyDay {
                date: "2026-03-03".to_owned(),
                answered: 1,
                minutes: 15
            }
        );
        // The quiz answers logged for scheduling are not counted twice.
        let total = |d: &Dashboard| d.history.iter().map(|s| s.answered).sum::<u32>();
        assert_eq!(total(&after), total(&before) + 1);
        assert_eq!(after.missed[1].misses, before.missed[1].misses + 1);
        assert_eq!(
            after.streak,
            Streak {
                current: 3,
                longest: 3,
                today: true
            }
        );
    }
}
