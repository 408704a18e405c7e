//! "Make a card": a highlight becomes a review card that hides the highlighted phrase in
//! its sentence, due and answered with the course's questions, kept through export and
//! import, and honest about its source when the lesson changes or the highlight goes.

use lectern::answer::{self, Answer, Origin};
use lectern::course::Course;
use lectern::day::Now;
use lectern::notes::{self, Selection, SourceState};
use lectern::progress::{AnnotationKind, CourseKey, Store};
use lectern::render::Renderer;
use lectern::review;

use crate::support::fixture;

const NOW: i64 = 1_780_000_000_000;
const DAY: i64 = 86_400_000;

fn at(ms: i64) -> Now {
    Now {
        at: ms,
        utc_offset_min: 0,
    }
}

struct Setup {
    _tmp: tempfile::TempDir,
    dir: std::path::PathBuf,
    store: Store,
    key: CourseKey,
    course: Course,
    renderer: Renderer,
}

impl Setup {
    fn new() -> Setup {
        let (tmp, dir) = fixture("notes/course");
        let store = Store::open(&tmp.path().join("progress.sqlite"))
            .unwrap()
            .store;
        let course = Course::load(&dir).course;
        Setup {
            _tmp: tmp,
            dir,
            store,
            key: CourseKey::of(&course),
            course,
            renderer: Renderer::default(),
        }
    }

    /// Highlights `phrase` of lesson `lesson` as the window does (UTF-16 offsets of the
    /// lesson's plain text; the fixture's text is ASCII) and returns its id.
    fn highlight(&mut self, lesson: &str, phrase: &str) -> String {
        let text = self.text(lesson);
        let start = text.find(phrase).unwrap();
        let selection = Selection {
            kind: AnnotationKind::Highlight,
            start,
            end: start + phrase.len(),
            color: Some("yellow".into()),
            heading: None,
            note: None,
        };
        notes::annotate(
            &mut self.store,
            &self.key,
            &self.course,
            &self.renderer,
            lesson,
            &selection,
            7,
            NOW,
        )
        .unwrap()
    }

    fn text(&self, lesson: &str) -> String {
        let html = self
            .renderer
            .render(
                self.course.lesson(lesson).unwrap(),
                &lectern::render::RenderOptions::new(
                    self.course.root(),
                    self.course.lesson_ids_by_path(),
                ),
            )
            .html;
        lectern::anchor::plain_text(&html)
    }

    fn make(&mut self, annotation: &str) -> notes::MadeCard {
        notes::make_card(
            &mut self.store,
            &self.key,
            &self.course,
            &self.renderer,
            annotation,
            NOW,
        )
        .unwrap()
    }

    fn answer(&mut self, lesson: &str, card: &str, typed: &str, when: i64) -> answer::Answered {
        let chosen = [typed.to_owned()];
        answer::submit(
            Some(&mut self.store),
            &self.key,
            &self.course,
            &Answer {
                lesson,
                question: card,
                chosen: &chosen,
                note: None,
                time_ms: 3000,
                now: at(when),
                origin: Origin::Review,
            },
        )
        .unwrap()
    }

    fn reload(&mut self) {
        self.course = Course::load(&self.dir).course;
    }
}

#[test]
fn a_card_made_of_a_highlight_hides_the_phrase_in_its_sentence_and_is_due_in_review() {
    let mut s = Setup::new();
    let id = s.highlight("softmax", "positive and sum to one");
    let made = s.make(&id);
    assert!(made.created);
    assert_eq!(
        made.prompt,
        "The softmax turns a vector of scores into weights that are ___."
    );
    let again = s.make(&id);
    assert_eq!(
        (again.id.as_str(), again.created),
        (made.id.as_str(), false)
    );

    let session = review::session(&s.store, &s.key, &s.course, &at(NOW), 1).unwrap();
    assert_eq!(session.cards.len(), 1, "the new card is due at once");
    let card = &session.cards[0];
    assert_eq!(card.question.id, made.id);
    assert_eq!(card.question.kind, "typed");
    assert_eq!(card.lesson, "softmax");
    assert!(!card.question.prompt_html.contains("sum to one"));
    let source = card.made.as_ref().unwrap();
    assert_eq!(
        (source.annotation.as_str(), source.state),
        (id.as_str(), SourceState::Same)
    );
    assert_eq!(
        review::due_count(&s.store, &s.key, &s.course, &at(NOW)).unwrap(),
        1
    );
    let listed = review::due_cards(&s.store, &s.key, &s.course, &at(NOW)).unwrap();
    assert_eq!(
        listed.iter().map(|c| c.prompt.as_str()).collect::<Vec<_>>(),
        [made.prompt.as_str()],
        "`lectern review due` lists it, the phrase hidden"
    );
    let dashboard = s.store.dashboard(&s.key, &s.course, &at(NOW)).unwrap();
    assert_eq!(dashboard.due[0].count, 1, "the dashboard counts it today");
}

#[test]
fn a_typed_answer_is_graded_forgivingly_and_schedules_the_card_with_fsrs() {
    let mut s = Setup::new();
    let id = s.highlight("softmax", "positive and sum to one");
    let made = s.make(&id);
    let wrong = s.answer("softmax", &made.id, "positive", NOW);
    assert!(!wrong.grade.correct);
    assert_eq!(
        wrong.grade.blanks[0].expected.as_deref(),
        Some("positive and sum to one")
    );
    assert!(wrong.again_in_session);
    let next_day = NOW + DAY;
    let session = review::session(&s.store, &s.key, &s.course, &at(next_day), 1).unwrap();
    assert_eq!(session.cards.len(), 1, "Again brings it back the next day");
    let right = s.answer("softmax", &made.id, "Positive and sum to one.", next_day);
    assert!(right.grade.correct, "{:?}", right.grade.blanks);
    let scheduled = right.scheduled.unwrap();
    assert!(scheduled.rescheduled && scheduled.interval_days >= 1.0);
    let state = s
        .store
        .review_card(&s.key, "softmax", &made.id)
        .unwrap()
        .unwrap();
    assert_eq!(state.reps, 2);
    assert_eq!(
        state.lapses, 0,
        "a miss before the card was ever learned is no lapse"
    );
    let after = review::session(&s.store, &s.key, &s.course, &at(next_day), 1).unwrap();
    assert!(after.cards.is_empty(), "answered right: not due today");
    assert_eq!(after.next_due, Some(state.due));
}

#[test]
fn cards_and_their_schedules_survive_export_and_import_and_a_second_import_adds_nothing() {
    let mut s = Setup::new();
    let id = s.highlight("masking", "hides every later position");
    let made = s.make(&id);
    s.answer("masking", &made.id, "hides every later position", NOW);
    let export = s.store.export().unwrap();
    assert_eq!(export.made_cards.len(), 1);
    assert_eq!(export.made_cards[0].phrase, "hides every later position");

    let tmp = tempfile::tempdir().unwrap();
    let mut other = Store::open(&tmp.path().join("other.sqlite")).unwrap().store;
    let first = other.import(&export).unwrap();
    assert_eq!(first.made_cards, 1);
    let second = other.import(&export).unwrap();
    assert_eq!(
        (second.made_cards, second.annotations, second.reviews),
        (0, 0, 0)
    );
    let round = other.export().unwrap();
    assert_eq!(
        serde_json::to_string(&round).unwrap(),
        serde_json::to_string(&export).unwrap(),
        "the round trip is identical"
    );
    assert_eq!(
        other.review_card(&s.key, "masking", &made.id).unwrap(),
        s.store.review_card(&s.key, "masking", &made.id).unwrap()
    );
}

#[test]
fn an_edited_source_sentence_is_flagged_with_the_new_text_and_the_card_keeps_its_own() {
    let mut s = Setup::new();
    let id = s.highlight("masking", "hides every later position");
    let made = s.make(&id);
    s.answer("masking", &made.id, "hides every later position", NOW);
    let due_before = s
        .store
        .review_card(&s.key, "masking", &made.id)
        .unwrap()
        .unwrap();
    let file = s.dir.join("02-masking.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("so training matches", "so that training matches"),
    )
    .unwrap();
    s.reload();

    let later = NOW + 400 * DAY;
    let session = review::session(&s.store, &s.key, &s.course, &at(later), 1).unwrap();
    let card = &session.cards[0];
    let source = card.made.as_ref().unwrap();
    assert_eq!(source.state, SourceState::Changed);
    assert_eq!(
        source.text.as_deref(),
        Some("A causal mask hides every later position from the decoder, so that training matches generation.")
    );
    assert!(
        card.question.prompt_html.contains("so training matches"),
        "the card keeps the text it was made with: {}",
        card.question.prompt_html
    );
    let state = s
        .store
        .review_card(&s.key, "masking", &made.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        state, due_before,
        "an edit never starts the learner's card over"
    );
    assert!(
        s.answer("masking", &made.id, "hides every later position", later)
            .grade
            .correct
    );

    std::fs::write(
        &file,
        "---\nid: masking\ntitle: Masking\n---\n# Masking\n\nRewritten entirely.\n",
    )
    .unwrap();
    s.reload();
    let session = review::session(&s.store, &s.key, &s.course, &at(later + 800 * DAY), 1).unwrap();
    assert_eq!(
        session.cards[0].made.as_ref().unwrap().state,
        SourceState::Detached
    );
}

#[test]
fn removing_the_highlight_keeps_the_card_marked_source_removed() {
    let mut s = Setup::new();
    let id = s.highlight("softmax", "positive and sum to one");
    let made = s.make(&id);
    assert!(s.store.remove_annotation(&s.key, &id).unwrap());
    let session = review::session(&s.store, &s.key, &s.course, &at(NOW), 1).unwrap();
    assert_eq!(
        session.cards.len(),
        1,
        "the card is the learner's: it stays"
    );
    let source = session.cards[0].made.as_ref().unwrap();
    assert_eq!(source.state, SourceState::Removed);
    assert!(
        s.answer("softmax", &made.id, "positive and sum to one", NOW)
            .grade
            .correct
    );
    let refused = notes::make_card(&mut s.store, &s.key, &s.course, &s.renderer, &id, NOW);
    assert_eq!(refused.unwrap_err().code(), "card-source-missing");
}

#[test]
fn resetting_the_lesson_keeps_the_learners_card_and_starts_it_over_as_new() {
    let mut s = Setup::new();
    let id = s.highlight("softmax", "positive and sum to one");
    let made = s.make(&id);
    s.answer("softmax", &made.id, "positive and sum to one", NOW);
    let later = NOW + DAY;
    assert!(review::session(&s.store, &s.key, &s.course, &at(later), 1)
        .unwrap()
        .cards
        .is_empty());
    s.store.reset_lesson(&s.key, "softmax").unwrap();
    let card = s
        .store
        .review_card(&s.key, "softmax", &made.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (card.reps, card.due),
        (0, NOW),
        "new again, due from when it was made"
    );
    let session = review::session(&s.store, &s.key, &s.course, &at(later), 1).unwrap();
    assert_eq!(session.cards.len(), 1);
    s.store.reset_course(&s.key).unwrap();
    assert!(s.store.made_card(&s.key, &made.id).unwrap().is_some());
    assert_eq!(
        review::due_count(&s.store, &s.key, &s.course, &at(later)).unwrap(),
        1
    );
}

#[test]
fn deleting_a_card_takes_it_out_of_review_for_good_and_its_highlight_can_make_it_anew() {
    let mut s = Setup::new();
    let id = s.highlight("softmax", "positive and sum to one");
    let made = s.make(&id);
    s.answer("softmax", &made.id, "positive and sum to one", NOW);
    assert!(s.store.delete_made_card(&s.key, &made.id).unwrap());
    assert!(s.store.made_card(&s.key, &made.id).unwrap().is_none());
    assert!(s
        .store
        .review_card(&s.key, "softmax", &made.id)
        .unwrap()
        .is_none());
    // Neither time nor a course reset (which starts the learner's cards over) brings
    // it back.
    s.store.reset_course(&s.key).unwrap();
    let session = review::session(&s.store, &s.key, &s.course, &at(NOW + 100 * DAY), 1).unwrap();
    assert!(session.cards.is_empty(), "{:?}", session.cards.len());
    assert!(
        !s.store.delete_made_card(&s.key, &made.id).unwrap(),
        "nothing is left to delete"
    );
    // The highlight stays: a card made of it again is a new one, due at once.
    assert_eq!(s.store.annotations(&s.key).unwrap().len(), 1);
    let again = s.make(&id);
    assert!(again.created);
    let card = s
        .store
        .review_card(&s.key, "softmax", &again.id)
        .unwrap()
        .unwrap();
    assert_eq!((card.reps, card.due), (0, NOW));
}

#[test]
fn a_card_the_learner_keeps_missing_is_in_the_dashboards_most_missed_and_a_leech() {
    let mut s = Setup::new();
    let id = s.highlight("softmax", "positive and sum to one");
    let made = s.make(&id);
    s.answer("softmax", &made.id, "positive and sum to one", NOW);
    let mut when = NOW;
    for _ in 0..review::LEECH_LAPSES {
        when += 2 * DAY;
        let answered = s.answer("softmax", &made.id, "negative", when);
        assert!(answered.scheduled.unwrap().rescheduled, "due, so a lapse");
    }
    let dashboard = s
        .store
        .dashboard(&s.key, &s.course, &at(when + DAY))
        .unwrap();
    let missed = dashboard
        .missed
        .iter()
        .find(|m| m.question == made.id)
        .expect("the card is among the most missed");
    assert_eq!(i64::from(missed.misses), review::LEECH_LAPSES);
    assert!(
        missed.prompt.contains("___") && !missed.prompt.contains("positive and sum to one"),
        "the blank shows, never the phrase: {}",
        missed.prompt
    );
    let leeches = s.store.leeches(&s.key, &s.course).unwrap();
    assert_eq!(
        leeches
            .iter()
            .map(|l| l.question.as_str())
            .collect::<Vec<_>>(),
        [made.id.as_str()]
    );
    assert_eq!(dashboard.leeches.len(), 1);
}
