//! Pass 2 of a render: the body's events rewritten into the markup contract (see the
//! module docs of `render`): heading ids and the TOC, highlighted code, MathML, links and
//! images through the allowlist, footnotes and table cells without inline styles.

use std::collections::HashMap;
use std::sync::Arc;

use math_core::MathDisplay;
use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::assemble::Slots;
use super::collect::Spanned;
use super::headings::{level_number, push_plain, Heading, Slugger};
use super::links::{resolve_image, resolve_link, ImageSource, LinkTarget};
use super::{escape_html, math, shorten, Diags, Job, Output, Renderer};

/// What the rewrite produced: events for pulldown-cmark's HTML writer, code blocks to
/// splice in, trusted fragments held out of the sanitizer, and the TOC.
pub(super) struct Rewritten<'e> {
    pub(super) events: Vec<Event<'e>>,
    /// Code blocks to write after the event at each index (a placeholder `Html("")`).
    pub(super) blocks: Vec<(usize, Arc<str>)>,
    pub(super) slots: Option<Slots>,
    pub(super) toc: Vec<Heading>,
}

#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

impl TableState {
    fn cell_tag(&self) -> &'static str {
        if self.in_head {
            "th"
        } else {
            "td"
        }
    }
}

/// The event rewriter of one render.
pub(super) struct Writer<'r, 'j, 'd, 'e> {
    renderer: &'r Renderer,
    job: &'j Job<'j>,
    diags: &'d mut Diags<'j>,
    out: Vec<Event<'e>>,
    slots: Option<Slots>,
    slugger: Slugger,
    toc: Vec<Heading>,
    /// Closing markup of the links open now, innermost last.
    closers: Vec<&'static str>,
    /// Footnote label → number, in order of first appearance.
    footnotes: HashMap<String, usize>,
    table: TableState,
    blocks: Vec<(usize, Arc<str>)>,
    /// `{{#quiz}}` blocks met so far.
    quiz_blocks: usize,
}

/// Rewrites `events` (taken out of the slice one by one).
pub(super) fn rewrite<'j, 'e>(
    renderer: &Renderer,
    job: &'j Job<'j>,
    diags: &mut Diags<'j>,
    events: &mut [Spanned<'e>],
) -> Rewritten<'e> {
    let raw_html = events
        .iter()
        .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut w = Writer {
        renderer,
        job,
        diags,
        out: Vec::with_capacity(events.len()),
        slots: raw_html.then(Slots::new),
        slugger: Slugger::default(),
        toc: Vec::new(),
        closers: Vec::new(),
        footnotes: HashMap::new(),
        table: TableState::default(),
        blocks: Vec::new(),
        quiz_blocks: 0,
    };
    let mut rest = events.iter_mut();
    while let Some((event, range)) = rest.next() {
        let event = std::mem::replace(event, Event::SoftBreak);
        w.event(event, range.start, &mut rest);
    }
    Rewritten {
        events: w.out,
        blocks: w.blocks,
        slots: w.slots,
        toc: w.toc,
    }
}

/// The events after the current one, for handlers that consume a whole element.
type Rest<'s, 'e> = std::slice::IterMut<'s, Spanned<'e>>;

/// Takes the events up to the end of the element just started, handing each to `each`.
fn take_until<'e>(
    rest: &mut Rest<'_, 'e>,
    mut is_end: impl FnMut(&Event<'e>) -> bool,
    mut each: impl FnMut(Event<'e>),
) {
    for (event, _) in rest.by_ref() {
        let e = std::mem::replace(event, Event::SoftBreak);
        if is_end(&e) {
            break;
        }
        each(e);
    }
}

impl<'e> Writer<'_, '_, '_, 'e> {
    fn event(&mut self, event: Event<'e>, offset: usize, rest: &mut Rest<'_, 'e>) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading(level, id.as_deref(), offset, rest.as_slice())
            }
            Event::Start(Tag::CodeBlock(kind)) => self.code_block(&kind, rest),
            Event::InlineMath(latex) | Event::DisplayMath(latex) if !latex.is_empty() => {
                self.math(&latex, offset)
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => self.link(link_type, &dest_url, &title, offset),
            Event::End(TagEnd::Link) => {
                let close = self.closers.pop().unwrap_or("");
                self.tag(close.to_owned());
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => self.image(&dest_url, &title, offset, rest),
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (n, _) = self.footnote(&label);
                self.out.push(Event::Html(
                    format!("<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>").into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.out.push(Event::Html("</div>\n".into()));
            }
            other => self.table_or_plain(other),
        }
    }

    fn heading(
        &mut self,
        level: pulldown_cmark::HeadingLevel,
        custom: Option<&str>,
        offset: usize,
        rest: &[Spanned<'e>],
    ) {
        let mut text = String::new();
        for (e, _) in rest {
            if matches!(e, Event::End(TagEnd::Heading(_))) {
                break;
            }
            push_plain(&mut text, e);
        }
        let id = self.slugger.id_for(custom, &text);
        let n = level_number(level);
        if n == 2 || n == 3 {
            self.toc.push(Heading {
                level: n,
                text: text.trim().to_owned(),
                id: id.clone(),
                offset,
            });
        }
        self.out.push(Event::Start(Tag::Heading {
            level,
            id: Some(id.into()),
            classes: Vec::new(),
            attrs: Vec::new(),
        }));
    }

    fn code_block(&mut self, kind: &CodeBlockKind<'_>, rest: &mut Rest<'_, 'e>) {
        let mut code = String::new();
        take_until(
            rest,
            |e| matches!(e, Event::End(TagEnd::CodeBlock)),
            |e| {
                if let Event::Text(t) = e {
                    code.push_str(&t);
                }
            },
        );
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.as_ref(),
            CodeBlockKind::Indented => "",
        };
        if is_quiz_block(info) {
            // A `{{#quiz}}` file: its questions are the quiz's, drawn by the window in
            // this place holder (the n-th block of the lesson).
            let n = self.quiz_blocks;
            self.quiz_blocks += 1;
            if self.job.output == Output::Html {
                self.trusted_block(Arc::from(format!(
                    "<div class=\"quiz-block\" id=\"quiz-block-{n}\" data-quiz-block=\"{n}\"></div>\n"
                )));
            }
        } else if self.job.output == Output::Html {
            let html = self.renderer.code_block(info, &code);
            self.trusted_block(html);
        }
    }

    fn math(&mut self, latex: &str, offset: usize) {
        let source = self.job.body.get(offset..).unwrap_or("");
        let display = if source.starts_with("$$") {
            MathDisplay::Block
        } else {
            MathDisplay::Inline
        };
        let html = match self.renderer.math.convert(latex, display) {
            Ok(mathml) => mathml.to_string(),
            Err(e) => {
                let delim = math::delimiter(display).len();
                self.diags.warning(
                    offset + delim + e.offset,
                    "math-syntax",
                    format!(
                        "cannot read the formula `{}`: {}",
                        shorten(latex),
                        e.message
                    ),
                );
                math::error_html(latex, display, &e.message)
            }
        };
        self.trusted_inline(html);
    }

    fn link(&mut self, link_type: LinkType, dest: &str, title: &CowStr<'_>, offset: usize) {
        let title = title_attr(title);
        let target = if link_type == LinkType::Email {
            LinkTarget::Dropped {
                code: "link-scheme",
                message: format!(
                    "e-mail link `{}` is not followed; write the address as text",
                    shorten(dest)
                ),
            }
        } else {
            resolve_link(dest, self.job.resolver(), self.job.lesson_ids)
        };
        let (open, close) = match target {
            LinkTarget::External(url) => (
                format!(
                    "<a href=\"{}\" class=\"external\" rel=\"noopener noreferrer\"{title}>",
                    escape_html(&crate::text::encode_web_url(&url))
                ),
                "</a>",
            ),
            LinkTarget::Lesson { id, anchor } => (
                format!(
                    "<a href=\"#lesson/{0}\" data-lesson=\"{0}\" data-anchor=\"{1}\"{title}>",
                    escape_html(&id),
                    escape_html(&anchor)
                ),
                "</a>",
            ),
            LinkTarget::Anchor(anchor) => {
                let lesson = self
                    .job
                    .lesson()
                    .map(|l| format!(" data-lesson=\"{}\"", escape_html(&l.id)))
                    .unwrap_or_default();
                (
                    format!(
                        "<a href=\"#{0}\" data-anchor=\"{0}\"{lesson}{title}>",
                        escape_html(&anchor)
                    ),
                    "</a>",
                )
            }
            LinkTarget::Dropped { code, message } => {
                self.diags.warning(offset, code, message);
                ("<span class=\"link-removed\">".to_owned(), "</span>")
            }
        };
        self.tag(open);
        self.closers.push(close);
    }

    fn image(&mut self, dest: &str, title: &CowStr<'_>, offset: usize, rest: &mut Rest<'_, 'e>) {
        let mut alt = String::new();
        let mut nested = 0usize;
        take_until(
            rest,
            |e| {
                // Images inside the alt text close before this one does.
                match e {
                    Event::Start(Tag::Image { .. }) => nested += 1,
                    Event::End(TagEnd::Image) if nested == 0 => return true,
                    Event::End(TagEnd::Image) => nested -= 1,
                    _ => {}
                }
                false
            },
            |e| push_plain(&mut alt, &e),
        );
        match resolve_image(dest, self.job.resolver(), self.job.asset_prefix) {
            ImageSource::Asset(url) => self.tag(format!(
                "<img src=\"{}\" alt=\"{}\"{}>",
                escape_html(&url),
                escape_html(&alt),
                title_attr(title)
            )),
            ImageSource::Dropped { code, message } => {
                self.diags.warning(offset, code, message);
                self.tag(format!(
                    "<span class=\"image-missing\">{}</span>",
                    escape_html(&alt)
                ));
            }
        }
    }

    fn footnote_reference(&mut self, label: &str) {
        let (n, first) = self.footnote(label);
        let id = if first {
            format!(" id=\"fnref-{n}\"")
        } else {
            String::new()
        };
        self.tag(format!(
            "<sup class=\"footnote-reference\"{id}><a href=\"#fn-{n}\" data-anchor=\"fn-{n}\">{n}</a></sup>"
        ));
    }

    fn footnote(&mut self, label: &str) -> (usize, bool) {
        let next = self.footnotes.len() + 1;
        let mut first = false;
        let n = *self.footnotes.entry(label.to_owned()).or_insert_with(|| {
            first = true;
            next
        });
        (n, first)
    }

    /// Table events (cells get alignment classes: pulldown-cmark would write
    /// `style="text-align: …"`, which the CSP forbids), or any other event as it is.
    fn table_or_plain(&mut self, event: Event<'e>) {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                self.table = TableState {
                    alignments: alignments.clone(),
                    ..TableState::default()
                };
                self.out.push(Event::Start(Tag::Table(alignments)));
            }
            Event::Start(Tag::TableHead) => {
                self.table.in_head = true;
                self.table.cell = 0;
                self.out.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                self.table.in_head = false;
                self.out.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                self.table.cell = 0;
                self.out.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                let class = match self.table.alignments.get(self.table.cell) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                let cell = self.table.cell_tag();
                self.tag(format!("<{cell}{class}>"));
            }
            Event::End(TagEnd::TableCell) => {
                let cell = self.table.cell_tag();
                self.table.cell += 1;
                self.tag(format!("</{cell}>"));
            }
            other => self.out.push(other),
        }
    }

    /// Emits a block Lectern made itself (a code block): held aside and written straight
    /// into the output after its place (no copy into an event), or as a placeholder when
    /// the document will go through the author sanitizer.
    fn trusted_block(&mut self, html: Arc<str>) {
        match self.slots.as_mut() {
            Some(slots) => {
                let placeholder = slots.hold(html.to_string());
                self.out.push(Event::Html(placeholder.into()));
            }
            None => {
                self.out.push(Event::Html(CowStr::Borrowed("")));
                self.blocks.push((self.out.len() - 1, html));
            }
        }
    }

    /// Emits inline markup Lectern made itself (MathML): as is, or as a placeholder when
    /// the document will go through the author sanitizer.
    fn trusted_inline(&mut self, html: String) {
        let text = match self.slots.as_mut() {
            Some(slots) => slots.hold(html),
            None => html,
        };
        self.out.push(Event::InlineHtml(text.into()));
    }

    /// Emits a link's or cell's opening or closing tag. These go through the sanitizer
    /// like any element: they must be balanced for it.
    fn tag(&mut self, html: String) {
        self.out.push(Event::InlineHtml(html.into()));
    }
}

/// Whether a fenced block's info string marks a `{{#quiz}}` file.
pub(crate) fn is_quiz_block(info: &str) -> bool {
    info.split_whitespace().next() == Some(crate::lesson::include::QUIZ_BLOCK_INFO)
}

/// ` title="…"` for a link or image title, or nothing.
fn title_attr(title: &CowStr<'_>) -> String {
    if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape_html(title))
    }
}
