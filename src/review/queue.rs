//! The review queue: the session of cards due now ([`session`]), the figures and the
//! due list of the CLI. Cards of questions no longer in the course are skipped (the
//! counts, `due_count` and `forecast`, are the store's reads).

use serde::Serialize;

use super::{
    date_of_day, due_count, forecast, Now, DEFAULT_NEW_PER_DAY, DEFAULT_REVIEWS_PER_DAY,
    MAX_PER_DAY, NEW_PER_DAY_SETTING, REVIEWS_PER_DAY_SETTING, SESSION_LIMIT,
};
use std::collections::HashMap;

use crate::course::Course;
use crate::notes::{CardSource, Sources};
use crate::progress::{
    catalog, current_due, CourseKey, DueRow, MadeCardRow, Millis, ReviewDay, Store, StoreError,
};
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
    /// A card the learner made of a highlight: where its sentence stands in the
    /// lesson today (absent for the course's own questions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub made: Option<CardSource>,
}

/// The cards due now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewSession {
    /// Due cards, most overdue first, within the daily limits, then the cards missed
    /// earlier today; at most [`SESSION_LIMIT`].
    pub cards: Vec<ReviewCard>,
    /// How many are due in all (may exceed `cards.len()`).
    pub due_total: usize,
    /// Due cards the daily limits keep for another day (0: no limit reached).
    pub held_back: usize,
    /// The daily limits applied.
    pub limits: DailyLimits,
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
            held_back: 0,
            limits: DailyLimits::default(),
            next_due: None,
            seed,
        }
    }
}

/// The review session: the cards due at `now`, most overdue first, within the daily
/// limits ([`DailyLimits`]: cards new to review and cards reviewed before, counted over
/// the local day), then the cards missed earlier today in a session (they come back
/// until answered right, even after the learner left the session), at most
/// [`SESSION_LIMIT`] in all; each question's options shuffled from `seed` (uniformly, as
/// in quizzes). `due_total` counts every due card, `held_back` those the limits keep
/// for another day, and `next_due` says when the next one comes.
pub fn session(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    now: &Now,
    seed: u64,
) -> Result<ReviewSession, StoreError> {
    let mut catalog = catalog(store, key, course)?;
    let Today {
        rows,
        due_total,
        held_back,
        limits,
    } = today(store, &mut catalog, key, now)?;
    let own = own_cards(store, key, &catalog, &rows)?;
    let mut sources = Sources::new(course, crate::render::shared());
    let mut cards = Vec::with_capacity(rows.len());
    for row in &rows {
        let card = match own.get(&row.question) {
            Some(made) => made_card(store, key, course, &mut sources, made, row, seed)?,
            None => course_card(course, &mut catalog, row, seed),
        };
        cards.extend(card);
    }
    Ok(ReviewSession {
        cards,
        due_total,
        held_back,
        limits,
        next_due: next_due(store, &mut catalog, key, now)?,
        seed,
    })
}

/// The learner's own cards among `rows`, by id (read only when there is one).
fn own_cards(
    store: &Store,
    key: &CourseKey,
    catalog: &Catalog<'_>,
    rows: &[DueRow],
) -> Result<HashMap<String, MadeCardRow>, StoreError> {
    if !rows.iter().any(|r| catalog.is_own(&r.question)) {
        return Ok(HashMap::new());
    }
    Ok(store
        .made_cards(key)?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect())
}

/// A course question's card, its options shuffled from `seed` (`None`: gone since).
fn course_card(
    course: &Course,
    catalog: &mut Catalog<'_>,
    row: &DueRow,
    seed: u64,
) -> Option<ReviewCard> {
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
        made: None,
    })
}

/// A learner's card: its captured sentence with the phrase as a blank, and where the
/// sentence stands today (a lesson that is gone keeps its id as the title).
fn made_card(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    sources: &mut Sources<'_>,
    made: &MadeCardRow,
    row: &DueRow,
    seed: u64,
) -> Result<Option<ReviewCard>, StoreError> {
    let quiz = quiz::cloze(
        &made.lesson,
        &made.id,
        &made.before,
        &made.phrase,
        &made.after,
    );
    let highlight = store.annotation(key, &made.annotation)?;
    let lesson = course.lesson(&made.lesson);
    let Some(question) = quiz::start_attempt(&quiz, seed).questions.pop() else {
        return Ok(None);
    };
    Ok(Some(ReviewCard {
        lesson: made.lesson.clone(),
        lesson_title: lesson.map_or_else(|| made.lesson.clone(), |l| l.title.clone()),
        section: lesson.and_then(|l| l.section.clone()),
        question,
        due: row.due,
        made: Some(sources.of(made, highlight.as_ref())),
    }))
}

/// What a review session opened now would hold, before its questions are drawn.
struct Today {
    /// Due rows within the limits, then today's missed cards; at most [`SESSION_LIMIT`].
    rows: Vec<DueRow>,
    due_total: usize,
    held_back: usize,
    limits: DailyLimits,
}

fn today(
    store: &Store,
    catalog: &mut Catalog<'_>,
    key: &CourseKey,
    now: &Now,
) -> Result<Today, StoreError> {
    let due = current_due(store, catalog, key, now)?;
    let due_total = due.len();
    let limits = daily_limits(store)?;
    let day = store.review_day(key, now.day())?;
    let (mut rows, held_back) = within_limits(due, &day, limits);
    for row in day.again {
        let listed = rows
            .iter()
            .any(|r| r.lesson == row.lesson && r.question == row.question);
        if !listed && catalog.has(&row.lesson, &row.question) {
            rows.push(row);
        }
    }
    rows.truncate(SESSION_LIMIT);
    Ok(Today {
        rows,
        due_total,
        held_back,
        limits,
    })
}

/// How many cards a review session opened now would show: the due cards within the
/// daily limits and the cards missed earlier today (what the outline's "Review · N
/// due" says, so it never promises cards the limits keep for tomorrow).
pub fn due_today(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    now: &Now,
) -> Result<usize, StoreError> {
    Ok(today(store, &mut catalog(store, key, course)?, key, now)?
        .rows
        .len())
}

/// The course's progress ([`Store::course_progress`]) with its review count as
/// [`due_today`] gives it: the one read the window's outline and course page make.
pub fn course_progress(
    store: &Store,
    key: &CourseKey,
    course: &Course,
    now: &Now,
) -> Result<crate::progress::CourseProgress, StoreError> {
    store.course_progress_counted(key, course, || due_today(store, key, course, now))
}

/// The due rows the day's limits allow, in order, and how many they hold back: a card
/// never answered in a review session counts against `new_per_day`, any other against
/// `reviews_per_day`, each less what was already answered today.
fn within_limits(due: Vec<DueRow>, today: &ReviewDay, limits: DailyLimits) -> (Vec<DueRow>, usize) {
    let mut new_left = limits.new_per_day.saturating_sub(today.new_done);
    let mut reviews_left = limits.reviews_per_day.saturating_sub(today.reviews_done);
    let mut kept = Vec::new();
    let mut held_back = 0;
    for row in due {
        let new = !today
            .reviewed
            .contains(&(row.lesson.clone(), row.question.clone()));
        let left = if new {
            &mut new_left
        } else {
            &mut reviews_left
        };
        if *left == 0 {
            held_back += 1;
        } else {
            *left -= 1;
            kept.push(row);
        }
    }
    (kept, held_back)
}

/// How many cards a day's review sessions show (Settings; as Anki's deck options).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DailyLimits {
    /// Cards answered in a review session for the first time (they were met in a quiz).
    pub new_per_day: usize,
    /// Cards reviewed before.
    pub reviews_per_day: usize,
}

impl Default for DailyLimits {
    fn default() -> Self {
        DailyLimits {
            new_per_day: DEFAULT_NEW_PER_DAY,
            reviews_per_day: DEFAULT_REVIEWS_PER_DAY,
        }
    }
}

/// The daily limits: each setting ([`NEW_PER_DAY_SETTING`], [`REVIEWS_PER_DAY_SETTING`])
/// when it is a whole number up to [`MAX_PER_DAY`], else its default.
pub fn daily_limits(store: &Store) -> Result<DailyLimits, StoreError> {
    let read = |key: &str, default: usize| -> Result<usize, StoreError> {
        Ok(store
            .setting(key)?
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| *n <= MAX_PER_DAY)
            .unwrap_or(default))
    };
    Ok(DailyLimits {
        new_per_day: read(NEW_PER_DAY_SETTING, DEFAULT_NEW_PER_DAY)?,
        reviews_per_day: read(REVIEWS_PER_DAY_SETTING, DEFAULT_REVIEWS_PER_DAY)?,
    })
}

/// Stores the daily limits; `false` (nothing stored) when one exceeds [`MAX_PER_DAY`].
pub fn set_daily_limits(store: &mut Store, limits: DailyLimits) -> Result<bool, StoreError> {
    if limits.new_per_day > MAX_PER_DAY || limits.reviews_per_day > MAX_PER_DAY {
        return Ok(false);
    }
    store.set_setting(NEW_PER_DAY_SETTING, &limits.new_per_day.to_string())?;
    store.set_setting(REVIEWS_PER_DAY_SETTING, &limits.reviews_per_day.to_string())?;
    Ok(true)
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
    let mut catalog = catalog(store, key, course)?;
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
    let mut catalog = catalog(store, key, course)?;
    let due = current_due(store, &mut catalog, key, now)?;
    let own = own_cards(store, key, &catalog, &due)?;
    let mut out = Vec::with_capacity(due.len());
    for row in due {
        let title = course.lesson(&row.lesson).map(|l| l.title.clone());
        let prompt = match own.get(&row.question) {
            Some(made) => Some(format!("{}___{}", made.before, made.after)),
            None => catalog
                .quiz(&row.lesson)
                .and_then(|q| q.question(&row.question).map(quiz::Question::shown_prompt)),
        };
        let Some(prompt) = prompt else {
            continue;
        };
        out.push(DueCard {
            prompt,
            lesson_title: title.unwrap_or_else(|| row.lesson.clone()),
            due_date: date_of_day(now.day_of(row.due)),
            lesson: row.lesson,
            question: row.question,
            due: row.due,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(q: &str) -> DueRow {
        DueRow {
            lesson: "l".into(),
            question: q.into(),
            due: 0,
        }
    }

    fn reviewed(qs: &[&str]) -> ReviewDay {
        ReviewDay {
            reviewed: qs
                .iter()
                .map(|q| ("l".to_owned(), (*q).to_owned()))
                .collect(),
            ..ReviewDay::default()
        }
    }

    fn questions(rows: &[DueRow]) -> Vec<&str> {
        rows.iter().map(|r| r.question.as_str()).collect()
    }

    #[test]
    fn new_and_reviewed_cards_are_limited_separately_in_due_order() {
        let due = ["a", "b", "c", "d", "e"].map(row).to_vec();
        let today = reviewed(&["b", "d"]);
        let limits = DailyLimits {
            new_per_day: 1,
            reviews_per_day: 1,
        };
        let (kept, held_back) = within_limits(due, &today, limits);
        assert_eq!(questions(&kept), ["a", "b"]);
        assert_eq!(held_back, 3);
    }

    #[test]
    fn cards_answered_earlier_today_count_against_the_day_s_limits() {
        let due = ["a", "b", "c"].map(row).to_vec();
        let today = ReviewDay {
            new_done: 2,
            reviews_done: 5,
            ..reviewed(&["c"])
        };
        let limits = DailyLimits {
            new_per_day: 3,
            reviews_per_day: 5,
        };
        let (kept, held_back) = within_limits(due, &today, limits);
        assert_eq!(questions(&kept), ["a"]);
        assert_eq!(held_back, 2);
    }

    #[test]
    fn a_limit_of_zero_holds_back_every_card_of_its_kind() {
        let due = ["a", "b"].map(row).to_vec();
        let limits = DailyLimits {
            new_per_day: 0,
            reviews_per_day: 9,
        };
        let (kept, held_back) = within_limits(due, &reviewed(&["b"]), limits);
        assert_eq!(questions(&kept), ["b"]);
        assert_eq!(held_back, 1);
    }
}
