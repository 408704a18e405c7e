//! The security suite: one test per payload class. Each renders a lesson carrying the
//! payload and asserts, with `assert_inert`, that nothing executable survives and that the
//! output is a fixed point of the sanitizer.

use std::fs;

use super::{assert_inert, render_body, render_body_in};

/// Renders `body`, asserts it inert, and returns the HTML for further checks.
fn inert(body: &str) -> String {
    let r = render_body(body);
    assert_inert(&r.html);
    r.html
}

#[test]
fn script_elements_are_removed_with_their_content() {
    let html = inert("<script>alert(1)</script>\n\nText <script>alert(2)</script> here.\n\n<SCRIPT SRC=//x.example/a.js></SCRIPT>\n");
    assert!(!html.contains("alert"), "{html}");
    assert!(html.contains("Text"));
}

#[test]
fn img_onerror_loses_its_handler() {
    let html =
        inert("<img src=x onerror=alert(1)>\n\nInline <img src=\"x\" onerror=\"alert(1)\"> too.\n");
    assert!(!html.contains("onerror"), "{html}");
}

#[test]
fn svg_is_removed() {
    let html = inert("<svg onload=alert(1)><script>alert(2)</script><circle r=\"4\"/></svg>\n\n<svg><a xlink:href=\"javascript:alert(3)\"><text>x</text></a></svg>\n");
    assert!(!html.contains("alert"), "{html}");
}

#[test]
fn iframe_srcdoc_is_removed() {
    let html = inert("<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>\n\n<iframe src=\"https://example.org\"></iframe>\n");
    assert!(!html.contains("srcdoc"), "{html}");
}

#[test]
fn object_and_embed_are_removed() {
    inert(
        "<object data=\"javascript:alert(1)\"></object>\n\n<embed src=\"javascript:alert(1)\">\n",
    );
}

#[test]
fn javascript_links_in_mixed_case_are_dropped() {
    let html = inert("[a](JaVaScRiPt:alert(1)) [b](JAVASCRIPT:alert(1))\n\n<a href=\"JaVaScRiPt:alert(1)\">c</a>\n");
    assert!(
        html.contains("<span class=\"link-removed\">a</span>"),
        "{html}"
    );
}

#[test]
fn javascript_links_with_whitespace_are_dropped() {
    inert(
        "[a](<java\tscript:alert(1)>) [b](< javascript:alert(1)>) [c](<java\nscript:alert(1)>)\n\n<a href=\" javascript:alert(1)\">d</a> <a href=\"java&#9;script:alert(1)\">e</a> <a href=\"java\nscript:alert(1)\">f</a>\n",
    );
}

#[test]
fn javascript_links_with_entities_are_dropped() {
    let html = inert(
        "[a](&#106;avascript:alert(1)) [b](&#x6A;avascript:alert(1)) [c](javascript&colon;alert(1))\n\n<a href=\"&#106;avascript:alert(1)\">d</a> <a href=\"javascript&colon;alert(1)\">e</a>\n\n[ref]: &#x6a;avascript:alert(1)\n\n[f][ref]\n",
    );
    assert!(!html.contains("alert"), "{html}");
}

#[test]
fn vbscript_file_and_custom_schemes_are_dropped() {
    inert("[a](vbscript:msgbox(1)) [b](file:///etc/passwd) [c](lectern-internal:x) [d](//evil.example/x)\n");
}

#[test]
fn data_urls_are_dropped_in_links_and_images() {
    let html = inert(
        "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) ![b](data:image/svg+xml,<svg onload=alert(1)>)\n\n<a href=\"data:text/html,<script>alert(1)</script>\">c</a> <img src=\"data:image/png;base64,AAAA\">\n",
    );
    assert!(!html.contains("base64"), "{html}");
}

#[test]
fn style_elements_and_attributes_are_removed() {
    let html = inert("<style>body { display: none }</style>\n\n<p style=\"position:fixed;inset:0\">x</p>\n\n<span style=\"background:url(javascript:alert(1))\">y</span>\n");
    assert!(!html.contains("display"), "{html}");
}

#[test]
fn meta_refresh_is_removed() {
    inert("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">\n\nText.\n");
}

#[test]
fn base_element_is_removed() {
    inert("<base href=\"https://evil.example/\">\n\n[a](other.md)\n");
}

#[test]
fn forms_and_their_controls_are_removed() {
    let html = inert("<form action=\"https://evil.example\"><input name=\"pw\" type=\"password\"><button formaction=\"javascript:alert(1)\">go</button></form>\n");
    assert!(!html.contains("password"), "{html}");
}

#[test]
fn fence_info_string_is_escaped_in_label_class_and_data_attribute() {
    let html = inert(
        "```<style/onload=alert(1)>\ncode\n```\n\n```\"><img src=x onerror=alert(1)>\ncode\n```\n",
    );
    assert!(html.contains("data-lang=\"styleonloadalert1\""), "{html}");
    assert!(
        html.contains("<figcaption>&lt;style/onload=alert(1)&gt;</figcaption>"),
        "{html}"
    );
}

#[test]
fn math_cannot_close_a_script_or_open_an_element() {
    let html = inert("$$</script><img src=x onerror=alert(1)>$$\n\nInline $</math><img src=x onerror=alert(1)>$ too.\n\n$\\href{javascript:alert(1)}{x}$\n");
    assert!(!html.contains("<img"), "{html}");
}

#[test]
fn raw_mathml_from_the_author_is_removed() {
    let html = inert("<math><mtext><a href=\"javascript:alert(1)\">x</a></mtext><maction actiontype=\"statusline\">y</maction></math>\n");
    assert!(!html.contains("<math"), "{html}");
}

#[test]
fn image_path_with_dotdot_out_of_the_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let lessons = tmp.path().join("lessons");
    fs::create_dir(&lessons).unwrap();
    fs::write(tmp.path().join("secret.png"), b"\x89PNG").unwrap();
    let r = render_body_in(
        &lessons,
        "![s](../secret.png) [t](../secret.png)\n\n<img src=\"../secret.png\">\n",
    );
    assert_inert(&r.html);
    assert!(!r.html.contains("secret.png\""), "{}", r.html);
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["path-escape", "path-escape"], "{:?}", r.diagnostics);
}

#[cfg(unix)]
#[test]
fn symlink_that_leads_out_of_the_folder_is_refused() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let lessons = tmp.path().join("lessons");
    let outside = tmp.path().join("outside");
    fs::create_dir(&lessons).unwrap();
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("secret.png"), b"\x89PNG").unwrap();
    fs::write(outside.join("x.md"), "---\nid: x\ntitle: X\n---\n").unwrap();
    symlink(outside.join("secret.png"), lessons.join("pic.png")).unwrap();
    symlink(&outside, lessons.join("dir")).unwrap();
    let r = render_body_in(
        &lessons,
        "![a](pic.png) ![b](dir/secret.png) [c](dir/x.md)\n\n<img src=\"pic.png\"> <img src=\"lesson://localhost/pic.png\">\n",
    );
    assert_inert(&r.html);
    assert!(!r.html.contains("pic.png"), "{}", r.html);
    assert!(!r.html.contains("secret.png"), "{}", r.html);
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["path-escape", "path-escape", "path-escape"],
        "{:?}",
        r.diagnostics
    );
    assert_eq!(
        lectern::render::read_asset(&lessons, "pic.png")
            .unwrap_err()
            .code(),
        "path-escape"
    );
}

#[test]
fn placeholders_cannot_be_forged_by_the_author() {
    // The renderer holds its own fragments behind noncharacter-delimited placeholders while
    // raw HTML is sanitized; the author's noncharacters must never be taken for one.
    let html =
        inert("<b>x</b> \u{FDD0}0.0\u{FDD1} &#xFDD0;0.0&#xFDD1;\n\n```python\nprint(1)\n```\n");
    assert_eq!(html.matches("<figure").count(), 1, "{html}");
}

#[test]
fn titles_headings_and_alt_text_are_escaped() {
    let r = render_body("## <img src=x onerror=alert(1)> `<b>`\n\n![\"><script>](x.png \"<t>\")\n\n[l](https://example.org \"\\\"><script>\")\n");
    assert_inert(&r.html);
    assert_eq!(r.toc[0].text, "<b>");
}
