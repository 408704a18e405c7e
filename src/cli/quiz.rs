//! `lectern quiz FILE [--dir DIR] [--json]`: a lesson's Knowledge Check as the app will
//! quiz it, in authored order with the answer key, for authors checking their questions.

use std::path::Path;
use std::process::ExitCode;

use lectern::diagnostic::Diagnostic;

use super::{color_stdout, exit_for, plural, print, to_json, Output, UsageError};

/// `lectern quiz FILE`: the lesson's questions in authored order with their answer key,
/// and the diagnostics of the lesson and its quiz. Exit 1 when any is an error.
pub(crate) fn run(file: &Path, dir: Option<&Path>, output: Output) -> Result<ExitCode, UsageError> {
    let read = super::source::lesson_of(file, dir)?;
    let (dir, lesson, mut diagnostics) = (read.dir, read.lesson, read.diagnostics);
    let quiz = lesson.as_ref().map(|l| {
        let (quiz, found) = lectern::quiz::parse(l);
        // Lines of included text (a `{{#quiz}}` file) are reported in that file.
        diagnostics.extend(found.into_iter().map(|mut d| {
            if d.path == l.path {
                (d.path, d.line) = l.origin(d.line);
            }
            d
        }));
        quiz
    });
    let questions = quiz.as_ref().map_or(&[][..], |q| &q.questions[..]);
    let lesson_id = lesson.as_ref().map(|l| l.id.as_str());
    // Where each question is written: the lesson's file, or the quiz file it came from.
    let origins: Vec<(String, u32)> = questions
        .iter()
        .map(|q| {
            lesson.as_ref().map_or((String::new(), q.line), |l| {
                let (path, line) = l.origin(q.line);
                (lectern::diagnostic::slash_path(&path), line)
            })
        })
        .collect();
    match output {
        Output::Json => print_quiz_json(lesson_id, questions, &origins, &diagnostics)?,
        Output::Human => print_quiz_human(lesson_id, questions, &origins, &diagnostics, &dir)?,
    }
    Ok(exit_for(&diagnostics))
}

/// `lectern quiz --json`: the documented contract (README.md).
fn print_quiz_json(
    lesson: Option<&str>,
    questions: &[lectern::quiz::Question],
    origins: &[(String, u32)],
    diagnostics: &[Diagnostic],
) -> Result<(), String> {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        lesson: Option<&'a str>,
        questions: Vec<QuestionJson<'a>>,
        diagnostics: &'a [Diagnostic],
    }
    #[derive(serde::Serialize)]
    struct QuestionJson<'a> {
        id: &'a str,
        /// The file the question is written in (the lesson's, or a `{{#quiz}}` file).
        file: &'a str,
        line: u32,
        kind: &'static str,
        prompt_html: &'a str,
        multiple: bool,
        /// An answer the key grades right, as the learner would send it.
        key: Vec<String>,
        options: Vec<OptionJson<'a>>,
        explanation_html: Option<&'a str>,
    }
    #[derive(serde::Serialize)]
    struct OptionJson<'a> {
        id: &'a str,
        html: &'a str,
        correct: bool,
    }
    let questions = questions
        .iter()
        .zip(origins)
        .map(|(q, (file, line))| QuestionJson {
            id: &q.id,
            file,
            line: *line,
            kind: q.kind.name(),
            prompt_html: &q.prompt_html,
            multiple: q.multiple(),
            key: q.kind.key_answer(),
            options: q
                .options()
                .iter()
                .map(|o| OptionJson {
                    id: &o.id,
                    html: &o.html,
                    correct: o.correct,
                })
                .collect(),
            explanation_html: q.explanation_html.as_deref(),
        })
        .collect();
    print(&to_json(&Report {
        lesson,
        questions,
        diagnostics,
    })?)?;
    Ok(())
}

/// `lectern quiz`: the questions as an author reads them, then the diagnostics.
fn print_quiz_human(
    lesson: Option<&str>,
    questions: &[lectern::quiz::Question],
    origins: &[(String, u32)],
    diagnostics: &[Diagnostic],
    dir: &Path,
) -> Result<(), String> {
    let mut out = String::new();
    if let Some(id) = lesson {
        out.push_str(&format!(
            "{}: {} question{}\n",
            id,
            questions.len(),
            plural(questions.len())
        ));
    }
    for (n, (q, (file, line))) in questions.iter().zip(origins).enumerate() {
        let kind = match &q.kind {
            _ if q.multiple() => ", choose all that apply",
            lectern::quiz::Kind::Choice(_) => "",
            lectern::quiz::Kind::Typed(_) => ", typed",
            lectern::quiz::Kind::Tracing(_) => ", tracing",
        };
        out.push_str(&format!(
            "\n{}. {}\n   ({file}:{line}, id {}{kind})\n",
            n + 1,
            indent(&q.prompt_md, "   "),
            q.id
        ));
        for o in q.options() {
            let mark = if o.correct { "[x]" } else { "[ ]" };
            out.push_str(&format!("   {mark} {}\n", indent(&o.md, "       ")));
        }
        if !matches!(q.kind, lectern::quiz::Kind::Choice(_)) {
            let key = q.kind.key_answer().join(" | ");
            out.push_str(&format!("   answer: {}\n", indent(&key, "   ")));
        }
        if let Some(e) = &q.explanation_md {
            out.push_str(&format!("   > {}\n", indent(e, "   > ")));
        }
        if let Some(r) = &q.review {
            out.push_str(&format!("   review: #{} ({})\n", r.id, r.text));
        }
    }
    if !diagnostics.is_empty() {
        out.push('\n');
    }
    for d in diagnostics {
        out.push_str(&d.render_styled(dir, color_stdout()));
        out.push('\n');
    }
    print(&out)?;
    Ok(())
}

/// `text` with every line after the first prefixed by `prefix`.
fn indent(text: &str, prefix: &str) -> String {
    text.replace('\n', &format!("\n{prefix}"))
}
