//! Every file the core reads goes through the guarded reader, and no path leaves the
//! lessons folder: FIFOs, huge and sparse files, links out, links to nowhere, deep trees.

use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use lectern::course::Course;
use serde_json::Value;

use crate::support::lectern;

fn lesson(dir: &Path, rel: &str, id: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, format!("---\nid: {id}\ntitle: {id}\n---\n# {id}\n")).unwrap();
}

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
}

/// Loads the course on another thread and fails (instead of hanging the suite) when it
/// does not finish within a generous bound.
fn load_within(dir: &Path) -> lectern::course::Loaded {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(Course::load(&dir));
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("loading the course hung (a FIFO read blocks)")
}

fn codes(loaded: &lectern::course::Loaded) -> Vec<(String, &'static str)> {
    loaded
        .diagnostics
        .iter()
        .map(|d| (lectern::diagnostic::slash_path(&d.path), d.code))
        .collect()
}

#[test]
fn a_fifo_named_course_yaml_is_a_diagnostic_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    lesson(dir.path(), "a.md", "a");
    mkfifo(&dir.path().join("course.yaml"));
    let loaded = load_within(dir.path());
    assert_eq!(
        codes(&loaded),
        [("course.yaml".to_owned(), "file-unreadable")]
    );
    assert!(loaded.diagnostics[0].message.contains("named pipe (FIFO)"));
    assert_eq!(loaded.course.lessons().len(), 1);
}

#[test]
fn fifos_and_links_to_nowhere_named_md_are_diagnosed_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    lesson(dir.path(), "good.md", "good");
    mkfifo(&dir.path().join("pipe.md"));
    std::os::unix::fs::symlink(dir.path().join("none.md"), dir.path().join("dangling.md")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("loop.md"), dir.path().join("loop.md")).unwrap();
    // A FIFO that is not a lesson is none of our business.
    mkfifo(&dir.path().join("notes.txt"));
    let loaded = load_within(dir.path());
    assert_eq!(
        codes(&loaded),
        [
            ("dangling.md".to_owned(), "file-unreadable"),
            ("loop.md".to_owned(), "file-unreadable"),
            ("pipe.md".to_owned(), "file-unreadable"),
        ]
    );
    assert_eq!(loaded.course.lessons().len(), 1);
}

#[test]
fn a_huge_sparse_course_yaml_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    lesson(dir.path(), "a.md", "a");
    let f = fs::File::create(dir.path().join("course.yaml")).unwrap();
    f.set_len(500 * 1024 * 1024).unwrap();
    let loaded = load_within(dir.path());
    assert_eq!(
        codes(&loaded),
        [("course.yaml".to_owned(), "file-too-large")]
    );
    assert_eq!(
        loaded.diagnostics[0].message,
        "`course.yaml` is 500.0 MiB, over the 256 KiB limit; split it into several files"
    );
}

#[test]
fn a_course_yaml_linking_out_of_the_folder_is_not_used() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("course.yaml"), "title: Stolen Title\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    lesson(dir.path(), "a.md", "a");
    std::os::unix::fs::symlink(
        outside.path().join("course.yaml"),
        dir.path().join("course.yaml"),
    )
    .unwrap();
    let loaded = load_within(dir.path());
    assert_eq!(codes(&loaded), [("course.yaml".to_owned(), "path-escape")]);
    assert_ne!(loaded.course.title(), "Stolen Title");
}

#[test]
fn a_course_yaml_that_is_not_utf8_is_diagnosed_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    lesson(dir.path(), "a.md", "a");
    fs::write(dir.path().join("course.yaml"), b"title: Caf\xe9\n").unwrap();
    let loaded = load_within(dir.path());
    assert_eq!(codes(&loaded), [("course.yaml".to_owned(), "invalid-utf8")]);
    let d = &loaded.diagnostics[0];
    assert_eq!((d.line, d.column), (1, 11));
}

#[test]
fn lessons_at_any_depth_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let deep: Vec<String> = (0..40).map(|i| format!("d{i}")).collect();
    lesson(dir.path(), &format!("{}/deep.md", deep.join("/")), "deep");
    lesson(dir.path(), "top.md", "top");
    // A link back up the tree cannot make the scan loop.
    std::os::unix::fs::symlink(dir.path(), dir.path().join("d0/up")).unwrap();
    let loaded = load_within(dir.path());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert!(loaded.course.lesson("deep").is_some());
    assert_eq!(loaded.course.lessons().len(), 2);
}

#[test]
fn render_refuses_a_file_reached_through_dot_dot_out_of_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    lesson(tmp.path(), "d/in.md", "in");
    lesson(tmp.path(), "o/x.md", "x");
    for cmd in ["render", "quiz"] {
        let o = lectern(&[cmd, "d/../o/x.md", "--dir", "d"], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("is not inside the lessons folder"),
            "{cmd}: {err}"
        );
    }
}

#[test]
fn render_and_quiz_refuse_a_link_that_leads_out_like_check_does() {
    let outside = tempfile::tempdir().unwrap();
    lesson(outside.path(), "secret.md", "secret");
    let tmp = tempfile::tempdir().unwrap();
    lesson(tmp.path(), "d/in.md", "in");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), tmp.path().join("d/s.md"))
        .unwrap();
    for cmd in ["render", "quiz"] {
        let o = lectern(&[cmd, "d/s.md", "--dir", "d"], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        assert!(o.stdout.is_empty() || !String::from_utf8_lossy(&o.stdout).contains("secret"));
    }
    let o = lectern(&["check", "d", "--json"], tmp.path());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "path-escape");
}

#[test]
fn a_file_one_byte_over_the_cap_says_by_how_much() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = b"---\nid: big\ntitle: Big\n---\n".to_vec();
    text.resize(2 * 1024 * 1024 + 1, b'a');
    fs::write(dir.path().join("big.md"), text).unwrap();
    let loaded = load_within(dir.path());
    assert_eq!(
        loaded.diagnostics[0].message,
        "lesson is 2.000001 MiB, over the 2 MiB limit; split it into several files"
    );
}

#[test]
fn an_image_over_the_asset_limit_gets_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.md"),
        "---\nid: a\ntitle: A\n---\n# A\n\n![huge](huge.png)\n",
    )
    .unwrap();
    let f = fs::File::create(dir.path().join("huge.png")).unwrap();
    f.set_len(lectern::render::MAX_ASSET_BYTES + 1).unwrap();
    let loaded = load_within(dir.path());
    let report = lectern::check::check(&loaded, &lectern::render::Renderer::default());
    let codes: Vec<_> = report.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["image-too-large"]);
    assert!(lectern::render::read_asset(dir.path(), "huge.png").is_err());
}
