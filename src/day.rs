//! Local days: a moment with the learner's UTC offset ([`Now`]), so every module can
//! tell which local day it is (review scheduling, activity days, streaks) without
//! reading a time zone or the clock itself. The entry points build a `Now` with
//! `clock::now_local`; everything else takes it as a parameter.
//!
//! A leaf module: it names no other part of Lectern, so the store (`progress`), the
//! scheduler (`review`) and the clock all stand on it without depending on each other.

use serde::{Deserialize, Serialize};

/// Unix time in milliseconds.
pub type Millis = i64;

const DAY_MS: i64 = 86_400_000;

/// The moment something happens, with the learner's UTC offset then, so the core can
/// tell which local day it is without reading a time zone itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Now {
    /// Unix time in milliseconds.
    pub at: Millis,
    /// Minutes east of UTC (UTC+2 is 120), as the system's time zone said at `at`.
    pub utc_offset_min: i32,
}

impl Now {
    /// The moment the app or the CLI works with: `fixed_at` (the value of the
    /// test-only `LECTERN_NOW`, Unix ms from 1970 to the year 9999) else `system_at()`,
    /// with `fixed_offset` (the test-only `LECTERN_TZ_OFFSET_MIN`, minutes east of UTC,
    /// within ±18 h) else `local_offset(at)` from the system's time zone. Values that do
    /// not parse or are out of those ranges (`i64::MIN`, `-2147483648`) are ignored, so
    /// no environment value can panic or overflow a date. Pure: the callers read the
    /// environment and the clock.
    pub fn resolve(
        fixed_at: Option<&str>,
        fixed_offset: Option<&str>,
        system_at: impl FnOnce() -> Millis,
        local_offset: impl FnOnce(Millis) -> i32,
    ) -> Now {
        /// 9999-12-31T23:59:59.999Z, the last moment a date is written for.
        const LAST: Millis = 253_402_300_799_999;
        const MAX_OFFSET: i32 = 18 * 60;
        let at = fixed_at
            .and_then(|v| v.trim().parse::<Millis>().ok())
            .filter(|at| (0..=LAST).contains(at))
            .unwrap_or_else(system_at);
        let utc_offset_min = fixed_offset
            .and_then(|v| v.trim().parse::<i32>().ok())
            .filter(|m| (-MAX_OFFSET..=MAX_OFFSET).contains(m))
            .unwrap_or_else(|| local_offset(at).clamp(-MAX_OFFSET, MAX_OFFSET));
        Now { at, utc_offset_min }
    }

    /// `at` in UTC (offset 0).
    pub fn utc(at: Millis) -> Now {
        Now {
            at,
            utc_offset_min: 0,
        }
    }

    /// The local day number: days since 1970-01-01 in local time.
    pub fn day(&self) -> i64 {
        self.local_ms().div_euclid(DAY_MS)
    }

    /// Unix ms of local midnight starting local day `day` (with this offset).
    pub fn start_of_day(&self, day: i64) -> Millis {
        day.saturating_mul(DAY_MS)
            .saturating_sub(i64::from(self.utc_offset_min) * 60_000)
    }

    /// The local day number of Unix ms `at`, with this offset.
    pub fn day_of(&self, at: Millis) -> i64 {
        Now { at, ..*self }.day()
    }

    fn local_ms(&self) -> i64 {
        self.at
            .saturating_add(i64::from(self.utc_offset_min) * 60_000)
    }
}

/// `YYYY-MM-DD` of a local day number (proleptic Gregorian calendar).
pub fn date_of_day(day: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_day_follows_the_offset_across_midnight() {
        // 2026-01-01T23:30Z: still Jan 1 in UTC, already Jan 2 in UTC+1.
        let at = 1_767_310_200_000;
        assert_eq!(date_of_day(Now::utc(at).day()), "2026-01-01");
        let paris = Now {
            at,
            utc_offset_min: 60,
        };
        assert_eq!(date_of_day(paris.day()), "2026-01-02");
        let new_york = Now {
            at: 1_767_312_000_000, // 2026-01-02T00:00Z
            utc_offset_min: -300,
        };
        assert_eq!(date_of_day(new_york.day()), "2026-01-01");
        assert_eq!(paris.start_of_day(paris.day()), 1_767_308_400_000);
    }

    #[test]
    fn the_test_clock_overrides_the_system_and_bad_values_are_ignored() {
        let fixed = Now::resolve(Some("1000"), Some("-300"), || 5, |_| 60);
        assert_eq!((fixed.at, fixed.utc_offset_min), (1000, -300));
        let system = Now::resolve(None, None, || 5, |at| i32::try_from(at).unwrap());
        assert_eq!((system.at, system.utc_offset_min), (5, 5));
        let bad = Now::resolve(Some("soon"), Some("5000"), || 7, |_| 60);
        assert_eq!((bad.at, bad.utc_offset_min), (7, 60));
    }

    #[test]
    fn extreme_environment_values_never_panic_and_fall_back_to_the_system() {
        let values = [
            i32::MIN.to_string(),
            i32::MAX.to_string(),
            i64::MIN.to_string(),
            i64::MAX.to_string(),
            "-1".to_owned(),
            "99999999999999999999999".to_owned(),
            "\u{0}garbage".to_owned(),
            String::new(),
        ];
        for at in &values {
            for offset in &values {
                let now = Now::resolve(Some(at), Some(offset), || 7, |_| 60);
                assert_eq!(now.utc_offset_min, if offset == "-1" { -1 } else { 60 });
                let kept = at
                    .parse::<i64>()
                    .ok()
                    .filter(|v| (0..=253_402_300_799_999).contains(v));
                assert_eq!(now.at, kept.unwrap_or(7), "{at:?}");
                // The derived dates are computable.
                let _ = date_of_day(now.day());
                let _ = now.start_of_day(now.day());
            }
        }
        let wild = Now::resolve(None, None, || 7, |_| i32::MIN);
        assert_eq!(wild.utc_offset_min, -18 * 60);
    }

    #[test]
    fn dates_of_day_numbers_are_the_gregorian_calendar() {
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(date_of_day(-1), "1969-12-31");
        assert_eq!(date_of_day(11_016), "2000-02-29");
        assert_eq!(date_of_day(20_513), "2026-03-01");
    }
}
