//! `lectern new course DIR` and `lectern new lesson DIR TITLE`: a course to start from,
//! and a lesson added to one (`lectern::scaffold`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use lectern::scaffold::{self, ScaffoldError};

use super::{print, UsageError};

/// What `lectern new` writes.
#[derive(Subcommand)]
pub(crate) enum NewCommand {
    /// Write a small working course into DIR (created if missing): `course.yaml` with an
    /// id, two lessons showing every construct and every kind of question.
    Course {
        /// The folder to write (never overwrites a file).
        dir: PathBuf,
    },
    /// Add a lesson to the Lectern course in DIR, after its last one.
    Lesson {
        /// The course folder (with `course.yaml`).
        dir: PathBuf,
        /// The lesson's title; its id is made from it.
        title: String,
    },
}

fn error(e: &ScaffoldError) -> UsageError {
    UsageError::new(e.code(), e.to_string())
}

/// Runs `lectern new …` and names what it wrote.
pub(crate) fn run(command: NewCommand) -> Result<ExitCode, UsageError> {
    match command {
        NewCommand::Course { dir } => {
            let written = scaffold::new_course(&dir).map_err(|e| error(&e))?;
            let mut out = format!("wrote a new course in `{}`:\n", dir.display());
            for f in written {
                out.push_str(&format!("  {}\n", f.display()));
            }
            out.push_str(&format!(
                "check it with `lectern check {}`\n",
                dir.display()
            ));
            print(&out)?;
        }
        NewCommand::Lesson { dir, title } => {
            let rel = scaffold::new_lesson(&dir, &title).map_err(|e| error(&e))?;
            print(&format!("wrote `{}`\n", dir.join(rel).display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
