//! Re-anchoring a learner's highlight in a lesson that changed under it.
//!
//! An annotation keeps what the W3C Web Annotation model calls a *text quote selector*
//! (the quoted text with some context before and after) and a *text position selector*
//! (where it was), both over the lesson's plain text. When the lesson changes — an
//! author's live save, a new version of the course — [`place`] finds the quote again,
//! trying in turn:
//!
//! 1. the quote with its context, exactly (`Placement::Exact`, `context: true`);
//! 2. the quote alone, exactly; when it occurs more than once, the occurrence whose
//!    surroundings match the saved context best, then the one nearest the old position
//!    (`Placement::Exact`, `context: false`);
//! 3. a fuzzy match: the span of the text within [`max_edits`] edits of the quote (a
//!    quarter of its length), among those with the fewest edits the one whose context
//!    and position fit best (`Placement::Fuzzy`);
//! 4. nothing: `Placement::Detached`. The caller lists a detached annotation under "could
//!    not place" with its quote and note; it is never deleted.
//!
//! The scoring of step 3 weighs the quote, its prefix, its suffix and the position as
//! Hypothesis's client does (`src/annotator/anchoring/match-quote.ts`: 50, 20, 20, 2):
//! the quote's own fit dominates, the context decides between equal fits, and the old
//! position only breaks ties. The approximate search is `triple_accel`'s SIMD
//! Levenshtein search, which reports every span within `k` edits in one pass over the
//! text.
//!
//! Offsets are byte offsets into the text given, always on character boundaries. The
//! function is pure and bounded: exact steps are linear in the text per occurrence
//! tried, the fuzzy step is `O(text × quote / 32)` and runs only for quotes of at most
//! [`MAX_FUZZY_QUOTE`] bytes.

use std::ops::Range;

pub mod text;

pub use text::{plain_text, Utf16};

/// Characters of context kept on each side of a quote (Hypothesis keeps 32).
pub const CONTEXT_CHARS: usize = 32;

/// Quotes shorter than this many characters are never matched fuzzily: a few letters
/// within an edit or two of a quote match too many places to mean anything.
pub const MIN_FUZZY_CHARS: usize = 8;

/// Quotes longer than this many bytes are re-anchored exactly or not at all: the fuzzy
/// search's cost grows with the quote's length, and a long passage that no longer
/// occurs exactly has usually been rewritten.
pub const MAX_FUZZY_QUOTE: usize = 4096;

/// What an annotation remembers of where it was.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Anchor {
    /// The quoted text, exactly as selected.
    pub quote: String,
    /// Up to [`CONTEXT_CHARS`] characters just before the quote.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] characters just after the quote.
    pub suffix: String,
    /// The quote's byte offset in the text it was made on: a hint, never trusted alone.
    pub start: usize,
}

/// Where an annotation lands in the new text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// The quote occurs unchanged at `range`; `context` says whether its surroundings
    /// did too.
    Exact {
        /// Byte range of the quote in the new text.
        range: Range<usize>,
        /// Whether the saved prefix and suffix surround it unchanged.
        context: bool,
    },
    /// The quote was edited: `range` is the nearest text, `edits` Levenshtein edits
    /// away from the saved quote.
    Fuzzy {
        /// Byte range of the matched text in the new text.
        range: Range<usize>,
        /// How many single-character edits separate it from the saved quote.
        edits: u32,
    },
    /// The quote is gone: kept, listed as "could not place".
    Detached,
}

impl Placement {
    /// The byte range the annotation now covers, if it was placed.
    pub fn range(&self) -> Option<Range<usize>> {
        match self {
            Placement::Exact { range, .. } | Placement::Fuzzy { range, .. } => Some(range.clone()),
            Placement::Detached => None,
        }
    }
}

impl Anchor {
    /// The anchor of `text[range]`, with its context: what a new annotation saves.
    /// `range` is clamped to the text and to character boundaries.
    pub fn of(text: &str, range: Range<usize>) -> Anchor {
        let start = floor_boundary(text, range.start.min(text.len()));
        let end = floor_boundary(text, range.end.min(text.len())).max(start);
        let prefix_start = text[..start]
            .char_indices()
            .rev()
            .nth(CONTEXT_CHARS - 1)
            .map_or(0, |(i, _)| i);
        let suffix_end = text[end..]
            .char_indices()
            .nth(CONTEXT_CHARS)
            .map_or(text.len(), |(i, _)| end + i);
        Anchor {
            quote: text[start..end].to_owned(),
            prefix: text[prefix_start..start].to_owned(),
            suffix: text[end..suffix_end].to_owned(),
            start,
        }
    }
}

/// How many edits a fuzzy match of a quote of `chars` characters may be away from it:
/// a quarter of its length, rounded down; 0 (no fuzzy match) below [`MIN_FUZZY_CHARS`].
pub fn max_edits(chars: usize) -> u32 {
    if chars < MIN_FUZZY_CHARS {
        0
    } else {
        u32::try_from(chars / 4).unwrap_or(u32::MAX)
    }
}

/// Finds `anchor` in `text` (see the module documentation for the order of attempts).
pub fn place(text: &str, anchor: &Anchor) -> Placement {
    place_near(text, anchor, anchor.start)
}

/// [`place`], with `hint` as where the quote is expected now (its old start, or that
/// shifted by an edit before it): the nearer occurrence wins ties, and the fuzzy step
/// looks around it first.
fn place_near(text: &str, anchor: &Anchor, hint: usize) -> Placement {
    if anchor.quote.is_empty() {
        return Placement::Detached;
    }
    let whole = format!("{}{}{}", anchor.prefix, anchor.quote, anchor.suffix);
    let occurrences: Vec<usize> = text.match_indices(whole.as_str()).map(|(i, _)| i).collect();
    if let Some(at) = nearest(&occurrences, hint.saturating_sub(anchor.prefix.len())) {
        let start = at + anchor.prefix.len();
        return Placement::Exact {
            range: start..start + anchor.quote.len(),
            context: true,
        };
    }
    let quotes: Vec<usize> = text
        .match_indices(anchor.quote.as_str())
        .map(|(i, _)| i)
        .collect();
    if !quotes.is_empty() {
        let best = quotes
            .iter()
            .map(|&at| (context_fit(text, at..at + anchor.quote.len(), anchor), at))
            .max_by(|a, b| {
                a.0.cmp(&b.0).then_with(|| {
                    // Equal context: the nearer to the old position wins.
                    distance(b.1, hint).cmp(&distance(a.1, hint))
                })
            });
        if let Some((_, at)) = best {
            return Placement::Exact {
                range: at..at + anchor.quote.len(),
                context: false,
            };
        }
    }
    fuzzy(text, anchor, hint)
}

/// Places every anchor of one lesson: [`place`] on each, but linear in the quotes for
/// the usual edit. An edit shifts the annotations after it by the same amount, so each
/// is first looked for, with its context, where the one before it moved it (`old start
/// + shift`): found there, no search of the text is needed (1,000 annotations on a
/// 100 KB lesson would otherwise scan the text 1,000 times). Otherwise it is placed as
/// [`place`] does, with that shifted position as the hint.
pub fn place_all(text: &str, anchors: &[Anchor]) -> Vec<Placement> {
    let mut order: Vec<usize> = (0..anchors.len()).collect();
    order.sort_by_key(|&i| anchors[i].start);
    let mut out = vec![Placement::Detached; anchors.len()];
    let mut shift: isize = 0;
    for i in order {
        let anchor = &anchors[i];
        let guess = anchor.start.checked_add_signed(shift);
        let placement = match guess.filter(|&at| fits_at(text, anchor, at)) {
            Some(at) => Placement::Exact {
                range: at..at + anchor.quote.len(),
                context: true,
            },
            None => place_near(text, anchor, guess.unwrap_or(anchor.start)),
        };
        if let Some(range) = placement.range() {
            shift = range.start as isize - anchor.start as isize;
        }
        out[i] = placement;
    }
    out
}

/// Whether the quote, with its context, sits at byte `at` of `text`.
fn fits_at(text: &str, anchor: &Anchor, at: usize) -> bool {
    !anchor.quote.is_empty()
        && text.is_char_boundary(at)
        && text[..at].ends_with(anchor.prefix.as_str())
        && text[at..].starts_with(anchor.quote.as_str())
        && text[at + anchor.quote.len()..].starts_with(anchor.suffix.as_str())
}

/// Step 3: the best span within [`max_edits`] of the quote, or `Detached`.
///
/// An edited quote is nearly always where it was, give or take the edit: the text
/// around `hint` (2 KiB plus four quote lengths each side) is searched first, and a
/// match there with at most half the allowed edits is taken. Otherwise the whole text
/// is searched (the passage may have moved as well as changed), at about 30 times the
/// cost for a 100 KB lesson (BENCHMARKS.md, Notes).
fn fuzzy(text: &str, anchor: &Anchor, hint: usize) -> Placement {
    let k = max_edits(anchor.quote.chars().count());
    if k == 0 || anchor.quote.len() > MAX_FUZZY_QUOTE {
        return Placement::Detached;
    }
    let reach = 2048 + 4 * anchor.quote.len();
    let window = floor_boundary(text, hint.saturating_sub(reach).min(text.len()))
        ..ceil_boundary(text, hint.saturating_add(anchor.quote.len() + reach));
    if window.len() < text.len() {
        if let Some((range, edits)) = best_match(text, window, anchor, k, hint) {
            if edits <= k / 2 {
                return Placement::Fuzzy { range, edits };
            }
        }
    }
    match best_match(text, 0..text.len(), anchor, k, hint) {
        Some((range, edits)) => Placement::Fuzzy { range, edits },
        None => Placement::Detached,
    }
}

/// The span of `text[within]` within `k` edits of the quote that scores best (quote
/// 50, prefix 20, suffix 20, nearness to `hint` 2), with its edits.
fn best_match(
    text: &str,
    within: Range<usize>,
    anchor: &Anchor,
    k: u32,
    hint: usize,
) -> Option<(Range<usize>, u32)> {
    let candidates = triple_accel::levenshtein::levenshtein_search_simd_with_opts(
        anchor.quote.as_bytes(),
        &text.as_bytes()[within.clone()],
        k,
        triple_accel::SearchType::Best,
        triple_accel::levenshtein::LEVENSHTEIN_COSTS,
        false,
    );
    let quote_len = anchor.quote.len().max(1) as f64;
    let mut best: Option<(f64, Range<usize>, u32)> = None;
    for m in candidates {
        // Byte matches may start or end inside a character: widen to whole ones.
        let range =
            floor_boundary(text, within.start + m.start)..ceil_boundary(text, within.start + m.end);
        if range.is_empty() {
            continue;
        }
        let fit = 1.0 - f64::from(m.k) / quote_len;
        let (prefix_fit, suffix_fit) = context_fractions(text, range.clone(), anchor);
        let position = 1.0 - distance(range.start, hint) as f64 / text.len().max(1) as f64;
        let score = 50.0 * fit + 20.0 * prefix_fit + 20.0 * suffix_fit + 2.0 * position;
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, range, m.k));
        }
    }
    best.map(|(_, range, edits)| (range, edits))
}

/// How many characters of the saved context agree with the text around `range`:
/// the common suffix of the text before it with the prefix, plus the common prefix of
/// the text after it with the suffix.
fn context_fit(text: &str, range: Range<usize>, anchor: &Anchor) -> usize {
    let before = common_suffix(&text[..range.start], &anchor.prefix);
    let after = common_prefix(&text[range.end..], &anchor.suffix);
    before + after
}

/// The prefix's and the suffix's agreement as fractions of their length (1 when empty).
fn context_fractions(text: &str, range: Range<usize>, anchor: &Anchor) -> (f64, f64) {
    let fraction = |agree: usize, len: usize| {
        if len == 0 {
            1.0
        } else {
            agree as f64 / len as f64
        }
    };
    (
        fraction(
            common_suffix(&text[..range.start], &anchor.prefix),
            anchor.prefix.len(),
        ),
        fraction(
            common_prefix(&text[range.end..], &anchor.suffix),
            anchor.suffix.len(),
        ),
    )
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn distance(a: usize, b: usize) -> usize {
    a.abs_diff(b)
}

/// The occurrence nearest `hint`.
fn nearest(occurrences: &[usize], hint: usize) -> Option<usize> {
    occurrences
        .iter()
        .copied()
        .min_by_key(|&at| distance(at, hint))
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LESSON: &str = "Attention\n\
        Attention lets every token look at every other token. \
        The scores are scaled by the square root of the key dimension before the softmax. \
        Masking hides the future from a decoder.\n\
        Multi-head attention\n\
        Several heads attend in parallel, each with its own projections.";

    fn anchor_of(text: &str, quote: &str) -> Anchor {
        let at = text.find(quote).expect("quote in text");
        Anchor::of(text, at..at + quote.len())
    }

    fn placed<'t>(text: &'t str, anchor: &Anchor) -> &'t str {
        let range = place(text, anchor).range().expect("placed");
        &text[range]
    }

    const QUOTE: &str = "scaled by the square root of the key dimension";

    #[test]
    fn anchor_keeps_thirty_two_characters_of_context_each_side() {
        let a = anchor_of(LESSON, QUOTE);
        assert_eq!(a.prefix.chars().count(), CONTEXT_CHARS);
        assert_eq!(a.suffix.chars().count(), CONTEXT_CHARS);
        assert!(a.prefix.ends_with("The scores are "));
        assert!(a.suffix.starts_with(" before the softmax"));
    }

    #[test]
    fn unchanged_text_places_exactly_with_context() {
        let a = anchor_of(LESSON, QUOTE);
        let p = place(LESSON, &a);
        assert!(matches!(p, Placement::Exact { context: true, .. }), "{p:?}");
        assert_eq!(placed(LESSON, &a), QUOTE);
    }

    #[test]
    fn a_paragraph_inserted_before_moves_the_highlight_with_its_text() {
        let a = anchor_of(LESSON, QUOTE);
        let edited = LESSON.replace(
            "Attention\nAttention lets",
            "Attention\nA new opening paragraph that pushes everything down.\nAttention lets",
        );
        let p = place(&edited, &a);
        assert!(matches!(p, Placement::Exact { context: true, .. }), "{p:?}");
        assert_eq!(placed(&edited, &a), QUOTE);
        assert!(p.range().expect("placed").start > a.start);
    }

    #[test]
    fn a_word_edited_inside_the_quote_places_it_fuzzily_on_the_new_words() {
        let a = anchor_of(LESSON, QUOTE);
        let edited = LESSON.replace("square root of the key", "square root of each key");
        let p = place(&edited, &a);
        let Placement::Fuzzy { range, edits } = p.clone() else {
            panic!("expected a fuzzy placement, got {p:?}");
        };
        assert!(edits >= 1 && edits <= max_edits(QUOTE.len()), "{edits}");
        assert_eq!(
            &edited[range],
            "scaled by the square root of each key dimension"
        );
    }

    #[test]
    fn edited_context_still_places_the_unchanged_quote_exactly() {
        let a = anchor_of(LESSON, QUOTE);
        let edited = LESSON.replace("The scores are", "Raw scores get");
        let p = place(&edited, &a);
        assert!(
            matches!(p, Placement::Exact { context: false, .. }),
            "{p:?}"
        );
        assert_eq!(placed(&edited, &a), QUOTE);
    }

    #[test]
    fn a_paragraph_moved_to_another_section_is_followed() {
        let sentence = "Masking hides the future from a decoder.";
        let a = anchor_of(LESSON, sentence);
        let edited = format!("{}\n{sentence}", LESSON.replace(sentence, ""));
        assert_eq!(placed(&edited, &a), sentence);
        assert!(place(&edited, &a).range().expect("placed").start > a.start);
    }

    #[test]
    fn a_deleted_paragraph_detaches_the_highlight() {
        let a = anchor_of(LESSON, QUOTE);
        let edited = LESSON.replace(
            "The scores are scaled by the square root of the key dimension before the softmax. ",
            "",
        );
        assert_eq!(place(&edited, &a), Placement::Detached);
    }

    #[test]
    fn the_same_sentence_twice_picks_the_occurrence_its_context_names() {
        let text = "Intro. Remember this line. Middle part here.\n\
                    Later on. Remember this line. End of the lesson.";
        let second = text.rfind("Remember this line.").expect("second");
        let a = Anchor::of(text, second..second + "Remember this line.".len());
        // Both contexts change a little; the second occurrence's still fits better.
        let edited = text
            .replace("Intro.", "Opening.")
            .replace("End of the", "End of this");
        let range = place(&edited, &a).range().expect("placed");
        assert_eq!(
            range.start,
            edited.rfind("Remember this line.").expect("second")
        );
    }

    #[test]
    fn the_same_sentence_twice_with_no_context_left_picks_the_nearest() {
        let text = "aaaa Remember this line. bbbb Remember this line. cccc";
        let second = text.rfind("Remember").expect("second");
        let a = Anchor::of(text, second..second + "Remember this line.".len());
        let edited = "xxxx Remember this line. yyyy Remember this line. zzzz";
        let range = place(edited, &a).range().expect("placed");
        assert_eq!(range.start, edited.rfind("Remember").expect("second"));
    }

    #[test]
    fn placing_all_at_once_equals_placing_each() {
        let quotes = [
            "Attention lets every token",
            QUOTE,
            "Masking hides the future",
            "Several heads attend in parallel",
        ];
        let anchors: Vec<Anchor> = quotes.iter().map(|q| anchor_of(LESSON, q)).collect();
        let edits = [
            LESSON.replace(
                "Attention\nAttention lets",
                "Attention\nA new paragraph.\nAttention lets",
            ),
            LESSON.replace("square root of the key", "square root of each key"),
            LESSON.replace("Masking hides the future from a decoder.", ""),
            LESSON.replace(
                "Multi-head attention\n",
                "Multi-head attention, at length\n",
            ),
        ];
        for edited in &edits {
            let each: Vec<Placement> = anchors.iter().map(|a| place(edited, a)).collect();
            assert_eq!(place_all(edited, &anchors), each, "{edited}");
        }
    }

    #[test]
    fn a_passage_moved_far_and_edited_is_found_beyond_the_nearby_window() {
        let filler = "Unrelated filler sentence about something else entirely. ".repeat(200);
        let text = format!("{QUOTE}. {filler}");
        let a = anchor_of(&text, QUOTE);
        // Moved ~12 KB down (beyond the window searched first) and one word changed.
        let moved = QUOTE.replace("the key", "each key");
        let edited = format!("Opening. {filler}{moved}.");
        let range = place(&edited, &a).range().expect("placed");
        assert_eq!(&edited[range], moved);
    }

    #[test]
    fn short_quotes_are_never_matched_fuzzily() {
        let a = anchor_of("the cat sat", "cat");
        assert_eq!(place("the cot sat", &a), Placement::Detached);
    }

    #[test]
    fn a_quote_rewritten_beyond_a_quarter_of_its_length_detaches() {
        let a = anchor_of(LESSON, QUOTE);
        let edited = LESSON.replace(QUOTE, "divided by a constant that depends on width");
        assert_eq!(place(&edited, &a), Placement::Detached);
    }

    #[test]
    fn fuzzy_ranges_fall_on_character_boundaries_in_non_ascii_text() {
        let text = "Die Aufmerksamkeit wird über alle Wörter verteilt, schön gleichmäßig.";
        let a = anchor_of(text, "über alle Wörter verteilt");
        let edited = text.replace("Wörter", "Wörtern");
        let range = place(&edited, &a).range().expect("placed");
        assert!(edited.is_char_boundary(range.start) && edited.is_char_boundary(range.end));
        assert!(edited[range].contains("Wörtern"));
    }

    #[test]
    fn an_empty_quote_is_detached_not_placed_everywhere() {
        let a = Anchor::of(LESSON, 5..5);
        assert_eq!(place(LESSON, &a), Placement::Detached);
    }

    #[test]
    fn anchor_of_clamps_ranges_outside_the_text_and_inside_characters() {
        let text = "héllo";
        let a = Anchor::of(text, 2..99);
        assert_eq!(a.quote, "éllo");
        assert_eq!(a.start, 1);
    }
}
