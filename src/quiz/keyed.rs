//! A lesson's questions as their author reads them: with the answer key, what each
//! blank accepts, each option's feedback, where each question is written and the lints
//! of each. One shape for `lectern quiz --json` and the window's author view
//! (`crate::author`), so the two cannot disagree.
//!
//! This is the only serializable form of a [`Question`] that carries its key: the
//! learner's form is [`super::AttemptView`].

use serde::Serialize;

use super::{BlankKey, Kind, Question};
use crate::diagnostic::{slash_path, Diagnostic};
use crate::lesson::Lesson;

/// A lesson's quiz with its key (the JSON of `lectern quiz --json`, README.md).
#[derive(Clone, Debug, Serialize)]
pub struct KeyedQuiz {
    /// The lesson's id (`None` when the file is no lesson).
    pub lesson: Option<String>,
    /// The well-formed questions, in document order.
    pub questions: Vec<KeyedQuestion>,
    /// Every diagnostic of the lesson and its quiz, lines of the file they are in.
    pub diagnostics: Vec<Diagnostic>,
}

/// One question with its key.
#[derive(Clone, Debug, Serialize)]
pub struct KeyedQuestion {
    /// The question's id.
    pub id: String,
    /// The file it is written in (the lesson's, or a `{{#quiz}}` file), `/`-separated.
    pub file: String,
    /// Its line in that file.
    pub line: u32,
    /// `choice`, `typed` or `tracing`.
    pub kind: &'static str,
    /// The prompt, rendered and sanitized (blanks empty).
    pub prompt_html: String,
    /// Choose all that apply.
    pub multiple: bool,
    /// An answer the key grades right, as the learner would send it.
    pub key: Vec<String>,
    /// What each blank of a typed question accepts, in the prompt's order.
    pub blanks: Vec<KeyedBlank>,
    /// The options of a choice question, in authored order.
    pub options: Vec<KeyedOption>,
    /// The explanation shown after grading, rendered and sanitized.
    pub explanation_html: Option<String>,
    /// The diagnostics reported at this question's lines (also in
    /// [`KeyedQuiz::diagnostics`]).
    pub lints: Vec<Diagnostic>,
}

/// What one blank accepts.
#[derive(Clone, Debug, Serialize)]
pub struct KeyedBlank {
    /// The answer as the author wrote it.
    pub shown: String,
    /// Every text accepted (a number: its range, `low to high`).
    pub accepted: Vec<String>,
}

/// One option with its key and feedback.
#[derive(Clone, Debug, Serialize)]
pub struct KeyedOption {
    /// The option's id.
    pub id: String,
    /// Its text, rendered and sanitized.
    pub html: String,
    /// Whether it is (part of) the right answer.
    pub correct: bool,
    /// The feedback shown when it is chosen, rendered and sanitized.
    pub feedback_html: Option<String>,
}

/// The keyed quiz of `lesson` (`None`: the file is no lesson), with `diagnostics`, the
/// load diagnostics of its file, before the quiz's own. Lines of included text (a
/// `{{#quiz}}` file) are reported in that file.
pub fn keyed(lesson: Option<&Lesson>, mut diagnostics: Vec<Diagnostic>) -> KeyedQuiz {
    let Some(lesson) = lesson else {
        return KeyedQuiz {
            lesson: None,
            questions: Vec::new(),
            diagnostics,
        };
    };
    let (quiz, found) = super::parse(lesson);
    diagnostics.extend(found.into_iter().map(|mut d| {
        if d.path == lesson.path {
            (d.path, d.line) = lesson.origin(d.line);
        }
        d
    }));
    let questions = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let end = quiz.questions.get(i + 1).map_or(u32::MAX, |n| n.line);
            keyed_question(lesson, q, end, &diagnostics)
        })
        .collect();
    KeyedQuiz {
        lesson: Some(lesson.id.clone()),
        questions,
        diagnostics,
    }
}

/// `q` with its key; `end` is the line (of the lesson's text) where the next question
/// starts, so its lints are the diagnostics at lines `q.line..end` of its file.
fn keyed_question(lesson: &Lesson, q: &Question, end: u32, all: &[Diagnostic]) -> KeyedQuestion {
    let (path, line) = lesson.origin(q.line);
    let (_, end) = if end == u32::MAX {
        (path.clone(), u32::MAX)
    } else {
        lesson.origin(end)
    };
    let lints = all
        .iter()
        .filter(|d| d.path == path && d.line >= line && (d.line < end || end <= line))
        .cloned()
        .collect();
    KeyedQuestion {
        id: q.id.clone(),
        file: slash_path(&path),
        line,
        kind: q.kind.name(),
        prompt_html: q.prompt_html.clone(),
        multiple: q.multiple(),
        key: q.kind.key_answer(),
        blanks: blanks(&q.kind),
        options: q
            .options()
            .iter()
            .map(|o| KeyedOption {
                id: o.id.clone(),
                html: o.html.clone(),
                correct: o.correct,
                feedback_html: o.feedback_html.clone(),
            })
            .collect(),
        explanation_html: q.explanation_html.clone(),
        lints,
    }
}

fn blanks(kind: &Kind) -> Vec<KeyedBlank> {
    let Kind::Typed(t) = kind else {
        return Vec::new();
    };
    t.blanks
        .iter()
        .map(|b| KeyedBlank {
            shown: b.shown.clone(),
            accepted: match &b.key {
                BlankKey::Text(alternatives) => alternatives.clone(),
                BlankKey::Number(n) => {
                    let (low, high) = n.bounds();
                    if low == high {
                        vec![format!("{low}")]
                    } else {
                        vec![format!("{low} to {high}")]
                    }
                }
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn lesson(text: &str) -> Lesson {
        crate::lesson::parse(Path::new("l.md"), text.as_bytes())
            .expect("lesson parses")
            .0
    }

    const LESSON: &str = "---\nid: l\ntitle: L\n---\n# L\n\nText.\n\n## Knowledge Check\n\n\
1. Which is a vowel?\n   - [x] a\n     > If chosen: yes, a is one.\n   - [ ] b\n     > If chosen: b is a consonant.\n\n\
2. The capital of France is [[Paris | paris]].\n\n\
3. Pick one:\n   - [x] x\n   - [ ] All of the above\n";

    #[test]
    fn keyed_questions_carry_key_feedback_blanks_and_lines() {
        let l = lesson(LESSON);
        let k = keyed(Some(&l), Vec::new());
        assert_eq!(k.lesson.as_deref(), Some("l"));
        let vowel = &k.questions[0];
        assert_eq!(
            (vowel.kind, vowel.line, vowel.file.as_str()),
            ("choice", 11, "l.md")
        );
        assert_eq!(vowel.options.len(), 2);
        assert!(vowel.options[0].correct && !vowel.options[1].correct);
        assert!(vowel.options[1]
            .feedback_html
            .as_deref()
            .is_some_and(|f| f.contains("consonant")));
        assert_eq!(vowel.key, vec![vowel.options[0].id.clone()]);
        let capital = &k.questions[1];
        assert_eq!(capital.kind, "typed");
        assert_eq!(capital.blanks[0].accepted, vec!["Paris", "paris"]);
    }

    #[test]
    fn each_question_gets_the_lints_at_its_own_lines() {
        let l = lesson(LESSON);
        let k = keyed(Some(&l), Vec::new());
        // The third question offers "All of the above": a warning at its lines only.
        assert!(!k.diagnostics.is_empty(), "{:?}", k.diagnostics);
        for d in &k.diagnostics {
            let owners: Vec<_> = k
                .questions
                .iter()
                .filter(|q| q.lints.contains(d))
                .map(|q| q.line)
                .collect();
            assert!(owners.len() <= 1, "{d:?} in {owners:?}");
        }
        assert!(k.questions[0].lints.is_empty() && k.questions[1].lints.is_empty());
        assert!(k.questions[2]
            .lints
            .iter()
            .any(|d| d.code == "quiz-all-of-the-above"));
    }

    #[test]
    fn no_lesson_gives_no_questions_and_keeps_the_diagnostics() {
        let d = Diagnostic::error(Path::new("x.md"), 1, 1, "front-matter-missing", "m");
        let k = keyed(None, vec![d.clone()]);
        assert!(k.lesson.is_none() && k.questions.is_empty());
        assert_eq!(k.diagnostics, vec![d]);
    }
}
