//! A Lectern course (`course.yaml` at the root): every `.md` file under the folder is a
//! lesson with Lectern front matter, read strictly (a file without front matter is an
//! error), except the files `course.yaml`'s `ignore:` globs match.

use super::super::incremental::Sources;
use super::Layout;
use crate::folder::Folder;
use crate::lesson::{self, Lesson};

/// Reads `course.yaml`, then every lesson it does not ignore.
pub(in crate::course) fn read(folder: &Folder, sources: &mut Sources) -> Vec<Lesson> {
    sources.layout = Layout::Lectern;
    sources.read_course_file(folder);
    let (files, scan_diagnostics) = lesson::lesson_files(folder);
    sources.record_scan(scan_diagnostics);
    let files: Vec<_> = files
        .into_iter()
        .filter(|rel| !sources.ignores(rel))
        .collect();
    sources.read_lessons(folder, &files)
}
