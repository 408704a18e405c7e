//! `lectern search QUERY [DIR] [--json] [--limit N] [--db PATH]`: full-text search of a
//! course, with the index kept in the per-user cache (built on first use, then updated
//! by content); with `--db`, the learner's highlights and notes on the course too.

use std::path::Path;
use std::process::ExitCode;

use lectern::course::Course;
use lectern::progress::CourseKey;
use lectern::search::{self, HitKind, NoteText, SearchError};

use super::progress::{read_store, store_error};
use super::{print, to_json, Output, UsageError};

/// Runs a search and prints the results (the JSON is a documented contract).
pub(crate) fn run(
    query: &str,
    dir: &Path,
    output: Output,
    limit: usize,
    db: Option<&Path>,
) -> Result<ExitCode, UsageError> {
    super::require_dir(dir)?;
    // Without `--db`, a cache current with the folder answers without loading it
    // (`search::answer`); the learner's notes need the loaded course.
    let of_course = db.map(|db| move |course: &Course| notes_in(db, course));
    let notes = of_course
        .as_ref()
        .map(|f| f as search::NotesOf<'_, UsageError>);
    let answer = search::answer(dir, query, limit, lectern::clock::system_ms(), notes)?;
    // A cache that cannot be used (a read-only home, damaged and open in the app) gives
    // an index in memory: the answer is the same, only slower to make.
    if let search::Cache::Memory(why) = &answer.cache {
        eprintln!("lectern: search cache not used ({why}): searched from memory");
    }
    let results = answer.results;
    if output == Output::Json {
        print(&to_json(&serde_json::json!({
            "query": results.query,
            "results": results.results,
            "diagnostics": answer.diagnostics,
            "matched": results.matched,
            "suggestions": results.suggestions,
        }))?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    if results.results.is_empty() {
        out.push_str(&format!(
            "no lesson matches `{}`\n",
            lectern::text::one_line(query, 200)
        ));
        if !results.suggestions.is_empty() {
            out.push_str(&format!(
                "did you mean: {}\n",
                lectern::diagnostic::escape_controls(&results.suggestions.join(" "))
            ));
        }
    }
    for hit in &results.results {
        let plain = hit.snippet.replace("<mark>", "[").replace("</mark>", "]");
        if hit.kind == HitKind::Note {
            out.push_str(&format!(
                "{} › {}  (#{})\n    {}\n",
                lectern::diagnostic::escape_controls(&hit.title),
                hit.heading,
                lectern::diagnostic::escape_controls(&hit.lesson),
                unescape(&plain)
            ));
            continue;
        }
        out.push_str(&format!(
            "{} › {}  (#{}{})\n    {}\n",
            lectern::diagnostic::escape_controls(&hit.title),
            lectern::diagnostic::escape_controls(&hit.heading),
            lectern::diagnostic::escape_controls(&hit.lesson),
            if hit.anchor.is_empty() {
                String::new()
            } else {
                format!("/{}", hit.anchor)
            },
            unescape(&plain)
        ));
    }
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

impl From<SearchError> for UsageError {
    fn from(e: SearchError) -> Self {
        UsageError::new("search-index", e.to_string())
    }
}

/// The learner's highlights on `course` in the progress database `db` (read-only; a
/// database not made yet has none).
fn notes_in(db: &Path, course: &Course) -> Result<Vec<NoteText>, UsageError> {
    if !db.exists() {
        return Ok(Vec::new());
    }
    let rows = read_store(db)?
        .annotations(&CourseKey::of(course))
        .map_err(store_error)?;
    Ok(lectern::notes::searchable(course, rows))
}

/// The snippet's text for a terminal: entities back to characters, controls escaped.
fn unescape(html: &str) -> String {
    let text = html
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    lectern::diagnostic::escape_controls(&text)
}
