//! Migration 2 (spaced review) on a database written by the version before it: every
//! answer, attempt, lesson, course and setting is kept, and review works afterwards.

use lectern::progress::Store;
use lectern::review;

use super::at;

#[test]
fn a_version_1_database_keeps_every_answer_after_migration() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("old.sqlite");
    let sql = std::fs::read_to_string(crate::support::fixtures_root().join("review/v1-schema.sql"))
        .unwrap();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(&sql).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
    }
    let before = rusqlite::Connection::open(&db).unwrap();
    let answers_before: Vec<(String, String, bool, i64)> = before
        .prepare("SELECT id, chosen, correct, answered_at FROM answers ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(before);

    let mut store = Store::open(&db).unwrap().store;
    let export = store.export().unwrap();
    let answers_after: Vec<(String, String, bool, i64)> = export
        .answers
        .iter()
        .map(|a| {
            (
                a.id.clone(),
                serde_json::to_string(&a.chosen).unwrap(),
                a.correct,
                a.answered_at,
            )
        })
        .collect();
    assert_eq!(answers_after, answers_before);
    assert_eq!(answers_after.len(), 5);
    assert_eq!(export.attempts.len(), 2);
    assert_eq!(export.lessons[0].active_ms, 120_000);
    assert_eq!(export.courses[0].last_lesson.as_deref(), Some("tokens"));
    assert_eq!(export.settings[0].value, "dark");
    assert!(export.review_cards.is_empty() && export.review_log.is_empty());
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, 7);
    }

    // The migrated file schedules answers like a new one.
    let (_fixture, dir) = crate::support::fixture("review/course");
    let loaded = lectern::course::Course::load(&dir);
    let key = lectern::progress::CourseKey::of(&loaded.course);
    assert_eq!(key.as_str(), "id:review-fixture");
    let (quiz, _) = lectern::quiz::parse(loaded.course.lesson("vectors").unwrap());
    let q = &quiz.questions[0];
    let graded = lectern::answer::submit(
        Some(&mut store),
        &key,
        &loaded.course,
        &lectern::answer::Answer {
            note: None,
            lesson: "vectors",
            question: &q.id,
            chosen: &[q.options()[1].id.clone()],
            time_ms: 1,
            now: at(0, 9, 0),
            origin: lectern::answer::Origin::Review,
        },
    )
    .unwrap();
    assert!(graded.not_saved.is_none());
    assert_eq!(
        review::due_count(&store, &key, &loaded.course, &at(1, 0, 0)).unwrap(),
        1
    );
    // Opening it again changes nothing.
    drop(store);
    let again = Store::open(&db).unwrap().store;
    assert_eq!(again.export().unwrap().answers.len(), 5);
}
