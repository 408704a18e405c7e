//! `lectern review …`: spaced review from the command line — `due` lists the cards due
//! now with their due dates.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use lectern::course::Course;
use lectern::progress::CourseKey;
use lectern::review::{self, date_of_day, Now};

use super::progress::{db_path, read_store, store_error, CourseArgs};
use super::{print, to_json, Output, UsageError};

/// What `lectern review` can do.
#[derive(Subcommand)]
pub(crate) enum ReviewCommand {
    /// List the review cards due now in the course in DIR, most overdue first.
    Due(CourseArgs),
}

/// Now for the CLI: the system clock and time zone, or the test-only `LECTERN_NOW`
/// and `LECTERN_TZ_OFFSET_MIN`, as in the app (`lectern::clock`).
pub(crate) fn now_local() -> Now {
    lectern::clock::now_local()
}

/// Runs a `lectern review` subcommand.
pub(crate) fn run(command: ReviewCommand) -> Result<ExitCode, UsageError> {
    match command {
        ReviewCommand::Due(CourseArgs { dir, db, output }) => due(&dir, &db_path(db), output),
    }
}

/// `lectern review due`: a database that does not exist yet has nothing due.
fn due(dir: &Path, db: &Path, output: Output) -> Result<ExitCode, UsageError> {
    super::require_dir(dir)?;
    let loaded = Course::load(dir);
    let key = CourseKey::of(&loaded.course);
    let now = now_local();
    let (cards, figures) = if db.exists() {
        let store = read_store(db)?;
        (
            review::due_cards(&store, &key, &loaded.course, &now).map_err(store_error)?,
            review::figures(&store, &key, &loaded.course, &now).map_err(store_error)?,
        )
    } else {
        (Vec::new(), review::ReviewFigures::default())
    };
    if output == Output::Json {
        print(&to_json(&serde_json::json!({
            "course": key,
            "now": now.at,
            "today": date_of_day(now.day()),
            "due": cards.len(),
            "cards": cards,
            "figures": figures,
        }))?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = format!(
        "{}: {} card{} due ({} of {} scheduled; {} more in the next 7 days)\n",
        loaded.course.title(),
        cards.len(),
        super::plural(cards.len()),
        figures.due_now,
        figures.cards,
        figures.due_next_7_days.saturating_sub(figures.due_now),
    );
    for c in &cards {
        out.push_str(&format!(
            "  {}  {:<24} {}\n",
            c.due_date,
            lectern::text::truncate(&c.lesson, 24),
            lectern::text::one_line(&c.prompt, 60),
        ));
    }
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}
