//! Diagnostics: what Lectern tells an author about their course.
//!
//! Loading never aborts on bad input (see ARCHITECTURE.md): every problem in a lesson
//! or in `course.yaml` becomes one [`Diagnostic`] with a path relative to the lessons
//! folder, a 1-based line and column, a severity, a stable kebab-case `code` that tools
//! may match on, and a message that quotes the input and suggests a fix.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a diagnostic is. Any `Error` makes `lectern check` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file (or the part of it named) could not be used.
    Error,
    /// The file was used, but something in it is probably a mistake.
    Warning,
}

impl Severity {
    /// The lowercase word used in human and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in a course, pointing at a file, line and column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the lessons folder, with `/` separators.
    #[serde(serialize_with = "serialize_path")]
    pub path: PathBuf,
    /// 1-based line; 1 when the problem concerns the whole file.
    pub line: u32,
    /// 1-based column, counted in characters (Unicode scalar values).
    pub column: u32,
    /// Error or warning.
    pub severity: Severity,
    /// Stable kebab-case identifier, part of the CLI's JSON contract.
    pub code: &'static str,
    /// Lowercase, no trailing period; quotes the input and suggests a fix.
    pub message: String,
    /// The source line the diagnostic points into, for caret output. Not serialized.
    #[serde(skip)]
    pub snippet: Option<String>,
}

fn serialize_path<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&slash_path(path))
}

/// A relative path written with `/` whatever the platform, as the JSON contract says.
pub fn slash_path(path: &Path) -> String {
    use std::path::Component;
    let mut out = String::new();
    for c in path.components() {
        match c {
            Component::Prefix(p) => out.push_str(&p.as_os_str().to_string_lossy()),
            Component::RootDir => out.push('/'),
            other => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

impl Diagnostic {
    /// An error at `line:column` of `path`.
    pub fn error(
        path: impl Into<PathBuf>,
        line: u32,
        column: u32,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, path, line, column, code, message)
    }

    /// A warning at `line:column` of `path`.
    pub fn warning(
        path: impl Into<PathBuf>,
        line: u32,
        column: u32,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, path, line, column, code, message)
    }

    fn new(
        severity: Severity,
        path: impl Into<PathBuf>,
        line: u32,
        column: u32,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line: line.max(1),
            column: column.max(1),
            severity,
            code,
            message: message.into(),
            snippet: None,
        }
    }

    /// Attaches the line this diagnostic points at, taken from the file's text.
    pub fn with_source(mut self, text: &str) -> Self {
        self.snippet = text
            .lines()
            .nth(self.line as usize - 1)
            .map(|l| l.trim_end_matches('\r').to_owned());
        self
    }

    /// Attaches `line`, the source line this diagnostic points at (when the caller has it
    /// at hand: no search through the file).
    pub fn with_line(mut self, line: &str) -> Self {
        self.snippet = Some(line.trim_end_matches('\r').to_owned());
        self
    }

    /// Whether this is an error (as opposed to a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Human output in the style of rustc: a header line, then the source line with a
    /// caret under the column. `display_root` is prefixed to the path (the folder as the
    /// user typed it), so the location can be clicked in a terminal or editor.
    pub fn render_human(&self, display_root: &Path) -> String {
        self.render_styled(display_root, false)
    }

    /// [`Diagnostic::render_human`] with ANSI colours (as rustc: bold red errors, bold
    /// yellow warnings, blue gutter), for terminals. The text is otherwise identical.
    pub fn render_styled(&self, display_root: &Path, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_owned()
            }
        };
        let severity_code = match self.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
        };
        let shown = display_root.join(&self.path);
        let mut out = format!(
            "{}: {}: {}\n",
            paint(
                "1",
                &format!("{}:{}:{}", slash_path(&shown), self.line, self.column)
            ),
            paint(
                severity_code,
                &format!("{}[{}]", self.severity.as_str(), self.code)
            ),
            self.message
        );
        if let Some(src) = &self.snippet {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            // Tabs are kept as tabs in the caret line so the caret lines up with them.
            let lead: String = src
                .chars()
                .take(self.column as usize - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let gutter = |left: &str| paint("1;34", &format!("{left} |"));
            let _ = writeln!(out, "{}", gutter(&pad));
            let _ = writeln!(out, "{} {src}", gutter(&num));
            let _ = writeln!(out, "{} {lead}{}", gutter(&pad), paint(severity_code, "^"));
        }
        out
    }
}

/// Sorts diagnostics the one way every output shows them: by path, line, column, code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.code).cmp(&(&b.path, b.line, b.column, b.code))
    });
}

/// Counts of errors and warnings in a set of diagnostics.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_output_points_a_caret_at_the_column() {
        let d = Diagnostic::error("x.md", 2, 8, "front-matter-syntax", "unclosed quote")
            .with_source("---\ntitle: \"oops\n---\n");
        let out = d.render_human(Path::new("lessons"));
        assert_eq!(
            out,
            "lessons/x.md:2:8: error[front-matter-syntax]: unclosed quote\n  |\n2 | title: \"oops\n  |        ^\n"
        );
    }

    #[test]
    fn styled_output_only_adds_colour_codes() {
        let d = Diagnostic::warning("x.md", 1, 3, "unknown-key", "m").with_source("a: b\n");
        let plain = d.render_styled(Path::new("l"), false);
        assert_eq!(plain, d.render_human(Path::new("l")));
        let coloured = d.render_styled(Path::new("l"), true);
        assert!(
            coloured.contains("\x1b[1;33mwarning[unknown-key]\x1b[0m"),
            "{coloured}"
        );
        let stripped: String = coloured
            .split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('m').map_or(part, |(_, rest)| rest)
                }
            })
            .collect();
        assert_eq!(stripped, plain);
    }

    #[test]
    fn json_path_uses_forward_slashes() {
        let d = Diagnostic::warning(Path::new("a").join("b.md"), 1, 1, "x", "m");
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["path"], "a/b.md");
        assert_eq!(v["severity"], "warning");
        assert!(v.get("snippet").is_none());
    }

    #[test]
    fn slash_path_keeps_a_single_leading_slash() {
        assert_eq!(slash_path(Path::new("/tmp/a/b.md")), "/tmp/a/b.md");
        assert_eq!(slash_path(Path::new("./lessons/b.md")), "./lessons/b.md");
        assert_eq!(slash_path(Path::new("")), "");
    }

    #[test]
    fn line_and_column_are_never_zero() {
        let d = Diagnostic::error("x.md", 0, 0, "x", "m");
        assert_eq!((d.line, d.column), (1, 1));
    }
}
