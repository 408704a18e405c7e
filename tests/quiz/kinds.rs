//! Question kinds end to end in the core: typed blanks (text and numbers) and
//! per-option feedback parsed from a Knowledge Check, graded, recorded through the
//! answer pipeline, reviewed by typing, hidden outside the quiz, exported and imported;
//! and a database of the release before kinds upgraded with nothing lost.

use std::path::Path;

use lectern::answer::{self, Answer, Origin};
use lectern::course::{Course, Loaded};
use lectern::progress::{parse_export, CourseKey, Store};
use lectern::quiz::{self, Kind, Question, Quiz, Verdict};
use lectern::review::{self, Now};

use crate::support::fixture;

/// 2026-03-02T09:00Z plus `day` days, at UTC.
fn at(day: i64) -> Now {
    Now {
        at: 1_772_442_000_000 + day * 86_400_000,
        utc_offset_min: 0,
    }
}

fn course() -> (tempfile::TempDir, Loaded) {
    let (tmp, dir) = fixture("kinds/course");
    let loaded = Course::load(&dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    (tmp, loaded)
}

fn quiz_of(loaded: &Loaded) -> Quiz {
    let (quiz, diagnostics) = quiz::parse(loaded.course.lesson("capitals").unwrap());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    quiz
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn typed(quiz: &Quiz, n: usize) -> &Question {
    let q = &quiz.questions[n];
    assert!(matches!(q.kind, Kind::Typed(_)), "question {n} is typed");
    q
}

#[test]
fn every_kind_of_the_fixture_parses_with_no_diagnostic_and_grades_its_key_right() {
    let (_tmp, loaded) = course();
    let quiz = quiz_of(&loaded);
    let kinds: Vec<&str> = quiz.questions.iter().map(|q| q.kind.name()).collect();
    assert_eq!(
        kinds,
        ["choice", "typed", "typed", "typed", "typed", "typed"]
    );
    for q in &quiz.questions {
        let grade = quiz::grade(&quiz, &q.id, &q.kind.key_answer()).unwrap();
        assert!(grade.correct, "{}: {grade:?}", q.prompt_md);
    }
    let Kind::Typed(two) = &quiz.questions[4].kind else {
        unreachable!()
    };
    assert_eq!(two.blanks.len(), 2, "one field per blank");
    let Kind::Typed(code) = &quiz.questions[5].kind else {
        unreachable!()
    };
    assert_eq!(code.blanks.len(), 1, "`v[[0]]` in a code span is no blank");
}

#[test]
fn a_typed_answer_is_right_almost_or_wrong_with_the_difference_marked() {
    let (_tmp, loaded) = course();
    let quiz = quiz_of(&loaded);
    let q = typed(&quiz, 1);
    let grade = |given: &str| quiz::grade(&quiz, &q.id, &strings(&[given])).unwrap();

    assert!(grade("  paris. ").correct);
    let almost = grade("Pariss");
    assert!(!almost.correct, "almost is still not right");
    assert_eq!(almost.blanks[0].verdict, Verdict::Almost);
    assert_eq!(almost.blanks[0].expected.as_deref(), Some("Paris"));
    let wrong = grade("Lyon");
    assert_eq!(wrong.blanks[0].verdict, Verdict::Wrong);
    assert!(wrong.blanks[0]
        .diff
        .iter()
        .any(|p| p.op == quiz::Op::Missing));
    assert!(
        wrong.review.is_some(),
        "a wrong answer points at the section to revisit"
    );

    let alternatives = typed(&quiz, 2);
    for given in ["Byte pair encoding", "BPE", "byte-pair encoding."] {
        let g = quiz::grade(&quiz, &alternatives.id, &strings(&[given])).unwrap();
        assert!(g.correct, "{given}");
    }
}

#[test]
fn numeric_blanks_take_every_notation_and_honour_tolerances_and_ranges() {
    let (_tmp, loaded) = course();
    let quiz = quiz_of(&loaded);
    let within = typed(&quiz, 3);
    for given in ["0.75", "0,75", "7.5e-1", " +0.74 ", "0.76"] {
        let g = quiz::grade(&quiz, &within.id, &strings(&[given])).unwrap();
        assert!(g.correct, "{given}");
    }
    for given in ["0.77", "3/4", "0.7.5"] {
        let g = quiz::grade(&quiz, &within.id, &strings(&[given])).unwrap();
        assert!(!g.correct, "{given}");
    }
    let two = typed(&quiz, 4);
    let g = quiz::grade(&quiz, &two.id, &strings(&["3", "6"])).unwrap();
    assert!(g.correct);
    let g = quiz::grade(&quiz, &two.id, &strings(&["7", "6"])).unwrap();
    assert!(!g.correct);
    assert_eq!(g.blanks[0].verdict, Verdict::Wrong);
    assert_eq!(
        g.blanks[1].verdict,
        Verdict::Right,
        "each blank has its own verdict"
    );
    let g = quiz::grade(&quiz, &two.id, &strings(&["1,000", "6"])).unwrap();
    assert!(g.blanks[0]
        .note
        .as_deref()
        .unwrap()
        .contains("digit grouping"));
    let e = quiz::grade(&quiz, &two.id, &strings(&["3"])).unwrap_err();
    assert_eq!(e.code(), "malformed-answer", "one answer per blank");
    let e = quiz::grade(&quiz, &two.id, &strings(&[" ", ""])).unwrap_err();
    assert_eq!(e.code(), "no-choice");
}

#[test]
fn an_option_s_feedback_is_shown_when_that_option_is_chosen() {
    let (_tmp, loaded) = course();
    let quiz = quiz_of(&loaded);
    let q = &quiz.questions[0];
    let lyon = q.options().iter().find(|o| o.md == "Lyon").unwrap();
    let g = quiz::grade(&quiz, &q.id, std::slice::from_ref(&lyon.id)).unwrap();
    assert_eq!(g.feedback.len(), 1);
    assert!(g.feedback[0].html.contains("third city"));
    assert!(g
        .explanation_html
        .unwrap()
        .contains("most of French history"));
    let marseille = q.options().iter().find(|o| o.md == "Marseille").unwrap();
    let g = quiz::grade(&quiz, &q.id, std::slice::from_ref(&marseille.id)).unwrap();
    assert!(g.feedback.is_empty(), "no feedback written for it");
}

#[test]
fn what_the_learner_sees_of_a_typed_question_holds_no_answer() {
    let (_tmp, loaded) = course();
    let quiz = quiz_of(&loaded);
    let attempt = quiz::start_attempt(&quiz, 5);
    for view in &attempt.questions[1..] {
        let json = serde_json::to_string(view).unwrap();
        for key in ["Paris", "byte", "BPE", "0.75", "1..6", "first"] {
            assert!(!json.contains(key), "{key} leaks in {json}");
        }
        assert_eq!(view.kind, "typed");
        assert_eq!(
            view.prompt_html.matches("class=\"q-blank\"").count(),
            view.blanks.len()
        );
    }
    assert!(attempt.questions[3].blanks[0].numeric);
    assert!(!attempt.questions[1].blanks[0].numeric);
}

#[test]
fn typed_answers_are_recorded_scheduled_and_reviewed_by_typing() {
    let (tmp, loaded) = course();
    let mut store = Store::open(&tmp.path().join("p.sqlite")).unwrap().store;
    let key = CourseKey::of(&loaded.course);
    let quiz = quiz_of(&loaded);
    let q = typed(&quiz, 1);
    let wrong = strings(&["Lyon"]);
    let answered = answer::submit(
        Some(&mut store),
        &key,
        &loaded.course,
        &Answer {
            note: None,
            lesson: "capitals",
            question: &q.id,
            chosen: &wrong,
            time_ms: 3_000,
            now: at(0),
            origin: Origin::Quiz { attempt: 1 },
        },
    )
    .unwrap();
    assert!(!answered.grade.correct && answered.not_saved.is_none());
    assert!(answered.scheduled.is_some());

    let session = review::session(&store, &key, &loaded.course, &at(2), 9).unwrap();
    let card = &session.cards[0].question;
    assert_eq!((card.id.as_str(), card.kind), (q.id.as_str(), "typed"));
    assert_eq!(card.blanks.len(), 1);
    let right = strings(&["Paris"]);
    let reviewed = answer::submit(
        Some(&mut store),
        &key,
        &loaded.course,
        &Answer {
            note: None,
            lesson: "capitals",
            question: &q.id,
            chosen: &right,
            time_ms: 2_000,
            now: at(2),
            origin: Origin::Review,
        },
    )
    .unwrap();
    assert!(reviewed.grade.correct);
    assert!(reviewed.scheduled.unwrap().rescheduled);
    let export = store.export().unwrap();
    assert_eq!(
        export.answers[0].chosen, wrong,
        "the typed text is what is kept"
    );
}

#[test]
fn prompts_shown_outside_the_quiz_hide_every_blank() {
    let (tmp, loaded) = course();
    let mut store = Store::open(&tmp.path().join("p.sqlite")).unwrap().store;
    let key = CourseKey::of(&loaded.course);
    let quiz = quiz_of(&loaded);
    for q in &quiz.questions[1..] {
        let blanks = match &q.kind {
            Kind::Typed(t) => t.blanks.len(),
            _ => unreachable!(),
        };
        let wrong = vec!["zzz".to_owned(); blanks];
        answer::submit(
            Some(&mut store),
            &key,
            &loaded.course,
            &Answer {
                note: None,
                lesson: "capitals",
                question: &q.id,
                chosen: &wrong,
                time_ms: 1_000,
                now: at(0),
                origin: Origin::Quiz { attempt: 1 },
            },
        )
        .unwrap();
    }
    let due = review::due_cards(&store, &key, &loaded.course, &at(3)).unwrap();
    assert_eq!(due.len(), 5);
    let dashboard = store.dashboard(&key, &loaded.course, &at(3)).unwrap();
    let shown: Vec<String> = due
        .iter()
        .map(|d| d.prompt.clone())
        .chain(dashboard.missed.iter().map(|m| m.prompt.clone()))
        .collect();
    assert!(
        shown.iter().any(|p| p == "The capital of France is ___."),
        "{shown:?}"
    );
    for prompt in &shown {
        assert_eq!(
            &quiz::hide_blanks(prompt),
            prompt,
            "a blank is left in {prompt}"
        );
        assert!(
            !prompt.contains("Paris") && !prompt.contains("0.75"),
            "{prompt}"
        );
    }
    assert!(shown
        .iter()
        .any(|p| p == "Indexing `v[[0]]` gives the ___ element of `v`."));

    let mut index = lectern::search::SearchIndex::in_memory().unwrap();
    index.sync(&loaded).unwrap();
    for word in ["Paris", "BPE"] {
        let found = index.search(&loaded, word, 10).unwrap();
        assert!(found.results.is_empty(), "{word}: {:?}", found.results);
    }
    let found = index.search(&loaded, "decimal quarters", 10).unwrap();
    assert!(!found.results.is_empty(), "prompts are still searched");
}

#[test]
fn export_then_import_keeps_answers_of_every_kind() {
    let (tmp, loaded) = course();
    let mut store = Store::open(&tmp.path().join("a.sqlite")).unwrap().store;
    let key = CourseKey::of(&loaded.course);
    let quiz = quiz_of(&loaded);
    for (n, q) in quiz.questions.iter().enumerate() {
        answer::submit(
            Some(&mut store),
            &key,
            &loaded.course,
            &Answer {
                note: None,
                lesson: "capitals",
                question: &q.id,
                chosen: &q.kind.key_answer(),
                time_ms: 1_000,
                now: at(n as i64),
                origin: Origin::Quiz { attempt: 2 },
            },
        )
        .unwrap();
    }
    let exported = store.export().unwrap();
    assert_eq!(exported.answers.len(), quiz.questions.len());
    let bytes = serde_json::to_vec(&exported).unwrap();
    let mut other = Store::open(&tmp.path().join("b.sqlite")).unwrap().store;
    other.import(&parse_export(&bytes).unwrap()).unwrap();
    let again = other.export().unwrap();
    assert_eq!(serde_json::to_vec(&again).unwrap(), bytes);
    let figures = review::figures(&other, &key, &loaded.course, &at(9)).unwrap();
    assert_eq!(
        figures.cards,
        quiz.questions.len(),
        "every kind is a review card"
    );
}

#[test]
fn a_database_of_the_release_before_kinds_keeps_every_answer_and_card() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("release.sqlite");
    let sql = std::fs::read_to_string(crate::support::fixtures_root().join("kinds/release-db.sql"))
        .unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(&sql)
        .unwrap();
    let loaded = Course::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons"));
    let store = Store::open(&db).unwrap().store;
    let key = CourseKey::of(&loaded.course);
    let export = store.export().unwrap();
    assert_eq!((export.answers.len(), export.review_cards.len()), (48, 48));
    let mut catalog = quiz::Catalog::new(&loaded.course);
    for card in &export.review_cards {
        assert!(
            catalog.has(&card.lesson, &card.question),
            "{} {} is no longer a question",
            card.lesson,
            card.question
        );
    }
    let figures = review::figures(&store, &key, &loaded.course, &at(0)).unwrap();
    assert_eq!(figures.cards, 48, "every card is still the course's");
    let progress = store
        .course_progress(&key, &loaded.course, &at(400))
        .unwrap();
    let scored = progress.lessons.iter().filter(|l| l.best.is_some()).count();
    assert_eq!(scored, 8, "each lesson's score is kept");
    assert!(
        export.answers.iter().all(|a| a.note.is_none()),
        "older answers have no note"
    );
}

#[test]
fn lints_of_typed_questions_are_reported_by_check_at_their_lines() {
    let (_tmp, dir) = fixture("kinds/lints");
    let loaded = Course::load(&dir);
    let report = lectern::check::check(&loaded, &lectern::render::Renderer::default());
    let found: Vec<(u32, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.line, d.code))
        .collect();
    assert_eq!(
        found,
        [
            (9, "quiz-blank-empty"),
            (11, "quiz-blank-empty-alternative"),
            (13, "quiz-blank-number"),
            (15, "quiz-blank-number"),
            (17, "quiz-blank-number"),
            (19, "quiz-blank-tolerance"),
            (22, "quiz-blanks-and-options"),
            (25, "quiz-feedback-typed"),
        ]
    );
    assert_eq!((report.errors, report.warnings), (6, 2));
    let (quiz, _) = quiz::parse(loaded.course.lesson("lints").unwrap());
    let kept: Vec<u32> = quiz.questions.iter().map(|q| q.line).collect();
    assert_eq!(
        kept,
        [19, 25, 28],
        "warnings keep a question, errors drop it"
    );
}

#[test]
fn a_quiz_answer_keeps_the_learner_s_note_through_export_and_import() {
    let (tmp, loaded) = course();
    let mut store = Store::open(&tmp.path().join("a.sqlite")).unwrap().store;
    let key = CourseKey::of(&loaded.course);
    let quiz = quiz_of(&loaded);
    for (n, note) in [(1, Some("It is on the Seine.")), (2, Some("  ")), (3, None)] {
        let q = &quiz.questions[n];
        answer::submit(
            Some(&mut store),
            &key,
            &loaded.course,
            &Answer {
                note,
                lesson: "capitals",
                question: &q.id,
                chosen: &q.kind.key_answer(),
                time_ms: 1_000,
                now: at(0),
                origin: Origin::Quiz { attempt: 3 },
            },
        )
        .unwrap();
    }
    let exported = store.export().unwrap();
    let mut notes: Vec<Option<&str>> = exported.answers.iter().map(|a| a.note.as_deref()).collect();
    notes.sort();
    assert_eq!(
        notes,
        [None, None, Some("It is on the Seine.")],
        "a blank note is no note"
    );
    let json = serde_json::to_string(&exported).unwrap();
    assert_eq!(
        json.matches("\"note\"").count(),
        1,
        "answers without a note export as before"
    );
    let mut other = Store::open(&tmp.path().join("b.sqlite")).unwrap().store;
    other
        .import(&parse_export(json.as_bytes()).unwrap())
        .unwrap();
    assert_eq!(
        serde_json::to_string(&other.export().unwrap()).unwrap(),
        json
    );
}
