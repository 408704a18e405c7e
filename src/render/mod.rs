//! Rendering: a lesson's Markdown into safe HTML for the reader, with its table of contents
//! and the problems found on the way.
//!
//! Front door: [`Renderer::render`] (or [`render`], which uses a process-wide renderer).
//! pulldown-cmark parses CommonMark with tables, footnotes, strikethrough, task lists,
//! heading attributes, GitHub alerts, definition lists (as mdBook does) and math; this module then rewrites its events:
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
//! | Rust code with hidden lines (mdBook's `# ` lines) | `<figure class="code has-hidden" data-lang="rust"><figcaption>rust</figcaption><pre class="hl-code hl-visible"><code …>`the code as shown`</code></pre><pre class="hl-code hl-full"><code …>`the whole program`</code></pre></figure>`; the stylesheet shows `hl-full` instead of `hl-visible` while the figure has the class `show-hidden`, which the app's toggle sets |
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

mod assemble;
mod collect;
mod headings;
mod highlight;
mod links;
mod math;
mod page;
mod sanitize;
mod writer;

pub(crate) use writer::is_quiz_block;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use pulldown_cmark::Options;

use crate::course::Course;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lesson::{Lesson, MAX_LESSON_BYTES};
use crate::text::LineIndex;

pub use headings::{headings, knowledge_check_span, knowledge_check_spans, Heading};
pub(crate) use headings::{push_plain, KnowledgeCheckLocator, Part, Slugger};
pub use highlight::{highlight_css, Theme, DARK_THEME, LIGHT_THEME};
pub use links::{image_mime, read_asset, AssetError, ASSET_URL_PREFIX, MAX_ASSET_BYTES};
pub use page::{standalone_page, BASE_CSS};
pub use sanitize::sanitize;

use collect::Keep;
use links::Resolver;

/// Blockquotes and lists nested deeper than this make the lesson an error: nothing real
/// nests so deep, and the webview and every tree walk after us would pay for it.
pub const MAX_NESTING: usize = 64;
/// Any element nesting (emphasis in links in lists…) deeper than this is an error too.
const MAX_ELEMENT_DEPTH: usize = 256;

/// Placeholder delimiters for trusted fragments while raw HTML is sanitized. They are
/// Unicode noncharacters; any in the author's text are replaced by U+FFFD beforehand.
const SLOT_OPEN: char = '\u{FDD0}';
const SLOT_CLOSE: char = '\u{FDD1}';

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
        | Options::ENABLE_DEFINITION_LIST
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

/// The process-wide renderer [`render`] uses, for a caller that is handed none (the
/// review queue placing a learner's card on its lesson).
pub fn shared() -> &'static Renderer {
    &SHARED
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

/// What is being rendered.
enum Source<'a> {
    /// A lesson's body: links and images resolve in its folder, diagnostics point into
    /// its file, and its Knowledge Check is left out.
    Lesson {
        lesson: &'a Lesson,
        resolver: Resolver,
    },
    /// A Markdown fragment (a quiz prompt, option or explanation): no folder, no file.
    Fragment,
}

/// What a render produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Output {
    /// The HTML and the diagnostics.
    Html,
    /// Only the diagnostics: no code is highlighted and no HTML written.
    DiagnosticsOnly,
}

/// One render's inputs, whichever front door it came through.
struct Job<'a> {
    body: &'a str,
    source: Source<'a>,
    lesson_ids: &'a HashMap<PathBuf, String>,
    asset_prefix: &'a str,
    output: Output,
}

impl Job<'_> {
    fn lesson(&self) -> Option<&Lesson> {
        match &self.source {
            Source::Lesson { lesson, .. } => Some(lesson),
            Source::Fragment => None,
        }
    }

    fn resolver(&self) -> Option<&Resolver> {
        match &self.source {
            Source::Lesson { resolver, .. } => Some(resolver),
            Source::Fragment => None,
        }
    }

    fn keep(&self) -> Keep {
        match self.source {
            Source::Lesson { .. } => Keep::BodyWithoutQuiz,
            Source::Fragment => Keep::Everything,
        }
    }
}

impl Renderer {
    /// Renders a lesson's body. Never fails: problems are diagnostics in the result.
    pub fn render(&self, lesson: &Lesson, options: &RenderOptions<'_>) -> Rendered {
        self.run(Self::lesson_job(lesson, options, Output::Html))
    }

    /// The diagnostics [`Renderer::render`] would report, without producing HTML or
    /// highlighting code.
    pub fn check(&self, lesson: &Lesson, options: &RenderOptions<'_>) -> Vec<Diagnostic> {
        self.run(Self::lesson_job(lesson, options, Output::DiagnosticsOnly))
            .diagnostics
    }

    /// [`Renderer::check`], and where the body's Knowledge Check sections are (what
    /// [`knowledge_check_spans`] gives, found by the same parse), so that checking the
    /// quiz need not parse the body again; `None` when the render could not tell (a
    /// refused body).
    pub(crate) fn check_finding_quiz(
        &self,
        lesson: &Lesson,
        options: &RenderOptions<'_>,
    ) -> (Vec<Diagnostic>, Option<Vec<Range<usize>>>) {
        let job = Self::lesson_job(lesson, options, Output::DiagnosticsOnly);
        let (rendered, quiz) = self.run_finding_quiz(job);
        (rendered.diagnostics, quiz)
    }

    /// [`inline_html`] with this renderer's caches.
    pub fn inline_html(&self, markdown: &str) -> String {
        static NO_IDS: LazyLock<HashMap<PathBuf, String>> = LazyLock::new(HashMap::new);
        let html = self
            .run(Job {
                body: markdown,
                source: Source::Fragment,
                lesson_ids: &NO_IDS,
                asset_prefix: ASSET_URL_PREFIX,
                output: Output::Html,
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

    fn lesson_job<'a>(lesson: &'a Lesson, options: &RenderOptions<'a>, output: Output) -> Job<'a> {
        let dir = lesson.path.parent().unwrap_or(Path::new(""));
        Job {
            body: lesson.body(),
            source: Source::Lesson {
                lesson,
                resolver: Resolver::new(options.root, dir),
            },
            lesson_ids: options.lesson_ids,
            asset_prefix: options.asset_prefix,
            output,
        }
    }

    /// A render: limits, pass 1 (events without the quiz), pass 2 (rewrite), HTML.
    fn run(&self, job: Job<'_>) -> Rendered {
        self.run_finding_quiz(job).0
    }

    /// [`Renderer::run`], and the Knowledge Check sections its parse found (what
    /// [`knowledge_check_spans`] gives for the body), when it read the body as written:
    /// `None` when the body was refused, or had noncharacters replaced first.
    fn run_finding_quiz(&self, job: Job<'_>) -> (Rendered, Option<Vec<Range<usize>>>) {
        let mut diags = Diags::new(job.lesson());
        if job.body.len() as u64 > MAX_LESSON_BYTES {
            let msg = format!(
                "lesson body is {} bytes, over the {} MiB limit; split it into several lessons",
                job.body.len(),
                MAX_LESSON_BYTES / 1_048_576
            );
            diags.error(0, "file-too-large", msg.clone());
            return (refused(&msg, diags.list), None);
        }
        // Noncharacters that could pose as placeholders become U+FFFD (same length, so
        // offsets still point into the lesson).
        let body: std::borrow::Cow<'_, str> = if job.body.contains([SLOT_OPEN, SLOT_CLOSE]) {
            job.body.replace([SLOT_OPEN, SLOT_CLOSE], "\u{FFFD}").into()
        } else {
            job.body.into()
        };
        let as_written = matches!(body, std::borrow::Cow::Borrowed(_));
        let (mut events, quiz) = match collect::events(&body, job.keep()) {
            Ok(found) => found,
            Err(refusal) => {
                diags.error(refusal.offset, "nesting-too-deep", refusal.message.clone());
                return (refused(&refusal.message, diags.list), None);
            }
        };
        let rewritten = writer::rewrite(self, &job, &mut diags, &mut events);
        let toc = rewritten.toc.clone();
        let html = match job.output {
            Output::Html => assemble::html(&job, rewritten),
            Output::DiagnosticsOnly => String::new(),
        };
        let rendered = Rendered {
            html,
            toc,
            diagnostics: diags.list,
        };
        (rendered, as_written.then_some(quiz))
    }
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

/// Diagnostics at body offsets, converted to lesson-file lines and columns. The line
/// index is built once, on the first diagnostic, so many diagnostics stay linear.
struct Diags<'a> {
    lesson: Option<&'a Lesson>,
    lines: OnceCell<LineIndex>,
    list: Vec<Diagnostic>,
}

impl<'a> Diags<'a> {
    fn new(lesson: Option<&'a Lesson>) -> Self {
        Diags {
            lesson,
            lines: OnceCell::new(),
            list: Vec::new(),
        }
    }

    fn push(&mut self, severity: Severity, offset: usize, code: &'static str, message: String) {
        let Some(lesson) = self.lesson else {
            return;
        };
        let text = &lesson.text;
        let index = self.lines.get_or_init(|| LineIndex::new(text));
        let offset = lesson.body_offset + offset.min(lesson.body().len());
        let (line, column) = index.position(text, offset);
        let range = index.line_range(text, line).unwrap_or(offset..offset);
        let source = &text[range.clone()];
        let d = match severity {
            Severity::Error => Diagnostic::error(&lesson.path, line, column, code, message),
            Severity::Warning => Diagnostic::warning(&lesson.path, line, column, code, message),
        };
        self.list
            .push(d.with_line_at(source, offset.saturating_sub(range.start)));
    }

    fn error(&mut self, offset: usize, code: &'static str, message: String) {
        self.push(Severity::Error, offset, code, message);
    }

    fn warning(&mut self, offset: usize, code: &'static str, message: String) {
        self.push(Severity::Warning, offset, code, message);
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
            highlight::Language::Known { syntax, .. } if *syntax == "Rust" => {
                match hidden_lines(code) {
                    Some((visible, full)) => self.rust_with_hidden_lines(label, &visible, &full),
                    None => self.code.block(syntax, label, code, wrap),
                }
            }
            highlight::Language::Known { syntax, .. } => self.code.block(syntax, label, code, wrap),
            highlight::Language::Unknown { .. } => wrap(&escape_html(code)).into(),
        }
    }

    /// A Rust block with mdBook's hidden lines: the code as shown (`hl-visible`) and the
    /// whole program (`hl-full`, hidden by the stylesheet until the figure has the class
    /// `show-hidden`, which the app's toggle button sets), each highlighted on its own.
    fn rust_with_hidden_lines(&self, label: &str, visible: &str, full: &str) -> Arc<str> {
        let token = highlight::class_token(label);
        let shown = self.code.block("Rust", label, visible, str::to_owned);
        let whole = self.code.block("Rust", label, full, str::to_owned);
        let mut out = String::with_capacity(shown.len() + whole.len() + 300);
        let _ = writeln!(
            out,
            "<figure class=\"code has-hidden\" data-lang=\"{token}\"><figcaption>{}</figcaption><pre class=\"hl-code hl-visible\"><code class=\"language-{token}\">{shown}</code></pre><pre class=\"hl-code hl-full\"><code class=\"language-{token}\">{whole}</code></pre></figure>",
            escape_html(label)
        );
        out.into()
    }
}

/// mdBook's hidden lines of a Rust block: a line whose text starts with `# ` (or is
/// `#` alone) is hidden, `##` at its start shows as `#`. The code as shown and the whole
/// program, or `None` when no line is hidden.
fn hidden_lines(code: &str) -> Option<(String, String)> {
    let (mut visible, mut full, mut any) = (String::new(), String::new(), false);
    for line in code.split_inclusive('\n') {
        let text = line.trim_end_matches('\n');
        let trimmed = text.trim_start();
        let indent = &text[..text.len() - trimmed.len()];
        let nl = &line[text.len()..];
        if let Some(rest) = trimmed.strip_prefix("##") {
            let shown = format!("{indent}#{rest}{nl}");
            visible.push_str(&shown);
            full.push_str(&shown);
        } else if trimmed == "#" || trimmed.starts_with("# ") {
            any = true;
            full.push_str(indent);
            full.push_str(trimmed.get(2..).unwrap_or(""));
            full.push_str(nl);
        } else {
            visible.push_str(line);
            full.push_str(line);
        }
    }
    any.then_some((visible, full))
}

fn shorten(s: &str) -> String {
    crate::text::truncate(s, 60)
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
    fn mdbook_markdown_renders_definition_lists_alerts_footnotes_and_rust_attributes() {
        let html = render(
            &lesson("Term\n: Its definition.\n\n> [!NOTE]\n> Noted.\n\nText[^1].\n\n[^1]: A footnote.\n\n```rust,should_panic,noplayground\nfn main() {}\n```\n"),
            &RenderOptions::new(Path::new("."), &HashMap::new()),
        )
        .html;
        assert!(
            html.contains("<dl>") && html.contains("<dt>Term</dt>"),
            "{html}"
        );
        assert!(html.contains("markdown-alert-note"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
        assert!(
            html.contains(r#"data-lang="rust""#) && html.contains("hl-storage"),
            "{html}"
        );
    }

    #[test]
    fn rust_hidden_lines_are_hidden_with_the_whole_program_beside_them() {
        let html = render(
            &lesson("```rust,ignore\n# use std::io;\n#\nfn main() {}\n#[derive(Debug)]\n## not hidden\n```\n"),
            &RenderOptions::new(Path::new("."), &HashMap::new()),
        )
        .html;
        assert!(
            html.contains(r#"<figure class="code has-hidden" data-lang="rust">"#),
            "{html}"
        );
        let visible = &html[html.find("hl-visible").unwrap()..html.find("hl-full").unwrap()];
        assert!(!visible.contains("std"), "{visible}");
        assert!(visible.contains("derive"), "{visible}");
        let full = &html[html.find("hl-full").unwrap()..];
        assert!(full.contains("std") && full.contains("main"), "{full}");
        assert_eq!(crate::render::sanitize(&html), html);
        let plain = render(
            &lesson("```rust\nfn main() {}\n```\n"),
            &RenderOptions::new(Path::new("."), &HashMap::new()),
        )
        .html;
        assert!(!plain.contains("has-hidden"), "{plain}");
    }

    #[test]
    fn render_leaves_out_exactly_the_span_knowledge_check_span_finds() {
        for body in [
            "# T\n\nIntro.\n\n## Knowledge Check\n\n1. Q?\n   - a\n   - b\n\n## After\n\nText.\n",
            "## A\n\n```\n## Quiz\n```\n\n> ## Quiz\n\n## quiz ##\n\n### Sub\n\ntext\n\n# Top\n\nmore\n",
            "Intro\n\nKnowledge check\n---\n\n1. Q\n\nEnd\n===\n\nKept.\n",
            "## Knowledge Check {#kc}\n\n1. Q\n",
            "No quiz here.\n\n## Quizzes\n",
            "## Quiz\n\n1. A\n   - right\n\n## Middle\n\nstays\n\n## Knowledge Check\n\n1. B\n   - first is right\n",
        ] {
            let renderer = Renderer::default();
            let ids = HashMap::new();
            let opts = RenderOptions::new(Path::new("."), &ids);
            let rendered = renderer.render(&lesson(body), &opts);
            let mut cut = String::new();
            let mut from = 0;
            for span in knowledge_check_spans(body) {
                cut.push_str(&body[from..span.start]);
                from = span.end;
            }
            cut.push_str(&body[from..]);
            let expected = renderer.run(Job {
                body: &cut,
                source: Source::Fragment,
                lesson_ids: &ids,
                asset_prefix: ASSET_URL_PREFIX,
                output: Output::Html,
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
