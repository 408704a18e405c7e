//! The study actions the app performs on a course, each one call from a shell command:
//! grade an answer and record it in the same step, so no answer the core graded goes
//! unrecorded and the UI never reports grades itself.

use serde::Serialize;

use super::{CourseKey, Millis, NewAnswer, NewReview, Position, Store, StoreError};
use crate::course::Course;
use crate::quiz::{self, Grade};
use crate::reader::ReaderError;
use crate::review::{self, Now, Scheduled, Source};

/// One answer as the learner gave it.
#[derive(Clone, Debug)]
pub struct AnswerInput<'a> {
    /// The lesson id.
    pub lesson: &'a str,
    /// The seed of the attempt's fresh start (retries keep it).
    pub attempt: u64,
    /// The question id.
    pub question: &'a str,
    /// The option ids chosen.
    pub chosen: &'a [String],
    /// Time taken to answer.
    pub time_ms: u64,
    /// When, with the learner's UTC offset (the local day decides whether the answer
    /// reschedules the question's review card).
    pub now: Now,
}

/// Why an answer was graded but not saved: shown to the learner, never fatal.
#[derive(Clone, Debug, Serialize)]
pub struct NotSaved {
    /// [`StoreError::code`].
    pub code: &'static str,
    /// What to tell the learner.
    pub message: String,
}

impl NotSaved {
    /// No database in this session (it could not be opened at start).
    pub fn unavailable() -> NotSaved {
        NotSaved {
            code: "progress-unavailable",
            message: "progress is not being saved in this session".to_owned(),
        }
    }
}

impl From<&StoreError> for NotSaved {
    fn from(e: &StoreError) -> Self {
        NotSaved {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// A graded answer, and what became of it in the progress database.
#[derive(Clone, Debug, Serialize)]
pub struct Graded {
    /// The grade (as `quiz::grade` gives it).
    #[serde(flatten)]
    pub grade: Grade,
    /// `None` when saved; why not otherwise (read-only database, disk full, busy).
    pub not_saved: Option<NotSaved>,
    /// Whether the lesson is now complete.
    pub lesson_complete: bool,
    /// What the answer did to the question's review card (`None` when not saved). Not
    /// named `review`: the flattened grade already has a `review` key (the heading to
    /// revisit), and a second one would silently replace it in the JSON the UI reads.
    pub scheduled: Option<Scheduled>,
}

/// Grades `input` against the lesson's quiz as it is now and records the answer, and
/// schedules the question's review card in the same transaction (see [`crate::review`]:
/// only the day's first answer reschedules). The grade is returned even when saving
/// fails (the learner keeps studying; the UI says the answer was not kept).
pub fn grade_and_record(
    store: Option<&mut Store>,
    key: &CourseKey,
    course: &Course,
    input: &AnswerInput<'_>,
) -> Result<Graded, ReaderError> {
    let lesson = course
        .lesson(input.lesson)
        .ok_or_else(|| ReaderError::LessonNotFound(input.lesson.to_owned()))?;
    let (parsed, _) = quiz::parse(lesson);
    let grade = quiz::grade(&parsed, input.question, input.chosen)?;
    let ids: Vec<String> = parsed.questions.iter().map(|q| q.id.clone()).collect();
    let position = ids.iter().position(|q| q == input.question).unwrap_or(0);
    let Some(store) = store else {
        return Ok(Graded {
            grade,
            not_saved: Some(NotSaved::unavailable()),
            lesson_complete: false,
            scheduled: None,
        });
    };
    let answer = NewAnswer {
        course: key,
        lesson: input.lesson,
        attempt: input.attempt,
        questions: ids.len(),
        question: input.question,
        position,
        chosen: input.chosen,
        correct: grade.correct,
        time_ms: input.time_ms,
        at: input.now.at,
    };
    let card = NewReview {
        course: key,
        lesson: input.lesson,
        question: input.question,
        correct: grade.correct,
        source: Source::Quiz,
        time_ms: input.time_ms,
        now: input.now,
        retention: review::retention(store).unwrap_or(review::DEFAULT_RETENTION),
    };
    let saved: Result<(bool, Scheduled), StoreError> = store
        .record_quiz_answer(&answer, &ids, &card)
        .and_then(|(_, s)| Ok((store.lesson_completed(key, input.lesson)?, s)));
    Ok(match saved {
        Ok((lesson_complete, scheduled)) => Graded {
            grade,
            not_saved: None,
            lesson_complete,
            scheduled: Some(scheduled),
        },
        Err(e) => Graded {
            grade,
            not_saved: Some(NotSaved::from(&e)),
            lesson_complete: false,
            scheduled: None,
        },
    })
}

/// Records the reading position of `lesson` as the window reports it. Whether the lesson
/// has a Knowledge Check (which decides if reaching the end completes it) is read from
/// the course here, so the window never has to say.
pub fn record_reading(
    store: &mut Store,
    key: &CourseKey,
    course: &Course,
    lesson: &str,
    position: &Position,
    now: Millis,
) -> Result<(), StoreError> {
    let has_quiz = course
        .lesson(lesson)
        .is_some_and(|l| !quiz::parse(l).0.questions.is_empty());
    let completed_by = if has_quiz {
        super::CompletedBy::Quiz
    } else {
        super::CompletedBy::Reading
    };
    store.record_position(key, lesson, position, completed_by, now)
}

/// Resets a whole course's progress after a backup of the database (kept with the last
/// `keep` backups beside it, in [`super::backups_dir`]); returns the backup's path.
/// Nothing is reset when the backup fails.
pub fn reset_course_after_backup(
    store: &mut Store,
    key: &CourseKey,
    keep: usize,
    now: Millis,
) -> Result<std::path::PathBuf, StoreError> {
    if store.is_read_only() {
        return Err(StoreError::ReadOnly(store.path().to_path_buf()));
    }
    let backup = store.backup(&super::backups_dir(store.path()), keep, now)?;
    store.reset_course(key)?;
    Ok(backup)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::course::Course;

    fn course(dir: &std::path::Path) -> Course {
        let quiz = "## Knowledge Check\n\n1. Which?\n   - Right\n   - Wrong\n";
        std::fs::write(
            dir.join("q.md"),
            format!("---\nid: q\ntitle: Q\n---\n# Q\n\n{quiz}"),
        )
        .unwrap();
        std::fs::write(dir.join("r.md"), "---\nid: r\ntitle: R\n---\n# R\n").unwrap();
        Course::load(dir).course
    }

    #[test]
    fn reading_to_the_end_completes_only_a_lesson_without_a_knowledge_check() {
        let tmp = tempfile::tempdir().unwrap();
        let course = course(tmp.path());
        let key = CourseKey::of(&course);
        let mut store = Store::open(&tmp.path().join("p.sqlite")).unwrap().store;
        let end = Position {
            anchor: String::new(),
            offset: 10.0,
            at_end: true,
        };
        for id in ["q", "r"] {
            record_reading(&mut store, &key, &course, id, &end, 1_000).unwrap();
        }
        assert!(!store.lesson_completed(&key, "q").unwrap());
        assert!(store.lesson_completed(&key, "r").unwrap());
    }

    #[test]
    fn a_course_reset_keeps_a_backup_that_still_holds_the_progress() {
        let tmp = tempfile::tempdir().unwrap();
        let course = course(tmp.path());
        let key = CourseKey::of(&course);
        let db = tmp.path().join("p.sqlite");
        let mut store = Store::open(&db).unwrap().store;
        store.mark_complete(&key, "r", true, 1_000).unwrap();
        let backup = reset_course_after_backup(&mut store, &key, 5, 2_000).unwrap();
        assert!(!store.lesson_completed(&key, "r").unwrap());
        assert!(backup.starts_with(crate::progress::backups_dir(&db)));
        let saved = Store::open_read_only(&backup).unwrap();
        assert!(saved.lesson_completed(&key, "r").unwrap());
    }
}
