//! The review queue: the session of cards due now ([`session`]), the figures and the
//! due list of the CLI. Cards of questions no longer in the course are skipped (the
//! counts, `due_count` and `forecast`, are the store's reads).

use serde::Serialize;

use super::{date_of_day, due_count, forecast, Now, SESSION_LIMIT};
use crate::course::Course;
use crate::progress::{current_due, CourseKey, Millis, Store, StoreError};
use crate::quiz::{self, Catalog, QuestionView};

/// One due card as the review session shows it: no answer key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewCard {
    /// The lesson id (what the answer pipeline is given back, and the link to the lesson).
    pub lesson: String,
    /// The lesson's title.
    pub lesson_title: String,
    /// The lesson's section slug, if it has one.
    pub section: Option<String>,
    /// The question, its options freshly shuffled (same shape as a quiz attempt's).
    pub question: QuestionView,
    /// When it became due (Unix ms).
    pub due: Millis,
}

/// The cards due now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewSession {
    /// Due cards, most overdue first, at most [`SESSION_LIMIT`].
    pub cards: Vec<ReviewCard>,
    /// How many are due in all (may exceed `cards.len()`).
    pub due_total: usize,
    /// When the next card not yet due becomes due: what an empty queue says.
    pub next_due: Option<Millis>,
    /// The seed the options were shuffled with.
    pub seed: u64,
}

impl ReviewSession {
    /// A session with nothing due (no progress database in this session).
    pub fn empty(seed: u64) -> ReviewSession {
        ReviewSession {
            cards: Vec::new(),
            due_total: 0,
            next_due: None,
            seed,
        }
    }
}

/// The review session: the cards due at `now`, most overdue first, at most
/// [`SESSION_LIMIT`], each question's options shuffled from `seed` (uniformly, as in
/// quizzes); `due_total` counts them all and `next_due` says when the next one comes.
pub fn session(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    now: &Now,
    seed: u64,
) -> Result<ReviewSession, StoreError> {
    let mut catalog = Catalog::new(course);
    let due = current_due(store, &mut catalog, key, now)?;
    let due_total = due.len();
    let shown = &due[..due_total.min(SESSION_LIMIT)];
    let cards = shown
        .iter()
        .filter_map(|row| {
            let lesson = course.lesson(&row.lesson)?;
            let quiz = catalog.quiz(&row.lesson)?;
            let question = quiz::retry_attempt(&quiz, std::slice::from_ref(&row.question), seed)
                .questions
                .pop()?;
            Some(ReviewCard {
                lesson: row.lesson.clone(),
                lesson_title: lesson.title.clone(),
                section: lesson.section.clone(),
                question,
                due: row.due,
            })
        })
        .collect();
    Ok(ReviewSession {
        cards,
        due_total,
        next_due: next_due(store, &mut catalog, key, now)?,
        seed,
    })
}

/// When the first card not due at `now` becomes due (read a page at a time: usually
/// the first row is the answer).
fn next_due(
    store: &Store,
    catalog: &mut Catalog<'_>,
    key: &CourseKey,
    now: &Now,
) -> Result<Option<Millis>, StoreError> {
    const PAGE: usize = 64;
    let mut skip = 0;
    loop {
        let rows = store.review_later_rows(key, now.at, PAGE, skip)?;
        if let Some(found) = rows.iter().find(|r| catalog.has(&r.lesson, &r.question)) {
            return Ok(Some(found.due));
        }
        if rows.len() < PAGE {
            return Ok(None);
        }
        skip += PAGE;
    }
}

/// A course's review figures (`lectern progress show`, the dashboard).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReviewFigures {
    /// Cards of the course's current questions (questions answered at least once).
    pub cards: usize,
    /// Due now.
    pub due_now: usize,
    /// Due from now to the end of the 7th local day, today included (overdue ones too).
    pub due_next_7_days: usize,
    /// Graded answers in the review log (quiz and review), edited questions' included.
    pub reviews_logged: usize,
}

/// The review figures of a course at `now`.
pub fn figures(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    now: &Now,
) -> Result<ReviewFigures, StoreError> {
    let mut catalog = Catalog::new(course);
    let cards = store
        .review_later_rows(key, Millis::MIN, usize::MAX, 0)?
        .iter()
        .filter(|r| catalog.has(&r.lesson, &r.question))
        .count();
    Ok(ReviewFigures {
        cards,
        due_now: due_count(store, key, course, now)?,
        due_next_7_days: forecast(store, key, course, now, 7)?
            .iter()
            .map(|d| d.due)
            .sum(),
        reviews_logged: store.review_totals(key)?.reviews_logged,
    })
}

/// One due card as `lectern review due` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DueCard {
    /// The lesson id.
    pub lesson: String,
    /// The lesson's title.
    pub lesson_title: String,
    /// The question id.
    pub question: String,
    /// The prompt's Markdown, as written.
    pub prompt: String,
    /// When it became due (Unix ms).
    pub due: Millis,
    /// The local date it became due (`YYYY-MM-DD`).
    pub due_date: String,
}

/// Every card due at `now`, most overdue first (no limit), for the CLI.
pub fn due_cards(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    now: &Now,
) -> Result<Vec<DueCard>, StoreError> {
    let mut catalog = Catalog::new(course);
    let due = current_due(store, &mut catalog, key, now)?;
    let mut out = Vec::with_capacity(due.len());
    for row in due {
        let (Some(lesson), Some(parsed)) = (course.lesson(&row.lesson), catalog.quiz(&row.lesson))
        else {
            continue;
        };
        let Some(question) = parsed.question(&row.question) else {
            continue;
        };
        out.push(DueCard {
            prompt: question.shown_prompt(),
            lesson_title: lesson.title.clone(),
            due_date: date_of_day(now.day_of(row.due)),
            lesson: row.lesson,
            question: row.question,
            due: row.due,
        });
    }
    Ok(out)
}
