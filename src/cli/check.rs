//! `lectern check [DIR] [--json] [--no-cache]`: every diagnostic of the course (the same report as
//! the app's Problems panel), exit 1 on any error. `--watch` lives in `watch.rs`.

use std::path::Path;
use std::process::ExitCode;

use lectern::course::Course;
use lectern::diagnostic::{Color, Diagnostic};

use super::{color_stdout, exit_for, plural, print, require_dir, to_json, Output, UsageError};

/// Checks the course in `dir` once and prints the report; with `cached`, lessons
/// unchanged since the last check come from the check cache (the same report).
pub(crate) fn run(dir: &Path, output: Output, cached: bool) -> Result<ExitCode, UsageError> {
    require_dir(dir)?;
    let loaded = Course::load(dir);
    let renderer = lectern::render::Renderer::default();
    let report = if cached {
        let cache = lectern::check::cache_path(loaded.course.root());
        lectern::check::check_cached(&loaded, &renderer, &cache).0
    } else {
        lectern::check::check(&loaded, &renderer)
    };
    let (errors, warnings) = (report.errors, report.warnings);
    if output == Output::Json {
        print(&to_json(&report)?)?;
    } else {
        for part in human(&report.diagnostics, dir, color_stdout()) {
            print(&part)?;
        }
        print(&format!(
            "{} lesson{} checked: {errors} error{}, {warnings} warning{}\n",
            loaded.course.lessons().len(),
            plural(loaded.course.lessons().len()),
            plural(errors),
            plural(warnings)
        ))?;
    }
    Ok(exit_for(&report.diagnostics))
}

/// The human form of `diagnostics`, each followed by a blank line, in parts to print in
/// order: written in parallel (a course of 10,000 lessons can have 60,000 diagnostics),
/// and never joined, so the report is held once.
fn human(diagnostics: &[Diagnostic], dir: &Path, color: Color) -> Vec<String> {
    use rayon::prelude::*;
    diagnostics
        .par_chunks(1024)
        .map(|chunk| {
            let mut out = String::new();
            for d in chunk {
                d.write_styled(&mut out, dir, color);
                out.push('\n');
            }
            out
        })
        .collect()
}
