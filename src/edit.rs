//! Opening a course file in the author's editor: where (the source line of the heading
//! the author is reading, [`heading_line`]) and why it failed ([`EditError`], what the
//! window shows). Starting the editor is the shell's (it owns processes and the system's
//! opener); what to start and what to say is decided here.

use std::path::PathBuf;

use crate::lesson::Lesson;
use crate::render::headings;

/// Why the author's editor did not open a file. The UI branches on [`EditError::code`];
/// the message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// Neither `VISUAL` nor `EDITOR` is set and the system has no application for the
    /// file (or its opener failed).
    #[error(
        "No editor opened `{path}`: set VISUAL (or EDITOR) to your editor's command, \
         for example VISUAL=\"code --wait\" or VISUAL=gvim, then start Lectern again."
    )]
    NotSet {
        /// The file, relative to the lessons folder.
        path: String,
    },
    /// The program named by `VISUAL` or `EDITOR` could not be started.
    #[error(
        "Could not start the editor `{program}` named by VISUAL or EDITOR ({reason}): \
         set it to a program on your PATH, then start Lectern again."
    )]
    CannotStart {
        /// The program, as the variable names it.
        program: String,
        /// What the system said.
        reason: String,
    },
}

impl EditError {
    /// Stable kebab-case code: `editor-not-set` or `editor-failed`.
    pub fn code(&self) -> &'static str {
        match self {
            EditError::NotSet { .. } => "editor-not-set",
            EditError::CannotStart { .. } => "editor-failed",
        }
    }
}

/// The file and 1-based line where the heading with rendered id `heading` is written in
/// `lesson` (an included file's own line when a directive put it there); the lesson's
/// file at line 1 when no heading has that id (empty: the top of the lesson).
pub fn heading_line(lesson: &Lesson, heading: &str) -> (PathBuf, u32) {
    let body = lesson.body();
    let Some(found) = headings(body).into_iter().find(|h| h.id == heading) else {
        return (lesson.path.clone(), 1);
    };
    let before = body.get(..found.offset).unwrap_or(body);
    let newlines = u32::try_from(before.matches('\n').count()).unwrap_or(u32::MAX);
    lesson.origin(lesson.body_line.saturating_add(newlines))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(text: &str) -> Lesson {
        let (lesson, diagnostics) =
            crate::lesson::parse(std::path::Path::new("attention.md"), text.as_bytes()).unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        lesson
    }

    const TEXT: &str = "---\nid: attention\ntitle: Attention\n---\n# Attention\n\nIntro.\n\n## Scaled scores\n\nText.\n\n```md\n## Not a heading\n```\n\n## Masking\n\nMore.\n";

    #[test]
    fn a_heading_id_maps_to_the_line_it_is_written_on_in_the_file() {
        let l = lesson(TEXT);
        assert_eq!(
            heading_line(&l, "masking"),
            (PathBuf::from("attention.md"), 17)
        );
        assert_eq!(heading_line(&l, "scaled-scores").1, 9);
        assert_eq!(heading_line(&l, "attention").1, 5);
    }

    #[test]
    fn an_unknown_or_empty_heading_opens_the_file_at_its_first_line() {
        let l = lesson(TEXT);
        assert_eq!(heading_line(&l, "").1, 1);
        assert_eq!(heading_line(&l, "not-a-heading").1, 1);
    }

    #[test]
    fn the_messages_say_how_to_set_an_editor() {
        let e = EditError::NotSet {
            path: "attention.md".into(),
        };
        assert_eq!(e.code(), "editor-not-set");
        assert!(e.to_string().contains("set VISUAL (or EDITOR)"), "{e}");
        assert!(!e.to_string().contains("ExitStatus"), "{e}");
    }
}
