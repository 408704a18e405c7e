//! The queue: the session (most overdue first, options reshuffled, no answer key, a
//! limit), the due count in the outline, the forecast, export and import.

use lectern::review::{self, SESSION_LIMIT};

use super::{at, setup, DAY, EPOCH_DAY};

#[test]
fn the_session_lists_due_cards_most_overdue_first_without_the_answer_key() {
    let mut s = setup();
    s.quiz("vectors", 0, false, at(0, 9, 0));
    s.quiz("tokens", 1, false, at(1, 9, 0));
    s.quiz("tokens", 0, true, at(1, 9, 0)); // Good: due in a few days
    let now = at(2, 12, 0);
    let session = review::session(&s.store, &s.key, &s.loaded.course, &now, 7).unwrap();
    assert_eq!(session.due_total, 2);
    let order: Vec<&str> = session.cards.iter().map(|c| c.lesson.as_str()).collect();
    assert_eq!(order, ["vectors", "tokens"]);
    assert_eq!(session.cards[0].lesson_title, "Vectors");
    assert_eq!(session.cards[0].section.as_deref(), Some("basics"));
    assert!(session.cards[1].question.multiple);
    assert!(session.cards[0].due < session.cards[1].due);
    let json = serde_json::to_string(&session).unwrap();
    assert!(!json.contains("\"correct\""), "no answer key: {json}");
    let (good, _) = s.question("tokens", 0);
    let card = s
        .store
        .review_card(&s.key, "tokens", &good)
        .unwrap()
        .unwrap();
    assert_eq!(session.next_due, Some(card.due));
    // Every option order is reachable: some seed shows them in another order.
    let first: Vec<String> = session.cards[1]
        .question
        .options
        .iter()
        .map(|o| o.id.clone())
        .collect();
    let reshuffled = (0..50).any(|seed| {
        let other = review::session(&s.store, &s.key, &s.loaded.course, &now, seed).unwrap();
        other.cards[1]
            .question
            .options
            .iter()
            .map(|o| o.id.clone())
            .collect::<Vec<_>>()
            != first
    });
    assert!(reshuffled);
}

#[test]
fn an_empty_queue_says_when_the_next_card_is_due() {
    let mut s = setup();
    let empty = review::session(&s.store, &s.key, &s.loaded.course, &at(0, 9, 0), 1).unwrap();
    assert!(empty.cards.is_empty() && empty.next_due.is_none());
    s.quiz("vectors", 0, false, at(0, 9, 0));
    let later = review::session(&s.store, &s.key, &s.loaded.course, &at(0, 10, 0), 1).unwrap();
    assert!(later.cards.is_empty());
    assert_eq!(later.next_due, Some((EPOCH_DAY + 1) * DAY));
}

#[test]
fn the_forecast_counts_overdue_cards_on_today() {
    let mut s = setup();
    s.quiz("vectors", 0, false, at(0, 9, 0)); // due day 1
    s.quiz("tokens", 0, false, at(2, 9, 0)); // due day 3
    s.quiz("tokens", 1, true, at(2, 9, 0)); // Good: due a few days later
    let (good, _) = s.question("tokens", 1);
    let good_day = s
        .store
        .review_card(&s.key, "tokens", &good)
        .unwrap()
        .unwrap()
        .due
        / DAY
        - EPOCH_DAY;
    let days = review::forecast(&s.store, &s.key, &s.loaded.course, &at(2, 12, 0), 14).unwrap();
    assert_eq!(days.len(), 14);
    assert_eq!(days[0].day, EPOCH_DAY + 2);
    assert_eq!(days[0].date, "2026-03-04");
    assert_eq!(days[0].due, 1, "the overdue card counts today");
    assert_eq!(days[1].due, 1);
    assert_eq!(days[(good_day - 2) as usize].due, 1);
    assert_eq!(days.iter().map(|d| d.due).sum::<usize>(), 3);
    let p = s
        .store
        .course_progress(&s.key, &s.loaded.course, &at(2, 12, 0))
        .unwrap();
    assert_eq!(p.review_due, 1);
    let f = review::figures(&s.store, &s.key, &s.loaded.course, &at(2, 12, 0)).unwrap();
    assert_eq!(
        (f.cards, f.due_now, f.due_next_7_days, f.reviews_logged),
        (3, 1, 3, 3)
    );
}

#[test]
fn a_session_holds_at_most_the_limit_and_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let mut quiz =
        String::from("---\nid: many\ntitle: Many\n---\n# Many\n\n## Knowledge Check\n\n");
    for i in 0..SESSION_LIMIT + 20 {
        // Every item numbered `1.`: the options stay nested under three spaces.
        quiz.push_str(&format!(
            "1. Question number {i}?\n   - Yes {i}\n   - No {i}\n\n"
        ));
    }
    std::fs::write(tmp.path().join("many.md"), quiz).unwrap();
    let course = lectern::course::Course::load(tmp.path()).course;
    let key = lectern::progress::CourseKey::of(&course);
    let mut store = lectern::progress::Store::open(&tmp.path().join("p.sqlite"))
        .unwrap()
        .store;
    let (parsed, _) = lectern::quiz::parse(course.lesson("many").unwrap());
    assert_eq!(parsed.questions.len(), SESSION_LIMIT + 20);
    for (i, q) in parsed.questions.iter().enumerate() {
        let wrong = vec![q.options()[1].id.clone()];
        let graded = lectern::answer::submit(
            Some(&mut store),
            &key,
            &course,
            &lectern::answer::Answer {
                note: None,
                lesson: "many",
                question: &q.id,
                chosen: &wrong,
                time_ms: 1,
                now: at(0, 0, 0).with_minute(i),
                origin: lectern::answer::Origin::Review,
            },
        )
        .unwrap();
        assert!(graded.not_saved.is_none());
    }
    let session = review::session(&store, &key, &course, &at(5, 0, 0), 3).unwrap();
    assert_eq!(session.cards.len(), SESSION_LIMIT);
    assert_eq!(session.due_total, SESSION_LIMIT + 20);
}

trait WithMinute {
    fn with_minute(self, minute: usize) -> Self;
}

impl WithMinute for lectern::review::Now {
    fn with_minute(mut self, minute: usize) -> Self {
        self.at += minute as i64 * 60_000;
        self
    }
}

#[test]
fn review_tables_survive_export_and_import_byte_for_byte() {
    let mut s = setup();
    s.quiz("vectors", 0, false, at(0, 9, 0));
    s.review("vectors", 0, true, at(1, 9, 0));
    s.quiz("tokens", 0, true, at(1, 9, 0));
    let (id, _) = s.question("tokens", 0);
    review::rate(
        &mut s.store,
        &s.key,
        &s.loaded.course,
        "tokens",
        &id,
        review::Rating::Easy,
        &at(1, 10, 0),
    )
    .unwrap();
    s.store
        .record_active_time(&s.key, "tokens", 60_000, &at(1, 9, 0))
        .unwrap();
    let export = s.store.export().unwrap();
    assert_eq!(export.review_cards.len(), 2);
    assert_eq!(export.review_log.len(), 3);
    assert_eq!(export.activity_days.len(), 1);
    let json = serde_json::to_string_pretty(&export).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut fresh = lectern::progress::Store::open(&tmp.path().join("f.sqlite"))
        .unwrap()
        .store;
    let summary = fresh.import(&serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(summary.reviews, 3);
    let again = fresh.import(&serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(again.reviews, 0, "importing twice adds nothing");
    assert_eq!(
        serde_json::to_string_pretty(&fresh.export().unwrap()).unwrap(),
        json
    );
    // The imported cards are due as before.
    let course = &s.loaded.course;
    assert_eq!(
        review::due_count(&fresh, &s.key, course, &at(30, 0, 0)).unwrap(),
        s.due_count(at(30, 0, 0))
    );
}

#[test]
fn resetting_a_lesson_forgets_its_review_cards() {
    let mut s = setup();
    s.quiz("vectors", 0, false, at(0, 9, 0));
    s.quiz("tokens", 0, false, at(0, 9, 0));
    s.store.reset_lesson(&s.key, "tokens").unwrap();
    assert_eq!(s.due_count(at(3, 0, 0)), 1);
    assert_eq!(s.store.review_totals(&s.key).unwrap().reviews_logged, 1);
    s.store.reset_course(&s.key).unwrap();
    assert_eq!(s.due_count(at(3, 0, 0)), 0);
}

#[test]
fn a_card_missed_in_a_session_comes_back_when_the_session_is_opened_again_that_day() {
    let mut s = setup();
    s.quiz("vectors", 0, true, at(0, 9, 0));
    s.quiz("tokens", 0, true, at(0, 9, 0));
    let now = at(10, 9, 0);
    let first = review::session(&s.store, &s.key, &s.loaded.course, &now, 1).unwrap();
    assert_eq!(first.cards.len(), 2);
    // Missed in the session, then the learner leaves: the card is due tomorrow, yet a
    // session opened again today still shows it, after the cards not yet answered.
    let missed = first.cards[0].lesson.clone();
    let other = first.cards[1].lesson.clone();
    let graded = s.review(&missed, 0, false, now);
    assert!(graded.again_in_session);
    let later = at(10, 11, 0);
    let again = review::session(&s.store, &s.key, &s.loaded.course, &later, 2).unwrap();
    let order: Vec<&str> = again.cards.iter().map(|c| c.lesson.as_str()).collect();
    assert_eq!(order, [other.as_str(), missed.as_str()]);
    // Answered right at last: it stays away until its new due day.
    s.review(&missed, 0, true, later);
    let done = review::session(&s.store, &s.key, &s.loaded.course, &later, 3).unwrap();
    let order: Vec<&str> = done.cards.iter().map(|c| c.lesson.as_str()).collect();
    assert_eq!(order, [other.as_str()]);
    // The next day the missed card is simply due (after the one left unanswered).
    let tomorrow = review::session(&s.store, &s.key, &s.loaded.course, &at(11, 9, 0), 4).unwrap();
    assert_eq!(tomorrow.due_total, 2);
    assert_eq!(tomorrow.cards[1].lesson, missed);
}

#[test]
fn a_card_missed_then_answered_right_in_the_same_millisecond_is_not_missed_any_more() {
    // A clock held still (LECTERN_NOW, as the end-to-end tests hold it) gives both
    // answers one time: the one written last is the latest.
    let mut s = setup();
    s.quiz("vectors", 0, true, at(0, 9, 0));
    let now = at(10, 9, 0);
    assert!(s.review("vectors", 0, false, now).again_in_session);
    assert_eq!(
        review::due_today(&s.store, &s.key, &s.loaded.course, &now).unwrap(),
        1
    );
    s.review("vectors", 0, true, now);
    let session = review::session(&s.store, &s.key, &s.loaded.course, &now, 1).unwrap();
    assert!(session.cards.is_empty(), "{:?}", session.cards);
    assert_eq!(
        review::due_today(&s.store, &s.key, &s.loaded.course, &now).unwrap(),
        0
    );
}

#[test]
fn the_daily_limits_hold_back_due_cards_and_count_what_was_answered_today() {
    let mut s = setup();
    s.quiz("vectors", 0, false, at(0, 9, 0));
    s.quiz("tokens", 0, false, at(0, 9, 0));
    s.quiz("tokens", 1, false, at(0, 9, 0));
    let limits = review::DailyLimits {
        new_per_day: 1,
        reviews_per_day: 200,
    };
    assert!(review::set_daily_limits(&mut s.store, limits).unwrap());
    assert_eq!(review::daily_limits(&s.store).unwrap(), limits);
    let now = at(3, 9, 0);
    let session = review::session(&s.store, &s.key, &s.loaded.course, &now, 1).unwrap();
    assert_eq!(
        (session.cards.len(), session.due_total, session.held_back),
        (1, 3, 2)
    );
    assert_eq!(session.limits, limits);
    // Answered right: today's one new card is spent, the others wait.
    let card = session.cards[0].clone();
    let chosen = right_options(&s, &card);
    s.review_with(&card.lesson, &card.question.id, &chosen, now);
    let after = review::session(&s.store, &s.key, &s.loaded.course, &now, 2).unwrap();
    assert!(after.cards.is_empty());
    assert_eq!(after.held_back, 2);
    // The next day another new card is allowed.
    let next = review::session(&s.store, &s.key, &s.loaded.course, &at(4, 9, 0), 3).unwrap();
    assert_eq!((next.cards.len(), next.held_back), (1, 1));
}

#[test]
fn the_outlines_due_count_is_what_a_session_would_show_within_the_limits() {
    let mut s = setup();
    s.quiz("vectors", 0, false, at(0, 9, 0));
    s.quiz("tokens", 0, false, at(0, 9, 0));
    s.quiz("tokens", 1, false, at(0, 9, 0));
    let now = at(3, 9, 0);
    let count = |s: &super::Setup| {
        review::course_progress(&s.store, &s.key, &s.loaded.course, &now)
            .unwrap()
            .review_due
    };
    assert_eq!(count(&s), 3, "no limit reached: every due card");
    let limits = review::DailyLimits {
        new_per_day: 1,
        reviews_per_day: 200,
    };
    assert!(review::set_daily_limits(&mut s.store, limits).unwrap());
    let session = review::session(&s.store, &s.key, &s.loaded.course, &now, 1).unwrap();
    assert_eq!((count(&s), session.cards.len()), (1, 1));
    assert_eq!(
        review::due_today(&s.store, &s.key, &s.loaded.course, &now).unwrap(),
        1
    );
    // The store's own count is every due card, limits aside.
    let stored = s
        .store
        .course_progress(&s.key, &s.loaded.course, &now)
        .unwrap();
    assert_eq!(stored.review_due, 3);
}

#[test]
fn daily_limits_out_of_range_are_refused_and_unreadable_ones_fall_back_to_the_defaults() {
    let mut s = setup();
    assert_eq!(
        review::daily_limits(&s.store).unwrap(),
        review::DailyLimits::default()
    );
    assert_eq!(review::DailyLimits::default().new_per_day, 20);
    assert_eq!(review::DailyLimits::default().reviews_per_day, 200);
    let huge = review::DailyLimits {
        new_per_day: review::MAX_PER_DAY + 1,
        reviews_per_day: 5,
    };
    assert!(!review::set_daily_limits(&mut s.store, huge).unwrap());
    s.store
        .set_setting(review::NEW_PER_DAY_SETTING, "lots")
        .unwrap();
    assert_eq!(review::daily_limits(&s.store).unwrap().new_per_day, 20);
}

/// The ids of the right options of a review card.
fn right_options(s: &super::Setup, card: &review::ReviewCard) -> Vec<String> {
    let n = (0..)
        .find(|n| s.question(&card.lesson, *n).0 == card.question.id)
        .unwrap();
    s.choice(&card.lesson, n, true).1
}
