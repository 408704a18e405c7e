//! What is stored and read back: states, scores, completion, resume, identity.

use lectern::progress::{CompletedBy, LessonState, Position, ScoreFigure, Store};

use super::{answer, bench, load};

#[test]
fn answering_every_question_right_once_completes_the_lesson_with_its_score() {
    let b = bench();
    let (loaded, key) = load(&b.dir);
    let mut store = Store::open(&b.db).unwrap().store;
    store
        .record_course_opened(&key, "Progress Fixture", &b.dir, 1_000)
        .unwrap();
    store.record_lesson_opened(&key, "a", 1_000).unwrap();
    let g = answer(&mut store, (&loaded, &key), "a", 0, false, (7, 2_000));
    assert!(!g.grade.correct && g.not_saved.is_none() && !g.lesson_complete);
    // One question of two answered is no score yet: the attempt is not finished.
    let p = store
        .course_progress(&key, &loaded.course, &lectern::review::Now::utc(0))
        .unwrap();
    assert_eq!(p.lessons[0].best, None);
    assert_eq!(p.lessons[0].last, Some(ScoreFigure { right: 0, total: 2 }));
    // A retry in the same attempt: right now, but not at the first try.
    let g = answer(&mut store, (&loaded, &key), "a", 0, true, (7, 3_000));
    assert!(g.grade.correct && !g.lesson_complete);
    let g = answer(&mut store, (&loaded, &key), "a", 1, true, (7, 4_000));
    assert!(g.lesson_complete);
    let p = store
        .course_progress(&key, &loaded.course, &lectern::review::Now::utc(0))
        .unwrap();
    let a = &p.lessons[0];
    assert_eq!(a.state, LessonState::Completed);
    assert_eq!(a.last, Some(ScoreFigure { right: 1, total: 2 }));
    // A second, perfect attempt is the best; the last is the latest.
    answer(&mut store, (&loaded, &key), "a", 0, true, (8, 5_000));
    answer(&mut store, (&loaded, &key), "a", 1, true, (8, 6_000));
    let p = store
        .course_progress(&key, &loaded.course, &lectern::review::Now::utc(0))
        .unwrap();
    assert_eq!(p.lessons[0].best, Some(ScoreFigure { right: 2, total: 2 }));
    assert_eq!((p.completed, p.total), (1, 2));
    assert_eq!(p.lessons[1].state, LessonState::NotStarted);
    assert_eq!(p.sections[0].completed, 1);
}

#[test]
fn a_lesson_without_a_quiz_completes_when_read_to_the_end_and_resume_returns_there() {
    let b = bench();
    let (loaded, key) = load(&b.dir);
    let mut store = Store::open(&b.db).unwrap().store;
    store
        .record_course_opened(&key, "Progress Fixture", &b.dir, 1_000)
        .unwrap();
    store.record_lesson_opened(&key, "b", 1_000).unwrap();
    let middle = Position {
        anchor: "lesson-b".into(),
        offset: 120.5,
        at_end: false,
    };
    store
        .record_position(&key, "b", &middle, CompletedBy::Reading, 2_000)
        .unwrap();
    store
        .record_active_time(&key, "b", 42_000, &lectern::review::Now::utc(1_000))
        .unwrap();
    let p = store
        .course_progress(&key, &loaded.course, &lectern::review::Now::utc(0))
        .unwrap();
    assert_eq!(p.lessons[1].state, LessonState::InProgress);
    assert_eq!(p.lessons[1].active_ms, 42_000);
    let resume = p.resume.unwrap();
    assert_eq!((resume.lesson.as_str(), resume.position), ("b", middle));
    let end = Position {
        anchor: "lesson-b".into(),
        offset: 300.0,
        at_end: true,
    };
    store
        .record_position(&key, "b", &end, CompletedBy::Reading, 3_000)
        .unwrap();
    let p = store
        .course_progress(&key, &loaded.course, &lectern::review::Now::utc(0))
        .unwrap();
    assert_eq!(p.lessons[1].state, LessonState::Completed);
}

#[test]
fn marking_and_resetting_a_lesson() {
    let b = bench();
    let (loaded, key) = load(&b.dir);
    let mut store = Store::open(&b.db).unwrap().store;
    store.mark_complete(&key, "a", true, 1_000).unwrap();
    answer(&mut store, (&loaded, &key), "a", 0, true, (1, 2_000));
    let p = store
        .course_progress(&key, &loaded.course, &lectern::review::Now::utc(0))
        .unwrap();
    assert_eq!(p.lessons[0].state, LessonState::Completed);
    assert!(p.lessons[0].marked);
    store.reset_lesson(&key, "a").unwrap();
    let p = store
        .course_progress(&key, &loaded.course, &lectern::review::Now::utc(0))
        .unwrap();
    assert_eq!(p.lessons[0].state, LessonState::NotStarted);
    assert_eq!(p.lessons[0].best, None);
}

#[test]
fn a_course_that_moves_keeps_its_progress_through_its_id() {
    let b = bench();
    let (loaded, key) = load(&b.dir);
    assert_eq!(key.as_str(), "id:progress-fixture");
    let mut store = Store::open(&b.db).unwrap().store;
    answer(&mut store, (&loaded, &key), "a", 0, true, (1, 1_000));
    let moved = b.dir.with_file_name("elsewhere");
    std::fs::rename(&b.dir, &moved).unwrap();
    let (loaded, moved_key) = load(&moved);
    assert_eq!(moved_key, key);
    let p = store
        .course_progress(&moved_key, &loaded.course, &lectern::review::Now::utc(0))
        .unwrap();
    assert_eq!(p.lessons[0].state, LessonState::InProgress);
}

#[test]
fn a_course_without_an_id_is_identified_by_its_canonical_folder() {
    let b = bench();
    std::fs::remove_file(b.dir.join("course.yaml")).unwrap();
    let (_, key) = load(&b.dir);
    let canonical = std::fs::canonicalize(&b.dir).unwrap();
    assert_eq!(key.as_str(), format!("path:{}", canonical.display()));
}

#[test]
fn a_lesson_that_disappears_keeps_its_progress_and_gets_it_back() {
    let b = bench();
    let (loaded, key) = load(&b.dir);
    let mut store = Store::open(&b.db).unwrap().store;
    answer(&mut store, (&loaded, &key), "a", 0, true, (1, 1_000));
    answer(&mut store, (&loaded, &key), "a", 1, true, (1, 2_000));
    let text = std::fs::read(b.dir.join("a.md")).unwrap();
    std::fs::remove_file(b.dir.join("a.md")).unwrap();
    let (gone, _) = load(&b.dir);
    assert_eq!(
        store
            .course_progress(&key, &gone.course, &lectern::review::Now::utc(0))
            .unwrap()
            .lessons
            .len(),
        1
    );
    std::fs::write(b.dir.join("a.md"), text).unwrap();
    let (back, _) = load(&b.dir);
    let p = store
        .course_progress(&key, &back.course, &lectern::review::Now::utc(0))
        .unwrap();
    assert_eq!(p.lessons[0].state, LessonState::Completed);
}

#[test]
fn an_edited_question_shows_as_updated_since_answered() {
    let b = bench();
    let (loaded, key) = load(&b.dir);
    let mut store = Store::open(&b.db).unwrap().store;
    answer(&mut store, (&loaded, &key), "a", 0, true, (1, 1_000));
    answer(&mut store, (&loaded, &key), "a", 1, true, (1, 2_000));
    let path = b.dir.join("a.md");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("And this one?", "And this one, reworded?");
    std::fs::write(&path, edited).unwrap();
    let (loaded, _) = load(&b.dir);
    let (quiz, _) = lectern::quiz::parse(loaded.course.lesson("a").unwrap());
    let ids: Vec<String> = quiz.questions.iter().map(|q| q.id.clone()).collect();
    let h = store.lesson_history(&key, "a", &ids).unwrap();
    assert_eq!(h.updated, [1]);
    assert_eq!(h.right_once, [ids[0].clone()]);
}

#[test]
fn recent_courses_come_most_recent_first() {
    let b = bench();
    let mut store = Store::open(&b.db).unwrap().store;
    let one = lectern::progress::CourseKey::from_stored("id:one");
    let two = lectern::progress::CourseKey::from_stored("id:two");
    store
        .record_course_opened(&one, "One", "/x/one".as_ref(), 1_000)
        .unwrap();
    store
        .record_course_opened(&two, "Two", "/x/two".as_ref(), 2_000)
        .unwrap();
    store
        .record_course_opened(&one, "One again", "/x/one".as_ref(), 3_000)
        .unwrap();
    let recent = store.recent_courses(10).unwrap();
    let titles: Vec<&str> = recent.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["One again", "Two"]);
}

#[test]
fn settings_are_kept() {
    let b = bench();
    {
        let mut store = Store::open(&b.db).unwrap().store;
        store.set_setting("retention", "0.9").unwrap();
    }
    let store = Store::open(&b.db).unwrap().store;
    assert_eq!(store.setting("retention").unwrap().as_deref(), Some("0.9"));
    assert_eq!(store.setting("missing").unwrap(), None);
}

#[test]
fn answers_in_author_mode_are_graded_but_neither_recorded_nor_scheduled() {
    let b = bench();
    let (loaded, key) = load(&b.dir);
    let mut store = Store::open(&b.db).unwrap().store;
    store
        .record_course_opened(&key, "Progress Fixture", &b.dir, 1_000)
        .unwrap();
    lectern::author::set(&mut store, true).unwrap();
    let before = store.export().unwrap();
    let right = answer(&mut store, (&loaded, &key), "a", 0, true, (7, 2_000));
    let wrong = answer(&mut store, (&loaded, &key), "a", 1, false, (7, 3_000));
    assert!(right.grade.correct && !wrong.grade.correct);
    for g in [&right, &wrong] {
        assert_eq!(g.not_saved.as_ref().map(|n| n.code), Some("author-mode"));
        assert!(g.scheduled.is_none() && !g.lesson_complete);
    }
    let after = store.export().unwrap();
    assert_eq!(after.answers.len(), before.answers.len());
    assert_eq!(after.attempts.len(), before.attempts.len());
    assert_eq!(after.review_cards.len(), before.review_cards.len());
    assert_eq!(after.review_log.len(), before.review_log.len());
    // Off again: the same answer is recorded.
    lectern::author::set(&mut store, false).unwrap();
    let kept = answer(&mut store, (&loaded, &key), "a", 0, true, (8, 4_000));
    assert!(kept.not_saved.is_none() && kept.scheduled.is_some());
    assert_eq!(
        store.export().unwrap().answers.len(),
        before.answers.len() + 1
    );
}
