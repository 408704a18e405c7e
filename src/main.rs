//! The `lectern` command line: check, list, render and quiz a course for authors and their CI.
//!
//! The JSON printed with `--json` is a public contract, documented in README.md. This
//! file holds the arguments and the dispatch; each command lives in `cli/`.

use std::path::PathBuf;
use std::process::ExitCode;

mod cli;

use clap::{ArgAction, Parser, Subcommand};

use cli::render::Page;
use cli::{usage_exit, Output, UsageError};

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
        /// The lessons folder (or a `.lectern` file).
        #[arg(default_value = "lessons")]
        dir: PathBuf,
        /// Print JSON instead of human-readable diagnostics.
        #[arg(long = "json", action = ArgAction::SetTrue, value_parser = cli::flag(Output::from_flag))]
        output: Output,
        /// Keep watching: check again on every change, one line per change (with
        /// --json, one JSON object per line), until Ctrl+C.
        #[arg(long)]
        watch: bool,
        /// Check every lesson, neither reading nor writing the check cache (the report
        /// is the same; for a run that should leave nothing behind).
        #[arg(long)]
        no_cache: bool,
    },
    /// Print the course outline: sections, lessons and diagnostics.
    List {
        /// The lessons folder (or a `.lectern` file).
        #[arg(default_value = "lessons")]
        dir: PathBuf,
        /// Print JSON (the documented contract) instead of a readable outline.
        #[arg(long = "json", action = ArgAction::SetTrue, value_parser = cli::flag(Output::from_flag))]
        output: Output,
    },
    /// Print a lesson's Knowledge Check as the app will quiz it, correct options marked.
    Quiz {
        /// The lesson's `.md` file.
        file: PathBuf,
        /// The lessons folder the file belongs to (default: the file's own folder);
        /// diagnostics name the file relative to it. A `.lectern` file: FILE is the
        /// lesson's path inside it.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Print JSON (the documented contract) instead of a readable quiz.
        #[arg(long = "json", action = ArgAction::SetTrue, value_parser = cli::flag(Output::from_flag))]
        output: Output,
    },
    /// Search the course's text: titles, headings, prose, code and quiz prompts.
    Search {
        /// What to look for (words, prefixes, code, any language).
        query: String,
        /// The lessons folder (or a `.lectern` file).
        #[arg(default_value = "lessons")]
        dir: PathBuf,
        /// Print JSON (the documented contract).
        #[arg(long = "json", action = ArgAction::SetTrue, value_parser = cli::flag(Output::from_flag))]
        output: Output,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Also search the learner's highlights and notes on the course in this
        /// progress database (read-only; a database not made yet has none).
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Start a course: `new course DIR` writes a working one, `new lesson DIR TITLE`
    /// adds a lesson after the last.
    New {
        #[command(subcommand)]
        command: cli::new::NewCommand,
    },
    /// Write the course in DIR as one file, a `.lectern` archive, for learners to open.
    Pack {
        /// The course folder (its `course.yaml` must have an `id`).
        dir: PathBuf,
        /// The archive to write (by convention `NAME.lectern`).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Spaced review: the questions due now.
    Review {
        #[command(subcommand)]
        command: cli::review::ReviewCommand,
    },
    /// The learner's highlights, notes and bookmarks on the course in DIR.
    Notes {
        #[command(flatten)]
        course: cli::progress::CourseArgs,
        /// Print them as one Markdown file (lesson headings, quotes, notes beneath).
        #[arg(long, conflicts_with = "output")]
        markdown: bool,
    },
    /// The learner's progress: show, export, import, restore.
    Progress {
        #[command(subcommand)]
        command: cli::progress::ProgressCommand,
    },
    /// Render a lesson to HTML: the body on stdout, diagnostics on stderr; exit 1 on an error.
    Render {
        /// The lesson's `.md` file.
        file: PathBuf,
        /// The lessons folder (default: the file's own folder); links and images may not
        /// leave it, and links to other lessons resolve in it.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Print a complete offline HTML page instead of the body: both highlight themes,
        /// a table of contents, images embedded, no script. For previewing and printing.
        #[arg(long = "standalone", action = ArgAction::SetTrue, value_parser = cli::flag(Page::from_flag))]
        page: Page,
    },
}

/// `lectern quiz FILE [--dir DIR]`, where `--dir` may be a `.lectern` file: then FILE is
/// the lesson's path inside the unpacked course.
fn quiz(
    file: &std::path::Path,
    dir: Option<&std::path::Path>,
    output: Output,
) -> Result<ExitCode, UsageError> {
    match dir {
        Some(archive) if lectern::pack::is_archive(archive) => {
            let dir = cli::pack::course_dir(archive)?;
            cli::quiz::run(&dir.join(file), Some(&dir), output)
        }
        _ => cli::quiz::run(file, dir, output),
    }
}

fn main() -> ExitCode {
    // How a usage error is reported: known before (and even without) parsing.
    let errors_as = Output::of_raw_args();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            let rendered = e.to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            let message = first.trim_start_matches("error: ").to_owned();
            let _ = e.print();
            return usage_exit(&UsageError::new("usage", message), errors_as);
        }
    };
    let result = match cli.command {
        Command::Check {
            dir, output, watch, ..
        } if watch => cli::watch::run(&dir, output),
        Command::Check {
            dir,
            output,
            no_cache,
            ..
        } => cli::pack::course_dir(&dir).and_then(|dir| cli::check::run(&dir, output, !no_cache)),
        Command::List { dir, output } => {
            cli::pack::course_dir(&dir).and_then(|dir| cli::list::run(&dir, output))
        }
        Command::New { command } => cli::new::run(command),
        Command::Pack { dir, output } => cli::pack::run(&dir, &output),
        Command::Render { file, dir, page } => cli::render::run(&file, dir.as_deref(), page),
        Command::Quiz { file, dir, output } => quiz(&file, dir.as_deref(), output),
        Command::Progress { command } => cli::progress::run(command),
        Command::Review { command } => cli::review::run(command),
        Command::Notes { course, markdown } => {
            let format = if markdown {
                cli::notes::NotesFormat::Markdown
            } else {
                cli::notes::NotesFormat::List(course.output)
            };
            cli::notes::run(&course.dir, &cli::progress::db_path(course.db), format)
        }
        Command::Search {
            query,
            dir,
            output,
            limit,
            db,
        } => cli::pack::course_dir(&dir)
            .and_then(|dir| cli::search::run(&query, &dir, output, limit, db.as_deref())),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            e.eprint();
            usage_exit(&e, errors_as)
        }
    }
}
