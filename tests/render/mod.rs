//! Rendering (issue 3): snapshots of fixture lessons, the security suite, input limits,
//! links and `lesson://` assets, the highlight stylesheets (and their contrast), bundled
//! table headers and `lectern render`.
//!
//! Snapshots live beside their fixture as `expected.html`; run with `UPDATE_SNAPSHOTS=1`
//! to rewrite them (and the committed `ui/css/highlight-*.css`) after a deliberate change.

mod assets;
mod cli;
mod limits;
mod security;
mod snapshots;
mod stylesheets;
mod table_headers;

use std::fs;
use std::path::{Path, PathBuf};

use lectern::course::Course;
use lectern::lesson::Lesson;
use lectern::render::{render, sanitize, RenderOptions, Rendered};

use crate::support::{fixture, fixtures_root};

/// Whether snapshots should be rewritten instead of compared.
pub(crate) fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v != "0")
}

/// Compares `actual` with the snapshot file at `path`, or rewrites it when updating.
pub(crate) fn check_snapshot(path: &Path, actual: &str) {
    if updating() {
        fs::write(path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}; run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .map_or(expected.lines().count().min(actual.lines().count()), |i| i);
        panic!(
            "{} differs from the rendering at line {}:\nexpected: {:?}\nactual:   {:?}\n(run with UPDATE_SNAPSHOTS=1 if the change is intended)",
            path.display(),
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

/// Renders `<case>/lesson.md` of the render fixtures, from a temp copy of the folder.
pub(crate) fn render_fixture(case: &str) -> (tempfile::TempDir, PathBuf, Lesson, Rendered) {
    let (tmp, dir) = fixture(&format!("render/{case}"));
    let loaded = Course::load(&dir);
    let lesson = loaded
        .course
        .lessons()
        .iter()
        .find(|l| l.path == Path::new("lesson.md"))
        .expect("fixture has lesson.md")
        .clone();
    let ids = loaded.course.lesson_ids_by_path();
    let rendered = render(&lesson, &RenderOptions::new(&dir, ids));
    (tmp, dir, lesson, rendered)
}

/// The source folder of a render fixture (for snapshot files).
pub(crate) fn fixture_source(case: &str) -> PathBuf {
    fixtures_root().join("render").join(case)
}

/// Writes a lesson with `body` into `dir` as `lesson.md` and renders it there.
pub(crate) fn render_body_in(dir: &Path, body: &str) -> Rendered {
    let text = format!("---\nid: t\ntitle: T\n---\n{body}");
    fs::write(dir.join("lesson.md"), &text).unwrap();
    let loaded = Course::load(dir);
    let ids = loaded.course.lesson_ids_by_path();
    let lesson = loaded
        .course
        .lesson("t")
        .expect("test lesson loads")
        .clone();
    render(&lesson, &RenderOptions::new(dir, ids))
}

/// Renders `body` as a lesson in a fresh temp folder.
pub(crate) fn render_body(body: &str) -> Rendered {
    let tmp = tempfile::tempdir().unwrap();
    render_body_in(tmp.path(), body)
}

/// One start tag of HTML: its name and attributes (values with entities decoded).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct StartTag {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
}

/// The start tags of `html`, in order, attributes sorted. Enough of an HTML tokenizer for
/// serialized output (html5ever's or pulldown-cmark's): text never contains a raw `<`.
pub(crate) fn start_tags(html: &str) -> Vec<StartTag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let s = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = html[s..i].to_ascii_lowercase();
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                if let Some(&q) = b.get(i).filter(|c| matches!(c, b'"' | b'\'')) {
                    i += 1;
                    let s = i;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    value = decode_entities(&html[s..i]);
                    i += 1;
                } else {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&html[s..i]);
                }
            }
            attrs.push((attr, value));
        }
        attrs.sort();
        out.push(StartTag { name, attrs });
    }
    out
}

fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let Some(end) = after.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => out.push(c),
            None => {
                out.push('&');
                out.push_str(entity);
                out.push(';');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Asserts that nothing in `html` can run, judged by the one output check the fuzzer
/// also uses (`robustness::html_check`: the markup parsed as the webview parses it, no
/// executable element, no event handler or `style`, only allowed URLs), and that it is
/// a fixed point of the output sanitizer.
pub(crate) fn assert_inert(html: &str) {
    let found = crate::robustness::html_check::violations(html);
    assert!(found.is_empty(), "{found:#?} in:\n{html}");
    assert_fixed_point(html);
}

/// Sanitizing the output again removes and changes nothing, and is idempotent.
pub(crate) fn assert_fixed_point(html: &str) {
    let once = sanitize(html);
    assert_eq!(
        start_tags(&once),
        start_tags(html),
        "the output sanitizer changed the markup of:\n{html}\ninto:\n{once}"
    );
    assert_eq!(sanitize(&once), once, "sanitizing is not idempotent");
}
