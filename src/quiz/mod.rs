//! Knowledge Check quizzes: a lesson's `## Knowledge Check` section turned into questions
//! that the app can shuffle, grade and explain, and into diagnostics for the author.
//!
//! Front door: [`parse`] reads one lesson's quiz (the [`Quiz`] *and* a diagnostic for every
//! question it had to drop or warn about); [`diagnostics`] is that list alone, cheaper, and
//! [`check_course`] gives it for every lesson, for `lectern check`. The learner's side is
//! [`start_attempt`] / [`retry_attempt`], which build an [`AttemptView`] with options
//! shuffled and no answer key, and [`grade`], which is the only place answers are
//! compared: the UI never holds the key.
//!
//! The format (README.md, "Writing lessons"): each item of the section's ordered
//! list is a question; what comes before its options is the prompt; its nested bullet list
//! holds the options; options may be marked `[x]`/`[ ]`, and where none is marked the
//! first one is correct (the *seed rule*); several correct options make a
//! choose-all-that-apply question; a blockquote in the item is the explanation, except
//! one under an option beginning `If chosen:` (that option's feedback). A prompt with
//! blanks (`[[Paris]]`, `[[0.75 ± 0.01]]`) is a typed question instead; `{{#quiz}}`
//! blocks add mdbook-quiz questions. Every question is one of the closed set of
//! [`Kind`]s, and what the learner sends is a list of strings for every kind.
//!
//! ```
//! use lectern::quiz;
//! let src = "---\nid: demo\ntitle: Demo\n---\n# Demo\n\n## Knowledge Check\n\n\
//!            1. Which tokens does GPT attend to?\n   - Earlier positions only\n   - All positions\n";
//! let (lesson, _) = lectern::lesson::parse("demo.md".as_ref(), src.as_bytes()).unwrap();
//! let (quiz, diagnostics) = quiz::parse(&lesson);
//! assert!(diagnostics.is_empty());
//! let question = &quiz.questions[0];
//! assert!(question.options()[0].correct, "seed rule: the first option is the answer");
//!
//! let attempt = quiz::start_attempt(&quiz, 7);
//! let shown = &attempt.questions[0].options;
//! assert_eq!(shown.len(), 2, "every option is shown, in an order drawn uniformly");
//!
//! let grade = quiz::grade(&quiz, &question.id, &[question.options()[0].id.clone()]).unwrap();
//! assert!(grade.correct);
//! ```

mod attempt;
mod blank;
mod catalog;
mod cloze;
mod keyed;
mod kind;
mod lint;
mod mdbook;
mod number;
mod parse;
mod revisit;
mod typed;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::course::Course;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lesson::Lesson;
use crate::render;
use crate::text::{fnv1a, LineIndex};

pub use attempt::{
    grade, retry_attempt, score, start_attempt, AttemptView, BlankView, Grade, OptionFeedback,
    OptionView, QuestionView, Score,
};
pub use blank::{hide as hide_blanks, BlankKey};
pub use catalog::Catalog;
pub use cloze::cloze;
pub use keyed::{keyed, KeyedBlank, KeyedOption, KeyedQuestion, KeyedQuiz};
pub use kind::{
    Blank, BlankGrade, Choice, Kind, Order, Response, Tracing, Typed, COMPILES, DOES_NOT_COMPILE,
};
pub use number::NumberKey;
pub use typed::{Op, Piece, TextRule, Verdict};

/// The quiz of one lesson: its well-formed questions, in authored order.
///
/// A lesson without a Knowledge Check has a quiz with no questions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quiz {
    /// The lesson's `id`, part of every question id.
    pub lesson_id: String,
    /// Questions that passed the checks; malformed ones are left out (and diagnosed).
    pub questions: Vec<Question>,
}

impl Quiz {
    /// The question with this id, if the quiz has it.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// One question, with its answer key: this is the author's and the grader's view, never
/// sent to the learner as is (see [`AttemptView`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// Stable identity, 16 hex digits: see [`question_id`].
    pub id: String,
    /// 1-based line of the lesson file where the question's list item starts.
    pub line: u32,
    /// 1-based column of that list item's marker.
    pub column: u32,
    /// The prompt's Markdown, as written (indentation of continuation lines removed).
    pub prompt_md: String,
    /// The prompt rendered and sanitized like the lesson body (a typed question's
    /// blanks are empty `span.q-blank` slots: the answer is not in it).
    pub prompt_html: String,
    /// How the question is asked and graded, with its key.
    pub kind: Kind,
    /// Text shown above the prompt (mdbook-quiz's `multipart` context), rendered.
    pub context_html: Option<String>,
    /// The explanation's Markdown (the blockquote without its `>` markers), if any.
    pub explanation_md: Option<String>,
    /// The explanation rendered and sanitized, shown once the question is graded.
    pub explanation_html: Option<String>,
    /// The lesson heading whose section best covers this question, for "review this".
    pub review: Option<HeadingLink>,
    /// `Some(n)`: the question comes from the lesson's n-th `{{#quiz}}` block (0-based)
    /// and is shown where that directive stands; `None`: the Knowledge Check.
    pub block: Option<usize>,
    /// The quiz file's own `id` for the question (mdbook-quiz), kept beside Lectern's.
    pub source_id: Option<String>,
    /// mdbook-quiz's `promptExplanation`: the learner is asked why, in a box whose text
    /// is kept with the answer.
    pub ask_why: bool,
}

impl Question {
    /// The options of a choice question, in authored order (none for other kinds).
    pub fn options(&self) -> &[QuizOption] {
        match &self.kind {
            Kind::Choice(c) => &c.options,
            _ => &[],
        }
    }

    /// Whether this is a choose-all-that-apply question.
    pub fn multiple(&self) -> bool {
        matches!(&self.kind, Kind::Choice(c) if c.multiple)
    }

    /// Ids of the correct options, in authored order.
    pub fn correct_ids(&self) -> Vec<String> {
        self.options()
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.clone())
            .collect()
    }

    /// The prompt's Markdown as shown outside the quiz (search, `review due`, the
    /// dashboard): a Knowledge Check blank is `___`, so the answer never leaks.
    pub fn shown_prompt(&self) -> String {
        match (&self.kind, self.block) {
            (Kind::Typed(_), None) => blank::hide(&self.prompt_md),
            _ => self.prompt_md.clone(),
        }
    }
}

/// One answer option of a [`Question`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuizOption {
    /// Short id, stable while the option's text and question stay the same; derived from
    /// a hash, so it says nothing about the option's position or correctness.
    pub id: String,
    /// The option's Markdown without its `[x]`/`[ ]` marker.
    pub md: String,
    /// The option rendered and sanitized.
    pub html: String,
    /// Whether choosing it is (part of) the right answer.
    pub correct: bool,
    /// Feedback shown when this option is chosen (a blockquote under it beginning
    /// `If chosen:`), rendered and sanitized.
    pub feedback_html: Option<String>,
}

/// A link to a heading of the lesson: `#id` in the rendered page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeadingLink {
    /// The heading's anchor id, as the rendered HTML has it.
    pub id: String,
    /// The heading's plain text, not HTML-escaped: show it with `textContent`.
    pub text: String,
}

/// Why the core refused to grade an answer. The UI branches on [`QuizError::code`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuizError {
    /// The question id is not in the quiz (the lesson changed since the attempt began).
    #[error("no question `{0}` in this quiz; the lesson may have changed, start a new attempt")]
    UnknownQuestion(String),
    /// A chosen option id is not one of the question's options.
    #[error("question `{question}` has no option `{option}`; the lesson may have changed, start a new attempt")]
    UnknownOption {
        /// The question graded.
        question: String,
        /// The option id that matched nothing.
        option: String,
    },
    /// Nothing was chosen or typed.
    #[error("no answer to question `{0}`; choose an option or type an answer")]
    NoChoice(String),
    /// The answer is not the shape the question's kind takes.
    #[error("question `{question}` cannot take this answer: {why}")]
    Malformed {
        /// The question graded.
        question: String,
        /// What is wrong with the answer.
        why: String,
    },
}

impl QuizError {
    /// Stable kebab-case code: `unknown-question`, `unknown-option` or `no-choice`.
    pub fn code(&self) -> &'static str {
        match self {
            QuizError::UnknownQuestion(_) => "unknown-question",
            QuizError::UnknownOption { .. } => "unknown-option",
            QuizError::NoChoice(_) => "no-choice",
            QuizError::Malformed { .. } => "malformed-answer",
        }
    }
}

/// Reads the Knowledge Check of `lesson`.
///
/// Returns the quiz *and* its diagnostics (paths relative to the lessons folder, lines of
/// the lesson file, source snippets attached). A malformed question is an error
/// diagnostic and is left out of the quiz; the other questions still work. Warnings
/// (authoring lints) leave the question in. Never fails: a lesson without a Knowledge
/// Check gives an empty quiz and no diagnostics.
pub fn parse(lesson: &Lesson) -> (Quiz, Vec<Diagnostic>) {
    read(lesson, Build::Quiz, None)
}

/// The diagnostics [`parse`] reports for `lesson`, the same list in the same order,
/// without building what only the learner sees: no question is rendered to HTML and no
/// "review this" section is looked for (indexing the lesson's sections for that is most
/// of a parse's cost). `lectern check` runs this on every lesson.
pub fn diagnostics(lesson: &Lesson) -> Vec<Diagnostic> {
    read(lesson, Build::DiagnosticsOnly, None).1
}

/// [`diagnostics`] given where the Knowledge Check sections are (`spans`, what
/// [`render::knowledge_check_spans`] gives for the body; the render check finds them in
/// its own parse), so the body is not parsed again to find them.
pub(crate) fn diagnostics_in(
    lesson: &Lesson,
    spans: Vec<std::ops::Range<usize>>,
) -> Vec<Diagnostic> {
    read(lesson, Build::DiagnosticsOnly, Some(spans)).1
}

/// The shown prompts ([`Question::shown_prompt`]) of the questions [`parse`] gives for
/// `lesson`, the same questions in the same order, built without what only the quiz view
/// needs: nothing is rendered to HTML and no "review this" section is looked for.
/// `spans` are the body's Knowledge Check sections (what
/// [`render::knowledge_check_spans`] gives), so the body is not parsed again to find
/// them. The search index reads its prompts here.
pub(crate) fn shown_prompts(lesson: &Lesson, spans: Vec<std::ops::Range<usize>>) -> Vec<String> {
    read(lesson, Build::Prompts, Some(spans))
        .0
        .questions
        .iter()
        .map(Question::shown_prompt)
        .collect()
}

/// What a read of a quiz builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Build {
    /// The questions the learner sees, and the diagnostics.
    Quiz,
    /// The questions' Markdown and kinds (so their shown prompts), unrendered and without
    /// review links, and the diagnostics.
    Prompts,
    /// The diagnostics alone: each question is identified (a second identical one is an
    /// error) but not built.
    DiagnosticsOnly,
}

/// [`parse`] or [`diagnostics`]: the one reading both go through (`spans`: the Knowledge
/// Check sections when the caller knows them).
fn read(
    lesson: &Lesson,
    build: Build,
    spans: Option<Vec<std::ops::Range<usize>>>,
) -> (Quiz, Vec<Diagnostic>) {
    let body = lesson.body();
    let spans = spans.unwrap_or_else(|| render::knowledge_check_spans(body));
    let mut p = Parsing {
        lesson,
        lines: LineIndex::new(&lesson.text),
        quiz: Quiz {
            lesson_id: lesson.id.clone(),
            questions: Vec::new(),
        },
        diagnostics: Vec::new(),
        seen: HashMap::new(),
    };
    let has_blocks = body.contains(crate::lesson::include::QUIZ_BLOCK_INFO);
    if spans.is_empty() && !has_blocks {
        return (p.quiz, p.diagnostics);
    }
    let kc = spans.first().cloned().unwrap_or(body.len()..body.len());
    let sections = (build == Build::Quiz).then(|| revisit::Sections::new(body, &kc));
    if has_blocks {
        p.blocks(sections.as_ref());
    }
    if !spans.is_empty() {
        p.knowledge_check(&spans, build, sections.as_ref());
    }
    // Document order: the quiz blocks where they stand, the Knowledge Check at its place.
    p.quiz.questions.sort_by_key(|q| q.line);
    (p.quiz, p.diagnostics)
}

/// One parse of a lesson's quiz: what is found so far.
struct Parsing<'l> {
    lesson: &'l Lesson,
    lines: LineIndex,
    quiz: Quiz,
    diagnostics: Vec<Diagnostic>,
    /// Question id → its line, to refuse an identical second question (ids unique).
    seen: HashMap<String, u32>,
}

impl Parsing<'_> {
    /// Line and column of `offset` in the lesson's text.
    fn at(&self, offset: usize) -> (u32, u32) {
        self.lines.position(&self.lesson.text, offset)
    }

    /// Keeps `d`, with its source line attached.
    fn push(&mut self, d: Diagnostic) {
        let text = &self.lesson.text;
        let source = self.lines.line_range(text, d.line).map_or("", |r| &text[r]);
        self.diagnostics.push(d.with_line(source));
    }

    /// Adds `question` unless an identical one is already in (an error then).
    fn add(&mut self, question: Question) {
        if self.first_of_its_id(&question.id, question.line, question.column) {
            self.quiz.questions.push(question);
        }
    }

    /// Whether no question with `id` came before; if one did, the error for the second
    /// (at `line` and `column`) is pushed and `false` returned.
    fn first_of_its_id(&mut self, id: &str, line: u32, column: u32) -> bool {
        if let Some(first) = self.seen.get(id) {
            let d = Diagnostic::error(
                &self.lesson.path,
                line,
                column,
                "quiz-duplicate-question",
                format!("this question is identical to the one at line {first} (same prompt, options and answer); it is left out: remove it or change it"),
            );
            self.push(d);
            return false;
        }
        self.seen.insert(id.to_owned(), line);
        true
    }

    /// The questions of the Knowledge Check (the first of `spans`), built as `build` says
    /// (`sections`: where to look for review links, for [`Build::Quiz`] only).
    fn knowledge_check(
        &mut self,
        spans: &[std::ops::Range<usize>],
        build: Build,
        sections: Option<&revisit::Sections>,
    ) {
        let lesson = self.lesson;
        let path = lesson.path.as_path();
        let span = spans[0].clone();
        let base = lesson.body_offset + span.start;
        let (first_line, _) = self.at(base);
        for extra in &spans[1..] {
            let (line, column) = self.at(lesson.body_offset + extra.start);
            self.push(second_knowledge_check(path, line, column, first_line));
        }
        let raw = parse::raw_questions(&lesson.body()[span]);
        if raw.is_empty() {
            let (line, column) = self.at(base);
            self.push(Diagnostic::warning(
                path,
                line,
                column,
                "quiz-empty",
                "the Knowledge Check has no questions; write them as a numbered list (`1. question`) with the options as a bullet list under each",
            ));
            return;
        }
        for q in raw {
            let (line, column) = self.at(base + q.offset);
            let place = |this: &Self, offset: Option<usize>| {
                offset.map_or((line, column), |o| this.at(base + o))
            };
            let mut problems = Vec::new();
            for problem in lint::errors(&q)
                .into_iter()
                .chain(lint::empty_when_rendered(&q))
            {
                let (l, c) = place(self, problem.offset);
                problems.push(Diagnostic::error(path, l, c, problem.code, problem.message));
            }
            // The prompts alone (what search indexes) need no warnings: only errors leave
            // a question out.
            let warnings = if build == Build::Prompts {
                Vec::new()
            } else {
                lint::warnings(&q)
            };
            for warning in warnings {
                let (l, c) = place(self, warning.offset);
                self.push(Diagnostic::warning(
                    path,
                    l,
                    c,
                    warning.code,
                    warning.message,
                ));
            }
            if !problems.is_empty() {
                problems.into_iter().for_each(|d| self.push(d));
                continue;
            }
            match build {
                Build::DiagnosticsOnly => {
                    self.first_of_its_id(&raw_question_id(&lesson.id, &q), line, column);
                }
                Build::Quiz | Build::Prompts => {
                    self.add(build_question(&lesson.id, q, line, column, sections));
                }
            }
        }
    }

    /// The questions of every `{{#quiz}}` block, in order, each at its header's line;
    /// without `sections` ([`Build::DiagnosticsOnly`], [`Build::Prompts`]) none gets a
    /// review link.
    fn blocks(&mut self, sections: Option<&revisit::Sections>) {
        let lesson = self.lesson;
        for (n, (start, text)) in quiz_blocks(lesson.body()).into_iter().enumerate() {
            let base = lesson.body_offset + start;
            let (found, problems) = mdbook::read(&lesson.id, n, &text);
            for problem in problems {
                let (line, column) = self.at(base + problem.offset);
                let d = match problem.severity {
                    Severity::Error => {
                        Diagnostic::error(&lesson.path, line, column, problem.code, problem.message)
                    }
                    Severity::Warning => Diagnostic::warning(
                        &lesson.path,
                        line,
                        column,
                        problem.code,
                        problem.message,
                    ),
                };
                self.push(d);
            }
            for f in found {
                let mut question = f.question;
                (question.line, question.column) = self.at(base + f.offset);
                if let Some(sections) = sections {
                    let key = question.kind.key_answer().join("\n");
                    question.review = sections.best(&format!("{}\n{key}", question.prompt_md));
                }
                self.add(question);
            }
        }
    }
}

/// The `{{#quiz}}` blocks of `body`: where each one's text starts, and the text.
fn quiz_blocks(body: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut inside = false;
    for (event, range) in Parser::new_ext(body, render::parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if render::is_quiz_block(&info) =>
            {
                inside = true;
                out.push((range.end, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => inside = false,
            Event::Text(t) if inside => {
                if let Some(last) = out.last_mut() {
                    if last.1.is_empty() {
                        last.0 = range.start;
                    }
                    last.1.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

/// The error for a Knowledge Check heading after the first (at `first_line`).
fn second_knowledge_check(path: &Path, line: u32, column: u32, first_line: u32) -> Diagnostic {
    Diagnostic::error(
        path,
        line,
        column,
        "quiz-second-knowledge-check",
        format!("a second Knowledge Check heading (the first is at line {first_line}); a lesson has one quiz, so this section is left out of the lesson and the quiz: merge its questions into the first"),
    )
}

/// Quiz diagnostics for every lesson of `course`, in course order, for `lectern check`.
pub fn check_course(course: &Course) -> Vec<Diagnostic> {
    course.lessons().iter().flat_map(diagnostics).collect()
}

fn build_question(
    lesson_id: &str,
    q: parse::RawQuestion,
    line: u32,
    column: u32,
    sections: Option<&revisit::Sections>,
) -> Question {
    // Without `sections` (`Build::Prompts`) only the Markdown is wanted: nothing rendered.
    let render = |md: &str| {
        if sections.is_some() {
            render::inline_html(md)
        } else {
            String::new()
        }
    };
    let (id, kind, prompt_html, key_text) = if q.blanks.is_empty() {
        let (id, choice) = build_choice(lesson_id, &q, sections.is_some());
        let key: Vec<&str> = choice
            .options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.md.as_str())
            .collect();
        let key = key.join("\n");
        (id, Kind::Choice(choice), render(&q.prompt_md), key)
    } else {
        let blanks = q
            .blanks
            .iter()
            .filter_map(|b| {
                let key = blank::key(&b.inner).ok()?;
                Some(Blank {
                    key,
                    shown: b.inner.split('|').next().unwrap_or("").trim().to_owned(),
                    rule: TextRule::Forgiving,
                })
            })
            .collect();
        let typed = Typed {
            blanks,
            response: Response::Short,
        };
        // The prompt holds the answers, so hashing it hashes the key too.
        let id = question_id(lesson_id, &q.prompt_md, &[]);
        let html = if sections.is_some() {
            blank::prompt_html(&q.prompt_md, &q.blanks)
        } else {
            String::new()
        };
        (id, Kind::Typed(typed), html, String::new())
    };
    let review = sections.and_then(|s| s.best(&format!("{}\n{key_text}", q.prompt_md)));
    Question {
        id,
        line,
        column,
        prompt_html,
        prompt_md: q.prompt_md,
        kind,
        context_html: None,
        explanation_html: q.explanation_md.as_deref().map(render),
        explanation_md: q.explanation_md,
        review,
        block: None,
        source_id: None,
        ask_why: false,
    }
}

/// A choice question's id and options (the seed rule applied, option ids derived), the
/// options rendered when `render` (not for [`Build::Prompts`]: their HTML stays empty).
fn build_choice(lesson_id: &str, q: &parse::RawQuestion, render: bool) -> (String, Choice) {
    let correct = correct_options(q);
    let id = choice_id(lesson_id, q, &correct);
    let options = choice_options(
        &id,
        q.options
            .iter()
            .zip(&correct)
            .map(|(o, &c)| (o.md.as_str(), c, o.feedback_md.as_deref())),
        render,
    );
    let multiple = correct.iter().filter(|&&c| c).count() > 1;
    (
        id,
        Choice {
            options,
            multiple,
            order: Order::Shuffled,
        },
    )
}

/// Which options of a choice question are correct: the marked ones, or (the seed rule)
/// the first when none is marked.
fn correct_options(q: &parse::RawQuestion) -> Vec<bool> {
    let any_marked = q.options.iter().any(|o| o.marker.is_some());
    q.options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            if any_marked {
                o.marker == Some(true)
            } else {
                i == 0
            }
        })
        .collect()
}

/// The id of a choice question whose options are `correct` or not.
fn choice_id(lesson_id: &str, q: &parse::RawQuestion, correct: &[bool]) -> String {
    let pairs: Vec<(&str, bool)> = q
        .options
        .iter()
        .zip(correct)
        .map(|(o, &c)| (o.md.as_str(), c))
        .collect();
    question_id(lesson_id, &q.prompt_md, &pairs)
}

/// The id [`build_question`] gives `q`, without building it.
fn raw_question_id(lesson_id: &str, q: &parse::RawQuestion) -> String {
    if q.blanks.is_empty() {
        choice_id(lesson_id, q, &correct_options(q))
    } else {
        // A typed question: its prompt holds the answers (see `build_question`).
        question_id(lesson_id, &q.prompt_md, &[])
    }
}

/// The options of question `id` from (Markdown, correct, feedback) in authored order,
/// each with a short id derived from the question id and its text; their HTML rendered
/// when `render` (else left empty: a read for the prompts alone).
pub(crate) fn choice_options<'a>(
    id: &str,
    options: impl Iterator<Item = (&'a str, bool, Option<&'a str>)>,
    render: bool,
) -> Vec<QuizOption> {
    let mut seen = HashSet::new();
    // The next salt to try per option text: the k-th duplicate starts where the one
    // before it stopped, so identical options cost linear time, not k² hashes.
    let mut next_salt: HashMap<String, u32> = HashMap::new();
    options
        .map(|(md, correct, feedback)| {
            let norm = normalize(md);
            // Duplicate texts (a lint warning) still need distinct ids.
            let mut n = next_salt.get(&norm).copied().unwrap_or(0);
            let option_id = loop {
                let salt = n.to_string();
                let h = fnv1a(&[id, &norm, if n == 0 { "" } else { &salt }]);
                let candidate = format!("{:08x}", h >> 32);
                n += 1;
                if seen.insert(candidate.clone()) {
                    break candidate;
                }
            };
            next_salt.insert(norm, n);
            let html = |md: &str| {
                if render {
                    render::inline_html(md)
                } else {
                    String::new()
                }
            };
            QuizOption {
                id: option_id,
                html: html(md),
                md: md.to_owned(),
                correct,
                feedback_html: feedback.map(html),
            }
        })
        .collect()
}

/// The stable id of a question: 16 hex digits of FNV-1a (64-bit) over the lesson id, the
/// normalized prompt and the sorted normalized options, each with its correctness.
///
/// Normalized means whitespace collapsed and lowercased, so re-wrapping or re-indenting a
/// question, or moving it within the lesson, keeps its id (and so the learner's history);
/// editing the prompt, adding, removing or rewording an option, or changing the answer
/// key gives a new id, since old answers were given to a different question. Marking the
/// seed rule's answer explicitly (`[x]` first, `[ ]` others) is not a change. FNV-1a is
/// written out here rather than taken from `std`'s `DefaultHasher`, whose output may
/// change between Rust releases.
pub fn question_id(lesson_id: &str, prompt_md: &str, options: &[(&str, bool)]) -> String {
    let mut opts: Vec<String> = options
        .iter()
        .map(|(md, correct)| format!("{}{}", if *correct { '+' } else { '-' }, normalize(md)))
        .collect();
    opts.sort();
    let prompt = normalize(prompt_md);
    let mut parts: Vec<&str> = vec![lesson_id, &prompt];
    parts.extend(opts.iter().map(String::as_str));
    format!("{:016x}", fnv1a(&parts))
}

/// Whitespace collapsed to single spaces, trimmed and lowercased: what counts as "the
/// same text" for ids and duplicate checks.
pub(crate) fn normalize(text: &str) -> String {
    // Built in one buffer (every option of every question is normalized, for its id).
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_ascii() {
        out.make_ascii_lowercase();
        return out;
    }
    // Not a character at a time: `to_lowercase` knows a final sigma.
    out.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_collapses_whitespace_and_lowercases_as_ids_always_have() {
        // The definition question ids were made with: it must not change.
        let before = |text: &str| {
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        for text in [
            "",
            "   ",
            "  Two   Words\n",
            "\tA\u{a0}b\u{2003}C  ",
            "ΟΔΟΣ ΣΑΣ",
            "İstanbul Straße ÉCOLE `Vec<T>`",
        ] {
            assert_eq!(normalize(text), before(text), "{text:?}");
        }
    }

    #[test]
    fn shown_prompts_are_those_of_a_full_parse_on_every_fixture_course() {
        let mut prompts = 0;
        for dir in crate::course::every_fixture_course() {
            let course = crate::course::Course::load(&dir).course;
            for lesson in course.lessons() {
                let full: Vec<String> = parse(lesson)
                    .0
                    .questions
                    .iter()
                    .map(Question::shown_prompt)
                    .collect();
                let spans = render::knowledge_check_spans(lesson.body());
                assert_eq!(shown_prompts(lesson, spans), full, "{:?}", lesson.path);
                prompts += full.len();
            }
        }
        assert!(prompts > 100, "the fixtures hold questions ({prompts})");
    }

    #[test]
    fn question_id_is_pinned() {
        // Ids are stored in progress data: this value must never change.
        let id = question_id("lesson", "Why?", &[("Because", true), ("No", false)]);
        assert_eq!(id, "e3c45406a44122b7");
        assert_eq!(
            id,
            question_id("lesson", "  why?\n", &[("no", false), ("because", true)])
        );
        assert_ne!(
            id,
            question_id("other", "Why?", &[("Because", true), ("No", false)])
        );
        assert_ne!(
            id,
            question_id("lesson", "Why?", &[("Because", false), ("No", true)])
        );
    }
}
