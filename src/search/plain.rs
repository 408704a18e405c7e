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
                        Some(e @ ('{' | '}' | '%' | '$' | '&' | '#' | '_')) => out.push(e),
                        _ => out.push(' '),
                    }
                } else {
                    out.push_str(symbol(&name));
                }
            }
            '{' | '}' | '^' | '_' => {
                if c == '}' && chars.peek() == Some(&'{') {
                    out.push('/');
                    chars.next();
                }
            }
            '&' | '~' => out.push(' '),
            other => out.push(other),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
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
    fn a_markdown_prompt_reads_without_its_markup() {
        assert_eq!(
            markdown_text("Why divide by $\\sqrt{d_k}$ in **scaled** `dot` attention?"),
            "Why divide by √dk in scaled dot attention?"
        );
    }
}
