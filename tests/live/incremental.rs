//! `Loaded::apply` after every class of change equals `Course::load` of the folder.

use std::fs;
use std::path::PathBuf;

use lectern::course::{Course, FileChange, Loaded};

use super::{assert_same_as_fresh, write};

fn lesson_text(id: &str, order: i64, extra: &str) -> String {
    format!("---\nid: {id}\ntitle: Lesson {id}\norder: {order}\nsection: s{}\n{extra}---\n# {id}\n\nText of {id}.\n", order % 2)
}

fn course() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("course");
    for i in 0..6 {
        let id = format!("l{i}");
        let links = if i > 0 {
            format!("prevLessonId: l{}\n", i - 1)
        } else {
            String::new()
        };
        write(
            &dir,
            &format!("part{}/{id}.md", i / 3),
            &lesson_text(&id, i, &links),
        );
    }
    write(&dir, "course.yaml", "id: live\ntitle: Live\nsections:\n  - id: s0\n    title: Even\n  - id: s1\n    title: Odd\n");
    (tmp, dir)
}

fn apply(loaded: &mut Loaded, changes: &[FileChange]) -> lectern::course::Applied {
    loaded.apply(changes)
}

#[test]
fn every_class_of_change_gives_what_a_fresh_load_gives() {
    let (_tmp, dir) = course();
    let mut loaded = Course::load(&dir);
    let l = |p: &str| FileChange::Lesson(PathBuf::from(p));

    write(
        &dir,
        "part0/l1.md",
        &lesson_text("l1", 1, "prevLessonId: l0\n").replace("Text of l1", "Edited text"),
    );
    let applied = apply(&mut loaded, &[l("part0/l1.md")]);
    assert_eq!(applied.changed, ["l1"]);
    assert_same_as_fresh(&loaded, &dir, "an edit");

    write(
        &dir,
        "part0/l1.md",
        &lesson_text("l1", 9, "prevLessonId: l0\n"),
    );
    apply(&mut loaded, &[l("part0/l1.md")]);
    assert_same_as_fresh(&loaded, &dir, "a new order (links now disagree)");

    write(&dir, "part1/l3.md", "---\nid: l3\ntitle: [broken\n---\n");
    apply(&mut loaded, &[l("part1/l3.md")]);
    assert!(loaded.course.lesson("l3").is_some_and(|l| l.broken));
    assert_same_as_fresh(&loaded, &dir, "broken front matter");

    write(
        &dir,
        "part1/l3.md",
        &lesson_text("l3", 3, "prevLessonId: l2\n"),
    );
    apply(&mut loaded, &[l("part1/l3.md")]);
    assert_same_as_fresh(&loaded, &dir, "a fix");

    write(&dir, "part1/dup.md", &lesson_text("l4", 40, ""));
    apply(&mut loaded, &[l("part1/dup.md")]);
    assert_same_as_fresh(&loaded, &dir, "a duplicate id");

    write(&dir, "part1/l4.md", &lesson_text("l4b", 4, ""));
    apply(&mut loaded, &[l("part1/l4.md")]);
    assert_same_as_fresh(&loaded, &dir, "the shadowing lesson changed its id");

    fs::rename(dir.join("part1/l5.md"), dir.join("part0/l5.md")).unwrap();
    let applied = apply(&mut loaded, &[l("part1/l5.md"), l("part0/l5.md")]);
    assert_eq!(applied.changed, ["l5"]);
    assert!(applied.removed.is_empty());
    assert_same_as_fresh(&loaded, &dir, "a lesson moved between folders");

    fs::remove_file(dir.join("part0/l0.md")).unwrap();
    let applied = apply(&mut loaded, &[l("part0/l0.md")]);
    assert_eq!(applied.removed, ["l0"]);
    assert_same_as_fresh(&loaded, &dir, "a removal (dangling links)");

    write(
        &dir,
        "course.yaml",
        "id: live\ntitle: Renamed\nsections:\n  - id: s1\n    title: Odd first\n",
    );
    apply(&mut loaded, &[FileChange::CourseFile]);
    assert_eq!(loaded.course.title(), "Renamed");
    assert_same_as_fresh(&loaded, &dir, "course.yaml");

    for i in 10..40 {
        write(
            &dir,
            &format!("part2/n{i}.md"),
            &lesson_text(&format!("n{i}"), i, ""),
        );
    }
    let applied = apply(&mut loaded, &[FileChange::Rescan]);
    assert!(applied.rescanned);
    assert_same_as_fresh(&loaded, &dir, "a rescan");
}

#[test]
fn a_file_that_becomes_a_link_out_or_a_fifo_is_a_diagnostic() {
    let (_tmp, dir) = course();
    let mut loaded = Course::load(&dir);
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "x.md", &lesson_text("x", 1, ""));
    fs::remove_file(dir.join("part0/l2.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.md"), dir.join("part0/l2.md")).unwrap();
    let ok = std::process::Command::new("mkfifo")
        .arg(dir.join("part0/pipe.md"))
        .status()
        .unwrap();
    assert!(ok.success());
    apply(
        &mut loaded,
        &[
            FileChange::Lesson("part0/l2.md".into()),
            FileChange::Lesson("part0/pipe.md".into()),
        ],
    );
    let codes: Vec<_> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        codes.contains(&"path-escape") && codes.contains(&"file-unreadable"),
        "{codes:?}"
    );
    assert_same_as_fresh(&loaded, &dir, "a link out and a FIFO");
}

#[test]
fn a_lesson_freed_from_a_duplicate_id_is_reported_changed_and_checked_again() {
    use lectern::check::check;
    use lectern::live::Session;
    use lectern::render::Renderer;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "course.yaml", "title: T\n");
    write(dir, "a.md", "---\nid: x\ntitle: A\n---\n# A\n");
    write(
        dir,
        "b.md",
        "---\nid: x\ntitle: B\n---\n# B\n\n![gone](gone.png)\n",
    );
    let mut loaded = Course::load(dir);
    let renderer = Renderer::default();
    let (mut session, _) = Session::start(&loaded, &renderer);
    // a.md takes another id: b.md, shadowed until now, is the lesson `x`.
    write(dir, "a.md", "---\nid: other\ntitle: A\n---\n# A\n");
    let pending = Session::apply(&mut loaded, &[FileChange::Lesson(PathBuf::from("a.md"))]);
    let change = session.settle(&loaded, &renderer, pending, None);
    let mut changed = change.applied.changed.clone();
    changed.sort();
    assert_eq!(changed, ["other", "x"]);
    assert_eq!(change.applied.files, ["a.md", "b.md"]);
    let fresh = check(&Course::load(dir), &renderer);
    assert_eq!(change.check.totals, fresh.totals());
    assert_eq!(
        session.report(&loaded, &renderer).diagnostics,
        fresh.diagnostics
    );
    assert!(fresh.diagnostics.iter().any(|d| d.code == "missing-image"));
    // And back: b.md is shadowed again, its problems leave the report.
    write(dir, "a.md", "---\nid: x\ntitle: A\n---\n# A\n");
    let pending = Session::apply(&mut loaded, &[FileChange::Lesson(PathBuf::from("a.md"))]);
    let change = session.settle(&loaded, &renderer, pending, None);
    assert_eq!(change.applied.files, ["a.md", "b.md"]);
    let fresh = check(&Course::load(dir), &renderer);
    assert_eq!(change.check.totals, fresh.totals());
    assert_eq!(
        session.report(&loaded, &renderer).diagnostics,
        fresh.diagnostics
    );
}
