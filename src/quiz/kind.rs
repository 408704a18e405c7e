//! Question kinds: the closed set of ways a question is asked and answered. Each kind
//! says what the learner sends (always a list of strings, so the answer pipeline, the
//! store and exports carry every kind alike), how it is graded and what the verdict
//! shows. Adding a kind is a variant here and its arm in [`grade_kind`] and the view.
//!
//! What the learner sends, per kind:
//! - [`Kind::Choice`]: the chosen option ids (order and repeats do not matter);
//! - [`Kind::Typed`]: one text per blank, in the prompt's order;
//! - [`Kind::Tracing`]: `compiles` and the program's output, or `does-not-compile` and
//!   the line of the error (asked, shown beside the key, not graded, as mdbook-quiz).

use serde::Serialize;

use super::blank::BlankKey;
use super::number;
use super::typed::{self, Piece, TextRule, Verdict};
use super::QuizOption;

/// How a question is asked and answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Choose one option, or all that apply.
    Choice(Choice),
    /// Type an answer in each blank (text or number).
    Typed(Typed),
    /// mdbook-quiz's Tracing: does the program compile, and what does it print.
    Tracing(Tracing),
}

/// A multiple-choice question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Options in authored order.
    pub options: Vec<QuizOption>,
    /// More than one correct option: "choose all that apply".
    pub multiple: bool,
    /// Whether attempts shuffle the options.
    pub order: Order,
}

/// The order options are shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Shuffled uniformly per attempt (every Knowledge Check question).
    Shuffled,
    /// As given: mdbook-quiz's `answerIndex` and `sortAnswers`, the author fixing the
    /// order, the one documented exception to shuffling.
    Fixed,
}

/// A typed question: one field per blank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Typed {
    /// The blanks, in the prompt's order.
    pub blanks: Vec<Blank>,
    /// The field the learner types in.
    pub response: Response,
}

/// One blank and its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blank {
    /// What is accepted.
    pub key: BlankKey,
    /// The expected answer as the author wrote it, shown after a wrong answer.
    pub shown: String,
    /// How typed text is compared (numbers ignore it).
    pub rule: TextRule,
}

/// The field a typed answer is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Response {
    /// One line (Enter checks).
    Short,
    /// Several lines of prose (Ctrl+Enter checks).
    Long,
    /// Several lines of code, monospace (Ctrl+Enter checks).
    Code,
}

/// A tracing question's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tracing {
    /// Whether the program compiles.
    pub compiles: bool,
    /// What it prints when it does.
    pub stdout: Option<String>,
    /// The line of the error when it does not (shown, not graded).
    pub line: Option<u32>,
}

/// The learner's side of one blank after grading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlankGrade {
    /// What the learner typed.
    pub given: String,
    /// Right, almost or wrong.
    pub verdict: Verdict,
    /// The expected answer (the nearest form for "almost"), when not right.
    pub expected: Option<String>,
    /// The marked difference between `given` and `expected`, when not right.
    pub diff: Vec<Piece>,
    /// Why the answer could not be read (a number with digit grouping…).
    pub note: Option<String>,
}

/// The verdict of one kind: whether right, and what to show.
pub(super) struct KindGrade {
    pub(super) correct: bool,
    pub(super) blanks: Vec<BlankGrade>,
    pub(super) tracing: Option<Tracing>,
}

/// What went wrong with what the learner sent (nothing is graded then).
pub(super) enum Sent {
    /// Nothing chosen or typed.
    Nothing,
    /// Not the shape the kind wants; the reason.
    Malformed(String),
}

/// Grades a typed or tracing answer (choices are graded by option id in `attempt.rs`).
pub(super) fn grade_kind(kind: &Kind, sent: &[String]) -> Result<KindGrade, Sent> {
    match kind {
        Kind::Choice(_) => Err(Sent::Malformed("choices are graded by option".into())),
        Kind::Typed(t) => grade_typed(t, sent),
        Kind::Tracing(t) => grade_tracing(t, sent),
    }
}

fn grade_typed(t: &Typed, sent: &[String]) -> Result<KindGrade, Sent> {
    if sent.iter().all(|s| s.trim().is_empty()) {
        return Err(Sent::Nothing);
    }
    if sent.len() != t.blanks.len() {
        return Err(Sent::Malformed(format!(
            "{} answers for {} blanks",
            sent.len(),
            t.blanks.len()
        )));
    }
    let blanks: Vec<BlankGrade> = t
        .blanks
        .iter()
        .zip(sent)
        .map(|(b, s)| grade_blank(b, s))
        .collect();
    Ok(KindGrade {
        correct: blanks.iter().all(|b| b.verdict == Verdict::Right),
        blanks,
        tracing: None,
    })
}

/// One blank: text by its rule, a number by its key.
pub(super) fn grade_blank(blank: &Blank, given: &str) -> BlankGrade {
    let (verdict, expected, note) = match &blank.key {
        BlankKey::Text(alternatives) => {
            let (verdict, near) = typed::compare(blank.rule, given, alternatives);
            (verdict, near.to_owned(), None)
        }
        BlankKey::Number(key) => match number::parse_number(given) {
            Ok(x) if key.accepts(x) => (Verdict::Right, blank.shown.clone(), None),
            Ok(_) => (Verdict::Wrong, blank.shown.clone(), None),
            Err(_) if given.trim().is_empty() => (Verdict::Wrong, blank.shown.clone(), None),
            Err(why) => (Verdict::Wrong, blank.shown.clone(), Some(why)),
        },
    };
    let right = verdict == Verdict::Right;
    BlankGrade {
        given: given.to_owned(),
        verdict,
        diff: if right {
            Vec::new()
        } else {
            typed::diff(given, &expected)
        },
        expected: (!right).then_some(expected),
        note: note.map(|why| format!("`{}` {why}", given.trim())),
    }
}

/// The first element of a tracing answer.
pub const COMPILES: &str = "compiles";
/// The first element of a tracing answer that says the program does not compile.
pub const DOES_NOT_COMPILE: &str = "does-not-compile";

fn grade_tracing(t: &Tracing, sent: &[String]) -> Result<KindGrade, Sent> {
    let (said, rest) = sent.split_first().ok_or(Sent::Nothing)?;
    let says_compiles = match said.as_str() {
        COMPILES => true,
        DOES_NOT_COMPILE => false,
        other => {
            return Err(Sent::Malformed(format!(
                "`{other}` is neither `{COMPILES}` nor `{DOES_NOT_COMPILE}`"
            )))
        }
    };
    let given = rest.first().map_or("", String::as_str);
    let mut blanks = Vec::new();
    let correct = match (t.compiles, says_compiles) {
        (true, true) => {
            let stdout = t.stdout.clone().unwrap_or_default();
            let blank = Blank {
                key: BlankKey::Text(vec![stdout.trim().to_owned()]),
                shown: stdout.trim().to_owned(),
                rule: TextRule::Trimmed,
            };
            let graded = grade_output(&blank, given);
            let right = graded.verdict == Verdict::Right;
            blanks.push(graded);
            right
        }
        (false, false) => true,
        _ => false,
    };
    Ok(KindGrade {
        correct,
        blanks,
        tracing: Some(t.clone()),
    })
}

/// A program's output is compared trimmed, case kept (as mdbook-quiz compares it).
fn grade_output(blank: &Blank, given: &str) -> BlankGrade {
    let expected = blank.shown.as_str();
    let right = given.trim() == expected;
    BlankGrade {
        given: given.to_owned(),
        verdict: if right {
            Verdict::Right
        } else {
            Verdict::Wrong
        },
        expected: (!right).then(|| expected.to_owned()),
        diff: if right {
            Vec::new()
        } else {
            typed::diff(given, expected)
        },
        note: None,
    }
}

impl Kind {
    /// The kind's name in views and grades: `choice`, `typed` or `tracing`.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Choice(_) => "choice",
            Kind::Typed(_) => "typed",
            Kind::Tracing(_) => "tracing",
        }
    }

    /// An answer the key grades right (the CLI's key and the tests): the correct
    /// option ids, the first form of each blank, or the tracing key.
    pub fn key_answer(&self) -> Vec<String> {
        match self {
            Kind::Choice(c) => c
                .options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect(),
            Kind::Typed(t) => t.blanks.iter().map(key_form).collect(),
            Kind::Tracing(t) if t.compiles => {
                vec![COMPILES.to_owned(), t.stdout.clone().unwrap_or_default()]
            }
            Kind::Tracing(t) => vec![
                DOES_NOT_COMPILE.to_owned(),
                t.line.map(|l| l.to_string()).unwrap_or_default(),
            ],
        }
    }
}

/// A text the blank accepts: its first alternative, or a number inside its key.
fn key_form(blank: &Blank) -> String {
    match &blank.key {
        BlankKey::Text(alternatives) => alternatives.first().cloned().unwrap_or_default(),
        BlankKey::Number(key) => {
            let (low, high) = key.bounds();
            format!("{}", (low + high) / 2.0)
        }
    }
}
