//! Live preview: the incremental course always equals a fresh load, whatever changes.

use std::fs;
use std::path::Path;

use lectern::course::{Course, Loaded};

mod cli;
mod formats;
mod incremental;
mod watch;

/// Writes `text` to `rel` under `dir`, making its folders.
fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// The observable course: the outline JSON (lessons, order, sections, prev/next, drafts),
/// every diagnostic, and each lesson's text (includes expanded).
fn snapshot(loaded: &Loaded) -> String {
    let outline = loaded.course.outline(&loaded.diagnostics);
    let mut s = serde_json::to_string_pretty(&outline).unwrap();
    for d in &loaded.diagnostics {
        s.push_str(&format!("\n{}", d.render_human(Path::new(""))));
    }
    for l in loaded.course.lessons() {
        s.push_str(&format!("\n--- {} ({:?})\n{}", l.id, l.parent, l.text));
    }
    s
}

/// The course kept current equals the course loaded afresh from the folder.
fn assert_same_as_fresh(loaded: &Loaded, dir: &Path, step: &str) {
    assert_eq!(
        snapshot(loaded),
        snapshot(&Course::load(dir)),
        "after {step}"
    );
}
