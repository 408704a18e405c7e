//! "Practise this section": every question of a section or lesson now, its due cards
//! first; answers logged as `practice` and rescheduling as a review would.

use lectern::answer::{self, Answer, Origin};
use lectern::progress::Store;
use lectern::review;

use super::{at, setup, Setup};

fn questions_of(s: &Setup, lessons: &[&str]) -> usize {
    lessons
        .iter()
        .map(|l| {
            lectern::quiz::parse(s.loaded.course.lesson(l).unwrap())
                .0
                .questions
                .len()
        })
        .sum()
}

fn practise(
    s: &mut Setup,
    lesson: &str,
    n: usize,
    right: bool,
    day: i64,
    hour: i64,
) -> answer::Answered {
    let (question, chosen) = s.choice(lesson, n, right);
    answer::submit(
        Some(&mut s.store),
        &s.key,
        &s.loaded.course,
        &Answer {
            note: None,
            lesson,
            question: &question,
            chosen: &chosen,
            time_ms: 2_500,
            now: at(day, hour, 0),
            origin: Origin::Practice,
        },
    )
    .unwrap()
}

#[test]
fn practising_a_section_asks_every_question_with_its_due_cards_first() {
    let mut s = setup();
    s.quiz("vectors", 0, false, at(0, 9, 0));
    let now = at(3, 9, 0);
    let session = review::practice(&s.store, &s.key, &s.loaded.course, "basics", &now, 7).unwrap();
    assert_eq!(
        session.cards.len(),
        questions_of(&s, &["tokens", "vectors"])
    );
    assert!(session.cards.len() >= 3);
    assert_eq!(session.due_total, 1);
    assert_eq!(session.cards[0].lesson, "vectors");
    assert_eq!(session.cards[0].question.id, s.question("vectors", 0).0);
    let mut ids: Vec<&str> = session
        .cards
        .iter()
        .map(|c| c.question.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), session.cards.len(), "each question once");
    let lesson = review::practice(&s.store, &s.key, &s.loaded.course, "tokens", &now, 7).unwrap();
    assert_eq!(lesson.cards.len(), questions_of(&s, &["tokens"]));
    assert!(lesson.cards.iter().all(|c| c.lesson == "tokens"));
    assert_eq!(lesson.due_total, 0);
    let none = review::practice(&s.store, &s.key, &s.loaded.course, "nowhere", &now, 7).unwrap();
    assert!(none.cards.is_empty());
}

#[test]
fn practice_answers_are_logged_as_practice_and_reschedule_like_a_review() {
    let mut s = setup();
    let first = practise(&mut s, "tokens", 0, false, 0, 9);
    let scheduled = first.scheduled.unwrap();
    assert!(scheduled.rescheduled, "the day's first answer reschedules");
    assert!(
        first.again_in_session,
        "a wrong answer comes back in the session"
    );
    let again = practise(&mut s, "tokens", 0, true, 0, 10)
        .scheduled
        .unwrap();
    assert!(!again.rescheduled, "later answers that day do not");
    // A review the same day counts as a later answer too.
    assert!(
        !s.review("tokens", 0, true, at(0, 11, 0))
            .scheduled
            .unwrap()
            .rescheduled
    );
    assert_eq!(s.due_count(at(1, 9, 0)), 1);
    let export = s.store.export().unwrap();
    let sources: Vec<&str> = export
        .review_log
        .iter()
        .map(|l| l.source.as_str())
        .collect();
    assert_eq!(
        sources.iter().filter(|x| **x == "practice").count(),
        2,
        "{sources:?}"
    );
    let mut fresh = Store::open(&s._tmp.path().join("fresh.sqlite"))
        .unwrap()
        .store;
    fresh.import(&export).unwrap();
    assert_eq!(fresh.export().unwrap().review_log, export.review_log);
}
