//! Quiz checks look at what the learner will see, not only at the Markdown.

use lectern::course::Course;
use lectern::render::{RenderOptions, Renderer};

use crate::support::fixture;

fn checks() -> (tempfile::TempDir, lectern::course::Loaded) {
    let (tmp, dir) = fixture("hardening/quiz");
    let loaded = Course::load(&dir);
    (tmp, loaded)
}

#[test]
fn quiz_reports_each_slip_on_its_line_and_keeps_only_answerable_questions() {
    let (_tmp, loaded) = checks();
    let lesson = loaded.course.lesson("checks").unwrap();
    let (quiz, diagnostics) = lectern::quiz::parse(lesson);
    let mut found: Vec<(u32, &str)> = diagnostics.iter().map(|d| (d.line, d.code)).collect();
    found.sort_unstable();
    assert_eq!(
        found,
        [
            (11, "quiz-empty-prompt"),
            (16, "quiz-empty-option"),
            (21, "quiz-nested-list"),
            (26, "quiz-explanation-place"),
            (33, "quiz-duplicate-question"),
            (49, "quiz-no-options"),
            (57, "quiz-second-knowledge-check"),
        ],
        "{diagnostics:#?}"
    );
    let prompts: Vec<&str> = quiz
        .questions
        .iter()
        .map(|q| q.prompt_md.as_str())
        .collect();
    assert_eq!(
        prompts,
        [
            "Which one has a nested list?",
            "Where does the explanation go?",
            "Which tokens does a causal mask hide?",
            "Seven?",
            "Eight?",
            "Nine?",
        ]
    );
    let ids: std::collections::HashSet<&str> =
        quiz.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids.len(), quiz.questions.len(), "question ids stay unique");
}

#[test]
fn messages_name_the_first_section_and_the_indentation_fix() {
    let (_tmp, loaded) = checks();
    let (_, diagnostics) = lectern::quiz::parse(loaded.course.lesson("checks").unwrap());
    let message = |code: &str| {
        diagnostics
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.message.clone())
            .unwrap()
    };
    assert!(message("quiz-second-knowledge-check").contains("the first is at line 9"));
    assert!(message("quiz-no-options").contains("`10. ` needs four spaces"));
    assert!(message("quiz-duplicate-question").contains("line 29"));
}

#[test]
fn a_second_knowledge_check_is_left_out_of_the_body_with_its_answers() {
    let (_tmp, loaded) = checks();
    let lesson = loaded.course.lesson("checks").unwrap();
    let ids = loaded.course.lesson_ids_by_path();
    let rendered =
        Renderer::default().render(lesson, &RenderOptions::new(loaded.course.root(), ids));
    assert!(rendered.html.contains("Text after the quiz."));
    assert!(
        !rendered.html.contains("The secret answer"),
        "{}",
        rendered.html
    );
    assert!(!rendered.toc.iter().any(|h| h.text == "Quiz"));
}
