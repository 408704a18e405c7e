//! `lectern notes [DIR]`: the learner's highlights, notes and bookmarks on a course,
//! placed on today's lessons; `--markdown` writes them as one Markdown file.

use std::path::Path;
use std::process::ExitCode;

use lectern::course::Course;
use lectern::notes::{self, LessonNotes, PlaceState};
use lectern::progress::{AnnotationKind, CourseKey};
use lectern::render::Renderer;

use super::progress::{read_store, store_error};
use super::{print, to_json, Output, UsageError};

/// How `lectern notes` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotesFormat {
    /// A readable list, or JSON with `--json`.
    List(Output),
    /// One Markdown file: the learner's study notes.
    Markdown,
}

/// Runs `lectern notes`. A database that does not exist yet has no notes.
pub(crate) fn run(dir: &Path, db: &Path, format: NotesFormat) -> Result<ExitCode, UsageError> {
    let dir = &super::pack::course_dir(dir)?;
    super::require_dir(dir)?;
    let loaded = Course::load(dir);
    let key = CourseKey::of(&loaded.course);
    let rows = if db.exists() {
        read_store(db)?.annotations(&key).map_err(store_error)?
    } else {
        Vec::new()
    };
    let lessons = notes::overview(&loaded.course, rows, &Renderer::default());
    let text = match format {
        NotesFormat::Markdown => notes::markdown(loaded.course.title(), &lessons),
        NotesFormat::List(Output::Json) => to_json(&serde_json::json!({
            "course": key,
            "lessons": lessons,
        }))?,
        NotesFormat::List(Output::Human) => human(loaded.course.title(), &lessons),
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn human(title: &str, lessons: &[LessonNotes]) -> String {
    let count: usize = lessons.iter().map(|l| l.notes.len()).sum();
    let mut out = format!("{title}: {count} note{}\n", super::plural(count));
    for lesson in lessons {
        let gone = if lesson.present {
            ""
        } else {
            " (no longer in the course)"
        };
        out.push_str(&format!("\n{}{gone}\n", lesson.title));
        for n in &lesson.notes {
            let what = match n.row.kind {
                AnnotationKind::Bookmark => "bookmark".to_owned(),
                AnnotationKind::Highlight => n.row.color.clone().unwrap_or_default(),
            };
            let state = match n.place.state {
                PlaceState::Exact => "",
                PlaceState::Edited => " (text edited since)",
                PlaceState::Detached => " (could not place)",
            };
            let quote = n.place.text.as_deref().unwrap_or(&n.row.quote);
            out.push_str(&format!(
                "  {what:<9} \u{201c}{}\u{201d}{state}\n",
                lectern::text::one_line(quote, 70)
            ));
            if let Some(note) = n.row.note.as_deref() {
                out.push_str(&format!(
                    "            {}\n",
                    lectern::text::one_line(note, 70)
                ));
            }
        }
    }
    out
}
