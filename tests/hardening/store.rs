//! Store safety (issue "Store safety"): environment values and input quoted in messages
//! that used to panic or reach the terminal raw.

use crate::support::fixture;

#[test]
fn extreme_clock_and_time_zone_values_do_not_panic_the_cli() {
    let (tmp, dir) = fixture("progress/course");
    let course = dir.to_string_lossy().into_owned();
    for (now, offset) in [
        ("0", "-2147483648"),
        ("-9223372036854775808", "2147483647"),
        ("9223372036854775807", "-1080"),
        ("garbage", "\u{1b}"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["review", "due", &course, "--db", "p.db"])
            .env("LECTERN_NOW", now)
            .env("LECTERN_TZ_OFFSET_MIN", offset)
            .current_dir(tmp.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{now} {offset}: {err}");
        assert!(
            out.status.code().is_some_and(|c| c <= 2),
            "{now} {offset}: {err}"
        );
    }
}

#[test]
fn a_query_with_control_characters_is_escaped_in_the_no_match_message() {
    let (tmp, dir) = fixture("progress/course");
    let course = dir.to_string_lossy().into_owned();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["search", "zzqx\u{1b}[2J\u{7}", &course])
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(said, "no lesson matches `zzqx\\u{1b}[2J\\u{7}`\n");
}
