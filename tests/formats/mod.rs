//! Course formats: mdBook books (book.toml, SUMMARY.md, preprocessor directives), folders
//! of plain Markdown, other tools' front matter, and the Lectern course's `ignore:`.

use std::path::{Path, PathBuf};

use lectern::check::check;
use lectern::course::{detect, Course, Format, Loaded};
use lectern::diagnostic::Diagnostic;
use lectern::render::Renderer;
use serde_json::Value;

use crate::support::{fixture, lectern};

fn ids(loaded: &Loaded) -> Vec<&str> {
    loaded
        .course
        .lessons()
        .iter()
        .map(|l| l.id.as_str())
        .collect()
}

fn sections(loaded: &Loaded) -> Vec<(String, Vec<&str>)> {
    let c = &loaded.course;
    c.sections()
        .iter()
        .map(|s| {
            let lessons = s
                .lessons
                .iter()
                .map(|&i| c.lessons()[i].id.as_str())
                .collect();
            (s.title.clone(), lessons)
        })
        .collect()
}

/// `(path, line, code)` of each diagnostic, paths `/`-separated.
fn found(d: &[Diagnostic]) -> Vec<(String, u32, &'static str)> {
    d.iter()
        .map(|d| (d.path.to_string_lossy().replace('\\', "/"), d.line, d.code))
        .collect()
}

fn text_of<'a>(loaded: &'a Loaded, id: &str) -> &'a str {
    &loaded.course.lesson(id).expect("lesson").text
}

#[test]
fn a_book_lists_every_summary_chapter_in_order_with_sections_parents_and_drafts() {
    let (_tmp, dir) = fixture("formats/book");
    let loaded = Course::load(&dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.course.format(), Format::Mdbook);
    assert_eq!(loaded.course.title(), "Fixture Book");
    assert_eq!(loaded.course.language(), Some("en"));
    assert_eq!(
        ids(&loaded),
        [
            "preface",
            "basics",
            "basics--values",
            "basics--deep",
            "listings",
            "thanks"
        ]
    );
    assert_eq!(
        sections(&loaded),
        [
            ("Fixture Book".to_owned(), vec!["preface"]),
            (
                "Basics".to_owned(),
                vec!["basics", "basics--values", "basics--deep"]
            ),
            ("Listings".to_owned(), vec!["listings"]),
            ("More".to_owned(), vec!["thanks"]),
        ]
    );
    let c = &loaded.course;
    // The SUMMARY's titles, not the files' headings.
    assert_eq!(c.lesson("basics--values").unwrap().title, "Values");
    assert_eq!(
        c.lesson("basics--values").unwrap().parent.as_deref(),
        Some("basics")
    );
    assert_eq!(
        c.lesson("basics--deep").unwrap().parent.as_deref(),
        Some("basics--values")
    );
    assert_eq!(c.lesson("basics").unwrap().parent, None);
    let drafts = &c.sections()[1].drafts;
    assert_eq!(drafts.len(), 1);
    assert_eq!(
        (drafts[0].title.as_str(), drafts[0].position),
        ("Not Written Yet", 3)
    );
    // Paths are relative to the book's root.
    assert_eq!(
        c.lesson("basics--deep").unwrap().path,
        PathBuf::from("src/basics/deep.md")
    );
}

#[test]
fn files_the_summary_does_not_list_are_not_lessons() {
    let (_tmp, dir) = fixture("formats/book");
    let loaded = Course::load(&dir);
    assert!(loaded.course.lesson("orphan").is_none());
    assert!(!loaded
        .course
        .lessons()
        .iter()
        .any(|l| l.path.ends_with("orphan.md")));
}

#[test]
fn opening_a_books_src_folder_opens_the_book_at_its_root() {
    let (_tmp, dir) = fixture("formats/book");
    let detected = detect(&dir.join("src"));
    assert_eq!(detected.format, Format::Mdbook);
    assert_eq!(detected.root, dir);
    assert_eq!(detected.src, PathBuf::from("src"));
    let loaded = Course::load(&dir.join("src"));
    assert_eq!(loaded.course.root(), dir);
    assert_eq!(loaded.course.lessons().len(), 6);
}

#[test]
fn the_detection_rule_takes_book_toml_then_summary_then_course_yaml_then_plain() {
    let (_tmp, dir) = fixture("formats/book");
    std::fs::write(dir.join("course.yaml"), "id: the-book\nlanguage: fr\n").unwrap();
    let loaded = Course::load(&dir);
    assert_eq!(loaded.course.format(), Format::Mdbook);
    // A course.yaml beside book.toml gives the id and language; the SUMMARY's order wins.
    assert_eq!(loaded.course.id(), Some("the-book"));
    assert_eq!(loaded.course.language(), Some("fr"));
    assert_eq!(ids(&loaded)[0], "preface");
    let (_tmp, parts) = fixture("formats/parts");
    assert_eq!(detect(&parts).format, Format::Mdbook);
    let (_tmp, lectern_course) = fixture("course/good");
    assert_eq!(detect(&lectern_course).format, Format::Lectern);
    let (_tmp, plain) = fixture("formats/plain");
    assert_eq!(detect(&plain).format, Format::Markdown);
}

#[test]
fn parts_are_sections_and_duplicates_and_missing_files_are_errors_on_the_summary_line() {
    let (_tmp, dir) = fixture("formats/parts");
    let loaded = Course::load(&dir);
    assert_eq!(loaded.course.title(), "A GitBook-like Folder");
    assert_eq!(
        ids(&loaded),
        ["welcome", "loose", "one--first", "two--second"]
    );
    let got: Vec<(String, Vec<&str>)> = sections(&loaded);
    assert_eq!(got[0].1, ["welcome", "loose"]);
    assert_eq!(got[1], ("Part One".to_owned(), vec!["one--first"]));
    assert_eq!(got[2], ("Part Two".to_owned(), vec!["two--second"]));
    assert_eq!(loaded.course.sections()[1].drafts[0].title, "Draft Sub");
    assert_eq!(
        found(&loaded.diagnostics),
        [
            ("SUMMARY.md".to_owned(), 11, "summary-duplicate"),
            ("SUMMARY.md".to_owned(), 18, "summary-missing-file"),
        ]
    );
}

#[test]
fn includes_select_lines_anchors_and_hide_the_rest_of_a_rustdoc_include() {
    let (_tmp, dir) = fixture("formats/book");
    let loaded = Course::load(&dir);
    let text = text_of(&loaded, "listings");
    let block = |caption: &str| {
        let at = text.find(caption).unwrap_or_else(|| panic!("no {caption}"));
        let rest = &text[at..];
        let start = rest.find("```").unwrap();
        let body = &rest[start..];
        let body = &body[body.find('\n').unwrap() + 1..];
        body[..body.find("```").unwrap()].to_owned()
    };
    assert!(block("Whole file:").starts_with("use std::io;\n\n// ANCHOR: greet\n"));
    assert_eq!(block("Line two only:"), "Hello, world!\n");
    assert_eq!(
        block("Lines four to six:"),
        "fn greet(name: &str) -> String {\n    // ANCHOR: body\n    format!(\"Hello, {name}!\")\n"
    );
    assert_eq!(block("Up to line one:"), "use std::io;\n");
    assert!(block("From line eleven:").starts_with("fn main() {\n"));
    assert_eq!(
        block("The anchor:"),
        "fn greet(name: &str) -> String {\n    format!(\"Hello, {name}!\")\n}\n"
    );
    let rustdoc = block("only the anchor shown:");
    assert!(rustdoc.starts_with("# use std::io;\n"), "{rustdoc}");
    assert!(
        rustdoc.contains("\n    format!(\"Hello, {name}!\")\n# }\n"),
        "{rustdoc}"
    );
    assert!(!rustdoc.contains("ANCHOR"), "{rustdoc}");
    assert!(text.contains("```rust,editable\nuse std::io;"));
    assert!(text.contains("Nested text from a part file.\n\n$ cargo run\nHello, world!"));
    assert!(text.contains("Escaped: {{#include ../listings/greet/output.txt}}"));
    assert!(!text.contains("{{#title"));
    let sources = loaded
        .course
        .lesson("listings")
        .unwrap()
        .sources
        .clone()
        .unwrap();
    assert!(sources
        .included()
        .contains(Path::new("listings/greet/part.md")));
    assert!(sources
        .included()
        .contains(Path::new("listings/greet/output.txt")));
}

#[test]
fn bad_includes_are_diagnostics_at_the_directive_and_stay_as_text() {
    let (_tmp, dir) = fixture("formats/includes");
    let loaded = Course::load(&dir);
    assert_eq!(loaded.course.format(), Format::Lectern);
    assert_eq!(
        found(&loaded.diagnostics),
        [
            ("inc/cycle-b.md".to_owned(), 3, "include-cycle"),
            ("lesson.md".to_owned(), 11, "include-missing"),
            ("lesson.md".to_owned(), 13, "include-outside"),
            // A quiz file is read like an include: not from outside the folder.
            ("lesson.md".to_owned(), 17, "include-outside"),
            ("lesson.md".to_owned(), 19, "unknown-directive"),
        ]
    );
    let text = text_of(&loaded, "lesson");
    assert!(text.contains("Included line one."));
    assert!(text.contains("{{#include inc/missing.md}}"));
    assert!(text.contains("{{#include ../../outside.md}}"));
    assert!(text.contains("{{#quiz ../quizzes/q.toml}}"));
    let cycle = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "include-cycle")
        .unwrap();
    assert!(
        cycle
            .message
            .contains("lesson.md → inc/cycle-a.md → inc/cycle-b.md → inc/cycle-a.md"),
        "{}",
        cycle.message
    );
}

#[test]
fn a_problem_in_included_text_names_the_included_file_and_its_line() {
    let (_tmp, dir) = fixture("formats/includes");
    let loaded = Course::load(&dir);
    let report = check(&loaded, &Renderer::default());
    let link = report
        .diagnostics
        .iter()
        .find(|d| d.code == "missing-lesson-link")
        .expect("the broken link in the included file");
    assert_eq!(
        (link.path.as_path(), link.line),
        (Path::new("inc/good.md"), 3)
    );
    // Lines after the include are the lesson's own again.
    let outside = report
        .diagnostics
        .iter()
        .find(|d| d.code == "include-outside")
        .unwrap();
    assert_eq!(
        (outside.path.as_path(), outside.line),
        (Path::new("lesson.md"), 13)
    );
}

#[test]
fn a_lectern_course_leaves_out_the_files_its_ignore_globs_match() {
    let (_tmp, dir) = fixture("formats/ignore");
    let loaded = Course::load(&dir);
    assert_eq!(ids(&loaded), ["kept"]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    // Without the glob the draft is a Lectern lesson without front matter: an error.
    std::fs::write(dir.join("course.yaml"), "title: Ignoring\n").unwrap();
    let codes: Vec<&str> = Course::load(&dir)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["front-matter-missing"]);
}

#[test]
fn a_plain_folder_opens_with_every_file_a_lesson_in_natural_order_and_folder_sections() {
    let (_tmp, dir) = fixture("formats/plain");
    let loaded = Course::load(&dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.course.format(), Format::Markdown);
    assert_eq!(
        sections(&loaded),
        [
            ("Later".to_owned(), vec!["02-later--untitled-note"]),
            ("Lessons".to_owned(), vec!["2-second", "10-tenth", "graphs"]),
            (
                "The Guide".to_owned(),
                vec!["guide--readme", "guide--1-start", "guide--2-then"]
            ),
        ]
    );
    let c = &loaded.course;
    assert_eq!(c.lesson("graphs").unwrap().title, "Notes on Graphs");
    assert_eq!(
        c.lesson("02-later--untitled-note").unwrap().title,
        "untitled-note"
    );
}

#[test]
fn hugo_and_docusaurus_front_matter_give_titles_and_order() {
    let (_tmp, dir) = fixture("formats/hugo");
    let loaded = Course::load(&dir);
    let titles: Vec<&str> = loaded
        .course
        .lessons()
        .iter()
        .map(|l| l.title.as_str())
        .collect();
    // The file whose front matter cannot be read stays, broken, titled by its name.
    assert_eq!(titles, ["Graph Basics", "Introduction to Graphs", "broken"]);
    assert!(loaded.course.lessons()[2].broken);
    assert_eq!(
        found(&loaded.diagnostics),
        [("broken.md".to_owned(), 2, "front-matter-syntax")]
    );
    let (_tmp, dir) = fixture("formats/docusaurus");
    let loaded = Course::load(&dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let got: Vec<(&str, &str)> = loaded
        .course
        .lessons()
        .iter()
        .map(|l| (l.id.as_str(), l.title.as_str()))
        .collect();
    assert_eq!(
        got,
        [("welcome", "Welcome Aboard"), ("setup", "Setting Up")]
    );
}

#[test]
fn where_most_lessons_have_an_id_one_without_gets_a_missing_id_warning_naming_its_id() {
    let (_tmp, dir) = fixture("formats/mostly-ids");
    let loaded = Course::load(&dir);
    assert_eq!(ids(&loaded), ["alpha", "beta", "c"]);
    assert_eq!(
        found(&loaded.diagnostics),
        [("c.md".to_owned(), 1, "missing-id")]
    );
    assert!(loaded.diagnostics[0].message.contains("`id: c`"));
}

#[test]
fn list_json_gains_format_parent_and_drafts() {
    let (tmp, _dir) = fixture("formats/book");
    let o = lectern(&["list", "book", "--json"], tmp.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["format"], "mdbook");
    let basics = &v["sections"][1];
    assert_eq!(basics["lessons"][1]["parent"], "basics");
    assert_eq!(basics["lessons"][1]["path"], "src/basics/values.md");
    assert!(basics["lessons"][0].get("parent").is_none());
    assert_eq!(
        basics["drafts"],
        serde_json::json!([{"title": "Not Written Yet", "position": 3}])
    );
    assert_eq!(v["sections"][0]["drafts"], serde_json::json!([]));
}

#[test]
fn check_of_a_book_counts_its_chapters_and_exits_zero() {
    let (tmp, _dir) = fixture("formats/book");
    let o = lectern(&["check", "book/src", "--json"], tmp.path());
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        (v["lessons"].as_u64(), v["errors"].as_u64()),
        (Some(6), Some(0))
    );
}

#[test]
fn render_reads_a_chapter_as_its_book_does_and_links_chapters_in_app() {
    let (tmp, _dir) = fixture("formats/book");
    let o = lectern(&["render", "book/src/preface.md"], tmp.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(
        html.contains(r#"data-lesson="basics" data-anchor="start""#),
        "{html}"
    );
    assert!(html.contains(r#"data-lesson="listings""#), "{html}");
    let o = lectern(&["render", "book/src/listings.md"], tmp.path());
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(html.contains("Hello, world!"), "{html}");
}

#[test]
fn list_shows_drafts_where_the_summary_puts_them() {
    let (tmp, _dir) = fixture("formats/book");
    let o = lectern(&["list", "book"], tmp.path());
    let out = String::from_utf8(o.stdout).unwrap();
    let deep = out.find("Deep Values").expect("the deep chapter");
    let draft = out.find("Not Written Yet").expect("the draft");
    assert!(deep < draft, "{out}");
    assert!(
        out[draft..]
            .lines()
            .next()
            .unwrap()
            .ends_with("(not written yet)"),
        "{out}"
    );
}

#[test]
fn a_summary_edit_applied_as_a_change_gives_the_new_order() {
    use lectern::course::FileChange;
    let (_tmp, dir) = fixture("formats/book");
    let mut loaded = Course::load(&dir);
    let summary = dir.join("src/SUMMARY.md");
    let text = std::fs::read_to_string(&summary).unwrap();
    let moved = text.replace("[Preface](preface.md)\n", "").replace(
        "[Thanks](thanks.md)",
        "[Thanks](thanks.md)\n[Preface](preface.md)",
    );
    std::fs::write(&summary, moved).unwrap();
    loaded.apply(&[FileChange::Lesson(PathBuf::from("src/SUMMARY.md"))]);
    assert_eq!(
        ids(&loaded),
        [
            "basics",
            "basics--values",
            "basics--deep",
            "listings",
            "thanks",
            "preface"
        ]
    );
}

/// A Lectern course in a temp dir whose one lesson includes `first`.
fn course_including(first: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("course.yaml"),
        "title: T\nignore:\n  - inc/**\n",
    )
    .unwrap();
    std::fs::create_dir(tmp.path().join("inc")).unwrap();
    std::fs::write(
        tmp.path().join("lesson.md"),
        format!("---\nid: lesson\ntitle: L\n---\n{{{{#include {first}}}}}\n"),
    )
    .unwrap();
    tmp
}

#[test]
fn includes_nest_to_mdbooks_depth_limit_and_no_deeper() {
    let tmp = course_including("inc/0.md");
    for i in 0..14 {
        let next = format!("level {i}\n{{{{#include {}.md}}}}\n", i + 1);
        std::fs::write(tmp.path().join(format!("inc/{i}.md")), next).unwrap();
    }
    std::fs::write(tmp.path().join("inc/14.md"), "bottom\n").unwrap();
    let loaded = Course::load(tmp.path());
    let text = text_of(&loaded, "lesson");
    assert!(text.contains("level 9\n"), "{text}");
    assert!(!text.contains("level 10\n"), "{text}");
    assert_eq!(
        found(&loaded.diagnostics),
        [("inc/9.md".to_owned(), 2, "include-depth")]
    );
}

#[test]
fn an_expansion_past_the_lesson_size_cap_is_refused_with_a_diagnostic() {
    let tmp = course_including("inc/big.md");
    let line = "x".repeat(99) + "\n";
    let big = line.repeat(12_000) + "{{#include big2.md}}\n";
    std::fs::write(tmp.path().join("inc/big.md"), big).unwrap();
    std::fs::write(tmp.path().join("inc/big2.md"), line.repeat(12_000)).unwrap();
    let loaded = Course::load(tmp.path());
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["include-too-large"]);
    assert!(text_of(&loaded, "lesson").len() <= 2 * 1024 * 1024);
}

#[cfg(unix)]
#[test]
fn an_include_through_a_link_that_leads_out_of_the_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret\n").unwrap();
    let tmp = course_including("inc/link.txt");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        tmp.path().join("inc/link.txt"),
    )
    .unwrap();
    let loaded = Course::load(tmp.path());
    assert_eq!(
        found(&loaded.diagnostics),
        [("lesson.md".to_owned(), 5, "include-outside")]
    );
    assert!(!text_of(&loaded, "lesson").contains("secret\n"));
}

#[test]
fn an_ignore_glob_added_to_course_yaml_while_open_drops_the_files_it_matches() {
    use lectern::course::FileChange;
    let (_tmp, dir) = fixture("formats/ignore");
    std::fs::write(dir.join("course.yaml"), "title: Ignoring\n").unwrap();
    let mut loaded = Course::load(&dir);
    assert_eq!(loaded.diagnostics.len(), 1);
    std::fs::write(
        dir.join("course.yaml"),
        "title: Ignoring\nignore: [drafts/**]\n",
    )
    .unwrap();
    loaded.apply(&[FileChange::CourseFile]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    // A save to an ignored file leaves it out too.
    std::fs::write(dir.join("drafts/wip.md"), "still no front matter\n").unwrap();
    loaded.apply(&[FileChange::Lesson(PathBuf::from("drafts/wip.md"))]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(ids(&loaded), ["kept"]);
}

#[test]
fn a_lectern_style_folder_without_course_yaml_keeps_its_order_and_sections() {
    let (_tmp, dir) = fixture("course/good");
    let strict = Course::load(&dir);
    std::fs::remove_file(dir.join("course.yaml")).unwrap();
    let lenient = Course::load(&dir);
    assert_eq!(lenient.course.format(), Format::Markdown);
    assert_eq!(ids(&lenient), ids(&strict));
    let slugs =
        |l: &Loaded| -> Vec<String> { l.course.sections().iter().map(|s| s.id.clone()).collect() };
    assert_eq!(slugs(&lenient), slugs(&strict));
    assert!(lenient.diagnostics.is_empty(), "{:?}", lenient.diagnostics);
}

#[test]
fn quiz_reads_a_chapter_without_front_matter_as_its_book_does() {
    let (tmp, _dir) = fixture("formats/book");
    let o = lectern(&["quiz", "book/src/basics/values.md", "--json"], tmp.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["lesson"], "basics--values");
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    let questions = v["questions"].as_array().expect("questions");
    assert_eq!(questions.len(), 1, "{v}");
    assert!(questions[0]["prompt_html"]
        .as_str()
        .unwrap()
        .contains("Where are values kept?"));
    // A file the SUMMARY does not list is no lesson of the book, said as such.
    let o = lectern(&["quiz", "book/src/orphan.md", "--json"], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["diagnostics"][0]["code"], "not-a-lesson", "{v}");
}
