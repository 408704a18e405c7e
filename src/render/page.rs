//! The standalone page: one rendered lesson as a complete offline HTML file, for previewing
//! in a browser and printing (`lectern render --standalone`).

use std::fmt::Write as _;
use std::path::Path;

use super::{escape_html, highlight_css, read_asset, Rendered, Theme, ASSET_URL_PREFIX};

/// A small typography stylesheet for the standalone page: readable measure, code and
/// diagram blocks, tables, the Lectern classes of the markup contract, light and dark.
pub const BASE_CSS: &str = r#"
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --code-bg: #f6f8fa; --accent: #0969da; --error: #cf222e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --muted: #9aa4ae; --bg: #1b1f24; --line: #3a414a; --code-bg: #2b303b; --accent: #58a6ff; --error: #ff7b72; } }
html { background: var(--bg); color: var(--fg); }
body { font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem 4rem; }
h1, h2, h3, h4 { line-height: 1.25; margin: 2rem 0 0.75rem; }
h1 { font-size: 2rem; } h2 { font-size: 1.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; } h3 { font-size: 1.2rem; }
a { color: var(--accent); } a.external::after { content: " ↗"; font-size: 0.8em; }
code, pre, kbd { font-family: "DejaVu Sans Mono", "JetBrains Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
:not(pre) > code { background: var(--code-bg); border-radius: 4px; padding: 0.1em 0.35em; }
pre { margin: 0; overflow-x: auto; padding: 0.9rem 1rem; border-radius: 6px; line-height: 1.45; tab-size: 4; }
pre.diagram { background: var(--code-bg); line-height: 1.25; white-space: pre; font-variant-ligatures: none; margin: 1rem 0; }
figure.code { margin: 1rem 0; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
figure.code figcaption { font: 600 0.75rem/1 system-ui, sans-serif; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); padding: 0.45rem 1rem; border-bottom: 1px solid var(--line); }
figure.code pre { border-radius: 0; }
table { border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: 0.4rem 0.75rem; } th { background: var(--code-bg); }
.align-left { text-align: left; } .align-center { text-align: center; } .align-right { text-align: right; }
blockquote { margin: 1rem 0; padding: 0 1rem; color: var(--muted); border-left: 4px solid var(--line); }
img { max-width: 100%; height: auto; }
math[display="block"] { margin: 1rem 0; }
.math-error { color: var(--error); font-family: monospace; }
.link-removed { text-decoration: underline dotted var(--error); }
.image-missing { color: var(--muted); font-style: italic; }
.image-missing::before { content: "[image: "; } .image-missing::after { content: "]"; }
.footnote-definition { font-size: 0.9em; color: var(--muted); display: flex; gap: 0.4em; align-items: baseline; }
.footnote-definition > p { margin: 0.25rem 0; }
blockquote[class^="markdown-alert-"] { border-left-color: var(--accent); color: var(--fg); }
blockquote.markdown-alert-warning, blockquote.markdown-alert-caution { border-left-color: var(--error); }
.render-error { color: var(--error); border: 1px solid var(--error); border-radius: 6px; padding: 0 1rem; }
nav.toc { font-size: 0.95em; border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 1.25rem; margin-bottom: 2rem; }
nav.toc ul { padding-left: 1.1rem; margin: 0.25rem 0; } nav.toc .toc-3 { margin-left: 1rem; }
@media print { body { max-width: none; font-size: 11pt; } nav.toc { display: none; } figure.code, pre.diagram, table { break-inside: avoid; } a.external::after { content: " (" attr(href) ")"; } }
"#;

/// A complete HTML page for one rendered lesson: both highlight stylesheets (light by
/// default, dark when the system prefers it), [`BASE_CSS`], a table of contents, the body,
/// and no script at all (its CSP forbids any).
///
/// Images under [`ASSET_URL_PREFIX`] are read through [`read_asset`] from `root` and
/// embedded as `data:` URLs, so the page stands alone; an image that cannot be read keeps
/// its `lesson://` URL (and shows as broken).
pub fn standalone_page(title: &str, rendered: &Rendered, root: &Path) -> String {
    let mut page = String::with_capacity(rendered.html.len() * 2 + 32 * 1024);
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n<title>{}</title>\n<style>\n{BASE_CSS}\n{}\n{}\n</style>\n</head>\n<body>\n",
        escape_html(title),
        highlight_css(Theme::Light),
        highlight_css(Theme::Dark)
    );
    if !rendered.toc.is_empty() {
        page.push_str("<nav class=\"toc\" aria-label=\"Contents\">\n<ul>\n");
        for h in &rendered.toc {
            let _ = writeln!(
                page,
                "<li class=\"toc-{}\"><a href=\"#{}\">{}</a></li>",
                h.level,
                escape_html(&h.id),
                escape_html(&h.text)
            );
        }
        page.push_str("</ul>\n</nav>\n");
    }
    page.push_str("<main>\n");
    page.push_str(&inline_images(&rendered.html, root));
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

/// Replaces `src="lesson://localhost/…"` with `data:` URLs of the files.
fn inline_images(html: &str, root: &Path) -> String {
    let needle = format!("src=\"{ASSET_URL_PREFIX}");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        out.push_str(&rest[..at]);
        let after = &rest[at + needle.len()..];
        let Some(end) = after.find('"') else {
            out.push_str(&rest[at..]);
            rest = "";
            break;
        };
        let rel = &after[..end];
        match read_asset(root, rel) {
            Ok((bytes, mime)) => {
                let _ = write!(out, "src=\"data:{mime};base64,{}\"", base64(&bytes));
            }
            Err(_) => {
                out.push_str(&needle);
                out.push_str(rel);
                out.push('"');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn the_page_has_no_script_and_escapes_the_title() {
        let r = Rendered {
            html: "<p>x</p>\n".into(),
            toc: vec![super::super::Heading {
                level: 2,
                text: "<b>".into(),
                id: "b".into(),
                offset: 0,
            }],
            diagnostics: Vec::new(),
        };
        let page = standalone_page("</title><script>", &r, Path::new("."));
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("&lt;/title&gt;&lt;script&gt;"));
        assert!(page.contains("<a href=\"#b\">&lt;b&gt;</a>"));
    }
}
