//! What Lectern says about itself: its version, its licence, and where a learner's data
//! lives. The About dialog shows it (the app's `about` command); `lectern --version`
//! and `lectern-app --version` print the same [`VERSION`].
//!
//! The version has one source, `version` in `[workspace.package]` of the root
//! `Cargo.toml`: both crates inherit it, the progress database records it as
//! `written_by`, and the packages take it from Cargo.

use std::path::{Path, PathBuf};

use serde::Serialize;

/// Lectern's version (the workspace's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Lectern's licence, as an SPDX expression (the workspace's; the text is `LICENSE`).
pub const LICENSE: &str = env!("CARGO_PKG_LICENSE");

/// The About dialog's content. Every path is where the data is or will be: a folder
/// not made yet is still named, so the learner knows where to look.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct About {
    /// `Lectern`.
    pub name: &'static str,
    /// [`VERSION`].
    pub version: &'static str,
    /// [`LICENSE`].
    pub license: &'static str,
    /// The progress database in use.
    pub progress_db: PathBuf,
    /// Where backups of that database go ([`crate::progress::backups_dir`]).
    pub backups: PathBuf,
    /// Where search indexes are cached, one file per course (deleting them loses
    /// nothing: they are rebuilt).
    pub search_cache: PathBuf,
    /// The folder of the course that is open.
    pub course_folder: PathBuf,
    /// Where the bundled course is laid out, if the caller has one.
    pub bundled_course: Option<PathBuf>,
}

/// Where everything is for a session over the database `db` with the course in
/// `course_root` open; `bundled_course` is the app's copy of its bundled course.
pub fn about(db: &Path, course_root: &Path, bundled_course: Option<PathBuf>) -> About {
    let index = crate::search::index_path(course_root);
    About {
        name: "Lectern",
        version: VERSION,
        license: LICENSE,
        progress_db: db.to_path_buf(),
        backups: crate::progress::backups_dir(db),
        search_cache: index.parent().map_or(index.clone(), Path::to_path_buf),
        course_folder: course_root.to_path_buf(),
        bundled_course,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of `key` in `[workspace.package]` of the root Cargo.toml.
    fn workspace_package(key: &str) -> String {
        let manifest =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
        let section = manifest.split("[workspace.package]").nth(1).unwrap();
        let line = section
            .lines()
            .take_while(|l| !l.starts_with('['))
            .find(|l| l.split('=').next().map(str::trim) == Some(key))
            .unwrap_or_else(|| panic!("no `{key}` in [workspace.package]"));
        line.split('"').nth(1).unwrap().to_owned()
    }

    #[test]
    fn version_and_licence_are_the_workspaces() {
        assert_eq!(VERSION, workspace_package("version"));
        assert_eq!(LICENSE, workspace_package("license"));
    }

    #[test]
    fn about_names_the_backups_beside_the_database_and_the_search_cache_folder() {
        let course = tempfile::tempdir().unwrap();
        let db = Path::new("/data/app.lectern.desktop/progress.sqlite");
        let a = about(db, course.path(), Some(PathBuf::from("/data/bundled-1")));
        assert_eq!(a.progress_db, db);
        assert_eq!(
            a.backups,
            Path::new("/data/app.lectern.desktop/backups"),
            "backups live beside the database"
        );
        let index = crate::search::index_path(course.path());
        assert_eq!(a.search_cache, index.parent().unwrap());
        assert!(a.search_cache.ends_with("app.lectern.desktop/search"));
        assert_eq!(a.course_folder, course.path());
        assert_eq!(a.bundled_course, Some(PathBuf::from("/data/bundled-1")));
    }
}
