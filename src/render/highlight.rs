//! Code highlighting: syntect into CSS classes, cached by content, plus the two theme
//! stylesheets.
//!
//! The themes are Coldark-Cold and Coldark-Dark (by Armand Philippot, MIT licence, as
//! bundled by two-face from bat), a light and dark pair designed to meet WCAG AA: every
//! colour of both generated stylesheets has at least 4.5:1 contrast against the code
//! background the stylesheet itself paints (tests/render/stylesheets.rs measures it).
//!
//! Highlighting is by far the costliest part of rendering (a seed-sized lesson's code costs
//! a few milliseconds, its Markdown tens of microseconds), so highlighted blocks are cached
//! by `(syntax, code)`: re-rendering a lesson after an edit to its prose highlights nothing.
//! syntect's syntax and theme data are loaded once per process, lazily, on first use, or
//! ahead of time with [`warm_up`](super::warm_up).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::LazyThemeSet;

use super::escape_html;

/// The class prefix of highlighted spans: `<span class="hl-keyword hl-control">`.
pub(crate) const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The light theme's name among two-face's bundled themes (Coldark-Cold, MIT licence).
pub const LIGHT_THEME: &str = "Coldark-Cold";
/// The dark theme's name among two-face's bundled themes (Coldark-Dark, MIT licence).
pub const DARK_THEME: &str = "Coldark-Dark";
/// Who made both themes, for the stylesheets' header (the licence asks for attribution).
const THEME_CREDIT: &str =
    "by Armand Philippot (MIT licence, https://github.com/ArmandPhilippot/coldark), as bundled by two-face";

/// Code blocks larger than this are shown unhighlighted: highlighting is linear but slow
/// (about a microsecond per byte), and no lesson needs a listing this long colored.
const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;
/// Bounds of the highlight cache; the least recently used blocks go first.
const CACHE_MAX_ENTRIES: usize = 2048;
const CACHE_MAX_BYTES: usize = 32 * 1024 * 1024;

/// Common tags and the canonical label and syntax name they stand for. Tags not listed
/// here are looked up by syntect as a file extension or syntax name.
const ALIASES: &[(&[&str], &str, &str)] = &[
    (&["py", "python", "python3", "py3"], "python", "Python"),
    (
        &["js", "javascript", "mjs", "cjs"],
        "javascript",
        "JavaScript",
    ),
    (&["ts", "typescript"], "typescript", "TypeScript"),
    (
        &["sh", "bash", "shell", "zsh"],
        "bash",
        "Bourne Again Shell (bash)",
    ),
    (&["rust", "rs"], "rust", "Rust"),
    (&["json"], "json", "JSON"),
    (&["yaml", "yml"], "yaml", "YAML"),
    (&["toml"], "toml", "TOML"),
    (&["sql"], "sql", "SQL"),
    (&["html", "htm", "xhtml"], "html", "HTML"),
    (&["css"], "css", "CSS"),
    (&["c", "h"], "c", "C"),
    (&["cpp", "c++", "cxx", "cc", "hpp"], "cpp", "C++"),
    (&["go", "golang"], "go", "Go"),
    (&["java"], "java", "Java"),
];

/// Tags that mean "no language": shown as a labelled block, unhighlighted.
const PLAIN_TAGS: &[&str] = &["text", "txt", "plain", "plaintext", "output"];

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    // two-face's set is bat's: syntect's defaults plus TOML, TypeScript and others that
    // the issue's alias list needs and syntect does not bundle.
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn themes() -> &'static LazyThemeSet {
    // Embedded in the binary (bat's theme dump); a theme is deserialized on first use.
    static SET: OnceLock<LazyThemeSet> = OnceLock::new();
    SET.get_or_init(|| two_face::theme::extra().into())
}

/// A few lines per common language, highlighted by [`warm_up`]: syntect deserializes a
/// syntax's contexts and Oniguruma compiles its regexes on first use, which is most of the
/// first render's cost. Highlighting these ahead of time moves that off the first render.
const WARM_UP_SAMPLES: &[(&str, &str)] = &[
    (
        "Python",
        "import os\nfrom a import (b, c)\n\n@decorator\nclass A(B):\n    def f(self, x=1, *args, **kw):\n        \"\"\"Doc.\"\"\"\n        return [i for i in range(10) if i % 2] # c\n\nprint(f\"{x!r:>10}\", 'a', 2e-5, None, True)\n",
    ),
    (
        "Bourne Again Shell (bash)",
        "#!/bin/bash\nset -e\nfor f in *.md; do echo \"$f\" | grep -v x > out.txt; done\npip install a==1.0 --upgrade\n",
    ),
    ("JSON", "{\"a\": [1, 2.5, true, null, \"s\"], \"b\": {\"c\": \"d\"}}\n"),
    ("YAML", "a: 1\nb:\n  - x\n  - \"y\"\nc: {d: e} # c\n"),
    ("TOML", "[table]\nkey = \"value\"\nn = 1.5\narr = [1, 2]\n"),
    (
        "JavaScript",
        "const f = async (x) => { return await g(`t ${x}`); }; // c\nclass A extends B {}\n",
    ),
    (
        "TypeScript",
        "interface A { x: number }\nfunction f(a: string): A { return { x: a.length }; }\n",
    ),
    (
        "Rust",
        "use std::io;\n/// Doc\nfn main() -> Result<(), io::Error> { let v: Vec<u8> = vec![1]; println!(\"{v:?}\"); Ok(()) }\n",
    ),
    ("SQL", "SELECT a, COUNT(*) FROM t WHERE b = 'x' GROUP BY a;\n"),
];

/// Loads the syntax definitions and prepares the common languages now instead of on the
/// first highlighted block.
pub(crate) fn warm_up() {
    for (name, sample) in WARM_UP_SAMPLES {
        let _ = highlight_uncached(name, sample);
    }
}

/// What a fence's info string says about its block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Language {
    /// A language with a syntax: its canonical label and the syntax's name.
    Known { label: String, syntax: &'static str },
    /// A tag with no syntax, or a plain-text tag: shown escaped with its label.
    Unknown { label: String },
}

impl Language {
    pub(crate) fn label(&self) -> &str {
        match self {
            Language::Known { label, .. } | Language::Unknown { label } => label,
        }
    }
}

/// Reads the language from a fence's info string (its first word, case-insensitive).
/// `None` for an untagged block. Does not load syntect unless the tag is not a common one.
pub(crate) fn language(info: &str) -> Option<Language> {
    let tag = info
        .split(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .next()
        .unwrap_or("")
        .trim();
    if tag.is_empty() {
        return None;
    }
    let lower = tag.to_lowercase();
    if PLAIN_TAGS.contains(&lower.as_str()) {
        return Some(Language::Unknown { label: lower });
    }
    for (tags, label, name) in ALIASES {
        if tags.contains(&lower.as_str()) {
            return Some(Language::Known {
                label: (*label).to_owned(),
                syntax: name,
            });
        }
    }
    match syntaxes().find_syntax_by_token(&lower) {
        Some(s) if s.name != "Plain Text" => Some(Language::Known {
            label: lower,
            syntax: s.name.as_str(),
        }),
        _ => Some(Language::Unknown {
            label: tag.chars().take(40).collect(),
        }),
    }
}

/// A CSS-class-safe form of a label: `language-<this>` and `data-lang`.
pub(crate) fn class_token(label: &str) -> String {
    let t: String = label
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
        .take(40)
        .collect::<String>()
        .to_ascii_lowercase();
    if t.is_empty() {
        "unknown".to_owned()
    } else {
        t
    }
}

/// The content-keyed cache of highlighted code, shared by every render of one
/// [`Renderer`](super::Renderer).
#[derive(Debug, Default)]
pub(crate) struct Cache {
    inner: Mutex<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    map: HashMap<(&'static str, u64), Entry>,
    tick: u64,
    bytes: usize,
}

#[derive(Debug)]
struct Entry {
    code: Box<str>,
    label: Box<str>,
    html: Arc<str>,
    last_used: u64,
}

fn hash_code(code: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    code.hash(&mut h);
    h.finish()
}

impl Cache {
    /// The markup of a highlighted block: `wrap` receives the highlighted HTML of `code`
    /// (the inside of `<code>`) and returns the whole block. The result is cached by syntax,
    /// label and code, so a block seen before costs a hash and a lookup.
    pub(crate) fn block(
        &self,
        syntax: &'static str,
        label: &str,
        code: &str,
        wrap: impl FnOnce(&str) -> String,
    ) -> Arc<str> {
        if code.len() > MAX_HIGHLIGHT_BYTES {
            return wrap(&escape_html(code)).into();
        }
        let key = (syntax, hash_code(code));
        if let Ok(mut inner) = self.inner.lock() {
            inner.tick += 1;
            let tick = inner.tick;
            if let Some(e) = inner.map.get_mut(&key) {
                if *e.code == *code && *e.label == *label {
                    e.last_used = tick;
                    return Arc::clone(&e.html);
                }
            }
        }
        // Highlight outside the lock: other renders go on meanwhile.
        let html: Arc<str> = wrap(&highlight_uncached(syntax, code)).into();
        if let Ok(mut inner) = self.inner.lock() {
            inner.tick += 1;
            let tick = inner.tick;
            let size = code.len() + html.len();
            if let Some(old) = inner.map.insert(
                key,
                Entry {
                    code: code.into(),
                    label: label.into(),
                    html: Arc::clone(&html),
                    last_used: tick,
                },
            ) {
                inner.bytes -= old.code.len() + old.html.len();
            }
            inner.bytes += size;
            while inner.map.len() > CACHE_MAX_ENTRIES || inner.bytes > CACHE_MAX_BYTES {
                let Some(oldest) = inner
                    .map
                    .iter()
                    .min_by_key(|(_, e)| e.last_used)
                    .map(|(k, _)| *k)
                else {
                    break;
                };
                if let Some(e) = inner.map.remove(&oldest) {
                    inner.bytes -= e.code.len() + e.html.len();
                }
            }
        }
        html
    }

    /// How many blocks are cached (for tests and the benchmark).
    pub(crate) fn len(&self) -> usize {
        self.inner.lock().map(|i| i.map.len()).unwrap_or(0)
    }
}

fn find(syntax: &str) -> Option<&'static SyntaxReference> {
    syntaxes().find_syntax_by_name(syntax)
}

/// Highlights `code` with the named syntax into `hl-` classed spans. Falls back to the
/// escaped text if syntect reports an error (a grammar bug must not lose the code).
pub(crate) fn highlight_uncached(syntax: &str, code: &str) -> String {
    let Some(syntax) = find(syntax) else {
        return escape_html(code);
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return escape_html(code);
        }
    }
    gen.finalize()
}

/// One of the two highlight themes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// [`LIGHT_THEME`], used unless the page asks for dark.
    Light,
    /// [`DARK_THEME`].
    Dark,
}

/// The stylesheet of one highlight theme, scoped so that both can be loaded at once and
/// switching theme needs no re-render.
///
/// The page says which theme it wants on its root element: `data-theme="light"` or
/// `data-theme="dark"`; with no `data-theme` (or `system`), the system's
/// `prefers-color-scheme` decides. Exactly one of the two stylesheets applies in every case.
pub fn highlight_css(theme: Theme) -> String {
    let (name, forced, media, system) = match theme {
        Theme::Light => (
            LIGHT_THEME,
            ":root[data-theme=\"light\"]",
            "not all and (prefers-color-scheme: dark)",
            "light",
        ),
        Theme::Dark => (
            DARK_THEME,
            ":root[data-theme=\"dark\"]",
            "(prefers-color-scheme: dark)",
            "dark",
        ),
    };
    let css = themes()
        .get(name)
        .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
        .unwrap_or_default();
    let unset = ":root:not([data-theme=\"light\"]):not([data-theme=\"dark\"])";
    let mut out = format!(
        "/* Lectern code highlighting, {system} theme: \"{name}\"\n * {THEME_CREDIT}.\n * Generated by `lectern::render::highlight_css`; do not edit (see tests/render).\n * Applies under :root[data-theme=\"{system}\"], or with no data-theme when the system prefers {system}.\n * `.hl-code` paints its own background: every colour here meets WCAG AA (4.5:1) on it. */\n\n"
    );
    out.push_str(&scope_css(&css, forced));
    out.push_str(&format!("\n@media {media} {{\n"));
    out.push_str(&scope_css(&css, unset));
    out.push_str("}\n");
    out
}

/// Prefixes every selector of syntect's generated CSS with `scope ` and drops its comment.
fn scope_css(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut in_comment = false;
    for line in css.lines() {
        if in_comment {
            in_comment = !line.contains("*/");
            continue;
        }
        if line.starts_with("/*") {
            in_comment = !line.contains("*/");
            continue;
        }
        if let Some(selectors) = line.strip_suffix(" {") {
            let scoped: Vec<String> = selectors
                .split(", ")
                .map(|s| format!("{scope} {}", s.trim()))
                .collect();
            out.push_str(&scoped.join(",\n"));
            out.push_str(" {\n");
        } else if !line.is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_of_the_issue_finds_a_syntax() {
        for tag in [
            "py", "python", "js", "ts", "sh", "bash", "shell", "rust", "json", "yaml", "yml",
            "toml", "sql", "html", "css", "c", "cpp", "go", "java",
        ] {
            let Some(Language::Known { syntax, .. }) = language(tag) else {
                panic!("{tag}: {:?}", language(tag));
            };
            assert!(find(syntax).is_some(), "{tag}: no syntax named {syntax}");
        }
        assert_eq!(
            language("py").map(|l| l.label().to_owned()).as_deref(),
            Some("python")
        );
        assert_eq!(
            language("Shell {.x}")
                .map(|l| l.label().to_owned())
                .as_deref(),
            Some("bash")
        );
    }

    #[test]
    fn unknown_and_plain_tags_keep_their_label() {
        assert_eq!(
            language("klingon"),
            Some(Language::Unknown {
                label: "klingon".into()
            })
        );
        assert_eq!(
            language("text"),
            Some(Language::Unknown {
                label: "text".into()
            })
        );
        assert_eq!(language("   "), None);
    }

    #[test]
    fn highlighting_uses_prefixed_classes_and_no_inline_style() {
        let html = highlight_uncached("Python", "def f(x):\n    return '<b>'\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn cache_returns_the_same_html_and_highlights_once() {
        let cache = Cache::default();
        let wrap = |body: &str| format!("<code>{body}</code>");
        let a = cache.block("Rust", "rust", "fn main() {}\n", wrap);
        let b = cache.block("Rust", "rust", "fn main() {}\n", |_| unreachable!());
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(cache.len(), 1);
        cache.block("Rust", "rust", "fn other() {}\n", wrap);
        assert_eq!(cache.len(), 2);
        let relabelled = cache.block("Rust", "rs", "fn other() {}\n", |b| format!("<x>{b}</x>"));
        assert!(relabelled.starts_with("<x>"));
    }

    #[test]
    fn class_tokens_are_safe_in_attributes() {
        assert_eq!(class_token("<style/onload=x>"), "styleonloadx");
        assert_eq!(class_token("c++"), "c++");
        assert_eq!(class_token("\"'"), "unknown");
    }

    #[test]
    fn theme_stylesheets_are_scoped_both_ways() {
        let dark = highlight_css(Theme::Dark);
        assert!(dark.contains(":root[data-theme=\"dark\"] .hl-"), "{dark}");
        assert!(dark.contains("@media (prefers-color-scheme: dark)"));
        let light = highlight_css(Theme::Light);
        assert!(light.contains(":root[data-theme=\"light\"] .hl-"));
        assert!(!light.contains("generated by syntect"));
    }
}
