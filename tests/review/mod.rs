//! Spaced review: FSRS schedules checked against an independent implementation's
//! reference vectors, the rules (first answer per local day, edited questions, re-rating,
//! choose-all), the queue and forecast, the migration from a version-1 database, a
//! simulated year, and `lectern review due`.

mod cli;
mod fit;
mod leeches;
mod migration;
mod practice;
mod queue;
mod reference;
mod rules;
mod simulation;

use std::path::{Path, PathBuf};

use lectern::answer::{self, Answer, Answered, Origin};
use lectern::course::{Course, Loaded};
use lectern::progress::{CourseKey, Store};
use lectern::review::{self, Now};

/// One local day in milliseconds.
pub(crate) const DAY: i64 = 86_400_000;
/// 2026-03-02T00:00Z, a Monday: day numbers in tests count from here.
pub(crate) const EPOCH_DAY: i64 = 20_514;

/// `hour`:00 UTC on test day `day`, seen from `utc_offset_min`.
pub(crate) fn at(day: i64, hour: i64, utc_offset_min: i32) -> Now {
    Now {
        at: (EPOCH_DAY + day) * DAY + hour * 3_600_000,
        utc_offset_min,
    }
}

/// The review fixture course copied to a temp dir, with a database beside it.
pub(crate) struct Setup {
    pub(crate) _tmp: tempfile::TempDir,
    pub(crate) dir: PathBuf,
    pub(crate) db: PathBuf,
    pub(crate) loaded: Loaded,
    pub(crate) key: CourseKey,
    pub(crate) store: Store,
}

pub(crate) fn setup() -> Setup {
    let (tmp, dir) = crate::support::fixture("review/course");
    let db = tmp.path().join("progress.sqlite");
    let loaded = Course::load(&dir);
    let key = CourseKey::of(&loaded.course);
    let store = Store::open(&db).unwrap().store;
    Setup {
        _tmp: tmp,
        dir,
        db,
        loaded,
        key,
        store,
    }
}

impl Setup {
    /// Loads the course again (after editing a file).
    pub(crate) fn reload(&mut self) {
        self.loaded = Course::load(&self.dir);
    }

    /// The id of question `n` of `lesson` and its options (id, correct), authored order.
    pub(crate) fn question(&self, lesson: &str, n: usize) -> (String, Vec<(String, bool)>) {
        crate::progress::options(&self.loaded, lesson, n)
    }

    /// The right answer to question `n` of `lesson`, or a wrong one.
    pub(crate) fn choice(&self, lesson: &str, n: usize, right: bool) -> (String, Vec<String>) {
        let (id, options) = self.question(lesson, n);
        let chosen = if right {
            options
                .iter()
                .filter(|o| o.1)
                .map(|o| o.0.clone())
                .collect()
        } else {
            options
                .iter()
                .filter(|o| !o.1)
                .take(1)
                .map(|o| o.0.clone())
                .collect()
        };
        (id, chosen)
    }

    /// Answers question `n` of `lesson` in its quiz.
    pub(crate) fn quiz(&mut self, lesson: &str, n: usize, right: bool, now: Now) -> Answered {
        let (question, chosen) = self.choice(lesson, n, right);
        answer::submit(
            Some(&mut self.store),
            &self.key,
            &self.loaded.course,
            &Answer {
                note: None,
                lesson,
                question: &question,
                chosen: &chosen,
                time_ms: 2_000,
                now,
                origin: Origin::Quiz { attempt: 1 },
            },
        )
        .unwrap()
    }

    /// Answers question `n` of `lesson` in a review session.
    pub(crate) fn review(&mut self, lesson: &str, n: usize, right: bool, now: Now) -> Answered {
        let (question, chosen) = self.choice(lesson, n, right);
        self.review_with(lesson, &question, &chosen, now)
    }

    pub(crate) fn review_with(
        &mut self,
        lesson: &str,
        question: &str,
        chosen: &[String],
        now: Now,
    ) -> Answered {
        answer::submit(
            Some(&mut self.store),
            &self.key,
            &self.loaded.course,
            &Answer {
                note: None,
                lesson,
                question,
                chosen,
                time_ms: 3_000,
                now,
                origin: Origin::Review,
            },
        )
        .unwrap()
    }

    pub(crate) fn due_count(&self, now: Now) -> usize {
        review::due_count(&self.store, &self.key, &self.loaded.course, &now).unwrap()
    }
}

/// Rewrites `from` as `to` in the file at `path`.
pub(crate) fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}
