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
    /// The source line the diagnostic points into, for caret output; a long line is cut
    /// to a window around the column (see [`SNIPPET_CHARS`]). Not serialized.
    #[serde(skip)]
    pub snippet: Option<String>,
    /// The 1-based column of the caret within `snippet` (the column itself unless the
    /// line was cut). Not serialized.
    #[serde(skip)]
    pub snippet_column: u32,
}

/// A source line longer than this (in characters) is shown as a window of this many
/// characters around the column: a 120 KB line quoted by 10,000 diagnostics must not
/// print (or keep in memory) 1.2 GB.
pub const SNIPPET_CHARS: usize = 120;

/// At most this many diagnostics of one file are listed; a final `too-many-diagnostics`
/// warning says how many more there were. Counts include them all.
pub const MAX_PER_FILE: usize = 200;

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

/// Whether human output is coloured: the CLI chooses [`Color::Ansi`] for a terminal
/// (unless `NO_COLOR` is set), [`Color::Plain`] otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// Text only, as in a file or a pipe.
    Plain,
    /// ANSI escape sequences around the location, the severity and the gutter.
    Ansi,
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

    /// A diagnostic of `severity` at `line:column` of `path`.
    pub(crate) fn new(
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
            snippet_column: column.max(1),
        }
    }

    /// Attaches the line this diagnostic points at, taken from the file's text.
    ///
    /// Walks the text to the line: for a file with many diagnostics, index it once with
    /// [`crate::text::LineIndex`] and use [`Diagnostic::with_line`].
    pub fn with_source(self, text: &str) -> Self {
        match text.lines().nth(self.line as usize - 1) {
            Some(line) => self.with_line(line),
            None => self,
        }
    }

    /// Attaches `line`, the source line this diagnostic points at (when the caller has it
    /// at hand: no search through the file).
    pub fn with_line(mut self, line: &str) -> Self {
        let line = line.trim_end_matches('\r');
        let (snippet, column) = window(line, self.column as usize);
        self.snippet = Some(snippet);
        self.snippet_column = crate::text::saturate(column);
        self
    }

    /// [`Diagnostic::with_line`] when the byte offset of the column within the line is
    /// known: no walk from the start of the line, so many problems on one long line
    /// stay linear.
    pub fn with_line_at(mut self, line: &str, byte_in_line: usize) -> Self {
        let line = line.trim_end_matches('\r');
        let mut at = byte_in_line.min(line.len());
        while !line.is_char_boundary(at) {
            at -= 1;
        }
        let (snippet, column) = if line.len() <= SNIPPET_CHARS {
            (line.to_owned(), self.column as usize)
        } else {
            window_at(line, at)
        };
        self.snippet = Some(snippet);
        self.snippet_column = crate::text::saturate(column);
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
        self.render_styled(display_root, Color::Plain)
    }

    /// [`Diagnostic::render_human`], with ANSI colours under [`Color::Ansi`] (as rustc:
    /// bold red errors, bold yellow warnings, blue gutter), for terminals. The text is
    /// otherwise identical.
    pub fn render_styled(&self, display_root: &Path, color: Color) -> String {
        let mut out = String::new();
        self.write_styled(&mut out, display_root, color);
        out
    }

    /// [`Diagnostic::render_styled`] appended to `out`: a report of many diagnostics is
    /// written into one buffer, with no string made per part of each.
    pub fn write_styled(&self, out: &mut String, display_root: &Path, color: Color) {
        let severity_code = match self.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
        };
        let shown = display_root.join(&self.path);
        // Whatever came from the course (file names, messages quoting it, source lines)
        // is printed with its control characters escaped: an ESC or BEL could retitle or
        // clear the terminal, and a newline in a file name would split the location.
        // Writing to a `String` cannot fail: the `write!` results are ignored.
        let location = format!("{}:{}:{}", slash_path(&shown), self.line, self.column);
        paint(out, color, "1", |out| push_escaped(out, &location));
        out.push_str(": ");
        paint(out, color, severity_code, |out| {
            let _ = write!(out, "{}[{}]", self.severity.as_str(), self.code);
        });
        out.push_str(": ");
        push_escaped(out, &self.message);
        out.push('\n');
        if let Some(raw) = &self.snippet {
            let num = self.line.to_string();
            let gutter = |out: &mut String, left: Option<&str>| {
                paint(out, color, "1;34", |out| {
                    match left {
                        Some(num) => out.push_str(num),
                        None => out.extend(std::iter::repeat_n(' ', num.len())),
                    }
                    out.push_str(" |");
                });
            };
            gutter(out, None);
            out.push('\n');
            gutter(out, Some(&num));
            out.push(' ');
            push_escaped(out, raw);
            out.push('\n');
            gutter(out, None);
            out.push(' ');
            // Tabs are kept as tabs in the caret line so the caret lines up with them;
            // an escaped control character takes the width of its escape.
            for c in raw.chars().take(self.snippet_column as usize - 1) {
                match c {
                    '\t' => out.push('\t'),
                    c if c.is_control() => {
                        out.extend(std::iter::repeat_n(' ', c.escape_unicode().count()));
                    }
                    _ => out.push(' '),
                }
            }
            paint(out, color, severity_code, |out| out.push('^'));
            out.push('\n');
        }
    }
}

/// Appends what `text` writes, wrapped in the ANSI colour `code` under [`Color::Ansi`].
fn paint(out: &mut String, color: Color, code: &str, text: impl FnOnce(&mut String)) {
    match color {
        Color::Ansi => {
            out.push_str("\x1b[");
            out.push_str(code);
            out.push('m');
            text(out);
            out.push_str("\x1b[0m");
        }
        Color::Plain => text(out),
    }
}

/// Appends [`escape_controls`]`(s)`.
fn push_escaped(out: &mut String, s: &str) {
    if !s.chars().any(|c| c.is_control() && c != '\t') {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        if c.is_control() && c != '\t' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
}

/// `s` with control characters (but tab) written as escapes (`\u{1b}`), for terminals.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// The part of `line` to show around 1-based `column`, and the caret's column in it:
/// the whole line when short, else [`SNIPPET_CHARS`] characters around the column with
/// `…` where it was cut.
fn window(line: &str, column: usize) -> (String, usize) {
    // Short lines (the usual case) are shown whole; counting stops at the limit.
    if line.chars().nth(SNIPPET_CHARS).is_none() {
        return (line.to_owned(), column);
    }
    match line.char_indices().nth(column.saturating_sub(1)) {
        Some((at, _)) => window_at(line, at),
        None => window_at(line, line.len()),
    }
}

/// [`window`] around byte `at` of `line`: walks at most [`SNIPPET_CHARS`] characters
/// each way, never the whole line.
fn window_at(line: &str, at: usize) -> (String, usize) {
    let half = SNIPPET_CHARS / 2;
    let before: Vec<usize> = line[..at]
        .char_indices()
        .rev()
        .take(half)
        .map(|(i, _)| i)
        .collect();
    let start = before.last().copied().unwrap_or(at);
    let end = line[start..]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(line.len(), |(i, _)| start + i);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&line[start..end]);
    if end < line.len() {
        out.push('…');
    }
    (out, before.len() + 1 + usize::from(start > 0))
}

/// `diagnostics` (sorted by path) with at most [`MAX_PER_FILE`] per file; each file cut
/// short ends with a `too-many-diagnostics` warning saying how many more it had.
pub fn limit_per_file(all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out = Vec::with_capacity(all.len().min(4096));
    // The file being listed: its path, how many it has so far, and where its last is.
    let mut run: Option<(PathBuf, usize, u32, u32)> = None;
    for d in all {
        match &mut run {
            Some((path, n, line, column)) if *path == d.path => {
                *n += 1;
                (*line, *column) = (d.line, d.column);
            }
            _ => {
                close_run(&mut out, run.take());
                run = Some((d.path.clone(), 1, d.line, d.column));
            }
        }
        if run.as_ref().is_some_and(|r| r.1 <= MAX_PER_FILE) {
            out.push(d);
        }
    }
    close_run(&mut out, run);
    out
}

/// Ends a file's listing in [`limit_per_file`]: a file with more than [`MAX_PER_FILE`]
/// gets a warning at its last diagnostic saying how many more it had.
fn close_run(out: &mut Vec<Diagnostic>, run: Option<(PathBuf, usize, u32, u32)>) {
    let Some((path, n, line, column)) = run.filter(|r| r.1 > MAX_PER_FILE) else {
        return;
    };
    out.push(Diagnostic::warning(
        path,
        line,
        column,
        "too-many-diagnostics",
        format!(
            "{} more problems in this file are not listed; fix the ones above first",
            n - MAX_PER_FILE
        ),
    ));
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
    fn control_characters_from_the_course_are_escaped_in_human_output() {
        let d = Diagnostic::error("a\u{1b}]0;pwned\u{7}\nb.md", 1, 3, "x", "quote \u{1b}[2J")
            .with_line("x\u{1b}[2Jy");
        let out = d.render_human(Path::new(""));
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(
            out.starts_with("a\\u{1b}]0;pwned\\u{7}\\u{a}b.md:1:3: error[x]: quote \\u{1b}[2J\n"),
            "{out}"
        );
        assert_eq!(
            out.lines().count(),
            4,
            "a newline in a name does not split the location"
        );
    }

    #[test]
    fn a_long_source_line_is_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(60_000), "b".repeat(60_000));
        let d = Diagnostic::warning("x.md", 1, 60_001, "c", "m").with_line(&line);
        let snippet = d.snippet.as_deref().unwrap();
        assert!(snippet.chars().count() <= SNIPPET_CHARS + 2);
        assert_eq!(
            snippet.chars().nth(d.snippet_column as usize - 1),
            Some('X')
        );
        let out = d.render_human(Path::new(""));
        assert!(out.len() < 1_000, "{}", out.len());
        let caret_line = out.lines().last().unwrap();
        let snippet_line = out.lines().nth(2).unwrap();
        let caret_chars = caret_line.chars().position(|c| c == '^').unwrap();
        assert_eq!(snippet_line.chars().nth(caret_chars), Some('X'));
    }

    #[test]
    fn diagnostics_past_the_limit_of_a_file_become_one_warning() {
        let mut all: Vec<Diagnostic> = (1..=250)
            .map(|n| Diagnostic::warning("a.md", n, 1, "missing-image", "m"))
            .collect();
        all.push(Diagnostic::error("b.md", 1, 1, "x", "m"));
        let limited = limit_per_file(all);
        assert_eq!(limited.len(), MAX_PER_FILE + 2);
        let summary = &limited[MAX_PER_FILE];
        assert_eq!(summary.code, "too-many-diagnostics");
        assert_eq!(
            (summary.line, summary.column),
            (250, 1),
            "at the file's last"
        );
        assert!(
            summary.message.starts_with("50 more problems"),
            "{}",
            summary.message
        );
        assert_eq!(limited.last().unwrap().path, Path::new("b.md"));
    }

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
    fn the_caret_keeps_tabs_and_steps_over_escaped_control_characters() {
        let d = Diagnostic::warning("x.md", 1, 5, "c", "m").with_line("a\tb\u{1b}c");
        assert_eq!(
            d.render_human(Path::new("l")),
            "l/x.md:1:5: warning[c]: m\n  |\n1 | a\tb\\u{1b}c\n  |  \t       ^\n"
        );
        let mut out = "before\n".to_owned();
        d.write_styled(&mut out, Path::new("l"), Color::Ansi);
        assert_eq!(
            out,
            format!("before\n{}", d.render_styled(Path::new("l"), Color::Ansi))
        );
    }

    #[test]
    fn styled_output_only_adds_colour_codes() {
        let d = Diagnostic::warning("x.md", 1, 3, "unknown-key", "m").with_source("a: b\n");
        let plain = d.render_styled(Path::new("l"), Color::Plain);
        assert_eq!(plain, d.render_human(Path::new("l")));
        let coloured = d.render_styled(Path::new("l"), Color::Ansi);
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
