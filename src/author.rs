//! Author mode: the window as an author uses it while writing a course. The mode is a
//! stored setting (remembered across runs); while it is on, the window may ask for a
//! lesson's quiz *with its answer key* ([`quiz`]: the same [`KeyedQuiz`] as
//! `lectern quiz --json`), the preview follows each save to the block that changed
//! (the window's part), and quiz answers are graded but never recorded or scheduled
//! ([`crate::answer::submit`] asks [`is_on`]), so trying one's own questions leaves no
//! trace in the learner's history.
//!
//! This is the one amendment to "the answer key never leaves the core toward the
//! window" (ARCHITECTURE.md): it does, through [`quiz`] only, and only while the mode
//! is on; off, [`quiz`] refuses with [`AuthorError::Off`].

use crate::course::Loaded;
use crate::progress::{Store, StoreError};
use crate::quiz::KeyedQuiz;

/// The setting that holds the mode: `on`, or anything else (absent) for off.
pub const MODE_SETTING: &str = "author-mode";

/// Why the author's view of a quiz is not given.
#[derive(Debug, thiserror::Error)]
pub enum AuthorError {
    /// Author mode is off: the key stays in the core.
    #[error("author mode is off: a quiz's answer key is shown only in author mode")]
    Off,
    /// No lesson with this id in the course.
    #[error("no lesson `{0}` in this course")]
    LessonNotFound(String),
    /// The mode could not be stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AuthorError {
    /// Stable kebab-case code for the UI's `{ code, message }`.
    pub fn code(&self) -> &'static str {
        match self {
            AuthorError::Off => "author-mode-off",
            AuthorError::LessonNotFound(_) => "lesson-not-found",
            AuthorError::Store(e) => e.code(),
        }
    }
}

/// Whether author mode is on. Without a database (or when the setting cannot be read)
/// it is off: the safe side, where answers are recorded and the key stays in the core.
pub fn is_on(store: Option<&Store>) -> bool {
    store
        .and_then(|s| s.setting(MODE_SETTING).ok().flatten())
        .is_some_and(|v| v == "on")
}

/// Turns author mode on or off (remembered in the progress database).
pub fn set(store: &mut Store, on: bool) -> Result<(), AuthorError> {
    Ok(store.set_setting(MODE_SETTING, if on { "on" } else { "off" })?)
}

/// Lesson `id`'s quiz with its answer key, what each blank accepts, each option's
/// feedback, the file and line of each question and its lints (after the load
/// diagnostics of the lesson's file), only while author mode is on.
pub fn quiz(store: Option<&Store>, loaded: &Loaded, id: &str) -> Result<KeyedQuiz, AuthorError> {
    if !is_on(store) {
        return Err(AuthorError::Off);
    }
    let lesson = loaded
        .course
        .lesson(id)
        .ok_or_else(|| AuthorError::LessonNotFound(id.to_owned()))?;
    let found = loaded
        .diagnostics
        .iter()
        .filter(|d| d.path == lesson.path)
        .cloned()
        .collect();
    Ok(crate::quiz::keyed(Some(lesson), found))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::Course;

    fn course() -> (tempfile::TempDir, Loaded) {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("a.md"),
            "---\nid: a\ntitle: A\n---\n# A\n\n## Knowledge Check\n\n1. Two and two?\n   - [x] four\n   - [ ] five\n",
        )
        .unwrap();
        let loaded = Course::load(tmp.path());
        (tmp, loaded)
    }

    #[test]
    fn the_key_is_refused_while_author_mode_is_off_and_given_when_on() {
        let (tmp, loaded) = course();
        let mut store = Store::open(&tmp.path().join("p.db")).unwrap().store;
        assert!(matches!(
            quiz(Some(&store), &loaded, "a"),
            Err(AuthorError::Off)
        ));
        assert!(matches!(quiz(None, &loaded, "a"), Err(AuthorError::Off)));
        set(&mut store, true).unwrap();
        assert!(is_on(Some(&store)));
        let keyed = quiz(Some(&store), &loaded, "a").unwrap();
        assert_eq!(keyed.questions.len(), 1);
        assert!(keyed.questions[0].options.iter().any(|o| o.correct));
        assert!(matches!(
            quiz(Some(&store), &loaded, "nope"),
            Err(AuthorError::LessonNotFound(_))
        ));
        set(&mut store, false).unwrap();
        assert!(!is_on(Some(&store)));
        assert!(matches!(
            quiz(Some(&store), &loaded, "a"),
            Err(AuthorError::Off)
        ));
    }
}
