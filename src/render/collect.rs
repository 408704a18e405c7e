//! Pass 1 of a render: the body's events, within the nesting limits, without the
//! Knowledge Check section.
//!
//! The section is found here, in the same parse, by the one [`KnowledgeCheckLocator`]
//! (a second parse would cost as much as all the rest of a cached re-render).

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::headings::{KnowledgeCheckLocator, Part};
use super::{parser_options, MAX_ELEMENT_DEPTH, MAX_NESTING};

/// An event with its byte range in the body.
pub(super) type Spanned<'e> = (Event<'e>, Range<usize>);

/// Why a body is refused whole, and where.
pub(super) struct Refusal {
    pub(super) offset: usize,
    pub(super) message: String,
}

/// Which part of the body a render keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Keep {
    /// A lesson body: the Knowledge Check is left out (the quiz shows it).
    BodyWithoutQuiz,
    /// A fragment (a prompt, an option): everything.
    Everything,
}

/// The events of `body` and its Knowledge Check sections (what
/// [`knowledge_check_spans`](super::knowledge_check_spans) gives; none found when `keep`
/// is [`Keep::Everything`]), or why it is refused (nesting past the limits).
pub(super) fn events(
    body: &str,
    keep: Keep,
) -> Result<(Vec<Spanned<'_>>, Vec<Range<usize>>), Refusal> {
    let mut events: Vec<Spanned<'_>> = Vec::new();
    let mut limits = Limits::default();
    let mut locator = (keep == Keep::BodyWithoutQuiz).then(KnowledgeCheckLocator::default);
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        limits.track(&event, range.start)?;
        match locator.as_mut().map(|l| l.feed(&event, &range)) {
            None | Some(Part::Body) => events.push((event, range)),
            Some(Part::KnowledgeCheck) => {}
            Some(Part::KnowledgeCheckFrom(offset)) => {
                // The heading's own events were kept as body until its end told what it
                // was: drop them, from its start event on.
                let from = events
                    .iter()
                    .rposition(|(e, r)| {
                        r.start == offset && matches!(e, Event::Start(Tag::Heading { .. }))
                    })
                    .unwrap_or(events.len());
                events.truncate(from);
            }
        }
    }
    if let Some(offset) = raw_html_too_deep(&events) {
        return Err(Refusal {
            offset,
            message: format!(
                "raw HTML nests more than {MAX_ELEMENT_DEPTH} elements deep here; close its tags or flatten it"
            ),
        });
    }
    let sections = locator.map_or_else(Vec::new, |l| l.finish(body.len()));
    Ok((events, sections))
}

/// Element and list/quote depth, checked at every start tag.
#[derive(Default)]
struct Limits {
    depth: usize,
    nesting: usize,
}

impl Limits {
    fn track(&mut self, event: &Event<'_>, offset: usize) -> Result<(), Refusal> {
        match event {
            Event::Start(tag) => {
                self.depth += 1;
                if matches!(tag, Tag::BlockQuote(_) | Tag::List(_)) {
                    self.nesting += 1;
                }
                let message = if self.nesting > MAX_NESTING {
                    format!("lists and quotes nest more than {MAX_NESTING} levels deep here; flatten them")
                } else if self.depth > MAX_ELEMENT_DEPTH {
                    format!("elements nest more than {MAX_ELEMENT_DEPTH} levels deep here; flatten them")
                } else {
                    return Ok(());
                };
                Err(Refusal { offset, message })
            }
            Event::End(tag) => {
                self.depth = self.depth.saturating_sub(1);
                if matches!(tag, TagEnd::BlockQuote(_) | TagEnd::List(_)) {
                    self.nesting = self.nesting.saturating_sub(1);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// Where the raw HTML of a lesson first nests deeper than [`MAX_ELEMENT_DEPTH`], if it
/// does. The HTML parser behind the sanitizer checks element scope by walking its stack
/// of open elements, so thousands of nested unclosed `<div>`s cost it quadratic time; this
/// estimate (start tags minus end tags, ignoring void and self-closing elements and those
/// the parser closes implicitly) refuses such input before it gets there.
fn raw_html_too_deep(events: &[Spanned<'_>]) -> Option<usize> {
    let mut depth = 0usize;
    for (event, range) in events {
        let (Event::Html(html) | Event::InlineHtml(html)) = event else {
            continue;
        };
        if too_deep(html, &mut depth) {
            return Some(range.start);
        }
    }
    None
}

/// Adds the nesting of one raw HTML fragment to `depth`; `true` once it passes the limit.
fn too_deep(html: &str, depth: &mut usize) -> bool {
    const NOT_NESTING: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "rp", "rt",
    ];
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = b[i..].iter().position(|&c| c == b'<') {
        i += lt + 1;
        match b.get(i) {
            Some(b'/') => *depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let end = b[i..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .map_or(b.len(), |e| i + e);
                let name = &html[i..end];
                let close = b[end..].iter().position(|&c| c == b'>').map(|e| end + e);
                let self_closing = close.is_some_and(|c| c > 0 && b[c - 1] == b'/');
                if !self_closing && !NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    *depth += 1;
                    if *depth > MAX_ELEMENT_DEPTH {
                        return true;
                    }
                }
                i = end;
            }
            _ => {}
        }
    }
    false
}
