//! `lectern check [DIR] [--json]`: every diagnostic of the course (the same report as
//! the app's Problems panel), exit 1 on any error. `--watch` lives in `watch.rs`.

use std::path::Path;
use std::process::ExitCode;

use lectern::course::Course;

use super::{color_stdout, exit_for, plural, print, require_dir, to_json, Output, UsageError};

/// Checks the course in `dir` once and prints the report.
pub(crate) fn run(dir: &Path, output: Output) -> Result<ExitCode, UsageError> {
    require_dir(dir)?;
    let loaded = Course::load(dir);
    let renderer = lectern::render::Renderer::default();
    let cache = lectern::check::cache_path(loaded.course.root());
    let (report, _) = lectern::check::check_cached(&loaded, &renderer, &cache);
    let (errors, warnings) = (report.errors, report.warnings);
    if output == Output::Json {
        print(&to_json(&report)?)?;
    } else {
        let mut out = String::new();
        for d in &report.diagnostics {
            out.push_str(&d.render_styled(dir, color_stdout()));
            out.push('\n');
        }
        out.push_str(&format!(
            "{} lesson{} checked: {errors} error{}, {warnings} warning{}\n",
            loaded.course.lessons().len(),
            plural(loaded.course.lessons().len()),
            plural(errors),
            plural(warnings)
        ));
        print(&out)?;
    }
    Ok(exit_for(&report.diagnostics))
}
