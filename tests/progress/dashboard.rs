//! The study dashboard over a seeded history (moved from `src/progress/dashboard.rs`:
//! the history is seeded through the answer pipeline, which stands above the store).

use lectern::answer::{self, Answer, Origin};
use lectern::course::Course;
use lectern::day::{date_of_day as date_of, Now};
use lectern::progress::{CourseKey, Dashboard, Millis, Store, Streak, StudyDay};
use lectern::quiz;

const DAY_MS: i64 = 86_400_000;

/// Tuesday 3 March 2026, 10:00 in UTC+1 (09:00 UTC).
const TODAY: i64 = 20_515;
const OFFSET: i32 = 60;

fn at(day: i64, hour: i64) -> Millis {
    day * DAY_MS + hour * 3_600_000 - i64::from(OFFSET) * 60_000
}

fn now() -> Now {
    Now {
        at: at(TODAY, 10),
        utc_offset_min: OFFSET,
    }
}

const TIDES: &str = "---\nid: tides\ntitle: Tides\nsection: sea\n---\n# Tides\n\n\
    ## The Moon's pull\n\nThe Moon's gravity pulls the ocean into a bulge.\n\n\
    ## Spring tides\n\nSun and Moon in line at new and full moon make spring tides.\n\n\
    ## Knowledge Check\n\n\
    1. What pulls the ocean into a bulge?\n   - The Moon's gravity\n   - The wind\n\n\
    2. When are spring tides?\n   - At new and full moon\n   - In spring\n";

fn course(dir: &std::path::Path) -> Course {
    std::fs::write(
        dir.join("course.yaml"),
        "id: dash\ntitle: Dash\nsections:\n  - id: sea\n    title: The Sea\n  - id: sky\n    title: The Sky\n",
    )
    .unwrap();
    std::fs::write(dir.join("tides.md"), TIDES).unwrap();
    std::fs::write(
        dir.join("moon.md"),
        "---\nid: moon\ntitle: Moon\nsection: sky\n---\n# Moon\n\nHalf of it is lit.\n",
    )
    .unwrap();
    Course::load(dir).course
}

/// Answers question `q` of the tides quiz at `when`, right or wrong.
fn answer(store: &mut Store, course: &Course, q: usize, right: bool, when: Millis) {
    let key = CourseKey::of(course);
    let (quiz, _) = quiz::parse(course.lesson("tides").unwrap());
    let question = &quiz.questions[q];
    let pick = question
        .options()
        .iter()
        .find(|o| o.correct == right)
        .unwrap();
    let input = Answer {
        note: None,
        lesson: "tides",
        question: &question.id,
        chosen: std::slice::from_ref(&pick.id),
        time_ms: 5_000,
        now: Now {
            at: when,
            utc_offset_min: OFFSET,
        },
        origin: Origin::Quiz {
            attempt: u64::try_from(when).unwrap(),
        },
    };
    let graded = answer::submit(Some(store), &key, course, &input).unwrap();
    assert!(graded.not_saved.is_none());
}

/// A seeded history: study on days -9..=-7 and -2..=-1 (none today); the Moon
/// question missed three times, the spring tides one once; 40 days ago, once more.
fn seeded() -> (tempfile::TempDir, Course, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let course = course(tmp.path());
    let mut store = Store::open(&tmp.path().join("p.sqlite")).unwrap().store;
    for d in [-9, -8, -7, -2, -1] {
        answer(
            &mut store,
            &course,
            0,
            d != -9 && d != -1,
            at(TODAY + d, 20),
        );
        answer(&mut store, &course, 1, true, at(TODAY + d, 21));
    }
    answer(&mut store, &course, 0, false, at(TODAY - 8, 22));
    answer(&mut store, &course, 1, false, at(TODAY - 1, 23));
    answer(&mut store, &course, 0, true, at(TODAY - 70, 12));
    (tmp, course, store)
}

#[test]
fn the_history_counts_answers_per_local_day_for_eight_weeks() {
    let (_tmp, course, store) = seeded();
    let d = store
        .dashboard(&CourseKey::of(&course), &course, &now())
        .unwrap();
    assert_eq!(d.today, "2026-03-03");
    assert_eq!(d.history.len(), 56);
    assert_eq!(d.history[55].date, "2026-03-03");
    assert_eq!(d.history[0].date, date_of(TODAY - 55));
    let answered: Vec<u32> = d.history[55 - 9..].iter().map(|s| s.answered).collect();
    // Days -9..=0: 2, 3, 2, 0, 0, 0, 0, 2, 3 (23:00 local on day -1 is still day -1), 0.
    assert_eq!(answered, [2, 3, 2, 0, 0, 0, 0, 2, 3, 0]);
    // 70 days ago is outside the eight weeks.
    assert_eq!(d.history.iter().map(|s| s.answered).sum::<u32>(), 12);
}

#[test]
fn the_streak_keeps_yesterdays_run_and_remembers_the_longest() {
    let (_tmp, course, store) = seeded();
    let d = store
        .dashboard(&CourseKey::of(&course), &course, &now())
        .unwrap();
    assert_eq!(
        d.streak,
        Streak {
            current: 2,
            longest: 3,
            today: false
        }
    );
}

#[test]
fn the_most_missed_questions_come_first_with_the_section_that_teaches_them() {
    let (_tmp, course, store) = seeded();
    let d = store
        .dashboard(&CourseKey::of(&course), &course, &now())
        .unwrap();
    let missed: Vec<(&str, u32, Option<&str>)> = d
        .missed
        .iter()
        .map(|m| {
            (
                m.prompt.as_str(),
                m.misses,
                m.section.as_ref().map(|s| s.id.as_str()),
            )
        })
        .collect();
    assert_eq!(
        missed,
        [
            (
                "What pulls the ocean into a bulge?",
                3,
                Some("the-moon-s-pull")
            ),
            ("When are spring tides?", 1, Some("spring-tides")),
        ]
    );
    assert_eq!(d.missed[0].lesson_title, "Tides");
}

#[test]
fn sections_show_their_completion_in_outline_order() {
    let (_tmp, course, store) = seeded();
    let d = store
        .dashboard(&CourseKey::of(&course), &course, &now())
        .unwrap();
    let sections: Vec<(&str, usize, usize)> = d
        .sections
        .iter()
        .map(|s| (s.title.as_str(), s.completed, s.total))
        .collect();
    // Both tides questions were answered right at least once: the lesson is done.
    assert_eq!(sections, [("The Sea", 1, 1), ("The Sky", 0, 1)]);
}

#[test]
fn a_question_edited_since_it_was_missed_is_left_out() {
    let (tmp, _, store) = seeded();
    std::fs::write(
        tmp.path().join("tides.md"),
        TIDES.replace("What pulls the ocean", "What lifts the ocean"),
    )
    .unwrap();
    let course = Course::load(tmp.path()).course;
    let d = store
        .dashboard(&CourseKey::of(&course), &course, &now())
        .unwrap();
    let prompts: Vec<&str> = d.missed.iter().map(|m| m.prompt.as_str()).collect();
    assert_eq!(prompts, ["When are spring tides?"]);
}

fn local(day: i64, hour: i64) -> Now {
    Now {
        at: at(day, hour),
        utc_offset_min: OFFSET,
    }
}

#[test]
fn reviews_count_once_in_the_history_and_the_misses_and_cards_show_in_the_forecast() {
    let (_tmp, course, mut store) = seeded();
    let key = CourseKey::of(&course);
    let before = store.dashboard(&key, &course, &now()).unwrap();
    // The quiz scheduled cards: the Moon question, missed yesterday, is due today;
    // the spring tides one, right on five days, not within two weeks.
    let due = |d: &Dashboard| d.due.iter().map(|d| d.count).collect::<Vec<u32>>();
    assert_eq!(before.due.len(), 14);
    assert_eq!(before.due[0].date, "2026-03-03");
    assert_eq!(due(&before), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // A wrong review today, fifteen minutes of reading today.
    let (quiz, _) = quiz::parse(course.lesson("tides").unwrap());
    let q = &quiz.questions[1];
    let wrong = q.options().iter().find(|o| !o.correct).unwrap().id.clone();
    let input = Answer {
        note: None,
        lesson: "tides",
        question: &q.id,
        chosen: &[wrong],
        time_ms: 4_000,
        now: local(TODAY, 9),
        origin: Origin::Review,
    };
    let graded = answer::submit(Some(&mut store), &key, &course, &input).unwrap();
    assert!(!graded.grade.correct && graded.not_saved.is_none());
    store
        .record_active_time(&key, "tides", 600_000, &local(TODAY, 9))
        .unwrap();
    store
        .record_active_time(&key, "tides", 300_000, &local(TODAY, 10))
        .unwrap();
    let after = store.dashboard(&key, &course, &now()).unwrap();
    // Missed in review today: due again within days (FSRS's interval after a
    // lapse), not today.
    assert_eq!(due(&after)[0], 1);
    assert_eq!(due(&after).iter().sum::<u32>(), 2, "{:?}", due(&after));
    assert_eq!(
        after.history[55],
        StudyDay {
            date: "2026-03-03".to_owned(),
            answered: 1,
            minutes: 15
        }
    );
    // The quiz answers logged for scheduling are not counted twice.
    let total = |d: &Dashboard| d.history.iter().map(|s| s.answered).sum::<u32>();
    assert_eq!(total(&after), total(&before) + 1);
    assert_eq!(after.missed[1].misses, before.missed[1].misses + 1);
    assert_eq!(
        after.streak,
        Streak {
            current: 3,
            longest: 3,
            today: true
        }
    );
}

/// Answers question `q` of the tides quiz in a review session at `now`, taking `ms`.
fn review(store: &mut Store, course: &Course, q: usize, ms: u64, now: Now) {
    let key = CourseKey::of(course);
    let (quiz, _) = quiz::parse(course.lesson("tides").unwrap());
    let question = &quiz.questions[q];
    let right = question.options().iter().find(|o| o.correct).unwrap();
    let input = Answer {
        note: None,
        lesson: "tides",
        question: &question.id,
        chosen: std::slice::from_ref(&right.id),
        time_ms: ms,
        now,
        origin: Origin::Review,
    };
    let graded = answer::submit(Some(store), &key, course, &input).unwrap();
    assert!(graded.not_saved.is_none());
}

#[test]
fn time_spent_in_a_review_session_counts_as_time_studied() {
    let (_tmp, course, mut store) = seeded();
    let key = CourseKey::of(&course);
    // A review session today with no lesson open: 100 s and 50 s on two cards.
    review(&mut store, &course, 0, 100_000, local(TODAY, 9));
    review(&mut store, &course, 1, 50_000, local(TODAY, 9));
    let today = &store.dashboard(&key, &course, &now()).unwrap().history[55];
    assert_eq!(
        (today.answered, today.minutes),
        (2, 3),
        "150 s round to 3 minutes"
    );

    // A card left on screen for an hour adds at most five minutes.
    review(&mut store, &course, 0, 3_600_000, local(TODAY, 10));
    let today = &store.dashboard(&key, &course, &now()).unwrap().history[55];
    let cap_min = u32::try_from(lectern::progress::REVIEW_ANSWER_CAP_MS / 60_000).unwrap();
    assert_eq!(today.minutes, 3 + cap_min);
}

#[test]
fn a_missed_prompt_comes_rendered_as_the_quiz_shows_it_not_as_its_markdown() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("attention.md"),
        "---\nid: attention\ntitle: Attention\n---\n# Attention\n\n## Scaling\n\nScores grow.\n\n\
         ## Knowledge Check\n\n\
         1. Why divide the scores by $\\sqrt{d_k}$ in **scaled** `softmax`?\n   \
         - To keep them from growing with the dimension\n   - To make them negative\n",
    )
    .unwrap();
    let course = Course::load(dir).course;
    let key = CourseKey::of(&course);
    let mut store = Store::open(&dir.join("p.sqlite")).unwrap().store;
    let (quiz, _) = quiz::parse(course.lesson("attention").unwrap());
    let q = &quiz.questions[0];
    let wrong = q.options().iter().find(|o| !o.correct).unwrap().id.clone();
    let input = Answer {
        note: None,
        lesson: "attention",
        question: &q.id,
        chosen: &[wrong],
        time_ms: 5_000,
        now: now(),
        origin: Origin::Quiz { attempt: 1 },
    };
    answer::submit(Some(&mut store), &key, &course, &input).unwrap();
    let missed = &store.dashboard(&key, &course, &now()).unwrap().missed[0];
    let html = &missed.prompt_html;
    assert!(html.contains("<math") && html.contains("<msqrt>"), "{html}");
    assert!(
        html.contains("<strong>scaled</strong>") && html.contains("<code>softmax</code>"),
        "{html}"
    );
    assert!(
        !html.contains('$') && !html.contains("\\sqrt") && !html.contains("**"),
        "{html}"
    );
}
