//! Rendering benchmark on a seed-sized lesson (~9 KB, ten tagged code blocks), against
//! pulldown-cmark's plain `push_html` pass (the floor) and syntect highlighting the same
//! blocks directly (the highlighting baseline). See BENCHMARKS.md for figures and goals.
//!
//! `cargo bench -p lectern --bench render` runs, in one process:
//! - cold starts, each in a fresh child process (syntect's data are process-global, so a
//!   first render can only be measured once per process): syntect load alone, the first
//!   render after a warm-up, and the first render with no warm-up;
//! - criterion groups for the floor, a re-render after a prose edit (cache hit), a full
//!   re-highlight (fresh renderer), and direct syntect highlighting.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use lectern::lesson::Lesson;
use lectern::render::{RenderOptions, Renderer};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const LESSON: &str = include_str!("../tests/fixtures/render/seedlike/lesson.md");
const COLD_RUNS: usize = 7;

fn lesson(text: &str) -> Lesson {
    lectern::lesson::parse(Path::new("lesson.md"), text.as_bytes())
        .expect("fixture parses")
        .0
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render/seedlike")
}

/// The tagged code blocks of the lesson, with the syntax each tag maps to.
fn code_blocks(body: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut current: Option<(&'static str, String)> = None;
    for e in Parser::new_ext(body, lectern::render::parser_options()) {
        match e {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if !info.is_empty() => {
                let name = match info.as_ref() {
                    "python" => "Python",
                    "bash" => "Bourne Again Shell (bash)",
                    "json" => "JSON",
                    "yaml" => "YAML",
                    "toml" => "TOML",
                    "typescript" => "TypeScript",
                    "rust" => "Rust",
                    other => panic!("add {other} to the bench's table"),
                };
                current = Some((name, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, code)) = current.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

fn syntect_direct(set: &SyntaxSet, blocks: &[(&'static str, String)]) -> usize {
    let mut total = 0;
    for (name, code) in blocks {
        let syntax = set.find_syntax_by_name(name).expect("syntax");
        let mut gen = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            set,
            ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line)
                .expect("highlight");
        }
        total += gen.finalize().len();
    }
    total
}

/// In a child process: one cold measurement, printed as `name micros`.
fn cold_child(mode: &str) {
    let l = lesson(LESSON);
    let ids = HashMap::new();
    let root = root();
    let opts = RenderOptions::new(&root, &ids);
    match mode {
        "warm-up" => {
            let t = Instant::now();
            lectern::render::warm_up();
            println!("warm-up {}", t.elapsed().as_micros());
        }
        "first-after-warm-up" => {
            lectern::render::warm_up();
            let t = Instant::now();
            black_box(Renderer::default().render(&l, &opts));
            println!("first-after-warm-up {}", t.elapsed().as_micros());
        }
        "first-cold" => {
            let t = Instant::now();
            black_box(Renderer::default().render(&l, &opts));
            println!("first-cold {}", t.elapsed().as_micros());
        }
        _ => panic!("unknown cold mode {mode}"),
    }
}

fn median(mut v: Vec<u128>) -> u128 {
    v.sort_unstable();
    v[v.len() / 2]
}

/// Runs each cold measurement in fresh child processes and prints medians.
fn cold_starts() {
    let exe = std::env::current_exe().expect("bench binary path");
    println!("cold starts (fresh process each, {COLD_RUNS} runs, median):");
    for mode in ["warm-up", "first-after-warm-up", "first-cold"] {
        let mut runs = Vec::new();
        for _ in 0..COLD_RUNS {
            let out = Command::new(&exe)
                .env("LECTERN_BENCH_COLD", mode)
                .output()
                .expect("run bench child");
            let text = String::from_utf8_lossy(&out.stdout);
            let micros = text
                .split_whitespace()
                .nth(1)
                .and_then(|m| m.parse::<u128>().ok())
                .expect("child prints a figure");
            runs.push(micros);
        }
        let min = *runs.iter().min().unwrap_or(&0);
        println!(
            "  {mode:<22} median {:>8.2} ms   (min {:.2} ms)",
            median(runs) as f64 / 1000.0,
            min as f64 / 1000.0
        );
    }
}

fn benches(c: &mut Criterion) {
    let l = lesson(LESSON);
    let body = l.body().to_owned();
    let ids = HashMap::new();
    let root = root();
    let opts = RenderOptions::new(&root, &ids);
    let set = two_face::syntax::extra_newlines();
    let blocks = code_blocks(&body);
    assert_eq!(blocks.len(), 10, "the fixture has ten tagged code blocks");

    let mut g = c.benchmark_group("seed-sized lesson");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    g.bench_function("floor: pulldown-cmark push_html", |b| {
        b.iter(|| {
            let mut html = String::with_capacity(body.len() * 2);
            pulldown_cmark::html::push_html(
                &mut html,
                Parser::new_ext(black_box(&body), lectern::render::parser_options()),
            );
            html
        })
    });

    // Prose edited between renders, code unchanged: every block is a cache hit.
    let warm = Renderer::default();
    warm.render(&l, &opts);
    let edits: Vec<Lesson> = (0..4)
        .map(|i| lesson(&LESSON.replace("Before a model sees", &format!("Before model {i} sees"))))
        .collect();
    let mut i = 0;
    g.bench_function("re-render after a prose edit (cached code)", |b| {
        b.iter(|| {
            i = (i + 1) % edits.len();
            warm.render(black_box(&edits[i]), &opts)
        })
    });

    g.sample_size(20).measurement_time(Duration::from_secs(5));
    g.bench_function("full render, empty cache (re-highlight all)", |b| {
        b.iter_batched(
            Renderer::default,
            |r| r.render(black_box(&l), &opts),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("syntect directly on the same blocks", |b| {
        b.iter(|| syntect_direct(&set, black_box(&blocks)))
    });
    g.finish();
}

fn main() {
    if let Ok(mode) = std::env::var("LECTERN_BENCH_COLD") {
        cold_child(&mode);
        return;
    }
    // `cargo test` runs bench binaries with no arguments (`cargo bench` passes `--bench`):
    // keep that quick, one render checked, no cold starts.
    if !std::env::args().any(|a| a == "--bench") {
        let l = lesson(LESSON);
        let ids = HashMap::new();
        let root = root();
        let r = Renderer::default().render(&l, &RenderOptions::new(&root, &ids));
        assert!(r.html.contains("<figure class=\"code\""));
        return;
    }
    cold_starts();
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
}
