//! `lectern-app [DIR]`: Lectern's desktop window over the `lectern` core.
//!
//! The shell is thin on purpose (see ARCHITECTURE.md): it decides which folder to open,
//! holds one [`state::AppState`], serves lesson images through the `lesson://` scheme,
//! and exposes core functions as Tauri commands. No course logic lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bundled;
mod commands;
mod error;
mod events;
mod protocol;
mod state;

use std::path::PathBuf;
use std::process::ExitCode;

use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

const USAGE: &str = "usage: lectern-app [DIR]\n       lectern-app --version\n\nOpens the Lectern window on the lessons in DIR, or on the bundled course when DIR is not given.";

/// Prints to stdout; a closed pipe (`lectern-app --help | head -1`) is not an error.
fn print_out(text: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout(), "{text}");
}

fn main() -> ExitCode {
    let mut dir: Option<PathBuf> = None;
    for arg in std::env::args_os().skip(1) {
        match arg.to_str() {
            Some("-h" | "--help") => {
                print_out(USAGE);
                return ExitCode::SUCCESS;
            }
            Some("-V" | "--version") => {
                print_out(&format!("lectern-app {}", env!("CARGO_PKG_VERSION")));
                return ExitCode::SUCCESS;
            }
            Some(s) if s.starts_with('-') => {
                eprintln!("lectern-app: unknown option `{s}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => {
                eprintln!("lectern-app: expected at most one folder\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(d) = &dir {
        if !d.is_dir() {
            eprintln!(
                "lectern-app: `{}` is not a folder; pass the folder that holds the lessons",
                d.display()
            );
            return ExitCode::from(2);
        }
    }

    // Load syntect's grammars off the UI path, so the first lesson opens fast.
    let warm = std::thread::Builder::new()
        .name("lectern-warm-up".into())
        .spawn(lectern::render::warm_up);
    if let Err(e) = warm {
        eprintln!("lectern-app: could not start the warm-up thread: {e}");
    }

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .register_uri_scheme_protocol("lesson", protocol::handle)
        .setup(move |app| {
            let root = match dir {
                Some(d) => d,
                None => bundled::course_dir(app.handle())?,
            };
            let state = state::AppState::open(root);
            let title = format!("{} — Lectern", state.course_title());
            app.manage(state);
            WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
                .title(title)
                .inner_size(1200.0, 800.0)
                .min_inner_size(640.0, 420.0)
                // The window only ever shows the app itself: links in lessons are
                // in-app routes or open in the system browser (`open_external`).
                .on_navigation(|url| {
                    url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost")
                })
                .build()?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::course::course_outline,
            commands::course::check_course,
            commands::course::reload_course,
            commands::course::open_folder,
            commands::lesson::open_lesson,
            commands::lesson::open_external,
            commands::quiz::grade_answer,
            commands::quiz::quiz_score,
            commands::quiz::retry_quiz,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lectern-app: {e}");
            ExitCode::FAILURE
        }
    }
}
