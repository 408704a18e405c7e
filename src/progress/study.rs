//! Study actions on a course that need the course beside the store, each one call from
//! a shell command: the reading position (whether reaching the end completes the
//! lesson depends on its Knowledge Check) and a course reset after a backup. Answers
//! are graded and recorded one layer up, in the `answer` module.

use super::{CourseKey, Millis, Position, Store, StoreError};
use crate::course::Course;
use crate::quiz;

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
