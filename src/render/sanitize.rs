//! Sanitizing with ammonia: three allowlists for three kinds of markup.
//!
//! - The **author policy** cleans a rendered lesson that contains raw HTML. Lectern's own
//!   self-contained fragments (highlighted code, MathML) are not in the text it sees: they
//!   are swapped for placeholders first and put back afterwards, so an author can never
//!   write the MathML or classes that only Lectern may produce.
//! - The **MathML policy** cleans math-core's output (no links, no `style`).
//! - The **output policy**, [`sanitize`], describes everything a rendered lesson may
//!   contain. Rendered HTML is a fixed point of it up to serialization: sanitizing it again
//!   removes nothing. The tests check this, and the shell may use it as a last line.
//!
//! None of them allows script, style, iframe, object, embed, form, svg, meta, base, an
//! `on*` or `style` attribute, or a URL other than `http(s)`, `#fragment` and the
//! `lesson://` assets.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use ammonia::{Builder, UrlRelative};

use super::links::Resolver;
use crate::text::url_scheme;

/// HTML elements an author's raw HTML may use, and that Markdown produces.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// MathML Core elements math-core produces. No `annotation-xml` (it can hold HTML).
const MATHML_TAGS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msup",
    "msub",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mstyle",
    "merror",
    "mpadded",
    "mphantom",
    "munder",
    "mover",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mlabeledtr",
    "mmultiscripts",
    "mprescripts",
    "none",
    "menclose",
];

/// Presentation attributes of MathML; none holds a URL or a script.
const MATHML_ATTRIBUTES: &[&str] = &[
    "display",
    "displaystyle",
    "scriptlevel",
    "mathvariant",
    "mathsize",
    "mathcolor",
    "mathbackground",
    "dir",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "minsize",
    "maxsize",
    "largeop",
    "movablelimits",
    "symmetric",
    "form",
    "accent",
    "accentunder",
    "width",
    "height",
    "depth",
    "voffset",
    "linethickness",
    "columnalign",
    "rowalign",
    "columnspacing",
    "rowspacing",
    "columnlines",
    "rowlines",
    "frame",
    "framespacing",
    "equalrows",
    "equalcolumns",
    "notation",
    "encoding",
    "bevelled",
    "numalign",
    "denomalign",
    "columnspan",
    "rowspan",
    "class",
];

/// Per-element attributes shared by the author and output policies.
fn html_tag_attributes() -> HashMap<&'static str, HashSet<&'static str>> {
    let mut m: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
    let mut add = |tag: &'static str, attrs: &[&'static str]| {
        m.entry(tag).or_default().extend(attrs.iter().copied());
    };
    add("a", &["href", "hreflang", "data-lesson", "data-anchor"]);
    add("img", &["src", "alt", "width", "height"]);
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        add(h, &["id"]);
    }
    add("div", &["id"]);
    add("sup", &["id"]);
    add("td", &["colspan", "rowspan"]);
    add("th", &["colspan", "rowspan", "scope"]);
    add("col", &["span"]);
    add("colgroup", &["span"]);
    add("ol", &["start", "reversed", "type"]);
    add("li", &["value"]);
    add("input", &["type", "checked", "disabled"]);
    add("details", &["open"]);
    add("time", &["datetime"]);
    add("data", &["value"]);
    add("abbr", &["title"]);
    m
}

/// Classes Lectern's Markdown output uses on elements that pass through the author policy.
const CLASSES: &[(&str, &[&str])] = &[
    ("a", &["external"]),
    ("span", &["link-removed", "image-missing", "math-error"]),
    ("sup", &["footnote-reference", "footnote-definition-label"]),
    ("div", &["footnote-definition", "render-error"]),
    (
        "blockquote",
        &[
            "markdown-alert-note",
            "markdown-alert-tip",
            "markdown-alert-important",
            "markdown-alert-warning",
            "markdown-alert-caution",
        ],
    ),
    ("th", &["align-left", "align-center", "align-right"]),
    ("td", &["align-left", "align-center", "align-right"]),
];

fn common(b: &mut Builder<'static>, asset_scheme: &'static str) {
    b.tags(HTML_TAGS.iter().copied().collect())
        .tag_attributes(html_tag_attributes())
        .generic_attributes(["lang", "title", "dir"].into_iter().collect())
        .url_schemes(["http", "https", asset_scheme].into_iter().collect())
        .url_relative(UrlRelative::PassThrough)
        .strip_comments(true)
        // A task-list checkbox is the only input that survives, and it never accepts input.
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "");
}

/// The policy for a lesson with raw HTML. `resolver` checks image sources against the
/// lessons folder; `asset_prefix` is the `lesson://` prefix of image URLs.
pub(crate) fn author_policy(resolver: Resolver, asset_prefix: &str) -> Builder<'static> {
    let mut b = Builder::default();
    let asset_scheme = asset_scheme_of(asset_prefix);
    common(&mut b, asset_scheme);
    let classes = CLASSES
        .iter()
        .map(|(tag, cs)| (*tag, cs.iter().copied().collect()))
        .collect();
    b.allowed_classes(classes)
        .link_rel(Some("noopener noreferrer"));
    let prefix: Arc<str> = asset_prefix.into();
    b.attribute_filter(move |element, attribute, value| {
        filter_url(&resolver, &prefix, element, attribute, value)
    });
    b
}

/// The scheme of the asset prefix, as a `'static` str for ammonia's allowlist. Only
/// `lesson` and `http` (Windows webviews serve custom schemes as `http://lesson.localhost`)
/// are expected; anything else allows no extra scheme.
fn asset_scheme_of(prefix: &str) -> &'static str {
    match url_scheme(prefix).as_deref() {
        Some("lesson") => "lesson",
        Some("https") => "https",
        _ => "http",
    }
}

/// The link policy for URLs in raw HTML, after ammonia's scheme allowlist: `a href` may be
/// `http(s)` or a `#fragment` (relative paths in raw HTML are not resolved: write Markdown
/// links to other lessons); `img src` must be an asset URL that stays inside the lessons
/// folder, or a relative path that does (rewritten to its asset URL).
fn filter_url<'u>(
    resolver: &Resolver,
    prefix: &str,
    element: &str,
    attribute: &str,
    value: &'u str,
) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        ("a", "href") => {
            if value.starts_with('#') {
                return Some(Cow::Borrowed(value));
            }
            crate::text::is_web_url(value).then(|| Cow::Owned(crate::text::encode_web_url(value)))
        }
        ("img", "src") => {
            if resolver.is_valid_asset_url(prefix, value) {
                return Some(Cow::Borrowed(value));
            }
            if url_scheme(value).is_some() {
                return None;
            }
            match super::links::resolve_image(value, Some(resolver), prefix) {
                super::links::ImageSource::Asset(url) => Some(Cow::Owned(url)),
                super::links::ImageSource::Dropped { .. } => None,
            }
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

static MATHML_POLICY: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    let mut attrs: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
    for t in MATHML_TAGS {
        attrs.insert(t, MATHML_ATTRIBUTES.iter().copied().collect());
    }
    attrs.insert("span", ["class"].into_iter().collect());
    b.tags(MATHML_TAGS.iter().chain(&["span"]).copied().collect())
        .tag_attributes(attrs)
        .generic_attributes(HashSet::new())
        .url_schemes(HashSet::new())
        .url_relative(UrlRelative::Deny)
        .link_rel(None);
    b
});

/// Cleans math-core's MathML: presentation elements and attributes only.
pub(crate) fn clean_mathml(mathml: &str) -> String {
    MATHML_POLICY.clean(mathml).to_string()
}

static OUTPUT_POLICY: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    common(&mut b, "lesson");
    let mut attrs = html_tag_attributes();
    for t in MATHML_TAGS {
        attrs
            .entry(t)
            .or_default()
            .extend(MATHML_ATTRIBUTES.iter().copied());
    }
    attrs.entry("a").or_default().insert("rel");
    attrs.entry("figure").or_default().insert("data-lang");
    b.add_tags(MATHML_TAGS.iter().copied())
        .tag_attributes(attrs)
        .add_generic_attributes(["class"])
        .link_rel(None);
    b
});

/// Sanitizes HTML with the output policy: the allowlist every rendered lesson satisfies
/// (Markdown output, highlighted code, MathML, Lectern's link and image markup).
///
/// Use it as a last line of defense on HTML from elsewhere; on Lectern's own output it
/// removes nothing. Idempotent: `sanitize(&sanitize(x)) == sanitize(x)`.
pub fn sanitize(html: &str) -> String {
    OUTPUT_POLICY.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_policy_removes_everything_executable() {
        let dirty = r#"<script>alert(1)</script><img src="x.png" onerror="alert(1)"><svg onload="x"></svg><iframe srcdoc="<script>"></iframe><a href="javascript:alert(1)">a</a><p style="color:red">p</p><math><mi>x</mi></math>"#;
        let clean = sanitize(dirty);
        for bad in [
            "<script",
            "onerror",
            "<svg",
            "<iframe",
            "javascript:",
            "style=",
        ] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert!(clean.contains("<math><mi>x</mi></math>"), "{clean}");
        assert_eq!(sanitize(&clean), clean);
    }

    #[test]
    fn mathml_policy_drops_links_and_styles() {
        let m = clean_mathml(
            r#"<math><mtext><a href="javascript:x">t</a></mtext><mi style="color:red">x</mi></math>"#,
        );
        assert_eq!(m, "<math><mtext>t</mtext><mi>x</mi></math>");
    }
}
