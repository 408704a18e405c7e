//! Leeches: a card forgotten `LEECH_LAPSES` times is marked and listed with the section
//! that teaches it; the learner suspends (never due), unsuspends or resets it; the marks
//! survive an export and import.

use lectern::progress::Store;
use lectern::review::{self, CardAction, LEECH_LAPSES};

use super::{at, setup, Setup};

/// Question 0 of `vectors` met on day 0, then forgotten on each following due day until
/// it has `lapses` lapses; returns the day after the last answer.
fn forget(s: &mut Setup, lapses: i64) -> i64 {
    s.quiz("vectors", 0, true, at(0, 9, 0));
    let mut day = 0;
    for _ in 0..lapses {
        day += 2;
        assert!(
            s.review("vectors", 0, false, at(day, 9, 0))
                .scheduled
                .unwrap()
                .rescheduled
        );
    }
    day + 1
}

fn question(s: &Setup) -> String {
    s.question("vectors", 0).0
}

#[test]
fn a_card_is_marked_a_leech_at_its_eighth_lapse_not_before() {
    let mut s = setup();
    let day = forget(&mut s, LEECH_LAPSES - 1);
    assert!(s
        .store
        .leeches(&s.key, &s.loaded.course)
        .unwrap()
        .is_empty());
    s.review("vectors", 0, false, at(day, 9, 0));
    let leeches = s.store.leeches(&s.key, &s.loaded.course).unwrap();
    assert_eq!(leeches.len(), 1);
    assert_eq!(leeches[0].question, question(&s));
    assert_eq!(leeches[0].lapses, LEECH_LAPSES);
    assert!(!leeches[0].suspended);
    assert!(
        leeches[0].section.is_some(),
        "the section that teaches it is named"
    );
    // The mark stays when the learner gets it right afterwards.
    s.review("vectors", 0, true, at(day + 3, 9, 0));
    assert_eq!(s.store.leeches(&s.key, &s.loaded.course).unwrap().len(), 1);
    let dashboard = s
        .store
        .dashboard(&s.key, &s.loaded.course, &at(day + 3, 10, 0))
        .unwrap();
    assert_eq!(dashboard.leeches.len(), 1);
    assert_eq!(dashboard.leech_lapses, 8);
}

#[test]
fn a_suspended_card_is_never_due_until_unsuspended() {
    let mut s = setup();
    let day = forget(&mut s, LEECH_LAPSES);
    let later = at(day + 400, 9, 0);
    assert_eq!(s.due_count(later), 1);
    let q = question(&s);
    let key = s.key.clone();
    assert!(s
        .store
        .card_action(&key, "vectors", &q, CardAction::Suspend, &later)
        .unwrap());
    assert_eq!(s.due_count(later), 0);
    let session = review::session(&s.store, &s.key, &s.loaded.course, &later, 1).unwrap();
    assert!(session.cards.is_empty());
    assert!(s.store.leeches(&s.key, &s.loaded.course).unwrap()[0].suspended);
    assert!(s
        .store
        .card_action(&key, "vectors", &q, CardAction::Unsuspend, &later)
        .unwrap());
    assert_eq!(s.due_count(later), 1);
    assert!(!s
        .store
        .card_action(
            &key,
            "vectors",
            "no-such-question",
            CardAction::Suspend,
            &later
        )
        .unwrap());
}

#[test]
fn a_reset_leech_starts_over_as_a_new_card_due_today() {
    let mut s = setup();
    let day = forget(&mut s, LEECH_LAPSES);
    let q = question(&s);
    let key = s.key.clone();
    let now = at(day, 9, 0);
    assert!(s
        .store
        .card_action(&key, "vectors", &q, CardAction::Suspend, &now)
        .unwrap());
    assert!(s
        .store
        .card_action(&key, "vectors", &q, CardAction::Reset, &now)
        .unwrap());
    assert!(s
        .store
        .leeches(&s.key, &s.loaded.course)
        .unwrap()
        .is_empty());
    assert_eq!(s.due_count(now), 1, "due today, no longer suspended");
    let answered = s
        .review("vectors", 0, true, at(day, 10, 0))
        .scheduled
        .unwrap();
    assert!(answered.rescheduled);
    let card = s.store.review_card(&key, "vectors", &q).unwrap().unwrap();
    assert_eq!(
        (card.reps, card.lapses),
        (1, 0),
        "a new card's first answer"
    );
}

#[test]
fn leech_and_suspension_marks_survive_export_and_import() {
    let mut s = setup();
    let day = forget(&mut s, LEECH_LAPSES);
    let q = question(&s);
    let key = s.key.clone();
    let now = at(day, 9, 0);
    s.store
        .card_action(&key, "vectors", &q, CardAction::Suspend, &now)
        .unwrap();
    let export = s.store.export().unwrap();
    let fresh_path = s._tmp.path().join("fresh.sqlite");
    let mut fresh = Store::open(&fresh_path).unwrap().store;
    fresh.import(&export).unwrap();
    let leeches = fresh.leeches(&key, &s.loaded.course).unwrap();
    assert_eq!(leeches.len(), 1);
    assert!(leeches[0].suspended);
    assert_eq!(
        review::due_count(&fresh, &key, &s.loaded.course, &at(day + 400, 9, 0)).unwrap(),
        0
    );
    assert_eq!(
        serde_json::to_string(&fresh.export().unwrap().review_cards).unwrap(),
        serde_json::to_string(&export.review_cards).unwrap()
    );
}
