//! `Loaded::apply` in every format reads again only what a change reaches: a plain
//! folder's one note, a book's one chapter, every lesson that includes a changed file
//! (and no other), and equals a fresh load after each change.
//!
//! Each test that says "only" also changes a file on disk that it does not report: a
//! whole re-read would see that change, so seeing it fails the test.

use std::fs;
use std::path::PathBuf;

use lectern::course::{Applied, Course, FileChange, Format, Loaded};

use super::{assert_same_as_fresh, write};

fn lesson(rel: &str) -> FileChange {
    FileChange::Lesson(PathBuf::from(rel))
}

fn file(rel: &str) -> FileChange {
    FileChange::File(PathBuf::from(rel))
}

fn text<'a>(loaded: &'a Loaded, id: &str) -> &'a str {
    &loaded.course.lesson(id).expect("the lesson").text
}

fn codes(loaded: &Loaded) -> Vec<(String, &'static str)> {
    loaded
        .diagnostics
        .iter()
        .map(|d| (d.path.to_string_lossy().into_owned(), d.code))
        .collect()
}

/// A plain folder: notes at the top and in a folder opened by its README.
fn plain() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("notes");
    write(&dir, "a.md", "# A\n\nFirst note.\n");
    write(&dir, "b.md", "---\ntitle: B\n---\nSecond note.\n");
    write(
        &dir,
        "guide/README.md",
        "# The Guide\n\nOpens the folder.\n",
    );
    write(&dir, "guide/1-start.md", "# Start\n\nStep one.\n");
    write(&dir, "guide/2-then.md", "# Then\n\nStep two.\n");
    (tmp, dir)
}

#[test]
fn saving_one_note_of_a_plain_folder_rereads_that_note_alone_and_equals_a_fresh_load() {
    let (_tmp, dir) = plain();
    let mut loaded = Course::load(&dir);
    assert_eq!(loaded.course.format(), Format::Markdown);
    write(&dir, "guide/1-start.md", "# Start\n\nStep one, edited.\n");
    write(&dir, "a.md", "# A\n\nUnreported edit.\n");
    let applied = loaded.apply(&[lesson("guide/1-start.md")]);
    assert_eq!(
        applied,
        Applied {
            changed: vec!["guide--1-start".into()],
            files: vec!["guide/1-start.md".into()],
            ..Applied::default()
        }
    );
    assert!(text(&loaded, "guide--1-start").contains("Step one, edited."));
    assert!(
        !text(&loaded, "a").contains("Unreported"),
        "a.md was read again"
    );
    loaded.apply(&[lesson("a.md")]);
    assert_same_as_fresh(&loaded, &dir, "an edit of one note");
}

#[test]
fn notes_added_removed_renamed_and_reordered_in_a_plain_folder_equal_a_fresh_load() {
    let (_tmp, dir) = plain();
    let mut loaded = Course::load(&dir);
    write(&dir, "guide/3-last.md", "# Last\n");
    let applied = loaded.apply(&[lesson("guide/3-last.md")]);
    assert_eq!(applied.changed, ["guide--3-last"]);
    assert!(!applied.rescanned);
    assert_same_as_fresh(&loaded, &dir, "a note added");

    fs::remove_file(dir.join("a.md")).unwrap();
    let applied = loaded.apply(&[lesson("a.md")]);
    assert_eq!(
        (applied.changed.len(), applied.removed.as_slice()),
        (0, &["a".to_owned()][..])
    );
    assert_same_as_fresh(&loaded, &dir, "a note removed");

    fs::rename(dir.join("guide/2-then.md"), dir.join("guide/0-then.md")).unwrap();
    let applied = loaded.apply(&[lesson("guide/2-then.md"), lesson("guide/0-then.md")]);
    assert_eq!(
        (applied.changed.as_slice(), applied.removed.as_slice()),
        (
            &["guide--0-then".to_owned()][..],
            &["guide--2-then".to_owned()][..]
        )
    );
    assert_same_as_fresh(&loaded, &dir, "a note renamed (and so moved first)");

    write(&dir, "guide/README.md", "# A Better Guide\n");
    let applied = loaded.apply(&[lesson("guide/README.md")]);
    assert!(!applied.rescanned);
    assert_eq!(loaded.course.sections()[1].title, "A Better Guide");
    assert_same_as_fresh(&loaded, &dir, "the folder's opening note retitled");

    // `index.md` beside `README.md`: the first by name opens the folder, whichever
    // was read last.
    write(&dir, "guide/index.md", "# Index\n");
    loaded.apply(&[lesson("guide/index.md")]);
    assert_same_as_fresh(&loaded, &dir, "a second opening note");
    write(&dir, "guide/README.md", "# The Guide Again\n");
    loaded.apply(&[lesson("guide/README.md")]);
    assert_eq!(loaded.course.sections()[1].title, "The Guide Again");
    assert_same_as_fresh(&loaded, &dir, "the first opening note saved last");

    write(
        &dir,
        "b.md",
        "---\ntitle: B\nsection: extras\norder: 1\n---\nSecond.\n",
    );
    loaded.apply(&[lesson("b.md")]);
    assert_eq!(
        loaded.course.lessons()[0].id,
        "b",
        "Lectern's order: is course-wide"
    );
    assert_same_as_fresh(&loaded, &dir, "a note's own section and order");

    write(&dir, "b.md", "---\ntitle: B\n---\nSecond.\n");
    loaded.apply(&[lesson("b.md")]);
    assert_same_as_fresh(&loaded, &dir, "back in its folder's section");
}

#[test]
fn the_missing_id_rule_follows_the_share_of_notes_with_an_id() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a.md", "---\nid: a\n---\n# A\n");
    write(dir, "b.md", "# B\n");
    write(dir, "c.md", "# C\n");
    let mut loaded = Course::load(dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    write(dir, "b.md", "---\nid: b\n---\n# B\n");
    let applied = loaded.apply(&[lesson("b.md")]);
    // Two of three now have an id: the third is told, though it did not change.
    assert_eq!(codes(&loaded), [("c.md".to_owned(), "missing-id")]);
    assert_eq!(applied.changed, ["b"]);
    assert_eq!(applied.files, ["b.md", "c.md"]);
    assert_same_as_fresh(&loaded, dir, "the share of ids crossed one half");
    write(dir, "b.md", "# B\n");
    let applied = loaded.apply(&[lesson("b.md")]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(applied.files, ["b.md", "c.md"]);
    assert_same_as_fresh(&loaded, dir, "and back");
}

#[test]
fn a_file_that_makes_the_folder_another_format_reads_it_again() {
    let (_tmp, dir) = plain();
    let mut loaded = Course::load(&dir);
    write(&dir, "course.yaml", "title: Now Lectern\n");
    let applied = loaded.apply(&[FileChange::CourseFile]);
    assert!(applied.rescanned);
    assert_eq!(loaded.course.format(), Format::Lectern);
    assert_same_as_fresh(&loaded, &dir, "course.yaml created");
    fs::remove_file(dir.join("course.yaml")).unwrap();
    let applied = loaded.apply(&[FileChange::CourseFile]);
    assert!(applied.rescanned);
    assert_eq!(loaded.course.format(), Format::Markdown);
    assert_same_as_fresh(&loaded, &dir, "course.yaml removed");
}

/// A book: `one` (with `one-a` nested under it) and `two` include the same listing,
/// `two` also a text file; `three` includes `nested.md`, which includes `deep.txt`;
/// `four` includes a file that does not exist yet.
fn book() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("book");
    write(&dir, "book.toml", "[book]\ntitle = \"Live Book\"\n");
    write(
        &dir,
        "src/SUMMARY.md",
        "# Summary\n\n- [One](one.md)\n  - [One A](one-a.md)\n- [Two](two.md)\n- [Three](three.md)\n- [Four](four.md)\n",
    );
    write(
        &dir,
        "src/one.md",
        "# One\n\n```rust\n{{#rustdoc_include ../listings/shared/main.rs:here}}\n```\n",
    );
    write(&dir, "src/one-a.md", "# One A\n\nNested.\n");
    write(
        &dir,
        "src/two.md",
        "# Two\n\n```rust\n{{#include ../listings/shared/main.rs:2}}\n```\n\n{{#include ../listings/two.txt}}\n",
    );
    write(
        &dir,
        "src/three.md",
        "# Three\n\n{{#include ../listings/nested.md}}\n",
    );
    write(
        &dir,
        "src/four.md",
        "# Four\n\n{{#include ../listings/later.txt}}\n",
    );
    write(
        &dir,
        "listings/shared/main.rs",
        "use std::io;\n// ANCHOR: here\nfn main() {}\n// ANCHOR_END: here\n",
    );
    write(&dir, "listings/two.txt", "Two's text.\n");
    write(
        &dir,
        "listings/nested.md",
        "Nested, then:\n\n{{#include deep.txt}}\n",
    );
    write(&dir, "listings/deep.txt", "Deep text.\n");
    (tmp, dir)
}

#[test]
fn saving_a_chapter_rereads_that_chapter_alone() {
    let (_tmp, dir) = book();
    let mut loaded = Course::load(&dir);
    assert_eq!(loaded.course.format(), Format::Mdbook);
    write(&dir, "src/one.md", "# One\n\nRewritten.\n");
    write(&dir, "src/two.md", "# Two\n\nUnreported.\n");
    let applied = loaded.apply(&[lesson("src/one.md")]);
    assert_eq!(applied.changed, ["one"]);
    assert_eq!(applied.files, ["src/one.md"]);
    assert!(!applied.rescanned);
    assert!(text(&loaded, "one").contains("Rewritten."));
    assert!(
        !text(&loaded, "two").contains("Unreported"),
        "two.md was read again"
    );
    // One no longer includes the listing: saving it now reaches `two` alone.
    write(&dir, "listings/shared/main.rs", "// edited\nfn main() {}\n");
    let applied = loaded.apply(&[file("listings/shared/main.rs"), lesson("src/two.md")]);
    assert_eq!(applied.changed, ["two"]);
    assert_same_as_fresh(&loaded, &dir, "a chapter edited");
}

#[test]
fn saving_an_included_file_rereads_every_chapter_that_includes_it_and_only_those() {
    let (_tmp, dir) = book();
    let mut loaded = Course::load(&dir);
    write(
        &dir,
        "listings/shared/main.rs",
        "use std::io;\n// ANCHOR: here\nfn main() { println!(\"saved\"); }\n// ANCHOR_END: here\n",
    );
    write(&dir, "src/three.md", "# Three\n\nUnreported.\n");
    let applied = loaded.apply(&[file("listings/shared/main.rs")]);
    assert_eq!(applied.changed, ["one", "two"]);
    assert_eq!(
        applied.files,
        ["listings/shared/main.rs", "src/one.md", "src/two.md"]
    );
    assert!(!applied.rescanned);
    assert!(text(&loaded, "one").contains("println!(\"saved\")"));
    assert!(text(&loaded, "two").contains("// ANCHOR: here"));
    assert!(
        !text(&loaded, "three").contains("Unreported"),
        "three.md was read again"
    );
    loaded.apply(&[lesson("src/three.md")]);
    assert_same_as_fresh(&loaded, &dir, "a listing two chapters include");
}

#[test]
fn a_file_included_through_another_rereads_the_chapter_that_includes_the_first() {
    let (_tmp, dir) = book();
    let mut loaded = Course::load(&dir);
    write(&dir, "listings/deep.txt", "Deeper text.\n");
    let applied = loaded.apply(&[file("listings/deep.txt")]);
    assert_eq!(applied.changed, ["three"]);
    assert!(text(&loaded, "three").contains("Deeper text."));
    // The middle file now includes another: the new one is followed too.
    write(
        &dir,
        "listings/nested.md",
        "Nested, then:\n\n{{#include other.txt}}\n",
    );
    write(&dir, "listings/other.txt", "Other text.\n");
    loaded.apply(&[lesson("listings/nested.md")]);
    write(&dir, "listings/other.txt", "Other text, saved.\n");
    let applied = loaded.apply(&[file("listings/other.txt")]);
    assert_eq!(applied.changed, ["three"]);
    assert_eq!(
        loaded.apply(&[file("listings/deep.txt")]),
        Applied::default()
    );
    assert_same_as_fresh(&loaded, &dir, "a nested include");
}

#[test]
fn an_include_created_after_it_was_missing_rereads_its_chapter_and_its_error_goes() {
    let (_tmp, dir) = book();
    let mut loaded = Course::load(&dir);
    assert_eq!(
        codes(&loaded),
        [("src/four.md".to_owned(), "include-missing")]
    );
    write(&dir, "listings/later.txt", "Here now.\n");
    let applied = loaded.apply(&[file("listings/later.txt")]);
    assert_eq!(applied.changed, ["four"]);
    assert!(!applied.rescanned);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert!(text(&loaded, "four").contains("Here now."));
    assert_same_as_fresh(&loaded, &dir, "the included file created");
    fs::remove_file(dir.join("listings/later.txt")).unwrap();
    let applied = loaded.apply(&[file("listings/later.txt")]);
    assert_eq!(applied.changed, ["four"]);
    assert_eq!(
        codes(&loaded),
        [("src/four.md".to_owned(), "include-missing")]
    );
    assert_same_as_fresh(&loaded, &dir, "the included file removed");
}

#[test]
fn a_summary_edit_reads_the_book_again_in_its_new_order() {
    let (_tmp, dir) = book();
    let mut loaded = Course::load(&dir);
    write(
        &dir,
        "src/SUMMARY.md",
        "# Summary\n\n- [Three](three.md)\n- [One](one.md)\n  - [One A](one-a.md)\n- [Draft]()\n- [Two](two.md)\n",
    );
    let applied = loaded.apply(&[lesson("src/SUMMARY.md")]);
    assert!(applied.rescanned);
    assert_eq!(applied.removed, ["four"]);
    let ids: Vec<&str> = loaded
        .course
        .lessons()
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(ids, ["three", "one", "one-a", "two"]);
    assert_same_as_fresh(&loaded, &dir, "the SUMMARY reordered");
    write(&dir, "book.toml", "[book]\ntitle = \"Renamed Book\"\n");
    assert!(loaded.apply(&[file("book.toml")]).rescanned);
    assert_eq!(loaded.course.title(), "Renamed Book");
}

#[test]
fn a_file_no_chapter_includes_changes_nothing() {
    let (_tmp, dir) = book();
    let mut loaded = Course::load(&dir);
    write(&dir, "listings/unused.rs", "fn main() {}\n");
    write(&dir, "src/orphan.md", "# Not in the SUMMARY\n");
    write(&dir, "theme/extra.css", "body {}\n");
    let applied = loaded.apply(&[
        file("listings/unused.rs"),
        lesson("src/orphan.md"),
        file("theme/extra.css"),
    ]);
    assert_eq!(applied, Applied::default());
    assert!(applied.is_empty());
    assert_same_as_fresh(&loaded, &dir, "unrelated files");
}

#[test]
fn a_chapter_that_changes_its_id_takes_its_subchapters_along() {
    let (_tmp, dir) = book();
    let mut loaded = Course::load(&dir);
    write(&dir, "src/one.md", "---\nid: first\n---\n# One\n");
    let applied = loaded.apply(&[lesson("src/one.md")]);
    assert!(!applied.rescanned);
    assert_eq!(
        (applied.changed, applied.removed),
        (vec!["first".to_owned()], vec!["one".to_owned()])
    );
    let nested = loaded.course.lesson("one-a").unwrap();
    assert_eq!(nested.parent.as_deref(), Some("first"));
    assert_same_as_fresh(&loaded, &dir, "a chapter's id changed");
}

#[test]
fn a_chapter_file_removed_is_reported_on_its_summary_line_until_it_is_back() {
    let (_tmp, dir) = book();
    let mut loaded = Course::load(&dir);
    fs::remove_file(dir.join("src/two.md")).unwrap();
    let applied = loaded.apply(&[lesson("src/two.md")]);
    assert_eq!(applied.removed, ["two"]);
    assert_eq!(applied.files, ["src/SUMMARY.md", "src/two.md"]);
    assert!(codes(&loaded).contains(&("src/SUMMARY.md".to_owned(), "summary-missing-file")));
    assert_same_as_fresh(&loaded, &dir, "a chapter file removed");
    write(&dir, "src/two.md", "# Two, again\n");
    let applied = loaded.apply(&[lesson("src/two.md")]);
    assert_eq!(applied.changed, ["two"]);
    assert_same_as_fresh(&loaded, &dir, "the chapter file back");
    write(&dir, "src/two.md", "---\ntitle: [broken\n---\n");
    loaded.apply(&[lesson("src/two.md")]);
    assert_same_as_fresh(&loaded, &dir, "the chapter's front matter broken");
}

#[test]
fn a_book_opened_at_its_src_applies_changes_relative_to_the_book() {
    let (_tmp, dir) = book();
    let mut loaded = Course::load(&dir.join("src"));
    assert_eq!(loaded.course.root(), dir);
    write(&dir, "listings/two.txt", "Two's text, saved.\n");
    let applied = loaded.apply(&[file("listings/two.txt")]);
    assert_eq!(applied.changed, ["two"]);
    assert!(!applied.rescanned);
    assert_same_as_fresh(&loaded, &dir, "a listing of a book opened at src/");
}

#[test]
fn a_lesson_of_any_format_is_read_again_when_a_file_it_includes_changes() {
    for course_yaml in [Some("title: Lectern\n"), None] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        if let Some(yaml) = course_yaml {
            write(dir, "course.yaml", yaml);
        }
        let front = "---\nid: l\ntitle: L\n---\n";
        write(
            dir,
            "l.md",
            &format!("{front}# L\n\n{{{{#include snippets/code.rs}}}}\n"),
        );
        write(
            dir,
            "other.md",
            "---\nid: other\ntitle: Other\n---\n# Other\n",
        );
        write(dir, "snippets/code.rs", "fn one() {}\n");
        let mut loaded = Course::load(dir);
        write(dir, "snippets/code.rs", "fn two() {}\n");
        let applied = loaded.apply(&[file("snippets/code.rs")]);
        assert_eq!(applied.changed, ["l"], "{course_yaml:?}");
        assert!(!applied.rescanned);
        assert!(text(&loaded, "l").contains("fn two()"));
        assert_same_as_fresh(&loaded, dir, "an included snippet");
    }
}

#[test]
fn a_lectern_course_whose_course_yaml_is_removed_reads_as_plain_markdown() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "course.yaml", "title: T\n");
    write(dir, "a.md", "---\nid: a\ntitle: A\n---\n# A\n");
    let mut loaded = Course::load(dir);
    assert_eq!(loaded.course.format(), Format::Lectern);
    fs::remove_file(dir.join("course.yaml")).unwrap();
    assert!(loaded.apply(&[FileChange::CourseFile]).rescanned);
    assert_same_as_fresh(&loaded, dir, "course.yaml removed");
    assert_eq!(loaded.course.format(), Format::Markdown);
}

#[test]
fn saving_a_quiz_file_rereads_the_chapter_that_shows_it_and_its_questions_follow() {
    let (_tmp, dir) = book();
    write(
        &dir,
        "src/two.md",
        "# Two\n\nBefore the quiz.\n\n{{#quiz ../quizzes/two.toml}}\n",
    );
    let quiz = |answer: &str| {
        format!(
            "[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"Which keyword makes a binding mutable?\"\nanswer.answer = \"{answer}\"\n"
        )
    };
    write(&dir, "quizzes/two.toml", &quiz("mut"));
    let mut loaded = Course::load(&dir);
    let key = |loaded: &Loaded| {
        let lesson = loaded.course.lesson("two").expect("the chapter");
        let (quiz, found) = lectern::quiz::parse(lesson);
        assert!(found.is_empty(), "{found:?}");
        let q = &quiz.questions[0];
        (
            lectern::quiz::grade(&quiz, &q.id, &["mut".to_owned()])
                .unwrap()
                .correct,
            lectern::quiz::grade(&quiz, &q.id, &["let".to_owned()])
                .unwrap()
                .correct,
        )
    };
    assert_eq!(key(&loaded), (true, false));
    write(&dir, "quizzes/two.toml", &quiz("let"));
    write(&dir, "src/three.md", "# Three\n\nUnreported.\n");
    let applied = loaded.apply(&[file("quizzes/two.toml")]);
    assert_eq!(applied.changed, ["two"]);
    assert!(!applied.rescanned);
    assert_eq!(key(&loaded), (false, true));
    assert!(
        !text(&loaded, "three").contains("Unreported"),
        "three.md was read again"
    );
    loaded.apply(&[lesson("src/three.md")]);
    assert_same_as_fresh(&loaded, &dir, "a quiz file edited");
}
