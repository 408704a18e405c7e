//! `lectern-app [DIR]`: Lectern's desktop window over the `lectern` core.
//!
//! The shell is thin on purpose (see ARCHITECTURE.md): it decides which folder to open,
//! holds one [`state::AppState`], and exposes core functions as Tauri commands. No
//! course logic lives here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bundled;
mod commands;
mod error;
mod state;

use std::path::PathBuf;
use std::process::ExitCode;

use tauri::Manager;

const USAGE: &str = "usage: lectern-app [DIR]\n\nOpens the Lectern window on the lessons in DIR, or on the bundled course when DIR is not given.";

fn main() -> ExitCode {
    let mut dir: Option<PathBuf> = None;
    for arg in std::env::args_os().skip(1) {
        match arg.to_str() {
            Some("-h" | "--help") => {
                println!("{USAGE}");
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

    let result = tauri::Builder::default()
        .setup(move |app| {
            let root = match dir {
                Some(d) => d,
                None => bundled::course_dir(app.handle())?,
            };
            let state = state::AppState::open(root);
            if let Some(window) = app.get_webview_window("main") {
                window.set_title(&format!("{} — Lectern", state.course_title()))?;
            }
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::course::course_outline,
            commands::course::reload_course,
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
