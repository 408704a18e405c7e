//! A course handed to the running window: the folder or `.lectern` file on a second
//! `lectern-app`'s command line (a double-click in the file manager starts one: the
//! single-instance plugin hands its arguments here and it exits), or a `.lectern` file
//! picked with Open file…. One path from an argument to an open course:
//! [`course_root`] (the folder, or the archive unpacked — checked, by content hash —
//! by `lectern::pack::open`), then [`open`] (the course replaced, the window told).

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager};

use crate::error::UiError;
use crate::events::{self, OpenReason};
use crate::state::AppState;

/// The folder of the course `arg` names (relative to `cwd`): a folder as it is, a
/// `.lectern` file unpacked into the app's data folder. The message says why not.
pub(crate) fn course_root(arg: &Path, cwd: &Path) -> Result<PathBuf, String> {
    let path = cwd.join(arg);
    if lectern::pack::is_archive(&path) {
        return lectern::pack::open(&path, &lectern::pack::default_base())
            .map_err(|e| e.to_string());
    }
    if path.is_dir() {
        return Ok(path);
    }
    Err(format!(
        "`{}` is not a folder or a .lectern file; pass the folder that holds the lessons",
        arg.display()
    ))
}

/// Replaces the open course with the one at `root` and tells the window.
pub(crate) fn open(
    app: &AppHandle,
    state: &AppState,
    root: &Path,
    reason: OpenReason,
) -> Result<(), UiError> {
    state.switch_to(root);
    events::course_opened(app, reason, crate::commands::course::outline_of(state))
}

/// A second `lectern-app` started with `argv` in `cwd`: the course it names, if any, is
/// opened here (off the main thread: unpacking and loading take a while), or the
/// window says why not. Without one, nothing changes (the window is brought forward).
pub(crate) fn second_instance(app: &AppHandle, argv: &[String], cwd: &str) {
    let Some(arg) = course_argument(argv) else {
        return;
    };
    let (app, cwd) = (app.clone(), PathBuf::from(cwd));
    let spawned = std::thread::Builder::new()
        .name("lectern-handoff".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            let opened = course_root(&arg, &cwd).and_then(|root| {
                // The course already open (a second start on the same folder): it
                // stays as it is, only brought forward.
                if same_place(&root, &state.root()) {
                    return Ok(());
                }
                open(&app, &state, &root, OpenReason::HandedOver).map_err(|e| e.message)
            });
            if let Err(message) = opened {
                let _ = events::open_failed(&app, &message);
            }
        });
    if let Err(e) = spawned {
        eprintln!("lectern-app: no thread to open the course handed over: {e}");
    }
}

/// Whether two paths name the same folder (compared canonically when they exist).
fn same_place(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The folder or file a command line names: its first argument that is not an option
/// (nor `--db`'s value).
fn course_argument(argv: &[String]) -> Option<PathBuf> {
    let mut it = argv.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--db" => {
                it.next();
            }
            s if s.starts_with('-') => {}
            s => return Some(PathBuf::from(s)),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<String> {
        std::iter::once("lectern-app")
            .chain(args.iter().copied())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_course_argument_is_the_first_that_is_not_an_option_nor_the_db_path() {
        assert_eq!(course_argument(&argv(&[])), None);
        assert_eq!(course_argument(&argv(&["--db", "p.db"])), None);
        assert_eq!(
            course_argument(&argv(&["--db", "p.db", "c.lectern"])),
            Some(PathBuf::from("c.lectern"))
        );
        assert_eq!(
            course_argument(&argv(&["--db=p.db", "dir", "other"])),
            Some(PathBuf::from("dir"))
        );
    }

    #[test]
    fn the_open_folder_handed_over_again_is_the_same_place() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("course")).unwrap();
        let dotted = tmp.path().join("course").join("..").join("course");
        assert!(same_place(&dotted, &tmp.path().join("course")));
        assert!(!same_place(tmp.path(), &tmp.path().join("course")));
    }

    #[test]
    fn a_relative_course_is_found_from_the_second_instance_s_folder() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("course")).unwrap();
        assert_eq!(
            course_root(Path::new("course"), tmp.path()).unwrap(),
            tmp.path().join("course")
        );
        std::fs::write(tmp.path().join("notes.txt"), "x").unwrap();
        let why = course_root(Path::new("notes.txt"), tmp.path()).unwrap_err();
        assert!(why.contains("not a folder or a .lectern file"), "{why}");
    }
}
