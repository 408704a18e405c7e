//! What is wrong, or probably unwise, in a written question: errors that drop the
//! question from the quiz and authoring warnings that leave it in.
//!
//! Kept apart from parsing so that the rules, and their wording, are in one place.

use super::blank::{self, BadBlank, BlankKey};
use super::normalize;
use super::number::BadNumber;
use super::parse::{RawQuestion, FEEDBACK_PREFIX};

/// One problem; `offset` (in the section) is the option's when it concerns one option,
/// `None` for the question's own position.
pub(super) struct Finding {
    pub(super) offset: Option<usize>,
    pub(super) code: &'static str,
    pub(super) message: String,
}

fn finding(offset: Option<usize>, code: &'static str, message: String) -> Finding {
    Finding {
        offset,
        code,
        message,
    }
}

/// Problems that make the question unusable: it is left out of the quiz.
pub(super) fn errors(q: &RawQuestion) -> Vec<Finding> {
    let mut out = Vec::new();
    let prompt = short(&q.prompt_md);
    if q.prompt_md.trim().is_empty() {
        out.push(finding(
            None,
            "quiz-empty-prompt",
            "question has no prompt; write the question on the numbered line, e.g. `1. What does BERT predict?`".to_owned(),
        ));
    }
    if !q.blanks.is_empty() {
        out.extend(blank_errors(q));
        return out;
    }
    match q.options.len() {
        0 if q.options_underindented => out.push(finding(
            None,
            "quiz-no-options",
            format!("question `{prompt}` has no options indented under it: its bullet list starts left of the question's text, so it is not part of the question; indent the options to line up with the text after the number (`10. ` needs four spaces)"),
        )),
        0 if q.numbered_options => out.push(finding(
            None,
            "quiz-no-options",
            format!("question `{prompt}` has its options in a numbered list; write them as a bullet list (`- option`) indented under the question"),
        )),
        0 => out.push(finding(
            None,
            "quiz-no-options",
            format!("question `{prompt}` has no options; add a bullet list (`- option`) indented under it, the correct option first or marked `[x]`"),
        )),
        1 => out.push(finding(
            None,
            "quiz-one-option",
            format!(
                "question `{prompt}` has only one option (`{}`); add at least one wrong option",
                short(&q.options[0].md)
            ),
        )),
        _ => {}
    }
    for option in &q.options {
        if option.md.trim().is_empty() {
            out.push(finding(
                Some(option.offset),
                "quiz-empty-option",
                format!("an option of question `{prompt}` has no text; write the option after the bullet or remove the line"),
            ));
        }
    }
    let any_marked = q.options.iter().any(|o| o.marker.is_some());
    if any_marked && !q.options.iter().any(|o| o.marker == Some(true)) {
        out.push(finding(
            None,
            "quiz-no-correct",
            format!("question `{prompt}` has no option marked `[x]`; mark the correct option(s) `[x]`, or remove every marker so that the first option is the correct one"),
        ));
    }
    out
}

/// A typed question's errors: options beside its blanks, blanks that cannot be graded.
fn blank_errors(q: &RawQuestion) -> Vec<Finding> {
    let prompt = short(&q.prompt_md);
    let mut out = Vec::new();
    if let Some(first) = q.options.first() {
        out.push(finding(
            Some(first.offset),
            "quiz-blanks-and-options",
            format!("question `{prompt}` has blanks (`[[…]]`) and options; a question is typed or multiple choice: remove the options, or write the blank's text without `[[ ]]`"),
        ));
    }
    for b in &q.blanks {
        let (code, why) = match blank::key(&b.inner) {
            Ok(_) => continue,
            Err(BadBlank::Empty) => (
                "quiz-blank-empty",
                "has no answer; write the answer between the brackets, e.g. `[[Paris]]`".to_owned(),
            ),
            Err(BadBlank::EmptyAlternative) => (
                "quiz-blank-empty-alternative",
                "has an empty alternative; write an answer on each side of every `|`".to_owned(),
            ),
            Err(BadBlank::Number(BadNumber(why))) => (
                "quiz-blank-number",
                format!("is not a number Lectern can grade: {why}"),
            ),
        };
        out.push(finding(
            None,
            code,
            format!("the blank `[[{}]]` of question `{prompt}` {why}", b.inner),
        ));
    }
    out
}

/// A typed question's warnings: a tolerance larger than its value, feedback written
/// for an option the question does not have.
fn blank_warnings(q: &RawQuestion) -> Vec<Finding> {
    let prompt = short(&q.prompt_md);
    let mut out = Vec::new();
    for b in &q.blanks {
        if let Ok(BlankKey::Number(key)) = blank::key(&b.inner) {
            if key.tolerance_exceeds_value() {
                out.push(finding(
                    None,
                    "quiz-blank-tolerance",
                    format!("the blank `[[{}]]` of question `{prompt}` has a tolerance larger than its value, so it accepts numbers of the other sign; check the tolerance", b.inner),
                ));
            }
        }
    }
    if q.explanation_md
        .as_deref()
        .is_some_and(|e| e.starts_with(FEEDBACK_PREFIX))
    {
        out.push(finding(
            None,
            "quiz-feedback-typed",
            format!("question `{prompt}` is typed, so it has no options for `If chosen:` feedback; this blockquote is shown as the explanation: remove `If chosen:`"),
        ));
    }
    out
}

/// Problems in what the learner would see: a prompt or option whose Markdown is not
/// empty but renders to nothing visible (an HTML comment, `<span></span>`, `&nbsp;`, a
/// zero-width space). Errors: such a question cannot be answered.
pub(super) fn empty_when_rendered(q: &RawQuestion) -> Vec<Finding> {
    let mut out = Vec::new();
    let prompt = short(&q.prompt_md);
    if !q.prompt_md.trim().is_empty() && renders_invisible(&q.prompt_md) {
        out.push(finding(
            None,
            "quiz-empty-prompt",
            format!("the prompt `{prompt}` shows nothing once rendered (only markup, spaces or invisible characters); write the question as text"),
        ));
    }
    for option in &q.options {
        if !option.md.trim().is_empty() && renders_invisible(&option.md) {
            out.push(finding(
                Some(option.offset),
                "quiz-empty-option",
                format!("the option `{}` of question `{prompt}` shows nothing once rendered (only markup, spaces or invisible characters); write it as text", short(&option.md)),
            ));
        }
    }
    out
}

/// Whether Markdown `md` shows nothing once rendered. Rendered only when its first
/// character is not an ASCII letter (most prompts and options are not rendered): such a
/// letter starts a paragraph (no block construct begins with one), and that paragraph's
/// text with it (every inline construct that hides text — raw HTML, an entity, a link,
/// an image, math — begins with another character); a refused render shows a message.
fn renders_invisible(md: &str) -> bool {
    if md.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    invisible(&crate::render::inline_html(md))
}

/// Whether sanitized HTML shows nothing: no image or formula, and no text but white
/// space and invisible characters once tags are removed and entities decoded.
pub(super) fn invisible(html: &str) -> bool {
    if html.contains("<img") || html.contains("<math") {
        return false;
    }
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode_entities(&text).chars().all(|c| {
        c.is_whitespace()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}' | '\u{034f}' | '\u{180e}')
    })
}

/// Decodes the entities the sanitizer writes (`&amp;`, `&nbsp;`, numeric ones).
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..semi];
        let decoded = match name {
            "nbsp" => Some('\u{a0}'),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "zwj" => Some('\u{200d}'),
            "zwnj" => Some('\u{200c}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Authoring lints: the question works, but may teach or test badly.
pub(super) fn warnings(q: &RawQuestion) -> Vec<Finding> {
    let mut out = structure_warnings(q);
    out.extend(blank_warnings(q));
    if let Some(word) = negative_word(&q.prompt_md) {
        out.push(finding(
            None,
            "quiz-negative-prompt",
            format!(
                "question `{}` is phrased negatively (`{word}`), which tests reading more than knowing; ask for the right answer instead, or make it a choose-all-that-apply question",
                short(&q.prompt_md)
            ),
        ));
    }
    for option in &q.options {
        match above_kind(&option.md) {
            Some(Above::All) => out.push(finding(
                Some(option.offset),
                "quiz-all-of-the-above",
                format!(
                    "option `{}` stops making sense once options are shuffled (every attempt shuffles them); mark each right option `[x]` to make a choose-all-that-apply question",
                    short(&option.md)
                ),
            )),
            Some(Above::None) => out.push(finding(
                Some(option.offset),
                "quiz-none-of-the-above",
                format!(
                    "option `{}` stops making sense once options are shuffled (every attempt shuffles them); replace it with a concrete wrong answer",
                    short(&option.md)
                ),
            )),
            None => {}
        }
    }
    for (what, text) in [
        ("prompt", Some(&q.prompt_md)),
        ("explanation", q.explanation_md.as_ref()),
    ] {
        if let Some(phrase) = text.and_then(|t| positional_reference(t)) {
            out.push(finding(
                None,
                "quiz-option-position",
                format!(
                    "the {what} of question `{}` says `{phrase}`, but options are shuffled on every attempt; name the option by its content instead",
                    short(&q.prompt_md)
                ),
            ));
        }
    }
    // Each option's text → the number of its first appearance: one lookup per option,
    // so 40,000 identical options cost 40,000 steps.
    let mut first_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let prompt = short(&q.prompt_md);
    for option in &q.options {
        let norm = normalize(&option.md);
        if norm.is_empty() {
            continue;
        }
        let next = first_of.len() + 1;
        match first_of.get(&norm) {
            Some(first) => out.push(finding(
                Some(option.offset),
                "quiz-duplicate-option",
                format!(
                    "option `{}` repeats option {first} of question `{prompt}`; remove one or reword it",
                    short(&option.md),
                ),
            )),
            None => {
                first_of.insert(norm, next);
            }
        }
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum Above {
    All,
    None,
}

/// Whether an option refers to the others by position ("all of the above", "none of
/// these"…), which shuffling breaks.
fn above_kind(md: &str) -> Option<Above> {
    const ALL: &[&str] = &[
        "all of the above",
        "all the above",
        "all above",
        "all of these",
        "all of the options",
        "all of the answers",
        "both of the above",
        "both of these",
    ];
    const NONE: &[&str] = &[
        "none of the above",
        "none above",
        "none of these",
        "none of the options",
        "none of the answers",
        "neither of the above",
        "neither of these",
    ];
    let text = words(md).join(" ").to_lowercase();
    let starts = |phrases: &[&str]| {
        phrases.iter().any(|p| {
            text.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
    };
    if starts(ALL) {
        Some(Above::All)
    } else if starts(NONE) {
        Some(Above::None)
    } else {
        None
    }
}

/// The word that makes a prompt negative, if any: `NOT` or `EXCEPT` in capitals (the
/// classic test-writer's shout), `except` in any case, or a "which/what … not" question.
/// A lowercase `not` elsewhere ("why does GPT not see later tokens?") is fine.
fn negative_word(prompt: &str) -> Option<String> {
    let words = words(prompt);
    if let Some(w) = words.iter().find(|w| **w == "NOT" || **w == "EXCEPT") {
        return Some((*w).to_owned());
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    if let Some(w) = lower.iter().find(|w| *w == "except") {
        return Some(w.clone());
    }
    let asks_which =
        lower.iter().any(|w| w == "which") || lower.first().is_some_and(|w| w == "what");
    if asks_which {
        const NEGATIONS: &[&str] = &[
            "not", "isn't", "aren't", "doesn't", "don't", "cannot", "can't", "never", "false",
        ];
        let apostrophe = |w: &String| w.replace('\u{2019}', "'");
        return lower
            .iter()
            .map(apostrophe)
            .find(|w| NEGATIONS.contains(&w.as_str()));
    }
    None
}

/// A phrase that points at an option by its place ("the second option", "option B",
/// "answer 3"), meaningless once options are shuffled; `None` when there is none.
fn positional_reference(text: &str) -> Option<String> {
    const ORDINALS: &[&str] = &["first", "second", "third", "fourth", "fifth", "last"];
    const NOUNS: &[&str] = &[
        "option", "options", "answer", "answers", "choice", "choices",
    ];
    let lower: Vec<String> = words(text).iter().map(|w| w.to_lowercase()).collect();
    for pair in lower.windows(2) {
        let (a, b) = (pair[0].as_str(), pair[1].as_str());
        let labelled = b.len() == 1
            && (b.chars().all(|c| c.is_ascii_digit()) || matches!(b, "a" | "b" | "c" | "d"));
        if (ORDINALS.contains(&a) && NOUNS.contains(&b))
            || (matches!(a, "option" | "answer" | "choice") && labelled && b != "a")
        {
            return Some(format!("{a} {b}"));
        }
    }
    None
}

/// Words of a Markdown text: letters, digits and apostrophes; markup falls away.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// What the learner would not see as the author wrote it: a list nested in an option
/// (not shown), a blockquote that is not the one explanation after the last option.
fn structure_warnings(q: &RawQuestion) -> Vec<Finding> {
    let mut out = Vec::new();
    for &at in &q.nested_lists {
        out.push(finding(
            Some(at),
            "quiz-nested-list",
            "a list nested in an option is not shown (an option is one line of text); put its content in the option's text or in the explanation".to_owned(),
        ));
    }
    for &at in &q.misplaced_quotes {
        out.push(finding(
            Some(at),
            "quiz-explanation-place",
            "this blockquote is not after the last option, so it is not shown where it stands: a question has one explanation, a blockquote after its last option; move or merge it".to_owned(),
        ));
    }
    out
}

/// A text shortened for quoting in a message.
fn short(md: &str) -> String {
    crate::text::one_line(md, 59)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_that_starts_with_a_letter_always_renders_visible() {
        let starts_with_a_letter = [
            "a<!-- hidden -->",
            "a\n===",
            "a\n---",
            "a | b\n--- | ---",
            "a\n: definition",
            "a&nbsp;&#x200b;",
            "a<span></span>",
            "Z\u{200b}",
            "x[](http://e.org)",
            "q $\\frac{$",
            "b\n\n<!-- c -->",
            "w\n```\n```",
        ];
        for md in starts_with_a_letter {
            assert!(!invisible(&crate::render::inline_html(md)), "{md:?}");
            assert!(!renders_invisible(md), "{md:?}");
        }
        for md in [
            "<!-- a -->",
            "&nbsp;",
            "[](http://e.org)",
            "\u{200b}a\u{200b}",
        ] {
            assert_eq!(
                renders_invisible(md),
                invisible(&crate::render::inline_html(md)),
                "{md:?}"
            );
        }
        assert!(renders_invisible("<!-- a -->") && renders_invisible("&nbsp;"));
    }

    #[test]
    fn markup_spaces_and_invisible_characters_render_as_nothing() {
        for html in [
            "",
            "<span></span>",
            "&nbsp;",
            " \u{200b} ",
            "&#8203;",
            "<em>&#x200B;</em>",
        ] {
            assert!(invisible(html), "{html:?}");
        }
        for html in [
            "a",
            "<img src=\"x\" alt=\"\">",
            "<math><mi>x</mi></math>",
            "&amp;",
            "0",
        ] {
            assert!(!invisible(html), "{html:?}");
        }
    }

    fn check_negative(prompt: &str, expected: Option<&str>) {
        assert_eq!(negative_word(prompt).as_deref(), expected, "{prompt}");
    }

    #[test]
    fn negative_prompts_are_caught_without_flagging_ordinary_nots() {
        check_negative("Which of these is NOT a transformer?", Some("NOT"));
        check_negative("All of these are encoders EXCEPT:", Some("EXCEPT"));
        check_negative("All are true except one; which?", Some("except"));
        check_negative("Which of the following is not a BERT variant?", Some("not"));
        check_negative("What isn't learned during pre-training?", Some("isn't"));
        check_negative("What doesn\u{2019}t GPT use?", Some("doesn't"));
        check_negative("Why does GPT not see later tokens?", None);
        check_negative("How is a model fine-tuned if it is not pre-trained?", None);
        check_negative("What is the main pre-training objective of BERT?", None);
        check_negative("Is NOTHING masked?", None);
    }

    #[test]
    fn options_that_point_at_their_neighbours_are_caught() {
        assert_eq!(above_kind("All of the above"), Some(Above::All));
        assert_eq!(above_kind("**All of the above.**"), Some(Above::All));
        assert_eq!(above_kind("Both of these"), Some(Above::All));
        assert_eq!(above_kind("None of the above"), Some(Above::None));
        assert_eq!(above_kind("neither of these answers"), Some(Above::None));
        assert_eq!(above_kind("All attention heads"), None);
        assert_eq!(above_kind("None"), None);
        assert_eq!(above_kind("Nonetheless of the above"), None);
    }

    #[test]
    fn explanations_pointing_at_an_option_by_place_are_caught() {
        let check =
            |t: &str, e: Option<&str>| assert_eq!(positional_reference(t).as_deref(), e, "{t}");
        check(
            "The second option describes stemming.",
            Some("second option"),
        );
        check("Option B is the padding mask.", Some("option b"));
        check("Answer 3 confuses the two.", Some("answer 3"));
        check("The last choice is a distractor.", Some("last choice"));
        check("Pick an option a learner would choose.", None);
        check("The first layer sees raw tokens.", None);
        check("Stemming chops suffixes by rule.", None);
    }

    #[test]
    fn long_texts_are_shortened_in_messages() {
        assert_eq!(short("a\n  b"), "a b");
        let long = "word ".repeat(30);
        assert!(short(&long).ends_with('…'));
        assert!(short(&long).chars().count() <= 60);
    }
}
