//! `lectern progress …`: the learner's progress database from the command line —
//! `show` what the outline shows, `export` and `import` JSON (a documented contract),
//! `restore` a backup.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use std::io::Read as _;

use lectern::course::Course;
use lectern::folder::{Folder, ReadError};
use lectern::progress::{self, CourseKey, LessonState, Store, StoreError};
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
        ProgressCommand::Restore { backup, db } => restore(&backup, &db_path(db)),
    }
}

fn restore(backup: &Path, db: &Path) -> Result<ExitCode, UsageError> {
    let restored = progress::restore(db, backup, now()).map_err(store_error)?;
    let previous = match restored.previous {
        Some(p) => format!(
            "the previous database is kept as `{}` (with its -wal and -shm beside it, if it had them)",
            p.display()
        ),
        None => "there was no database there before".to_owned(),
    };
    print(&format!(
        "restored `{}` from `{}`; {previous}\n",
        db.display(),
        backup.display()
    ))?;
    Ok(ExitCode::SUCCESS)
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

/// Readers open the file read-only: they work while the app writes, never block and
/// never change the file (an empty or older database is read as a writer would see it).
pub(crate) fn read_store(db: &Path) -> Result<Store, UsageError> {
    if !db.exists() && std::fs::symlink_metadata(db).is_err() {
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

/// Opens the database for writing and says on stderr when a damaged file was moved
/// aside (the learner must know where the old bytes are).
pub(crate) fn write_store(db: &Path) -> Result<Store, UsageError> {
    let opened = Store::open(db).map_err(store_error)?;
    if let Some(r) = &opened.recovered {
        eprintln!(
            "lectern: warning: the progress database `{}` was damaged ({}); it was moved aside, unchanged, to `{}` and a new one started",
            db.display(),
            lectern::text::one_line(&r.reason, 200),
            r.moved_to.display()
        );
    }
    Ok(opened.store)
}

/// The export's text: a file (read through [`Folder`], a regular file only, at most
/// [`progress::IMPORT_LIMIT`] bytes) or standard input (`-`, bounded by the same limit).
fn read_export(file: &Path) -> Result<Vec<u8>, UsageError> {
    let limit = progress::IMPORT_LIMIT;
    let too_large = || {
        UsageError::new(
            "file-too-large",
            format!(
                "`{}` is over the {} an import may be; split the export",
                file.display(),
                lectern::folder::limit_words(limit)
            ),
        )
    };
    if file == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                UsageError::new(
                    "file-unreadable",
                    format!("cannot read standard input: {e}"),
                )
            })?;
        return if bytes.len() as u64 > limit {
            Err(too_large())
        } else {
            Ok(bytes)
        };
    }
    let parent = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file.file_name().map(Path::new).unwrap_or(file);
    Folder::new(parent).read(name, limit).map_err(|e| match e {
        ReadError::TooLarge { .. } => too_large(),
        other => UsageError::new(
            "file-unreadable",
            format!("cannot read `{}`: {other}", file.display()),
        ),
    })
}

fn import(file: &Path, db: &Path) -> Result<ExitCode, UsageError> {
    let bytes = read_export(file)?;
    let data = progress::parse_export(&bytes).map_err(|e| {
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
    let mut store = write_store(db)?;
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
    let dir = &super::pack::course_dir(dir)?;
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
