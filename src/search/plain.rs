//! Text as the reader sees it, for the index and so for snippets: TeX as the symbols it
//! draws (`$\sqrt{d_k}$` → `√dk`, `-\infty` → `-∞`), Markdown (a quiz prompt's) without
//! its markup. Approximate on purpose: a snippet must read well, and the words a reader
//! sees (`softmax` in `\text{softmax}`) must be found; the layout of a formula is lost.

use pulldown_cmark::{Event, Parser};

/// A TeX formula as text: commands for symbols as the symbols, commands that only style
/// (`\mathbf`, `\text`, `\left`) dropped with their braces, `\frac{a}{b}` as `a/b`,
/// sub- and superscript marks dropped, other commands as their names (`\exp` → `exp`).
pub(super) fn tex_text(tex: &str) -> String {
    let mut out = String::with_capacity(tex.len());
    let mut chars = tex.chars().peekable();
    // An accent's combining mark, waiting for the first character its argument shows.
    let mut accent: Option<char> = None;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek().filter(|n| n.is_ascii_alphabetic()) {
                    name.push(n);
                    chars.next();
                }
                if name.is_empty() {
                    // `\,` `\;` `\\` `\{`: a space, or the escaped character.
                    match chars.next() {
                        Some(e @ ('{' | '}' | '%' | '$' | '&' | '#' | '_')) => {
                            shown(&mut out, &mut accent, e.encode_utf8(&mut [0; 4]));
                        }
                        _ => out.push(' '),
                    }
                } else if let Some(mark) = accent_mark(&name) {
                    accent = Some(mark);
                } else {
                    shown(&mut out, &mut accent, symbol(&name));
                }
            }
            '{' | '}' | '^' | '_' => {
                if c == '}' && chars.peek() == Some(&'{') {
                    out.push('/');
                    chars.next();
                }
            }
            '&' | '~' => out.push(' '),
            other => shown(&mut out, &mut accent, other.encode_utf8(&mut [0; 4])),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends `text` to `out`, and the `accent` waiting, if any, once `text` shows a
/// character.
fn shown(out: &mut String, accent: &mut Option<char>, text: &str) {
    out.push_str(text);
    if text.chars().any(|c| !c.is_whitespace()) {
        out.extend(accent.take());
    }
}

/// The combining mark a TeX accent puts on the first character of its argument
/// (`\hat{y}` → `ŷ`, `\bar{x}` → `x̄`), where its name alone (`hatyt`) would read as a
/// word that is not there.
fn accent_mark(name: &str) -> Option<char> {
    Some(match name {
        "hat" | "widehat" => '\u{302}',
        "tilde" | "widetilde" => '\u{303}',
        "bar" => '\u{304}',
        "overline" => '\u{305}',
        "breve" => '\u{306}',
        "dot" => '\u{307}',
        "ddot" => '\u{308}',
        "check" => '\u{30C}',
        "acute" => '\u{301}',
        "grave" => '\u{300}',
        "vec" => '\u{20D7}',
        _ => return None,
    })
}

/// What a TeX command shows.
fn symbol(name: &str) -> &str {
    match name {
        "mathbf" | "mathrm" | "mathit" | "mathcal" | "mathbb" | "boldsymbol" | "text"
        | "textbf" | "textit" | "operatorname" | "left" | "right" | "displaystyle" | "big"
        | "Big" | "bigl" | "bigr" | "frac" | "dfrac" | "tfrac" | "limits" => "",
        "quad" | "qquad" => " ",
        "sqrt" => "√",
        "infty" => "∞",
        "cdot" => "·",
        "times" => "×",
        "top" => "ᵀ",
        "le" | "leq" => "≤",
        "ge" | "geq" => "≥",
        "neq" | "ne" => "≠",
        "approx" => "≈",
        "sum" => "∑",
        "prod" => "∏",
        "in" => "∈",
        "to" | "rightarrow" => "→",
        "leftarrow" | "gets" => "←",
        "ldots" | "cdots" | "dots" => "…",
        "pm" => "±",
        "partial" => "∂",
        "nabla" => "∇",
        "odot" => "⊙",
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" | "varepsilon" => "ε",
        "eta" => "η",
        "theta" => "θ",
        "lambda" => "λ",
        "mu" => "μ",
        "pi" => "π",
        "sigma" => "σ",
        "tau" => "τ",
        "phi" | "varphi" => "φ",
        "omega" => "ω",
        "Sigma" => "Σ",
        "Delta" => "Δ",
        other => other,
    }
}

/// Markdown as the reader sees it: text, code and (as [`tex_text`]) math, markup gone.
pub(super) fn markdown_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, crate::render::parser_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::InlineMath(t) | Event::DisplayMath(t) => out.push_str(&tex_text(&t)),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_reads_as_the_symbols_it_draws() {
        assert_eq!(tex_text(r"\sqrt{d_k}"), "√dk");
        assert_eq!(tex_text(r"-\infty"), "-∞");
        assert_eq!(
            tex_text(r"\text{softmax}\left(\frac{\mathbf{Q} \mathbf{K}^{\top}}{\sqrt{d_k}}\right)"),
            "softmax(Q Kᵀ/√dk)"
        );
        assert_eq!(tex_text(r"\alpha_{ij} \cdot \exp(x)"), "αij · exp(x)");
        assert_eq!(tex_text(r"a\,b \{c\}"), "a b {c}");
    }

    #[test]
    fn a_tex_accent_marks_the_character_it_sits_on_instead_of_reading_as_a_word() {
        assert_eq!(
            tex_text(r"\hat{\mathbf{y}}_t = \text{softmax}(\mathbf{W}_{hy} \mathbf{h}_t)"),
            "y\u{302}t = softmax(Why ht)"
        );
        assert_eq!(
            tex_text(r"\bar{x} + \vec{v} + \hat{\alpha}"),
            "x\u{304} + v\u{20D7} + α\u{302}"
        );
        assert_eq!(
            tex_text(r"\tilde{ } x"),
            "x\u{303}",
            "a mark waits for a visible character"
        );
        assert_eq!(
            tex_text(r"\hat{}"),
            "",
            "a mark with nothing to sit on is dropped"
        );
    }

    #[test]
    fn a_markdown_prompt_reads_without_its_markup() {
        assert_eq!(
            markdown_text("Why divide by $\\sqrt{d_k}$ in **scaled** `dot` attention?"),
            "Why divide by √dk in scaled dot attention?"
        );
    }
}
