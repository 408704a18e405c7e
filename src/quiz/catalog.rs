//! Which questions the course has now, per lesson ([`Catalog`]): the review queue and
//! the store's due counts use it, so a card whose question is no longer in the course
//! is never due.
//!
//! Finding a lesson's questions means parsing its Knowledge Check (rendering prompts
//! and options, since a question that renders empty is dropped), so parsed quizzes are
//! kept in a process-wide memo keyed by the lesson id, together with the text they were
//! parsed from: a lesson is parsed again only when its text changed (a text comparison
//! is a memcmp, far cheaper than a parse or a hash). Only lessons that have cards are
//! ever looked at, and the review queue's build reuses the parsed quizzes for the
//! cards it shows.
//!
//! The learner's own cards ("Make a card", the notes issue) belong to no lesson's quiz:
//! the caller names them ([`Catalog::adopt`]) and they are current whatever the
//! lesson's text (the card keeps the text it was made from).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use super::Quiz;
use crate::course::Course;
use crate::lesson::Lesson;

type Memo = HashMap<String, (Arc<str>, Arc<Quiz>)>;

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The quizzes of one course, looked up lazily, lesson by lesson.
pub struct Catalog<'c> {
    course: &'c Course,
    lessons: HashMap<String, Option<Arc<Quiz>>>,
    own: HashSet<String>,
}

impl<'c> Catalog<'c> {
    /// The catalog of `course`: nothing parsed until a lesson is asked for.
    pub fn new(course: &'c Course) -> Self {
        Catalog {
            course,
            lessons: HashMap::new(),
            own: HashSet::new(),
        }
    }

    /// Counts the learner's own cards `ids` as current questions (see the module docs).
    pub fn adopt(&mut self, ids: HashSet<String>) {
        self.own.extend(ids);
    }

    /// Whether `question` is one of the learner's own cards.
    pub fn is_own(&self, question: &str) -> bool {
        self.own.contains(question)
    }

    /// The lesson's quiz as it is now (`None`: no such lesson).
    pub fn quiz(&mut self, lesson: &str) -> Option<Arc<Quiz>> {
        if let Some(found) = self.lessons.get(lesson) {
            return found.clone();
        }
        let found = self.course.lesson(lesson).map(parsed);
        self.lessons.insert(lesson.to_owned(), found.clone());
        found
    }

    /// Whether `question` is one of the learner's own cards, or `lesson` exists and its
    /// quiz has `question`.
    pub fn has(&mut self, lesson: &str, question: &str) -> bool {
        self.own.contains(question)
            || self
                .quiz(lesson)
                .is_some_and(|q| q.questions.iter().any(|q| q.id == question))
    }
}

fn parsed(lesson: &Lesson) -> Arc<Quiz> {
    // A poisoned memo only means another thread panicked mid-insert; the map itself
    // is still whole, so keep using it.
    let mut memo = memo()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((text, quiz)) = memo.get(&lesson.id) {
        if **text == *lesson.text {
            return Arc::clone(quiz);
        }
    }
    let quiz = Arc::new(super::parse(lesson).0);
    memo.insert(
        lesson.id.clone(),
        (Arc::from(lesson.text.as_str()), Arc::clone(&quiz)),
    );
    quiz
}
