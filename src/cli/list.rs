//! `lectern list [DIR] [--json]`: the course outline (sections, lessons, durations) and
//! the count of diagnostics; `--json` is the `Outline` the app's sidebar draws.

use std::path::Path;
use std::process::ExitCode;

use lectern::course::Course;
use lectern::diagnostic::count;

use super::{exit_for, plural, print, require_dir, to_json, Output, UsageError};

/// Prints the outline of the course in `dir`; exit 1 when loading found an error.
pub(crate) fn run(dir: &Path, output: Output) -> Result<ExitCode, UsageError> {
    require_dir(dir)?;
    let loaded = Course::load(dir);
    let outline = loaded.course.outline(&loaded.diagnostics);
    if output == Output::Json {
        print(&to_json(&outline)?)?;
    } else {
        // A course or lesson without a duration shows none, rather than "0 min".
        let mut out = match outline.total_minutes {
            0 => format!("{}\n", outline.title),
            total => format!("{} ({})\n", outline.title, minutes(total)),
        };
        for s in &outline.sections {
            out.push_str(&format!("\n{}\n", s.title));
            for (i, l) in s.lessons.iter().enumerate() {
                for d in s.drafts.iter().filter(|d| d.position == i) {
                    out.push_str(&format!("  {:<40} (not written yet)\n", d.title));
                }
                let d = l.duration_minutes.map(minutes).unwrap_or_default();
                out.push_str(&format!("  {:<40} {:>8}  {}\n", l.title, d, l.id));
            }
            for d in s.drafts.iter().filter(|d| d.position >= s.lessons.len()) {
                out.push_str(&format!("  {:<40} (not written yet)\n", d.title));
            }
        }
        let (errors, warnings) = count(&loaded.diagnostics);
        if errors + warnings > 0 {
            out.push_str(&format!(
                "\n{errors} error{}, {warnings} warning{}: run `lectern check` for details\n",
                plural(errors),
                plural(warnings)
            ));
        }
        print(&out)?;
    }
    Ok(exit_for(&loaded.diagnostics))
}

fn minutes(m: u32) -> String {
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}
