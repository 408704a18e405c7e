//! Rendering: a lesson's Markdown into safe HTML for the reader, with its table of contents
//! and the problems found on the way.
//!
//! Front door: [`Renderer::render`] (or [`render`], which uses a process-wide renderer).
//! pulldown-cmark parses CommonMark with tables, footnotes, strikethrough, task lists,
//! heading attributes, GitHub alerts and math; this module then rewrites its events:
//!
//! - the **Knowledge Check** section ([`knowledge_check_span`]) is left out (the quiz shows it);
//! - **headings** get unique slug ids ([`headings`] gives the same ids), and h2/h3 form the TOC;
//! - **code** is highlighted by syntect into `hl-` classes, never inline styles, and cached by
//!   content; untagged blocks (ASCII and box-drawing diagrams) are kept verbatim;
//! - **math** becomes MathML made in Rust; a bad formula shows its source as an inline error;
//! - **links and images** follow an allowlist: in-app lesson links, external `http(s)`
//!   links, `#fragment`s, `lesson://` images inside the lessons folder (served by
//!   [`read_asset`]); the rest is dropped with a diagnostic;
//! - **raw HTML** is sanitized by ammonia (see [`sanitize`]);
//! - **limits**: an oversized or too deeply nested lesson becomes an error diagnostic and a
//!   short error notice, never a hang or a stack overflow.
//!
//! # Markup contract (what the UI styles and intercepts)
//!
//! | content | markup |
//! |---|---|
//! | heading | `<h2 id="slug">…</h2>` (all levels carry ids) |
//! | tagged code | `<figure class="code" data-lang="python"><figcaption>python</figcaption><pre class="hl-code"><code class="language-python">…<span class="hl-keyword">…</span>…</code></pre></figure>`; an unknown tag has the same shape, unhighlighted. The app adds the copy button. |
//! | untagged code | `<pre class="diagram"><code>…</code></pre>`, verbatim, escaped |
//! | in-app lesson link | `<a href="#lesson/<id>" data-lesson="<id>" data-anchor="<heading id or empty>">` |
//! | link to a heading of this page | `<a href="#<id>" data-anchor="<id>">`, plus `data-lesson="<this lesson>"` in a lesson |
//! | external link | `<a href="https://…" class="external" rel="noopener noreferrer">`; the app must open every `http(s)` link (class or not, raw HTML included) in the system browser |
//! | dropped link | `<span class="link-removed">text</span>` |
//! | image | `<img src="lesson://localhost/<path from the lessons folder, percent-encoded>" alt="…">`, served by [`read_asset`] |
//! | missing or refused image | `<span class="image-missing">alt text</span>` |
//! | math | `<math>…</math>` (`display="block"` for `$$…$$`) |
//! | bad math | `<span class="math-error" title="reason">$source$</span>` |
//! | table cell alignment | `class="align-left|align-center|align-right"` on `th`/`td` |
//! | footnotes | `<sup class="footnote-reference" id="fnref-N"><a href="#fn-N" data-anchor="fn-N">N</a></sup>`, `<div class="footnote-definition" id="fn-N"><sup class="footnote-definition-label">N</sup>…</div>` |
//! | refused lesson | `<div class="render-error"><p>…</p></div>` |
//!
//! Highlight colors come from two stylesheets ([`highlight_css`], committed as
//! `ui/css/highlight-light.css` and `ui/css/highlight-dark.css`), scoped by the root's
//! `data-theme`, so switching theme needs no re-render.

mod highlight;
mod links;
mod math;
mod outline;
mod page;
mod sanitize;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::course::Course;
use crate::diagnostic::Diagnostic;
use crate::lesson::{Lesson, MAX_LESSON_BYTES};

pub use highlight::{highlight_css, Theme, DARK_THEME, LIGHT_THEME};
pub use links::{image_mime, read_asset, AssetError, ASSET_URL_PREFIX, MAX_ASSET_BYTES};
pub use outline::{headings, knowledge_check_span, Heading};
pub use page::{standalone_page, BASE_CSS};
pub use sanitize::sanitize;

use links::{resolve_image, resolve_link, ImageSource, LinkTarget, Resolver};
use outline::{level_number, push_plain, Slugger};

/// Blockquotes and lists nested deeper than this make the lesson an error: nothing real
/// nests so deep, and the webview and every tree walk after us would pay for it.
pub const MAX_NESTING: usize = 64;
/// Any element nesting (emphasis in links in lists…) deeper than this is an error too.
const MAX_ELEMENT_DEPTH: usize = 256;

/// Placeholder delimiters for trusted fragments while raw HTML is sanitized. They are
/// Unicode noncharacters; any in the author's text are replaced by U+FFFD beforehand.
const SLOT_OPEN: char = '\u{FDD0}';
const SLOT_CLOSE: char = '\u{FDD1}';
// As strings, for substring search (much faster than a per-char scan).
const SLOT_OPEN_STR: &str = "\u{FDD0}";
const SLOT_CLOSE_STR: &str = "\u{FDD1}";

/// The Markdown extensions Lectern reads, the same for rendering, outlines, quizzes and
/// the benchmark's plain-parse floor.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
}

/// Where a lesson lives, for resolving its links and images.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions<'a> {
    /// The lessons folder; links and images may not leave it.
    pub root: &'a Path,
    /// Every lesson's path relative to `root` and its id (see
    /// [`Course::lesson_ids_by_path`]), to turn `other.md` into an in-app link.
    pub lesson_ids: &'a HashMap<PathBuf, String>,
    /// Prefix of image URLs; [`ASSET_URL_PREFIX`] unless the shell serves assets elsewhere.
    pub asset_prefix: &'a str,
}

impl<'a> RenderOptions<'a> {
    /// Options for lessons in `root`, with images under [`ASSET_URL_PREFIX`].
    pub fn new(root: &'a Path, lesson_ids: &'a HashMap<PathBuf, String>) -> Self {
        RenderOptions {
            root,
            lesson_ids,
            asset_prefix: ASSET_URL_PREFIX,
        }
    }
}

/// A rendered lesson.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// The body as sanitized HTML, Knowledge Check left out (see the module docs for the
    /// markup contract).
    pub html: String,
    /// The h2 and h3 headings, in order, with the ids their elements carry.
    pub toc: Vec<Heading>,
    /// Problems found while rendering (bad math, dropped links, missing images, limits),
    /// at lesson-file lines and columns.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders lessons, remembering highlighted code and converted math by content, so that
/// re-rendering after an edit to the prose does not highlight again.
///
/// Thread-safe: share one (e.g. in the app state) between threads. Its caches are bounded.
#[derive(Debug, Default)]
pub struct Renderer {
    code: highlight::Cache,
    math: math::MathCache,
}

static SHARED: LazyLock<Renderer> = LazyLock::new(Renderer::default);

/// Renders a lesson with the process-wide [`Renderer`].
pub fn render(lesson: &Lesson, options: &RenderOptions<'_>) -> Rendered {
    SHARED.render(lesson, options)
}

/// Renders a Markdown fragment (a quiz prompt, an option, an explanation) into HTML with
/// the same policy as a lesson body: code, emphasis, math, external and `#fragment`
/// links. Relative links and images are dropped, since a fragment has no folder. A
/// fragment that is a single paragraph comes back without its `<p>` wrapper.
pub fn inline_html(markdown: &str) -> String {
    SHARED.inline_html(markdown)
}

/// Loads syntect's syntax data now (it is otherwise loaded on the first highlighted block,
/// which then takes tens of milliseconds). Call it from a background thread at start-up to
/// keep that cost off the first render.
pub fn warm_up() {
    highlight::warm_up();
}

/// Render-time diagnostics of every lesson of a course (bad math, dropped links, missing
/// images, limits), without highlighting any code. `lectern check` reports them.
pub fn check_course(course: &Course) -> Vec<Diagnostic> {
    check_course_with(&SHARED, course)
}

/// [`check_course`] with a given renderer (the app's, whose code cache is warm).
pub fn check_course_with(renderer: &Renderer, course: &Course) -> Vec<Diagnostic> {
    let ids = course.lesson_ids_by_path();
    let options = RenderOptions::new(course.root(), ids);
    course
        .lessons()
        .iter()
        .flat_map(|l| renderer.check(l, &options))
        .collect()
}

/// One render's inputs, whichever front door it came through.
struct Job<'a> {
    body: &'a str,
    lesson: Option<&'a Lesson>,
    resolver: Option<Resolver>,
    lesson_ids: &'a HashMap<PathBuf, String>,
    asset_prefix: &'a str,
    /// Produce HTML (and highlight code); `false` only collects diagnostics.
    html: bool,
    /// Leave the Knowledge Check section out (lessons, not fragments).
    skip_quiz: bool,
}

/// Where pass 1 is relative to the Knowledge Check section.
#[derive(Clone, Copy, PartialEq, Eq)]
enum QuizState {
    Looking,
    Inside,
    Done,
}

impl Renderer {
    /// Renders a lesson's body. Never fails: problems are diagnostics in the result.
    pub fn render(&self, lesson: &Lesson, options: &RenderOptions<'_>) -> Rendered {
        self.run(self.lesson_job(lesson, options, true))
    }

    /// The diagnostics [`Renderer::render`] would report, without producing HTML or
    /// highlighting code.
    pub fn check(&self, lesson: &Lesson, options: &RenderOptions<'_>) -> Vec<Diagnostic> {
        self.run(self.lesson_job(lesson, options, false))
            .diagnostics
    }

    /// [`inline_html`] with this renderer's caches.
    pub fn inline_html(&self, markdown: &str) -> String {
        static NO_IDS: LazyLock<HashMap<PathBuf, String>> = LazyLock::new(HashMap::new);
        let html = self
            .run(Job {
                body: markdown,
                lesson: None,
                resolver: None,
                lesson_ids: &NO_IDS,
                asset_prefix: ASSET_URL_PREFIX,
                html: true,
                skip_quiz: false,
            })
            .html;
        match html
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>\n"))
        {
            Some(inner) if !inner.contains("<p>") => inner.to_owned(),
            _ => html,
        }
    }

    /// How many highlighted code blocks are cached.
    pub fn cached_code_blocks(&self) -> usize {
        self.code.len()
    }

    fn lesson_job<'a>(
        &self,
        lesson: &'a Lesson,
        options: &RenderOptions<'a>,
        html: bool,
    ) -> Job<'a> {
        let body = lesson.body();
        let dir = lesson.path.parent().unwrap_or(Path::new(""));
        Job {
            body,
            lesson: Some(lesson),
            resolver: Some(Resolver::new(options.root, dir)),
            lesson_ids: options.lesson_ids,
            asset_prefix: options.asset_prefix,
            html,
            skip_quiz: true,
        }
    }

    fn run(&self, job: Job<'_>) -> Rendered {
        let mut diags = Diags {
            lesson: job.lesson,
            list: Vec::new(),
        };
        if job.body.len() as u64 > MAX_LESSON_BYTES {
            let msg = format!(
                "lesson body is {} bytes, over the {} MiB limit; split it into several lessons",
                job.body.len(),
                MAX_LESSON_BYTES / 1_048_576
            );
            diags.error(0, "file-too-large", msg.clone());
            return refused(&msg, diags.list);
        }
        // Noncharacters that could pose as placeholders become U+FFFD (same length, so
        // offsets still point into the lesson).
        let body: std::borrow::Cow<'_, str> =
            if job.body.contains(SLOT_OPEN_STR) || job.body.contains(SLOT_CLOSE_STR) {
                job.body.replace([SLOT_OPEN, SLOT_CLOSE], "\u{FFFD}").into()
            } else {
                job.body.into()
            };

        // Pass 1: events within the nesting limits, without the Knowledge Check. The
        // section is found here, in the same parse, by the rule `knowledge_check_span`
        // states (a test holds the two to agreement): a second parse would cost as much
        // as all the rest of a cached re-render.
        let mut events: Vec<(Event<'_>, Range<usize>)> = Vec::new();
        let (mut nesting, mut depth) = (0usize, 0usize);
        let mut quiz = if job.skip_quiz {
            QuizState::Looking
        } else {
            QuizState::Done
        };
        // A top-level level-2 heading being read: where it starts in `events`, its text.
        let mut candidate: Option<(usize, String)> = None;
        for (event, range) in Parser::new_ext(&body, parser_options()).into_offset_iter() {
            let top_level = depth == 0;
            match &event {
                Event::Start(tag) => {
                    depth += 1;
                    if matches!(tag, Tag::BlockQuote(_) | Tag::List(_)) {
                        nesting += 1;
                    }
                    if nesting > MAX_NESTING || depth > MAX_ELEMENT_DEPTH {
                        let msg = if nesting > MAX_NESTING {
                            format!("lists and quotes nest more than {MAX_NESTING} levels deep here; flatten them")
                        } else {
                            format!("elements nest more than {MAX_ELEMENT_DEPTH} levels deep here; flatten them")
                        };
                        diags.error(range.start, "nesting-too-deep", msg.clone());
                        return refused(&msg, diags.list);
                    }
                }
                Event::End(tag) => {
                    depth = depth.saturating_sub(1);
                    if matches!(tag, TagEnd::BlockQuote(_) | TagEnd::List(_)) {
                        nesting = nesting.saturating_sub(1);
                    }
                }
                _ => {}
            }
            match quiz {
                QuizState::Looking => match &event {
                    Event::Start(Tag::Heading { level, .. })
                        if top_level && level_number(*level) == 2 =>
                    {
                        candidate = Some((events.len(), String::new()));
                    }
                    Event::End(TagEnd::Heading(_)) if depth == 0 => {
                        if let Some((start, text)) = candidate.take() {
                            if outline::is_knowledge_check_title(&text) {
                                events.truncate(start);
                                quiz = QuizState::Inside;
                                continue;
                            }
                        }
                    }
                    other => {
                        if let Some((_, text)) = candidate.as_mut() {
                            push_plain(text, other);
                        }
                    }
                },
                QuizState::Inside => match &event {
                    Event::Start(Tag::Heading { level, .. })
                        if top_level && level_number(*level) <= 2 =>
                    {
                        quiz = QuizState::Done;
                    }
                    _ => continue,
                },
                QuizState::Done => {}
            }
            events.push((event, range));
        }
        let raw_html = events
            .iter()
            .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
        if raw_html {
            if let Some(offset) = raw_html_too_deep(&events) {
                let msg = format!(
                    "raw HTML nests more than {MAX_ELEMENT_DEPTH} elements deep here; close its tags or flatten it"
                );
                diags.error(offset, "nesting-too-deep", msg.clone());
                return refused(&msg, diags.list);
            }
        }

        // Pass 2: rewrite the events.
        let mut w = Writer {
            renderer: self,
            job: &job,
            diags: &mut diags,
            out: Vec::with_capacity(events.len()),
            slots: raw_html.then(Slots::new),
            slugger: Slugger::default(),
            toc: Vec::new(),
            closers: Vec::new(),
            footnotes: HashMap::new(),
            table: TableState::default(),
            blocks: Vec::new(),
        };
        w.rewrite(&mut events);
        let Writer {
            out,
            slots,
            toc,
            blocks,
            ..
        } = w;
        let mut html = String::new();
        if job.html {
            html.reserve(body.len() * 2 + blocks.iter().map(|(_, b)| b.len()).sum::<usize>());
            // pulldown-cmark writes the events between code blocks; the blocks, cached
            // whole, are appended as they are. Its writer keeps no state across a block
            // that matters here (tables and footnotes are written by this module).
            let mut events = out.into_iter();
            let mut written = 0;
            for (index, block) in &blocks {
                pulldown_cmark::html::push_html(&mut html, events.by_ref().take(index - written));
                events.next();
                html.push_str(block);
                written = index + 1;
            }
            pulldown_cmark::html::push_html(&mut html, events);
            if let Some(slots) = slots {
                let policy = sanitize::author_policy(
                    job.resolver
                        .clone()
                        .unwrap_or_else(|| Resolver::new(Path::new(""), Path::new(""))),
                    job.asset_prefix,
                );
                let clean = policy.clean(&html).to_string();
                html = slots.fill(&clean);
            }
        }
        Rendered {
            html,
            toc,
            diagnostics: diags.list,
        }
    }
}

/// Where the raw HTML of a lesson first nests deeper than [`MAX_ELEMENT_DEPTH`], if it
/// does. The HTML parser behind the sanitizer checks element scope by walking its stack
/// of open elements, so thousands of nested unclosed `<div>`s cost it quadratic time; this
/// estimate (start tags minus end tags, ignoring void and self-closing elements and those
/// the parser closes implicitly) refuses such input before it gets there.
fn raw_html_too_deep(events: &[(Event<'_>, Range<usize>)]) -> Option<usize> {
    const NOT_NESTING: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "rp", "rt",
    ];
    let mut depth = 0usize;
    for (event, range) in events {
        let (Event::Html(html) | Event::InlineHtml(html)) = event else {
            continue;
        };
        let b = html.as_bytes();
        let mut i = 0;
        while let Some(lt) = b[i..].iter().position(|&c| c == b'<') {
            i += lt + 1;
            match b.get(i) {
                Some(b'/') => depth = depth.saturating_sub(1),
                Some(c) if c.is_ascii_alphabetic() => {
                    let end = b[i..]
                        .iter()
                        .position(|c| !c.is_ascii_alphanumeric())
                        .map_or(b.len(), |e| i + e);
                    let name = &html[i..end];
                    let close = b[end..].iter().position(|&c| c == b'>').map(|e| end + e);
                    let self_closing = close.is_some_and(|c| c > 0 && b[c - 1] == b'/');
                    if !self_closing && !NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                        depth += 1;
                        if depth > MAX_ELEMENT_DEPTH {
                            return Some(range.start);
                        }
                    }
                    i = end;
                }
                _ => {}
            }
        }
    }
    None
}

/// The result for a lesson that is refused whole.
fn refused(message: &str, diagnostics: Vec<Diagnostic>) -> Rendered {
    Rendered {
        html: format!(
            "<div class=\"render-error\"><p>This lesson cannot be shown: {}</p></div>\n",
            escape_html(message)
        ),
        toc: Vec::new(),
        diagnostics,
    }
}

/// Diagnostics at body offsets, converted to lesson-file lines and columns.
struct Diags<'a> {
    lesson: Option<&'a Lesson>,
    list: Vec<Diagnostic>,
}

impl Diags<'_> {
    fn push(&mut self, error: bool, offset: usize, code: &'static str, message: String) {
        let Some(lesson) = self.lesson else {
            return;
        };
        let body = lesson.body();
        let offset = offset.min(body.len());
        let before = &body[..offset];
        let line = lesson.body_line + before.matches('\n').count() as u32;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() as u32 + 1;
        // The body's first line may follow the front matter on the same text line only
        // when the body starts mid-line, which the format does not allow.
        let d = if error {
            Diagnostic::error(&lesson.path, line, column, code, message)
        } else {
            Diagnostic::warning(&lesson.path, line, column, code, message)
        };
        self.list.push(d.with_source(&lesson.text));
    }

    fn error(&mut self, offset: usize, code: &'static str, message: String) {
        self.push(true, offset, code, message);
    }

    fn warning(&mut self, offset: usize, code: &'static str, message: String) {
        self.push(false, offset, code, message);
    }
}

/// Trusted fragments held out of the sanitizer, and the placeholders standing in for them.
struct Slots {
    nonce: u64,
    fragments: Vec<String>,
}

impl Slots {
    fn new() -> Self {
        // Unpredictable per render, so no text can name a slot on purpose.
        let nonce = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        Slots {
            nonce,
            fragments: Vec::new(),
        }
    }

    fn hold(&mut self, html: String) -> String {
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

#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

/// The event rewriter of one render.
struct Writer<'r, 'j, 'd, 'e> {
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
    /// Code blocks to write after the event at each index (a placeholder `Html("")`).
    blocks: Vec<(usize, Arc<str>)>,
}

impl<'e> Writer<'_, '_, '_, 'e> {
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

    /// Emits markup Lectern made itself: as is, or as a placeholder when the document will
    /// go through the author sanitizer.
    fn trusted(&mut self, html: String, block: bool) {
        let text = match self.slots.as_mut() {
            Some(slots) => slots.hold(html),
            None => html,
        };
        self.out.push(if block {
            Event::Html(text.into())
        } else {
            Event::InlineHtml(text.into())
        });
    }

    /// Emits a link's or cell's opening or closing tag. These go through the sanitizer
    /// like any element: they must be balanced for it.
    fn tag(&mut self, html: String) {
        self.out.push(Event::InlineHtml(html.into()));
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

    fn rewrite(&mut self, events: &mut [(Event<'e>, Range<usize>)]) {
        let mut i = 0;
        while i < events.len() {
            let range = events[i].1.clone();
            let event = std::mem::replace(&mut events[i].0, Event::SoftBreak);
            i += 1;
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let mut text = String::new();
                    for (e, _) in events[i..].iter() {
                        if matches!(e, Event::End(TagEnd::Heading(_))) {
                            break;
                        }
                        push_plain(&mut text, e);
                    }
                    let id = self.slugger.id_for(id.as_deref(), &text);
                    let n = level_number(level);
                    if n == 2 || n == 3 {
                        self.toc.push(Heading {
                            level: n,
                            text: text.trim().to_owned(),
                            id: id.clone(),
                            offset: range.start,
                        });
                    }
                    self.out.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(id.into()),
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let mut code = String::new();
                    while i < events.len() {
                        let e = std::mem::replace(&mut events[i].0, Event::SoftBreak);
                        i += 1;
                        match e {
                            Event::End(TagEnd::CodeBlock) => break,
                            Event::Text(t) => code.push_str(&t),
                            _ => {}
                        }
                    }
                    if self.job.html {
                        let info = match &kind {
                            CodeBlockKind::Fenced(info) => info.as_ref(),
                            CodeBlockKind::Indented => "",
                        };
                        let html = self.renderer.code_block(info, &code);
                        self.trusted_block(html);
                    }
                }
                Event::InlineMath(latex) | Event::DisplayMath(latex)
                    if !matches!(latex.as_ref(), "") =>
                {
                    let display = body_at(self.job.body, &range).starts_with("$$");
                    let html = match self.renderer.math.convert(&latex, display) {
                        Ok(mathml) => mathml.to_string(),
                        Err(e) => {
                            let delim = if display { 2 } else { 1 };
                            self.diags.warning(
                                range.start + delim + e.offset,
                                "math-syntax",
                                format!(
                                    "cannot read the formula `{}`: {}",
                                    shorten(&latex),
                                    e.message
                                ),
                            );
                            math::error_html(&latex, display, &e.message)
                        }
                    };
                    self.trusted(html, false);
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                }) => {
                    let title = title_attr(&title);
                    let target = if link_type == LinkType::Email {
                        LinkTarget::Dropped {
                            code: "link-scheme",
                            message: format!(
                                "e-mail link `{}` is not followed; write the address as text",
                                shorten(&dest_url)
                            ),
                        }
                    } else {
                        resolve_link(&dest_url, self.job.resolver.as_ref(), self.job.lesson_ids)
                    };
                    match target {
                        LinkTarget::External(url) => {
                            self.tag(format!(
                                "<a href=\"{}\" class=\"external\" rel=\"noopener noreferrer\"{title}>",
                                escape_html(&url.replace(' ', "%20"))
                            ));
                            self.closers.push("</a>");
                        }
                        LinkTarget::Lesson { id, anchor } => {
                            self.tag(format!(
                                "<a href=\"#lesson/{0}\" data-lesson=\"{0}\" data-anchor=\"{1}\"{title}>",
                                escape_html(&id),
                                escape_html(&anchor)
                            ));
                            self.closers.push("</a>");
                        }
                        LinkTarget::Anchor(anchor) => {
                            let lesson = self
                                .job
                                .lesson
                                .map(|l| format!(" data-lesson=\"{}\"", escape_html(&l.id)))
                                .unwrap_or_default();
                            self.tag(format!(
                                "<a href=\"#{0}\" data-anchor=\"{0}\"{lesson}{title}>",
                                escape_html(&anchor)
                            ));
                            self.closers.push("</a>");
                        }
                        LinkTarget::Dropped { code, message } => {
                            self.diags.warning(range.start, code, message);
                            self.tag("<span class=\"link-removed\">".to_owned());
                            self.closers.push("</span>");
                        }
                    }
                }
                Event::End(TagEnd::Link) => {
                    let close = self.closers.pop().unwrap_or("");
                    self.tag(close.to_owned());
                }
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let mut alt = String::new();
                    let mut nested = 0usize;
                    while i < events.len() {
                        let e = std::mem::replace(&mut events[i].0, Event::SoftBreak);
                        i += 1;
                        match e {
                            Event::Start(Tag::Image { .. }) => nested += 1,
                            Event::End(TagEnd::Image) if nested == 0 => break,
                            Event::End(TagEnd::Image) => nested -= 1,
                            e => push_plain(&mut alt, &e),
                        }
                    }
                    match resolve_image(
                        &dest_url,
                        self.job.resolver.as_ref(),
                        self.job.asset_prefix,
                    ) {
                        ImageSource::Asset(url) => self.tag(format!(
                            "<img src=\"{}\" alt=\"{}\"{}>",
                            escape_html(&url),
                            escape_html(&alt),
                            title_attr(&title)
                        )),
                        ImageSource::Dropped { code, message } => {
                            self.diags.warning(range.start, code, message);
                            self.tag(format!(
                                "<span class=\"image-missing\">{}</span>",
                                escape_html(&alt)
                            ));
                        }
                    }
                }
                Event::FootnoteReference(label) => {
                    let (n, first) = self.footnote(&label);
                    let id = if first {
                        format!(" id=\"fnref-{n}\"")
                    } else {
                        String::new()
                    };
                    self.tag(format!(
                        "<sup class=\"footnote-reference\"{id}><a href=\"#fn-{n}\" data-anchor=\"fn-{n}\">{n}</a></sup>"
                    ));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let (n, _) = self.footnote(&label);
                    self.out.push(Event::Html(
                        format!("<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>").into(),
                    ));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    self.out.push(Event::Html("</div>\n".into()));
                }
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
                    // pulldown-cmark would write `style="text-align: …"`, which the CSP
                    // forbids: classes instead.
                    let cell = if self.table.in_head { "th" } else { "td" };
                    let class = match self.table.alignments.get(self.table.cell) {
                        Some(Alignment::Left) => " class=\"align-left\"",
                        Some(Alignment::Center) => " class=\"align-center\"",
                        Some(Alignment::Right) => " class=\"align-right\"",
                        _ => "",
                    };
                    self.tag(format!("<{cell}{class}>"));
                }
                Event::End(TagEnd::TableCell) => {
                    let cell = if self.table.in_head { "th" } else { "td" };
                    self.table.cell += 1;
                    self.tag(format!("</{cell}>"));
                }
                other => self.out.push(other),
            }
        }
    }
}

impl Renderer {
    /// The markup of one code block (see the module docs for its shape).
    fn code_block(&self, info: &str, code: &str) -> Arc<str> {
        let Some(lang) = highlight::language(info) else {
            let mut out = String::with_capacity(code.len() + 48);
            out.push_str("<pre class=\"diagram\"><code>");
            out.push_str(&escape_html(code));
            out.push_str("</code></pre>\n");
            return out.into();
        };
        let label = lang.label();
        let wrap = |body: &str| {
            let token = highlight::class_token(label);
            let mut out = String::with_capacity(body.len() + 160);
            let _ = write!(
                out,
                "<figure class=\"code\" data-lang=\"{token}\"><figcaption>{}</figcaption><pre class=\"hl-code\"><code class=\"language-{token}\">",
                escape_html(label)
            );
            out.push_str(body);
            out.push_str("</code></pre></figure>\n");
            out
        };
        match &lang {
            highlight::Language::Known { syntax, .. } => self.code.block(syntax, label, code, wrap),
            highlight::Language::Unknown { .. } => wrap(&escape_html(code)).into(),
        }
    }
}

/// The source text of an event, for telling `$…$` from `$$…$$`.
fn body_at<'b>(body: &'b str, range: &Range<usize>) -> &'b str {
    body.get(range.clone()).unwrap_or("")
}

fn title_attr(title: &CowStr<'_>) -> String {
    if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape_html(title))
    }
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(body: &str) -> Lesson {
        let text = format!("---\nid: t\ntitle: T\n---\n{body}");
        crate::lesson::parse(Path::new("t.md"), text.as_bytes())
            .unwrap()
            .0
    }

    #[test]
    fn render_leaves_out_exactly_the_span_knowledge_check_span_finds() {
        for body in [
            "# T\n\nIntro.\n\n## Knowledge Check\n\n1. Q?\n   - a\n   - b\n\n## After\n\nText.\n",
            "## A\n\n```\n## Quiz\n```\n\n> ## Quiz\n\n## quiz ##\n\n### Sub\n\ntext\n\n# Top\n\nmore\n",
            "Intro\n\nKnowledge check\n---\n\n1. Q\n\nEnd\n===\n\n## Knowledge Check\n\nsecond one stays\n",
            "## Knowledge Check {#kc}\n\n1. Q\n",
            "No quiz here.\n\n## Quizzes\n",
        ] {
            let renderer = Renderer::default();
            let ids = HashMap::new();
            let opts = RenderOptions::new(Path::new("."), &ids);
            let rendered = renderer.render(&lesson(body), &opts);
            let cut = match knowledge_check_span(body) {
                Some(span) => format!("{}{}", &body[..span.start], &body[span.end..]),
                None => body.to_owned(),
            };
            let expected = renderer.run(Job {
                body: &cut,
                lesson: None,
                resolver: None,
                lesson_ids: &ids,
                asset_prefix: ASSET_URL_PREFIX,
                html: true,
                skip_quiz: false,
            });
            assert_eq!(rendered.html, expected.html, "{body}");
        }
    }

    #[test]
    fn inline_html_unwraps_a_single_paragraph_and_keeps_the_policy() {
        assert_eq!(
            inline_html("Use `x` and *y* with $a$"),
            "Use <code>x</code> and <em>y</em> with <math><mi>a</mi></math>"
        );
        assert_eq!(
            inline_html("[a](javascript:alert(1)) [b](https://e.org) [c](#sec)"),
            "<span class=\"link-removed\">a</span> <a href=\"https://e.org\" class=\"external\" rel=\"noopener noreferrer\">b</a> <a href=\"#sec\" data-anchor=\"sec\">c</a>"
        );
        assert_eq!(inline_html("a\n\nb"), "<p>a</p>\n<p>b</p>\n");
        assert_eq!(inline_html("<img src=x onerror=alert(1)>"), "<img>");
    }

    #[test]
    fn diagnostics_point_at_lesson_file_lines_and_columns() {
        let ids = HashMap::new();
        let r = render(
            &lesson("# T\n\nSee [x](javascript:alert(1)).\n"),
            &RenderOptions::new(Path::new("."), &ids),
        );
        let d = &r.diagnostics[0];
        assert_eq!((d.code, d.line, d.column), ("link-scheme", 7, 5));
        assert_eq!(d.snippet.as_deref(), Some("See [x](javascript:alert(1))."));
    }
}
