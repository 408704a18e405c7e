//! A lesson's headings as the renderer sees them: their unique ids, and where the
//! Knowledge Check section is (one locator, used by the renderer's single pass, by
//! [`knowledge_check_span`] and so by the quiz parser).
//!
//! Everything here works on pulldown-cmark's events and their byte offsets, never on line
//! regexes, so a `## Quiz` inside a fenced code block is not a heading.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;

use super::parser_options;
use crate::lesson::slugify;

/// One heading of a lesson body, as rendered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, … 6.
    pub level: u8,
    /// The heading's plain text (Markdown and HTML removed, not escaped): set it with
    /// `textContent`, or escape it before writing it into HTML.
    pub text: String,
    /// The unique slug the rendered `<hN id="…">` carries.
    pub id: String,
    /// Byte offset of the heading in the body.
    pub offset: usize,
}

/// Hands out unique heading ids in document order.
///
/// The rule the UI and in-app links rely on: `slugify(plain text)`; an empty slug becomes
/// `section`; when the slug is already used in this lesson, `-2`, `-3`, … is appended. A
/// `{#custom-id}` attribute wins over the text and is kept as written (white space and
/// control characters removed), made unique the same way.
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    /// Every id handed out, with the next suffix to try when it is asked for again, so
    /// that 20,000 identical headings cost 20,000 steps, not 200 million.
    used: HashMap<String, usize>,
}

impl Slugger {
    pub(crate) fn id_for(&mut self, custom: Option<&str>, text: &str) -> String {
        let base = custom
            .map(explicit_id)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| slugify(text));
        let base = if base.is_empty() {
            "section".to_owned()
        } else {
            base
        };
        let Some(&next) = self.used.get(&base) else {
            self.used.insert(base.clone(), 2);
            return base;
        };
        // Each candidate tried is either taken (skipped once, for good, since the
        // suffix only grows) or handed out: the total work stays linear.
        let mut n = next;
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if !self.used.contains_key(&candidate) {
                self.used.insert(base, n);
                self.used.insert(candidate.clone(), 2);
                return candidate;
            }
        }
    }
}

/// An author's `{#id}` as written, so `[see](#intro.v2)` lands on `{#intro.v2}`: only
/// white space and control characters are dropped (they cannot be in an id, and the
/// HTML writer escapes the rest).
fn explicit_id(custom: &str) -> String {
    custom
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect()
}

pub(crate) fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Appends the plain text an event contributes to a heading or an image's alt text.
pub(crate) fn push_plain(out: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
            out.push_str(t)
        }
        Event::SoftBreak | Event::HardBreak => out.push(' '),
        _ => {}
    }
}

/// Whether a heading's text names the Knowledge Check: `Knowledge Check` or `Quiz`,
/// case-insensitive, trimmed, trailing `#`s allowed.
pub(crate) fn is_knowledge_check_title(text: &str) -> bool {
    let t = text.trim().trim_end_matches('#').trim();
    t.eq_ignore_ascii_case("knowledge check") || t.eq_ignore_ascii_case("quiz")
}

/// Byte range in a lesson body of its (first) Knowledge Check section.
///
/// The section starts at a level-2 heading (ATX `## …` or setext `---`) at the top level of
/// the document (not inside a list or a quote) whose text is `Knowledge Check` or `Quiz`
/// (case-insensitive, trimmed, trailing `#`s allowed), and runs to the next top-level
/// level-1 or level-2 heading, or to the end of the body. Only the first such section
/// is the quiz (see [`knowledge_check_spans`] for the others). Headings inside fenced code blocks are not headings, since this reads
/// pulldown-cmark's events rather than lines.
///
/// ```
/// let body = "# A\n\n```\n## Quiz\n```\n\n## Knowledge Check\n\n1. Q?\n\n## After\n";
/// let span = lectern::render::knowledge_check_span(body).unwrap();
/// assert_eq!(&body[span], "## Knowledge Check\n\n1. Q?\n\n");
/// ```
pub fn knowledge_check_span(body: &str) -> Option<Range<usize>> {
    knowledge_check_spans(body).into_iter().next()
}

/// Every Knowledge Check section of a body, in order: a lesson has one, and each further
/// one is an author's mistake that the quiz reports (and the renderer leaves out, so its
/// answers never show in the body in authored order).
pub fn knowledge_check_spans(body: &str) -> Vec<Range<usize>> {
    let mut locator = KnowledgeCheckLocator::default();
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        locator.feed(&event, &range);
    }
    locator.finish(body.len())
}

/// What the event just fed to a [`KnowledgeCheckLocator`] belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// The lesson body outside the Knowledge Check.
    Body,
    /// The Knowledge Check section.
    KnowledgeCheck,
    /// The end of the Knowledge Check's heading: the section started at this byte offset,
    /// where the heading's start event was (already seen as [`Part::Body`]).
    KnowledgeCheckFrom(usize),
}

/// Finds the Knowledge Check section in a stream of pulldown-cmark events, by the rule
/// [`knowledge_check_span`] documents. Fed every event in order, it says which part each
/// belongs to; the heading is only known to be the Knowledge Check at its end, so that
/// event reports where the section began.
#[derive(Debug, Default)]
pub(crate) struct KnowledgeCheckLocator {
    depth: usize,
    /// The top-level heading being read: (level, offset, plain text).
    heading: Option<(u8, usize, String)>,
    /// Where the section being read started, while inside one.
    inside: Option<usize>,
    /// The sections already closed.
    spans: Vec<Range<usize>>,
}

impl KnowledgeCheckLocator {
    /// Takes the next event of the body and says what it belongs to.
    pub(crate) fn feed(&mut self, event: &Event<'_>, range: &Range<usize>) -> Part {
        let part = match event {
            Event::Start(Tag::Heading { level, .. }) if self.depth == 0 => {
                let level = level_number(*level);
                if let Some(start) = self.inside {
                    if level <= 2 {
                        self.spans.push(start..range.start);
                        self.inside = None;
                    }
                }
                if self.inside.is_none() {
                    self.heading = Some((level, range.start, String::new()));
                }
                self.part()
            }
            Event::End(TagEnd::Heading(_)) if self.depth == 1 => match self.heading.take() {
                Some((2, offset, text)) if is_knowledge_check_title(&text) => {
                    self.inside = Some(offset);
                    Part::KnowledgeCheckFrom(offset)
                }
                _ => self.part(),
            },
            other => {
                if let Some((_, _, text)) = self.heading.as_mut() {
                    push_plain(text, other);
                }
                self.part()
            }
        };
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        part
    }

    fn part(&self) -> Part {
        match self.inside {
            Some(_) => Part::KnowledgeCheck,
            None => Part::Body,
        }
    }

    /// The sections found, given the body's length (a section open at the end runs to it).
    pub(crate) fn finish(mut self, body_len: usize) -> Vec<Range<usize>> {
        if let Some(start) = self.inside {
            self.spans.push(start..body_len);
        }
        self.spans
    }
}

/// Every heading of a lesson body outside its Knowledge Check section(s), in document
/// order, with the same unique ids the rendered HTML carries.
///
/// Headings inside the Knowledge Check are left out because the rendered body leaves the
/// section out: their ids would point nowhere.
pub fn headings(body: &str) -> Vec<Heading> {
    let skip = knowledge_check_spans(body);
    let mut slugger = Slugger::default();
    let mut out = Vec::new();
    let mut current: Option<(u8, usize, Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        if skip.iter().any(|s| s.contains(&range.start)) {
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((
                    level_number(level),
                    range.start,
                    id.map(|i| i.to_string()),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, offset, custom, text)) = current.take() {
                    let id = slugger.id_for(custom.as_deref(), &text);
                    out.push(Heading {
                        level,
                        text: text.trim().to_owned(),
                        id,
                        offset,
                    });
                }
            }
            other => {
                if let Some((_, _, _, text)) = current.as_mut() {
                    push_plain(text, &other);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn span_text(body: &str) -> Option<&str> {
        knowledge_check_span(body).map(|r| &body[r])
    }

    #[test]
    fn knowledge_check_runs_to_the_next_level_two_heading() {
        let body = "# T\n\n## Knowledge Check\n\n1. Q\n\n### Sub\n\n## Next\n\ntext\n";
        assert_eq!(
            span_text(body),
            Some("## Knowledge Check\n\n1. Q\n\n### Sub\n\n")
        );
    }

    #[test]
    fn knowledge_check_runs_to_the_end_without_a_following_heading() {
        let body = "## Intro\n\n## quiz ##\n\n1. Q\n";
        assert_eq!(span_text(body), Some("## quiz ##\n\n1. Q\n"));
    }

    #[test]
    fn setext_knowledge_check_heading_counts() {
        let body = "Intro\n\nKnowledge check\n---\n\n1. Q\n\nEnd\n===\n";
        assert_eq!(span_text(body), Some("Knowledge check\n---\n\n1. Q\n\n"));
    }

    #[test]
    fn headings_in_code_blocks_quotes_and_other_levels_do_not_count() {
        assert_eq!(span_text("```\n## Quiz\n```\n"), None);
        assert_eq!(span_text("> ## Quiz\n"), None);
        assert_eq!(span_text("### Quiz\n"), None);
        assert_eq!(span_text("## Quizzes\n"), None);
    }

    #[test]
    fn heading_ids_are_unique_slugs_with_numbered_repeats() {
        let h = headings("# Intro\n\n## Intro\n\n## Intro\n\n## !!!\n\n## Intro-2 {#Custom_Id}\n");
        let ids: Vec<&str> = h.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-2", "intro-3", "section", "Custom_Id"]);
        assert_eq!(h[4].text, "Intro-2");
        assert_eq!(h[1].offset, 9);
    }

    #[test]
    fn a_numbered_repeat_never_takes_an_id_a_later_heading_needs_twice() {
        let ids: Vec<String> = headings("## A\n\n## A\n\n## A-2\n")
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, ["a", "a-2", "a-2-2"]);
    }

    #[test]
    fn twenty_thousand_identical_headings_get_distinct_ids_in_linear_steps() {
        let mut slugger = Slugger::default();
        let ids: HashSet<String> = (0..20_000).map(|_| slugger.id_for(None, "Same")).collect();
        assert_eq!(ids.len(), 20_000);
        assert!(ids.contains("same-20000"));
        // One entry per id handed out: nothing is searched from the start again.
        assert_eq!(slugger.used.len(), 20_000);
    }

    #[test]
    fn headings_skip_the_knowledge_check_and_keep_plain_text() {
        let h = headings("## Use `code` and *emph*\n\n## Knowledge Check\n\n### Q\n");
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].text, "Use code and emph");
        assert_eq!(h[0].id, "use-code-and-emph");
    }
}
