//! The one place the shell reads the time: Unix milliseconds from the system clock, or
//! from `LECTERN_NOW` (Unix ms) when set — documented, for tests only (the review tests
//! of a later issue run the app on a fixed day).

use lectern::progress::Millis;

/// The test-only environment variable that fixes the app's clock (Unix milliseconds).
pub(crate) const NOW_ENV: &str = "LECTERN_NOW";

/// Now, in Unix milliseconds.
pub(crate) fn now() -> Millis {
    if let Some(fixed) = std::env::var(NOW_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return fixed;
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| {
            Millis::try_from(d.as_millis()).unwrap_or(Millis::MAX)
        })
}
