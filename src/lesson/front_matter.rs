//! Front matter: the YAML block between the first line `---` and the next `---`.
//!
//! Parsed with `serde-saphyr` into a map of *spanned* keys and values, so that every
//! diagnostic (a bad type, an unknown key, a broken link found later by `course`) can
//! point at the exact line and column in the lesson file.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;
use serde_saphyr::Spanned;

use crate::diagnostic::Diagnostic;

/// The keys the lesson format defines. Others are kept and warned about.
pub const KNOWN_KEYS: &[&str] = &[
    "id",
    "title",
    "type",
    "duration",
    "order",
    "section",
    "prevLessonId",
    "nextLessonId",
];

/// Where a key's value sits in the lesson file (1-based).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// 1-based line in the lesson file.
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
}

/// One front matter entry: key, value, and where both are.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) key_pos: Pos,
    pub(crate) value: Value,
    pub(crate) value_pos: Pos,
}

/// The raw split of a file into front matter and body.
pub(crate) struct Split<'a> {
    /// The YAML text, without the `---` lines.
    pub(crate) yaml: &'a str,
    /// Byte offset in the text where the body starts.
    pub(crate) body_offset: usize,
    /// 1-based line in the file where the body starts.
    pub(crate) body_line: u32,
}

/// Finds the front matter. `text` has LF line endings and no BOM.
pub(crate) fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::error(
            path,
            1,
            1,
            "front-matter-missing",
            format!(
                "expected front matter starting with `---` on the first line, found `{}`; add `---`, `id: …`, `title: …`, `---` at the top",
                crate::text::truncate(first, 40)
            ),
        )
        .with_source(text));
    }
    let yaml_start = first.len() + 1;
    let mut offset = yaml_start.min(text.len());
    for (line_no, line) in (2u32..).zip(text[offset..].split_inclusive('\n')) {
        let content = line.trim_end_matches('\n');
        if content.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start.min(offset)..offset],
                body_offset: offset + line.len(),
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        1,
        1,
        "front-matter-unterminated",
        "front matter opened with `---` here is never closed; add a line `---` after the last key",
    )
    .with_source(text))
}

/// Why a YAML block could not be read, at a 1-based line and column of the file.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub(crate) line: u32,
    pub(crate) column: u32,
    /// serde-saphyr's message, cleaned up (see [`yaml_message`]).
    pub(crate) message: String,
}

/// Parses a YAML mapping into entries ordered as written, with the file positions of
/// keys and values. `line_offset` is the number of file lines before the YAML.
pub(crate) fn entries(yaml: &str, line_offset: u32) -> Result<Vec<Entry>, YamlError> {
    if yaml.trim().is_empty() {
        return Ok(Vec::new());
    }
    let parsed: Result<HashMap<Spanned<String>, Spanned<Value>>, _> = serde_saphyr::from_str(yaml);
    match parsed {
        Ok(map) => {
            let mut entries: Vec<Entry> = map
                .into_iter()
                .map(|(k, v)| Entry {
                    key_pos: Pos {
                        line: k.referenced.line() as u32 + line_offset,
                        column: k.referenced.column() as u32,
                    },
                    key: k.value,
                    value_pos: Pos {
                        line: v.referenced.line() as u32 + line_offset,
                        column: v.referenced.column() as u32,
                    },
                    value: v.value,
                })
                .collect();
            entries.sort_by_key(|e| (e.key_pos.line, e.key_pos.column));
            Ok(entries)
        }
        Err(e) => {
            // An unclosed `[` or `{` is reported where the parser gave up (often the end
            // of the block, the line after the typo): point at the bracket instead.
            let at = e.location().map(|l| (l.line() as u32, l.column() as u32));
            let (line, column) = unclosed_flow(yaml)
                .filter(|bracket| at.is_none_or(|at| *bracket <= at))
                .or(at)
                .map(|(l, c)| (l + line_offset, c))
                .unwrap_or((1 + line_offset, 1));
            Err(YamlError {
                line,
                column,
                message: yaml_message(&e.to_string()),
            })
        }
    }
}

/// The 1-based line and column of the first flow collection (`[` or `{`) the YAML
/// never closes, if any: brackets inside quotes and comments do not count, nor in a
/// plain scalar (`a[1]`, where a bracket does not start a collection).
fn unclosed_flow(yaml: &str) -> Option<(u32, u32)> {
    let mut open: Vec<(u32, u32)> = Vec::new();
    let mut quote: Option<char> = None;
    for (line_no, line) in (1u32..).zip(yaml.lines()) {
        let mut prev = ' ';
        for (col, ch) in (1u32..).zip(line.chars()) {
            match quote {
                Some(q) if ch == q => quote = None,
                Some(_) => {}
                None => match ch {
                    '"' | '\'' if matches!(prev, ' ' | ':' | ',' | '[' | '{' | '-') => {
                        quote = Some(ch);
                    }
                    '#' if prev == ' ' => break,
                    '[' | '{' if open.is_empty() && !matches!(prev, ' ' | ':' | '-') => {}
                    '[' | '{' => open.push((line_no, col)),
                    ']' | '}' => {
                        open.pop();
                    }
                    _ => {}
                },
            }
            prev = ch;
        }
    }
    open.first().copied()
}

/// Parses the YAML of a front matter into entries ordered as written.
/// `line_offset` is the number of file lines before the YAML (1 for the opening `---`).
pub(crate) fn parse(
    path: &Path,
    text: &str,
    yaml: &str,
    line_offset: u32,
) -> Result<Vec<Entry>, Diagnostic> {
    entries(yaml, line_offset).map_err(|e| {
        let source_line = text.lines().nth(e.line as usize - 1).unwrap_or("");
        let (code, message) = match non_finite_key(&e.message, source_line) {
            Some(key) => (
                "front-matter-type",
                format!("`{key}` is not a finite number; write a whole number such as `3`"),
            ),
            None => (
                "front-matter-syntax",
                format!("front matter is not valid YAML: {}", e.message),
            ),
        };
        Diagnostic::error(path, e.line, e.column, code, message).with_source(text)
    })
}

/// The key of a front matter line whose value YAML read as infinity or NaN (`order:
/// .inf`): a type problem, not a syntax one.
fn non_finite_key<'a>(message: &str, line: &'a str) -> Option<&'a str> {
    if !message.contains("non-finite float") {
        return None;
    }
    line.split_once(':').map(|(k, _)| k.trim())
}

/// serde-saphyr's `Display` is `error: line L column C: message` followed by a
/// snippet; we print our own snippet, so keep only the message. Internal wording (a
/// resource budget's debug form) becomes a sentence.
pub(crate) fn yaml_message(display: &str) -> String {
    let first = display.lines().next().unwrap_or(display);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let msg = match first.find(": ") {
        Some(i) if first[..i].starts_with("line ") => &first[i + 2..],
        _ => first,
    };
    let msg = msg.split(", set DuplicateKeyPolicy").next().unwrap_or(msg);
    if msg.starts_with("budget breached") {
        return if msg.contains("Depth") {
            "it nests more than 64 levels deep; flatten it".to_owned()
        } else {
            "it is larger than Lectern reads (too many values, aliases or anchors); simplify it"
                .to_owned()
        };
    }
    msg.trim_end_matches('.').to_owned()
}

/// The known key an unknown one was probably meant to be, if any is close.
pub fn suggest_key(unknown: &str) -> Option<&'static str> {
    let lower = unknown.to_ascii_lowercase().replace(['_', '-'], "");
    KNOWN_KEYS
        .iter()
        .copied()
        .map(|k| {
            let kl = k.to_ascii_lowercase();
            let score = if kl == lower {
                1.0
            } else {
                strsim::jaro_winkler(&kl, &lower)
            };
            (k, score)
        })
        .filter(|(_, s)| *s >= 0.85)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelled_keys_get_a_suggestion() {
        assert_eq!(suggest_key("prevLessonID"), Some("prevLessonId"));
        assert_eq!(suggest_key("prev_lesson_id"), Some("prevLessonId"));
        assert_eq!(suggest_key("titel"), Some("title"));
        assert_eq!(suggest_key("durration"), Some("duration"));
        assert_eq!(suggest_key("author"), None);
    }

    #[test]
    fn yaml_errors_keep_only_the_message() {
        assert_eq!(
            yaml_message("error: line 2 column 8: unclosed quote\n --> <input>:2:8\n"),
            "unclosed quote"
        );
    }

    #[test]
    fn positions_are_file_lines_not_yaml_lines() {
        let text = "---\nid: a\ntitle: \"b\n---\n";
        let s = split(Path::new("x.md"), text).unwrap();
        let err = parse(Path::new("x.md"), text, s.yaml, 1).unwrap_err();
        assert_eq!((err.line, err.column), (3, 8));
        assert_eq!(err.code, "front-matter-syntax");
    }

    #[test]
    fn an_unclosed_flow_sequence_is_reported_at_its_bracket_not_the_line_after() {
        let text = "---\nid: attention\ntitle: [Attention\nsection: models\n---\n# Body\n";
        let s = split(Path::new("x.md"), text).unwrap();
        let err = parse(Path::new("x.md"), text, s.yaml, 1).unwrap_err();
        assert_eq!((err.line, err.column), (3, 8), "{err:?}");
        assert_eq!(err.code, "front-matter-syntax");
    }

    #[test]
    fn an_unclosed_flow_mapping_on_an_earlier_line_is_found_past_later_keys() {
        let text = "---\nid: a\ntags: {one: 1\ntitle: \"[not a bracket\" # ] {\n---\n";
        let s = split(Path::new("x.md"), text).unwrap();
        let err = parse(Path::new("x.md"), text, s.yaml, 1).unwrap_err();
        assert_eq!((err.line, err.column), (3, 7), "{err:?}");
    }

    #[test]
    fn brackets_inside_plain_words_quotes_and_comments_are_not_collections() {
        assert_eq!(unclosed_flow("title: a[1]\nnote: \"[x\" # {y\n"), None);
        assert_eq!(unclosed_flow("list: [a, [b]]\n"), None);
        assert_eq!(unclosed_flow("list: [a, [b]\n"), Some((1, 7)));
    }

    #[test]
    fn split_finds_body_after_closing_line() {
        let text = "---\nid: a\n---\n# Hi\n";
        let s = split(Path::new("x.md"), text).unwrap();
        assert_eq!(s.yaml, "id: a\n");
        assert_eq!(&text[s.body_offset..], "# Hi\n");
        assert_eq!(s.body_line, 4);
    }
}
