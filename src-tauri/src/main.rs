//! `lectern-app [DIR] [--db PATH]`: Lectern's desktop window over the `lectern` core.
//!
//! The shell is thin on purpose (see ARCHITECTURE.md): it decides which folder to open,
//! opens the progress database once, holds one [`state::AppState`], serves lesson images through the `lesson://` scheme,
//! and exposes core functions as Tauri commands. No course logic lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bundled;
mod clock;
mod commands;
mod editor;
mod error;
mod events;
mod handoff;
mod indexing;
mod live;
mod protocol;
mod startup;
mod state;
mod window_state;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lectern::progress::{self, Store, StoreError};
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

use crate::state::{Notice, ProgressStatus};

const USAGE: &str = "usage: lectern-app [DIR | FILE.lectern] [--db PATH]\n       lectern-app --version\n\nOpens the Lectern window on the lessons in DIR (a .lectern file: its course, read-only); without DIR, on the course last studied\n(the bundled course the first time). Progress is kept in PATH (default: $LECTERN_DB,\nelse $XDG_DATA_HOME/app.lectern.desktop/progress.sqlite).\n\nLECTERN_STARTUP_TRACE=1 prints the start-up phases to stderr (=FILE: appends them to FILE).";

/// Prints to stdout; a closed pipe (`lectern-app --help | head -1`) is not an error.
fn print_out(text: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout(), "{text}");
}

/// The command line: the lessons folder and the progress database, if given.
#[derive(Default)]
struct Args {
    dir: Option<PathBuf>,
    db: Option<PathBuf>,
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("lectern-app: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// Reads the command line; `Err` is the exit code (help and version exit 0).
fn parse_args() -> Result<Args, ExitCode> {
    let mut args = Args::default();
    let mut it = std::env::args_os().skip(1);
    while let Some(arg) = it.next() {
        match arg.to_str() {
            Some("-h" | "--help") => {
                print_out(USAGE);
                return Err(ExitCode::SUCCESS);
            }
            Some("-V" | "--version") => {
                print_out(&format!("lectern-app {}", lectern::about::VERSION));
                return Err(ExitCode::SUCCESS);
            }
            Some("--db") => match it.next() {
                Some(p) => args.db = Some(PathBuf::from(p)),
                None => return Err(usage_error("`--db` needs a PATH")),
            },
            Some(s) if s.starts_with("--db=") => args.db = Some(PathBuf::from(&s[5..])),
            Some(s) if s.starts_with('-') => {
                return Err(usage_error(&format!("unknown option `{s}`")))
            }
            _ if args.dir.is_none() => args.dir = Some(PathBuf::from(arg)),
            _ => return Err(usage_error("expected at most one folder")),
        }
    }
    // The folder or `.lectern` file is looked at only once this is known to be the
    // first instance (`setup`): a second one hands it, as given, to the running window,
    // which says what is wrong with it.
    Ok(args)
}

/// Opens the progress store once for the whole session, with a backup on start. A
/// store that cannot be opened or written leaves the app working without saving, and
/// the window is told why once.
fn open_progress(db: &Path) -> (Option<Store>, ProgressStatus) {
    let backups = progress::backups_dir(db);
    let mut status = ProgressStatus {
        db: db.to_path_buf(),
        backups: backups.clone(),
        saving: false,
        notice: None,
    };
    let opened = match Store::open(db) {
        Ok(opened) => opened,
        Err(e) => {
            let code = e.code();
            let message = match e {
                StoreError::Newer { .. } => {
                    format!("{e}. You can keep studying; progress is not saved in this session.")
                }
                _ => format!("progress is not being saved in this session: {e}"),
            };
            status.notice = Some(Notice { code, message });
            return (None, status);
        }
    };
    let store = opened.store;
    if let Some(r) = opened.recovered {
        status.notice = Some(Notice {
            code: "progress-recovered",
            message: format!(
                "Your progress file was damaged ({}), so Lectern started a new one. Nothing was deleted: the old file is now `{}`. To bring a backup back, quit Lectern and run `lectern progress restore BACKUP` with a file from `{}`.",
                r.reason,
                r.moved_to.display(),
                backups.display()
            ),
        });
    }
    if store.is_read_only() {
        status.notice = Some(Notice {
            code: "progress-read-only",
            message: format!("Progress is not being saved: `{}` is read-only. You can keep studying, but what you do now is not kept.", db.display()),
        });
    } else {
        status.saving = true;
        if let Err(e) = store.backup(&backups, commands::progress::BACKUPS_KEPT, clock::now()) {
            eprintln!("lectern-app: no backup made on start: {e}");
        }
    }
    (Some(store), status)
}

/// The folder to open without a `DIR`: the course last studied whose folder is still
/// there, else the bundled course. A bundled course of an older build is reopened from
/// this build's copy (its progress key is its `id`, which does not change).
fn last_studied(
    app: &AppHandle,
    store: Option<&Store>,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let bundled = bundled::course_dir(app)?;
    let recent = store
        .map(|s| s.recent_courses(20))
        .transpose()?
        .unwrap_or_default();
    let Some(last) = recent.into_iter().find(|c| c.root.is_dir()) else {
        return Ok(bundled);
    };
    let is_bundled = last.root.parent() == bundled.parent()
        && last
            .root
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("bundled-"));
    Ok(if is_bundled { bundled } else { last.root })
}

/// A second `lectern-app` was started: bring this window forward instead.
fn bring_forward(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// WebKitGTK draws pages with its DMA-BUF renderer, made for a GPU. Without one (no
/// DRM render node: a virtual machine, a remote X session, Xvfb) that renderer runs on
/// Mesa's software rasteriser, and on such a machine the first page painted ~250 ms
/// later and the app took ~100 MB more than with WebKit's own software path
/// (BENCHMARKS.md, "Start-up and memory"). So without a GPU, take that path; with one,
/// WebKit decides. A value the learner set wins. Call before any thread starts:
/// nothing may read the environment while it is written.
#[cfg(target_os = "linux")]
fn software_rendering_without_gpu() {
    const VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    if std::env::var_os(VAR).is_some() {
        return;
    }
    let has_gpu = std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
        dir.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    if !has_gpu {
        std::env::set_var(VAR, "1");
    }
}

/// Loads syntect's grammars off the UI path, so the first lesson opens fast.
fn warm_up() {
    let warm = std::thread::Builder::new()
        .name("lectern-warm-up".into())
        .spawn(lectern::render::warm_up);
    if let Err(e) = warm {
        eprintln!("lectern-app: could not start the warm-up thread: {e}");
    }
}

/// Loads the course in `root` on a thread of its own, so that the window paints
/// without waiting for it (seconds for 10,000 lessons); the window's `boot` request
/// waits for it instead. Then names the window after the course, builds the search
/// index (on another thread) and watches the folder. A panic while loading would leave
/// the window waiting for ever: the app says so and quits instead.
fn load_in_background(app: &AppHandle, root: PathBuf) {
    let (handle, dir) = (app.clone(), root.clone());
    let spawned = std::thread::Builder::new()
        .name("lectern-course-load".into())
        .spawn(move || {
            let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                open_course(&handle, &dir);
            }));
            if opened.is_err() {
                eprintln!(
                    "lectern-app: the course in `{}` could not be opened",
                    dir.display()
                );
                handle.exit(70);
            }
        });
    if let Err(e) = spawned {
        eprintln!("lectern-app: no thread to load the course on ({e}); loading it now");
        open_course(app, &root);
    }
}

/// Test-only, and only in debug builds: waits this many milliseconds before reading
/// the course, so that the end-to-end tests can see the window while a course is
/// still being read (`tests/e2e/about.rs`).
#[cfg(debug_assertions)]
const SLOW_LOAD_ENV: &str = "LECTERN_TEST_SLOW_LOAD_MS";

/// Loads the course (see [`load_in_background`]) and starts what follows it.
fn open_course(app: &AppHandle, root: &Path) {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var(SLOW_LOAD_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    let state = app.state::<state::AppState>();
    state.load(root);
    startup::mark("core-loaded");
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&format!("{} — Lectern", state.course_title()));
    }
    indexing::in_background(app);
    // Live preview: watch the course's folder from now on.
    state.live().attach(app.clone(), &state.root());
}

fn main() -> ExitCode {
    startup::init();
    let args = match parse_args() {
        Ok(args) => args,
        Err(code) => return code,
    };
    #[cfg(target_os = "linux")]
    software_rendering_without_gpu();
    warm_up();
    let db = args.db.clone().unwrap_or_else(progress::default_path);
    let result = tauri::Builder::default()
        // First: a second instance hands over to the first and exits here, before it
        // opens the database.
        .plugin(tauri_plugin_single_instance::init(|app, argv, cwd| {
            handoff::second_instance(app, &argv, &cwd);
            bring_forward(app);
        }))
        .plugin(window_state::plugin())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .register_uri_scheme_protocol("lesson", protocol::handle)
        .setup(move |app| {
            // A `.lectern` file: its course, unpacked (checked) into the data folder and
            // opened read-only (`lectern::pack::is_unpacked`): the same path as a course
            // handed over by a second instance. Checked before anything is opened.
            let given = match args
                .dir
                .as_deref()
                .map(|d| handoff::course_root(d, Path::new("")))
            {
                Some(Err(message)) => {
                    eprintln!("lectern-app: {message}");
                    std::process::exit(2);
                }
                Some(Ok(root)) => Some(root),
                None => None,
            };
            let (store, status) = open_progress(&db);
            let root = match given {
                Some(d) => d,
                None => last_studied(app.handle(), store.as_ref())?,
            };
            app.manage(state::AppState::new(store, status));
            build_window(app)?;
            startup::mark("window-created");
            load_in_background(app.handle(), root);
            Ok(())
        })
        .invoke_handler(commands())
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lectern-app: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Every command the window may invoke, each a thin call into the core (ARCHITECTURE.md,
/// `src-tauri/`); a list of its own so `main` stays a page.
fn commands() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::about::about,
        commands::about::startup_painted,
        commands::author::author_mode,
        commands::author::set_author_mode,
        commands::author::author_quiz,
        commands::boot::boot,
        commands::course::course_outline,
        commands::course::check_course,
        commands::course::reload_course,
        commands::course::open_folder,
        commands::course::open_course_file,
        commands::course::open_recent,
        commands::lesson::open_lesson,
        commands::lesson::open_external,
        commands::lesson::search,
        commands::live::file_problems,
        commands::live::edit_file,
        commands::live::edit_heading,
        commands::live::watch_status,
        commands::notes::add_annotation,
        commands::notes::edit_annotation,
        commands::notes::remove_annotation,
        commands::notes::make_card,
        commands::notes::delete_made_card,
        commands::notes::lesson_annotations,
        commands::notes::course_notes,
        commands::quiz::grade_answer,
        commands::quiz::quiz_score,
        commands::quiz::retry_quiz,
        commands::review::review_session,
        commands::review::grade_review,
        commands::review::rate_review,
        commands::review::review_forecast,
        commands::review::review_retention,
        commands::review::set_review_retention,
        commands::review::review_limits,
        commands::review::set_review_limits,
        commands::review::review_parameters,
        commands::review::optimize_review,
        commands::review::reset_review_parameters,
        commands::review::review_card_action,
        commands::review::practice_session,
        commands::progress::progress_status,
        commands::progress::course_progress,
        commands::progress::recent_courses,
        commands::progress::lesson_opened,
        commands::progress::record_position,
        commands::progress::record_active_time,
        commands::progress::lesson_history,
        commands::progress::mark_complete,
        commands::progress::reset_lesson,
        commands::progress::reset_course,
        commands::settings::get_setting,
        commands::settings::set_setting,
        commands::dashboard::dashboard,
    ]
}

/// The one window. Its size and position come back from the window-state plugin.
/// Its title is Lectern's until the course is loaded.
///
/// The window is shown once its page has loaded, not when it is built: shown at once,
/// GTK draws it while WebKit's web process is still starting, and WebKit's UI process
/// then blocks its main thread for up to 500 ms waiting for a frame the web process
/// cannot send yet. On the measured machine that hit a third of warm starts and every
/// cold one (BENCHMARKS.md, "Start-up and memory"). Should the page never report its
/// load, the window is shown after [`SHOW_AT_THE_LATEST`] anyway.
fn build_window(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let window = WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
        .title("Lectern")
        .inner_size(1200.0, 800.0)
        .min_inner_size(640.0, 420.0)
        // The window only ever shows the app itself: links in lessons are in-app
        // routes or open in the system browser (`open_external`).
        .on_navigation(|url| url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost"))
        .visible(false)
        .on_page_load(|window, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                let _ = window.show();
            }
        })
        .build()?;
    window_state::save_when_settled(&window);
    let late = window.clone();
    let timer = std::thread::Builder::new()
        .name("lectern-show-window".into())
        .spawn(move || {
            std::thread::sleep(SHOW_AT_THE_LATEST);
            if !late.is_visible().unwrap_or(false) {
                eprintln!("lectern-app: the page did not report its load; showing the window");
                let _ = late.show();
            }
        });
    if timer.is_err() {
        window.show()?;
    }
    Ok(())
}

/// When the window is shown even if its page never reported that it loaded.
const SHOW_AT_THE_LATEST: std::time::Duration = std::time::Duration::from_secs(3);
