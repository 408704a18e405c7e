//! `course.yaml`: the course's id, title, description and sections, read leniently.
//!
//! Lenient, because a course file is written by hand and grows: an unknown key is a
//! warning on its line (the rest of the file is still used), a value of the wrong type
//! is a warning and that key alone is ignored. Only a file that is not YAML at all is
//! an error, and then the defaults apply.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::folder::{Folder, ReadError, MAX_COURSE_FILE_BYTES};
use crate::lesson::{self, Pos, YamlEntry, COURSE_FILE};

/// The keys `course.yaml` defines.
pub const COURSE_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "sections",
    "ignore",
    "language",
];

/// What `course.yaml` says, each part optional.
#[derive(Clone, Debug, Default)]
pub(crate) struct CourseFile {
    /// The course's id: its identity for progress, kept when the folder moves.
    pub(crate) id: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) sections: Vec<SectionEntry>,
    /// `ignore:` globs (relative to the course folder): files they match are no lessons.
    pub(crate) ignore: Option<globset::GlobSet>,
    /// The language the course is written in (`language:`, or mdBook's `[book] language`).
    pub(crate) language: Option<String>,
}

/// One declared section.
#[derive(Clone, Debug)]
pub(crate) struct SectionEntry {
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    /// Chapters listed but not written yet (mdBook's drafts).
    pub(crate) drafts: Vec<super::Draft>,
}

/// Reads `course.yaml` through the folder's guarded reader: absent is fine (defaults);
/// anything that stops it being read (a link out of the folder, a FIFO, too large, not
/// UTF-8, not YAML) is a diagnostic, and the defaults apply.
pub(crate) fn read(folder: &Folder, diagnostics: &mut Vec<Diagnostic>) -> CourseFile {
    let root = folder.root();
    let rel = Path::new(COURSE_FILE);
    let text = match folder.read_text(rel, MAX_COURSE_FILE_BYTES) {
        Ok(text) => text,
        // Nothing there at all (not even a link to nowhere): the course has no file.
        Err(ReadError::Missing) if fs::symlink_metadata(root.join(rel)).is_err() => {
            return CourseFile::default();
        }
        Err(e) => {
            diagnostics.push(e.diagnostic(rel, "`course.yaml`"));
            return CourseFile::default();
        }
    };
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    match lesson::yaml_entries(&text, 0) {
        Ok(entries) => interpret(entries, &text, diagnostics),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(
                    COURSE_FILE,
                    e.line,
                    e.column,
                    "course-file-syntax",
                    format!(
                        "`course.yaml` could not be read: {}; expected `id`, `title`, `description` and `sections: [{{id, title}}]`",
                        e.message
                    ),
                )
                .with_source(&text),
            );
            CourseFile::default()
        }
    }
}

fn interpret(entries: Vec<YamlEntry>, text: &str, diagnostics: &mut Vec<Diagnostic>) -> CourseFile {
    let mut file = CourseFile::default();
    let mut warn = |pos: Pos, code: &'static str, message: String| {
        diagnostics.push(
            Diagnostic::warning(COURSE_FILE, pos.line, pos.column, code, message).with_source(text),
        );
    };
    for e in entries {
        match e.key.as_str() {
            "id" => match e.value.as_str().map(str::trim) {
                Some(id) if lesson::is_valid_id(id) => file.id = Some(id.to_owned()),
                Some(id) => warn(
                    e.value_pos,
                    "invalid-id",
                    format!(
                        "`id: {id}` is not a valid course id; use lowercase letters, digits and `-` (e.g. `{}`); the folder's path identifies the course meanwhile",
                        lesson::suggest_id(id)
                    ),
                ),
                None => warn(e.value_pos, "course-file-type", "`id` should be a string such as `nlp-basics`".to_owned()),
            },
            "title" | "description" => match e.value.as_str().map(str::trim) {
                Some(t) if !t.is_empty() => {
                    let slot = if e.key == "title" { &mut file.title } else { &mut file.description };
                    *slot = Some(t.to_owned());
                }
                _ => warn(e.value_pos, "course-file-type", format!("`{}` should be text", e.key)),
            },
            "sections" => file.sections = sections(&e, &mut warn),
            "ignore" => file.ignore = ignore(&e, &mut warn),
            "language" => match e.value.as_str().map(str::trim) {
                Some(l) if !l.is_empty() => file.language = Some(l.to_owned()),
                _ => warn(e.value_pos, "course-file-type", "`language` should be a language tag such as `en`".to_owned()),
            },
            other => {
                let hint = closest_key(other)
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_else(|| "; it is ignored".to_owned());
                warn(e.key_pos, "unknown-key", format!("unknown key `{other}` in `course.yaml`{hint}"));
            }
        }
    }
    file
}

/// The `sections:` list: maps with an `id` and an optional `title`; anything else is a
/// warning at the list and is skipped.
fn sections(e: &YamlEntry, warn: &mut impl FnMut(Pos, &'static str, String)) -> Vec<SectionEntry> {
    let Value::Array(items) = &e.value else {
        warn(
            e.value_pos,
            "course-file-type",
            "`sections` should be a list of `{id, title}` entries".to_owned(),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let id = item.get("id").and_then(Value::as_str).map(str::trim);
        match id {
            Some(id) if !id.is_empty() => out.push(SectionEntry {
                id: id.to_owned(),
                title: item.get("title").and_then(Value::as_str).map(str::to_owned),
                drafts: Vec::new(),
            }),
            _ => warn(
                e.value_pos,
                "course-file-type",
                format!(
                    "section {} has no `id`; give it one such as `- id: basics`",
                    n + 1
                ),
            ),
        }
    }
    out
}

/// The `ignore:` list: globs such as `drafts/**` or `*.notes.md`, matched against paths
/// relative to the course folder. A glob that does not compile is a warning and skipped.
fn ignore(
    e: &YamlEntry,
    warn: &mut impl FnMut(Pos, &'static str, String),
) -> Option<globset::GlobSet> {
    let Value::Array(items) = &e.value else {
        warn(
            e.value_pos,
            "course-file-type",
            "`ignore` should be a list of globs such as `- drafts/**`".to_owned(),
        );
        return None;
    };
    let mut set = globset::GlobSetBuilder::new();
    for item in items {
        let glob = item
            .as_str()
            .map(|g| globset::GlobBuilder::new(g).literal_separator(true).build());
        match glob {
            Some(Ok(glob)) => {
                set.add(glob);
            }
            Some(Err(err)) => warn(
                e.value_pos,
                "course-file-type",
                format!("`ignore` has a glob that cannot be read: {err}"),
            ),
            None => warn(
                e.value_pos,
                "course-file-type",
                "`ignore` entries should be globs (text)".to_owned(),
            ),
        }
    }
    set.build().ok()
}

fn closest_key(unknown: &str) -> Option<&'static str> {
    let lower = unknown.to_ascii_lowercase();
    COURSE_KEYS
        .iter()
        .copied()
        .map(|k| (k, strsim::jaro_winkler(k, &lower)))
        .filter(|(_, s)| *s >= 0.85)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (CourseFile, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(COURSE_FILE), text).unwrap();
        let mut d = Vec::new();
        (read(&Folder::new(dir.path()), &mut d), d)
    }

    #[test]
    fn an_unknown_key_is_a_warning_on_its_line_and_the_rest_is_kept() {
        let (file, d) = read_text(
            "id: nlp\ntitle: NLP\nauthor: me\ntitel: x\nsections:\n  - id: a\n    title: A\n",
        );
        assert_eq!(file.id.as_deref(), Some("nlp"));
        assert_eq!(file.title.as_deref(), Some("NLP"));
        assert_eq!(file.sections.len(), 1);
        let found: Vec<_> = d
            .iter()
            .map(|d| (d.line, d.code, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    3,
                    "unknown-key",
                    "unknown key `author` in `course.yaml`; it is ignored"
                ),
                (
                    4,
                    "unknown-key",
                    "unknown key `titel` in `course.yaml` (did you mean `title`?)"
                ),
            ]
        );
    }

    #[test]
    fn an_invalid_id_is_a_warning_and_not_used() {
        let (file, d) = read_text("id: Not Valid\n");
        assert_eq!(file.id, None);
        assert_eq!(d[0].code, "invalid-id");
        assert!(d[0].message.contains("e.g. `not-valid`"));
    }

    #[test]
    fn a_file_that_is_not_yaml_is_an_error_and_defaults_apply() {
        let (file, d) = read_text("title: [unclosed\n");
        assert!(file.title.is_none());
        assert_eq!(d[0].code, "course-file-syntax");
    }
}
