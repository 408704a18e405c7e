//! `lectern check --watch`: check once, then again on every change, one line (or one
//! JSON object per line) per change, until interrupted. Each change goes through
//! `lectern::live::Session`, the app's live preview loop too; the incremental course
//! and the live check mean a change costs the files it touched, not the course.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use lectern::check::Report;
use lectern::course::Applied;
use lectern::course::Course;
use lectern::live::Session;
use lectern::render::Renderer;
use lectern::watch::{self, Event, Status, WatchOptions};

use super::{color_stdout, print, Output, UsageError};

/// One line of `lectern check --watch --json` (a documented contract).
#[derive(serde::Serialize)]
struct ChangeLine<'a> {
    /// Ids of lessons added or whose file changed.
    changed: &'a [String],
    /// Ids of lessons no longer in the course.
    removed: &'a [String],
    /// Every current diagnostic of the files that changed.
    diagnostics: &'a [lectern::diagnostic::Diagnostic],
    /// Course totals after the change.
    errors: usize,
    warnings: usize,
    lessons: usize,
    /// From the change being reported to the check being done.
    elapsed_ms: f64,
}

/// Runs until Ctrl+C (or the watcher stops), then exits 0.
pub(crate) fn run(dir: &Path, output: Output) -> Result<ExitCode, UsageError> {
    super::require_dir(dir)?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed))
        .map_err(|e| UsageError::new("usage", format!("cannot listen for Ctrl+C: {e}")))?;
    // The course's root is watched (a book's, when its `src/` was named): changes are
    // reported relative to it, as the course's paths are.
    let root = lectern::course::detect(dir).root;
    let (tx, rx) = mpsc::channel();
    let _watcher = watch::watch(&root, WatchOptions::default(), move |e| {
        let _ = tx.send((Instant::now(), e));
    })
    .map_err(|e| UsageError::new("watch-failed", e.to_string()))?;
    // The watch is in place once it reports how it watches: only then is the course
    // read, so no save between the first check and the watch can be missed.
    if let Ok((_, Event::Status(s))) = rx.recv_timeout(Duration::from_secs(10)) {
        print_status(&s, output)?;
    }
    let renderer = Renderer::default();
    let mut loaded = Course::load(dir);
    let (mut session, report) = Session::start(&loaded, &renderer);
    print_start(dir, &report, output)?;
    while !stop.load(Ordering::Relaxed) {
        let (at, event) = match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(got) => got,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        match event {
            Event::Status(s) => print_status(&s, output)?,
            Event::Changes(changes) => {
                let pending = Session::apply(&mut loaded, &changes);
                let change = session.settle(&loaded, &renderer, pending, None);
                let (applied, update) = (&change.applied, &change.check);
                if applied.is_empty() {
                    continue; // a file no lesson reads: no change to the course
                }
                let line = ChangeLine {
                    changed: &applied.changed,
                    removed: &applied.removed,
                    diagnostics: &update.changed,
                    errors: update.totals.errors,
                    warnings: update.totals.warnings,
                    lessons: update.totals.lessons,
                    elapsed_ms: at.elapsed().as_secs_f64() * 1e3,
                };
                print_change(dir, &line, applied, output)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_start(dir: &Path, report: &Report, output: Output) -> Result<(), UsageError> {
    if output == Output::Json {
        let line = serde_json::json!({
            "changed": [], "removed": [], "diagnostics": report.diagnostics,
            "errors": report.errors, "warnings": report.warnings,
            "lessons": report.lessons, "elapsed_ms": 0.0,
        });
        return Ok(print(&format!("{line}\n"))?);
    }
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&d.render_styled(dir, color_stdout()));
        out.push('\n');
    }
    out.push_str(&format!(
        "{} lessons checked: {} errors, {} warnings; watching for changes (Ctrl+C to stop)\n",
        report.lessons, report.errors, report.warnings
    ));
    Ok(print(&out)?)
}

fn print_status(status: &Status, output: Output) -> Result<(), UsageError> {
    let text = match status {
        Status::Native => return Ok(()),
        Status::Polling { reason } => format!(
            "watching by polling: native file watching failed ({reason}); raise fs.inotify.max_user_watches to get changes at once"
        ),
        Status::FolderMissing => "the lessons folder is gone; waiting for it to come back".to_owned(),
    };
    match output {
        Output::Json => {
            let line = serde_json::json!({ "status": text });
            Ok(print(&format!("{line}\n"))?)
        }
        Output::Human => Ok(print(&format!("lectern: {text}\n"))?),
    }
}

fn print_change(
    dir: &Path,
    line: &ChangeLine<'_>,
    applied: &Applied,
    output: Output,
) -> Result<(), UsageError> {
    if output == Output::Json {
        let text = serde_json::to_string(line)
            .map_err(|e| UsageError::new("output", format!("cannot encode JSON: {e}")))?;
        return Ok(print(&format!("{text}\n"))?);
    }
    let mut out = String::new();
    for d in line.diagnostics {
        out.push_str(&d.render_styled(dir, color_stdout()));
        out.push('\n');
    }
    let what = if applied.rescanned {
        "everything (rescanned)".to_owned()
    } else {
        let mut names: Vec<String> = line.changed.to_vec();
        names.extend(line.removed.iter().map(|r| format!("{r} (removed)")));
        if names.is_empty() {
            // No lesson changed: the files whose diagnostics did (`course.yaml`).
            applied.files.join(", ")
        } else {
            names.join(", ")
        }
    };
    out.push_str(&format!(
        "changed {what}: {} errors, {} warnings in {} lessons ({:.1} ms)\n",
        line.errors, line.warnings, line.lessons, line.elapsed_ms
    ));
    Ok(print(&out)?)
}
