//! `lectern review …`: spaced review from the command line — `due` lists the cards due
//! now with their due dates; `optimize` fits FSRS parameters to the course's history.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use lectern::course::Course;
use lectern::progress::CourseKey;
use lectern::review::{self, date_of_day, Now};

use super::progress::{db_path, read_store, store_error, write_store, CourseArgs};
use super::{print, to_json, Output, UsageError};

/// What `lectern review` can do.
#[derive(Subcommand)]
pub(crate) enum ReviewCommand {
    /// List the review cards due now in the course in DIR, most overdue first.
    Due(CourseArgs),
    /// Fit FSRS parameters to your answers in the course in DIR; adopted only when they
    /// predict your history better than the parameters in use.
    Optimize(CourseArgs),
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
        ReviewCommand::Optimize(CourseArgs { dir, db, output }) => {
            optimize(&dir, &db_path(db), output)
        }
    }
}

/// `lectern review due`: a database that does not exist yet has nothing due.
fn due(dir: &Path, db: &Path, output: Output) -> Result<ExitCode, UsageError> {
    let dir = &super::pack::course_dir(dir)?;
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

/// `lectern review optimize`: fits now (in this process; the app's window is not
/// involved) and says what was found and whether it was adopted.
fn optimize(dir: &Path, db: &Path, output: Output) -> Result<ExitCode, UsageError> {
    let dir = &super::pack::course_dir(dir)?;
    super::require_dir(dir)?;
    let loaded = Course::load(dir);
    let key = CourseKey::of(&loaded.course);
    let now = now_local();
    let mut store = write_store(db)?;
    let fit = review::optimize(&mut store, &key, review::FitKind::Manual, &now)
        .map_err(|e| UsageError::new(e.code(), e.to_string()))?;
    if output == Output::Json {
        print(&to_json(&serde_json::json!({
            "course": key,
            "now": now.at,
            "fitted": fit.fitted,
            "adopted": fit.adopted,
            "reviews": fit.reviews,
            "min_reviews": review::fit::FIT_MIN_REVIEWS,
            "old": fit.old,
            "new": fit.new,
            "parameters": fit.parameters,
        }))?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let title = loaded.course.title();
    let out = match (fit.old, fit.new) {
        _ if !fit.fitted => format!(
            "{title}: {} answer{} to learn from; a fit needs at least {}: nothing changed\n",
            fit.reviews,
            super::plural(fit.reviews),
            review::fit::FIT_MIN_REVIEWS
        ),
        (Some(old), Some(new)) => format!(
            "{title}: fitted on {} answers: log loss {:.4} (in use {:.4}), RMSE {:.4} (in use {:.4})\n{}\n",
            fit.reviews,
            new.log_loss,
            old.log_loss,
            new.rmse,
            old.rmse,
            if fit.adopted {
                "adopted: they predict your answers better; they schedule your next answers"
            } else {
                "kept the parameters in use: the fitted ones do not predict your answers better"
            }
        ),
        _ => format!("{title}: nothing changed\n"),
    };
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}
