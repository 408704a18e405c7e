//! The one place the shell reads the time: Unix milliseconds from the system clock, or
//! from `LECTERN_NOW` (Unix ms) when set — documented, for tests only (the review tests
//! run the app on a fixed day) — and the local UTC offset from the system's time zone,
//! or from `LECTERN_TZ_OFFSET_MIN` (minutes east of UTC), also for tests only.

use lectern::progress::Millis;
use lectern::review::{Now, TZ_OFFSET_ENV};

/// The test-only environment variable that fixes the app's clock (Unix milliseconds).
pub(crate) const NOW_ENV: &str = "LECTERN_NOW";

/// Now, in Unix milliseconds.
pub(crate) fn now() -> Millis {
    now_local().at
}

/// Now, with the local UTC offset (which local day it is decides review scheduling).
pub(crate) fn now_local() -> Now {
    Now::resolve(
        std::env::var(NOW_ENV).ok().as_deref(),
        std::env::var(TZ_OFFSET_ENV).ok().as_deref(),
        system_ms,
        local_offset_min,
    )
}

fn system_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| {
            Millis::try_from(d.as_millis()).unwrap_or(Millis::MAX)
        })
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
