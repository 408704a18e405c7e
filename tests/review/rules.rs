//! The scheduling rules, through the front doors the app uses (quiz answers through
//! `answer::submit` with `Origin::Quiz`, review answers with `Origin::Review`).

use lectern::review::{self, Now, Rating, ReviewError};

use super::{at, edit, setup, DAY, EPOCH_DAY};

#[test]
fn a_wrong_quiz_answer_is_due_the_next_local_day() {
    let mut s = setup();
    let graded = s.quiz("tokens", 0, false, at(0, 10, 0));
    let r = graded.scheduled.unwrap();
    assert!(r.rescheduled);
    assert!(!r.can_rate);
    assert_eq!(r.rating, Rating::Again);
    assert_eq!(r.due, (EPOCH_DAY + 1) * DAY);
    assert_eq!(r.interval_days, 1.0);
    assert_eq!(s.due_count(at(0, 23, 0)), 0);
    assert_eq!(s.due_count(at(1, 0, 0)), 1);
}

#[test]
fn only_the_first_graded_answer_of_a_local_day_reschedules() {
    let mut s = setup();
    let first = s.quiz("tokens", 0, false, at(0, 9, 0)).scheduled.unwrap();
    // The same day, right this time, in a review: logged, not rescheduled.
    let later = s.review("tokens", 0, true, at(0, 15, 0));
    let r = later.scheduled.unwrap();
    assert!(!r.rescheduled);
    assert!(!r.can_rate);
    assert_eq!(r.due, first.due);
    let (id, _) = s.question("tokens", 0);
    let card = s.store.review_card(&s.key, "tokens", &id).unwrap().unwrap();
    assert_eq!(card.reps, 1);
    assert_eq!(s.store.review_totals(&s.key).unwrap().reviews_logged, 2);
    // The next day the first answer reschedules again.
    let next = s.review("tokens", 0, true, at(1, 9, 0)).scheduled.unwrap();
    assert!(next.rescheduled && next.can_rate);
    assert!(next.due > first.due);
    let card = s.store.review_card(&s.key, "tokens", &id).unwrap().unwrap();
    assert_eq!(card.reps, 2);
}

#[test]
fn the_local_day_follows_the_utc_offset() {
    let mut s = setup();
    // 21:30Z and 22:30Z: the same UTC day, but 23:30 and 00:30 in UTC+2.
    let evening = Now {
        at: at(0, 21, 120).at + 1_800_000,
        utc_offset_min: 120,
    };
    let after_midnight = Now {
        at: evening.at + 3_600_000,
        utc_offset_min: 120,
    };
    assert_eq!(after_midnight.day(), evening.day() + 1);
    let first = s.quiz("tokens", 0, false, evening).scheduled.unwrap();
    // Due from local midnight: 00:00 of local day 1 in UTC+2 is 22:00Z of day 0.
    assert_eq!(first.due, (EPOCH_DAY + 1) * DAY - 2 * 3_600_000);
    let r = s
        .review("tokens", 0, true, after_midnight)
        .scheduled
        .unwrap();
    assert!(r.rescheduled, "a new local day reschedules");
    // In UTC both moments are one day: the second answer does not reschedule.
    s.quiz("vectors", 0, false, Now::utc(evening.at));
    let r = s
        .review("vectors", 0, true, Now::utc(after_midnight.at))
        .scheduled
        .unwrap();
    assert!(!r.rescheduled);
    // In UTC the wrong answer is due at 00:00Z of day 1.
    let (id, _) = s.question("vectors", 0);
    let card = s
        .store
        .review_card(&s.key, "vectors", &id)
        .unwrap()
        .unwrap();
    assert_eq!(card.due, (EPOCH_DAY + 1) * DAY);
}

#[test]
fn an_edited_question_starts_over_and_its_old_card_is_never_due() {
    let mut s = setup();
    s.quiz("tokens", 0, false, at(0, 9, 0));
    s.quiz("tokens", 1, false, at(0, 9, 0));
    assert_eq!(s.due_count(at(1, 0, 0)), 2);
    s.review("tokens", 1, true, at(1, 9, 0));
    let (old, _) = s.question("tokens", 0);
    let (kept, _) = s.question("tokens", 1);
    edit(
        &s.dir.join("tokens.md"),
        "What does byte pair encoding merge at each step?",
        "What does byte pair encoding merge, step after step?",
    );
    s.reload();
    let (new, _) = s.question("tokens", 0);
    assert_ne!(old, new, "an edited prompt is a new question");
    // The old card is not due; the new question has no card; the unchanged one keeps its.
    assert_eq!(s.due_count(at(400, 0, 0)), 1);
    assert!(s
        .store
        .review_card(&s.key, "tokens", &new)
        .unwrap()
        .is_none());
    assert_eq!(
        s.store
            .review_card(&s.key, "tokens", &kept)
            .unwrap()
            .unwrap()
            .reps,
        2
    );
    let r = s.quiz("tokens", 0, true, at(2, 9, 0)).scheduled.unwrap();
    assert!(r.rescheduled && r.can_rate);
    assert_eq!(
        s.store
            .review_card(&s.key, "tokens", &new)
            .unwrap()
            .unwrap()
            .reps,
        1
    );
    // A lesson that disappears takes its cards out of the queue too.
    std::fs::remove_file(s.dir.join("vectors.md")).unwrap();
    s.quiz("tokens", 1, true, at(2, 9, 0));
    s.reload();
    let session = review::session(&s.store, &s.key, &s.loaded.course, &at(400, 0, 0), 1).unwrap();
    assert!(session.cards.iter().all(|c| c.lesson == "tokens"));
}

#[test]
fn rating_hard_or_easy_replaces_good_and_never_applies_twice() {
    let mut s = setup();
    s.quiz("tokens", 0, true, at(0, 9, 0));
    let good = s.review("tokens", 0, true, at(3, 9, 0)).scheduled.unwrap();
    assert!(good.can_rate);
    assert_eq!(good.rating, Rating::Good);
    let (id, _) = s.question("tokens", 0);
    let rate = |s: &mut super::Setup, rating| {
        review::rate(
            &mut s.store,
            &s.key,
            &s.loaded.course,
            "tokens",
            &id,
            rating,
            &at(3, 10, 0),
        )
    };
    let easy = rate(&mut s, Rating::Easy).unwrap();
    let easy_again = rate(&mut s, Rating::Easy).unwrap();
    assert_eq!(easy, easy_again, "rating twice gives the same schedule");
    let hard = rate(&mut s, Rating::Hard).unwrap();
    let good_back = rate(&mut s, Rating::Good).unwrap();
    assert!(hard.due < good.due && good.due < easy.due);
    assert_eq!(
        good_back.due, good.due,
        "back to Good is the original schedule"
    );
    let card = s.store.review_card(&s.key, "tokens", &id).unwrap().unwrap();
    assert_eq!(card.reps, 2, "ratings do not count as answers");
    assert_eq!(card.due, good.due);
    assert!(matches!(
        rate(&mut s, Rating::Again),
        Err(ReviewError::AgainAfterRight)
    ));
}

#[test]
fn a_wrong_answer_or_another_day_cannot_be_rated() {
    let mut s = setup();
    s.quiz("tokens", 0, false, at(0, 9, 0));
    let (id, _) = s.question("tokens", 0);
    let today = review::rate(
        &mut s.store,
        &s.key,
        &s.loaded.course,
        "tokens",
        &id,
        Rating::Easy,
        &at(0, 10, 0),
    );
    assert_eq!(today.unwrap_err().code(), "review-nothing-to-rate");
    s.quiz("vectors", 0, true, at(0, 9, 0));
    let (v, _) = s.question("vectors", 0);
    let tomorrow = review::rate(
        &mut s.store,
        &s.key,
        &s.loaded.course,
        "vectors",
        &v,
        Rating::Easy,
        &at(1, 9, 0),
    );
    assert!(matches!(tomorrow, Err(ReviewError::NothingToRate)));
}

#[test]
fn a_partly_right_choose_all_answer_is_wrong_and_rates_again() {
    let mut s = setup();
    let (id, options) = s.question("tokens", 1);
    let one_of_two: Vec<String> = options
        .iter()
        .filter(|o| o.1)
        .take(1)
        .map(|o| o.0.clone())
        .collect();
    let graded = s.review_with("tokens", &id, &one_of_two, at(0, 9, 0));
    assert!(!graded.grade.correct);
    assert_eq!(graded.grade.missed.len(), 1);
    assert!(graded.again_in_session);
    let r = graded.scheduled.unwrap();
    assert_eq!(r.rating, Rating::Again);
    assert_eq!(r.interval_days, 1.0);
}

#[test]
fn a_wrong_review_answer_links_to_the_section_that_teaches_it() {
    let mut s = setup();
    let graded = s.review("tokens", 0, false, at(0, 9, 0));
    let link = graded.grade.review.unwrap();
    assert_eq!(link.id, "byte-pair-encoding");
    let right = s.review("vectors", 0, true, at(0, 9, 0));
    assert!(right.grade.review.is_none());
    assert!(!right.again_in_session);
}

#[test]
fn review_answers_are_logged_but_never_counted_as_quiz_attempts() {
    let mut s = setup();
    s.review("tokens", 0, true, at(0, 9, 0));
    s.review("tokens", 1, true, at(0, 9, 0));
    let p = s
        .store
        .course_progress(&s.key, &s.loaded.course, &at(0, 10, 0))
        .unwrap();
    let tokens = p.lessons.iter().find(|l| l.id == "tokens").unwrap();
    assert!(tokens.best.is_none() && tokens.last.is_none());
    assert_eq!(s.store.export().unwrap().answers.len(), 0);
    let log = s.store.export().unwrap().review_log;
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|l| l.source == "review"));
}

#[test]
fn without_a_database_a_review_answer_is_graded_and_says_it_was_not_saved() {
    let s = setup();
    let (id, chosen) = s.choice("vectors", 0, true);
    let graded = lectern::answer::submit(
        None,
        &s.key,
        &s.loaded.course,
        &lectern::answer::Answer {
            note: None,
            lesson: "vectors",
            question: &id,
            chosen: &chosen,
            time_ms: 1,
            now: at(0, 9, 0),
            origin: lectern::answer::Origin::Review,
        },
    )
    .unwrap();
    assert!(graded.grade.correct);
    assert!(graded.scheduled.is_none());
    assert_eq!(graded.not_saved.unwrap().code, "progress-unavailable");
}

#[test]
fn desired_retention_is_a_setting_within_bounds() {
    let mut s = setup();
    assert_eq!(review::retention(&s.store).unwrap(), 0.9);
    assert!(!review::set_retention(&mut s.store, 0.5).unwrap());
    assert!(!review::set_retention(&mut s.store, 1.0).unwrap());
    assert!(review::set_retention(&mut s.store, 0.8).unwrap());
    assert_eq!(review::retention(&s.store).unwrap(), 0.8);
    s.store
        .set_setting(review::RETENTION_SETTING, "lots")
        .unwrap();
    assert_eq!(review::retention(&s.store).unwrap(), 0.9);
    // A lower retention gives longer intervals.
    s.quiz("tokens", 0, true, at(0, 9, 0));
    s.quiz("vectors", 0, true, at(0, 9, 0));
    let strict = s.review("tokens", 0, true, at(3, 9, 0)).scheduled.unwrap();
    review::set_retention(&mut s.store, 0.75).unwrap();
    let lax = s.review("vectors", 0, true, at(3, 9, 0)).scheduled.unwrap();
    assert!(lax.interval_days > strict.interval_days);
}

#[test]
fn active_time_adds_to_the_local_day() {
    let mut s = setup();
    let late = Now {
        at: at(0, 23, 60).at,
        utc_offset_min: 60,
    }; // 00:00 local day 1
    s.store
        .record_active_time(&s.key, "tokens", 30_000, &at(0, 9, 60))
        .unwrap();
    s.store
        .record_active_time(&s.key, "tokens", 20_000, &at(0, 10, 60))
        .unwrap();
    s.store
        .record_active_time(&s.key, "vectors", 5_000, &late)
        .unwrap();
    let days = s.store.export().unwrap().activity_days;
    let got: Vec<(i64, i64)> = days.iter().map(|d| (d.day, d.active_ms)).collect();
    assert_eq!(got, vec![(EPOCH_DAY, 50_000), (EPOCH_DAY + 1, 5_000)]);
}

#[test]
fn a_wrong_quiz_answer_keeps_its_revisit_link_beside_its_schedule_in_json() {
    let mut s = setup();
    let graded = s.quiz("tokens", 0, false, at(0, 10, 0));
    let json = serde_json::to_value(&graded).unwrap();
    assert!(
        json["review"]["id"].is_string(),
        "the heading to revisit is the `review` key: {json}"
    );
    assert!(json["scheduled"]["due"].is_number(), "{json}");
}
