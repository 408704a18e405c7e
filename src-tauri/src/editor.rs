//! Opening a file of the course in the author's editor, at a line.
//!
//! [`launch_for`] decides *how* (a pure function, unit-tested): `$VISUAL`, else
//! `$EDITOR`, run directly with `+LINE PATH` — never through a shell, so a path with
//! spaces or `;` is one argument and nothing in it is interpreted — else the system's
//! default application for the file. [`open`] carries it out.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

use lectern::edit::EditError;

use crate::error::UiError;

/// How a file is to be opened.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Launch {
    /// Run `program` with `args` (the editor's own words, then `+LINE`, then the path).
    Editor {
        program: OsString,
        args: Vec<OsString>,
    },
    /// No editor is configured: the system's default application for the file.
    SystemDefault(PathBuf),
}

/// How to open `path` at `line`, given the values of `$VISUAL` and `$EDITOR`.
///
/// `$VISUAL` wins over `$EDITOR`; an unset, empty or blank variable counts as unset. The
/// variable may hold words (`code --wait`, `emacsclient -n`): it is split at whitespace
/// (no quoting: it is not a shell command line), the first word is the program.
pub(crate) fn launch_for(
    visual: Option<&OsStr>,
    editor: Option<&OsStr>,
    path: &Path,
    line: u32,
) -> Launch {
    let words = |v: Option<&OsStr>| -> Vec<OsString> {
        v.map(|v| {
            v.to_string_lossy()
                .split_whitespace()
                .map(OsString::from)
                .collect()
        })
        .unwrap_or_default()
    };
    let mut chosen = words(visual);
    if chosen.is_empty() {
        chosen = words(editor);
    }
    if chosen.is_empty() {
        return Launch::SystemDefault(path.to_path_buf());
    }
    let program = chosen.remove(0);
    let mut args = chosen;
    args.push(OsString::from(format!("+{}", line.max(1))));
    args.push(path.as_os_str().to_owned());
    Launch::Editor { program, args }
}

/// Opens `path` (absolute, already checked to be inside the lessons folder; `shown` is
/// how the author knows it, relative to the folder) at `line`. The editor runs on its
/// own; a named thread waits for it so it leaves no zombie. Failures are the core's
/// [`EditError`]: with no editor set, how to set one, never the opener's exit status.
pub(crate) fn open(app: &AppHandle, path: &Path, shown: &str, line: u32) -> Result<(), UiError> {
    let visual = std::env::var_os("VISUAL");
    let editor = std::env::var_os("EDITOR");
    match launch_for(visual.as_deref(), editor.as_deref(), path, line) {
        Launch::Editor { program, args } => {
            let mut child = std::process::Command::new(&program)
                .args(&args)
                .spawn()
                .map_err(|e| EditError::CannotStart {
                    program: program.to_string_lossy().into_owned(),
                    reason: e.to_string(),
                })?;
            std::thread::Builder::new()
                .name("lectern-editor".into())
                .spawn(move || {
                    let _ = child.wait();
                })
                .map(drop)
                .map_err(|e| {
                    UiError::new("editor-failed", format!("cannot wait for the editor: {e}"))
                })
        }
        Launch::SystemDefault(path) => app
            .opener()
            .open_path(path.to_string_lossy(), None::<&str>)
            .map_err(|_| {
                EditError::NotSet {
                    path: shown.to_owned(),
                }
                .into()
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(visual: Option<&str>, editor: Option<&str>, expected: Option<&[&str]>) {
        let path = Path::new("/course/a lesson; rm -rf.md");
        let got = launch_for(visual.map(OsStr::new), editor.map(OsStr::new), path, 12);
        match expected {
            None => assert_eq!(got, Launch::SystemDefault(path.to_path_buf())),
            Some(words) => {
                let words: Vec<OsString> = words.iter().map(OsString::from).collect();
                assert_eq!(
                    got,
                    Launch::Editor {
                        program: words[0].clone(),
                        args: words[1..].to_vec()
                    }
                );
            }
        }
    }

    const PATH: &str = "/course/a lesson; rm -rf.md";

    #[test]
    fn visual_is_preferred_to_editor() {
        check(Some("gvim"), Some("nano"), Some(&["gvim", "+12", PATH]));
    }

    #[test]
    fn editor_is_used_when_visual_is_unset_empty_or_blank() {
        check(None, Some("nano"), Some(&["nano", "+12", PATH]));
        check(Some(""), Some("nano"), Some(&["nano", "+12", PATH]));
        check(Some("  "), Some("nano"), Some(&["nano", "+12", PATH]));
    }

    #[test]
    fn words_of_the_variable_come_before_the_line_and_the_path_stays_one_argument() {
        check(
            Some("emacsclient  -n"),
            None,
            Some(&["emacsclient", "-n", "+12", PATH]),
        );
    }

    #[test]
    fn no_editor_means_the_system_default_for_the_file() {
        check(None, None, None);
        check(Some(""), Some(" "), None);
    }

    #[test]
    fn line_zero_becomes_line_one() {
        let got = launch_for(Some(OsStr::new("vi")), None, Path::new("/c/x.md"), 0);
        assert_eq!(
            got,
            Launch::Editor {
                program: "vi".into(),
                args: vec!["+1".into(), "/c/x.md".into()]
            }
        );
    }
}
