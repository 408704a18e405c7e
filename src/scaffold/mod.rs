//! `lectern new`: a small working course to start from, and a new lesson in a course.
//!
//! The templates are Lectern's own files, compiled into the binary (`include_str!`), so
//! `lectern new` works anywhere without network or data files. The contract: a course
//! written by [`new_course`] passes `lectern check` with no diagnostic at all (the
//! integration tests hold it to that), and neither function ever overwrites a file —
//! everything that would be written is checked first, then each file is created with
//! `create_new`, so a file that appears in between is still never replaced.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::course::{Course, Format};
use crate::lesson::suggest_id;

/// The files of a new course: path relative to its folder, and the template.
const COURSE_FILES: &[(&str, &str)] = &[
    ("course.yaml", include_str!("templates/course.yaml")),
    (
        "01-writing-lessons.md",
        include_str!("templates/01-writing-lessons.md"),
    ),
    (
        "02-asking-questions.md",
        include_str!("templates/02-asking-questions.md"),
    ),
    (
        "quizzes/review.toml",
        include_str!("templates/quizzes/review.toml"),
    ),
    (
        "images/outline.svg",
        include_str!("templates/images/outline.svg"),
    ),
];

const LESSON_TEMPLATE: &str = include_str!("templates/lesson.md");

/// Why nothing (or not everything) was written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// A file the command would write is already there; nothing was written.
    #[error("`{}` already exists; `lectern new` never overwrites a file (choose an empty or new folder)", .0.display())]
    Exists(PathBuf),
    /// `new lesson` was given a folder that is not a Lectern course.
    #[error("`{}` is not a Lectern course (no `course.yaml`); create one with `lectern new course DIR`", .0.display())]
    NotACourse(PathBuf),
    /// The title has nothing to write (empty or only spaces).
    #[error("the lesson title is empty")]
    EmptyTitle,
    /// Writing failed.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The file or folder being written.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

impl ScaffoldError {
    /// The stable code the CLI reports (kebab-case).
    pub fn code(&self) -> &'static str {
        match self {
            ScaffoldError::Exists(_) => "file-exists",
            ScaffoldError::NotACourse(_) => "not-a-course",
            ScaffoldError::EmptyTitle => "empty-title",
            ScaffoldError::Io { .. } => "write-failed",
        }
    }
}

/// Writes a new course into `dir` (created if missing) and returns the files written,
/// relative to `dir`. Its id is the folder name slugged (`my-course` when that leaves
/// nothing). Refuses, writing nothing, when any of the files is already there.
pub fn new_course(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let name = dir
        .canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(dir)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = match suggest_id(&name) {
        id if id == "lesson" => "my-course".to_owned(),
        id => id,
    };
    let title = crate::course::title_case(&id);
    for (rel, _) in COURSE_FILES {
        refuse_existing(&dir.join(rel))?;
    }
    let mut written = Vec::new();
    for (rel, template) in COURSE_FILES {
        let text = if *rel == "course.yaml" {
            template
                .replace("{{id}}", &id)
                .replace("{{title}}", &yaml_string(&title))
        } else {
            (*template).to_owned()
        };
        create(&dir.join(rel), &text)?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

/// Adds a lesson titled `title` to the Lectern course in `dir` and returns its path
/// relative to `dir`: the next `order` after the course's last, an id made from the
/// title (`-2`, `-3`… when taken), the last lesson's section, and a file named
/// `NN-id.md`.
pub fn new_lesson(dir: &Path, title: &str) -> Result<PathBuf, ScaffoldError> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        return Err(ScaffoldError::EmptyTitle);
    }
    let loaded = Course::load(dir);
    if loaded.course.format() != Format::Lectern || !dir.join("course.yaml").is_file() {
        return Err(ScaffoldError::NotACourse(dir.to_path_buf()));
    }
    let lessons = loaded.course.lessons();
    let order = lessons.iter().filter_map(|l| l.order).max().unwrap_or(0) + 1;
    let taken = |id: &str| loaded.course.lesson(id).is_some() || lesson_file_exists(dir, id);
    let id = unique_id(&suggest_id(&title), taken);
    let section = lessons
        .iter()
        .filter(|l| l.order.is_some())
        .max_by_key(|l| l.order)
        .and_then(|l| l.section.as_deref())
        .map(|s| format!("section: {s}\n"))
        .unwrap_or_default();
    let rel = PathBuf::from(format!("{order:02}-{id}.md"));
    let text = LESSON_TEMPLATE
        .replace("{{id}}", &id)
        .replace("{{title}}", &yaml_string(&title))
        .replace("{{order}}", &order.to_string())
        .replace("{{section}}", &section)
        .replace("{{heading}}", &title);
    create(&dir.join(&rel), &text)?;
    Ok(rel)
}

/// `base`, or `base-2`, `base-3`… the first that `taken` does not hold.
fn unique_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2u64..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| base.to_owned())
}

/// Whether some `NN-id.md` file is in `dir` already, lesson or not (a broken file has
/// no id the course knows, but its name would still clash).
fn lesson_file_exists(dir: &Path, id: &str) -> bool {
    let suffix = format!("-{id}.md");
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(&suffix))
    })
}

/// A YAML double-quoted scalar: any title, quotes and backslashes included, stays a
/// string (`Yes`, `1.0` or `a: b` would otherwise be read as something else).
fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn refuse_existing(path: &Path) -> Result<(), ScaffoldError> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(ScaffoldError::Exists(path.to_path_buf()));
    }
    Ok(())
}

/// Creates `path` (and its folders) with `text`, never replacing an existing file.
fn create(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let io_error = |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.to_path_buf()),
            _ => io_error(e),
        })?;
    file.write_all(text.as_bytes()).map_err(io_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_id_adds_the_first_free_number() {
        let taken = ["intro", "intro-2"];
        assert_eq!(unique_id("intro", |id| taken.contains(&id)), "intro-3");
        assert_eq!(unique_id("other", |id| taken.contains(&id)), "other");
    }

    #[test]
    fn yaml_string_keeps_quotes_and_backslashes_as_text() {
        assert_eq!(yaml_string(r#"Say "hi" \o/"#), r#""Say \"hi\" \\o/""#);
    }

    #[test]
    fn new_course_refuses_a_folder_with_one_of_its_files_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("02-asking-questions.md"), "mine").unwrap();
        let err = new_course(dir.path()).unwrap_err();
        assert!(matches!(err, ScaffoldError::Exists(_)), "{err}");
        assert!(!dir.path().join("course.yaml").exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("02-asking-questions.md")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn new_lesson_refuses_a_folder_without_course_yaml() {
        let dir = tempfile::tempdir().unwrap();
        let err = new_lesson(dir.path(), "Intro").unwrap_err();
        assert!(matches!(err, ScaffoldError::NotACourse(_)), "{err}");
    }

    #[test]
    fn new_lesson_refuses_an_empty_title() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            new_lesson(dir.path(), "  \n"),
            Err(ScaffoldError::EmptyTitle)
        ));
    }
}
