//! The last step of a render: pulldown-cmark writes the rewritten events, cached code
//! blocks are spliced in whole, and a body with raw HTML goes through the author
//! sanitizer with Lectern's own markup held out of it in [`Slots`].

use std::hash::{BuildHasher, Hasher};
use std::path::Path;

use super::links::Resolver;
use super::writer::Rewritten;
use super::{sanitize, Job, SLOT_CLOSE, SLOT_OPEN};

/// The body's HTML from the rewritten events.
pub(super) fn html(job: &Job<'_>, rewritten: Rewritten<'_>) -> String {
    let Rewritten {
        events,
        blocks,
        slots,
        ..
    } = rewritten;
    let mut html = String::with_capacity(
        job.body.len() * 2 + blocks.iter().map(|(_, b)| b.len()).sum::<usize>(),
    );
    // pulldown-cmark writes the events between code blocks; the blocks, cached whole, are
    // appended as they are. Its writer keeps no state across a block that matters here
    // (tables and footnotes are written by `writer`).
    let mut events = events.into_iter();
    let mut written = 0;
    for (index, block) in &blocks {
        pulldown_cmark::html::push_html(&mut html, events.by_ref().take(index - written));
        events.next();
        html.push_str(block);
        written = index + 1;
    }
    pulldown_cmark::html::push_html(&mut html, events);
    let Some(slots) = slots else {
        return html;
    };
    let resolver = job
        .resolver()
        .cloned()
        .unwrap_or_else(|| Resolver::new(Path::new(""), Path::new("")));
    let policy = sanitize::author_policy(resolver, job.asset_prefix);
    let clean = policy.clean(&html).to_string();
    slots.fill(&clean)
}

/// Trusted fragments held out of the sanitizer, and the placeholders standing in for them.
pub(super) struct Slots {
    nonce: u64,
    fragments: Vec<String>,
}

impl Slots {
    pub(super) fn new() -> Self {
        // Unpredictable per render, so no text can name a slot on purpose.
        let nonce = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        Slots {
            nonce,
            fragments: Vec::new(),
        }
    }

    /// Keeps `html` aside and returns the placeholder to put in its place.
    pub(super) fn hold(&mut self, html: String) -> String {
        let n = self.fragments.len();
        self.fragments.push(html);
        format!("{SLOT_OPEN}{:x}.{n}{SLOT_CLOSE}", self.nonce)
    }

    /// Puts the fragments back in place of their placeholders. A placeholder the sanitizer
    /// removed (inside a removed element) leaves its fragment out.
    fn fill(&self, html: &str) -> String {
        let mut out = String::with_capacity(
            html.len() + self.fragments.iter().map(String::len).sum::<usize>(),
        );
        let mut rest = html;
        let tag = format!("{SLOT_OPEN}{:x}.", self.nonce);
        while let Some(start) = rest.find(&tag) {
            out.push_str(&rest[..start]);
            let after = &rest[start + tag.len()..];
            let Some(end) = after.find(SLOT_CLOSE) else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            if let Some(fragment) = after[..end]
                .parse::<usize>()
                .ok()
                .and_then(|i| self.fragments.get(i))
            {
                out.push_str(fragment);
            }
            rest = &after[end + SLOT_CLOSE.len_utf8()..];
        }
        out.push_str(rest);
        out
    }
}
