//! Generated courses of `n` lessons, for the benchmarks and the scaling test: one
//! generator ([`Shape::write`]) and a [`Shape`] per kind of course, so every bench and
//! test that needs a large course writes it the same way.
//!
//! A dev-only module with no dependency but `std`: `tests/support/mod.rs` declares it for
//! the integration tests, and each bench includes it with
//! `#[path = "../tests/support/courses.rs"]` (benches and tests are separate crates).

use std::path::Path;

/// The seed-sized lesson (the render fixture `seedlike`), without its front matter.
pub(crate) fn seed_body() -> &'static str {
    const LESSON: &str = include_str!("../fixtures/render/seedlike/lesson.md");
    LESSON
        .split_once("\n---\n")
        .map_or(LESSON, |(_, body)| body)
}

/// Whether the lessons declare their neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Links {
    /// No `prevLessonId`/`nextLessonId`: the order alone says which comes next.
    Undeclared,
    /// Each lesson names the one before and after it (a chain of `n`).
    Chain,
}

/// What each lesson of a generated course holds. Lesson `i` gets the front matter `id`,
/// `title: Lesson {i}`, the duration if any, `order: {i}`, the section if any and its
/// neighbours under [`Links::Chain`] (in that order), then `body(i)`; it is written to
/// `file(i)`.
#[derive(Clone, Copy)]
pub(crate) struct Shape {
    /// The lesson's file name in the course folder.
    pub(crate) file: fn(usize) -> String,
    /// The lesson's id.
    pub(crate) id: fn(usize) -> String,
    /// The `duration:` of every lesson, if any.
    pub(crate) duration: Option<&'static str>,
    /// The lesson's `section:`, if any.
    pub(crate) section: Option<fn(usize) -> String>,
    /// Whether the lessons declare their neighbours.
    pub(crate) links: Links,
    /// The Markdown after the front matter.
    pub(crate) body: fn(usize) -> String,
    /// The text of `course.yaml`, if the course has one.
    pub(crate) course_yaml: Option<&'static str>,
}

impl Shape {
    /// Seed-sized lessons (the render fixture) in sections of 10, 30 minutes each, linked
    /// in a chain: `benches/course.rs`.
    pub(crate) const SEEDLIKE: Shape = Shape {
        file: |i| format!("lesson-{i:04}.md"),
        id: |i| format!("lesson-{i:04}"),
        duration: Some("30 mins"),
        section: Some(|i| format!("part-{}", i / 10)),
        links: Links::Chain,
        body: |_| seed_body().to_owned(),
        course_yaml: None,
    };

    /// A heading and a line of prose per lesson, in sections of 50: the live preview and
    /// its probe (`benches/live.rs`, `benches/apply_probe.rs`).
    pub(crate) const SHORT: Shape = Shape {
        file: |i| format!("l{i:05}.md"),
        id: |i| format!("l{i:05}"),
        duration: None,
        section: Some(|i| format!("s{}", i / 50)),
        links: Links::Undeclared,
        body: |i| format!("# Lesson {i}\n\nSome prose.\n"),
        course_yaml: None,
    };

    /// [`Shape::SHORT`] with a `course.yaml`: the same lessons as a Lectern course (read
    /// strictly, never laid out again), beside the plain folder, in the live preview and
    /// its probe (`benches/live.rs`, `benches/apply_probe.rs`).
    pub(crate) const SHORT_COURSE: Shape = Shape {
        course_yaml: Some("title: Bench\n"),
        ..Shape::SHORT
    };

    /// A heading only, in sections of 50, with a `course.yaml` (id `bench`): the
    /// progress store's outline (`benches/progress.rs`).
    pub(crate) const BARE: Shape = Shape {
        body: |_| "# L\n".to_owned(),
        course_yaml: Some("id: bench\ntitle: Bench\n"),
        ..Shape::SHORT
    };

    /// Ten questions per lesson, in sections of 50, with a `course.yaml` (id `bench`):
    /// the review queue (`benches/review.rs`).
    pub(crate) const QUIZZED: Shape = Shape {
        body: quizzed_body,
        course_yaml: Some("id: bench\ntitle: Bench\n"),
        ..Shape::SHORT
    };

    /// Seed-sized lessons with a line of their own, every tenth a section in Chinese, no
    /// sections: search (`benches/search.rs`).
    pub(crate) const SEARCHABLE: Shape = Shape {
        section: None,
        body: searchable_body,
        ..Shape::SHORT
    };

    /// Lessons with work in every file for loading and checking: a chain of links, a
    /// missing image, a refused link, a formula and a short quiz, in sections of 10 (the
    /// scaling harness's course: `tests/robustness/scaling.rs`, `benches/scaling.rs`).
    pub(crate) const SCALING: Shape = Shape {
        file: |i| format!("l{i:05}.md"),
        id: |i| format!("lesson-{i:05}"),
        duration: Some("10 mins"),
        section: Some(|i| format!("part-{}", i / 10)),
        links: Links::Chain,
        body: |_| {
            "# Lesson\n\n## Part\n\nSee [next](lesson-00000.md) and ![gone](gone.png).\n\n\
             [bad](javascript:x) $x^2$\n\n## Knowledge Check\n\n1. Which?\n   - this\n   - that\n"
                .to_owned()
        },
        course_yaml: None,
    };

    /// The text of lesson `i` of `n`.
    pub(crate) fn lesson(&self, i: usize, n: usize) -> String {
        let mut text = format!("---\nid: {}\ntitle: Lesson {i}\n", (self.id)(i));
        if let Some(d) = self.duration {
            text.push_str(&format!("duration: {d}\n"));
        }
        text.push_str(&format!("order: {i}\n"));
        if let Some(section) = self.section {
            text.push_str(&format!("section: {}\n", section(i)));
        }
        if self.links == Links::Chain {
            if i > 0 {
                text.push_str(&format!("prevLessonId: {}\n", (self.id)(i - 1)));
            }
            if i + 1 < n {
                text.push_str(&format!("nextLessonId: {}\n", (self.id)(i + 1)));
            }
        }
        text.push_str("---\n");
        text.push_str(&(self.body)(i));
        text
    }

    /// Writes the `n` lessons (and `course.yaml`, if the shape has one) into `dir`.
    pub(crate) fn write(&self, dir: &Path, n: usize) {
        for i in 0..n {
            let path = dir.join((self.file)(i));
            if let Err(e) = std::fs::write(&path, self.lesson(i, n)) {
                panic!("cannot write {}: {e}", path.display());
            }
        }
        if let Some(yaml) = self.course_yaml {
            if let Err(e) = std::fs::write(dir.join("course.yaml"), yaml) {
                panic!("cannot write course.yaml in {}: {e}", dir.display());
            }
        }
    }
}

/// The questions of each lesson of [`Shape::QUIZZED`].
pub(crate) const QUESTIONS: usize = 10;

fn quizzed_body(l: usize) -> String {
    let mut text = format!(
        "# Lesson {l}\n\n## Idea {l}\n\nSome prose about idea {l} and how it works.\n\n\
         ## Knowledge Check\n\n"
    );
    for q in 0..QUESTIONS {
        text.push_str(&format!(
            "1. Lesson {l}, question {q}: which is right?\n   - Right {q}\n   - Wrong {q}\n   - Other {q}\n\n"
        ));
    }
    text
}

fn searchable_body(i: usize) -> String {
    let extra = if i.is_multiple_of(10) {
        format!("\n\n## 注意力 {i}\n\n自注意力让每个词元关注序列中的所有其他词元。\n")
    } else {
        format!(
            "\n\nLesson number {i} talks about topic{} in particular.\n",
            i % 97
        )
    };
    format!("{}{extra}", seed_body())
}

/// Listings per chapter of [`write_book`]: each is included twice by its chapter (its
/// code with `rustdoc_include` and an anchor, its output with `include`), as the Rust
/// Book includes its listings.
pub(crate) const BOOK_LISTINGS: usize = 3;

/// The file of chapter `i` of [`write_book`], relative to the book.
pub(crate) fn book_chapter(i: usize) -> String {
    format!("src/ch{i:03}.md")
}

/// The code of listing `k` of chapter `i` of [`write_book`], relative to the book.
pub(crate) fn book_listing(i: usize, k: usize) -> String {
    format!("listings/ch{i:03}/listing-{k}/src/main.rs")
}

/// An mdBook book of `n` chapters in the Rust Book's shape: `book.toml`, a SUMMARY
/// whose every fifth chapter is top-level with the next four nested under it, each
/// chapter [`BOOK_LISTINGS`] listings of its own, then seed-sized prose (ending with a
/// Knowledge Check); the listings are in
/// `listings/chNNN/listing-K/` (beside `src/`, with a `Cargo.toml` and an
/// `output.txt`), each included twice: `n × 2 × BOOK_LISTINGS` includes in all. The
/// live bench (`benches/live.rs`) and the scaling test's count of chapters read on a
/// save use it.
pub(crate) fn write_book(dir: &Path, n: usize) {
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        let made = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = made {
            panic!("cannot write {}: {e}", path.display());
        }
    };
    write(
        "book.toml",
        "[book]\ntitle = \"Generated Book\"\nsrc = \"src\"\n",
    );
    let mut summary = String::from("# Summary\n\n");
    for i in 0..n {
        let indent = if i % 5 == 0 { "" } else { "  " };
        let file = book_chapter(i);
        let link = file.trim_start_matches("src/");
        summary.push_str(&format!("{indent}- [Chapter {i}]({link})\n"));
        let mut text = format!("# Chapter {i}\n");
        for k in 0..BOOK_LISTINGS {
            let code = book_listing(i, k);
            let folder = code.trim_end_matches("/src/main.rs");
            text.push_str(&format!(
                "\nListing {i}-{k}:\n\n```rust\n{{{{#rustdoc_include ../{code}:here}}}}\n```\n\n\
                 ```console\n{{{{#include ../{folder}/output.txt}}}}\n```\n"
            ));
            write(
                &code,
                &format!(
                    "use std::io;\n\n// ANCHOR: here\nfn main() {{\n    println!(\"listing {k} of chapter {i}\");\n}}\n// ANCHOR_END: here\n"
                ),
            );
            write(
                &format!("{folder}/output.txt"),
                &format!("$ cargo run\nlisting {k} of chapter {i}\n"),
            );
            write(
                &format!("{folder}/Cargo.toml"),
                &format!("[package]\nname = \"ch{i:03}-listing-{k}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
            );
        }
        // The prose last: it ends with the seed's Knowledge Check.
        text.push('\n');
        text.push_str(seed_body());
        write(&file, &text);
    }
    write("src/SUMMARY.md", &summary);
}
