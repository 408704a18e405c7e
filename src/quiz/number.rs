//! Numeric blanks: the author's key (`[[42]]`, `[[0.75 ± 0.01]]`, `[[0.75 +- 0.01]]`,
//! `[[3..5]]`) and the learner's number.
//!
//! The learner may write a decimal comma (`0,75`), an exponent (`7.5e-1`), spaces around
//! the number and a leading `+`. Digit grouping (`1,000`, `1 000`) is refused as not a
//! number: `1,000` could be a thousand or one, and guessing would grade someone wrong
//! for what they meant. Ends of ranges and tolerances are inclusive, with a margin of a
//! few units in the last place so `0.74` is inside `0.75 ± 0.01` although binary
//! floating point says `0.75 - 0.01 = 0.74000000000000004`.

/// What a numeric blank accepts.
#[derive(Clone, Debug, PartialEq)]
pub enum NumberKey {
    /// Exactly this number.
    Exact(f64),
    /// Within `tolerance` of `value`, both ends included.
    Within {
        /// The expected value.
        value: f64,
        /// How far from it an answer may be (≥ 0).
        tolerance: f64,
    },
    /// From `low` to `high`, both included.
    Range {
        /// The lowest accepted value.
        low: f64,
        /// The highest accepted value.
        high: f64,
    },
}

impl Eq for NumberKey {}

/// Why a blank that looks numeric is not a usable key (an authoring error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct BadNumber(pub(super) String);

impl NumberKey {
    /// Whether `x` is accepted.
    pub fn accepts(&self, x: f64) -> bool {
        let (low, high) = self.bounds();
        let margin = |v: f64| v.abs().max(1.0) * 1e-9;
        x >= low - margin(low) && x <= high + margin(high)
    }

    /// The lowest and highest accepted values.
    pub fn bounds(&self) -> (f64, f64) {
        match *self {
            NumberKey::Exact(v) => (v, v),
            NumberKey::Within { value, tolerance } => (value - tolerance, value + tolerance),
            NumberKey::Range { low, high } => (low, high),
        }
    }

    /// Whether the tolerance is larger than the value itself (a likely slip: `± 1` on
    /// `0.5` accepts negative numbers).
    pub fn tolerance_exceeds_value(&self) -> bool {
        matches!(*self, NumberKey::Within { value, tolerance } if tolerance > value.abs())
    }
}

/// The key a blank's text gives: `None` when the text is not numeric at all (then it is
/// a text blank), `Some(Err)` when it is meant as a number but cannot be one (`3..x` is
/// text; `0.75 ± abc`, `5..3` and `1,000` are errors).
pub(super) fn parse_key(text: &str) -> Option<Result<NumberKey, BadNumber>> {
    let text = text.trim();
    for sep in ["±", "+-"] {
        if let Some((value, tolerance)) = text.split_once(sep) {
            let value = author_number(value)?;
            let Some(tolerance) = author_number(tolerance).and_then(Result::ok) else {
                return Some(Err(BadNumber(format!(
                    "the tolerance after `{sep}` in `{text}` is not a number; write it as `0.75 {sep} 0.01`"
                ))));
            };
            return Some(value.and_then(|value| {
                if tolerance < 0.0 {
                    Err(BadNumber(format!("the tolerance of `{text}` is negative")))
                } else {
                    Ok(NumberKey::Within { value, tolerance })
                }
            }));
        }
    }
    if let Some((low, high)) = text.split_once("..") {
        // A range only when both ends are numbers: `a..b` stays text.
        let (low, high) = (author_number(low)?, author_number(high)?);
        return Some(low.and_then(|low| {
            let high = high?;
            if low > high {
                Err(BadNumber(format!(
                    "the range `{text}` ends below where it starts; write the lower end first"
                )))
            } else {
                Ok(NumberKey::Range { low, high })
            }
        }));
    }
    author_number(text).map(|n| n.map(NumberKey::Exact))
}

/// One number as an author writes it in a key: `None` when it does not look like a
/// number, an error when it looks like one but is ambiguous (digit grouping).
fn author_number(text: &str) -> Option<Result<f64, BadNumber>> {
    let text = text.trim();
    if !looks_numeric(text) {
        return None;
    }
    Some(parse_number(text).map_err(|why| BadNumber(format!("`{text}` {why}"))))
}

/// Whether `text` is made of what numbers are made of, with at least one digit: the
/// test for "the author meant a number".
fn looks_numeric(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    body.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
        && body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | 'e' | 'E' | '+' | '-'))
}

/// The learner's number: spaces around and a leading `+` allowed, a decimal comma or
/// point, an exponent. The error says why not, to show the learner.
pub(super) fn parse_number(text: &str) -> Result<f64, &'static str> {
    let text = text.trim();
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    let commas = unsigned.matches(',').count();
    if commas > 1 || (commas == 1 && unsigned.contains('.')) || grouped(unsigned) {
        return Err(
            "has digit grouping; write the number without separators, e.g. `1000` or `0.75`",
        );
    }
    let plain = unsigned.replace(',', ".");
    let ok = plain
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && plain.chars().any(|c| c.is_ascii_digit());
    match plain.parse::<f64>() {
        Ok(x) if ok && x.is_finite() => Ok(x),
        _ => Err("is not a number"),
    }
}

/// `1,000`: a comma after one to three digits that do not start with 0, followed by
/// exactly three digits, reads as a thousands separator as much as a decimal comma.
fn grouped(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let Some((int, frac)) = digits.split_once(',') else {
        return false;
    };
    (1..=3).contains(&int.len())
        && !int.starts_with('0')
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.len() == 3
        && frac.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> NumberKey {
        match parse_key(text) {
            Some(Ok(k)) => k,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn a_number_key_is_exact_within_a_tolerance_or_a_range() {
        assert_eq!(key("42"), NumberKey::Exact(42.0));
        assert_eq!(
            key(" 0.75 ± 0.01 "),
            NumberKey::Within {
                value: 0.75,
                tolerance: 0.01
            }
        );
        assert_eq!(
            key("0.75 +- 0.01"),
            NumberKey::Within {
                value: 0.75,
                tolerance: 0.01
            }
        );
        assert_eq!(
            key("3..5"),
            NumberKey::Range {
                low: 3.0,
                high: 5.0
            }
        );
        assert_eq!(key("-2.5e3"), NumberKey::Exact(-2500.0));
    }

    #[test]
    fn text_that_is_not_numeric_is_not_a_number_key() {
        for text in ["Paris", "a..b", "3..x", "x..3", "v1", "", "e5", "."] {
            assert_eq!(parse_key(text), None, "{text}");
        }
    }

    #[test]
    fn numbers_meant_as_keys_that_cannot_be_are_errors() {
        for text in ["0.75 ± abc", "5..3", "1,000", "0.5 ± -1", "1.2.3"] {
            assert!(matches!(parse_key(text), Some(Err(_))), "{text}");
        }
    }

    #[test]
    fn the_learner_may_write_a_comma_an_exponent_spaces_and_a_plus() {
        for text in ["0.75", "0,75", "7.5e-1", "  0.75 ", "+0.75", ".75", "75E-2"] {
            assert_eq!(parse_number(text), Ok(0.75), "{text}");
        }
    }

    #[test]
    fn digit_grouping_and_words_are_not_numbers() {
        for text in [
            "1,000", "1 000", "1,000.5", "1.000,5", "12,345", "inf", "NaN", "", "3 apples", "0x10",
        ] {
            assert!(parse_number(text).is_err(), "{text}");
        }
        assert_eq!(
            parse_number("0,750"),
            Ok(0.75),
            "a leading 0 is never grouping"
        );
        assert_eq!(parse_number("1,5"), Ok(1.5));
    }

    #[test]
    fn tolerance_and_range_ends_are_inclusive_despite_binary_rounding() {
        let k = key("0.75 ± 0.01");
        assert!(k.accepts(0.74) && k.accepts(0.76) && k.accepts(0.75));
        assert!(!k.accepts(0.7399) && !k.accepts(0.7601));
        let r = key("3..5");
        assert!(r.accepts(3.0) && r.accepts(5.0) && r.accepts(4.2));
        assert!(!r.accepts(2.999) && !r.accepts(5.001));
        let e = key("42");
        assert!(e.accepts(42.0) && !e.accepts(42.001) && !e.accepts(41.999));
    }

    #[test]
    fn a_tolerance_larger_than_the_value_is_noticed() {
        assert!(key("0.5 ± 1").tolerance_exceeds_value());
        assert!(!key("0.75 ± 0.01").tolerance_exceeds_value());
        assert!(!key("3..5").tolerance_exceeds_value());
    }
}
