//! The one place Lectern reads the wall clock or asks for entropy.
//!
//! Everything else in the core takes time as a parameter (`now`, Unix ms, or a
//! [`day::Now`](crate::day::Now) where the local day matters), so it can be tested
//! on an injected clock. The entry points — the `lectern` CLI and the app's shell — build
//! that parameter here. `tests/tidy.rs` keeps every other `SystemTime::now` and chrono
//! `now` out of the core.
//!
//! Test-only overrides, documented in the README: `LECTERN_NOW` (Unix ms) fixes the clock
//! and `LECTERN_TZ_OFFSET_MIN` (minutes east of UTC) the time zone.

use std::hash::BuildHasher;

use crate::day::{Millis, Now};

/// The test-only environment variable that fixes the clock (Unix milliseconds).
pub const NOW_ENV: &str = "LECTERN_NOW";

/// The test-only environment variable that fixes the UTC offset (minutes east of UTC)
/// the app and the CLI use for local days, beside [`NOW_ENV`] which fixes the time.
pub const TZ_OFFSET_ENV: &str = "LECTERN_TZ_OFFSET_MIN";

/// Now, with the local UTC offset (which local day it is decides review scheduling):
/// the system clock and time zone, or the test-only overrides.
pub fn now_local() -> Now {
    Now::resolve(
        std::env::var(NOW_ENV).ok().as_deref(),
        std::env::var(TZ_OFFSET_ENV).ok().as_deref(),
        system_ms,
        local_offset_min,
    )
}

/// Now, in Unix milliseconds (`LECTERN_NOW` honoured).
pub fn now_ms() -> Millis {
    now_local().at
}

/// The system clock in Unix milliseconds, ignoring overrides: for stamps in file names,
/// which must differ between runs even when a test fixes `LECTERN_NOW`.
pub fn system_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| {
            Millis::try_from(d.as_millis()).unwrap_or(Millis::MAX)
        })
}

/// A stamp for a file name set aside (`progress.sqlite.corrupt-<stamp>`): the system
/// clock in milliseconds, so names sort by when they were made.
pub fn file_stamp() -> String {
    system_ms().to_string()
}

/// A random seed for a new quiz attempt, below 2^53 so it survives a trip through
/// JavaScript numbers. `RandomState` is seeded from the OS per process and varied per
/// instance; the clock is mixed in so two calls in one process differ too.
pub fn fresh_seed() -> u64 {
    std::collections::hash_map::RandomState::new().hash_one(std::time::SystemTime::now())
        & ((1u64 << 53) - 1)
}

/// The system time zone's offset at `at`, in minutes east of UTC (0 if `at` is out of
/// chrono's range).
fn local_offset_min(at: Millis) -> i32 {
    use chrono::{Local, Offset, TimeZone};
    Local
        .timestamp_millis_opt(at)
        .earliest()
        .map_or(0, |t| t.offset().fix().local_minus_utc() / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_seeds_fit_in_a_javascript_number() {
        assert!((0..100).all(|_| fresh_seed() < (1 << 53)));
    }

    #[test]
    fn file_stamps_are_digits() {
        let stamp = file_stamp();
        assert!(!stamp.is_empty() && stamp.bytes().all(|b| b.is_ascii_digit()));
    }
}
