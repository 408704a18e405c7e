//! `lectern render FILE [--dir DIR] [--standalone]`: a lesson's sanitized HTML, or a
//! whole offline page, for previewing and printing.

use std::path::Path;
use std::process::ExitCode;

use lectern::course::Course;

use super::{color_stderr, exit_for, lesson_file, print, UsageError};

/// `lectern render FILE`: the rendered body (or, with `--standalone`, a whole page) on
/// stdout, the lesson's diagnostics on stderr. Exit 1 when any is an error.
pub(crate) fn run(
    file: &Path,
    dir: Option<&Path>,
    standalone: bool,
) -> Result<ExitCode, UsageError> {
    let (dir, folder, rel) = lesson_file(file, dir)?;
    let (lesson, mut diagnostics) = match lectern::lesson::load(&folder, &rel) {
        Ok(loaded) => loaded,
        Err(d) => {
            eprint!("{}", d.render_styled(&dir, color_stderr()));
            return Ok(ExitCode::FAILURE);
        }
    };
    // The whole folder is loaded only to know which file is which lesson, for links.
    let loaded = Course::load(&dir);
    let ids = loaded.course.lesson_ids_by_path();
    let options = lectern::render::RenderOptions::new(&dir, ids);
    let rendered = lectern::render::render(&lesson, &options);
    diagnostics.extend(rendered.diagnostics.iter().cloned());
    let out = if standalone {
        lectern::render::standalone_page(&lesson.title, &rendered, &dir)
    } else {
        rendered.html
    };
    print(&out)?;
    for d in &diagnostics {
        eprint!("{}", d.render_styled(&dir, color_stderr()));
    }
    Ok(exit_for(&diagnostics))
}
