//! Human durations from front matter (`55 mins`, `1 hour`, `1h 30m`) to minutes.

/// Parses a human duration into whole minutes.
///
/// Accepts one or more `<number><unit>` groups, with or without spaces between number
/// and unit: `h`, `hr`, `hrs`, `hour`, `hours` and `m`, `min`, `mins`, `minute`,
/// `minutes`. A bare number is minutes. Fractions are allowed (`1.5 hours` is 90).
/// Returns `None` for anything else, so the caller can warn instead of guessing.
pub fn parse_minutes(text: &str) -> Option<u32> {
    let s = text.trim().to_ascii_lowercase();
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse::<f64>() {
        return to_minutes(n);
    }
    let mut total = 0.0f64;
    let mut rest = s.as_str();
    let mut groups = 0;
    // Units seen so far, largest first: hours (60) then minutes (1).
    let mut last_factor = f64::INFINITY;
    while !rest.trim_start().is_empty() {
        rest = rest.trim_start().trim_start_matches(',').trim_start();
        if let Some(r) = rest.strip_prefix("and ") {
            rest = r.trim_start();
        }
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return None;
        }
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = rest[num_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let factor = match unit {
            "h" | "hr" | "hrs" | "hour" | "hours" => 60.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 1.0,
            _ => return None,
        };
        // Each unit once (`1h 1h` is a slip, not two hours), hours before minutes.
        if factor >= last_factor {
            return None;
        }
        last_factor = factor;
        total += n * factor;
        groups += 1;
    }
    if groups == 0 {
        return None;
    }
    to_minutes(total)
}

fn to_minutes(n: f64) -> Option<u32> {
    if n.is_finite() && (0.0..=100_000.0).contains(&n) {
        Some(n.round() as u32)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::parse_minutes;

    fn check(input: &str, expected: Option<u32>) {
        assert_eq!(parse_minutes(input), expected, "input {input:?}");
    }

    #[test]
    fn documented_forms_parse_to_minutes() {
        check("55 mins", Some(55));
        check("1 hour", Some(60));
        check("1h 30m", Some(90));
        check("90 min", Some(90));
        check("45m", Some(45));
    }

    #[test]
    fn other_reasonable_forms_parse() {
        check("1.5 hours", Some(90));
        check("2 hrs", Some(120));
        check("1 hour 15 minutes", Some(75));
        check("1 hour, 15 minutes", Some(75));
        check("1 hour and 5 minutes", Some(65));
        check("30", Some(30));
        check("  20 MINUTES ", Some(20));
    }

    #[test]
    fn nonsense_is_rejected_not_guessed() {
        check("", None);
        check("soon", None);
        check("5 days", None);
        check("h", None);
        check("-5 min", None);
        check("1..5 h", None);
    }
}
