//! Math: `$…$` and `$$…$$` into MathML, in Rust, with no JavaScript and no network.
//!
//! math-core does the conversion. Its output is run through a MathML-only sanitizer
//! before use, because some LaTeX commands produce markup Lectern does not allow
//! (`\href{…}` produces a link, sizes produce `style` attributes).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

use super::escape_html;
use super::sanitize;

/// Formulas longer than this are refused: math-core's parser recurses, and no real
/// formula in a lesson comes near this size.
const MAX_FORMULA_BYTES: usize = 2048;
/// Formulas nested deeper than this (braces, `\frac`, `\sqrt`, scripts) are refused,
/// for the same reason.
const MAX_FORMULA_DEPTH: usize = 48;
const CACHE_MAX_ENTRIES: usize = 4096;

static CONVERTER: LazyLock<Option<LatexToMathML>> =
    LazyLock::new(|| LatexToMathML::new(MathCoreConfig::default()).ok());

/// A formula that could not be converted: where in the formula, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MathError {
    /// Byte offset in the formula's source.
    pub(crate) offset: usize,
    pub(crate) message: String,
}

/// The converted formulas of one renderer, keyed by display mode and source.
#[derive(Debug, Default)]
pub(crate) struct MathCache {
    map: Mutex<HashMap<MathKey, Result<Arc<str>, MathError>>>,
}

/// Display mode (block or not) and source of a formula.
type MathKey = (bool, Box<str>);

impl MathCache {
    /// The sanitized MathML of `latex`, or why it could not be made.
    pub(crate) fn convert(&self, latex: &str, display: MathDisplay) -> Result<Arc<str>, MathError> {
        // math-core's `MathDisplay` is not `Hash`: the key keeps whether it is a block.
        let key = (display == MathDisplay::Block, Box::<str>::from(latex));
        if let Ok(map) = self.map.lock() {
            if let Some(hit) = map.get(&key) {
                return hit.clone();
            }
        }
        let result = convert_uncached(latex, display).map(Arc::<str>::from);
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= CACHE_MAX_ENTRIES {
                map.clear();
            }
            map.insert(key, result.clone());
        }
        result
    }
}

/// Estimates how deeply a formula nests, without parsing it.
fn depth_estimate(latex: &str) -> usize {
    let (mut depth, mut max, mut run) = (0usize, 0usize, 0usize);
    let mut chars = latex.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                depth += 1;
                run = 0;
            }
            '}' => depth = depth.saturating_sub(1),
            // Commands and scripts nest without braces (`\frac\frac…`, `a^^^`): count runs
            // of them with nothing else between.
            '\\' | '^' | '_' => {
                run += 1;
                if c == '\\' {
                    while chars.peek().is_some_and(|n| n.is_ascii_alphabetic()) {
                        chars.next();
                    }
                }
            }
            c if c.is_whitespace() => {}
            _ => run = 0,
        }
        max = max.max(depth + run);
    }
    max
}

fn convert_uncached(latex: &str, display: MathDisplay) -> Result<String, MathError> {
    if latex.len() > MAX_FORMULA_BYTES {
        return Err(MathError {
            offset: 0,
            message: format!(
                "formula is {} bytes, over the {MAX_FORMULA_BYTES}-byte limit; split it",
                latex.len()
            ),
        });
    }
    if depth_estimate(latex) > MAX_FORMULA_DEPTH {
        return Err(MathError {
            offset: 0,
            message: format!(
                "formula nests more than {MAX_FORMULA_DEPTH} levels deep; simplify it"
            ),
        });
    }
    let Some(converter) = CONVERTER.as_ref() else {
        return Err(MathError {
            offset: 0,
            message: "the math converter could not start".to_owned(),
        });
    };
    match converter.convert_with_local_state(latex, display) {
        Ok(result) => Ok(sanitize::clean_mathml(&result.mathml)),
        Err(e) => Err(MathError {
            offset: e.0.start,
            message: tidy(&e.error_message()),
        }),
    }
}

/// math-core's message in the house style: lowercase start, no trailing period.
fn tidy(message: &str) -> String {
    let m = message.trim().trim_end_matches('.');
    let mut chars = m.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid formula".to_owned(),
    }
}

/// The markup shown in place of a formula that could not be converted: its source,
/// escaped, marked as an error, with the reason as a tooltip.
pub(crate) fn error_html(latex: &str, display: MathDisplay, message: &str) -> String {
    let delim = delimiter(display);
    format!(
        "<span class=\"math-error\" title=\"{}\">{delim}{}{delim}</span>",
        escape_html(message),
        escape_html(latex)
    )
}

/// The delimiter a formula of this display mode is written between: `$$` or `$`.
pub(crate) fn delimiter(display: MathDisplay) -> &'static str {
    match display {
        MathDisplay::Block => "$$",
        MathDisplay::Inline => "$",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_display_formulas_become_mathml() {
        let cache = MathCache::default();
        let inline = cache.convert("x^2", MathDisplay::Inline).unwrap();
        assert!(inline.starts_with("<math"), "{inline}");
        assert!(inline.contains("<msup>"), "{inline}");
        let block = cache.convert(r"\frac{a}{b}", MathDisplay::Block).unwrap();
        assert!(block.contains("display=\"block\""), "{block}");
    }

    #[test]
    fn a_bad_formula_is_an_error_with_a_message() {
        let err = MathCache::default()
            .convert(r"\frac{a", MathDisplay::Inline)
            .unwrap_err();
        assert!(!err.message.is_empty());
    }

    #[test]
    fn href_and_style_do_not_survive_conversion() {
        let cache = MathCache::default();
        if let Ok(m) = cache.convert(
            r"\href{javascript:alert(1)}{x} \Huge y",
            MathDisplay::Inline,
        ) {
            assert!(!m.contains("javascript"), "{m}");
            assert!(!m.contains("style="), "{m}");
            assert!(!m.contains("<a"), "{m}");
        }
    }

    #[test]
    fn deep_and_long_formulas_are_refused_before_parsing() {
        let cache = MathCache::default();
        assert!(cache
            .convert(&"\\frac".repeat(300), MathDisplay::Inline)
            .is_err());
        assert!(cache
            .convert(&"{".repeat(100), MathDisplay::Inline)
            .is_err());
        assert!(cache
            .convert(&"x+".repeat(2000), MathDisplay::Inline)
            .is_err());
        assert!(cache
            .convert(r"\sqrt{\frac{a^{2}}{b_{1}}}", MathDisplay::Inline)
            .is_ok());
    }
}
