//! The lesson's plain text: the one text annotations are anchored in, made by the core
//! and shared with the window so a selection's offsets and an anchor's agree.
//!
//! It is the concatenation of the text nodes of the rendered, sanitized lesson HTML —
//! what the DOM's `textContent` of the lesson body gives, before the window decorates
//! it (the window walks the same text nodes and skips the controls it adds). The HTML
//! is read with html5ever's tokenizer, the parser the sanitizer (ammonia) already
//! uses, so entities decode as a browser decodes them; the one tree-building rule that
//! changes text — a newline right after `<pre>`, `<listing>` or `<textarea>` is dropped
//! — is applied here too. The sanitizer's output is a serialized tree, so no other
//! tree-building rule (foster parenting, implied elements) can move text.
//!
//! Offsets in the core are byte offsets; the window counts UTF-16 code units
//! ([`Utf16`] converts between them).

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The plain text of sanitized lesson HTML (see the module documentation).
pub fn plain_text(html: &str) -> String {
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Text::default(), TokenizerOpts::default());
    // The sink never asks the tokenizer to stop for a script, so one feed reads all.
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.out.take()
}

#[derive(Default)]
struct Text {
    out: RefCell<String>,
    /// The last token was the start tag of an element whose first newline the HTML
    /// parser drops.
    after_pre: Cell<bool>,
}

impl TokenSink for Text {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => self.after_pre.set(
                tag.kind == TagKind::StartTag
                    && matches!(&*tag.name, "pre" | "listing" | "textarea"),
            ),
            Token::CharacterTokens(t) => {
                let s: &str = &t;
                let s = if self.after_pre.replace(false) {
                    s.strip_prefix('\n').unwrap_or(s)
                } else {
                    s
                };
                self.out.borrow_mut().push_str(s);
            }
            Token::ParseError(_) => {}
            _ => self.after_pre.set(false),
        }
        TokenSinkResult::Continue
    }
}

/// Byte offsets ↔ UTF-16 code units in one text (JavaScript strings and DOM ranges
/// count UTF-16 units). Built once per text; each conversion is a binary search.
#[derive(Clone, Debug)]
pub struct Utf16 {
    /// (byte offset, UTF-16 offset) at the start of each non-ASCII character and at
    /// the end: between two entries both advance one per byte.
    marks: Vec<(usize, usize)>,
}

impl Utf16 {
    /// Indexes `text`.
    pub fn new(text: &str) -> Utf16 {
        let mut marks = vec![(0, 0)];
        let mut units = 0;
        let mut last = 0;
        for (at, c) in text.char_indices() {
            if !c.is_ascii() {
                units += at - last;
                marks.push((at, units));
                units += c.len_utf16();
                last = at + c.len_utf8();
                marks.push((last, units));
            }
        }
        Utf16 { marks }
    }

    /// The UTF-16 offset of byte offset `byte` (a character boundary).
    pub fn to_utf16(&self, byte: usize) -> usize {
        let i = self.marks.partition_point(|m| m.0 <= byte) - 1;
        let (b, u) = self.marks[i];
        u + (byte - b)
    }

    /// The byte offset of UTF-16 offset `unit`, rounded down to a character boundary
    /// when it falls inside one.
    pub fn to_byte(&self, unit: usize) -> usize {
        let i = self.marks.partition_point(|m| m.1 <= unit) - 1;
        let (b, u) = self.marks[i];
        // Inside a non-ASCII character (between its two marks) round down to its start.
        match self.marks.get(i + 1) {
            Some(&(nb, nu)) if nu - u != nb - b && unit > u => b,
            _ => b + (unit - u),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_the_text_nodes_in_order_with_entities_decoded() {
        let html = "<h2 id=\"a\">Scaled &amp; masked</h2>\n<p>Use <code>softmax(x)</code> &lt;here&gt;.</p>";
        assert_eq!(plain_text(html), "Scaled & masked\nUse softmax(x) <here>.");
    }

    #[test]
    fn a_newline_right_after_pre_is_dropped_as_the_browser_drops_it() {
        assert_eq!(plain_text("<pre>\nfn main() {}\n</pre>"), "fn main() {}\n");
        assert_eq!(plain_text("<pre><code>\nx</code></pre>"), "\nx");
        assert_eq!(plain_text("<p>\nnot pre</p>"), "\nnot pre");
    }

    #[test]
    fn mathml_text_counts_like_any_other_text() {
        let html = "<p>a <math><mi>x</mi><mo>+</mo><mn>1</mn></math> b</p>";
        assert_eq!(plain_text(html), "a x+1 b");
    }

    #[test]
    fn utf16_offsets_round_trip_through_non_ascii_and_astral_characters() {
        let text = "aé😀b";
        let u = Utf16::new(text);
        let bytes = [0, 1, 3, 7, 8];
        let units = [0, 1, 2, 4, 5];
        for (b, w) in bytes.iter().zip(units) {
            assert_eq!(u.to_utf16(*b), w, "byte {b}");
            assert_eq!(u.to_byte(w), *b, "unit {w}");
        }
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(u.to_byte(3), 3);
        assert_eq!("aé😀b".encode_utf16().count(), 5);
    }

    #[test]
    fn utf16_of_ascii_text_is_the_byte_offset() {
        let u = Utf16::new("plain ascii");
        assert_eq!((u.to_utf16(6), u.to_byte(6)), (6, 6));
    }
}
