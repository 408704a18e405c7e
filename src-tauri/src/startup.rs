//! Start-up phases, reported on request so that start-up can be measured without a
//! stopwatch (scripts/startup-bench.sh, BENCHMARKS.md).
//!
//! `LECTERN_STARTUP_TRACE=1` prints one line per phase to stderr; any other non-empty
//! value is a file the lines are appended to. Unset, nothing is measured or written.
//! A line is `lectern-startup <phase> <ms> <unix_ms>`: milliseconds since the process
//! started, and the wall-clock time in Unix milliseconds (which a script that noted
//! when it started the app can subtract exactly). The phases, in order (but for
//! `core-loaded`, which comes whenever the course has been read, on its own thread):
//!
//! - `main`: `main` is entered (what the dynamic loader and Rust's runtime took);
//! - `window-created`: the progress database is open, the window and its webview exist;
//! - `core-loaded`: the course has been read;
//! - `first-contentful-paint`: the webview's first paint of anything (its
//!   `performance` entry, converted to this process's time line);
//! - `course-painted`: the page the window opens on (the course page) has been
//!   drawn: the UI asks `startup_painted` in the task after the frame that showed it.
//!
//! "Since the process started" is the time since `main` plus the process's age at
//! `main`, read from `/proc/self/stat` and `/proc/uptime`, which count in hundredths
//! of a second: the figures are within 10 ms of the truth, the `unix_ms` exact.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The environment variable that turns the trace on.
pub(crate) const TRACE_ENV: &str = "LECTERN_STARTUP_TRACE";

/// Where the lines go.
enum Sink {
    Stderr,
    File(PathBuf),
}

struct Trace {
    /// `main` was entered then…
    at_main: Instant,
    /// …when the process was this old.
    age_at_main: Duration,
    sink: Sink,
    /// Phases already reported: each is reported once (a reload paints again).
    done: Mutex<Vec<&'static str>>,
}

static TRACE: OnceLock<Option<Trace>> = OnceLock::new();

/// Turns the trace on when `LECTERN_STARTUP_TRACE` asks for it and reports `main`.
/// Call first thing in `main`.
pub(crate) fn init() {
    let trace = TRACE.get_or_init(|| {
        let at_main = Instant::now();
        let value = std::env::var_os(TRACE_ENV).filter(|v| !v.is_empty())?;
        let sink = if value == "1" {
            Sink::Stderr
        } else {
            Sink::File(PathBuf::from(value))
        };
        Some(Trace {
            at_main,
            age_at_main: process_age().unwrap_or_default(),
            sink,
            done: Mutex::new(Vec::new()),
        })
    });
    if trace.is_some() {
        mark("main");
    }
}

/// Reports that `phase` is reached now (once per phase; nothing when the trace is off).
pub(crate) fn mark(phase: &'static str) {
    if let Some(t) = TRACE.get().and_then(Option::as_ref) {
        let since_main = t.at_main.elapsed();
        t.report(phase, t.age_at_main + since_main, SystemTime::now());
    }
}

/// Reports `phase` at the wall-clock time `unix_ms` (a time the webview measured).
pub(crate) fn mark_at(phase: &'static str, unix_ms: f64) {
    let Some(t) = TRACE.get().and_then(Option::as_ref) else {
        return;
    };
    // Whatever the window sends, only a time that is one is used.
    let Some(at) = Duration::try_from_secs_f64(unix_ms / 1e3)
        .ok()
        .and_then(|d| UNIX_EPOCH.checked_add(d))
    else {
        return;
    };
    // How long before now that was, counted back from the process's own clock.
    let now = SystemTime::now();
    let back = now.duration_since(at).unwrap_or_default();
    let since_start = (t.age_at_main + t.at_main.elapsed()).saturating_sub(back);
    t.report(phase, since_start, at);
}

impl Trace {
    fn report(&self, phase: &'static str, since_start: Duration, at: SystemTime) {
        {
            let mut done = self.done.lock().unwrap_or_else(|p| p.into_inner());
            if done.contains(&phase) {
                return;
            }
            done.push(phase);
        }
        let unix_ms = at
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64()
            * 1e3;
        let line = format!(
            "lectern-startup {phase} {:.1} {unix_ms:.1}\n",
            since_start.as_secs_f64() * 1e3
        );
        let written = match &self.sink {
            Sink::Stderr => std::io::stderr().write_all(line.as_bytes()),
            Sink::File(path) => std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| f.write_all(line.as_bytes())),
        };
        if let Err(e) = written {
            eprintln!("lectern-app: start-up trace not written: {e}");
        }
    }
}

/// How long ago this process started, from `/proc` (Linux), to the hundredth of a
/// second; `None` elsewhere.
fn process_age() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
    age_from(&stat, &uptime)
}

/// The age of a process given its `/proc/<pid>/stat` and the system's `/proc/uptime`:
/// field 22 of `stat` is the start in clock ticks since boot (USER_HZ, 100 per second
/// on Linux), the first field of `uptime` the seconds since boot.
fn age_from(stat: &str, uptime: &str) -> Option<Duration> {
    // The command name (field 2) is in parentheses and may hold spaces: count fields
    // after its closing parenthesis, where field 3 is the first.
    let (_, after) = stat.rsplit_once(')')?;
    let ticks: u64 = after.split_whitespace().nth(22 - 3)?.parse().ok()?;
    let up: f64 = uptime.split_whitespace().next()?.parse().ok()?;
    let started = Duration::from_millis(ticks.checked_mul(10)?);
    Duration::try_from_secs_f64(up).ok()?.checked_sub(started)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_is_uptime_minus_the_start_field_even_with_spaces_in_the_name() {
        let stat = "4242 (lectern app) S 1 4242 4242 0 -1 4194304 100 0 0 0 5 2 0 0 20 0 9 0 12345 1000 50";
        // Started 123.45 s after boot, now 130.00 s after boot.
        assert_eq!(
            age_from(stat, "130.00 250.00\n"),
            Some(Duration::from_millis(6550))
        );
    }

    #[test]
    fn a_garbled_stat_gives_no_age() {
        assert_eq!(age_from("4242 (x S 1", "130.00 1.0"), None);
        assert_eq!(age_from("4242 (x) S 1 2", "130.00 1.0"), None);
    }

    #[test]
    fn this_process_has_a_small_positive_age() {
        let age = process_age().unwrap();
        assert!(age < Duration::from_secs(24 * 3600), "{age:?}");
    }
}
