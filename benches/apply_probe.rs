#![allow(missing_docs, clippy::unwrap_used)]
use lectern::course::{Course, FileChange};
use std::path::{Path, PathBuf};
use std::time::Instant;
fn main() {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..10_000 {
        let text = format!("---\nid: l{i:05}\ntitle: Lesson {i}\norder: {i}\nsection: s{}\n---\n# Lesson {i}\n\nSome prose.\n", i / 50);
        std::fs::write(tmp.path().join(format!("l{i:05}.md")), text).unwrap();
    }
    let mut loaded = Course::load(tmp.path());
    let renderer = lectern::render::Renderer::default();
    let (mut live, _) = lectern::check::Live::start(&loaded, &renderer);
    for run in 0..5 {
        std::fs::write(
            tmp.path().join("l00005.md"),
            format!("---\nid: l00005\ntitle: T{run}\norder: 5\n---\n# x\n"),
        )
        .unwrap();
        let t = Instant::now();
        let applied = loaded.apply(&[FileChange::Lesson(PathBuf::from("l00005.md"))]);
        let a = t.elapsed();
        let u = live.update(&loaded, &renderer, &applied);
        let b = t.elapsed();
        let _ = Path::new("");
        println!(
            "apply {:?} update {:?} ({} lessons)",
            a,
            b - a,
            u.report.lessons
        );
    }
}
