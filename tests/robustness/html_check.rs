//! The output check of the robustness tests and the fuzzer: parses HTML with html5ever,
//! as the webview will when the UI inserts it, and names everything in the parsed tree
//! that Lectern's sanitizer policy forbids (ARCHITECTURE.md: no script, style, iframe,
//! object, embed, form, svg, meta, base; no `on*` or `style` attribute; only `http(s)`,
//! `#fragment` and `lesson://localhost/` URLs).
//!
//! It judges elements and attributes, never substrings: escaped text such as
//! `&lt;script&gt;` in a code block passes, markup in any spelling (`<ScRiPt>`,
//! `java&#x09;script:`) fails.

use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, parse_fragment, ParseOpts, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// Elements that may never appear: the policy's list, their close relatives (`link`,
/// frames, `applet`, `portal`, MathML's HTML-carrying `annotation-xml`, SVG's animation
/// and `use`), and form controls, which the sanitizer does not allow either.
pub(crate) const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "form",
    "svg",
    "meta",
    "base",
    "link",
    "frame",
    "frameset",
    "applet",
    "template",
    "noscript",
    "button",
    "textarea",
    "select",
    "option",
    "portal",
    "annotation-xml",
    "animate",
    "set",
    "use",
    "foreignobject",
];

/// Attributes whose value is a URL (or, for `srcset`, a list of them), in any element
/// and any namespace (`xlink:href` is checked as `href`).
pub(crate) const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "srcset",
    "poster",
    "background",
    "cite",
    "longdesc",
    "data",
    "codebase",
    "classid",
    "archive",
    "ping",
    "manifest",
    "icon",
    "lowsrc",
    "dynsrc",
    "usemap",
    "profile",
];

/// Every violation of the policy in `html`, parsed as the content of a `<div>`; empty
/// when the markup is allowed. Each entry names the element and what is wrong with it.
pub(crate) fn violations(html: &str) -> Vec<String> {
    let context = QualName::new(None, ns!(html), local_name!("div"));
    let dom = parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        context,
        vec![],
        false,
    )
    .one(html);
    let mut found = Vec::new();
    // `dom` stays alive while we walk: rcdom's `Drop` for the last handle of a node
    // empties the children of all its descendants.
    let mut stack = vec![Handle::clone(&dom.document)];
    while let Some(node) = stack.pop() {
        if let NodeData::Element {
            name,
            attrs,
            template_contents,
            ..
        } = &node.data
        {
            check_element(&name.local, &attrs.borrow(), &mut found);
            if let Some(contents) = template_contents.borrow().as_ref() {
                stack.push(Handle::clone(contents));
            }
        }
        stack.extend(node.children.borrow().iter().cloned());
    }
    found
}

fn check_element(name: &str, attrs: &[html5ever::Attribute], found: &mut Vec<String>) {
    let element = name.to_ascii_lowercase();
    if FORBIDDEN_ELEMENTS.contains(&element.as_str()) {
        found.push(format!("forbidden element <{element}>"));
    }
    for attr in attrs {
        let full = attr.name.local.to_ascii_lowercase();
        // `xlink:href` arrives as `href` in the xlink namespace in SVG and MathML, and as
        // the name `xlink:href` on HTML elements: judge both by what follows the colon.
        let local = full.rsplit(':').next().unwrap_or(&full);
        let value: &str = &attr.value;
        if local.starts_with("on") {
            found.push(format!(
                "<{element}> has event handler `{full}=\"{value}\"`"
            ));
        } else if local == "style" {
            found.push(format!("<{element}> has a style attribute `{value}`"));
        } else if URL_ATTRIBUTES.contains(&local) && !urls_allowed(local, value) {
            found.push(format!(
                "<{element}> has `{full}=\"{value}\"`, not an allowed URL"
            ));
        }
    }
}

/// Whether every URL in an attribute's value is allowed (`srcset` holds several).
fn urls_allowed(attribute: &str, value: &str) -> bool {
    if attribute == "srcset" {
        return value
            .split(',')
            .all(|candidate| url_allowed(candidate.split_whitespace().next().unwrap_or("")));
    }
    url_allowed(value)
}

/// The allowlist: `http(s)://`, `#fragment` (in-app routes `#lesson/<id>…` included) and
/// `lesson://localhost/`. The value is first cleaned as a browser's URL parser cleans
/// it (leading and trailing C0 controls and spaces stripped, tabs and newlines removed
/// anywhere), so `  java\tscript:` is judged as `javascript:`.
pub(crate) fn url_allowed(value: &str) -> bool {
    let cleaned: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || cleaned.starts_with('#')
        || lower.starts_with("lesson://localhost/")
}

#[test]
fn html_check_fails_on_markup_and_passes_escaped_text() {
    let bad = [
        (
            "<img src=\"lesson://localhost/x.png\" onerror=\"alert(1)\">",
            "onerror",
        ),
        ("<a href=\"javascript:alert(1)\">x</a>", "javascript:"),
        (
            "<a href=\"java&#x09;script:alert(1)\">x</a>",
            "script:alert(1)\"`, not an allowed",
        ),
        ("<a href=\" JaVaScRiPt:alert(1)\">x</a>", "JaVaScRiPt"),
        ("<ScRiPt>alert(1)</ScRiPt>", "<script>"),
        ("<p><style>p{}</style></p>", "<style>"),
        ("<svg><a xlink:href=\"javascript:x\">y</a></svg>", "<svg>"),
        ("<math><mi xlink:href=\"data:x\">y</mi></math>", "data:x"),
        ("<math><mi href=\"vbscript:x\">y</mi></math>", "vbscript"),
        ("<p style=\"color:red\">x</p>", "style attribute"),
        ("<img srcset=\"https://ok 1x, javascript:x 2x\">", "srcset"),
        ("<a href=\"//evil.example/\">x</a>", "//evil"),
        ("<a href=\"lesson://evil.example/x\">x</a>", "lesson://evil"),
        ("<a href=\"\">x</a>", "href=\"\""),
        (
            "<form action=\"https://ok\"><button formaction=\"data:x\">",
            "<form>",
        ),
        ("<iframe srcdoc=\"x\"></iframe>", "<iframe>"),
        ("<base href=\"https://evil.example/\">", "<base>"),
        ("<meta http-equiv=\"refresh\" content=\"0\">", "<meta>"),
        ("<object data=\"x\"></object><embed src=\"x\">", "<object>"),
        ("<details open ontoggle=alert(1)>", "ontoggle"),
    ];
    for (html, what) in bad {
        let v = violations(html);
        assert!(
            v.iter().any(|m| m.contains(what)),
            "{html}: expected a violation about {what}, got {v:?}"
        );
    }
    let good = [
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt; onerror= javascript:</code></pre>",
        "<p>style=\"x\" onclick=alert(1) &lt;svg onload=x&gt;</p>",
        "<a href=\"https://example.org/?q=javascript:\" class=\"external\" rel=\"noopener noreferrer\">x</a>",
        "<a href=\"#lesson/intro\" data-lesson=\"intro\" data-anchor=\"\">x</a>",
        "<a href=\"#fn-1\" data-anchor=\"fn-1\">1</a>",
        "<img src=\"lesson://localhost/img/a%20b.png\" alt=\"onerror=x\">",
        "<math display=\"block\"><mi>x</mi></math>",
        "<span class=\"math-error\" title=\"&lt;script&gt;\">$x$</span>",
    ];
    for html in good {
        assert_eq!(violations(html), Vec::<String>::new(), "{html}");
    }
}
