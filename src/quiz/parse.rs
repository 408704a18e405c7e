//! The Knowledge Check section's Markdown → raw questions (prompt, options, markers,
//! explanation, offsets), with no judgement: checks and the seed rule come later.
//!
//! Structure comes from pulldown-cmark's events, so any valid way of writing a list works
//! (`1.`/`1)` items, `-`/`*`/`+` bullets, lazy continuation lines, loose or tight lists);
//! text comes from the source slices the events point at, so prompts and options keep
//! their inline Markdown for rendering.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

/// One item of the Knowledge Check's ordered list, as written.
#[derive(Debug)]
pub(super) struct RawQuestion {
    /// Offset of the item's marker in the section.
    pub(super) offset: usize,
    /// Everything before the options, dedented and trimmed; empty if there is nothing.
    pub(super) prompt_md: String,
    pub(super) options: Vec<RawOption>,
    /// The item has a nested *numbered* list but no bullet list (a likely slip).
    pub(super) numbered_options: bool,
    /// The first blockquote in the item (or inside one of its options), `>` removed.
    pub(super) explanation_md: Option<String>,
    /// Offsets of blockquotes that are not after the last option (inside an earlier
    /// option, or a second one): a likely slip, since only one explanation is shown.
    pub(super) misplaced_quotes: Vec<usize>,
    /// Offsets of lists nested inside an option: an option is one line of text, so
    /// they are not shown.
    pub(super) nested_lists: Vec<usize>,
    /// The item has no options, and a bullet list follows the numbered list right after
    /// it: options indented less than the question's text (`10. ` needs four spaces).
    pub(super) options_underindented: bool,
    /// The blanks of the prompt: a typed question when there are any.
    pub(super) blanks: Vec<super::blank::RawBlank>,
}

/// One item of a question's bullet list.
#[derive(Debug)]
pub(super) struct RawOption {
    /// Offset of the option's bullet in the section.
    pub(super) offset: usize,
    /// The option's Markdown, marker removed, dedented and trimmed.
    pub(super) md: String,
    /// `Some(true)` for `[x]`, `Some(false)` for `[ ]`, `None` for no marker.
    pub(super) marker: Option<bool>,
    /// Offset of a list nested in the option, if any (it is not shown).
    pub(super) nested_list: Option<usize>,
    /// Offset of a blockquote inside the option, if any.
    pub(super) quote: Option<usize>,
    /// The option's feedback: a blockquote under it beginning `If chosen:`, that
    /// prefix removed.
    pub(super) feedback_md: Option<String>,
}

/// Parses `section` (the Knowledge Check, heading included) into its questions.
///
/// Every top-level ordered list in the section contributes its items, so a paragraph
/// between questions or a switch from `1.` to `1)` (which starts a new list) loses none.
pub(super) fn raw_questions(section: &str) -> Vec<RawQuestion> {
    // The same extensions as the body, so a question reads as the rest of the lesson does.
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(section, crate::render::parser_options())
            .into_offset_iter()
            .collect();
    let tree = Tree::new(section, events);
    let mut questions: Vec<RawQuestion> = Vec::new();
    let mut after_numbered = false;
    for node in tree.children(None) {
        match tree.tag(node) {
            Some(Tag::List(Some(_))) => {
                for item in tree.children(Some(node)) {
                    questions.push(tree.question(item));
                }
                after_numbered = true;
                continue;
            }
            // A bullet list straight after a numbered list whose last question has no
            // options: those are its options, indented too little to belong to it.
            Some(Tag::List(None)) if after_numbered => {
                if let Some(last) = questions.last_mut().filter(|q| q.options.is_empty()) {
                    last.options_underindented = true;
                }
            }
            _ => {}
        }
        after_numbered = false;
    }
    questions
}

/// The event list with each `Start` matched to its `End`, walked as a tree.
struct Tree<'a> {
    source: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    /// For a `Start` at index i, the index of its `End`; for anything else, i.
    close: Vec<usize>,
}

impl<'a> Tree<'a> {
    fn new(source: &'a str, events: Vec<(Event<'a>, Range<usize>)>) -> Self {
        let mut close: Vec<usize> = (0..events.len()).collect();
        let mut stack = Vec::new();
        for (i, (event, _)) in events.iter().enumerate() {
            match event {
                Event::Start(_) => stack.push(i),
                Event::End(_) => {
                    if let Some(open) = stack.pop() {
                        close[open] = i;
                    }
                }
                _ => {}
            }
        }
        Tree {
            source,
            events,
            close,
        }
    }

    fn tag(&self, node: usize) -> Option<&Tag<'a>> {
        match &self.events[node].0 {
            Event::Start(tag) => Some(tag),
            _ => None,
        }
    }

    fn range(&self, node: usize) -> Range<usize> {
        self.events[node].1.clone()
    }

    /// The direct children of `parent` (a `Start` index), or the top-level nodes.
    fn children(&self, parent: Option<usize>) -> Vec<usize> {
        let (mut i, end) = match parent {
            Some(p) => (p + 1, self.close[p]),
            None => (0, self.events.len()),
        };
        let mut kids = Vec::new();
        while i < end {
            kids.push(i);
            i = self.close[i] + 1;
        }
        kids
    }

    fn question(&self, item: usize) -> RawQuestion {
        let kids = self.children(Some(item));
        // The prompt is what precedes the first list or blockquote.
        let split = kids
            .iter()
            .position(|&k| matches!(self.tag(k), Some(Tag::List(_) | Tag::BlockQuote(_))))
            .unwrap_or(kids.len());
        let prompt_md = self.text_of(&kids[..split], None);

        let mut options: Vec<RawOption> = Vec::new();
        let mut numbered_options = false;
        // Every blockquote of the item in order: (offset, text, inside option n).
        let mut quotes: Vec<(usize, String, Option<usize>)> = Vec::new();
        for &kid in &kids[split..] {
            match self.tag(kid) {
                Some(Tag::List(None)) => {
                    for option in self.children(Some(kid)) {
                        let (raw, quote) = self.option(option);
                        if let (Some(at), Some(text)) = (raw.quote, quote) {
                            quotes.push((at, text, Some(options.len())));
                        }
                        options.push(raw);
                    }
                }
                Some(Tag::List(Some(_))) => numbered_options = true,
                Some(Tag::BlockQuote(_)) => {
                    quotes.push((self.range(kid).start, self.unquote(kid), None));
                }
                _ => {}
            }
        }
        let last_option = options.len().checked_sub(1);
        let last_option_offset = options.last().map_or(0, |o| o.offset);
        // The explanation is the first blockquote; any blockquote before the last
        // option, or a second one, is reported.
        let misplaced_quotes = quotes
            .iter()
            .enumerate()
            .filter(|(i, (at, _, inside))| {
                *i > 0 || (inside.is_some() && *inside != last_option) || *at < last_option_offset
            })
            .map(|(_, (at, _, _))| *at)
            .collect();
        RawQuestion {
            offset: self.range(item).start,
            blanks: super::blank::find(&prompt_md),
            prompt_md,
            numbered_options: numbered_options && options.is_empty(),
            nested_lists: options.iter().filter_map(|o| o.nested_list).collect(),
            options,
            explanation_md: quotes.into_iter().next().map(|(_, text, _)| text),
            misplaced_quotes,
            options_underindented: false,
        }
    }

    /// One option item, and the explanation if the author put the blockquote inside it.
    fn option(&self, item: usize) -> (RawOption, Option<String>) {
        let kids = self.children(Some(item));
        let split = kids
            .iter()
            .position(|&k| matches!(self.tag(k), Some(Tag::List(_) | Tag::BlockQuote(_))))
            .unwrap_or(kids.len());
        // The task-list marker is the first leaf of the item (inside its first paragraph
        // when the list is loose).
        let first_leaf =
            (item + 1..self.close[item]).find(|&i| !matches!(self.events[i].0, Event::Start(_)));
        let (mut marker, skip_to) = match first_leaf.map(|i| (&self.events[i].0, i)) {
            Some((Event::TaskListMarker(checked), i)) => (Some(*checked), Some(self.range(i).end)),
            _ => (None, None),
        };
        let mut md = self.text_of(&kids[..split], skip_to);
        // A marker pulldown-cmark did not take (e.g. `- [x]` with nothing after it).
        if marker.is_none() {
            if let Some((checked, rest)) = strip_marker(&md) {
                marker = Some(checked);
                md = rest.trim().to_owned();
            }
        }
        let quote = kids[split..]
            .iter()
            .find(|&&k| matches!(self.tag(k), Some(Tag::BlockQuote(_))));
        let quoted = quote.map(|&k| self.unquote(k));
        // `If chosen:` makes the blockquote this option's feedback, not the explanation.
        let feedback_md = quoted
            .as_deref()
            .and_then(|t| t.strip_prefix(FEEDBACK_PREFIX))
            .map(|t| t.trim().to_owned());
        let quote = quote.filter(|_| feedback_md.is_none());
        let nested_list = kids[split..]
            .iter()
            .find(|&&k| matches!(self.tag(k), Some(Tag::List(_))))
            .map(|&k| self.range(k).start);
        (
            RawOption {
                offset: self.range(item).start,
                md,
                marker,
                nested_list,
                quote: quote.map(|&k| self.range(k).start),
                feedback_md,
            },
            quoted.filter(|_| quote.is_some()),
        )
    }

    /// The source of `nodes` (consecutive siblings), starting at `from` if given,
    /// dedented to the first node's column and trimmed.
    fn text_of(&self, nodes: &[usize], from: Option<usize>) -> String {
        let (Some(&first), Some(&last)) = (nodes.first(), nodes.last()) else {
            return String::new();
        };
        let start = from
            .unwrap_or(self.range(first).start)
            .max(self.range(first).start);
        let end = self.range(last).end.max(start);
        let Some(slice) = self.source.get(start..end) else {
            return String::new();
        };
        let indent = column_of(self.source, self.range(first).start);
        dedent(slice, indent).trim().to_owned()
    }

    /// A blockquote's Markdown with its `>` markers removed.
    fn unquote(&self, quote: usize) -> String {
        let Some(slice) = self.source.get(self.range(quote)) else {
            return String::new();
        };
        slice
            .lines()
            .map(|line| {
                let line = line.trim_start();
                match line.strip_prefix('>') {
                    Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
                    None => line,
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }
}

/// What begins a blockquote under an option that is that option's feedback.
pub(super) const FEEDBACK_PREFIX: &str = "If chosen:";

/// `[x] rest`, `[X] rest` or `[ ] rest` → (checked, rest).
fn strip_marker(md: &str) -> Option<(bool, &str)> {
    let checked = match md.get(..3)? {
        "[x]" | "[X]" => true,
        "[ ]" => false,
        _ => return None,
    };
    let rest = &md[3..];
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some((checked, rest))
}

/// Column (in bytes, tabs counting as one) of `offset` within its line.
fn column_of(source: &str, offset: usize) -> usize {
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    offset - line_start
}

/// Removes up to `indent` leading spaces or tabs from every line after the first (the
/// first starts at the content already): continuation lines lose their list indentation
/// but keep any deeper indentation (code inside a prompt), and lazy lines lose what little
/// they have.
fn dedent(text: &str, indent: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let strip = line
                .bytes()
                .take(indent)
                .take_while(|b| *b == b' ' || *b == b'\t')
                .count();
            out.push_str(&line[strip..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(section: &str) -> RawQuestion {
        let mut qs = raw_questions(section);
        assert_eq!(qs.len(), 1, "{qs:?}");
        qs.remove(0)
    }

    fn texts(q: &RawQuestion) -> Vec<(&str, Option<bool>)> {
        q.options
            .iter()
            .map(|o| (o.md.as_str(), o.marker))
            .collect()
    }

    #[test]
    fn items_of_the_ordered_list_are_questions_and_bullets_their_options() {
        let qs = raw_questions(
            "## Knowledge Check\n\nIntro text.\n\n1. First?\n   - a\n   - b\n\n2. Second?\n   - c\n   - d\n",
        );
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].prompt_md, "First?");
        assert_eq!(texts(&qs[1]), [("c", None), ("d", None)]);
    }

    #[test]
    fn prompt_and_options_keep_their_inline_markdown() {
        let q = one(
            "## Quiz\n1. What does `x` do in *this*?\n   - **bold** [link](a.md)\n   - $x^2$\n",
        );
        assert_eq!(q.prompt_md, "What does `x` do in *this*?");
        assert_eq!(
            texts(&q),
            [("**bold** [link](a.md)", None), ("$x^2$", None)]
        );
    }

    #[test]
    fn task_markers_are_read_and_removed_from_the_text() {
        let q = one("## Quiz\n1. Q\n   - [x] yes\n   - [ ] no\n   - [X] also\n   - plain\n");
        assert_eq!(
            texts(&q),
            [
                ("yes", Some(true)),
                ("no", Some(false)),
                ("also", Some(true)),
                ("plain", None)
            ]
        );
    }

    #[test]
    fn markers_are_read_in_loose_lists_too() {
        let q = one("## Quiz\n1. Q\n\n   - [x] yes\n\n   - [ ] no\n");
        assert_eq!(texts(&q), [("yes", Some(true)), ("no", Some(false))]);
    }

    #[test]
    fn a_marker_with_no_text_is_still_a_marker() {
        let q = one("## Quiz\n1. Q\n   - [x]\n   - [ ] no\n");
        assert_eq!(texts(&q), [("", Some(true)), ("no", Some(false))]);
    }

    #[test]
    fn blockquote_after_the_options_is_the_explanation() {
        let q = one("## Quiz\n1. Q\n   - [x] a\n   - [ ] b\n   > Because *a*.\n   > Really.\n");
        assert_eq!(q.explanation_md.as_deref(), Some("Because *a*.\nReally."));
        assert_eq!(q.options.len(), 2);
    }

    #[test]
    fn blockquote_nested_in_the_last_option_is_the_explanation() {
        let q = one("## Quiz\n1. Q\n   - a\n   - b\n     > Because a.\n");
        assert_eq!(q.explanation_md.as_deref(), Some("Because a."));
        assert_eq!(texts(&q), [("a", None), ("b", None)]);
    }

    #[test]
    fn a_blockquote_under_an_option_beginning_if_chosen_is_its_feedback() {
        let q = one("## Quiz\n1. Q\n   - a\n     > If chosen: Yes, *a*.\n   - b\n     > If chosen: No.\n   > Because a.\n");
        let feedback: Vec<Option<&str>> =
            q.options.iter().map(|o| o.feedback_md.as_deref()).collect();
        assert_eq!(feedback, [Some("Yes, *a*."), Some("No.")]);
        assert_eq!(q.explanation_md.as_deref(), Some("Because a."));
        assert!(
            q.misplaced_quotes.is_empty(),
            "feedback is not a misplaced explanation"
        );
    }

    #[test]
    fn any_other_blockquote_under_the_last_option_is_still_the_explanation() {
        let q = one("## Quiz\n1. Q\n   - a\n   - b\n     > Chosen or not, a.\n");
        assert_eq!(q.explanation_md.as_deref(), Some("Chosen or not, a."));
        assert!(q.options.iter().all(|o| o.feedback_md.is_none()));
    }

    #[test]
    fn lazy_continuation_lines_belong_to_the_prompt() {
        let q = one("## Quiz\n1. A prompt that\ngoes on lazily\n   and on?\n   - a\n   - b\n");
        assert_eq!(q.prompt_md, "A prompt that\ngoes on lazily\nand on?");
    }

    #[test]
    fn any_bullet_and_ordered_marker_works() {
        let qs = raw_questions("## Quiz\n1) One\n   * a\n   * b\n2) Two\n   + c\n   + d\n");
        assert_eq!(qs.len(), 2);
        assert_eq!(texts(&qs[1]), [("c", None), ("d", None)]);
    }

    #[test]
    fn mixed_bullets_in_one_question_are_all_options() {
        // A change of bullet character starts a new list in CommonMark.
        let q = one("## Quiz\n1. Q\n   - a\n   * b\n   + c\n");
        assert_eq!(texts(&q).len(), 3);
    }

    #[test]
    fn empty_prompt_and_missing_options_are_reported_as_empty() {
        let qs = raw_questions("## Quiz\n1.\n   - a\n   - b\n2. No options here\n");
        assert_eq!(qs[0].prompt_md, "");
        assert_eq!(qs[0].options.len(), 2);
        assert!(qs[1].options.is_empty());
        assert!(!qs[1].numbered_options);
    }

    #[test]
    fn numbered_sublist_is_flagged_as_a_likely_slip() {
        let q = one("## Quiz\n1. Q\n   1. a\n   2. b\n");
        assert!(q.options.is_empty());
        assert!(q.numbered_options);
    }

    #[test]
    fn offsets_point_at_the_item_markers() {
        let s = "## Quiz\n\n1. Q\n   - a\n   - b\n";
        let q = one(s);
        assert_eq!(&s[q.offset..q.offset + 2], "1.");
        assert_eq!(&s[q.options[1].offset..q.options[1].offset + 3], "- b");
    }

    #[test]
    fn code_block_before_the_options_stays_in_the_prompt() {
        let q =
            one("## Quiz\n1. What prints?\n\n   ```python\n   print(1)\n   ```\n   - 1\n   - 2\n");
        assert_eq!(q.prompt_md, "What prints?\n\n```python\nprint(1)\n```");
    }
}
