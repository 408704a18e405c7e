//! `lectern render FILE [--dir DIR] [--standalone]`: a lesson's sanitized HTML, or a
//! whole offline page, for previewing and printing.

use std::path::Path;
use std::process::ExitCode;

use lectern::course::Course;

use super::{color_stderr, exit_for, lesson_file, print, UsageError};

/// What `lectern render` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Page {
    /// The lesson's body, as the app shows it.
    Body,
    /// A complete offline page (`--standalone`): both highlight themes, a table of
    /// contents, images embedded, no script.
    Standalone,
}

impl Page {
    /// Under `--standalone` or not.
    pub(crate) fn from_flag(standalone: bool) -> Self {
        if standalone {
            Page::Standalone
        } else {
            Page::Body
        }
    }
}

/// `lectern render FILE`: the rendered body (or, with `--standalone`, a whole page) on
/// stdout, the lesson's diagnostics on stderr. Exit 1 when any is an error.
pub(crate) fn run(file: &Path, dir: Option<&Path>, page: Page) -> Result<ExitCode, UsageError> {
    let dir_given = dir.is_some();
    let (dir, folder, rel) = lesson_file(file, dir)?;
    // A chapter of a book or a plain folder is read as its course reads it.
    let (dir, lesson, mut diagnostics, loaded) =
        match super::source::course_of(file, &dir, dir_given) {
            Some((loaded, rel)) => match super::source::lesson_at(&loaded, &rel) {
                (Some(lesson), diagnostics) => (
                    loaded.course.root().to_path_buf(),
                    lesson,
                    diagnostics,
                    loaded,
                ),
                (None, diagnostics) => {
                    for d in &diagnostics {
                        eprint!("{}", d.render_styled(loaded.course.root(), color_stderr()));
                    }
                    return Ok(ExitCode::FAILURE);
                }
            },
            None => match lectern::lesson::load(&folder, &rel) {
                // The whole folder is loaded only to know which file is which lesson, for links.
                Ok((lesson, diagnostics)) => (dir.clone(), lesson, diagnostics, Course::load(&dir)),
                Err(d) => {
                    eprint!("{}", d.render_styled(&dir, color_stderr()));
                    return Ok(ExitCode::FAILURE);
                }
            },
        };
    let ids = loaded.course.lesson_ids_by_path();
    let options = lectern::render::RenderOptions::new(&dir, ids);
    let rendered = lectern::render::render(&lesson, &options);
    diagnostics.extend(rendered.diagnostics.iter().cloned());
    let out = match page {
        Page::Standalone => lectern::render::standalone_page(&lesson.title, &rendered, &dir),
        Page::Body => rendered.html,
    };
    print(&out)?;
    for d in &diagnostics {
        eprint!("{}", d.render_styled(&dir, color_stderr()));
    }
    Ok(exit_for(&diagnostics))
}
