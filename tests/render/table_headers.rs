//! Every table header cell has text: axe-core's `empty-table-header` rule (issue 9), which
//! one bundled table broke with an empty corner cell.

use std::path::Path;

use lectern::course::Course;
use lectern::render::{RenderOptions, Renderer};

use super::render_body;

/// The `<th>` cells of `html` whose text (tags stripped, formulas left out) is blank.
/// A formula alone does not count: MathML has no accessible name, so axe-core finds a
/// header cell holding only `<math>` empty.
fn empty_header_cells(html: &str) -> Vec<String> {
    let mut empty = Vec::new();
    for cell in html.split("<th").skip(1) {
        // `<thead>` also starts with `<th`: only `<th>` and `<th attr…>` are cells.
        if !cell.starts_with(['>', ' ']) {
            continue;
        }
        let inner = cell.split_once('>').map_or("", |(_, rest)| rest);
        let inner = inner.split("</th>").next().unwrap_or("");
        let mut outside_math = String::new();
        let mut rest = inner;
        while let Some(start) = rest.find("<math") {
            outside_math.push_str(&rest[..start]);
            rest = rest[start..]
                .split_once("</math>")
                .map_or("", |(_, after)| after);
        }
        outside_math.push_str(rest);
        let inner = outside_math.as_str();
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        if text.replace("&nbsp;", " ").trim().is_empty() {
            empty.push(format!("<th{}", cell.split("</th>").next().unwrap_or(cell)));
        }
    }
    empty
}

#[test]
fn an_empty_corner_cell_is_found() {
    let html = render_body("|  | predicted spam |\n|---|---|\n| **spam** | 40 |\n").html;
    assert_eq!(empty_header_cells(&html).len(), 1, "{html}");
    let html = render_body("| actual | *predicted* spam |\n|---|---|\n|  | 40 |\n").html;
    assert!(empty_header_cells(&html).is_empty(), "{html}");
    let html = render_body("| $T$ | temperature $T$ |\n|---|---|\n| 1 | 2 |\n").html;
    assert_eq!(empty_header_cells(&html).len(), 1, "{html}");
}

#[test]
fn no_bundled_table_has_an_empty_header_cell() {
    let loaded = Course::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons"));
    let course = &loaded.course;
    let renderer = Renderer::default();
    let ids = course.lesson_ids_by_path();
    let mut tables = 0;
    for lesson in course.lessons() {
        let html = renderer
            .render(lesson, &RenderOptions::new(course.root(), ids))
            .html;
        tables += html.matches("<table").count();
        let empty = empty_header_cells(&html);
        assert!(empty.is_empty(), "{}: {empty:?}", lesson.path.display());
    }
    assert!(tables >= 8, "only {tables} tables rendered");
}
