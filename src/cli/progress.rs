//! `lectern progress …`: the learner's progress database from the command line —
//! `show` what the outline shows, `export` and `import` JSON (a documented contract),
//! `restore` a backup.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use lectern::course::Course;
use lectern::progress::{self, CourseKey, Export, LessonState, Store, StoreError};
use lectern::review;

use super::{print, to_json, Output, UsageError};

/// The arguments of the commands about one course's progress (`progress show`,
/// `review due`): the course folder, the progress database and the output format.
#[derive(clap::Args)]
pub(crate) struct CourseArgs {
    /// The lessons folder.
    #[arg(default_value = "lessons")]
    pub(crate) dir: PathBuf,
    /// The progress database (default: $LECTERN_DB, else the app's).
    #[arg(long)]
    pub(crate) db: Option<PathBuf>,
    /// Print JSON (the documented contract).
    #[arg(long = "json", action = clap::ArgAction::SetTrue, value_parser = super::flag(Output::from_flag))]
    pub(crate) output: Output,
}

/// What `lectern progress` can do.
#[derive(Subcommand)]
pub(crate) enum ProgressCommand {
    /// Print each lesson's state, quiz score and reading time for the course in DIR.
    Show(CourseArgs),
    /// Print all progress as JSON on stdout (same data, same bytes).
    Export {
        /// The progress database (default: $LECTERN_DB, else the app's).
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Merge a JSON export into the database; importing twice changes nothing.
    Import {
        /// The export to read (`-` for standard input).
        file: PathBuf,
        /// The progress database (default: $LECTERN_DB, else the app's).
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Replace the database with a backup; the current file is kept aside first.
    Restore {
        /// The backup file (see the `backups` folder beside the database).
        backup: PathBuf,
        /// The progress database (default: $LECTERN_DB, else the app's).
        #[arg(long)]
        db: Option<PathBuf>,
    },
}

/// Runs one `lectern progress` subcommand.
pub(crate) fn run(cmd: ProgressCommand) -> Result<ExitCode, UsageError> {
    match cmd {
        ProgressCommand::Show(CourseArgs { dir, db, output }) => show(&dir, &db_path(db), output),
        ProgressCommand::Export { db } => {
            let store = read_store(&db_path(db))?;
            print(&to_json(&store.export().map_err(store_error)?)?)?;
            Ok(ExitCode::SUCCESS)
        }
        ProgressCommand::Import { file, db } => import(&file, &db_path(db)),
        ProgressCommand::Restore { backup, db } => {
            let db = db_path(db);
            let kept = progress::restore(&db, &backup, now()).map_err(store_error)?;
            let mut out = format!("restored `{}` from `{}`\n", db.display(), backup.display());
            if let Some(k) = kept {
                out.push_str(&format!(
                    "the previous database is kept as `{}`\n",
                    k.display()
                ));
            }
            print(&out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub(crate) fn db_path(db: Option<PathBuf>) -> PathBuf {
    db.unwrap_or_else(progress::default_path)
}

fn now() -> progress::Millis {
    lectern::clock::system_ms()
}

pub(crate) fn store_error(e: StoreError) -> UsageError {
    UsageError::new(e.code(), e.to_string())
}

/// Readers open the file read-only: they work while the app writes.
pub(crate) fn read_store(db: &Path) -> Result<Store, UsageError> {
    if !db.exists() {
        return Err(UsageError::new(
            "progress-missing",
            format!(
                "no progress database at `{}` yet; study a lesson in the app first, or pass --db",
                db.display()
            ),
        ));
    }
    Store::open_read_only(db).map_err(store_error)
}

fn import(file: &Path, db: &Path) -> Result<ExitCode, UsageError> {
    let text = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).map_err(|e| {
            UsageError::new(
                "file-unreadable",
                format!("cannot read standard input: {e}"),
            )
        })?
    } else {
        std::fs::read_to_string(file).map_err(|e| {
            UsageError::new(
                "file-unreadable",
                format!("cannot read `{}`: {e}", file.display()),
            )
        })?
    };
    let data: Export = serde_json::from_str(&text).map_err(|e| {
        UsageError::new(
            "export-format",
            format!("`{}` is not a Lectern progress export: {e}", file.display()),
        )
    })?;
    if data.format > progress::EXPORT_FORMAT {
        return Err(UsageError::new(
            "export-format",
            format!(
                "the export has format {}, newer than this Lectern reads ({}); update Lectern",
                data.format,
                progress::EXPORT_FORMAT
            ),
        ));
    }
    let opened = Store::open(db).map_err(store_error)?;
    let mut store = opened.store;
    let added = store.import(&data).map_err(store_error)?;
    print(&format!(
        "imported {} attempt{}, {} answer{} and {} review{} into `{}`\n",
        added.attempts,
        super::plural(added.attempts),
        added.answers,
        super::plural(added.answers),
        added.reviews,
        super::plural(added.reviews),
        db.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// One lesson as `progress show --json` prints it.
#[derive(serde::Serialize)]
struct ShownLesson<'a> {
    id: &'a str,
    title: &'a str,
    state: LessonState,
    best: Option<progress::ScoreFigure>,
    last: Option<progress::ScoreFigure>,
    active_ms: i64,
}

fn show(dir: &Path, db: &Path, output: Output) -> Result<ExitCode, UsageError> {
    super::require_dir(dir)?;
    let loaded = Course::load(dir);
    let key = CourseKey::of(&loaded.course);
    let now = super::review::now_local();
    let (progress, review) = if db.exists() {
        let store = read_store(db)?;
        (
            store
                .course_progress(&key, &loaded.course, &now)
                .map_err(store_error)?,
            review::figures(&store, &key, &loaded.course, &now).map_err(store_error)?,
        )
    } else {
        (
            progress::CourseProgress::empty(&key, &loaded.course),
            review::ReviewFigures::default(),
        )
    };
    let lessons: Vec<ShownLesson<'_>> = progress
        .lessons
        .iter()
        .zip(loaded.course.lessons())
        .map(|(p, l)| ShownLesson {
            id: &p.id,
            title: &l.title,
            state: p.state,
            best: p.best,
            last: p.last,
            active_ms: p.active_ms,
        })
        .collect();
    if output == Output::Json {
        print(&to_json(&serde_json::json!({
            "course": key,
            "completed": progress.completed,
            "total": progress.total,
            "lessons": lessons,
            "review": review,
        }))?)?;
    } else {
        let mut out = human_show(loaded.course.title(), &progress, &lessons);
        out.push_str(&format!(
            "
Review: {} card{}, {} due now, {} due in the next 7 days, {} answer{} logged\n",
            review.cards,
            super::plural(review.cards),
            review.due_now,
            review.due_next_7_days,
            review.reviews_logged,
            super::plural(review.reviews_logged),
        ));
        print(&out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn human_show(title: &str, p: &progress::CourseProgress, lessons: &[ShownLesson<'_>]) -> String {
    let mut out = format!(
        "{title}: {} of {} lessons completed\n\n",
        p.completed, p.total
    );
    for l in lessons {
        let state = match l.state {
            LessonState::NotStarted => "not started",
            LessonState::InProgress => "in progress",
            LessonState::Completed => "completed",
        };
        let score = l
            .best
            .map(|b| format!("best {}/{}", b.right, b.total))
            .unwrap_or_default();
        let minutes = l.active_ms / 60_000;
        let time = if minutes > 0 {
            format!("{minutes} min")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  {:<40} {:<12} {:<10} {:>7}\n",
            lectern::text::truncate(l.title, 40),
            state,
            score,
            time
        ));
    }
    out
}
