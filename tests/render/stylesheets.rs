//! The committed highlight stylesheets are exactly what the core generates, and every
//! colour they paint code with meets WCAG 2.1 AA (4.5:1) against the background behind it.

use std::path::Path;

use lectern::render::{highlight_css, Theme};

use super::check_snapshot;

#[test]
fn committed_highlight_stylesheets_match_the_generated_ones() {
    let css = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui").join("css");
    check_snapshot(
        &css.join("highlight-light.css"),
        &highlight_css(Theme::Light),
    );
    check_snapshot(&css.join("highlight-dark.css"), &highlight_css(Theme::Dark));
}

/// WCAG 2.1 AA for normal-size text: highlighted code is body-size, so the large-text
/// allowance (3:1) never applies.
const AA_NORMAL_TEXT: f64 = 4.5;

#[test]
fn every_highlight_colour_meets_wcag_aa_in_both_themes() {
    for theme in [Theme::Light, Theme::Dark] {
        let report = contrast_report(&highlight_css(theme));
        assert!(
            report.failures.is_empty(),
            "{theme:?} highlight colours below {AA_NORMAL_TEXT}:1:\n{}",
            report.failures.join("\n")
        );
        // Both scopes (forced theme and system preference) were measured, not zero rules.
        assert_eq!(report.scopes, 2, "{theme:?}: {report:?}");
        assert!(report.pairs > 20, "{theme:?}: {report:?}");
        eprintln!(
            "{theme:?}: {} colour pairs, lowest {:.2}:1 ({})",
            report.pairs, report.lowest.0, report.lowest.1
        );
    }
}

#[test]
fn the_contrast_check_fails_the_themes_shipped_before_issue_9() {
    // syntect's InspiredGitHub and base16-ocean.dark, which axe-core flagged: comments
    // #969896 on #ffffff (2.9:1) and variables #bf616a on #2b303b (3.2:1).
    use syntect::highlighting::ThemeSet;
    use syntect::html::{css_for_theme_with_class_style, ClassStyle};
    let themes = ThemeSet::load_defaults();
    for (name, selector, culprit) in [
        (
            "InspiredGitHub",
            ".hl-comment",
            "{color: #969896} on #ffffff: 2.91:1",
        ),
        (
            "base16-ocean.dark",
            ".hl-variable",
            "{color: #bf616a} on #2b303b: 3.23:1",
        ),
    ] {
        let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
        let css = css_for_theme_with_class_style(&themes.themes[name], style).unwrap();
        let report = contrast_report(&css);
        assert!(
            report
                .failures
                .iter()
                .any(|f| f.starts_with(selector) && f.ends_with(culprit)),
            "{name}: {:#?}",
            report.failures
        );
    }
}

#[test]
fn a_stylesheet_that_leaves_the_code_background_to_others_fails() {
    let report = contrast_report(".hl-code { color: #000000; }\n.hl-comment { color: #767676; }\n");
    assert!(
        report
            .failures
            .first()
            .is_some_and(|f| f.contains("sets no background-color")),
        "{report:?}"
    );
}

/// The failing lines of a small stylesheet, shortened to selector, colour and ratio.
fn failures(css: &str) -> Vec<String> {
    contrast_report(css).failures
}

#[test]
fn translucent_colours_are_composited_before_measuring() {
    // Black at 50% (0x80) over white shows as #7f7f7f: 4.00:1, although black is 21:1.
    let css =
        ".hl-code { color: #000000; background-color: #ffffff; }\n.hl-a { color: #00000080; }\n";
    assert_eq!(
        failures(css),
        [".hl-a {color: #00000080} on #ffffff: 4.00:1"]
    );
    // A translucent token background is composited over the code background: #595959 is
    // 7:1 on white but 1.75:1 on the grey that half-black over white makes.
    let css = ".hl-code { color: #000000; background-color: #ffffff; }\n.hl-b { color: #595959; background-color: #00000080; }\n";
    let found = failures(css);
    assert!(
        found.contains(&".hl-b {color: #595959} on #00000080: 1.75:1".to_owned()),
        "{found:#?}"
    );
}

#[test]
fn a_token_background_is_measured_against_every_colour_that_can_sit_on_it() {
    // A diff line's background holds the default text and any token inside it.
    let css = ".hl-code { color: #1f2328; background-color: #ffffff; }\n\
               .hl-keyword { color: #0550ae; }\n\
               .hl-deleted { background-color: #0a3069; }\n";
    assert_eq!(
        failures(css),
        [
            ".hl-deleted {color: #1f2328} on #0a3069: 1.23:1",
            ".hl-deleted {color: #0550ae} on #0a3069: 1.69:1",
        ]
    );
}

#[test]
fn contrast_ratio_matches_known_pairs() {
    let white = hex("#ffffff");
    let cases = [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.542),
        ("#777777", "#ffffff", 4.478),
        ("#969896", "#ffffff", 2.905),
        ("#0086b3", "#ffffff", 4.149),
        ("#bf616a", "#2b303b", 3.231),
    ];
    for (fg, bg, expected) in cases {
        let ratio = contrast_ratio(hex(fg), hex(bg));
        assert!((ratio - expected).abs() < 0.0005, "{fg} on {bg}: {ratio}");
        // Symmetric: which of the two is lighter does not matter.
        assert!((contrast_ratio(hex(bg), hex(fg)) - ratio).abs() < 1e-12);
    }
    assert!(contrast_ratio(hex("#767676"), white) >= AA_NORMAL_TEXT);
    assert!(contrast_ratio(hex("#777777"), white) < AA_NORMAL_TEXT);
    // Shorthand and alpha forms.
    assert_eq!(hex("#fff"), white);
    assert_eq!(blend(hex("#000000ff"), white), hex("#000"));
    assert_eq!(blend(hex("#0000"), white), white);
    assert_eq!(parse_color("rgb(0, 0, 0)"), None);
}

/// An sRGB colour, channels 0–255, with alpha 0–1.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rgba {
    r: f64,
    g: f64,
    b: f64,
    a: f64,
}

/// `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`: the forms syntect writes. Anything else is
/// `None`, which the check reports rather than skips.
fn parse_color(value: &str) -> Option<Rgba> {
    let digits = value.trim().strip_prefix('#')?;
    if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let nibble = |i: usize| u8::from_str_radix(&digits[i..=i], 16).ok().map(|n| n * 17);
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    let [r, g, b, a] = match digits.len() {
        3 => [nibble(0)?, nibble(1)?, nibble(2)?, 255],
        4 => [nibble(0)?, nibble(1)?, nibble(2)?, nibble(3)?],
        6 => [byte(0)?, byte(2)?, byte(4)?, 255],
        8 => [byte(0)?, byte(2)?, byte(4)?, byte(6)?],
        _ => return None,
    };
    Some(Rgba {
        r: f64::from(r),
        g: f64::from(g),
        b: f64::from(b),
        a: f64::from(a) / 255.0,
    })
}

fn hex(value: &str) -> Rgba {
    parse_color(value).unwrap_or_else(|| panic!("not a colour: {value}"))
}

/// `top` composited over the opaque `under` (source-over, in sRGB as browsers do).
fn blend(top: Rgba, under: Rgba) -> Rgba {
    let mix = |t: f64, u: f64| t * top.a + u * (1.0 - top.a);
    Rgba {
        r: mix(top.r, under.r),
        g: mix(top.g, under.g),
        b: mix(top.b, under.b),
        a: 1.0,
    }
}

/// Relative luminance, WCAG 2.1 definition.
fn luminance(c: Rgba) -> f64 {
    let channel = |v: f64| {
        let s = v / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// WCAG 2.1 contrast ratio of two opaque colours, from 1 to 21.
fn contrast_ratio(a: Rgba, b: Rgba) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// One style rule of a stylesheet: the `@media` it sits in, its selectors and declarations.
#[derive(Debug)]
struct Rule {
    media: String,
    selectors: Vec<String>,
    declarations: Vec<(String, String)>,
}

impl Rule {
    fn get(&self, property: &str) -> Option<&str> {
        self.declarations
            .iter()
            .rev()
            .find(|(p, _)| p == property)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the flat or `@media`-nested rules of a generated stylesheet. It knows only what
/// `highlight_css` writes (no strings or escapes containing braces), and panics on
/// anything it does not understand rather than guessing.
fn parse_rules(css: &str) -> Vec<Rule> {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("unterminated comment");
        rest = &rest[start + end + 2..];
    }
    text.push_str(rest);

    let mut rules = Vec::new();
    let mut media: Vec<String> = Vec::new();
    let mut rest = text.as_str();
    loop {
        let open = rest.find('{');
        let close = rest.find('}');
        if let Some(o) = open.filter(|&o| close.is_none_or(|c| o < c)) {
            {
                let prelude = rest[..o].trim();
                if prelude.starts_with('@') {
                    assert!(
                        prelude.starts_with("@media "),
                        "unexpected at-rule {prelude}"
                    );
                    media.push(prelude.to_owned());
                    rest = &rest[o + 1..];
                } else {
                    let end = o + rest[o..].find('}').expect("unclosed rule");
                    let body = &rest[o + 1..end];
                    assert!(!body.contains('{'), "nested block in {prelude}");
                    rules.push(Rule {
                        media: media.join(" "),
                        selectors: prelude.split(',').map(|s| s.trim().to_owned()).collect(),
                        declarations: body
                            .split(';')
                            .filter(|d| !d.trim().is_empty())
                            .map(|d| {
                                let (p, v) = d.split_once(':').expect("declaration without ':'");
                                (p.trim().to_ascii_lowercase(), v.trim().to_owned())
                            })
                            .collect(),
                    });
                    rest = &rest[end + 1..];
                }
            }
        } else if let Some(c) = close {
            assert!(rest[..c].trim().is_empty(), "stray text before }}");
            assert!(media.pop().is_some(), "unbalanced }}");
            rest = &rest[c + 1..];
        } else {
            assert!(rest.trim().is_empty(), "stray text at the end: {rest}");
            assert!(media.is_empty(), "unclosed @media");
            return rules;
        }
    }
}

/// What [`contrast_report`] found.
#[derive(Debug)]
struct Report {
    /// One line per pair below [`AA_NORMAL_TEXT`]: selector, colours and ratio.
    failures: Vec<String>,
    /// How many theme scopes (`@media` and `:root` prefix) had a code background.
    scopes: usize,
    /// How many foreground/background pairs were measured.
    pairs: usize,
    /// The lowest ratio measured, and the rule it belongs to.
    lowest: (f64, String),
}

/// Measures every foreground colour of a highlight stylesheet against the background it is
/// painted on.
///
/// Rules are grouped by scope: their `@media` and the part of the selector before the
/// first `.hl-` class (`:root[data-theme="dark"]`). In each scope the block's own rule,
/// `… .hl-code`, must set an opaque `background-color` (the stylesheet guarantees the pairing
/// instead of trusting the page's CSS) and a `color`. Then:
/// - a rule with a `color` is measured against its own `background-color` blended over
///   the code background, or the code background if it sets none;
/// - a rule with a `background-color` (a diff line, an invalid token) can hold any
///   token of its scope, so the default text colour and every token colour of the scope
///   are measured against it.
///
/// Translucent colours are composited over what is behind them first.
fn contrast_report(css: &str) -> Report {
    let rules = parse_rules(css);
    let mut report = Report {
        failures: Vec::new(),
        scopes: 0,
        pairs: 0,
        lowest: (f64::INFINITY, String::new()),
    };
    // (media, scope prefix) of every selector, in order of first appearance.
    let mut scopes: Vec<(String, String)> = Vec::new();
    for rule in &rules {
        for s in &rule.selectors {
            let scope = scope_of(s).unwrap_or_else(|| panic!("selector without .hl-: {s}"));
            if !scopes.contains(&(rule.media.clone(), scope.clone())) {
                scopes.push((rule.media.clone(), scope));
            }
        }
    }
    for (media, scope) in &scopes {
        measure_scope(&rules, media, scope, &mut report);
    }
    report
}

/// The part of a selector before its first `.hl-` class: the theme scope it belongs to.
fn scope_of(selector: &str) -> Option<String> {
    selector
        .find(".hl-")
        .map(|i| selector[..i].trim().to_owned())
}

/// Measures one scope's rules (see [`contrast_report`]) into `report`.
fn measure_scope(rules: &[Rule], media: &str, scope: &str, report: &mut Report) {
    {
        let in_scope =
            |r: &&Rule, s: &String| r.media == media && scope_of(s).as_deref() == Some(scope);
        let code_selector = format!("{scope} .hl-code").trim().to_owned();
        let code = rules
            .iter()
            .rfind(|r| r.media == media && r.selectors.contains(&code_selector));
        let where_ = if media.is_empty() {
            code_selector.clone()
        } else {
            format!("{media} {code_selector}")
        };
        let Some(code) = code else {
            report
                .failures
                .push(format!("{where_}: no rule for the code block"));
            return;
        };
        let Some(code_bg) = code.get("background-color").map(hex) else {
            report.failures.push(format!(
                "{where_} sets no background-color: the page's would decide"
            ));
            return;
        };
        if code_bg.a < 1.0 {
            report
                .failures
                .push(format!("{where_}: translucent background {code_bg:?}"));
            return;
        }
        if code.get("color").is_none() {
            report.failures.push(format!("{where_} sets no color"));
            return;
        }
        report.scopes += 1;
        let mut measure = |selector: &str, fg: &str, bg_name: &str, bg: Rgba| {
            let colour =
                parse_color(fg).unwrap_or_else(|| panic!("{selector}: unreadable colour {fg:?}"));
            let ratio = contrast_ratio(blend(colour, bg), bg);
            report.pairs += 1;
            let line = format!("{selector} {{color: {fg}}} on {bg_name}: {ratio:.2}:1");
            if ratio < report.lowest.0 {
                report.lowest = (ratio, line.clone());
            }
            if ratio < AA_NORMAL_TEXT {
                report.failures.push(line);
            }
        };
        let mut colours: Vec<&str> = Vec::new();
        for rule in rules
            .iter()
            .filter(|r| r.selectors.iter().any(|s| in_scope(r, s)))
        {
            if let Some(c) = rule.get("color").filter(|c| !colours.contains(c)) {
                colours.push(c);
            }
        }
        for rule in rules
            .iter()
            .filter(|r| r.selectors.iter().any(|s| in_scope(r, s)))
        {
            let selector = rule.selectors.join(", ");
            let own_bg = rule.get("background-color");
            let bg = own_bg.map_or(code_bg, |b| blend(hex(b), code_bg));
            let bg_name = own_bg.unwrap_or(code.get("background-color").unwrap_or_default());
            if let Some(fg) = rule.get("color") {
                measure(&selector, fg, bg_name, bg);
            }
            if own_bg.is_some() && !std::ptr::eq(rule, code) {
                for fg in colours
                    .iter()
                    .copied()
                    .filter(|c| Some(*c) != rule.get("color"))
                {
                    measure(&selector, fg, bg_name, bg);
                }
            }
        }
    }
}
