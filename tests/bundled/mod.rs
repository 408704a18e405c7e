//! The bundled course in `lessons/` is what every new user sees first: these tests hold
//! it to the standard the course issue set (clean, complete, and using every feature).

use std::collections::HashSet;
use std::path::Path;

use lectern::course::Course;
use lectern::render::{RenderOptions, Renderer};

fn bundled() -> lectern::course::Loaded {
    Course::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons"))
}

#[test]
fn bundled_course_loads_renders_and_quizzes_without_any_diagnostic() {
    let loaded = bundled();
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let course = &loaded.course;
    let renderer = Renderer::default();
    let ids = course.lesson_ids_by_path();
    for lesson in course.lessons() {
        let rendered = renderer.render(lesson, &RenderOptions::new(course.root(), ids));
        assert!(
            rendered.diagnostics.is_empty(),
            "{}: {:#?}",
            lesson.id,
            rendered.diagnostics
        );
        let (_, quiz_diagnostics) = lectern::quiz::parse(lesson);
        assert!(
            quiz_diagnostics.is_empty(),
            "{}: {:#?}",
            lesson.id,
            quiz_diagnostics
        );
    }
}

#[test]
fn bundled_course_is_eight_lessons_in_a_complete_chain() {
    let loaded = bundled();
    let c = &loaded.course;
    assert_eq!(
        c.title(),
        "Natural Language Processing, from Tokens to Transformers"
    );
    let ids: Vec<&str> = c.lessons().iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids.len(), 8, "{ids:?}");
    assert!(ids.contains(&"nlp-transformers"));
    for (i, l) in c.lessons().iter().enumerate() {
        assert_eq!(
            l.prev.as_deref(),
            i.checked_sub(1).map(|j| ids[j]),
            "{}",
            l.id
        );
        assert_eq!(l.next.as_deref(), ids.get(i + 1).copied(), "{}", l.id);
        let minutes = l.duration_minutes.unwrap_or(0);
        assert!((20..=60).contains(&minutes), "{} lasts {minutes} min", l.id);
        assert!(l.section.is_some(), "{} has no section", l.id);
    }
    let bert = c.lesson("nlp-bert-gpt").expect("nlp-bert-gpt");
    assert_eq!(
        (bert.order, bert.section.as_deref()),
        (Some(6), Some("language-models"))
    );
    assert_eq!(bert.prev.as_deref(), Some("nlp-transformers"));
    assert_eq!(c.sections().len(), 3);
}

#[test]
fn every_bundled_lesson_has_a_table_two_code_languages_a_diagram_and_a_quiz() {
    let loaded = bundled();
    let course = &loaded.course;
    let renderer = Renderer::default();
    let ids = course.lesson_ids_by_path();
    let mut math = false;
    let mut image = false;
    let mut lesson_links = false;
    let mut choose_all = false;
    for lesson in course.lessons() {
        let html = renderer
            .render(lesson, &RenderOptions::new(course.root(), ids))
            .html;
        assert!(html.contains("<table"), "{} has no table", lesson.id);
        assert!(
            html.contains("<pre class=\"diagram\">"),
            "{} has no untagged diagram",
            lesson.id
        );
        let langs: HashSet<&str> = html
            .split("data-lang=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|l| *l != "text")
            .collect();
        assert!(langs.len() >= 2, "{} has code in {langs:?} only", lesson.id);
        math |= html.contains("<math");
        image |= html.contains("src=\"lesson://");
        lesson_links |= html
            .split("data-lesson=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .any(|target| target != lesson.id);
        let (quiz, _) = lectern::quiz::parse(lesson);
        assert!(
            (4..=6).contains(&quiz.questions.len()),
            "{} has {} questions",
            lesson.id,
            quiz.questions.len()
        );
        for q in &quiz.questions {
            assert!(
                q.explanation_html.is_some(),
                "{}: question at line {} has no explanation",
                lesson.id,
                q.line
            );
        }
        choose_all |= quiz.questions.iter().any(|q| q.multiple());
    }
    assert!(math, "no lesson uses math");
    assert!(image, "no lesson shows a local image");
    assert!(lesson_links, "no lesson links to another");
    assert!(choose_all, "no choose-all-that-apply question");
}
