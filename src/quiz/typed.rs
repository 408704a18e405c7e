//! Typed answers: how a learner's text is compared with the author's, and the marked
//! difference shown beside a wrong answer.
//!
//! Two rules, one per source of questions ([`TextRule`]): Lectern's blanks forgive
//! case, spaces around and repeated inside, and one final full stop, and call an answer
//! "almost" when it differs from an expected form only in accents or by one typo
//! (a letter added, dropped, changed or two swapped) in a word of five letters or more
//! — told so and shown the expected form, still not right; mdbook-quiz's short answers
//! are compared lowercased and trimmed, as mdbook-quiz does.

use serde::Serialize;

/// How typed text is compared with the expected forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextRule {
    /// Lectern's blanks: case, spaces and a final full stop ignored; "almost" exists.
    Forgiving,
    /// mdbook-quiz's `ShortAnswer`: lowercased and trimmed, nothing else.
    Trimmed,
}

/// The verdict on one typed answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// One of the expected forms.
    Right,
    /// Off by accents or one typo: shown the expected form, still not right.
    Almost,
    /// Anything else.
    Wrong,
}

/// The verdict on `given` against `expected` (the alternatives, first the one shown)
/// and the expected form to show: the nearest one for "almost", else the first.
pub(super) fn compare<'e>(
    rule: TextRule,
    given: &str,
    expected: &'e [String],
) -> (Verdict, &'e str) {
    let first = expected.first().map_or("", String::as_str);
    let canon = |s: &str| match rule {
        TextRule::Forgiving => forgiving(s),
        TextRule::Trimmed => s.trim().to_lowercase(),
    };
    let mine = canon(given);
    if expected.iter().any(|e| canon(e) == mine) {
        return (Verdict::Right, first);
    }
    if rule == TextRule::Forgiving && !mine.is_empty() {
        if let Some(near) = expected.iter().find(|e| almost(&mine, &canon(e))) {
            return (Verdict::Almost, near);
        }
    }
    (Verdict::Wrong, first)
}

/// Lowercased, trimmed, inner runs of white space made one space, one final full stop
/// dropped.
pub(super) fn forgiving(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = joined.to_lowercase();
    match lower.strip_suffix('.') {
        Some(rest) if !rest.ends_with('.') => rest.trim_end().to_owned(),
        _ => lower,
    }
}

/// Whether two canonical texts differ only in accents, or by one typo in one word of
/// five letters or more (every other word equal).
fn almost(given: &str, expected: &str) -> bool {
    if deunicode::deunicode(given) == deunicode::deunicode(expected) {
        return true;
    }
    let (g, e): (Vec<&str>, Vec<&str>) =
        (given.split(' ').collect(), expected.split(' ').collect());
    if g.len() != e.len() {
        return false;
    }
    let differing: Vec<(&str, &str)> = g.into_iter().zip(e).filter(|(a, b)| a != b).collect();
    matches!(differing.as_slice(), [(a, b)]
        if b.chars().count() >= 5 && strsim::osa_distance(a, b) == 1)
}

/// One run of the marked difference between the learner's text and the expected one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// The characters of the run.
    pub text: String,
    /// Where they are.
    pub op: Op,
}

/// Whether a run is in both texts, only the learner's or only the expected one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    /// In both (compared ignoring case).
    Same,
    /// Typed but not expected: struck out in the learner's line.
    Extra,
    /// Expected but not typed: marked in the expected line.
    Missing,
}

/// Above this many character pairs the difference is not computed (it is quadratic):
/// the whole answer is marked extra and the whole key missing.
const MAX_DIFF_CELLS: usize = 250_000;

/// The difference between `given` and `expected` (both trimmed), as Anki marks a typed
/// answer: a longest common subsequence of characters, compared ignoring case.
pub(super) fn diff(given: &str, expected: &str) -> Vec<Piece> {
    let a: Vec<char> = given.trim().chars().collect();
    let b: Vec<char> = expected.trim().chars().collect();
    let mut out: Vec<Piece> = Vec::new();
    let mut push = |c: char, op: Op| match out.last_mut() {
        Some(last) if last.op == op => last.text.push(c),
        _ => out.push(Piece {
            text: c.to_string(),
            op,
        }),
    };
    if a.len().saturating_mul(b.len()) > MAX_DIFF_CELLS {
        a.iter().for_each(|&c| push(c, Op::Extra));
        b.iter().for_each(|&c| push(c, Op::Missing));
        return out;
    }
    let same = |x: char, y: char| x == y || x.to_lowercase().eq(y.to_lowercase());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let w = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * w + j] = if same(a[i], b[j]) {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && same(a[i], b[j]) {
            push(b[j], Op::Same);
            (i, j) = (i + 1, j + 1);
        } else if j < b.len() && (i == a.len() || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j]) {
            push(b[j], Op::Missing);
            j += 1;
        } else {
            push(a[i], Op::Extra);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(rule: TextRule, given: &str, expected: &[&str]) -> Verdict {
        let expected: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
        compare(rule, given, &expected).0
    }

    fn lectern(given: &str, expected: &[&str]) -> Verdict {
        v(TextRule::Forgiving, given, expected)
    }

    #[test]
    fn blank_answer_ignores_case_spaces_and_a_final_full_stop() {
        for given in ["Paris", "paris", "  PARIS ", "Paris.", " paris . "] {
            assert_eq!(lectern(given, &["Paris"]), Verdict::Right, "{given:?}");
        }
        assert_eq!(
            lectern("byte  pair\tencoding", &["byte pair encoding"]),
            Verdict::Right
        );
        assert_eq!(
            lectern("Paris..", &["Paris"]),
            Verdict::Wrong,
            "only one final full stop"
        );
        assert_eq!(lectern("Par is", &["Paris"]), Verdict::Wrong);
    }

    #[test]
    fn any_alternative_is_right() {
        let alts = ["byte-pair encoding", "byte pair encoding"];
        assert_eq!(lectern("Byte pair encoding", &alts), Verdict::Right);
        assert_eq!(lectern("byte-pair encoding.", &alts), Verdict::Right);
        assert_eq!(lectern("bpe", &alts), Verdict::Wrong);
    }

    #[test]
    fn an_answer_differing_only_in_accents_is_almost_and_shows_the_expected_form() {
        let expected = vec!["café".to_owned()];
        assert_eq!(
            compare(TextRule::Forgiving, "cafe", &expected),
            (Verdict::Almost, "café")
        );
        assert_eq!(lectern("Dvořák", &["Dvorak"]), Verdict::Almost);
    }

    #[test]
    fn one_typo_in_a_word_of_five_letters_or_more_is_almost() {
        assert_eq!(
            lectern("Pariss", &["Paris"]),
            Verdict::Almost,
            "a letter added"
        );
        assert_eq!(
            lectern("Pars", &["Paris"]),
            Verdict::Almost,
            "a letter dropped"
        );
        assert_eq!(
            lectern("Parus", &["Paris"]),
            Verdict::Almost,
            "a letter changed"
        );
        assert_eq!(
            lectern("Pairs", &["Paris"]),
            Verdict::Almost,
            "two letters swapped"
        );
        assert_eq!(
            lectern("attention heads", &["attention head"]),
            Verdict::Wrong,
            "a word of four"
        );
        assert_eq!(
            lectern("multi head atention", &["multi head attention"]),
            Verdict::Almost
        );
    }

    #[test]
    fn short_words_two_typos_or_two_words_off_are_wrong() {
        assert_eq!(lectern("Rime", &["Rome"]), Verdict::Wrong, "four letters");
        assert_eq!(lectern("Parsi s", &["Paris"]), Verdict::Wrong);
        assert_eq!(lectern("Praiss", &["Paris"]), Verdict::Wrong, "two typos");
        assert_eq!(
            lectern("Londn Pariss", &["London Paris"]),
            Verdict::Wrong,
            "two words"
        );
        assert_eq!(lectern("", &["Paris"]), Verdict::Wrong);
    }

    #[test]
    fn mdbook_quiz_short_answers_are_compared_lowercased_and_trimmed_only() {
        let t = TextRule::Trimmed;
        assert_eq!(v(t, "  RustUp ", &["rustup"]), Verdict::Right);
        assert_eq!(
            v(t, "rustup.", &["rustup"]),
            Verdict::Wrong,
            "no full stop forgiven"
        );
        assert_eq!(v(t, "rustp", &["rustup"]), Verdict::Wrong, "no almost");
        assert_eq!(v(t, "cargo", &["rustup", "cargo"]), Verdict::Right);
    }

    fn marked(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p.op {
                Op::Same => p.text.clone(),
                Op::Extra => format!("-[{}]", p.text),
                Op::Missing => format!("+[{}]", p.text),
            })
            .collect()
    }

    #[test]
    fn the_difference_marks_what_was_typed_wrongly_and_what_is_missing() {
        assert_eq!(marked(&diff("Pariss", "Paris")), "Paris-[s]");
        assert_eq!(marked(&diff("Prs", "Paris")), "P+[a]r+[i]s");
        assert_eq!(
            marked(&diff("paris", "Paris")),
            "Paris",
            "case is not a difference"
        );
        assert!(marked(&diff("London", "Paris")).matches('[').count() >= 2);
        assert_eq!(marked(&diff("", "Paris")), "+[Paris]");
    }

    #[test]
    fn a_huge_answer_is_marked_whole_instead_of_diffed() {
        let long = "x".repeat(1000);
        let pieces = diff(&long, &"y".repeat(1000));
        assert_eq!(pieces.len(), 2);
        assert_eq!((pieces[0].op, pieces[1].op), (Op::Extra, Op::Missing));
    }
}
