//! Which questions the course has now, per lesson: a card whose question is no longer
//! in the course is never due.
//!
//! Finding a lesson's question ids means parsing its Knowledge Check (rendering prompts
//! and options, since a question that renders empty is dropped), so the ids are kept in
//! a process-wide memo keyed by the lesson id and a hash of its text: a lesson is parsed
//! again only when its text changed. Only lessons that have cards are ever looked at.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::course::Course;
use crate::quiz;
use crate::text::Fnv1a;

type Memo = HashMap<String, (u64, Arc<Vec<String>>)>;

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The question ids of one course, looked up lazily, lesson by lesson.
pub(super) struct Catalog<'c> {
    course: &'c Course,
    lessons: HashMap<String, Option<Arc<Vec<String>>>>,
}

impl<'c> Catalog<'c> {
    pub(super) fn new(course: &'c Course) -> Self {
        Catalog {
            course,
            lessons: HashMap::new(),
        }
    }

    /// Whether `lesson` exists and its quiz has `question`.
    pub(super) fn has(&mut self, lesson: &str, question: &str) -> bool {
        if !self.lessons.contains_key(lesson) {
            let ids = self.course.lesson(lesson).map(question_ids);
            self.lessons.insert(lesson.to_owned(), ids);
        }
        self.lessons
            .get(lesson)
            .and_then(Option::as_ref)
            .is_some_and(|ids| ids.iter().any(|q| q == question))
    }
}

fn question_ids(lesson: &crate::lesson::Lesson) -> Arc<Vec<String>> {
    let hash = Fnv1a::default().write(lesson.text.as_bytes()).finish();
    // A poisoned memo only means another thread panicked mid-insert; the map itself
    // is still whole, so keep using it.
    let mut memo = memo()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((h, ids)) = memo.get(&lesson.id) {
        if *h == hash {
            return Arc::clone(ids);
        }
    }
    let ids: Arc<Vec<String>> = Arc::new(
        quiz::parse(lesson)
            .0
            .questions
            .into_iter()
            .map(|q| q.id)
            .collect(),
    );
    memo.insert(lesson.id.clone(), (hash, Arc::clone(&ids)));
    ids
}
