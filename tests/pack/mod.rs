//! `lectern new`, `lectern pack` and opening a `.lectern`: round trips, reproducible
//! bytes, every class of hostile archive refused, the CLI on an archive, and progress
//! kept across a newer pack of the same course.

mod zipfile;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lectern::course::Course;
use lectern::pack::{self, Limits, PackError};
use lectern::scaffold;

use zipfile::Entry;

/// A new course written by `lectern new` in a fresh temp dir: (temp dir, course).
fn new_course() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("course");
    scaffold::new_course(&dir).unwrap();
    (tmp, dir)
}

/// Every file under `dir` (relative, `/`-separated) with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(root, &e.path(), out);
            } else {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel.replace('\\', "/"), fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn entries_of(dir: &Path) -> usize {
    fs::read_dir(dir).map_or(0, Iterator::count)
}

#[test]
fn new_course_passes_check_with_no_diagnostic() {
    let (_tmp, dir) = new_course();
    let loaded = Course::load(&dir);
    let report = lectern::check::check(&loaded, &lectern::render::Renderer::default());
    assert_eq!(report.lessons, 2);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    assert!(loaded.course.id().is_some());
}

#[test]
fn new_course_quizzes_every_kind_of_question() {
    let (_tmp, dir) = new_course();
    let loaded = Course::load(&dir);
    let lesson = loaded.course.lesson("asking-questions").unwrap();
    let (quiz, diagnostics) = lectern::quiz::parse(lesson);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    use lectern::quiz::Kind;
    let kinds: std::collections::BTreeSet<&str> = quiz
        .questions
        .iter()
        .map(|q| match &q.kind {
            Kind::Choice(c) if c.multiple => "choose all",
            Kind::Choice(_) => "choose one",
            Kind::Typed(_) => "typed",
            Kind::Tracing(_) => "tracing",
        })
        .collect();
    assert_eq!(
        kinds,
        ["choose all", "choose one", "typed"].into_iter().collect(),
        "{kinds:?}"
    );
    // Two from the mdbook-quiz file, five from the Knowledge Check.
    assert_eq!(quiz.questions.len(), 7);
}

#[test]
fn new_course_never_overwrites_a_file() {
    let (_tmp, dir) = new_course();
    fs::write(dir.join("course.yaml"), "id: mine\n").unwrap();
    let err = scaffold::new_course(&dir).unwrap_err();
    assert_eq!(err.code(), "file-exists");
    assert_eq!(
        fs::read_to_string(dir.join("course.yaml")).unwrap(),
        "id: mine\n"
    );
}

#[test]
fn new_lesson_twice_gives_two_unique_ids_and_the_next_orders() {
    let (_tmp, dir) = new_course();
    let one = scaffold::new_lesson(&dir, "Next Steps").unwrap();
    let two = scaffold::new_lesson(&dir, "Next Steps").unwrap();
    assert_eq!(one, PathBuf::from("03-next-steps.md"));
    assert_eq!(two, PathBuf::from("04-next-steps-2.md"));
    let loaded = Course::load(&dir);
    let report = lectern::check::check(&loaded, &lectern::render::Renderer::default());
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let order: Vec<(&str, Option<i64>)> = loaded
        .course
        .lessons()
        .iter()
        .map(|l| (l.id.as_str(), l.order))
        .collect();
    assert_eq!(
        order[2..],
        [("next-steps", Some(3)), ("next-steps-2", Some(4))]
    );
}

#[test]
fn pack_then_open_gives_back_the_course_file_by_file() {
    let (tmp, dir) = new_course();
    let archive = tmp.path().join("course.lectern");
    let entries = pack::pack(&dir, &archive).unwrap();
    assert!(
        entries.contains(&"quizzes/review.toml".to_owned()),
        "{entries:?}"
    );
    assert!(
        entries.contains(&"images/outline.svg".to_owned()),
        "{entries:?}"
    );
    let opened = pack::open(&archive, &tmp.path().join("data")).unwrap();
    assert!(pack::is_unpacked(&opened));
    assert!(!pack::is_unpacked(&dir));
    let lesson = fs::metadata(opened.join("01-writing-lessons.md")).unwrap();
    assert!(
        lesson.permissions().readonly(),
        "an unpacked file is a read-only copy"
    );
    let mut unpacked = files(&opened);
    unpacked.remove(".lectern-pack-complete");
    assert_eq!(unpacked, files(&dir));
}

#[test]
fn packing_the_same_course_twice_gives_identical_bytes() {
    let (tmp, dir) = new_course();
    let copy = tmp.path().join("copy");
    for (rel, bytes) in files(&dir) {
        fs::create_dir_all(copy.join(&rel).parent().unwrap()).unwrap();
        fs::write(copy.join(rel), bytes).unwrap();
    }
    let (a, b) = (tmp.path().join("a.lectern"), tmp.path().join("b.lectern"));
    pack::pack(&dir, &a).unwrap();
    pack::pack(&copy, &b).unwrap();
    assert_eq!(fs::read(a).unwrap(), fs::read(b).unwrap());
}

#[cfg(unix)]
#[test]
fn pack_leaves_out_what_is_not_the_course_and_links_leading_out() {
    let (tmp, dir) = new_course();
    fs::write(tmp.path().join("secret.png"), b"not yours").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("secret.png"), dir.join("images/leak.png")).unwrap();
    fs::write(dir.join("notes.txt"), "scratch").unwrap();
    let entries = pack::pack(&dir, &tmp.path().join("c.lectern")).unwrap();
    assert!(
        !entries
            .iter()
            .any(|e| e.contains("leak") || e.contains("notes")),
        "{entries:?}"
    );
}

#[test]
fn pack_refuses_a_course_without_an_id_saying_how_to_add_one() {
    let (tmp, dir) = new_course();
    fs::write(dir.join("course.yaml"), "title: No id\n").unwrap();
    let out = tmp.path().join("c.lectern");
    let err = pack::pack(&dir, &out).unwrap_err();
    assert_eq!(err.code(), "no-course-id");
    assert!(err.to_string().contains("id: my-course"), "{err}");
    assert!(!out.exists());
}

#[test]
fn pack_refuses_a_book_without_an_id_naming_the_companion_course_yaml() {
    let (tmp, book) = crate::support::fixture("kinds/book");
    let err = pack::pack(&book, &tmp.path().join("b.lectern")).unwrap_err();
    assert_eq!(err.code(), "no-course-id");
    assert!(err.to_string().contains("beside its `book.toml`"), "{err}");
}

#[test]
fn a_book_with_a_course_id_packs_its_chapters_and_quiz_files() {
    let (tmp, book) = crate::support::fixture("kinds/book");
    fs::write(book.join("course.yaml"), "id: ownership-book\n").unwrap();
    let entries = pack::pack(&book, &tmp.path().join("b.lectern")).unwrap();
    for want in [
        "book.toml",
        "src/SUMMARY.md",
        "src/ownership.md",
        "quizzes/moves.toml",
    ] {
        assert!(entries.contains(&want.to_owned()), "{want}: {entries:?}");
    }
    // Unpacked, the book reads as it did: the same chapters, the same questions.
    let opened = pack::open(&tmp.path().join("b.lectern"), &tmp.path().join("data")).unwrap();
    let questions = |dir: &Path| -> Vec<(String, usize)> {
        Course::load(dir)
            .course
            .lessons()
            .iter()
            .map(|l| (l.id.clone(), lectern::quiz::parse(l).0.questions.len()))
            .collect()
    };
    assert_eq!(questions(&opened), questions(&book));
    assert!(questions(&opened).iter().any(|(_, n)| *n > 1));
}

/// Opens `bytes` as an archive under `limits`, and the base folder it was opened in.
fn open_bytes(
    bytes: &[u8],
    limits: &Limits,
) -> (tempfile::TempDir, PathBuf, Result<PathBuf, PackError>) {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("hostile.lectern");
    fs::write(&archive, bytes).unwrap();
    let base = tmp.path().join("data");
    let opened = pack::open_with(&archive, &base, limits);
    (tmp, base, opened)
}

/// The archive is refused with `code`, and nothing was written: the base folder is
/// empty and nothing appeared beside the archive.
fn assert_refused(bytes: &[u8], limits: &Limits, code: &str) -> String {
    let (tmp, base, opened) = open_bytes(bytes, limits);
    let err = opened.expect_err("a hostile archive must be refused");
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(
        entries_of(&base),
        0,
        "something was left in the data folder"
    );
    assert_eq!(entries_of(tmp.path()), 1 + usize::from(base.exists()));
    err.to_string()
}

const COURSE_YAML: &[u8] = b"id: hostile\n";

#[test]
fn an_entry_with_a_parent_component_is_refused() {
    let zip = zipfile::build(&[
        Entry::file("course.yaml", COURSE_YAML),
        Entry::file("../evil.md", b"x"),
    ]);
    let message = assert_refused(&zip, &Limits::DEFAULT, "unsafe-entry");
    assert!(message.contains("../evil.md"), "{message}");
}

#[test]
fn an_entry_with_an_absolute_path_is_refused() {
    let zip = zipfile::build(&[Entry::file("/tmp/evil.md", b"x")]);
    assert_refused(&zip, &Limits::DEFAULT, "unsafe-entry");
}

#[test]
fn a_symbolic_link_entry_is_refused() {
    let link = Entry {
        mode: 0o120_777,
        ..Entry::file("images/link.png", b"/etc/passwd")
    };
    let message = assert_refused(&zip_of(link), &Limits::DEFAULT, "unsafe-entry");
    assert!(message.contains("symbolic link"), "{message}");
}

fn zip_of(entry: Entry<'_>) -> Vec<u8> {
    zipfile::build(&[Entry::file("course.yaml", COURSE_YAML), entry])
}

#[test]
fn duplicate_names_are_refused() {
    let zip = zipfile::build(&[
        Entry::file("course.yaml", COURSE_YAML),
        Entry::file("a.md", b"one"),
        Entry::file("a.md", b"two"),
    ]);
    let (_tmp, base, opened) = open_bytes(&zip, &Limits::DEFAULT);
    let err = opened.expect_err("duplicates must be refused");
    assert!(
        matches!(err.code(), "unsafe-entry" | "not-an-archive"),
        "{err}"
    );
    assert!(
        err.to_string().to_lowercase().contains("twice")
            || err.to_string().to_lowercase().contains("duplicate"),
        "{err}"
    );
    assert_eq!(entries_of(&base), 0);
}

#[test]
fn an_entry_declaring_more_than_the_per_file_limit_is_refused() {
    let bomb = Entry {
        declared: Some(u32::MAX),
        ..Entry::file("big.md", b"small really")
    };
    let message = assert_refused(&zip_of(bomb), &Limits::DEFAULT, "archive-too-large");
    assert!(message.contains("declares"), "{message}");
}

/// An entry that decompresses to more than it declares is refused as it is read: the
/// zip reader stops it at its declared size (damaged), and Lectern's own count of the
/// bytes really written stops it at the limit should a reader ever not.
#[test]
fn an_entry_decompressing_to_more_than_it_declares_is_refused() {
    let data = vec![b'a'; 4096];
    let liar = Entry {
        declared: Some(10),
        ..Entry::file("liar.md", &data)
    };
    let limits = Limits {
        entry_bytes: 1024,
        ..Limits::DEFAULT
    };
    let (tmp, base, opened) = open_bytes(&zip_of(liar), &limits);
    let err = opened.expect_err("a lying entry must be refused");
    assert!(
        matches!(err.code(), "archive-corrupt" | "archive-too-large"),
        "{err}"
    );
    assert!(err.to_string().contains("declared"), "{err}");
    assert_eq!(entries_of(&base), 0);
    assert!(!tmp.path().join("liar.md").exists());
}

#[test]
fn more_bytes_in_all_than_the_total_limit_are_refused() {
    let data = vec![b'a'; 600];
    let zip = zipfile::build(&[Entry::file("a.md", &data), Entry::file("b.md", &data)]);
    let limits = Limits {
        total_bytes: 1000,
        ..Limits::DEFAULT
    };
    assert_refused(&zip, &limits, "archive-too-large");
}

#[test]
fn more_entries_than_the_limit_are_refused() {
    let zip = zipfile::build(&[
        Entry::file("a.md", b"a"),
        Entry::file("b.md", b"b"),
        Entry::file("c.md", b"c"),
    ]);
    let limits = Limits {
        entries: 2,
        ..Limits::DEFAULT
    };
    assert_refused(&zip, &limits, "archive-too-large");
}

#[test]
fn a_file_that_is_not_a_zip_is_refused() {
    let message = assert_refused(b"# Just Markdown\n", &Limits::DEFAULT, "not-an-archive");
    assert!(
        message.contains("is not a Lectern course archive"),
        "{message}"
    );
}

#[test]
fn a_truncated_archive_is_refused() {
    let (tmp, dir) = new_course();
    let archive = tmp.path().join("c.lectern");
    pack::pack(&dir, &archive).unwrap();
    let bytes = fs::read(&archive).unwrap();
    assert_refused(
        &bytes[..bytes.len() / 2],
        &Limits::DEFAULT,
        "not-an-archive",
    );
}

#[test]
fn a_damaged_entry_is_refused_and_nothing_is_kept() {
    let mut zip = zip_of(Entry::file("a.md", b"the original text"));
    let at = zip.windows(8).position(|w| w == b"original").unwrap();
    zip[at] = b'X';
    assert_refused(&zip, &Limits::DEFAULT, "archive-corrupt");
}

#[test]
fn an_interrupted_unpack_is_never_trusted() {
    let (tmp, dir) = new_course();
    let archive = tmp.path().join("c.lectern");
    pack::pack(&dir, &archive).unwrap();
    let base = tmp.path().join("data");
    let opened = pack::open(&archive, &base).unwrap();
    // What a kill between writing files and the rename would leave, had the folder
    // been written in place: files without the completion marker.
    fs::remove_file(opened.join(".lectern-pack-complete")).unwrap();
    fs::remove_file(opened.join("02-asking-questions.md")).unwrap();
    let again = pack::open(&archive, &base).unwrap();
    assert_eq!(again, opened);
    assert!(again.join("02-asking-questions.md").is_file());
}

fn lectern_with_data(args: &[&str], cwd: &Path, data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .current_dir(cwd)
        .env("XDG_DATA_HOME", data)
        .env_remove("LECTERN_DB")
        .output()
        .unwrap()
}

#[test]
fn the_cli_checks_lists_searches_and_quizzes_a_lectern_file() {
    let (tmp, _dir) = new_course();
    let data = tmp.path().join("data");
    let o = lectern_with_data(
        &["pack", "course", "-o", "course.lectern"],
        tmp.path(),
        &data,
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let o = lectern_with_data(&["check", "course.lectern", "--json"], tmp.path(), &data);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["lessons"], 2);
    let o = lectern_with_data(&["list", "course.lectern", "--json"], tmp.path(), &data);
    let outline: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        outline["sections"][0]["lessons"][1]["id"],
        "asking-questions"
    );
    let o = lectern_with_data(
        &["search", "highlighted", "course.lectern", "--json"],
        tmp.path(),
        &data,
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("writing-lessons"),
        "{o:?}"
    );
    let o = lectern_with_data(
        &[
            "quiz",
            "02-asking-questions.md",
            "--dir",
            "course.lectern",
            "--json",
        ],
        tmp.path(),
        &data,
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Which heading starts"),
        "{o:?}"
    );
    let o = lectern_with_data(
        &[
            "review",
            "due",
            "course.lectern",
            "--db",
            "none.sqlite",
            "--json",
        ],
        tmp.path(),
        &data,
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    // Unpacked once, into the app's data folder, by content.
    assert_eq!(entries_of(&data.join("app.lectern.desktop/packs")), 1);
}

#[test]
fn the_cli_refuses_a_hostile_archive_with_its_reason_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("bad.lectern"),
        zip_of(Entry::file("../x.md", b"x")),
    )
    .unwrap();
    let o = lectern_with_data(
        &["check", "bad.lectern"],
        tmp.path(),
        &tmp.path().join("data"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("refused archive entry `../x.md`"),
        "{o:?}"
    );
    assert!(!tmp.path().join("x.md").exists());
}

#[test]
fn a_newer_pack_of_the_same_course_keeps_the_learners_progress() {
    use lectern::progress::{CourseKey, LessonState, Store};
    let (tmp, dir) = new_course();
    let base = tmp.path().join("data");
    let (v1, v2) = (tmp.path().join("v1.lectern"), tmp.path().join("v2.lectern"));
    pack::pack(&dir, &v1).unwrap();
    scaffold::new_lesson(&dir, "Added Later").unwrap();
    pack::pack(&dir, &v2).unwrap();

    let first = pack::open(&v1, &base).unwrap();
    let db = tmp.path().join("progress.sqlite");
    let mut store = Store::open(&db).unwrap().store;
    let key = CourseKey::of(&Course::load(&first).course);
    store
        .mark_complete(&key, "writing-lessons", true, 1_000)
        .unwrap();

    let second = pack::open(&v2, &base).unwrap();
    assert_ne!(
        second, first,
        "a newer pack is unpacked into its own folder"
    );
    let course = Course::load(&second).course;
    assert_eq!(CourseKey::of(&course), key);
    let now = lectern::day::Now {
        at: 2_000,
        utc_offset_min: 0,
    };
    let progress = store.course_progress(&key, &course, &now).unwrap();
    let states: Vec<(&str, LessonState)> = progress
        .lessons
        .iter()
        .map(|l| (l.id.as_str(), l.state))
        .collect();
    assert_eq!(states[0], ("writing-lessons", LessonState::Completed));
    assert_eq!(states[2], ("added-later", LessonState::NotStarted));
}

#[test]
fn the_cli_writes_a_new_course_that_checks_clean_and_never_overwrites_it() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let o = lectern_with_data(&["new", "course", "intro"], tmp.path(), &data);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let o = lectern_with_data(&["check", "intro"], tmp.path(), &data);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("2 lessons checked: 0 errors, 0 warnings"),
        "{o:?}"
    );
    let o = lectern_with_data(
        &["new", "lesson", "intro", "Going Further"],
        tmp.path(),
        &data,
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(tmp.path().join("intro/03-going-further.md").is_file());
    let o = lectern_with_data(&["new", "course", "intro"], tmp.path(), &data);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("already exists"),
        "{o:?}"
    );
}

#[test]
fn a_file_other_than_a_lectern_given_for_a_folder_is_still_not_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.md"), "# Notes\n").unwrap();
    let o = lectern_with_data(
        &["check", "notes.md", "--json"],
        tmp.path(),
        &tmp.path().join("data"),
    );
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["code"], "not-a-folder");
}
