//! The `lectern` command line: check and list a course for authors and their CI.
//!
//! The JSON printed with `--json` is a public contract, documented in README.md.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use lectern::course::Course;
use lectern::diagnostic::{count, Diagnostic};

#[derive(Parser)]
#[command(name = "lectern", version, about = "Study and check Markdown courses")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate every lesson in DIR; exit 1 when there is any error.
    Check {
        /// The lessons folder.
        #[arg(default_value = "lessons")]
        dir: PathBuf,
        /// Print JSON instead of human-readable diagnostics.
        #[arg(long)]
        json: bool,
    },
    /// Print the course outline: sections, lessons and diagnostics.
    List {
        /// The lessons folder.
        #[arg(default_value = "lessons")]
        dir: PathBuf,
        /// Print JSON (the documented contract) instead of a readable outline.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { dir, json } => check(&dir, json),
        Command::List { dir, json } => list(&dir, json),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("lectern: error: {message}");
            ExitCode::from(2)
        }
    }
}

fn require_dir(dir: &Path) -> Result<(), String> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a folder; pass the folder that holds the lessons",
            dir.display()
        ))
    }
}

fn print(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`lectern list | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| format!("cannot encode JSON: {e}"))
}

fn exit_for(diagnostics: &[Diagnostic]) -> ExitCode {
    if count(diagnostics).0 > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn check(dir: &Path, json: bool) -> Result<ExitCode, String> {
    require_dir(dir)?;
    let loaded = Course::load(dir);
    let (errors, warnings) = count(&loaded.diagnostics);
    if json {
        #[derive(serde::Serialize)]
        struct Report<'a> {
            lessons: usize,
            errors: usize,
            warnings: usize,
            diagnostics: &'a [Diagnostic],
        }
        print(&to_json(&Report {
            lessons: loaded.course.lessons().len(),
            errors,
            warnings,
            diagnostics: &loaded.diagnostics,
        })?)?;
    } else {
        let mut out = String::new();
        for d in &loaded.diagnostics {
            out.push_str(&d.render_human(dir));
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
    Ok(exit_for(&loaded.diagnostics))
}

fn list(dir: &Path, json: bool) -> Result<ExitCode, String> {
    require_dir(dir)?;
    let loaded = Course::load(dir);
    let outline = loaded.course.outline(&loaded.diagnostics);
    if json {
        print(&to_json(&outline)?)?;
    } else {
        let mut out = format!("{} ({})\n", outline.title, minutes(outline.total_minutes));
        for s in &outline.sections {
            out.push_str(&format!("\n{}\n", s.title));
            for l in &s.lessons {
                let d = l.duration_minutes.map(minutes).unwrap_or_default();
                out.push_str(&format!("  {:<40} {:>8}  {}\n", l.title, d, l.id));
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

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
