//! Knowledge Check quizzes: parsing rules per fixture, diagnostics with their lines, id
//! stability, shuffling, the grading contract, `lectern quiz` and quiz lints in `check`.

use std::path::Path;
use std::process::Output;

use lectern::course::Course;
use lectern::diagnostic::{Diagnostic, Severity};
use lectern::lesson::Lesson;
use lectern::quiz::{self, Quiz, QuizError};
use serde_json::Value;

use crate::support::{fixture, lectern};

mod kinds;
mod mdbook;

/// Loads `tests/fixtures/quiz/<case>/<file>` (from a temp copy) and parses its quiz.
fn load(case: &str, file: &str) -> (Lesson, Quiz, Vec<Diagnostic>) {
    let (_tmp, dir) = fixture(&format!("quiz/{case}"));
    let (lesson, warnings) =
        lectern::lesson::load(&lectern::folder::Folder::new(&dir), Path::new(file)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let (quiz, diagnostics) = quiz::parse(&lesson);
    (lesson, quiz, diagnostics)
}

/// Parses a lesson given as text (for variations made in the test itself).
fn parse_text(text: &str) -> (Quiz, Vec<Diagnostic>) {
    let (lesson, _) = lectern::lesson::parse(Path::new("x.md"), text.as_bytes()).unwrap();
    quiz::parse(&lesson)
}

/// The diagnostics as `(line, column, severity, code)`, the shape most tests assert on.
fn found(d: &[Diagnostic]) -> Vec<(u32, u32, Severity, &'static str)> {
    d.iter()
        .map(|d| (d.line, d.column, d.severity, d.code))
        .collect()
}

fn prompts(quiz: &Quiz) -> Vec<&str> {
    quiz.questions
        .iter()
        .map(|q| q.prompt_md.as_str())
        .collect()
}

fn correct_texts(quiz: &Quiz, n: usize) -> Vec<&str> {
    quiz.questions[n]
        .options()
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.md.as_str())
        .collect()
}

fn seed_like() -> Quiz {
    let (_, quiz, diagnostics) = load("seed-like", "recurrent-nets.md");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    quiz
}

// --- Parsing rules -----------------------------------------------------------------

#[test]
fn quiz_marks_first_option_correct_when_none_marked() {
    let quiz = seed_like();
    assert_eq!(quiz.lesson_id, "recurrent-nets");
    assert_eq!(quiz.questions.len(), 5);
    for q in &quiz.questions {
        assert_eq!(q.options().len(), 4, "{}", q.prompt_md);
        let flags: Vec<bool> = q.options().iter().map(|o| o.correct).collect();
        assert_eq!(flags, [true, false, false, false], "{}", q.prompt_md);
        assert!(!q.multiple());
        assert_eq!(q.explanation_html, None);
    }
    let lines: Vec<u32> = quiz.questions.iter().map(|q| q.line).collect();
    assert_eq!(lines, [51, 57, 63, 69, 75]);
}

#[test]
fn quiz_reads_task_markers_choose_all_and_explanations() {
    let (_, quiz, diagnostics) = load("markers", "markers.md");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(quiz.questions.len(), 4);

    assert_eq!(correct_texts(&quiz, 0), ["Earlier positions only"]);
    assert!(!quiz.questions[0].multiple());
    let explanation = quiz.questions[0].explanation_html.as_deref().unwrap();
    assert!(explanation.contains("<em>later</em>"), "{explanation}");
    assert_eq!(
        quiz.questions[0].explanation_md.as_deref(),
        Some("The causal mask hides *later* positions.")
    );

    assert_eq!(correct_texts(&quiz, 1), ["BERT", "RoBERTa"]);
    assert!(
        quiz.questions[1].multiple(),
        "two marked options: choose all"
    );

    // `1)` markers, a lazy continuation line, `*` and `+` bullets (two lists).
    let q3 = &quiz.questions[2];
    assert_eq!(q3.line, 27);
    assert_eq!(
        q3.prompt_md,
        "A prompt written over\ntwo lines, with `code`\nand **bold**?"
    );
    assert!(
        q3.prompt_html.contains("<code>code</code>"),
        "{}",
        q3.prompt_html
    );
    assert!(
        q3.prompt_html.contains("<strong>bold</strong>"),
        "{}",
        q3.prompt_html
    );
    assert_eq!(q3.options().len(), 3);
    assert_eq!(correct_texts(&quiz, 2), ["first, the answer"]);

    // Where any option is marked, unmarked ones are wrong; a quote under the last option
    // is still the question's explanation.
    assert_eq!(correct_texts(&quiz, 3), ["the marked one"]);
    assert!(quiz.questions[3]
        .explanation_html
        .as_deref()
        .is_some_and(|e| e.contains("may also sit under an option")));
}

#[test]
fn quiz_options_keep_inline_markdown_rendered_and_sanitized() {
    let (quiz, d) = parse_text(
        "---\nid: x\ntitle: X\n---\n## Knowledge Check\n\n1. What is `x`?\n   - **bold** <img src=x onerror=alert(1)>\n   - [a link](javascript:alert(1))\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let q = &quiz.questions[0];
    assert!(
        q.prompt_html.contains("<code>x</code>"),
        "{}",
        q.prompt_html
    );
    assert!(q.options()[0].html.contains("<strong>bold</strong>"));
    for o in q.options() {
        assert!(!o.html.contains("onerror"), "{}", o.html);
        assert!(!o.html.contains("javascript:"), "{}", o.html);
    }
}

#[test]
fn quiz_reads_crlf_and_bom_files_with_correct_lines() {
    let (lesson, quiz, diagnostics) = load("crlf-bom", "crlf.md");
    assert_eq!(lesson.id, "crlf");
    assert_eq!(prompts(&quiz), ["First question?", "Second question?"]);
    assert_eq!(correct_texts(&quiz, 0), ["right"]);
    assert_eq!(correct_texts(&quiz, 1), ["yes"]);
    assert_eq!(
        quiz.questions[1].explanation_md.as_deref(),
        Some("Because.")
    );
    for q in &quiz.questions {
        assert!(!q.prompt_html.contains('\r'));
        assert!(q.options().iter().all(|o| !o.md.contains('\r')));
    }
    assert_eq!(
        found(&diagnostics),
        [(19, 1, Severity::Error, "quiz-one-option")]
    );
    assert_eq!(
        diagnostics[0].snippet.as_deref(),
        Some("3. Broken, one option")
    );
}

#[test]
fn lesson_without_knowledge_check_has_an_empty_quiz_and_no_diagnostics() {
    let (quiz, d) =
        parse_text("---\nid: x\ntitle: X\n---\n# X\n\n## Summary\n\n1. not a quiz\n   - a\n");
    assert!(quiz.questions.is_empty());
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn knowledge_check_heading_inside_a_code_fence_is_not_a_quiz() {
    let (quiz, d) = parse_text(
        "---\nid: x\ntitle: X\n---\n# X\n\n```\n## Knowledge Check\n\n1. Q?\n   - a\n   - b\n```\n",
    );
    assert!(quiz.questions.is_empty());
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn quiz_section_ends_at_the_next_level_two_heading() {
    let (quiz, _) = parse_text(
        "---\nid: x\ntitle: X\n---\n## Quiz\n\n1. In?\n   - a\n   - b\n\n## Further Reading\n\n1. Out?\n   - c\n   - d\n",
    );
    assert_eq!(prompts(&quiz), ["In?"]);
}

#[test]
fn knowledge_check_without_questions_is_a_warning() {
    let (_, quiz, d) = load("empty", "empty.md");
    assert!(quiz.questions.is_empty());
    assert_eq!(found(&d), [(8, 1, Severity::Warning, "quiz-empty")]);
}

// --- Malformed questions --------------------------------------------------------------

#[test]
fn malformed_questions_are_errors_at_their_lines_and_the_others_still_work() {
    let (_, quiz, d) = load("malformed", "malformed.md");
    assert_eq!(
        found(&d),
        [
            (14, 1, Severity::Error, "quiz-no-options"),
            (16, 1, Severity::Error, "quiz-one-option"),
            (19, 1, Severity::Error, "quiz-no-correct"),
            (23, 1, Severity::Error, "quiz-empty-prompt"),
            (31, 1, Severity::Error, "quiz-no-options"),
            (37, 4, Severity::Error, "quiz-empty-option"),
        ]
    );
    assert_eq!(
        prompts(&quiz),
        ["A good first question?", "A good last question?"]
    );
    assert!(d[4].message.contains("bullet list"), "{}", d[4].message);
    assert!(d[1].message.contains("`lonely`"), "{}", d[1].message);
    assert_eq!(d[0].snippet.as_deref(), Some("2. No options at all?"));
    assert!(d.iter().all(|d| d.path == Path::new("malformed.md")));
}

// --- Authoring lints ------------------------------------------------------------------

#[test]
fn lints_warn_about_shuffle_breaking_options_negative_prompts_and_duplicates() {
    let (_, quiz, d) = load("lints", "lints.md");
    assert_eq!(
        found(&d),
        [
            (10, 1, Severity::Warning, "quiz-negative-prompt"),
            (17, 4, Severity::Warning, "quiz-none-of-the-above"),
            (18, 4, Severity::Warning, "quiz-all-of-the-above"),
            (23, 4, Severity::Warning, "quiz-duplicate-option"),
        ]
    );
    assert_eq!(quiz.questions.len(), 4, "warnings never drop a question");
    assert!(d[0].message.contains("`NOT`"), "{}", d[0].message);
}

// --- Identity -------------------------------------------------------------------------

const BASE: &str = "---\nid: ids\ntitle: Ids\n---\n## Knowledge Check\n\n\
    1. What does BERT predict?\n   - Masked tokens\n   - The next token\n\n\
    2. Which gate drops old information?\n   - The forget gate\n   - The output gate\n";

fn ids(text: &str) -> Vec<String> {
    let (quiz, d) = parse_text(text);
    assert!(d.is_empty(), "{d:?}");
    quiz.questions.iter().map(|q| q.id.clone()).collect()
}

#[test]
fn moving_or_rewrapping_a_question_keeps_its_id() {
    let base = ids(BASE);
    assert_eq!(base.len(), 2);
    assert_ne!(base[0], base[1]);
    let swapped =
        "---\nid: ids\ntitle: Ids\n---\nIntro moved things down.\n\n## Knowledge Check\n\n\
        1. Which gate drops old information?\n   - The forget gate\n   - The output gate\n\n\
        2. What does   BERT\n   predict?\n   - [x] Masked tokens\n   - [ ] The next token\n";
    let moved = ids(swapped);
    assert_eq!(moved, [base[1].clone(), base[0].clone()]);
}

#[test]
fn editing_the_prompt_or_an_option_or_the_answer_gives_a_new_id() {
    let base = ids(BASE);
    let check = |edited: &str| {
        let new = ids(edited);
        assert_ne!(new[0], base[0], "{edited}");
        assert_eq!(new[1], base[1], "the untouched question keeps its id");
    };
    check(&BASE.replace("What does BERT predict?", "What does BERT guess?"));
    check(&BASE.replace("The next token", "The previous token"));
    check(&BASE.replace(
        "   - Masked tokens\n   - The next token\n",
        "   - Masked tokens\n   - The next token\n   - A sentence label\n",
    ));
    check(&BASE.replace(
        "   - Masked tokens\n   - The next token\n",
        "   - The next token\n   - Masked tokens\n",
    ));
}

#[test]
fn the_same_question_in_another_lesson_has_another_id() {
    let base = ids(BASE);
    assert_ne!(ids(&BASE.replace("id: ids", "id: other"))[0], base[0]);
}

#[test]
fn option_ids_are_distinct_and_reveal_no_order() {
    let quiz = seed_like();
    for q in &quiz.questions {
        let mut option_ids: Vec<&str> = q.options().iter().map(|o| o.id.as_str()).collect();
        option_ids.sort_unstable();
        option_ids.dedup();
        assert_eq!(option_ids.len(), q.options().len());
    }
    // Duplicate texts (a lint) still get distinct ids.
    let (_, quiz, _) = load("lints", "lints.md");
    let q = &quiz.questions[2];
    assert_ne!(q.options()[0].id, q.options()[2].id);
}

// --- Attempts -------------------------------------------------------------------------

#[test]
fn attempts_are_reproducible_from_their_seed() {
    let quiz = seed_like();
    assert_eq!(
        quiz::start_attempt(&quiz, 99),
        quiz::start_attempt(&quiz, 99)
    );
    let orders: std::collections::HashSet<Vec<String>> = (0..20)
        .map(|seed| {
            quiz::start_attempt(&quiz, seed).questions[0]
                .options
                .iter()
                .map(|o| o.id.clone())
                .collect()
        })
        .collect();
    assert!(orders.len() > 5, "different seeds shuffle differently");
}

#[test]
fn attempts_show_every_option_once_with_questions_in_authored_order() {
    let quiz = seed_like();
    for seed in 0..200 {
        let attempt = quiz::start_attempt(&quiz, seed);
        assert_eq!(attempt.questions.len(), 5);
        for (view, q) in attempt.questions.iter().zip(&quiz.questions) {
            assert_eq!(view.id, q.id, "questions stay in authored order");
            let shown: Vec<&str> = view.options.iter().map(|o| o.id.as_str()).collect();
            let authored: Vec<&str> = q.options().iter().map(|o| o.id.as_str()).collect();
            let mut a = shown.clone();
            let mut b = authored.clone();
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "the same options, each once (seed {seed})");
        }
    }
}

#[test]
fn serialized_attempt_carries_no_answer_key() {
    let (_, quiz, _) = load("markers", "markers.md");
    let json = serde_json::to_value(quiz::start_attempt(&quiz, 5)).unwrap();
    let text = json.to_string();
    assert!(!text.contains("correct"), "{text}");
    assert!(!text.contains("explanation"), "{text}");
    assert!(!text.contains("review"), "{text}");
    assert_eq!(json["seed"], 5);
    assert_eq!(json["lesson"], "markers");
    let q = &json["questions"][1];
    assert_eq!(q["multiple"], true);
    let keys: Vec<&str> = q["options"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["html", "id"]);
}

#[test]
fn retry_keeps_only_the_missed_questions_with_a_new_shuffle() {
    let quiz = seed_like();
    let missed = vec![quiz.questions[3].id.clone(), quiz.questions[1].id.clone()];
    let retry = quiz::retry_attempt(&quiz, &missed, 7);
    let ids: Vec<&str> = retry.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [quiz.questions[1].id.as_str(), quiz.questions[3].id.as_str()]
    );
    assert_eq!(retry.seed, 7);
    let gone = quiz::retry_attempt(&quiz, &["no-such-question".to_owned()], 7);
    assert!(gone.questions.is_empty(), "stale ids are skipped");
}

// --- Grading --------------------------------------------------------------------------

#[test]
fn grading_a_right_answer() {
    let quiz = seed_like();
    let q = &quiz.questions[2];
    let g = quiz::grade(&quiz, &q.id, &[q.options()[0].id.clone()]).unwrap();
    assert!(g.correct);
    assert_eq!(g.question, q.id);
    assert_eq!(g.correct_options, [q.options()[0].id.clone()]);
    assert!(g.wrong_choices.is_empty() && g.missed.is_empty());
    assert_eq!(g.review, None, "no review link for a right answer");
}

#[test]
fn grading_a_wrong_answer_names_the_right_one_and_the_section_to_review() {
    let quiz = seed_like();
    let q = &quiz.questions[2]; // the forget gate
    let g = quiz::grade(&quiz, &q.id, &[q.options()[1].id.clone()]).unwrap();
    assert!(!g.correct);
    assert_eq!(g.correct_options, [q.options()[0].id.clone()]);
    assert_eq!(g.wrong_choices, [q.options()[1].id.clone()]);
    assert_eq!(g.missed, [q.options()[0].id.clone()]);
    assert_eq!(g.review.map(|r| r.id).as_deref(), Some("lstm"));
}

#[test]
fn every_seed_like_question_links_to_the_section_that_covers_it() {
    let quiz = seed_like();
    let links: Vec<Option<&str>> = quiz
        .questions
        .iter()
        .map(|q| q.review.as_ref().map(|r| r.id.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            Some("the-hidden-state"),
            Some("backpropagation-through-time"),
            Some("lstm"),
            Some("gru"),
            Some("where-recurrence-falls-short"),
        ]
    );
}

#[test]
fn grading_choose_all_needs_every_right_option_and_no_wrong_one() {
    let (_, quiz, _) = load("markers", "markers.md");
    let q = &quiz.questions[1]; // BERT, GPT-2, RoBERTa, T5's decoder
    let id = |n: usize| q.options()[n].id.clone();

    let all = quiz::grade(&quiz, &q.id, &[id(2), id(0)]).unwrap();
    assert!(all.correct, "order of choices does not matter");

    let partial = quiz::grade(&quiz, &q.id, &[id(0)]).unwrap();
    assert!(!partial.correct);
    assert_eq!(partial.missed, [id(2)]);
    assert!(partial.wrong_choices.is_empty());

    let extra = quiz::grade(&quiz, &q.id, &[id(0), id(1), id(2), id(0)]).unwrap();
    assert!(!extra.correct);
    assert_eq!(extra.wrong_choices, [id(1)]);
    assert!(extra.missed.is_empty());
    assert_eq!(extra.correct_options, [id(0), id(2)]);
}

#[test]
fn grading_returns_the_explanation() {
    let (_, quiz, _) = load("markers", "markers.md");
    let q = &quiz.questions[0];
    let g = quiz::grade(&quiz, &q.id, &[q.options()[1].id.clone()]).unwrap();
    assert!(g.correct);
    assert!(g
        .explanation_html
        .is_some_and(|e| e.contains("causal mask")));
}

#[test]
fn grading_refuses_unknown_ids_and_empty_answers_with_typed_errors() {
    let quiz = seed_like();
    let q = &quiz.questions[0];
    let check = |question: &str, chosen: &[String], code: &str| {
        let err = quiz::grade(&quiz, question, chosen).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
    };
    check("nope", &[q.options()[0].id.clone()], "unknown-question");
    check(&q.id, &["nope".to_owned()], "unknown-option");
    // An option of another question is unknown here too.
    check(
        &q.id,
        &[quiz.questions[1].options()[0].id.clone()],
        "unknown-option",
    );
    check(&q.id, &[], "no-choice");
    assert_eq!(
        quiz::grade(&quiz, "nope", &[]),
        Err(QuizError::UnknownQuestion("nope".to_owned()))
    );
}

#[test]
fn a_whole_attempt_scores_and_retries_the_misses() {
    let quiz = seed_like();
    let attempt = quiz::start_attempt(&quiz, 1);
    let mut results = Vec::new();
    for (n, view) in attempt.questions.iter().enumerate() {
        // The learner gets questions 1, 3 and 5 right and 2 and 4 wrong.
        let pick = if n % 2 == 0 {
            quiz.questions[n].options()[0].id.clone()
        } else {
            quiz.questions[n].options()[1].id.clone()
        };
        assert!(view.options.iter().any(|o| o.id == pick));
        let g = quiz::grade(&quiz, &view.id, &[pick]).unwrap();
        results.push((view.id.clone(), g.correct));
    }
    let s = quiz::score(&results);
    assert_eq!((s.correct, s.total), (3, 5));
    assert_eq!(
        s.missed,
        [quiz.questions[1].id.clone(), quiz.questions[3].id.clone()]
    );
    let retry = quiz::retry_attempt(&quiz, &s.missed, 2);
    assert_eq!(retry.questions.len(), 2);
}

// --- CLI ------------------------------------------------------------------------------

fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&o.stdout));
    })
}

#[test]
fn cli_quiz_json_lists_questions_in_authored_order_with_the_key() {
    let (tmp, _dir) = fixture("quiz/seed-like");
    let o = lectern(
        &["quiz", "seed-like/recurrent-nets.md", "--json"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    let v = json_of(&o);
    assert_eq!(v["lesson"], "recurrent-nets");
    assert_eq!(v["diagnostics"], Value::Array(vec![]));
    let questions = v["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 5);
    for q in questions {
        let keys: Vec<&str> = q.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "blanks",
                "explanation_html",
                "file",
                "id",
                "key",
                "kind",
                "line",
                "lints",
                "multiple",
                "options",
                "prompt_html"
            ]
        );
        assert_eq!(q["blanks"], Value::Array(vec![]));
        assert_eq!(q["lints"], Value::Array(vec![]));
        let options = q["options"].as_array().unwrap();
        assert_eq!(options.len(), 4);
        let correct: Vec<bool> = options.iter().map(|o| o["correct"] == true).collect();
        assert_eq!(correct, [true, false, false, false]);
        assert!(options[0]["id"].is_string() && options[0]["html"].is_string());
        assert_eq!(q["multiple"], false);
        assert_eq!(q["explanation_html"], Value::Null);
    }
    assert_eq!(questions[0]["line"], 51);
    assert_eq!(
        questions[0]["prompt_html"],
        "What does an RNN carry from one time step to the next?"
    );
}

#[test]
fn cli_quiz_reports_broken_questions_with_lines_and_exits_one() {
    let (tmp, dir) = fixture("quiz/malformed");
    let o = lectern(&["quiz", "malformed.md", "--json"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let v = json_of(&o);
    assert_eq!(v["questions"].as_array().unwrap().len(), 2);
    let diags: Vec<(u64, &str)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(diags[0], (14, "quiz-no-options"));
    assert_eq!(diags.len(), 6);
    assert_eq!(v["diagnostics"][0]["path"], "malformed.md");

    // Human output: the key marked, then rustc-style diagnostics; `--dir` sets the root.
    let o = lectern(
        &["quiz", "malformed/malformed.md", "--dir", "malformed"],
        tmp.path(),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("[x] right"), "{out}");
    assert!(
        out.contains("malformed/malformed.md:16:1: error[quiz-one-option]"),
        "{out}"
    );
}

#[test]
fn cli_quiz_refuses_a_file_outside_the_folder() {
    let (tmp, _dir) = fixture("quiz/seed-like");
    std::fs::create_dir(tmp.path().join("other")).unwrap();
    let o = lectern(
        &["quiz", "seed-like/recurrent-nets.md", "--dir", "other"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--dir"));
}

#[test]
fn check_includes_quiz_diagnostics_for_every_lesson() {
    let (tmp, dir) = fixture("quiz/malformed");
    std::fs::copy(
        crate::support::fixtures_root().join("quiz/lints/lints.md"),
        dir.join("lints.md"),
    )
    .unwrap();
    let course = Course::load(&dir);
    let d = quiz::check_course(&course.course);
    let codes: Vec<(&str, &str)> = d
        .iter()
        .map(|d| (d.path.to_str().unwrap(), d.code))
        .collect();
    assert!(
        codes.contains(&("malformed.md", "quiz-no-correct")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("lints.md", "quiz-duplicate-option")),
        "{codes:?}"
    );

    let o = lectern(&["check", "malformed", "--json"], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    let v = json_of(&o);
    assert_eq!(v["errors"], 6);
    assert_eq!(v["warnings"], 4);
}

#[test]
fn diagnostics_alone_are_those_of_a_full_parse_in_every_fixture_course_and_the_bundled_one() {
    let mut cases: Vec<String> = vec!["../../lessons".to_owned()];
    for group in std::fs::read_dir(crate::support::fixtures_root()).unwrap() {
        let group = group.unwrap().path();
        for case in std::fs::read_dir(&group).into_iter().flatten() {
            let case = case.unwrap().path();
            if case.is_dir() {
                let rel = case.strip_prefix(crate::support::fixtures_root()).unwrap();
                cases.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    let mut questions = 0;
    let mut codes = std::collections::BTreeSet::new();
    for case in &cases {
        let (_tmp, dir) = fixture(case);
        let loaded = Course::load(&dir);
        for lesson in loaded.course.lessons() {
            let (quiz, diagnostics) = quiz::parse(lesson);
            assert_eq!(
                quiz::diagnostics(lesson),
                diagnostics,
                "{case}: {:?}",
                lesson.path
            );
            questions += quiz.questions.len();
            codes.extend(diagnostics.iter().map(|d| d.code));
            // The lint renders no prompt or option that starts with a letter (it shows
            // that letter); every such one of the fixtures does show it.
            let texts = quiz.questions.iter().flat_map(|q| {
                std::iter::once(q.prompt_md.as_str())
                    .chain(q.options().iter().map(|o| o.md.as_str()))
            });
            for md in texts.filter(|md| md.starts_with(|c: char| c.is_ascii_alphabetic())) {
                let letter = md.chars().next().unwrap();
                let html = lectern::render::inline_html(md);
                let text: String = html
                    .split('<')
                    .map(|p| p.split_once('>').map_or(p, |(_, t)| t))
                    .collect();
                assert!(text.contains(letter), "{md:?} renders as {html:?}");
            }
        }
    }
    // The fixtures hold many quizzes with problems of many kinds, duplicates included
    // (the one check that needs each question's id).
    assert!(
        questions > 100 && codes.len() > 15,
        "{questions} questions, {codes:?}"
    );
    assert!(codes.contains("quiz-duplicate-question"), "{codes:?}");
}
