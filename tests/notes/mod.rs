//! Notes: the plain text annotations are anchored in, and re-anchoring on real lessons
//! after an author's edit.

mod cards;

use std::path::Path;

use html5ever::{local_name, ns, parse_fragment, tendril::TendrilSink, ParseOpts, QualName};
use lectern::anchor::{place_all, plain_text, Anchor, Placement};
use lectern::course::Course;
use lectern::render::{RenderOptions, Renderer};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// The DOM's `textContent` of `html` parsed as a `<div>`'s content, as a browser builds
/// it: the reference `plain_text` must equal.
fn text_content(html: &str) -> String {
    let context = QualName::new(None, ns!(html), local_name!("div"));
    let dom = parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        context,
        vec![],
        false,
    )
    .one(html);
    let mut out = String::new();
    fn walk(node: &Handle, out: &mut String) {
        if let NodeData::Text { contents } = &node.data {
            out.push_str(&contents.borrow());
        }
        for child in node.children.borrow().iter() {
            walk(child, out);
        }
    }
    walk(&dom.document, &mut out);
    out
}

fn rendered_lessons(root: &Path) -> Vec<(String, String)> {
    let loaded = Course::load(root);
    let course = &loaded.course;
    let ids = course.lesson_ids_by_path();
    let renderer = Renderer::default();
    course
        .lessons()
        .iter()
        .map(|l| {
            let html = renderer
                .render(l, &RenderOptions::new(course.root(), ids))
                .html;
            (l.id.clone(), html)
        })
        .collect()
}

#[test]
fn plain_text_equals_the_browsers_text_content_on_every_bundled_lesson() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let lessons = rendered_lessons(&root);
    assert!(lessons.len() >= 8);
    for (id, html) in lessons {
        let text = plain_text(&html);
        assert!(text.len() > 1_000, "{id}: {} bytes of text", text.len());
        assert_eq!(text, text_content(&html), "{id}");
    }
}

#[test]
fn plain_text_equals_text_content_on_tricky_markup() {
    for html in [
        "<pre>\n\nkept second newline</pre>",
        "<pre><!-- c -->\nnewline after a comment stays</pre>",
        "<table><thead><tr><th>a</th></tr></thead>\n<tbody><tr><td>b &amp; c</td></tr></tbody></table>",
        "<p>&nbsp;&#x1F600;&eacute;&notanentity;</p>",
        "<ul>\n<li>one</li>\n<li>two<br>three</li>\n</ul>",
        "<p>math <math display=\"block\"><mfrac><mi>a</mi><mi>b</mi></mfrac></math></p>",
    ] {
        assert_eq!(plain_text(html), text_content(html), "{html}");
    }
}

/// What a learner marks, and what an author then does to the lesson's file.
#[test]
fn highlights_on_a_bundled_lesson_follow_an_authors_edit() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue; // images: not needed for the text
        }
        std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
    }
    let before = rendered_lessons(tmp.path());
    let (id, html) = before
        .iter()
        .find(|(id, _)| id.contains("attention"))
        .expect("the attention lesson");
    let text = plain_text(html);
    // Ten highlights spread through the lesson, 80 bytes each, on word boundaries.
    let anchors: Vec<Anchor> = (1..=10)
        .map(|i| {
            let mut start = text.len() * i / 12;
            while !text.is_char_boundary(start) || !text[..start].ends_with(' ') {
                start += 1;
            }
            let mut end = start + 80;
            while !text.is_char_boundary(end) {
                end += 1;
            }
            Anchor::of(&text, start..end)
        })
        .collect();

    // The author adds a paragraph at the top and rewords one highlighted passage.
    let file = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains(&format!("id: {id}"))
        })
        .expect("the lesson's file");
    let source = std::fs::read_to_string(&file).unwrap();
    // Three words of the passage that occur once in the source: its middle one changes.
    let words: Vec<&str> = anchors[4].quote.split(' ').collect();
    let (at, middle) = words
        .windows(3)
        .filter(|w| w[1].len() >= 4 && w[1].chars().all(char::is_alphabetic))
        .find_map(|w| {
            let phrase = w.join(" ");
            (source.matches(&phrase).count() == 1)
                .then(|| (source.find(&phrase).unwrap() + w[0].len() + 1, w[1]))
        })
        .expect("three words of the passage that occur once in the source");
    let mut edited = source.clone();
    edited.replace_range(at..at + middle.len(), "EDITED");
    let edited = edited.replacen("\n# ", "\nAn author's new opening paragraph.\n\n# ", 1);
    std::fs::write(&file, edited).unwrap();

    let after = rendered_lessons(tmp.path());
    let new_text = plain_text(&after.iter().find(|(i, _)| i == id).unwrap().1);
    let placed = place_all(&new_text, &anchors);
    for (a, p) in anchors.iter().zip(&placed) {
        let range = p
            .range()
            .unwrap_or_else(|| panic!("{:?} detached", a.quote));
        assert!(
            range.start > a.start,
            "every highlight moved down with the new paragraph"
        );
        if !matches!(p, Placement::Fuzzy { .. }) {
            assert_eq!(new_text[range].to_owned(), a.quote);
        }
    }
    let reworded = placed[4].range().unwrap();
    assert!(
        matches!(placed[4], Placement::Fuzzy { .. }),
        "{:?}",
        placed[4]
    );
    assert!(new_text[reworded].contains("EDITED"));
    let exact = placed
        .iter()
        .filter(|p| matches!(p, Placement::Exact { .. }))
        .count();
    assert_eq!(exact, 9, "the nine untouched highlights are placed exactly");
}

mod cli {
    use std::path::Path;

    use lectern::anchor::{plain_text, Anchor};
    use lectern::course::Course;
    use lectern::progress::{AnnotationKind, CourseKey, NewAnnotation, Store};
    use lectern::render::{RenderOptions, Renderer};

    use crate::support::{fixture, lectern};

    /// Marks `quote` in lesson `id` of the course at `dir` as the window would.
    fn highlight(
        store: &mut Store,
        dir: &Path,
        id: &str,
        quote: &str,
        note: Option<&str>,
        seed: u64,
    ) {
        let course = Course::load(dir).course;
        let lesson = course.lesson(id).unwrap();
        let html = Renderer::default()
            .render(
                lesson,
                &RenderOptions::new(course.root(), course.lesson_ids_by_path()),
            )
            .html;
        let text = plain_text(&html);
        let at = text
            .find(quote)
            .unwrap_or_else(|| panic!("{quote:?} in {text:?}"));
        let new = NewAnnotation {
            kind: AnnotationKind::Highlight,
            color: Some("green".into()),
            anchor: Anchor::of(&text, at..at + quote.len()),
            heading: None,
            note: note.map(str::to_owned),
        };
        store
            .add_annotation(&CourseKey::of(&course), id, &new, seed, 1_780_000_000_000)
            .unwrap();
    }

    fn seeded() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let (tmp, dir) = fixture("notes/course");
        let db = tmp.path().join("progress.sqlite");
        let mut store = Store::open(&db).unwrap().store;
        highlight(
            &mut store,
            &dir,
            "softmax",
            "positive and sum to one",
            Some("So it is a *distribution*."),
            1,
        );
        highlight(
            &mut store,
            &dir,
            "softmax",
            "a temperature above one flattens the weights",
            None,
            2,
        );
        highlight(
            &mut store,
            &dir,
            "masking",
            "hides every later position",
            None,
            3,
        );
        drop(store);
        // The author rewords one highlighted passage and removes a lesson.
        let softmax = dir.join("01-softmax.md");
        let text = std::fs::read_to_string(&softmax).unwrap();
        std::fs::write(
            &softmax,
            text.replace("above one flattens", "above 1 flattens"),
        )
        .unwrap();
        std::fs::remove_file(dir.join("02-masking.md")).unwrap();
        (tmp, dir, db)
    }

    #[test]
    fn lectern_notes_json_places_each_note_on_todays_text() {
        let (tmp, dir, db) = seeded();
        let out = lectern(
            &[
                "notes",
                dir.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
                "--json",
            ],
            tmp.path(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let lessons = json["lessons"].as_array().unwrap();
        assert_eq!(lessons.len(), 2, "{json:#}");
        assert_eq!(
            (
                lessons[0]["lesson"].as_str(),
                lessons[0]["present"].as_bool()
            ),
            (Some("softmax"), Some(true))
        );
        let notes = lessons[0]["notes"].as_array().unwrap();
        let states: Vec<&str> = notes
            .iter()
            .map(|n| n["place"]["state"].as_str().unwrap())
            .collect();
        assert_eq!(states, ["exact", "edited"]);
        assert_eq!(notes[0]["note"], "So it is a *distribution*.");
        assert_eq!(
            notes[1]["place"]["text"],
            "a temperature above 1 flattens the weights"
        );
        assert_eq!(
            notes[1]["quote"],
            "a temperature above one flattens the weights"
        );
        assert_eq!(
            (
                lessons[1]["lesson"].as_str(),
                lessons[1]["present"].as_bool()
            ),
            (Some("masking"), Some(false))
        );
        assert_eq!(lessons[1]["notes"][0]["place"]["state"], "detached");
    }

    #[test]
    fn lectern_notes_markdown_is_the_learners_study_notes() {
        let (tmp, dir, db) = seeded();
        let out = lectern(
            &[
                "notes",
                dir.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
                "--markdown",
            ],
            tmp.path(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let md = String::from_utf8(out.stdout).unwrap();
        assert!(md.starts_with("# Notes: Notes Fixture\n\n## Softmax\n\n> positive and sum to one\n\nSo it is a *distribution*.\n"), "{md}");
        assert!(
            md.contains("> a temperature above 1 flattens the weights\n"),
            "{md}"
        );
        assert!(md.contains("## masking (no longer in the course)\n\n> hides every later position\n\n*(could not be placed"), "{md}");
    }

    #[test]
    fn lectern_notes_with_no_database_yet_lists_nothing() {
        let (tmp, dir) = fixture("notes/course");
        let db = tmp.path().join("none.sqlite");
        let out = lectern(
            &["notes", dir.to_str().unwrap(), "--db", db.to_str().unwrap()],
            tmp.path(),
        );
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "Notes Fixture: 0 notes\n"
        );
        assert!(!db.exists(), "reading notes creates no database");
    }

    /// `lectern search QUERY DIR --json --db DB`, its cache in `cache`.
    fn search(dir: &Path, db: &Path, query: &str, cache: &Path) -> serde_json::Value {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["search", query, dir.to_str().unwrap(), "--json"])
            .args(["--db", db.to_str().unwrap()])
            .env("XDG_CACHE_HOME", cache)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    #[test]
    fn lectern_search_with_db_finds_the_learners_notes_of_that_course_only() {
        let (tmp, dir) = fixture("notes/course");
        let (_other_tmp, other) = fixture("search/course");
        let db = tmp.path().join("progress.sqlite");
        let mut store = Store::open(&db).unwrap().store;
        highlight(
            &mut store,
            &dir,
            "softmax",
            "positive and sum to one",
            Some("So it is a probability distribution."),
            1,
        );
        // Another course's highlight, with a word no lesson of this one has.
        highlight(
            &mut store,
            &other,
            "english",
            "A tokenizer splits text",
            Some("zebra crossing"),
            2,
        );
        drop(store);
        let cache = tempfile::tempdir().unwrap();

        let found = search(&dir, &db, "probability", cache.path());
        let results = found["results"].as_array().unwrap();
        let notes: Vec<&serde_json::Value> =
            results.iter().filter(|r| r["kind"] == "note").collect();
        assert_eq!(notes.len(), 1, "{found:#}");
        assert_eq!(notes[0]["lesson"], "softmax");
        assert_eq!(notes[0]["heading"], "Your note");
        assert!(notes[0]["annotation"]
            .as_str()
            .is_some_and(|a| !a.is_empty()));
        assert!(
            notes[0]["snippet"]
                .as_str()
                .unwrap()
                .contains("<mark>probability</mark>"),
            "{found:#}"
        );
        assert!(
            results
                .iter()
                .all(|r| r["kind"] == "note" || r["kind"] == "lesson"),
            "every result says its kind: {found:#}"
        );

        let quoted = search(&dir, &db, "positive", cache.path());
        assert_eq!(quoted["results"][0]["kind"], "note", "{quoted:#}");

        let elsewhere = search(&dir, &db, "zebra", cache.path());
        assert_eq!(elsewhere["results"], serde_json::json!([]), "{elsewhere:#}");

        // Without --db: the lessons alone, each marked as one.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["search", "positive", dir.to_str().unwrap(), "--json"])
            .env("XDG_CACHE_HOME", cache.path())
            .output()
            .unwrap();
        let plain: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let kinds: Vec<&serde_json::Value> = plain["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["kind"])
            .collect();
        assert!(
            !kinds.is_empty() && kinds.iter().all(|k| *k == "lesson"),
            "{plain:#}"
        );
    }
}
