//! Blanks in a Knowledge Check prompt: `[[Paris]]`, `[[byte-pair encoding | byte pair
//! encoding]]`, `[[0.75 ± 0.01]]`. A question whose prompt holds one is typed, one field
//! per blank.
//!
//! `[[` inside a code span, a code block or math keeps its meaning there (Rust's
//! `[[1, 2], [3]]`, a LaTeX matrix), so blanks are looked for only in the prompt's
//! text, found with the same Markdown parser as the rest of the lesson.
//!
//! Wherever a prompt is shown outside the quiz (search, `review due`, the dashboard)
//! it goes through [`hide`], so an answer never leaks.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::number::{self, BadNumber, NumberKey};

/// One blank as written: where it is in the prompt and what is between the brackets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RawBlank {
    /// The whole `[[…]]` in the prompt's Markdown.
    pub(super) span: Range<usize>,
    /// The text between the brackets.
    pub(super) inner: String,
}

/// What a blank accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlankKey {
    /// Any of these texts (the first is the form shown as the answer).
    Text(Vec<String>),
    /// A number.
    Number(NumberKey),
}

/// Why a blank cannot be graded (an error: the question is left out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum BadBlank {
    /// `[[ ]]`.
    Empty,
    /// `[[a | ]]`.
    EmptyAlternative,
    /// A number or range that cannot be one.
    Number(BadNumber),
}

/// The blanks of `prompt_md`, in order; none inside code or math.
pub(super) fn find(prompt_md: &str) -> Vec<RawBlank> {
    if !prompt_md.contains("[[") {
        return Vec::new();
    }
    let literal = literal_spans(prompt_md);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = prompt_md[from..].find("[[").map(|i| i + from) {
        let Some(close) = prompt_md[open + 2..].find("]]").map(|i| i + open + 2) else {
            break;
        };
        let inner = &prompt_md[open + 2..close];
        let inside_literal = literal.iter().any(|r| r.contains(&open));
        if inside_literal || inner.contains('\n') || inner.contains("[[") {
            from = open + 2;
            continue;
        }
        out.push(RawBlank {
            span: open..close + 2,
            inner: inner.to_owned(),
        });
        from = close + 2;
    }
    out
}

/// Byte ranges of the prompt where `[[` is literal: code spans, code blocks, math.
fn literal_spans(md: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(md, crate::render::parser_options()).into_offset_iter() {
        match event {
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => spans.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    spans.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    spans
}

/// The key of one blank: a number when its text is numeric, else its alternatives.
pub(super) fn key(inner: &str) -> Result<BlankKey, BadBlank> {
    if inner.trim().is_empty() {
        return Err(BadBlank::Empty);
    }
    if let Some(parsed) = number::parse_key(inner) {
        return parsed.map(BlankKey::Number).map_err(BadBlank::Number);
    }
    let alternatives: Vec<String> = inner.split('|').map(|a| a.trim().to_owned()).collect();
    if alternatives.iter().any(String::is_empty) {
        return Err(BadBlank::EmptyAlternative);
    }
    Ok(BlankKey::Text(alternatives))
}

/// `prompt_md` with each blank replaced by `with(n)` (n from 0).
pub(super) fn replace(
    prompt_md: &str,
    blanks: &[RawBlank],
    with: impl Fn(usize) -> String,
) -> String {
    let mut out = String::with_capacity(prompt_md.len());
    let mut copied = 0;
    for (n, b) in blanks.iter().enumerate() {
        out.push_str(&prompt_md[copied..b.span.start]);
        out.push_str(&with(n));
        copied = b.span.end;
    }
    out.push_str(&prompt_md[copied..]);
    out
}

/// The prompt as shown outside the quiz: every blank `___`, so no answer leaks.
pub fn hide(prompt_md: &str) -> String {
    let blanks = find(prompt_md);
    if blanks.is_empty() {
        return prompt_md.to_owned();
    }
    replace(prompt_md, &blanks, |_| "___".to_owned())
}

/// A token no author writes (private-use characters), standing for blank `n` while
/// the prompt is rendered.
fn token(n: usize) -> String {
    format!("\u{e000}{n}\u{e001}")
}

/// The prompt rendered, each blank an empty `<span class="q-blank" data-blank="n">`
/// where the window puts the blank's field. The span is Lectern's own markup, built
/// after the sanitizer from a number only.
pub(super) fn prompt_html(prompt_md: &str, blanks: &[RawBlank]) -> String {
    let mut html = crate::render::inline_html(&replace(prompt_md, blanks, token));
    for n in 0..blanks.len() {
        html = html.replace(
            &token(n),
            &format!("<span class=\"q-blank\" data-blank=\"{n}\">___</span>"),
        );
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inners(md: &str) -> Vec<String> {
        find(md).into_iter().map(|b| b.inner).collect()
    }

    #[test]
    fn blanks_are_found_in_text_but_not_in_code_or_math() {
        assert_eq!(inners("The capital of France is [[Paris]]."), ["Paris"]);
        assert_eq!(inners("[[a | b]] and [[42]]"), ["a | b", "42"]);
        assert!(inners("Index it with `v[[0]]`").is_empty());
        assert!(inners("A matrix $[[1]]$ here").is_empty());
        assert!(inners("Code:\n\n```rust\nlet v = [[1, 2]];\n```\n").is_empty());
        assert_eq!(inners("`[[x]]` then [[y]]"), ["y"]);
        assert!(inners("no blanks [here] or [[unclosed").is_empty());
    }

    #[test]
    fn a_blank_is_text_alternatives_or_a_number() {
        assert_eq!(
            key("byte-pair encoding | byte pair encoding"),
            Ok(BlankKey::Text(vec![
                "byte-pair encoding".into(),
                "byte pair encoding".into()
            ]))
        );
        assert_eq!(key("42"), Ok(BlankKey::Number(NumberKey::Exact(42.0))));
        assert_eq!(key("  "), Err(BadBlank::Empty));
        assert_eq!(key("a | "), Err(BadBlank::EmptyAlternative));
        assert!(matches!(key("5..3"), Err(BadBlank::Number(_))));
    }

    #[test]
    fn hidden_prompts_show_every_blank_as_underscores() {
        assert_eq!(
            hide("Paris is in [[France]], [[Europe | EU]]."),
            "Paris is in ___, ___."
        );
        assert_eq!(hide("`[[x]]` stays"), "`[[x]]` stays");
    }

    #[test]
    fn the_rendered_prompt_holds_a_field_slot_per_blank_and_no_answer() {
        let md = "The capital of *France* is [[Paris]].";
        let html = prompt_html(md, &find(md));
        assert_eq!(
            html,
            "The capital of <em>France</em> is <span class=\"q-blank\" data-blank=\"0\">___</span>."
        );
    }
}
