//! `lectern render FILE [--dir DIR] [--standalone]`: a lesson's sanitized HTML, or a
//! whole offline page, for previewing and printing.

use std::path::Path;
use std::process::ExitCode;

use lectern::course::Course;

use super::{color_stderr, exit_for, print, UsageError};

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
    let read = super::source::lesson_of(file, dir)?;
    let (dir, mut diagnostics) = (read.dir, read.diagnostics);
    let Some(lesson) = read.lesson else {
        for d in &diagnostics {
            eprint!("{}", d.render_styled(&dir, color_stderr()));
        }
        return Ok(ExitCode::FAILURE);
    };
    // A Lectern course is loaded only to know which file is which lesson, for links.
    let loaded = read.loaded.unwrap_or_else(|| Course::load(&dir));
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
