//! A benchmark, not a test (ignored; run it by name): drawing a lesson's highlights in
//! the real window. 200 highlights spread over a ~100 KB lesson, then the highlights
//! module's `load` (the core places them — `lesson_annotations` — and the window wraps
//! each in its marks), the core's call alone and the window's `draw` alone, timed in
//! the page with `performance.now()`, 15 runs after 3 warm ones; the median and the
//! spread of each are printed. BENCHMARKS.md has the figures and this
//! command: `cargo test -p lectern-app --test e2e -- --ignored --nocapture drawing`.

use serde_json::{json, Value};

use crate::harness::{fixture, wait_until, App, PATIENCE};

const HIGHLIGHTS: usize = 200;

/// A lesson of about 100 KB: 60 sections of 10 paragraphs of ordinary sentences.
fn long_lesson() -> String {
    let words = [
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
    let mut seed: u64 = 7;
    let mut out = String::from("---\nid: long\ntitle: Long\norder: 1\n---\n# Long\n\n");
    for s in 0..60 {
        out.push_str(&format!("## Part {s}\n\n"));
        for _ in 0..10 {
            for _ in 0..4 {
                let mut sentence = Vec::new();
                for _ in 0..8 {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    sentence.push(words[(seed >> 33) as usize % words.len()]);
                }
                out.push_str(&format!("The {}. ", sentence.join(" ")));
            }
            out.push_str("\n\n");
        }
    }
    out
}

#[test]
#[ignore = "a benchmark: run by name, see BENCHMARKS.md"]
fn drawing_200_highlights_on_a_100_kb_lesson() {
    let (_tmp, dir) = fixture("e2e/notes");
    std::fs::write(dir.join("long.md"), long_lesson()).unwrap();
    let app = App::start(&[&dir]);
    app.click("#outline .lesson-link[data-lesson='long']");
    app.wait_for("article.lesson[data-lesson='long'] #lesson-body", PATIENCE);
    app.exec(
        "window.__bench = null;
         (async () => {
           const { api } = await import('./js/api.js');
           const text = document.getElementById('lesson-body').textContent.length;
           for (let i = 0; i < arguments[0]; i += 1) {
             const start = Math.floor((i * (text - 60)) / arguments[0]);
             await api.addAnnotation('long', { kind: 'highlight', start, end: start + 40, color: 'yellow', heading: null, note: null });
           }
           const m = await import('./js/views/highlights.js');
           const times = [], core = [], drawn = [];
           for (let run = 0; run < 18; run += 1) {
             let t = performance.now();
             await api.lessonAnnotations('long');
             core.push(performance.now() - t);
             t = performance.now();
             await m.load('long');
             times.push(performance.now() - t);
             t = performance.now();
             m.draw();
             drawn.push(performance.now() - t);
           }
           const marks = document.querySelectorAll('#lesson-body mark.hl').length;
           window.__bench = { bytes: text, marks, times: times.slice(3), core: core.slice(3), drawn: drawn.slice(3) };
         })().catch((e) => { window.__bench = { error: String(e) }; });
         return 1;",
        json!([HIGHLIGHTS]),
    );
    let result: Value = wait_until("the benchmark to finish", || {
        let v = app.js("return window.__bench;");
        (!v.is_null()).then_some(v)
    });
    assert!(result["error"].is_null(), "{result}");
    for (what, key) in [
        ("placed and drawn", "times"),
        ("placed by the core alone", "core"),
        ("drawn by the window alone", "drawn"),
    ] {
        let mut times: Vec<f64> = result[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap())
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{HIGHLIGHTS} highlights ({} marks) on {} characters, {what}: median {:.1} ms, min {:.1}, max {:.1} ({} runs)",
            result["marks"],
            result["bytes"],
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            times.len()
        );
    }
}
