//! mdbook-quiz quiz files pulled into chapters with `{{#quiz file.toml}}`: every type of
//! question read, graded as mdbook-quiz grades it and shown where its directive stands;
//! a file that does not parse is a diagnostic at its line and column, and the chapter
//! still renders. The trial over a real book's quizzes is `brown_book_quizzes_trial`
//! (ignored: it needs the book, named by `LECTERN_QUIZ_BOOK`).

use std::path::Path;

use lectern::course::{Course, Loaded};
use lectern::diagnostic::Severity;
use lectern::quiz::{self, Kind, Order, Question, Quiz};
use lectern::reader;
use lectern::render::Renderer;

use crate::support::fixture;

fn book() -> (tempfile::TempDir, Loaded) {
    let (tmp, dir) = fixture("kinds/book");
    (tmp, Course::load(&dir))
}

fn ownership(loaded: &Loaded) -> Quiz {
    let lesson = loaded
        .course
        .lessons()
        .iter()
        .find(|l| l.title == "Ownership")
        .unwrap();
    let (quiz, diagnostics) = quiz::parse(lesson);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    quiz
}

/// An answer the key grades wrong: another option set, a changed text or number, the
/// other verdict on compiling, another output.
fn changed_answer(q: &Question) -> Vec<String> {
    match &q.kind {
        Kind::Choice(c) => match c.options.iter().find(|o| !o.correct) {
            Some(wrong) => vec![wrong.id.clone()],
            // Every option right: choosing only one of them is wrong.
            None => vec![c.options[0].id.clone()],
        },
        Kind::Typed(_) => q
            .kind
            .key_answer()
            .iter()
            .map(|k| format!("{k} but changed"))
            .collect(),
        Kind::Tracing(t) if t.compiles => {
            vec![
                quiz::COMPILES.to_owned(),
                format!("{} changed", t.stdout.clone().unwrap_or_default()),
            ]
        }
        Kind::Tracing(_) => vec![quiz::COMPILES.to_owned(), "anything".to_owned()],
    }
}

#[test]
fn every_question_of_a_quiz_file_is_read_in_document_order_with_its_block() {
    let (_tmp, loaded) = book();
    let quiz = ownership(&loaded);
    let kinds: Vec<(&str, Option<usize>)> = quiz
        .questions
        .iter()
        .map(|q| (q.kind.name(), q.block))
        .collect();
    assert_eq!(
        kinds,
        [
            ("choice", Some(0)),
            ("choice", Some(0)),
            ("choice", Some(0)),
            ("typed", Some(0)),
            ("tracing", Some(0)),
            ("tracing", Some(0)),
            ("choice", Some(1)),
            ("typed", Some(1)),
            ("choice", None),
        ]
    );
    assert_eq!(
        quiz.questions[0].source_id.as_deref(),
        Some("a1000000-0000-4000-8000-000000000001")
    );
    assert_ne!(
        quiz.questions[0].id, "a1000000-0000-4000-8000-000000000001",
        "ids are Lectern's hashes"
    );
    assert_eq!(quiz.questions[0].id.len(), 16);
    assert!(quiz.questions[0]
        .explanation_html
        .as_deref()
        .unwrap()
        .contains("hands ownership"));
    assert!(quiz.questions[1].multiple(), "a list answer is choose-all");
    assert!(!quiz.questions[0].multiple());
}

#[test]
fn each_question_grades_its_key_right_and_a_changed_answer_wrong() {
    let (_tmp, loaded) = book();
    let quiz = ownership(&loaded);
    for q in &quiz.questions {
        let right = quiz::grade(&quiz, &q.id, &q.kind.key_answer()).unwrap();
        assert!(right.correct, "{}", q.prompt_md);
        let wrong = quiz::grade(&quiz, &q.id, &changed_answer(q)).unwrap();
        assert!(!wrong.correct, "{}", q.prompt_md);
    }
}

#[test]
fn short_answers_are_compared_lowercased_and_trimmed_with_their_alternatives() {
    let (_tmp, loaded) = book();
    let quiz = ownership(&loaded);
    let q = &quiz.questions[3];
    let grade = |s: &str| quiz::grade(&quiz, &q.id, &[s.to_owned()]).unwrap().correct;
    assert!(grade("  CLONE "));
    assert!(grade(".clone()"));
    assert!(!grade("clone."), "nothing but case and spaces is forgiven");
    assert!(!grade("clon"), "no \"almost\" in mdbook-quiz's rule");
    let code = quiz::start_attempt(&quiz, 1).questions[7].clone();
    assert_eq!(code.response, Some(quiz::Response::Code));
}

#[test]
fn tracing_grades_whether_it_compiles_then_the_output_and_never_the_line() {
    let (_tmp, loaded) = book();
    let quiz = ownership(&loaded);
    let (prints, fails) = (&quiz.questions[4], &quiz.questions[5]);
    let ask = |q: &Question, a: &[&str]| {
        let sent: Vec<String> = a.iter().map(|s| (*s).to_owned()).collect();
        quiz::grade(&quiz, &q.id, &sent).unwrap()
    };
    assert!(ask(prints, &["compiles", "  hi\n"]).correct);
    let wrong = ask(prints, &["compiles", "Hi"]);
    assert!(!wrong.correct, "output keeps its case");
    assert_eq!(wrong.blanks[0].expected.as_deref(), Some("hi"));
    assert!(!ask(prints, &["does-not-compile", "3"]).correct);
    let g = ask(fails, &["does-not-compile", "2"]);
    assert!(g.correct, "the line is asked, not graded");
    assert_eq!(g.tracing.unwrap().line, Some(4), "the key's line is shown");
    assert_eq!(
        quiz::grade(&quiz, &fails.id, &["maybe".to_owned()])
            .unwrap_err()
            .code(),
        "malformed-answer"
    );
}

#[test]
fn answer_index_and_sort_answers_fix_the_order_other_options_are_shuffled() {
    let (_tmp, loaded) = book();
    let quiz = ownership(&loaded);
    let Kind::Choice(indexed) = &quiz.questions[2].kind else {
        unreachable!()
    };
    assert_eq!(indexed.order, Order::Fixed);
    let texts: Vec<&str> = indexed.options.iter().map(|o| o.md.as_str()).collect();
    assert_eq!(texts, ["first", "second", "third"]);
    let Kind::Choice(sorted) = &quiz.questions[6].kind else {
        unreachable!()
    };
    let texts: Vec<&str> = sorted.options.iter().map(|o| &o.md[..1]).collect();
    assert_eq!(texts, ["1", "2", "3"]);
    for seed in 0..20 {
        let view = quiz::start_attempt(&quiz, seed);
        let shown: Vec<&str> = view.questions[2]
            .options
            .iter()
            .map(|o| o.id.as_str())
            .collect();
        let authored: Vec<&str> = indexed.options.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(shown, authored, "seed {seed}");
    }
    let Kind::Choice(free) = &quiz.questions[1].kind else {
        unreachable!()
    };
    assert_eq!(free.order, Order::Shuffled);
}

#[test]
fn multipart_context_is_shown_above_its_parts_and_prompt_explanation_asks_why() {
    let (_tmp, loaded) = book();
    let quiz = ownership(&loaded);
    for q in &quiz.questions[6..8] {
        assert!(
            q.context_html.as_deref().unwrap().contains("longest"),
            "{}",
            q.prompt_md
        );
    }
    assert!(quiz.questions[6].ask_why);
    assert!(!quiz.questions[7].ask_why);
    assert!(quiz.questions[0].context_html.is_none());
}

#[test]
fn the_chapter_shows_each_quiz_where_its_directive_stands_and_no_answer() {
    let (_tmp, loaded) = book();
    let page = reader::open(&loaded, &Renderer::default(), "ownership", 3).unwrap();
    let html = &page.html;
    let moves = html.find("Assigning a").unwrap();
    let first = html.find("data-quiz-block=\"0\"").unwrap();
    let borrowing = html.find("A shared reference").unwrap();
    let second = html.find("data-quiz-block=\"1\"").unwrap();
    assert!(
        moves < first && first < borrowing && borrowing < second,
        "{html}"
    );
    for leak in ["answer.answer", "a1000000", "doesCompile", "[[questions]]"] {
        assert!(!html.contains(leak), "{leak} in {html}");
    }
    let attempt = page.quiz.unwrap();
    assert_eq!(attempt.questions.len(), 9);
    let json = serde_json::to_string(&attempt).unwrap();
    for key in ["\"hi\"", "lineNumber", "clone()"] {
        assert!(!json.contains(key), "{key} leaks in the attempt");
    }
}

#[test]
fn a_quiz_file_that_does_not_parse_is_an_error_at_its_line_and_the_chapter_still_renders() {
    let (_tmp, loaded) = book();
    let report = lectern::check::check(&loaded, &Renderer::default());
    let found: Vec<(String, u32, u32, &str)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.path.to_string_lossy().into_owned(),
                d.line,
                d.column,
                d.code,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "quizzes/borrowing.toml".to_owned(),
                27,
                1,
                "quiz-toml-unknown-field"
            ),
            ("quizzes/broken.toml".to_owned(), 3, 26, "quiz-toml-syntax"),
        ]
    );
    let page = reader::open(&loaded, &Renderer::default(), "broken", 3).unwrap();
    assert!(page.html.contains("still renders") && page.html.contains("After the quiz."));
    assert!(page.quiz.is_none_or(|q| q.questions.is_empty()));
}

#[test]
fn quiz_files_are_searched_by_their_prompts_never_their_answers() {
    let (_tmp, loaded) = book();
    let mut index = lectern::search::SearchIndex::in_memory().unwrap();
    index.sync(&loaded).unwrap();
    assert!(!index
        .search(&loaded, "deep copy", 10)
        .unwrap()
        .results
        .is_empty());
    for answer in ["doesCompile", "alternatives", "a1000000"] {
        let hits = index.search(&loaded, answer, 10).unwrap().results;
        assert!(hits.is_empty(), "{answer}: {hits:?}");
    }
}

/// The trial over a real book's mdbook-quiz files (run with
/// `LECTERN_QUIZ_BOOK=/path/to/book cargo test -p lectern --test integration brown -- --ignored --nocapture`):
/// every file's questions load with no error, and each question grades its key right
/// and a changed answer wrong. Prints the counts.
#[test]
#[ignore = "needs a book with mdbook-quiz files: LECTERN_QUIZ_BOOK"]
fn brown_book_quizzes_trial() {
    let root = std::env::var("LECTERN_QUIZ_BOOK").expect("LECTERN_QUIZ_BOOK names the book");
    let quizzes = Path::new(&root).join("quizzes");
    let mut files: Vec<_> = std::fs::read_dir(&quizzes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    let (mut questions, mut errors, mut warnings, mut by_kind) =
        (0, 0, 0, std::collections::BTreeMap::new());
    for file in &files {
        let toml = std::fs::read_to_string(file).unwrap();
        let text = format!("---\nid: trial\ntitle: Trial\n---\n# Trial\n\n~~~~~~~~lectern-quiz trial.toml\n{toml}\n~~~~~~~~\n");
        let (lesson, _) = lectern::lesson::parse(Path::new("trial.md"), text.as_bytes()).unwrap();
        let (quiz, diagnostics) = quiz::parse(&lesson);
        for d in &diagnostics {
            match d.severity {
                Severity::Error => {
                    errors += 1;
                    eprintln!("{}: {}", file.display(), d.message);
                }
                Severity::Warning => warnings += 1,
            }
        }
        for q in &quiz.questions {
            questions += 1;
            *by_kind.entry(q.kind.name()).or_insert(0) += 1;
            let right = quiz::grade(&quiz, &q.id, &q.kind.key_answer()).unwrap();
            assert!(
                right.correct,
                "{}: the key of {} is graded wrong",
                file.display(),
                q.prompt_md
            );
            let wrong = quiz::grade(&quiz, &q.id, &changed_answer(q)).unwrap();
            assert!(
                !wrong.correct,
                "{}: a changed answer to {} is graded right",
                file.display(),
                q.prompt_md
            );
        }
    }
    let loaded = Course::load(Path::new(&root));
    let report = lectern::check::check(&loaded, &Renderer::default());
    let quiz_errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code.starts_with("quiz"))
        .count();
    let in_chapters: usize = loaded
        .course
        .lessons()
        .iter()
        .map(|l| {
            quiz::parse(l)
                .0
                .questions
                .iter()
                .filter(|q| q.block.is_some())
                .count()
        })
        .sum();
    eprintln!(
        "{} files, {questions} questions ({by_kind:?}), {errors} errors, {warnings} warnings; \
         the book: {} chapters, {in_chapters} quiz questions in them, {quiz_errors} quiz errors",
        files.len(),
        loaded.course.lessons().len()
    );
    assert_eq!(errors, 0);
    assert_eq!(quiz_errors, 0);
}

#[test]
fn lectern_quiz_names_the_quiz_file_and_line_of_each_question_run_from_the_book_or_its_src() {
    let (_tmp, dir) = fixture("kinds/book");
    for (cwd, file) in [
        (dir.clone(), "src/ownership.md"),
        (dir.join("src"), "ownership.md"),
    ] {
        let o = crate::support::lectern(&["quiz", file, "--json"], &cwd);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let questions = v["questions"].as_array().unwrap();
        assert_eq!(questions.len(), 9, "from {}", cwd.display());
        let at = |q: &serde_json::Value| {
            (
                q["file"].as_str().unwrap().to_owned(),
                q["line"].as_u64().unwrap(),
                q["kind"].as_str().unwrap().to_owned(),
            )
        };
        assert_eq!(
            at(&questions[0]),
            ("quizzes/moves.toml".to_owned(), 1, "choice".to_owned())
        );
        assert_eq!(
            at(&questions[4]),
            ("quizzes/moves.toml".to_owned(), 32, "tracing".to_owned())
        );
        assert_eq!(
            at(&questions[8]),
            ("src/ownership.md".to_owned(), 17, "choice".to_owned())
        );
        assert_eq!(questions[4]["key"], serde_json::json!(["compiles", "hi"]));
        let warned: Vec<(&str, u64)> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["path"].as_str().unwrap(), d["line"].as_u64().unwrap()))
            .collect();
        assert_eq!(warned, [("quizzes/borrowing.toml", 27)]);
    }
}
