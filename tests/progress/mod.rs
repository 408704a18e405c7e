//! The progress store: what is kept, how a course is identified, and every fault it must
//! survive (a kill at any moment, corrupt files, a newer version, a read-only file, a
//! second writer), plus export, import, backup and restore.

mod dashboard;
mod faults;
mod store;
mod transfer;

use std::path::{Path, PathBuf};

use lectern::answer::{self, Answer, Answered, Origin};
use lectern::course::{Course, Loaded};
use lectern::progress::{CourseKey, Store};

/// A copy of the progress fixture course and a fresh database path beside it.
pub(crate) struct Bench {
    pub(crate) _tmp: tempfile::TempDir,
    pub(crate) dir: PathBuf,
    pub(crate) db: PathBuf,
}

pub(crate) fn bench() -> Bench {
    let (tmp, dir) = crate::support::fixture("progress/course");
    let db = tmp.path().join("data").join("progress.sqlite");
    Bench { _tmp: tmp, dir, db }
}

pub(crate) fn load(dir: &Path) -> (Loaded, CourseKey) {
    let loaded = Course::load(dir);
    let key = CourseKey::of(&loaded.course);
    (loaded, key)
}

/// The option ids of a question, authored order, with which are correct.
pub(crate) fn options(loaded: &Loaded, lesson: &str, n: usize) -> (String, Vec<(String, bool)>) {
    let (quiz, _) = lectern::quiz::parse(loaded.course.lesson(lesson).unwrap());
    let q = &quiz.questions[n];
    (
        q.id.clone(),
        q.options
            .iter()
            .map(|o| (o.id.clone(), o.correct))
            .collect(),
    )
}

/// Answers question `n` of `lesson` right or wrong in attempt `attempt` at `now`.
pub(crate) fn answer(
    store: &mut Store,
    (loaded, key): (&Loaded, &CourseKey),
    lesson: &str,
    n: usize,
    right: bool,
    (attempt, now): (u64, i64),
) -> Answered {
    let (question, opts) = options(loaded, lesson, n);
    let chosen: Vec<String> = opts
        .iter()
        .filter(|(_, c)| *c == right)
        .take(1)
        .map(|(id, _)| id.clone())
        .collect();
    answer::submit(
        Some(store),
        key,
        &loaded.course,
        &Answer {
            lesson,
            question: &question,
            chosen: &chosen,
            time_ms: 1500,
            now: lectern::review::Now::utc(now),
            origin: Origin::Quiz { attempt },
        },
    )
    .unwrap()
}
