//! Lectern's core: everything the app and the `lectern` CLI do, without any GUI.
//!
//! Data flows `lesson` (files, front matter) → `course` (order, sections, links) and
//! every stage reports problems as [`diagnostic::Diagnostic`]s instead of failing.
//!
//! ```
//! use lectern::course::Course;
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("a.md"), "---\nid: a\ntitle: A\n---\n# A\n").unwrap();
//! let loaded = Course::load(dir.path());
//! assert_eq!(loaded.course.lessons()[0].title, "A");
//! assert!(loaded.diagnostics.is_empty());
//! ```

pub mod about;
pub mod anchor;
pub mod answer;
pub mod author;
pub mod bundle;
pub mod check;
pub mod clock;
pub mod course;
pub mod day;
pub mod dbfile;
pub mod diagnostic;
pub mod edit;
pub mod folder;
pub mod lesson;
pub mod live;
pub mod notes;
pub mod pack;
pub mod progress;
pub mod quiz;
pub mod reader;
pub mod render;
pub mod review;
pub mod scaffold;
pub mod search;
pub mod stamp;
pub mod text;
pub mod watch;
