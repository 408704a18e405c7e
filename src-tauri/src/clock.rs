//! The shell's clock: `lectern::clock`, the one place Lectern reads the time (the
//! system clock, or `LECTERN_NOW` / `LECTERN_TZ_OFFSET_MIN` when set — documented, for
//! tests only: the review tests run the app on a fixed day).

use lectern::progress::Millis;
use lectern::review::Now;

/// Now, in Unix milliseconds.
pub(crate) fn now() -> Millis {
    lectern::clock::now_ms()
}

/// Now, with the local UTC offset (which local day it is decides review scheduling).
pub(crate) fn now_local() -> Now {
    lectern::clock::now_local()
}
