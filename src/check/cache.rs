//! The check cache: each lesson's rendering and quiz diagnostics kept between runs of
//! `lectern check`, in one file per course, so checking a course that did not change
//! renders nothing (issue #26: 10,000 lessons).
//!
//! Never trusted over the files. A lesson's stored diagnostics are used only when its
//! key is the one stored — a hash of everything the lesson is: its path, its text with
//! the included files expanded, its front matter and where each included line came
//! from — and only when the course around it is the one the file was written for: the
//! same Lectern version and cache format, the same lesson ids by path, and the same
//! other files (every path under the course folder with its kind, size, modification
//! time and link target; a lesson file's path only, its content being in its key),
//! since a lesson's links and images resolve against those. Otherwise the lesson is
//! checked again. The course-wide checks (duplicate ids, `prevLessonId`/`nextLessonId`,
//! cycles) are load diagnostics, made afresh by every load. A missing, unreadable or
//! damaged file, or one of another format or version, is ignored and written anew;
//! writing goes to a temporary file renamed over the old one, so a reader never sees
//! half a file. A cache that cannot be written only costs the next run its speed.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::course::{Course, Loaded};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lesson::Lesson;
use crate::render::{RenderOptions, Renderer};

/// The layout of the file; another number is not read.
const FORMAT: u32 = 1;

/// What [`check_cached`](super::check_cached) did with the cache.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CacheUse {
    /// Lessons whose stored diagnostics were used.
    pub reused: usize,
    /// Lessons rendered and quiz-checked (new, changed, or no usable cache).
    pub checked: usize,
    /// Why the stored file was not used or could not be written, if so.
    pub problem: Option<String>,
}

/// Where the check cache of the course in `course_root` lives: beside its search index,
/// `<cache dir>/app.lectern.desktop/check/<hash of the canonical folder>.json`.
pub fn cache_path(course_root: &Path) -> PathBuf {
    crate::search::course_cache_path(course_root, "check", "json")
}

/// The file as written: a version, the course's key, and each lesson's entry by path.
#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    lectern: String,
    course: u64,
    lessons: HashMap<PathBuf, Entry>,
}

/// One lesson's key and diagnostics.
#[derive(Clone, Serialize, Deserialize)]
struct Entry {
    key: u64,
    diagnostics: Vec<StoredDiagnostic>,
}

/// A [`Diagnostic`] with every field (the JSON contract leaves the snippet out).
#[derive(Clone, Serialize, Deserialize)]
struct StoredDiagnostic {
    path: PathBuf,
    line: u32,
    column: u32,
    error: bool,
    code: String,
    message: String,
    snippet: Option<String>,
    snippet_column: u32,
}

impl From<&Diagnostic> for StoredDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        StoredDiagnostic {
            path: d.path.clone(),
            line: d.line,
            column: d.column,
            error: d.severity == Severity::Error,
            code: d.code.to_owned(),
            message: d.message.clone(),
            snippet: d.snippet.clone(),
            snippet_column: d.snippet_column,
        }
    }
}

impl StoredDiagnostic {
    /// The diagnostic again; `None` for a code no check of this Lectern could make (too
    /// many distinct codes: the file is not one this Lectern wrote).
    fn restore(self) -> Option<Diagnostic> {
        Some(Diagnostic {
            path: self.path,
            line: self.line,
            column: self.column,
            severity: if self.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            code: intern(&self.code)?,
            message: self.message,
            snippet: self.snippet,
            snippet_column: self.snippet_column,
        })
    }
}

/// At most this many distinct codes are ever interned (Lectern has a few dozen).
const MAX_CODES: usize = 512;

/// The `&'static str` for a diagnostic code read back: each distinct code is leaked
/// once and shared, and there are at most [`MAX_CODES`] of them, so memory is bounded.
fn intern(code: &str) -> Option<&'static str> {
    static CODES: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(Mutex::default);
    let mut codes = CODES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(&known) = codes.get(code) {
        return Some(known);
    }
    if codes.len() >= MAX_CODES {
        return None;
    }
    let leaked: &'static str = Box::leak(code.to_owned().into_boxed_str());
    codes.insert(leaked);
    Some(leaked)
}

/// Each lesson's diagnostics in lesson order, from the cache at `path` where a lesson's
/// entry is current and checked afresh (in parallel) otherwise; the file is written
/// again when anything was checked or a lesson is gone.
pub(super) fn lessons_diagnostics(
    renderer: &Renderer,
    loaded: &Loaded,
    path: &Path,
) -> (Vec<Vec<Diagnostic>>, CacheUse) {
    let course = &loaded.course;
    let course_key = course_key(course, path);
    let (mut stored, mut problem) = match read(path) {
        Ok(Some(s)) if s.course == course_key => (s.lessons, None),
        Ok(_) => (HashMap::new(), None),
        Err(why) => (HashMap::new(), Some(why)),
    };
    // Each lesson's stored entry is moved out of the map, so a reused one becomes the
    // lesson's diagnostics without a copy; what is left belongs to lessons now gone.
    let entries: Vec<Option<Entry>> = course
        .lessons()
        .iter()
        .map(|l| stored.remove(&l.path))
        .collect();
    let gone = stored.len();
    drop(stored);
    let options = RenderOptions::new(course.root(), course.lesson_ids_by_path());
    let found: Vec<(u64, Vec<Diagnostic>, bool)> = course
        .lessons()
        .par_iter()
        .zip(entries)
        .map(|(lesson, entry)| {
            let key = lesson_key(lesson);
            let cached = entry.filter(|e| e.key == key).and_then(|e| {
                e.diagnostics
                    .into_iter()
                    .map(StoredDiagnostic::restore)
                    .collect::<Option<Vec<_>>>()
            });
            match cached {
                Some(diagnostics) => (key, diagnostics, true),
                None => (
                    key,
                    super::lesson_diagnostics(renderer, &options, lesson),
                    false,
                ),
            }
        })
        .collect();
    let reused = found.iter().filter(|(_, _, hit)| *hit).count();
    let checked = found.len() - reused;
    if checked > 0 || gone > 0 {
        let lessons = course
            .lessons()
            .par_iter()
            .zip(&found)
            .map(|(lesson, (key, diagnostics, _))| {
                let entry = Entry {
                    key: *key,
                    diagnostics: diagnostics.iter().map(StoredDiagnostic::from).collect(),
                };
                (lesson.path.clone(), entry)
            })
            .collect();
        let fresh = Stored {
            format: FORMAT,
            lectern: crate::about::VERSION.to_owned(),
            course: course_key,
            lessons,
        };
        if let Err(why) = write(path, &fresh) {
            problem = Some(why);
        }
    }
    let all = found.into_iter().map(|(_, d, _)| d).collect();
    (
        all,
        CacheUse {
            reused,
            checked,
            problem,
        },
    )
}

/// The stored file, if there is one of this format and Lectern version; `Ok(None)` when
/// there is none or it is another's; `Err` (why) when it is damaged or unreadable.
fn read(path: &Path) -> Result<Option<Stored>, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    /// The version fields alone, read first so another layout is not taken for damage.
    #[derive(Deserialize)]
    struct Version {
        format: u32,
        lectern: String,
    }
    let version: Version = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{}: damaged ({e}); checked afresh", path.display()))?;
    if version.format != FORMAT || version.lectern != crate::about::VERSION {
        return Ok(None);
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| format!("{}: damaged ({e}); checked afresh", path.display()))
}

/// Writes `stored` to a temporary file beside `path`, then renames it over `path`.
fn write(path: &Path, stored: &Stored) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| fail(&e))?;
    }
    let json = serde_json::to_vec(stored).map_err(|e| fail(&e))?;
    let temporary = PathBuf::from(format!("{}.{}.tmp", path.display(), std::process::id()));
    let written = std::fs::write(&temporary, json).and_then(|()| std::fs::rename(&temporary, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(fail(&e));
    }
    Ok(())
}

/// A [`Hasher`] fed through `fmt::Write`, so a value's `Debug` form is hashed without
/// being built as a string.
struct HashWriter(DefaultHasher);

impl std::fmt::Write for HashWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// The hash of everything `lesson` is that its diagnostics may depend on: its text
/// (hashed as bytes) and every other field (hashed through `Debug`).
fn lesson_key(lesson: &Lesson) -> u64 {
    let mut h = HashWriter(DefaultHasher::new());
    h.0.write(lesson.text.as_bytes());
    h.0.write_usize(lesson.text.len());
    let Lesson {
        id,
        title,
        kind,
        duration_minutes,
        order,
        section,
        prev,
        next,
        extra,
        path,
        positions,
        text: _,
        body_offset,
        body_line,
        position,
        parent,
        sources,
        includes,
        broken,
    } = lesson;
    // Writing to a hasher cannot fail (`write_str` always returns Ok).
    let _ = write!(
        h,
        "{:?}",
        (
            (
                id,
                title,
                kind,
                duration_minutes,
                order,
                section,
                prev,
                next
            ),
            (extra, path, positions, body_offset, body_line, position),
            (parent, sources, includes, broken),
        )
    );
    h.0.finish()
}

/// The hash of what a lesson's links and images resolve against: Lectern's version,
/// the course folder, the lesson ids by path, and every other file under the folder
/// (path, kind, size, modification time, link target; a lesson file by path only).
fn course_key(course: &Course, cache: &Path) -> u64 {
    let mut h = HashWriter(DefaultHasher::new());
    let root = course.root();
    let _ = write!(
        h,
        "{FORMAT} {} {:?}",
        crate::about::VERSION,
        std::fs::canonicalize(root).ok()
    );
    let mut ids: Vec<_> = course.lesson_ids_by_path().iter().collect();
    ids.sort();
    let _ = write!(h, "{ids:?}");
    let lessons = course.lesson_ids_by_path();
    let mut files = Vec::new();
    // The cache's own folder, when it lies inside the course, is not part of the course
    // (else writing the cache would make it stale).
    let own = cache.parent().and_then(|d| std::fs::canonicalize(d).ok());
    list(root, Path::new(""), own.as_deref(), &mut files);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    for (rel, meta, target) in files {
        // A folder's own size and time change when an editor saves a lesson by renaming
        // over it: its entries are listed one by one instead.
        if meta.is_dir() || (lessons.contains_key(&rel) && meta.is_file()) {
            let _ = write!(h, "\n{rel:?} {}", meta.is_dir());
        } else {
            let modified = meta.modified().ok();
            let _ = write!(
                h,
                "\n{rel:?} {:?} {} {modified:?} {target:?}",
                meta.file_type(),
                meta.len()
            );
        }
    }
    h.0.finish()
}

/// Every entry under `dir` (relative path `rel`), recursively, not following links and
/// leaving out the folder `skip` (the cache's own): its path, metadata and, for a
/// symbolic link, its target. Unreadable folders are listed as what could be read (that
/// is part of the key too).
fn list(
    dir: &Path,
    rel: &Path,
    skip: Option<&Path>,
    out: &mut Vec<(PathBuf, std::fs::Metadata, Option<PathBuf>)>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let rel = rel.join(entry.file_name());
        if meta.is_dir() {
            if skip.is_some() && std::fs::canonicalize(&path).ok().as_deref() == skip {
                continue;
            }
            list(&path, &rel, skip, out);
        }
        let target = meta
            .file_type()
            .is_symlink()
            .then(|| std::fs::read_link(&path).ok())
            .flatten();
        out.push((rel, meta, target));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check, check_cached, Report};
    use super::*;
    use crate::course::Course;

    /// A course of `n` lessons, each with a missing image, a link to the next lesson and
    /// a one-option question; the cache file beside it (not inside the course).
    fn course(n: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("course");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("course.yaml"), "title: T\n").unwrap();
        for i in 0..n {
            write_lesson(&dir, i, "");
        }
        let cache = tmp.path().join("cache").join("check.json");
        (tmp, dir, cache)
    }

    fn write_lesson(dir: &Path, i: usize, extra: &str) {
        let text = format!(
            "---\nid: l{i}\ntitle: L{i}\n---\n# L{i}\n\n![x](img{i}.png) [next](l{}.md)\n{extra}\n\
             ## Knowledge Check\n\n1. Lonely {i}?\n   - Only one\n",
            i + 1
        );
        std::fs::write(dir.join(format!("l{i}.md")), text).unwrap();
    }

    fn json(report: &Report) -> String {
        let human: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| d.render_human(Path::new("c")))
            .collect();
        format!("{}\n{human:?}", serde_json::to_string(report).unwrap())
    }

    /// Checks with the cache and without; asserts both reports are the same.
    fn checked(dir: &Path, cache: &Path) -> (Report, CacheUse) {
        let loaded = Course::load(dir);
        let renderer = Renderer::default();
        let (report, used) = check_cached(&loaded, &renderer, cache);
        assert_eq!(json(&report), json(&check(&loaded, &renderer)));
        (report, used)
    }

    #[test]
    fn cached_check_equals_a_fresh_check_cold_and_warm() {
        let (_tmp, dir, cache) = course(12);
        let (cold, used) = checked(&dir, &cache);
        assert_eq!((used.reused, used.checked, used.problem), (0, 12, None));
        assert!(cold.diagnostics.len() >= 24, "{:?}", cold.diagnostics);
        let (warm, used) = checked(&dir, &cache);
        assert_eq!((used.reused, used.checked, used.problem), (12, 0, None));
        assert_eq!(json(&warm), json(&cold));
    }

    #[test]
    fn editing_a_lesson_checks_that_lesson_again_and_no_other() {
        let (_tmp, dir, cache) = course(12);
        checked(&dir, &cache);
        write_lesson(&dir, 5, "![y](other.png)");
        let (report, used) = checked(&dir, &cache);
        assert_eq!((used.reused, used.checked), (11, 1));
        assert!(report
            .diagnostics
            .iter()
            .any(|d| d.path == Path::new("l5.md") && d.message.contains("other.png")));
        let (_, used) = checked(&dir, &cache);
        assert_eq!((used.reused, used.checked), (12, 0));
    }

    #[test]
    fn a_new_file_the_lessons_point_at_checks_them_again() {
        let (_tmp, dir, cache) = course(3);
        let (before, _) = checked(&dir, &cache);
        assert!(before.diagnostics.iter().any(|d| d.code == "missing-image"));
        std::fs::write(dir.join("img1.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        let (after, used) = checked(&dir, &cache);
        assert_eq!(used.checked, 3);
        assert!(
            !after
                .diagnostics
                .iter()
                .any(|d| d.path == Path::new("l1.md") && d.code == "missing-image"),
            "{:?}",
            after.diagnostics
        );
    }

    #[test]
    fn a_cache_kept_inside_the_course_folder_stays_current() {
        let (_tmp, dir, _) = course(3);
        let cache = dir.join(".cache").join("check.json");
        checked(&dir, &cache);
        let (_, used) = checked(&dir, &cache);
        assert_eq!((used.reused, used.checked), (3, 0));
    }

    #[test]
    fn a_damaged_cache_is_said_and_rebuilt() {
        let (_tmp, dir, cache) = course(4);
        checked(&dir, &cache);
        let mut bytes = std::fs::read(&cache).unwrap();
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&cache, bytes).unwrap();
        let (_, used) = checked(&dir, &cache);
        assert_eq!(used.checked, 4);
        assert!(used.problem.unwrap().contains("damaged"));
        let (_, used) = checked(&dir, &cache);
        assert_eq!((used.reused, used.checked, used.problem), (4, 0, None));
    }

    #[test]
    fn a_cache_written_by_another_lectern_version_is_not_used() {
        let (_tmp, dir, cache) = course(4);
        checked(&dir, &cache);
        let text = std::fs::read_to_string(&cache).unwrap();
        let other = text.replace(
            &format!("\"lectern\":\"{}\"", crate::about::VERSION),
            "\"lectern\":\"99.0.0\"",
        );
        assert_ne!(other, text);
        std::fs::write(&cache, other).unwrap();
        let (_, used) = checked(&dir, &cache);
        assert_eq!((used.reused, used.checked, used.problem), (0, 4, None));
    }

    #[test]
    fn a_stored_entry_whose_key_differs_is_not_used_even_with_other_diagnostics() {
        let (_tmp, dir, cache) = course(2);
        checked(&dir, &cache);
        // Stored diagnostics tampered with but keys kept: they are used (the key is the
        // lesson's, not the file's); a tampered key makes the lesson checked again.
        let mut stored: Stored = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
        let entry = stored.lessons.get_mut(Path::new("l0.md")).unwrap();
        entry.key ^= 1;
        entry.diagnostics.clear();
        std::fs::write(&cache, serde_json::to_vec(&stored).unwrap()).unwrap();
        let (_, used) = checked(&dir, &cache);
        assert_eq!((used.reused, used.checked), (1, 1));
    }
}
