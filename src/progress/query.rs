//! Reads: what the outline, the course page and a lesson show of the learner's progress.
//! Each is a few indexed queries over one course's rows, then one pass over its lessons.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::record::Position;
use super::{CourseKey, Millis, Store, StoreError};
use crate::course::Course;
use crate::day::Now;

/// Where a lesson stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LessonState {
    /// Never opened, nothing answered.
    NotStarted,
    /// Opened or answered, not complete.
    InProgress,
    /// Every Knowledge Check question answered right at least once, read to the end
    /// (no Knowledge Check), or marked complete.
    Completed,
}

/// A quiz score: questions right at the first try over all questions of the attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ScoreFigure {
    /// Right at the first try.
    pub right: u32,
    /// Questions in the attempt.
    pub total: u32,
}

/// One lesson's progress, for the outline.
#[derive(Clone, Debug, Serialize)]
pub struct LessonProgress {
    /// Lesson id.
    pub id: String,
    /// Not started, in progress or completed.
    pub state: LessonState,
    /// Whether the learner marked it complete by hand.
    pub marked: bool,
    /// The best score of an attempt whose every question was answered: a score while
    /// questions are still unanswered is not one (the outline would show "0/6" after
    /// the first wrong answer, as if it were final).
    pub best: Option<ScoreFigure>,
    /// The latest attempt's score.
    pub last: Option<ScoreFigure>,
    /// Active reading time in milliseconds.
    pub active_ms: i64,
}

/// A section's completion.
#[derive(Clone, Debug, Serialize)]
pub struct SectionProgress {
    /// Section id (empty for lessons without one).
    pub id: String,
    /// Completed lessons.
    pub completed: usize,
    /// Lessons.
    pub total: usize,
}

/// Where Continue takes the learner.
#[derive(Clone, Debug, Serialize)]
pub struct Resume {
    /// The lesson last opened.
    pub lesson: String,
    /// Where it was scrolled to.
    pub position: Position,
}

/// A course's progress, in course order: what the outline and course page draw.
#[derive(Clone, Debug, Serialize)]
pub struct CourseProgress {
    /// The course.
    pub course: CourseKey,
    /// Every lesson of the course, in course order.
    pub lessons: Vec<LessonProgress>,
    /// Every section, in outline order.
    pub sections: Vec<SectionProgress>,
    /// Completed lessons in the course.
    pub completed: usize,
    /// Lessons in the course.
    pub total: usize,
    /// Where Continue goes, if the learner has opened a lesson that still exists.
    pub resume: Option<Resume>,
    /// Review cards of the course's current questions due at the `now` given
    /// ([`super::due_count`]); the window shows the count a session would hold within
    /// the learner's daily limits instead, which the review layer puts here.
    pub review_due: usize,
}

impl CourseProgress {
    /// The progress of a course nothing has been recorded for.
    pub fn empty(key: &CourseKey, course: &Course) -> CourseProgress {
        let lessons: Vec<LessonProgress> = course
            .lessons()
            .iter()
            .map(|l| LessonProgress {
                id: l.id.clone(),
                state: LessonState::NotStarted,
                marked: false,
                best: None,
                last: None,
                active_ms: 0,
            })
            .collect();
        CourseProgress {
            course: key.clone(),
            total: lessons.len(),
            lessons,
            sections: course
                .sections()
                .iter()
                .map(|s| SectionProgress {
                    id: s.id.clone(),
                    completed: 0,
                    total: s.lessons.len(),
                })
                .collect(),
            completed: 0,
            resume: None,
            review_due: 0,
        }
    }
}

/// A course opened before, for the course page's list.
#[derive(Clone, Debug, Serialize)]
pub struct RecentCourse {
    /// Its identity.
    pub key: CourseKey,
    /// Its title when last opened.
    pub title: String,
    /// The folder it was last opened from.
    pub root: PathBuf,
    /// When.
    pub last_opened: Millis,
}

/// What the learner did with one lesson's questions, for its quiz view.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LessonHistory {
    /// Ids of the questions answered right at least once.
    pub right_once: Vec<String>,
    /// Positions (0-based) where the question now there has another id than the one
    /// last answered there: "updated since you answered".
    pub updated: Vec<usize>,
}

/// The per-lesson rows of one course: (active ms, completed, marked, opened).
type LessonRow = (i64, bool, bool);

impl Store {
    /// The progress of every lesson of `course` (identified by `key`), with the review
    /// cards due at `now`.
    pub fn course_progress(
        &self,
        key: &CourseKey,
        course: &Course,
        now: &Now,
    ) -> Result<CourseProgress, StoreError> {
        self.course_progress_counted(key, course, || super::due_count(self, key, course, now))
    }

    /// [`Store::course_progress`] with `review_due` from `count`, asked once: the review
    /// layer counts within the daily limits, and the store's own count is then not made
    /// for nothing.
    pub fn course_progress_counted(
        &self,
        key: &CourseKey,
        course: &Course,
        count: impl FnOnce() -> Result<usize, StoreError>,
    ) -> Result<CourseProgress, StoreError> {
        let rows = self.lesson_rows(key)?;
        let scores = self.scores(key)?;
        let mut lessons = Vec::with_capacity(course.lessons().len());
        for l in course.lessons() {
            let row = rows.get(l.id.as_str());
            let (best, last) = scores.get(l.id.as_str()).copied().unzip();
            let best = best.flatten();
            let state = match row {
                Some((_, true, _)) => LessonState::Completed,
                Some(_) => LessonState::InProgress,
                None if last.is_some() => LessonState::InProgress,
                None => LessonState::NotStarted,
            };
            lessons.push(LessonProgress {
                id: l.id.clone(),
                state,
                marked: row.is_some_and(|r| r.2),
                best,
                last,
                active_ms: row.map_or(0, |r| r.0),
            });
        }
        let sections = course
            .sections()
            .iter()
            .map(|s| SectionProgress {
                id: s.id.clone(),
                completed: s
                    .lessons
                    .iter()
                    .filter(|&&i| lessons[i].state == LessonState::Completed)
                    .count(),
                total: s.lessons.len(),
            })
            .collect();
        let completed = lessons
            .iter()
            .filter(|l| l.state == LessonState::Completed)
            .count();
        Ok(CourseProgress {
            course: key.clone(),
            total: lessons.len(),
            lessons,
            sections,
            completed,
            resume: self.resume(key, course)?,
            review_due: count()?,
        })
    }

    fn lesson_rows(&self, key: &CourseKey) -> Result<HashMap<String, LessonRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT lesson, active_ms, completed_at IS NOT NULL, marked_complete
             FROM lessons WHERE course = ?1",
        )?;
        let rows = stmt.query_map([key.as_str()], |r| {
            Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// (best of the finished attempts, last) score per lesson. An attempt is finished
    /// once each of its questions has an answer (a retry's answers belong to it).
    fn scores(
        &self,
        key: &CourseKey,
    ) -> Result<HashMap<String, (Option<ScoreFigure>, ScoreFigure)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT lesson, questions, right_first,
                    (SELECT COUNT(DISTINCT question) FROM answers WHERE answers.attempt = attempts.id)
             FROM attempts WHERE course = ?1
             ORDER BY started_at, id",
        )?;
        let mut out: HashMap<String, (Option<ScoreFigure>, ScoreFigure)> = HashMap::new();
        let rows = stmt.query_map([key.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, u32>(3)?,
            ))
        })?;
        for row in rows {
            let (lesson, total, right, answered) = row?;
            let score = ScoreFigure { right, total };
            let finished = (answered >= total).then_some(score);
            let entry = out.entry(lesson).or_insert((None, score));
            if finished.is_some_and(|f| entry.0.is_none_or(|b| ratio(f) > ratio(b))) {
                entry.0 = finished;
            }
            entry.1 = score;
        }
        Ok(out)
    }

    /// Where Continue goes: the last lesson opened, if the course still has it.
    pub fn resume(&self, key: &CourseKey, course: &Course) -> Result<Option<Resume>, StoreError> {
        let last: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT last_lesson FROM courses WHERE key = ?1",
                [key.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(lesson) = last.flatten().filter(|l| course.lesson(l).is_some()) else {
            return Ok(None);
        };
        let position = self
            .conn
            .query_row(
                "SELECT coalesce(position_anchor, ''), coalesce(position_offset, 0), read_to_end
                 FROM lessons WHERE course = ?1 AND lesson = ?2",
                params![key.as_str(), lesson],
                |r| {
                    Ok(Position {
                        anchor: r.get(0)?,
                        offset: r.get(1)?,
                        at_end: r.get(2)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_default();
        Ok(Some(Resume { lesson, position }))
    }

    /// Whether a lesson is complete.
    pub fn lesson_completed(&self, key: &CourseKey, lesson: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT completed_at IS NOT NULL FROM lessons WHERE course = ?1 AND lesson = ?2",
                params![key.as_str(), lesson],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false))
    }

    /// The courses opened, most recent first.
    pub fn recent_courses(&self, limit: usize) -> Result<Vec<RecentCourse>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, title, root, last_opened FROM courses ORDER BY last_opened DESC, key LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(RecentCourse {
                key: CourseKey::from_stored(&r.get::<_, String>(0)?),
                title: r.get(1)?,
                root: PathBuf::from(r.get::<_, String>(2)?),
                last_opened: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The learner's history with a lesson's questions, given the ids of its quiz now
    /// (in order).
    pub fn lesson_history(
        &self,
        key: &CourseKey,
        lesson: &str,
        current: &[String],
    ) -> Result<LessonHistory, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT question, position, correct FROM answers
             WHERE course = ?1 AND lesson = ?2 ORDER BY answered_at, id",
        )?;
        let rows = stmt.query_map(params![key.as_str(), lesson], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        let mut last_at: HashMap<usize, String> = HashMap::new();
        let mut right: HashSet<String> = HashSet::new();
        for row in rows {
            let (question, position, correct) = row?;
            if correct {
                right.insert(question.clone());
            }
            last_at.insert(usize::try_from(position).unwrap_or(usize::MAX), question);
        }
        let mut updated: Vec<usize> = current
            .iter()
            .enumerate()
            .filter(|(i, id)| last_at.get(i).is_some_and(|q| q != *id))
            .map(|(i, _)| i)
            .collect();
        updated.sort_unstable();
        Ok(LessonHistory {
            right_once: current
                .iter()
                .filter(|q| right.contains(*q))
                .cloned()
                .collect(),
            updated,
        })
    }
}

fn ratio(s: ScoreFigure) -> f64 {
    if s.total == 0 {
        0.0
    } else {
        f64::from(s.right) / f64::from(s.total)
    }
}
