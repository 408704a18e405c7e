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
    let keyed = lectern::quiz::keyed(read.lesson.as_ref(), read.diagnostics);
    match output {
        // The documented contract (README.md), the window's author view's shape too.
        Output::Json => print(&to_json(&keyed)?)?,
        Output::Human => {
            let quiz = read.lesson.as_ref().map(|l| lectern::quiz::parse(l).0);
            let questions = quiz.as_ref().map_or(&[][..], |q| &q.questions[..]);
            let origins: Vec<(String, u32)> = keyed
                .questions
                .iter()
                .map(|q| (q.file.clone(), q.line))
                .collect();
            print_quiz_human(
                keyed.lesson.as_deref(),
                questions,
                &origins,
                &keyed.diagnostics,
                &read.dir,
            )?;
        }
    }
    Ok(exit_for(&keyed.diagnostics))
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
