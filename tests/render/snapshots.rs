//! Whole-lesson snapshots: the HTML of each fixture lesson, compared with `expected.html`.

use lectern::render::headings;

use super::{assert_inert, check_snapshot, fixture_source, render_fixture, start_tags};

fn snapshot(case: &str) -> lectern::render::Rendered {
    let (_tmp, _dir, _lesson, rendered) = render_fixture(case);
    check_snapshot(&fixture_source(case).join("expected.html"), &rendered.html);
    assert_inert(&rendered.html);
    rendered
}

#[test]
fn seedlike_lesson_renders_code_diagrams_and_tables_without_the_knowledge_check() {
    let r = snapshot("seedlike");
    let html = &r.html;
    assert_eq!(html.matches("<figure class=\"code\"").count(), 10, "{html}");
    assert!(html
        .contains("<figure class=\"code\" data-lang=\"python\"><figcaption>python</figcaption>"));
    for lang in ["bash", "json", "yaml", "toml", "typescript", "rust"] {
        assert!(
            html.contains(&format!("data-lang=\"{lang}\"")),
            "{lang} block missing"
        );
    }
    assert!(html.contains("<span class=\"hl-"), "no highlighting");
    assert!(!html.contains("style="));
    // Box-drawing diagrams are kept verbatim.
    assert!(html.contains(
        "<pre class=\"diagram\"><code> raw text ──▶ ┌──────────────┐ ──▶ pieces ──▶ ┌─────────────┐ ──▶ ids\n"
    ));
    assert_eq!(html.matches("<table>").count(), 2);
    assert!(html.contains("<th class=\"align-right\">Vocabulary</th>"));
    assert!(!html.contains("Knowledge Check"));
    assert!(!html.contains("What does the attention mask mark?"));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let toc: Vec<(u8, &str)> = r.toc.iter().map(|h| (h.level, h.id.as_str())).collect();
    assert_eq!(toc[0], (2, "why-tokenize-at-all"));
    assert!(toc.iter().all(|(l, _)| *l == 2 || *l == 3));
    assert!(!toc.iter().any(|(_, id)| *id == "knowledge-check"));
}

#[test]
fn features_lesson_renders_every_extension_and_reports_its_problems() {
    let r = snapshot("features");
    let html = &r.html;
    assert!(html.contains("<h2 id=\"custom-anchor\">Headings</h2>"));
    assert!(html.contains("<h2 id=\"repeated\">Repeated</h2>"));
    assert!(html.contains("<h2 id=\"repeated-2\">Repeated</h2>"));
    assert!(html.contains("<math>"), "inline math");
    assert!(html.contains("<math display=\"block\">"), "display math");
    assert!(
        html.contains("<span class=\"math-error\""),
        "bad math shown inline"
    );
    assert!(html.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\"/>"));
    assert!(html.contains("<del>struck</del>"));
    assert!(html.contains("<blockquote class=\"markdown-alert-note\">"));
    assert!(html.contains("<a href=\"#fn-1\" data-anchor=\"fn-1\">1</a>"));
    assert!(html.contains("<div class=\"footnote-definition\" id=\"fn-1\">"));
    assert!(html.contains("<th class=\"align-center\">Center</th>"));
    assert!(html.contains(
        "<a href=\"#lesson/other\" data-lesson=\"other\" data-anchor=\"\">Other lesson</a>"
    ));
    assert!(html.contains(
        "<a href=\"#lesson/other\" data-lesson=\"other\" data-anchor=\"a-heading\">its heading</a>"
    ));
    assert!(html.contains("data-lesson=\"third\""));
    assert!(html.contains(
        "<a href=\"#repeated\" data-anchor=\"repeated\" data-lesson=\"features\">this page</a>"
    ));
    assert!(html.contains(
        "<a href=\"https://example.org/path?q=1\" class=\"external\" rel=\"noopener noreferrer\">the web</a>"
    ));
    assert!(html.contains("<span class=\"link-removed\">missing</span>"));
    assert!(html.contains("<span class=\"link-removed\">mail</span>"));
    assert!(html
        .contains("<img src=\"lesson://localhost/img/dot.png\" alt=\"A dot\" title=\"The dot\">"));
    assert!(html.contains("<span class=\"image-missing\">missing picture</span>"));
    assert!(html.contains("<span class=\"image-missing\">remote</span>"));
    assert!(html.contains(
        "<figure class=\"code\" data-lang=\"klingon\"><figcaption>klingon</figcaption><pre class=\"hl-code\"><code class=\"language-klingon\">Qapla&#39;\n</code></pre></figure>"
    ));
    assert!(html.contains("plain &lt;text&gt;"));
    assert!(html.contains("<pre class=\"diagram\"><code>indented code\n</code></pre>"));
    assert!(html.contains("<pre class=\"diagram\"><code>┌─┐\n└─┘\n</code></pre>"));
    assert!(!html.contains("Question?"), "knowledge check left out");
    assert!(html.contains("<h2 id=\"after-the-quiz\">After the Quiz</h2>"));

    let codes: Vec<(&str, u32)> = r.diagnostics.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        codes,
        [
            ("math-syntax", 24),
            ("missing-lesson-link", 50),
            ("link-scheme", 51),
            ("missing-image", 53),
            ("image-remote", 54),
        ],
        "{:#?}",
        r.diagnostics
    );
    let math = &r.diagnostics[0];
    assert_eq!(math.column, 27, "{math:?}");
    assert!(
        math.message
            .ends_with("expected argument but reached end of input"),
        "{}",
        math.message
    );
    assert!(r.diagnostics.iter().all(|d| !d.is_error()));
}

#[test]
fn raw_html_lesson_is_sanitized_and_keeps_lectern_markup() {
    let r = snapshot("rawhtml");
    let html = &r.html;
    assert!(html.contains("<details><summary>More</summary>"));
    assert!(html.contains("<kbd>Ctrl</kbd>"));
    assert!(
        html.contains("<math>"),
        "math survives beside raw HTML: {html}"
    );
    assert!(html.contains("<figure class=\"code\" data-lang=\"python\">"));
    assert!(html.contains("&lt;b&gt;not html&lt;/b&gt;"));
    assert!(
        html.contains("<a href=\"https://example.org\" rel=\"noopener noreferrer\">the web</a>")
    );
    assert!(html.contains("<a rel=\"noopener noreferrer\">a relative link</a>"));
    assert!(html.contains("<img src=\"lesson://localhost/img/dot.png\" alt=\"dot\" width=\"10\">"));
    assert!(html.contains("<img alt=\"out\">"));
    // ammonia leaves an emptied `class` attribute behind.
    assert!(html.contains("<div class=\"\">A div with a <b>bold</b> word.</div>"));
    assert!(html.contains("type=\"checkbox\""));
    assert!(html.contains("<td class=\"align-right\">2</td>"));
}

#[test]
fn outline_headings_carry_the_ids_the_html_carries() {
    let (_tmp, _dir, lesson, r) = render_fixture("features");
    let from_html: Vec<String> = start_tags(&r.html)
        .into_iter()
        .filter(|t| t.name.len() == 2 && t.name.starts_with('h') && t.name != "hr")
        .filter_map(|t| t.attrs.into_iter().find(|(a, _)| a == "id").map(|(_, v)| v))
        .collect();
    let from_outline: Vec<String> = headings(lesson.body()).into_iter().map(|h| h.id).collect();
    assert_eq!(from_html, from_outline);
    let toc: Vec<String> = r.toc.iter().map(|h| h.id.clone()).collect();
    let outline_toc: Vec<String> = headings(lesson.body())
        .into_iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .map(|h| h.id)
        .collect();
    assert_eq!(toc, outline_toc);
}

#[test]
fn rerendering_after_a_prose_edit_highlights_nothing_new() {
    let (_tmp, dir, mut lesson, _) = render_fixture("seedlike");
    let renderer = lectern::render::Renderer::default();
    let ids = std::collections::HashMap::new();
    let opts = lectern::render::RenderOptions::new(&dir, &ids);
    let first = renderer.render(&lesson, &opts);
    let cached = renderer.cached_code_blocks();
    assert_eq!(cached, 10);
    lesson.text = lesson
        .text
        .replace("Before a model sees", "Before any model sees");
    let second = renderer.render(&lesson, &opts);
    assert_eq!(renderer.cached_code_blocks(), cached);
    assert_ne!(first.html, second.html);
    assert!(second.html.contains("Before any model sees"));
}
