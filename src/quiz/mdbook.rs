//! mdbook-quiz quiz files (`{{#quiz file.toml}}`): their questions read into Lectern's
//! kinds, following mdbook-quiz's schema and grading.
//!
//! - `MultipleChoice`: `prompt.prompt`, `prompt.distractors`, `answer.answer` (a string:
//!   one right option; a list: choose all that apply); `prompt.answerIndex` (the answer
//!   at that place among the distractors) and `prompt.sortAnswers` (options in sorted
//!   order) are the author fixing the order, the one exception to shuffling.
//! - `ShortAnswer`: `prompt.prompt`, `prompt.response` (`short`, `long`, `code`),
//!   `answer.answer`, `answer.alternatives`; compared lowercased and trimmed.
//! - `Tracing`: `prompt.program`, `answer.doesCompile`, then `answer.stdout` (compared
//!   trimmed) or `answer.lineNumber` (asked and shown, not graded).
//! - `context` is the explanation; `[multipart]` texts are shown above the questions
//!   naming them (`multipart = "a"`); `promptExplanation` asks the learner why.
//!
//! Question ids are Lectern's content hashes, like every question's; the file's `id`
//! is kept beside it. A file that does not parse is one error at the TOML's line and
//! column; a question missing what its type needs is an error that leaves it out;
//! fields Lectern does not know are warnings.

use toml::{Table, Value};

use super::blank::BlankKey;
use super::kind::{Blank, Choice, Kind, Order, Response, Tracing, Typed};
use super::typed::TextRule;
use super::{choice_options, normalize, question_id, Question};
use crate::diagnostic::Severity;
use crate::render;
use crate::text::fnv1a;

/// A question of the file, its place in the file, before its line is known.
pub(super) struct Found {
    /// Offset in the file of the question's `[[questions]]` header.
    pub(super) offset: usize,
    pub(super) question: Question,
}

/// A problem in the file: offset in it, severity, code, message.
pub(super) struct Problem {
    pub(super) offset: usize,
    pub(super) severity: Severity,
    pub(super) code: &'static str,
    pub(super) message: String,
}

/// What the prompt of a tracing question says, as mdbook-quiz says it.
const TRACING_PROMPT: &str = "Does this program compile? If it does, what does it print? If it does not, on which line is the error?";

/// The questions of quiz file `text`, the lesson's `block`-th, and its problems.
pub(super) fn read(lesson_id: &str, block: usize, text: &str) -> (Vec<Found>, Vec<Problem>) {
    let mut problems = Vec::new();
    let table = match text.parse::<Table>() {
        Ok(t) => t,
        Err(e) => {
            let message = e.message().trim().to_owned();
            problems.push(Problem {
                offset: e.span().map_or(0, |s| s.start),
                severity: Severity::Error,
                code: "quiz-toml-syntax",
                message: format!(
                    "this quiz file is not valid TOML: {message}; its questions are left out"
                ),
            });
            return (Vec::new(), problems);
        }
    };
    let headers = header_offsets(text);
    for key in table
        .keys()
        .filter(|k| !matches!(k.as_str(), "questions" | "multipart"))
    {
        problems.push(unknown(key_offset(text, key, 0), key, "quiz file"));
    }
    let multipart = table.get("multipart").and_then(Value::as_table);
    let questions = table.get("questions").and_then(Value::as_array);
    let mut found = Vec::new();
    for (i, q) in questions.into_iter().flatten().enumerate() {
        let offset = headers.get(i).copied().unwrap_or(0);
        let Some(q) = q.as_table() else {
            continue;
        };
        let mut reader = Reader {
            text,
            offset,
            problems: &mut problems,
        };
        if let Some(question) = reader.question(lesson_id, block, q, multipart) {
            found.push(Found { offset, question });
        }
    }
    (found, problems)
}

/// Offsets of the `[[questions]]` headers, in order.
fn header_offsets(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().replace(' ', "") == "[[questions]]" {
            out.push(at);
        }
        at += line.len();
    }
    out
}

/// Where `key` is first written at the start of a line from `from` on (else `from`).
fn key_offset(text: &str, key: &str, from: usize) -> usize {
    let mut at = from;
    for line in text.get(from..).unwrap_or("").split_inclusive('\n') {
        if line.trim_start().starts_with(key) {
            return at + (line.len() - line.trim_start().len());
        }
        at += line.len();
    }
    from
}

fn unknown(offset: usize, key: &str, place: &str) -> Problem {
    Problem {
        offset,
        severity: Severity::Warning,
        code: "quiz-toml-unknown-field",
        message: format!(
            "`{key}` is not a field of an mdbook-quiz {place} that Lectern knows; it is ignored"
        ),
    }
}

/// Reads one question, reporting at its header.
struct Reader<'a> {
    text: &'a str,
    offset: usize,
    problems: &'a mut Vec<Problem>,
}

impl Reader<'_> {
    fn error<T>(&mut self, message: String) -> Option<T> {
        self.problems.push(Problem {
            offset: self.offset,
            severity: Severity::Error,
            code: "quiz-toml-field",
            message: format!("{message}; the question is left out"),
        });
        None
    }

    /// Warns about the keys of `table` not in `known` (`place` names the table).
    fn only(&mut self, table: &Table, known: &[&str], place: &str) {
        for key in table.keys().filter(|k| !known.contains(&k.as_str())) {
            let at = key_offset(self.text, key, self.offset);
            let at = if at == self.offset {
                key_offset(self.text, &format!("{place}.{key}"), self.offset)
            } else {
                at
            };
            self.problems
                .push(unknown(at, key, &format!("question's `{place}`")));
        }
    }

    fn question(
        &mut self,
        lesson_id: &str,
        block: usize,
        q: &Table,
        multipart: Option<&Table>,
    ) -> Option<Question> {
        const KNOWN: &[&str] = &[
            "type",
            "id",
            "prompt",
            "answer",
            "context",
            "multipart",
            "promptExplanation",
        ];
        for key in q.keys().filter(|k| !KNOWN.contains(&k.as_str())) {
            let at = key_offset(self.text, key, self.offset);
            self.problems.push(unknown(at, key, "question"));
        }
        let empty = Table::new();
        let prompt = q.get("prompt").and_then(Value::as_table).unwrap_or(&empty);
        let answer = q.get("answer").and_then(Value::as_table).unwrap_or(&empty);
        let context = match q.get("multipart").and_then(Value::as_str) {
            Some(part) => match multipart.and_then(|m| m.get(part)).and_then(Value::as_str) {
                Some(text) => Some(text.trim().to_owned()),
                None => {
                    return self.error(format!(
                        "`multipart = \"{part}\"` names no text of the file's `[multipart]` table"
                    ))
                }
            },
            None => None,
        };
        let shell = Shell {
            lesson_id,
            context: context.as_deref(),
        };
        let kind = q.get("type").and_then(Value::as_str).unwrap_or("");
        let (id, prompt_md, kind) = match kind {
            "MultipleChoice" => self.multiple_choice(&shell, prompt, answer)?,
            "ShortAnswer" => self.short_answer(&shell, prompt, answer)?,
            "Tracing" => self.tracing(&shell, prompt, answer)?,
            other => {
                return self.error(format!("`type = \"{other}\"` is not a question type Lectern reads (MultipleChoice, ShortAnswer, Tracing)"))
            }
        };
        let explanation_md = q
            .get("context")
            .and_then(Value::as_str)
            .map(|c| c.trim().to_owned());
        Some(Question {
            id,
            line: 0,
            column: 1,
            prompt_html: render::inline_html(&prompt_md),
            prompt_md,
            kind,
            context_html: context.as_deref().map(render::inline_html),
            explanation_html: explanation_md.as_deref().map(render::inline_html),
            explanation_md,
            review: None,
            block: Some(block),
            source_id: q.get("id").and_then(Value::as_str).map(str::to_owned),
            ask_why: q
                .get("promptExplanation")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }
}

/// What every question of a block hashes beside its own fields.
struct Shell<'a> {
    lesson_id: &'a str,
    /// The multipart text shown above the question.
    context: Option<&'a str>,
}

impl Shell<'_> {
    /// The prompt as hashed: the multipart text above it is part of what was asked.
    fn asked(&self, prompt: &str) -> String {
        match self.context {
            Some(c) => format!("{c}\n\n{prompt}"),
            None => prompt.to_owned(),
        }
    }

    /// A content hash of a question that is no choice: its type and every field.
    fn id(&self, kind: &str, prompt: &str, key: &[&str]) -> String {
        let asked = normalize(&self.asked(prompt));
        let mut parts: Vec<String> = vec![self.lesson_id.to_owned(), kind.to_owned(), asked];
        parts.extend(key.iter().map(|k| normalize(k)));
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        format!("{:016x}", fnv1a(&refs))
    }
}

fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    match value? {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => None,
    }
}

impl Reader<'_> {
    fn multiple_choice(
        &mut self,
        shell: &Shell<'_>,
        prompt: &Table,
        answer: &Table,
    ) -> Option<(String, String, Kind)> {
        self.only(
            prompt,
            &["prompt", "distractors", "answerIndex", "sortAnswers"],
            "prompt",
        );
        self.only(answer, &["answer"], "answer");
        let Some(text) = prompt.get("prompt").and_then(Value::as_str) else {
            return self.error("a MultipleChoice question needs `prompt.prompt`, a string".into());
        };
        let Some(distractors) = strings(prompt.get("distractors")) else {
            return self.error(
                "a MultipleChoice question needs `prompt.distractors`, a list of strings".into(),
            );
        };
        let list = matches!(answer.get("answer"), Some(Value::Array(_)));
        let Some(answers) = strings(answer.get("answer")).filter(|a| !a.is_empty()) else {
            return self.error(
                "a MultipleChoice question needs `answer.answer`, a string or a list of strings"
                    .into(),
            );
        };
        let trim = |s: &String| s.trim().to_owned();
        let mut options: Vec<(String, bool)> = answers.iter().map(|a| (trim(a), true)).collect();
        let wrong: Vec<(String, bool)> = distractors.iter().map(|d| (trim(d), false)).collect();
        let index = prompt.get("answerIndex").and_then(Value::as_integer);
        let sort = prompt
            .get("sortAnswers")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let order = if sort || index.is_some() {
            Order::Fixed
        } else {
            Order::Shuffled
        };
        match index {
            Some(i) if !sort => {
                let at = usize::try_from(i).unwrap_or(0).min(wrong.len());
                let mut all = wrong;
                for (k, o) in options.into_iter().enumerate() {
                    all.insert((at + k).min(all.len()), o);
                }
                options = all;
            }
            _ => options.extend(wrong),
        }
        if sort {
            options.sort_by(|a, b| a.0.cmp(&b.0));
        }
        let asked = shell.asked(text.trim());
        let pairs: Vec<(&str, bool)> = options.iter().map(|(md, c)| (md.as_str(), *c)).collect();
        let id = question_id(shell.lesson_id, &asked, &pairs);
        let options = choice_options(
            &id,
            options.iter().map(|(md, c)| (md.as_str(), *c, None)),
            true,
        );
        let kind = Kind::Choice(Choice {
            options,
            multiple: list,
            order,
        });
        Some((id, text.trim().to_owned(), kind))
    }

    fn short_answer(
        &mut self,
        shell: &Shell<'_>,
        prompt: &Table,
        answer: &Table,
    ) -> Option<(String, String, Kind)> {
        self.only(prompt, &["prompt", "response"], "prompt");
        self.only(answer, &["answer", "alternatives"], "answer");
        let Some(text) = prompt.get("prompt").and_then(Value::as_str) else {
            return self.error("a ShortAnswer question needs `prompt.prompt`, a string".into());
        };
        let Some(key) = answer.get("answer").and_then(Value::as_str) else {
            return self.error("a ShortAnswer question needs `answer.answer`, a string".into());
        };
        let alternatives = strings(answer.get("alternatives")).unwrap_or_default();
        let response = match prompt.get("response").and_then(Value::as_str) {
            None | Some("short") => Response::Short,
            Some("long") => Response::Long,
            Some("code") => Response::Code,
            Some(other) => {
                return self.error(format!(
                    "`response = \"{other}\"` is none of `short`, `long`, `code`"
                ))
            }
        };
        let mut accepted = vec![key.trim().to_owned()];
        accepted.extend(alternatives.iter().map(|a| a.trim().to_owned()));
        let mut sorted: Vec<&str> = accepted.iter().map(String::as_str).collect();
        sorted[1..].sort_unstable();
        let id = shell.id("ShortAnswer", text.trim(), &sorted);
        let kind = Kind::Typed(Typed {
            blanks: vec![Blank {
                shown: key.trim().to_owned(),
                key: BlankKey::Text(accepted),
                rule: TextRule::Trimmed,
            }],
            response,
        });
        Some((id, text.trim().to_owned(), kind))
    }

    fn tracing(
        &mut self,
        shell: &Shell<'_>,
        prompt: &Table,
        answer: &Table,
    ) -> Option<(String, String, Kind)> {
        self.only(prompt, &["program"], "prompt");
        self.only(answer, &["doesCompile", "stdout", "lineNumber"], "answer");
        let Some(program) = prompt.get("program").and_then(Value::as_str) else {
            return self.error("a Tracing question needs `prompt.program`, a string".into());
        };
        let Some(compiles) = answer.get("doesCompile").and_then(Value::as_bool) else {
            return self
                .error("a Tracing question needs `answer.doesCompile`, true or false".into());
        };
        let stdout = answer
            .get("stdout")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let line = answer
            .get("lineNumber")
            .and_then(Value::as_integer)
            .and_then(|l| u32::try_from(l).ok());
        if compiles && stdout.is_none() {
            return self.error(
                "a Tracing question whose program compiles needs `answer.stdout`, what it prints"
                    .into(),
            );
        }
        let program = program.trim_end();
        let prompt_md = format!(
            "{TRACING_PROMPT}\n\n```rust\n{}\n```",
            program.trim_start_matches('\n')
        );
        let said = if compiles {
            "compiles"
        } else {
            "does-not-compile"
        };
        let detail = match (&stdout, line) {
            (Some(s), _) if compiles => s.trim().to_owned(),
            (_, Some(l)) => l.to_string(),
            _ => String::new(),
        };
        let id = shell.id("Tracing", program, &[said, &detail]);
        Some((
            id,
            prompt_md,
            Kind::Tracing(Tracing {
                compiles,
                stdout,
                line,
            }),
        ))
    }
}
