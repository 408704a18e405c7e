//! Bad input never crashes: thousands of lessons stitched from awkward Markdown pieces
//! (broken front matter, unclosed fences and math, stray quiz syntax, raw HTML, odd
//! Unicode, CRLF) go through every stage of the core, which must neither panic nor let
//! anything executable through.

mod alloc_count;
mod fuzz;
mod generate;
pub(crate) mod html_check;
mod mutate;
mod scaling;
mod scaling_inputs;

use std::path::Path;

use lectern::course::Course;
use lectern::render::{RenderOptions, Renderer};

/// A small deterministic generator (xorshift64*), so a failure reproduces exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const FRONT: &[&str] = &[
    "---\nid: a\ntitle: A\n---\n",
    "---\nid: a\ntitle: A\norder: 1\nsection: s\nprevLessonId: a\nnextLessonId: zz\n---\n",
    "---\nid: a\ntitle: [unclosed\n---\n",
    "---\nid: A B\ntitle: ''\n---\n",
    "---\nid: a\ntitle: A\n",
    "\u{feff}---\r\nid: a\r\ntitle: A\r\n---\r\n",
    "# no front matter\n",
    "---\n---\n",
    "---\nid: a\ntitle: A\nduration: forever\norder: x\nunknwon: 1\n---\n",
    "",
];

const PIECES: &[&str] = &[
    "# Title\n",
    "## Knowledge Check\n",
    "## quiz\n",
    "1. What?\n   - yes\n   - no\n",
    "1. \n   - [x] only\n",
    "2. Which?\n   - [ ] a\n   - [ ] b\n   > why\n",
    "3. Numbered options?\n   1. one\n   2. two\n",
    "   - [x] orphan option\n",
    "> quote\n> > nested\n",
    "```python\nprint('x')\n",
    "```\n",
    "```<script>alert(1)</script>\ncode\n```\n",
    "~~~\n┌─┐\n└─┘\n~~~\n",
    "$x^2$ and $$\\frac{1}{",
    "$$\\begin{matrix} a & b \\end{matrix}$$\n",
    "$\\href{javascript:alert(1)}{x}$\n",
    "<script>alert(1)</script>\n",
    "<img src=x onerror=alert(1)>\n",
    "<a href=\"javascript:alert(1)\">x</a>\n",
    "[l](other.md#h) [e](https://example.org) [j](JAVASCRIPT:x) [d](data:text/html,x)\n",
    "![i](../../etc/passwd) ![j](missing.png)\n",
    "| a | b |\n|---|---|\n| 1 |\n",
    "[^1]\n\n[^1]: note\n",
    "- [ ] task\n- [x] done\n",
    "### h {#custom-id}\n",
    "\u{0}\u{202e}\u{fffd}𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﷽\n",
    "    indented code\n",
    "***\n___\n",
    "\r\n",
    "<!-- comment -->\n",
    "<details open ontoggle=alert(1)><summary>s</summary></details>\n",
    "*a **b* c**\n",
    "[a](<b\n",
];

/// The markup of an HTML string: every tag with its attribute names and values, in
/// order, entities decoded. Two serializations of the same markup (`<input>` and
/// `<input/>`, `&quot;` and `"`) give the same list; a removed tag or attribute does not.
fn markup(html: &str) -> Vec<String> {
    let decode = |v: &str| {
        v.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' && i + 1 < b.len() && (b[i + 1].is_ascii_alphabetic() || b[i + 1] == b'/') {
            let mut j = i + 1;
            let mut quote: Option<u8> = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, b'"' | b'\'') => quote = Some(b[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            let tag = html[i + 1..j.min(b.len())].trim_end_matches('/').trim();
            let mut parts: Vec<String> = Vec::new();
            let mut rest = tag;
            let name_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let name = rest[..name_end].to_ascii_lowercase();
            rest = &rest[name_end..];
            while !rest.trim().is_empty() {
                rest = rest.trim_start();
                let eq = rest
                    .find(|c: char| c == '=' || c.is_whitespace())
                    .unwrap_or(rest.len());
                let attr = rest[..eq].to_ascii_lowercase();
                rest = &rest[eq..];
                let mut value = String::new();
                if let Some(r) = rest.trim_start().strip_prefix('=') {
                    let r = r.trim_start();
                    let (v, after) = match r.chars().next() {
                        Some(q @ ('"' | '\'')) => {
                            let end = r[1..].find(q).map_or(r.len(), |e| e + 1);
                            (&r[1..end], r.get(end + 1..).unwrap_or(""))
                        }
                        _ => {
                            let end = r.find(char::is_whitespace).unwrap_or(r.len());
                            (&r[..end], &r[end..])
                        }
                    };
                    value = decode(v);
                    rest = after;
                }
                parts.push(format!("{attr}={value}"));
            }
            parts.sort();
            out.push(format!("<{name} {}>", parts.join(" ")));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn random_lessons_never_panic_and_never_carry_script() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let renderer = Renderer::default();
    for case in 0..1500 {
        let mut text = rng.pick(FRONT).to_owned();
        for _ in 0..(rng.next() % 14) {
            text.push_str(rng.pick(PIECES));
        }
        let path = Path::new("case.md");
        if let Ok((lesson, _)) = lectern::lesson::parse(path, text.as_bytes()) {
            let ids = std::collections::HashMap::new();
            let rendered = renderer.render(&lesson, &RenderOptions::new(dir.path(), &ids));
            // Judged on the parsed markup (html5ever), not on substrings of escaped text.
            let violations = html_check::violations(&rendered.html);
            assert!(
                violations.is_empty(),
                "case {case}: {violations:?}\n{text}\n---\n{}",
                rendered.html
            );
            assert_eq!(
                markup(&lectern::render::sanitize(&rendered.html)),
                markup(&rendered.html),
                "case {case}: the sanitizer would remove markup from the output:\n{text}"
            );
            let (quiz, _) = lectern::quiz::parse(&lesson);
            for q in &quiz.questions {
                assert!(
                    q.options().len() >= 2,
                    "case {case}: a malformed question reached the quiz"
                );
                assert!(q.options().iter().any(|o| o.correct));
                let attempt = lectern::quiz::start_attempt(&quiz, case);
                assert_eq!(attempt.questions.len(), quiz.questions.len());
            }
        }
    }
}

#[test]
fn a_course_of_random_lessons_loads_and_checks_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(42);
    for i in 0..60 {
        let mut text = rng
            .pick(FRONT)
            .replace("id: a", &format!("id: l{}", i % 45));
        for _ in 0..(rng.next() % 10) {
            text.push_str(rng.pick(PIECES));
        }
        std::fs::write(dir.path().join(format!("{i}.md")), text).unwrap();
    }
    std::fs::write(dir.path().join("course.yaml"), "title: [oops\n").unwrap();
    let loaded = Course::load(dir.path());
    assert!(!loaded.diagnostics.is_empty());
    let _ = lectern::render::check_course(&loaded.course);
    let _ = lectern::quiz::check_course(&loaded.course);
    let _ = loaded.course.outline(&loaded.diagnostics);
}

#[test]
fn markup_comparison_sees_removed_attributes_but_not_spelling() {
    assert_eq!(
        markup("<input disabled=\"\">"),
        markup("<input disabled=\"\"/>")
    );
    assert_eq!(
        markup("<a title=\"&quot;x&quot;\">"),
        markup("<a title='\"x\"'>")
    );
    let hostile = "<img src=\"x\" onerror=\"alert(1)\">";
    assert_ne!(markup(&lectern::render::sanitize(hostile)), markup(hostile));
}
