//! Preprocessor directives, as mdBook expands them: `{{#include}}`,
//! `{{#rustdoc_include}}`, `{{#playground}}`, `{{#title}}` and `\{{#…}}` escapes.
//!
//! They are expanded in the text before Markdown is parsed, everywhere in the body
//! (inside code fences too: that is how books include their listings), in every course
//! format. A path resolves from the including file's folder and may reach anywhere
//! inside the course folder, never outside it: every read goes through
//! [`Folder`], the guarded reader. Includes nest to mdBook's depth limit
//! ([`MAX_DEPTH`]); a cycle, a missing or escaping file, or an expansion past the
//! lesson size cap is a diagnostic at the directive's line (in the file that holds
//! it), and the directive is left as text, as mdBook leaves it. `{{#quiz file.toml}}`
//! (mdbook-quiz) becomes a fenced block whose info string is [`QUIZ_BLOCK_INFO`] and
//! whose content is the quiz file: the lesson's text then holds its quiz (so every cache
//! keyed by the text sees a quiz edit), the quiz parser reads the block's questions,
//! the renderer puts the block's place holder where the directive stood, and the TOML's
//! lines map back to the quiz file. Unknown directives (a preprocessor Lectern does not
//! run: `{{%segment …}}`) are left as text with a warning naming them.
//!
//! The expanded text keeps a [`SourceMap`], so a diagnostic found later in included
//! lines (by the renderer or the quiz parser) names the included file and its line.
//!
//! Every file a directive names, read or not, is recorded on the lesson
//! ([`Lesson::includes`]): the live preview reads a lesson again when one of them
//! changes (a listing edited, a missing file created), and only then.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Lesson, MAX_LESSON_BYTES};
use crate::diagnostic::{slash_path, Diagnostic};
use crate::folder::{Folder, ReadError};

/// The info string of the fenced block a `{{#quiz}}` directive becomes.
pub const QUIZ_BLOCK_INFO: &str = "lectern-quiz";

/// How deep includes may nest: mdBook's `MAX_LINK_NESTED_DEPTH`.
pub const MAX_DEPTH: usize = 10;

/// Where each line of an expanded text came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Runs of lines, in order of `out_line`: from `out_line` on, the text is the lines
    /// of `path` (or the lesson's own file when `None`) starting at `line`.
    segments: Vec<Segment>,
    /// Every file an include read (relative to the course folder): what a change to
    /// them must re-render.
    files: BTreeSet<PathBuf>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    out_line: u32,
    path: Option<PathBuf>,
    line: u32,
}

impl SourceMap {
    /// The file and line that `line` of the expanded text came from (`own` is the
    /// lesson's file).
    pub fn locate(&self, line: u32, own: &Path) -> (PathBuf, u32) {
        let at = self.segments.partition_point(|s| s.out_line <= line);
        match at.checked_sub(1).map(|i| &self.segments[i]) {
            Some(s) => (
                s.path.clone().unwrap_or_else(|| own.to_path_buf()),
                s.line + (line - s.out_line),
            ),
            None => (own.to_path_buf(), line),
        }
    }

    /// The files included, directly or through other includes.
    pub fn included(&self) -> &BTreeSet<PathBuf> {
        &self.files
    }
}

/// Expands the directives in `lesson`'s body, reading included files from `folder`.
/// Returns the diagnostics; the lesson's text (and its [`SourceMap`]) are updated when
/// anything was expanded or unescaped.
pub fn expand_lesson(folder: &Folder, lesson: &mut Lesson) -> Vec<Diagnostic> {
    if let Some(body) = listings(lesson.body()) {
        lesson.text.truncate(lesson.body_offset);
        lesson.text.push_str(&body);
    }
    let body = lesson.body();
    if !body.contains("{{") {
        return Vec::new();
    }
    let mut x = Expander {
        folder,
        own: lesson.path.clone(),
        out: String::with_capacity(lesson.text.len()),
        out_line: lesson.body_line,
        map: SourceMap::default(),
        diagnostics: Vec::new(),
        stack: vec![lesson.path.clone()],
        changed: false,
        named: BTreeSet::new(),
    };
    x.out.push_str(&lesson.text[..lesson.body_offset]);
    x.segment(None, lesson.body_line);
    let body = body.to_owned();
    x.expand(&body, &lesson.path.clone(), lesson.body_line);
    x.named.remove(&lesson.path);
    lesson.includes = std::mem::take(&mut x.named).into_iter().collect();
    if x.changed {
        lesson.text = x.out;
        if !x.map.files.is_empty() {
            lesson.sources = Some(Arc::new(x.map));
        }
    }
    x.diagnostics
}

struct Expander<'a> {
    folder: &'a Folder,
    /// The lesson's file.
    own: PathBuf,
    out: String,
    /// 1-based line of `out` where the next character goes.
    out_line: u32,
    map: SourceMap,
    diagnostics: Vec<Diagnostic>,
    /// The files being expanded, outermost first: a cycle is a file already here.
    stack: Vec<PathBuf>,
    /// Whether the text differs from the file's.
    changed: bool,
    /// Every file a directive named (relative to the course folder, as named and, when
    /// a link inside the folder leads elsewhere, where it really is), read or not.
    named: BTreeSet<PathBuf>,
}

/// A directive found in the text.
struct Directive<'t> {
    /// The whole `{{…}}` (or `\{{#…}}`), as a byte range of the text.
    span: Range<usize>,
    /// `#` or `%`.
    sigil: char,
    name: &'t str,
    args: &'t str,
}

impl Expander<'_> {
    fn segment(&mut self, path: Option<PathBuf>, line: u32) {
        self.segment_at(self.out_line, path, line);
    }

    /// From `out_line` on, the text is `path`'s (the lesson's own when `None`) from `line`.
    fn segment_at(&mut self, out_line: u32, path: Option<PathBuf>, line: u32) {
        let path = path.filter(|p| *p != self.own);
        let segment = Segment {
            out_line,
            path,
            line,
        };
        match self.map.segments.last_mut() {
            Some(last) if last.out_line == out_line => *last = segment,
            _ => self.map.segments.push(segment),
        }
    }

    fn push(&mut self, s: &str) {
        self.out.push_str(s);
        self.out_line += s.bytes().filter(|&b| b == b'\n').count() as u32;
    }

    /// Expands `text`, the lines of `file` from `first_line` on.
    fn expand(&mut self, text: &str, file: &Path, first_line: u32) {
        let mut copied = 0;
        let mut line = first_line;
        let mut from = 0;
        while let Some(found) = text[from..].find("{{").map(|i| i + from) {
            let Some(d) = directive(text, found) else {
                from = found + 2;
                continue;
            };
            line += text[copied..d.span.start]
                .bytes()
                .filter(|&b| b == b'\n')
                .count() as u32;
            self.push(&text[copied..d.span.start]);
            copied = d.span.end;
            from = d.span.end;
            let whole = &text[d.span.clone()];
            let after = line + whole.bytes().filter(|&b| b == b'\n').count() as u32;
            match (d.sigil, d.name) {
                ('\\', _) => {
                    self.changed = true;
                    self.push(&whole[1..]);
                }
                ('#', "include" | "rustdoc_include" | "playground" | "playpen" | "quiz") => {
                    if self.include(&d, whole, file, line) {
                        // This file resumes after the included lines: on the next line
                        // when the directive ended its line (the usual case), else on
                        // the included text's last line.
                        let ends_line = text[d.span.end..].starts_with('\n');
                        let (out_line, line) = if ends_line {
                            (self.out_line + 1, after + 1)
                        } else {
                            (self.out_line, after)
                        };
                        self.segment_at(out_line, Some(file.to_path_buf()), line);
                    }
                }
                ('#', "title") => self.changed = true,
                _ => {
                    self.unknown(&d, file, line);
                    self.push(whole);
                }
            }
            line = after;
        }
        self.push(&text[copied..]);
    }

    /// The file `path` names (relative to the course folder) from `file`, unless it
    /// leaves the folder, closes a cycle or nests too deep: then the code and message.
    fn target(&self, file: &Path, path: &str) -> Result<PathBuf, (&'static str, String)> {
        let rel = file
            .parent()
            .map(|dir| dir.join(path))
            .and_then(|p| crate::folder::normalize(&p))
            .filter(|_| !path.is_empty())
            .ok_or_else(|| {
                (
                    "include-outside",
                    format!("`{path}` is outside the course folder; includes may reach only files inside it"),
                )
            })?;
        if self.stack.contains(&rel) {
            let chain: Vec<String> = self
                .stack
                .iter()
                .chain([&rel])
                .map(|p| slash_path(p))
                .collect();
            return Err((
                "include-cycle",
                format!(
                    "includes form a cycle: {}; remove one of them",
                    chain.join(" → ")
                ),
            ));
        }
        if self.stack.len() > MAX_DEPTH {
            return Err((
                "include-depth",
                format!(
                    "includes nest deeper than {MAX_DEPTH} files here; `{path}` is not included"
                ),
            ));
        }
        Ok(rel)
    }

    fn unknown(&mut self, d: &Directive<'_>, file: &Path, line: u32) {
        self.diagnostics.push(Diagnostic::warning(
            file,
            line,
            1,
            "unknown-directive",
            format!(
                "`{{{{{}{}}}}}` is a preprocessor directive Lectern does not run; it is shown as text",
                d.sigil, d.name
            ),
        ));
    }

    /// One `{{#include}}`-like directive: its text expanded in place, or left as written
    /// with a diagnostic. Whether it was expanded.
    fn include(&mut self, d: &Directive<'_>, whole: &str, file: &Path, line: u32) -> bool {
        let mut args = d.args.split_whitespace();
        let target = args.next().unwrap_or("");
        let (path, selector) = match d.name {
            "include" | "rustdoc_include" => match target.split_once(':') {
                Some((p, s)) => (p, Some(s)),
                None => (target, None),
            },
            _ => (target, None),
        };
        let problem =
            |code: &'static str, message: String| Diagnostic::error(file, line, 1, code, message);
        let rel = match self.target(file, path) {
            Ok(rel) => rel,
            Err((code, message)) => {
                self.diagnostics.push(problem(code, message));
                self.push(whole);
                return false;
            }
        };
        self.name(&rel);
        let text = match self.folder.read_text(&rel, MAX_LESSON_BYTES) {
            Ok(t) => t.trim_start_matches('\u{feff}').replace("\r\n", "\n"),
            Err(e) => {
                self.diagnostics.push(read_problem(&e, file, line, path));
                self.push(whole);
                return false;
            }
        };
        // A missing anchor gives nothing, as in mdBook, with a warning.
        let (selected, first) = select(d.name, &text, selector).unwrap_or_else(|| {
            self.diagnostics.push(Diagnostic::warning(
                file,
                line,
                1,
                "include-anchor-missing",
                format!(
                    "`{path}` has no `ANCHOR: {}`; nothing is included (add the anchor or fix the name)",
                    selector.unwrap_or("")
                ),
            ));
            (String::new(), 1)
        });
        let selected = match d.name {
            "playground" | "playpen" => playground(&selected, args),
            _ => selected,
        };
        if d.name == "quiz" {
            return self.quiz_block(&text, &rel, whole, file, line);
        }
        if self.out.len() + selected.len() > MAX_LESSON_BYTES as usize {
            self.diagnostics.push(problem(
                "include-too-large",
                format!(
                    "including `{path}` makes the lesson larger than {}; it is not included",
                    crate::folder::limit_words(MAX_LESSON_BYTES)
                ),
            ));
            self.push(whole);
            return false;
        }
        self.changed = true;
        self.map.files.insert(rel.clone());
        self.segment(Some(rel.clone()), first);
        self.stack.push(rel.clone());
        self.expand(&selected, &rel, first);
        self.stack.pop();
        true
    }

    /// Records that the lesson depends on `rel`: as named, and where it really is when
    /// a link inside the folder leads there (a save reaches the watcher by that path).
    fn name(&mut self, rel: &Path) {
        self.named.insert(rel.to_path_buf());
        let real = self.folder.locate(rel).ok().and_then(|real| {
            let root = self.folder.canonical()?;
            real.strip_prefix(root).ok().map(Path::to_path_buf)
        });
        if let Some(real) = real.filter(|r| r != rel) {
            self.named.insert(real);
        }
    }
}

impl Expander<'_> {
    /// A `{{#quiz}}` file as a fenced block of [`QUIZ_BLOCK_INFO`], its lines mapped to
    /// the file; left as written when it would make the lesson too large.
    fn quiz_block(&mut self, toml: &str, rel: &Path, whole: &str, file: &Path, line: u32) -> bool {
        let longest = toml
            .lines()
            .map(|l| l.trim_start().chars().take_while(|&c| c == '~').count())
            .max()
            .unwrap_or(0);
        let fence = "~".repeat(longest.max(3) + 1);
        if self.out.len() + toml.len() + 2 * fence.len() + 40 > MAX_LESSON_BYTES as usize {
            self.diagnostics.push(Diagnostic::error(
                file,
                line,
                1,
                "include-too-large",
                format!(
                    "the quiz `{}` makes the lesson larger than {}; it is not shown",
                    slash_path(rel),
                    crate::folder::limit_words(MAX_LESSON_BYTES)
                ),
            ));
            self.push(whole);
            return false;
        }
        self.changed = true;
        self.map.files.insert(rel.to_path_buf());
        if !(self.out.is_empty() || self.out.ends_with('\n')) {
            self.push("\n");
        }
        self.push(&format!("{fence}{QUIZ_BLOCK_INFO} {}\n", slash_path(rel)));
        self.segment(Some(rel.to_path_buf()), 1);
        self.push(toml);
        if !toml.ends_with('\n') {
            self.push("\n");
        }
        self.push(&fence);
        true
    }
}

fn read_problem(e: &ReadError, file: &Path, line: u32, path: &str) -> Diagnostic {
    let (code, message) = match e {
        ReadError::Missing => (
            "include-missing",
            format!("`{path}` does not exist; fix the path (it is relative to this file)"),
        ),
        ReadError::Escape => (
            "include-outside",
            format!(
                "`{path}` is outside the course folder; includes may reach only files inside it"
            ),
        ),
        other => (
            "include-unreadable",
            format!("cannot include `{path}`: {other}"),
        ),
    };
    Diagnostic::error(file, line, 1, code, message)
}

/// The rust-lang/book's `<Listing number=… file-name=… caption=…>` … `</Listing>`
/// (its own mdBook preprocessor's markup) as Markdown every renderer shows: the file
/// name above the listing, `**Listing N:** caption` below it. Line for line, so lines
/// keep their numbers; `None` when the text has no listing.
fn listings(body: &str) -> Option<String> {
    if !body.contains("<Listing") {
        return None;
    }
    let mut out = String::with_capacity(body.len());
    let mut caption: Option<String> = None;
    for line in body.split_inclusive('\n') {
        let text = line.trim_end_matches('\n');
        let nl = &line[text.len()..];
        let t = text.trim();
        if t.starts_with("<Listing") && t.ends_with('>') && !t.ends_with("/>") {
            let number = attribute(t, "number");
            let label = number.map_or("Listing".to_owned(), |n| format!("Listing {n}"));
            caption = Some(match attribute(t, "caption") {
                Some(c) => format!("**{label}:** {c}"),
                None => format!("**{label}**"),
            });
            if let Some(file) = attribute(t, "file-name") {
                out.push_str(&format!("Filename: `{file}`"));
            }
            out.push_str(nl);
        } else if t == "</Listing>" {
            out.push_str(caption.take().as_deref().unwrap_or(""));
            out.push_str(nl);
        } else {
            out.push_str(line);
        }
    }
    Some(out)
}

/// The value of `name="…"` in a tag.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The directive starting at `at` (the `{{`), if one does: mdBook's
/// `\{{#…}}` escape or `{{ #name args}}`; and `{{%name …}}`, another tool's form.
fn directive(text: &str, at: usize) -> Option<Directive<'_>> {
    let bytes = text.as_bytes();
    if at > 0 && bytes[at - 1] == b'\\' {
        // mdBook's escape `\{{#.*}}`: up to the last `}}` of the line.
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let rest = &text[at + 2..line_end];
        let close = rest.rfind("}}")?;
        if !rest.starts_with('#') {
            return None;
        }
        return Some(Directive {
            span: at - 1..at + 2 + close + 2,
            sigil: '\\',
            name: "",
            args: "",
        });
    }
    let inner_start = at + 2;
    let trimmed = text[inner_start..].trim_start();
    let sigil = trimmed.chars().next().filter(|c| *c == '#' || *c == '%')?;
    let name_start = text.len() - trimmed.len() + 1;
    let name_len = text[name_start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len() - name_start);
    let close = text[name_start..].find('}').map(|i| name_start + i)?;
    if name_len == 0 || !text[close..].starts_with("}}") || close < name_start + name_len {
        return None;
    }
    let name = &text[name_start..name_start + name_len];
    let args = &text[name_start + name_len..close];
    // mdBook wants whitespace between the name and its arguments.
    if sigil == '#' && !args.starts_with(char::is_whitespace) {
        return None;
    }
    Some(Directive {
        span: at..close + 2,
        sigil,
        name,
        args,
    })
}

/// The lines of `text` a directive selects, and the 1-based line of the first one;
/// `None` when a named anchor is not in the file.
fn select(name: &str, text: &str, selector: Option<&str>) -> Option<(String, u32)> {
    let rustdoc = name == "rustdoc_include";
    match parse_selector(selector) {
        Selector::Lines(range) if rustdoc => Some((rustdoc_lines(text, &range), 1)),
        Selector::Lines(range) => {
            let start = range.start;
            let lines: Vec<&str> = text
                .lines()
                .skip(start)
                .take(range.end.saturating_sub(start))
                .collect();
            Some((lines.join("\n"), start as u32 + 1))
        }
        Selector::Anchor(anchor) => anchored(text, anchor, rustdoc),
    }
}

enum Selector<'a> {
    /// 0-based, end exclusive (`usize::MAX` for "to the end").
    Lines(Range<usize>),
    Anchor(&'a str),
}

/// mdBook's `parse_range_or_anchor`: `N` (line N), `N:M`, `N:`, `:M`, or an anchor name.
fn parse_selector(selector: Option<&str>) -> Selector<'_> {
    let mut parts = selector.unwrap_or("").splitn(3, ':');
    let first = parts.next();
    let start = match first {
        Some(s) if s.parse::<usize>().is_ok() => {
            s.parse::<usize>().ok().map(|n| n.saturating_sub(1))
        }
        Some("") | None => None,
        Some(anchor) => return Selector::Anchor(anchor),
    };
    let end = parts.next().map(str::parse::<usize>);
    Selector::Lines(match (start, end) {
        (Some(s), Some(Ok(e))) => s..e,
        (Some(s), Some(Err(_))) => s..usize::MAX,
        (Some(s), None) => s..s + 1,
        (None, Some(Ok(e))) => 0..e,
        (None, _) => 0..usize::MAX,
    })
}

/// The anchor name a line opens (`ANCHOR: name`) or closes (`ANCHOR_END: name`).
fn anchor_of<'l>(line: &'l str, marker: &str) -> Option<&'l str> {
    let at = line.find(marker)? + marker.len();
    let rest = line[at..].trim_start();
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (len > 0).then(|| &rest[..len])
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, other anchor lines removed;
/// for `rustdoc_include`, every line, those outside the anchor hidden as `# ` lines.
fn anchored(text: &str, anchor: &str, rustdoc: bool) -> Option<(String, u32)> {
    let mut out: Vec<String> = Vec::new();
    let (mut inside, mut found, mut first) = (false, false, 1);
    for (i, l) in text.lines().enumerate() {
        let start = anchor_of(l, "ANCHOR:");
        let end = anchor_of(l, "ANCHOR_END:");
        if inside {
            if end == Some(anchor) {
                inside = false;
                if !rustdoc {
                    break;
                }
            } else if start.is_none() && end.is_none() {
                out.push(l.to_owned());
            }
        } else if start == Some(anchor) {
            inside = true;
            if !found {
                first = if rustdoc { 1 } else { i as u32 + 2 };
            }
            found = true;
        } else if rustdoc && start.is_none() && end.is_none() {
            out.push(format!("# {l}"));
        }
    }
    found.then(|| (out.join("\n"), first))
}

/// mdBook's `take_rustdoc_include_lines`: the lines outside `range` kept as hidden `# `
/// lines, so the code still compiles and a reader can show them.
fn rustdoc_lines(text: &str, range: &Range<usize>) -> String {
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if range.contains(&i) {
                l.to_owned()
            } else {
                format!("# {l}")
            }
        })
        .collect();
    lines.join("\n")
}

/// `{{#playground file attrs…}}`: the file as a Rust code block with its attributes.
fn playground<'a>(text: &str, attrs: impl Iterator<Item = &'a str>) -> String {
    let attrs: Vec<&str> = attrs.collect();
    let info = if attrs.is_empty() {
        "rust".to_owned()
    } else {
        format!("rust,{}", attrs.join(","))
    };
    let nl = if text.ends_with('\n') { "" } else { "\n" };
    format!("```{info}\n{text}{nl}```\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(name: &str, text: &str, sel: Option<&str>) -> String {
        select(name, text, sel).expect("selected").0
    }

    const FILE: &str = "a\nb\nc\nd\ne";

    #[test]
    fn the_rust_books_listings_become_a_file_name_and_a_caption_line_for_line() {
        let body = "Text\n<Listing number=\"2-1\" file-name=\"src/main.rs\" caption=\"Getting a `guess`\">\n\n```rust\nfn main() {}\n```\n\n</Listing>\n";
        let out = listings(body).expect("a listing");
        assert_eq!(
            out,
            "Text\nFilename: `src/main.rs`\n\n```rust\nfn main() {}\n```\n\n**Listing 2-1:** Getting a `guess`\n"
        );
        assert_eq!(out.lines().count(), body.lines().count());
        assert!(listings("no listings here").is_none());
    }

    #[test]
    fn line_selectors_follow_mdbook() {
        assert_eq!(lines("include", FILE, None), FILE);
        assert_eq!(lines("include", FILE, Some("2")), "b");
        assert_eq!(lines("include", FILE, Some("2:4")), "b\nc\nd");
        assert_eq!(lines("include", FILE, Some(":2")), "a\nb");
        assert_eq!(lines("include", FILE, Some("4:")), "d\ne");
    }

    #[test]
    fn anchors_select_their_lines_without_any_anchor_line() {
        let text = "x\n// ANCHOR: all\none\n// ANCHOR: inner\ntwo\n// ANCHOR_END: inner\n// ANCHOR_END: all\ny";
        assert_eq!(lines("include", text, Some("all")), "one\ntwo");
        assert_eq!(lines("include", text, Some("inner")), "two");
        assert!(select("include", text, Some("nope")).is_none());
    }

    #[test]
    fn rustdoc_include_hides_the_unselected_lines() {
        assert_eq!(
            lines("rustdoc_include", FILE, Some("2:3")),
            "# a\nb\nc\n# d\n# e"
        );
        let text = "use x;\n// ANCHOR: here\nfn main() {}\n// ANCHOR_END: here\n";
        assert_eq!(
            lines("rustdoc_include", text, Some("here")),
            "# use x;\nfn main() {}"
        );
    }

    #[test]
    fn directives_are_recognized_as_mdbook_does() {
        let d = directive("{{#include a.rs:2}}", 0).expect("a directive");
        assert_eq!((d.sigil, d.name, d.args.trim()), ('#', "include", "a.rs:2"));
        assert!(directive("{{#include}}", 0).is_none());
        assert!(directive("{{ x }}", 0).is_none());
        let d = directive("{{%segment outline}}", 0).expect("another tool's directive");
        assert_eq!((d.sigil, d.name), ('%', "segment"));
        let d = directive(r"\{{#include a.rs}}", 1).expect("an escape");
        assert_eq!((d.sigil, d.span), ('\\', 0..18));
    }

    #[test]
    fn every_file_a_directive_names_is_recorded_read_or_missing_nested_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("src/a.md", "");
        write("listings/x.rs", "fn x() {}\n");
        write(
            "listings/part.md",
            "{{#include x.rs}}\n{{#include y.txt}}\n",
        );
        write("real/z.txt", "z\n");
        std::os::unix::fs::symlink("../real", dir.path().join("src/linked")).unwrap();
        let text = "{{#include ../listings/part.md}}\n{{#rustdoc_include ../listings/x.rs:1}}\n\
                    {{#include linked/z.txt}}\n\\{{#include escaped.rs}}\n{{#include ../../out.rs}}\n";
        let (mut lesson, _) = crate::lesson::parse_lenient(
            Path::new("src/a.md"),
            text.as_bytes(),
            crate::lesson::Lenient {
                id_path: Path::new("a.md"),
                title: None,
            },
        )
        .map(|(l, w, _)| (l, w))
        .unwrap();
        let folder = Folder::new(dir.path());
        let found = expand_lesson(&folder, &mut lesson);
        let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["include-missing", "include-outside"]);
        let named: Vec<String> = lesson.includes.iter().map(|p| slash_path(p)).collect();
        // Nested (`x.rs` through `part.md`), missing (`y.txt`), and a file reached
        // through a link inside the folder under both its names; never an escaped
        // directive or a path out of the folder.
        assert_eq!(
            named,
            [
                "listings/part.md",
                "listings/x.rs",
                "listings/y.txt",
                "real/z.txt",
                "src/linked/z.txt"
            ]
        );
    }

    #[test]
    fn the_source_map_names_the_included_file_and_line() {
        let map = SourceMap {
            segments: vec![
                Segment {
                    out_line: 1,
                    path: None,
                    line: 1,
                },
                Segment {
                    out_line: 3,
                    path: Some(PathBuf::from("x.rs")),
                    line: 10,
                },
                Segment {
                    out_line: 5,
                    path: None,
                    line: 4,
                },
            ],
            files: BTreeSet::new(),
        };
        let own = Path::new("a.md");
        assert_eq!(map.locate(2, own), (PathBuf::from("a.md"), 2));
        assert_eq!(map.locate(4, own), (PathBuf::from("x.rs"), 11));
        assert_eq!(map.locate(6, own), (PathBuf::from("a.md"), 5));
    }
}
