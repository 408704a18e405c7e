//! Which lesson files include which files, both ways, kept current as lessons are read.
//!
//! A lesson's text is its file's plus whatever its preprocessor directives include
//! ([`crate::lesson::Lesson::includes`]: every file named, directly or through nested
//! includes, read or not). [`Dependencies`] keeps that list per lesson file and the
//! reverse map, so a change to a listing names exactly the lessons to read again (and a
//! missing file, once created, the lessons that wanted it). Every read of a lesson file
//! records its list again ([`Dependencies::record`]); a file gone or unreadable forgets
//! its list ([`Dependencies::forget`]).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Included file → the lesson files that include it, and the other way round (paths
/// relative to the course folder).
#[derive(Clone, Debug, Default)]
pub(super) struct Dependencies {
    /// Lesson file → the files its directives name (only lessons that name some).
    includes: HashMap<PathBuf, Vec<PathBuf>>,
    /// Included file → the lesson files that name it (never an empty set).
    included_by: HashMap<PathBuf, BTreeSet<PathBuf>>,
}

impl Dependencies {
    /// `lesson` (a lesson file, just read) names `files`: what it named before is
    /// replaced.
    pub(super) fn record(&mut self, lesson: &Path, files: &[PathBuf]) {
        self.forget(lesson);
        if files.is_empty() {
            return;
        }
        for f in files {
            self.included_by
                .entry(f.clone())
                .or_default()
                .insert(lesson.to_path_buf());
        }
        self.includes.insert(lesson.to_path_buf(), files.to_vec());
    }

    /// `lesson` names nothing any more (gone, unreadable, or about to be read again).
    pub(super) fn forget(&mut self, lesson: &Path) {
        let Some(files) = self.includes.remove(lesson) else {
            return;
        };
        for f in files {
            if let Some(by) = self.included_by.get_mut(&f) {
                by.remove(lesson);
                if by.is_empty() {
                    self.included_by.remove(&f);
                }
            }
        }
    }

    /// The lesson files whose text includes `file` (sorted).
    pub(super) fn includers(&self, file: &Path) -> impl Iterator<Item = &PathBuf> {
        self.included_by.get(file).into_iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(v: &[&str]) -> Vec<PathBuf> {
        v.iter().map(PathBuf::from).collect()
    }

    fn includers(d: &Dependencies, file: &str) -> Vec<String> {
        d.includers(Path::new(file))
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_file_names_every_lesson_that_includes_it_and_only_while_it_does() {
        let mut d = Dependencies::default();
        d.record(Path::new("a.md"), &paths(&["x.rs", "y.rs"]));
        d.record(Path::new("b.md"), &paths(&["x.rs"]));
        assert_eq!(includers(&d, "x.rs"), ["a.md", "b.md"]);
        assert_eq!(includers(&d, "y.rs"), ["a.md"]);
        assert!(includers(&d, "a.md").is_empty());
        // Read again, `a.md` names only `y.rs`: `x.rs` no longer reaches it.
        d.record(Path::new("a.md"), &paths(&["y.rs"]));
        assert_eq!(includers(&d, "x.rs"), ["b.md"]);
        d.forget(Path::new("b.md"));
        assert!(includers(&d, "x.rs").is_empty());
        assert!(
            !d.included_by.contains_key(Path::new("x.rs")),
            "no empty sets kept"
        );
        d.record(Path::new("a.md"), &[]);
        assert!(d.includes.is_empty() && d.included_by.is_empty());
    }
}
