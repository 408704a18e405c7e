//! Re-anchoring benchmark: 1,000 highlights on a 100 KB lesson placed again after an
//! edit, with `notes::place_all` (what a live save or a new course version costs). See
//! BENCHMARKS.md (Notes) for figures; the goal is well under a 16 ms frame.
//!
//! `cargo bench -p lectern --bench notes` measures three edits of the same lesson:
//! - `shifted`: a paragraph inserted at the top, so every highlight moved;
//! - `shifted_and_edited`: the same, plus one word changed inside 10 of the quotes
//!   (10 fuzzy searches over the whole text);
//! - `deleted`: the same insertion, plus 10 quoted passages deleted (10 fuzzy searches
//!   that find nothing: the worst case per annotation).

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::Criterion;
use lectern::anchor::{place_all, Anchor, Placement};

const WORDS: [&str; 16] = [
    "attention",
    "token",
    "softmax",
    "query",
    "key",
    "value",
    "layer",
    "embedding",
    "gradient",
    "decoder",
    "encoder",
    "mask",
    "head",
    "scale",
    "vector",
    "weight",
];

/// About 100 KB of prose: sentences of pseudo-random words (a fixed LCG), so quotes
/// are mostly unique but words repeat as in a real lesson.
fn lesson() -> String {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut text = String::new();
    let mut sentence = 0;
    while text.len() < 100_000 {
        for w in 0..12 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let word = WORDS[(state >> 60) as usize];
            text.push_str(if w == 0 { "The " } else { " " });
            text.push_str(word);
        }
        sentence += 1;
        text.push_str(&format!(" ({sentence}). "));
        if sentence % 6 == 0 {
            text.push('\n');
        }
    }
    text
}

/// 1,000 quotes of about 60 bytes spread evenly through the text.
fn anchors(text: &str) -> Vec<Anchor> {
    let step = text.len() / 1_000;
    (0..1_000)
        .map(|i| {
            let start = i * step;
            Anchor::of(text, start..start + 60)
        })
        .collect()
}

fn edited(text: &str, anchors: &[Anchor], inside: impl Fn(&str) -> String) -> String {
    let mut out = format!("A new opening paragraph.\n{text}");
    for a in anchors.iter().step_by(100) {
        out = out.replacen(a.quote.as_str(), &inside(&a.quote), 1);
    }
    out
}

/// What a lesson with 200 highlights costs the core when the window asks for them
/// (`notes::lesson_notes`: the annotations read, the lesson's plain text — kept from
/// the last call — and the 200 placed), and what the first call adds (rendering the
/// lesson and making its plain text).
fn lesson_notes_200(c: &mut Criterion, text: &str) {
    use lectern::notes::{lesson_notes, Selection};
    use lectern::progress::{AnnotationKind, CourseKey, Store};
    use lectern::render::{RenderOptions, Renderer};
    let dir = tempfile::tempdir().unwrap();
    let body = text.replace('\n', "\n\n");
    std::fs::write(
        dir.path().join("long.md"),
        format!("---\nid: long\ntitle: Long\n---\n# Long\n\n{body}"),
    )
    .unwrap();
    let course = lectern::course::Course::load(dir.path()).course;
    let key = CourseKey::of(&course);
    let renderer = Renderer::default();
    let mut store = Store::open(&dir.path().join("p.db")).unwrap().store;
    let lesson = course.lesson("long").unwrap();
    let options = RenderOptions::new(course.root(), course.lesson_ids_by_path());
    let plain = lectern::anchor::plain_text(&renderer.render(lesson, &options).html);
    let units = plain.encode_utf16().count();
    for i in 0..200 {
        let start = i * (units - 60) / 200;
        let selection = Selection {
            kind: AnnotationKind::Highlight,
            start,
            end: start + 40,
            color: Some("yellow".into()),
            heading: None,
            note: None,
        };
        lectern::notes::annotate(
            &mut store, &key, &course, &renderer, "long", &selection, i as u64, 0,
        )
        .unwrap();
    }
    c.bench_function("lesson_notes_200_on_100kb", |b| {
        b.iter(|| black_box(lesson_notes(&store, &key, &course, &renderer, "long").unwrap()))
    });
    c.bench_function("lesson_plain_text_100kb_first_call", |b| {
        b.iter(|| {
            black_box(lectern::anchor::plain_text(
                &renderer.render(lesson, &options).html,
            ))
        })
    });
}

fn main() {
    let text = lesson();
    let anchors = anchors(&text);
    let cases = [
        ("shifted", format!("A new opening paragraph.\n{text}")),
        (
            "shifted_and_edited",
            edited(&text, &anchors, |q| q.replacen(' ', " really ", 1)),
        ),
        ("deleted", edited(&text, &anchors, |_| String::new())),
    ];
    for (name, text) in &cases {
        let placed = place_all(text, &anchors);
        let detached = placed.iter().filter(|p| **p == Placement::Detached).count();
        let fuzzy = placed
            .iter()
            .filter(|p| matches!(p, Placement::Fuzzy { .. }))
            .count();
        println!(
            "{name}: {} KB, 1,000 anchors: {fuzzy} fuzzy, {detached} detached",
            text.len() / 1_000
        );
    }
    let mut c = Criterion::default().configure_from_args();
    for (name, text) in &cases {
        c.bench_function(&format!("place_all_1000_on_100kb/{name}"), |b| {
            b.iter(|| black_box(place_all(text, &anchors)))
        });
    }
    lesson_notes_200(&mut c, &text);
    c.final_summary();
}
