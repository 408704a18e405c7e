//! The subcommands of the `lectern` binary, one file each (`main.rs` holds only the
//! argument definitions and the dispatch), and what they share: the usage error, how
//! output is written, colour, and how a lesson `FILE` argument is checked.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{BoolishValueParser, TypedValueParser};
use lectern::diagnostic::{count, Color, Diagnostic};
use lectern::folder::{Folder, ReadError};

pub(crate) mod check;
pub(crate) mod list;
pub(crate) mod new;
pub(crate) mod notes;
pub(crate) mod pack;
pub(crate) mod progress;
pub(crate) mod quiz;
pub(crate) mod render;
pub(crate) mod review;
pub(crate) mod search;
pub(crate) mod source;
pub(crate) mod watch;

/// What a command prints: text for people, or the JSON of the documented contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Output {
    /// Readable text (diagnostics as rustc prints them).
    Human,
    /// JSON (`--json`), a public contract (README.md).
    Json,
}

impl Output {
    /// Under `--json` or not.
    pub(crate) fn from_flag(json: bool) -> Self {
        if json {
            Output::Json
        } else {
            Output::Human
        }
    }

    /// For an error before the arguments are parsed: whether `--json` is among them.
    pub(crate) fn of_raw_args() -> Self {
        Output::from_flag(std::env::args_os().any(|a| a == "--json"))
    }
}

/// The value parser of a flag that names a choice (`--json`, `--standalone`): clap turns
/// the flag's presence into the named value once, as it parses the arguments.
pub(crate) fn flag<T>(named: fn(bool) -> T) -> impl TypedValueParser<Value = T>
where
    T: Clone + Send + Sync + 'static,
{
    BoolishValueParser::new().map(named)
}

/// A usage error: exit 2, with `{"error": {"code", "message"}}` on stdout under `--json`
/// (so a tool reading the JSON learns why there is no report) and the message on stderr.
pub(crate) struct UsageError {
    code: &'static str,
    message: String,
}

impl UsageError {
    pub(crate) fn new(code: &'static str, message: String) -> Self {
        UsageError { code, message }
    }
}

impl UsageError {
    /// Prints the error on stderr (clap prints its own).
    pub(crate) fn eprint(&self) {
        eprintln!(
            "lectern: error: {}",
            lectern::diagnostic::escape_controls(&self.message)
        );
    }
}

impl From<String> for UsageError {
    fn from(message: String) -> Self {
        UsageError::new("usage", message)
    }
}

/// Reports a usage error as JSON on stdout under `--json` (on stderr it is printed by
/// [`UsageError::eprint`] or by clap) and returns exit code 2.
pub(crate) fn usage_exit(e: &UsageError, output: Output) -> ExitCode {
    if output == Output::Json {
        let body = serde_json::json!({"error": {"code": e.code, "message": e.message}});
        let _ = print(&format!("{body}\n"));
    }
    ExitCode::from(2)
}

pub(crate) fn require_dir(dir: &Path) -> Result<(), UsageError> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(UsageError::new(
            "not-a-folder",
            format!(
                "`{}` is not a folder; pass the folder that holds the lessons (or a `.lectern` file)",
                dir.display()
            ),
        ))
    }
}

pub(crate) fn print(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`lectern list | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| format!("cannot encode JSON: {e}"))
}

pub(crate) fn exit_for(diagnostics: &[Diagnostic]) -> ExitCode {
    if count(diagnostics).0 > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The lessons folder a `FILE` argument belongs to (`--dir`, else the file's folder),
/// and the file's path in it, checked canonically.
pub(crate) fn lesson_file(
    file: &Path,
    dir: Option<&Path>,
) -> Result<(PathBuf, Folder, PathBuf), UsageError> {
    if !file.is_file() {
        return Err(UsageError::new(
            "not-a-file",
            format!(
                "`{}` is not a file; pass a lesson's `.md` file",
                file.display()
            ),
        ));
    }
    let dir = dir
        .map(Path::to_path_buf)
        .or_else(|| file.parent().map(Path::to_path_buf))
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    require_dir(&dir)?;
    let folder = Folder::new(&dir);
    let rel = relative_to(file, &folder)?;
    Ok((dir, folder, rel))
}

/// `file`'s path relative to the lessons folder `dir`, compared canonically (the one
/// check every entry point uses: `d/../o/x.md` and a link leading out are not inside `d`).
fn relative_to(file: &Path, folder: &Folder) -> Result<PathBuf, UsageError> {
    folder.relative(file).map_err(|e| match e {
        ReadError::Escape => UsageError::new(
            "outside-folder",
            format!(
                "`{}` is not inside the lessons folder `{}`; pass `--dir` with the folder that holds it",
                file.display(),
                folder.root().display()
            ),
        ),
        other => UsageError::new(
            "file-unreadable",
            format!("cannot read `{}`: {other}", file.display()),
        ),
    })
}

/// Colour on a terminal, unless `NO_COLOR` is set (https://no-color.org).
fn color_for(is_terminal: bool) -> Color {
    if is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
        Color::Ansi
    } else {
        Color::Plain
    }
}

pub(crate) fn color_stdout() -> Color {
    use std::io::IsTerminal as _;
    color_for(std::io::stdout().is_terminal())
}

pub(crate) fn color_stderr() -> Color {
    use std::io::IsTerminal as _;
    color_for(std::io::stderr().is_terminal())
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
