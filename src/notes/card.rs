//! "Make a card" (the notes issue, #24): a highlight becomes a review card that hides
//! the highlighted phrase in its sentence, and the review says where that sentence
//! stands in the lesson today.
//!
//! [`make_card`] places the highlight on the lesson as it reads now, cuts the sentence
//! around it ([`sentence_around`]) and stores the text captured (the store's
//! `made_cards`); the card's schedule is an ordinary review card, so it is due, counted
//! and answered with the course's questions. [`Sources`] places the highlight again
//! when the card is shown: the same sentence, a changed one (the new text given), a
//! highlight that could not be placed, or one the learner removed. The card keeps its
//! text and schedule in every case.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use super::{text_of, NotesError};
use crate::anchor::{place, Placement};
use crate::course::Course;
use crate::progress::{
    AnnotationKind, AnnotationRow, CourseKey, MadeCardRow, Millis, NewMadeCard, Store,
};
use crate::render::Renderer;

/// The longest stretch of a sentence kept on each side of the phrase, in bytes (a
/// "sentence" in a code block or a list without full stops may run long).
const SIDE_LIMIT: usize = 240;

/// A card made (or found: one card per highlight).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MadeCard {
    /// The card's id: its question id in the review queue.
    pub id: String,
    /// False when the highlight already had this card.
    pub created: bool,
    /// The sentence, with the phrase as `___`.
    pub prompt: String,
}

/// Where a card's sentence stands in its lesson today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceState {
    /// The highlight is placed and its sentence reads as captured.
    Same,
    /// The highlight is placed but its sentence reads differently now (`text`).
    Changed,
    /// The highlight could not be placed on the lesson (or the lesson is gone).
    Detached,
    /// The learner removed the highlight.
    Removed,
}

/// What the review shows of a card's source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CardSource {
    /// The highlight (what the lesson link scrolls to).
    pub annotation: String,
    /// How the sentence stands.
    pub state: SourceState,
    /// The sentence as it reads today, when [`SourceState::Changed`].
    pub text: Option<String>,
}

/// Makes a card of highlight `annotation`: its phrase hidden in its sentence as the
/// lesson reads now. Refused when the highlight is unknown, a bookmark, or cannot be
/// placed on the lesson (`card-source-missing`).
pub fn make_card(
    store: &mut Store,
    key: &CourseKey,
    course: &Course,
    renderer: &Renderer,
    annotation: &str,
    now: Millis,
) -> Result<MadeCard, NotesError> {
    let missing = || NotesError::CardSource(annotation.to_owned());
    let row = store.annotation(key, annotation)?.ok_or_else(missing)?;
    if row.kind != AnnotationKind::Highlight {
        return Err(missing());
    }
    let lesson = course
        .lesson(&row.lesson)
        .ok_or_else(|| NotesError::LessonNotFound(row.lesson.clone()))?;
    let text = text_of(course, renderer, lesson);
    let range = place(&text, &row.anchor()).range().ok_or_else(missing)?;
    let sentence = sentence_around(&text, range.clone());
    let before = &text[sentence.start..range.start];
    let after = &text[range.end..sentence.end];
    let (id, created) = store.make_card(
        key,
        &NewMadeCard {
            lesson: &row.lesson,
            annotation,
            before,
            phrase: &text[range],
            after,
        },
        now,
    )?;
    Ok(MadeCard {
        id,
        created,
        prompt: format!("{before}___{after}"),
    })
}

/// Where cards' sentences stand in `course` today ([`Sources::of`]), each lesson's text
/// made once however many of its cards a review session shows.
pub struct Sources<'c> {
    course: &'c Course,
    renderer: &'c Renderer,
    texts: HashMap<String, Option<std::sync::Arc<str>>>,
}

impl<'c> Sources<'c> {
    /// Nothing rendered until a card asks.
    pub fn new(course: &'c Course, renderer: &'c Renderer) -> Self {
        Sources {
            course,
            renderer,
            texts: HashMap::new(),
        }
    }

    /// Where `card`'s sentence stands: `highlight` is its highlight as stored (`None`:
    /// removed).
    pub fn of(&mut self, card: &MadeCardRow, highlight: Option<&AnnotationRow>) -> CardSource {
        let source = |state, text| CardSource {
            annotation: card.annotation.clone(),
            state,
            text,
        };
        let Some(highlight) = highlight else {
            return source(SourceState::Removed, None);
        };
        let (course, renderer) = (self.course, self.renderer);
        let text = self
            .texts
            .entry(highlight.lesson.clone())
            .or_insert_with(|| {
                course
                    .lesson(&highlight.lesson)
                    .map(|l| text_of(course, renderer, l))
            });
        let Some(text) = text.as_deref() else {
            return source(SourceState::Detached, None);
        };
        let placement = place(text, &highlight.anchor());
        let Some(range) = placement.range() else {
            return source(SourceState::Detached, None);
        };
        let today = text[sentence_around(text, range)].trim().to_owned();
        let same = matches!(placement, Placement::Exact { .. }) && today == card.sentence().trim();
        if same {
            source(SourceState::Same, None)
        } else {
            source(SourceState::Changed, Some(today))
        }
    }
}

/// The sentence of `text` holding `phrase`: from after the last sentence end (`.`,
/// `!` or `?` before a space) or line break before it, to the first sentence end or
/// line break after it, surrounding spaces left out, at most [`SIDE_LIMIT`] bytes each
/// side of the phrase.
pub fn sentence_around(text: &str, phrase: Range<usize>) -> Range<usize> {
    let head = &text[..phrase.start];
    let mut start = head
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            c == '\n' || (is_stop(c) && head[i + c.len_utf8()..].starts_with(char::is_whitespace))
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    start = start.max(floor_boundary(
        text,
        phrase.start.saturating_sub(SIDE_LIMIT),
    ));
    let tail = &text[phrase.end..];
    let mut end = tail
        .char_indices()
        .find(|&(i, c)| {
            c == '\n'
                || (is_stop(c)
                    && tail[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_none_or(char::is_whitespace))
        })
        .map_or(text.len(), |(i, c)| {
            phrase.end + i + if c == '\n' { 0 } else { c.len_utf8() }
        });
    end = end.min(floor_boundary(text, phrase.end + SIDE_LIMIT));
    while start < phrase.start && text[start..].starts_with(char::is_whitespace) {
        start += text[start..].chars().next().map_or(1, char::len_utf8);
    }
    while end > phrase.end && text[..end].ends_with(char::is_whitespace) {
        end -= text[..end].chars().next_back().map_or(1, char::len_utf8);
    }
    start..end
}

fn is_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？')
}

/// The largest char boundary of `text` at or below `at` (and at most its length).
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut<'a>(text: &'a str, phrase: &str) -> &'a str {
        let at = text.find(phrase).unwrap();
        &text[sentence_around(text, at..at + phrase.len())]
    }

    #[test]
    fn the_sentence_runs_from_the_last_stop_to_the_next_one() {
        let text = "Intro here. Softmax turns scores into weights. Then more.";
        assert_eq!(cut(text, "scores"), "Softmax turns scores into weights.");
        assert_eq!(cut(text, "Intro"), "Intro here.");
        assert_eq!(cut(text, "more"), "Then more.");
    }

    #[test]
    fn a_decimal_point_or_a_line_break_is_no_stop_or_a_stop() {
        let text = "Heading\nThe value 0.75 is kept\nNext line.";
        assert_eq!(cut(text, "0.75"), "The value 0.75 is kept");
    }

    #[test]
    fn a_long_run_without_stops_is_cut_at_the_side_limit_on_a_char_boundary() {
        let text = format!("{}KEY{}", "é".repeat(400), "ü".repeat(400));
        let s = cut(&text, "KEY");
        assert!(s.len() <= 2 * SIDE_LIMIT + 3, "{}", s.len());
        assert!(s.contains("KEY"));
    }
}
