//! The learner's side of a quiz: attempts with shuffled options and no answer key,
//! grading of one answer at a time, and the score at the end.
//!
//! Only this module compares answers, so the UI never needs (or gets) the key.

use std::collections::HashSet;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::blank::BlankKey;
use super::kind::{self, BlankGrade, Kind, Order, Response, Sent, Tracing};
use super::{HeadingLink, Question, Quiz, QuizError};
use crate::text::fnv1a;

/// What the UI shows for one attempt: questions in authored order, each with its options
/// shuffled, and nothing that tells which option is right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttemptView {
    /// The lesson the quiz belongs to.
    pub lesson: String,
    /// The seed the shuffle came from; the same seed gives the same order again. Seeds
    /// that pass through JavaScript should stay below 2^53 to survive as numbers.
    pub seed: u64,
    /// The questions of the attempt.
    pub questions: Vec<QuestionView>,
}

/// One question as the learner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuestionView {
    /// The question's stable id, to send back to [`grade`].
    pub id: String,
    /// How it is answered: `choice`, `typed` or `tracing`.
    pub kind: &'static str,
    /// The prompt, rendered and sanitized (a typed question's blanks are empty
    /// `span.q-blank[data-blank=n]` slots for its fields).
    pub prompt_html: String,
    /// Text shown above the prompt (a multipart quiz's shared context), rendered.
    pub context_html: Option<String>,
    /// Whether to offer checkboxes ("choose all that apply") rather than radio buttons.
    pub multiple: bool,
    /// The options in this attempt's order (choice questions only).
    pub options: Vec<OptionView>,
    /// One field per blank (typed questions only), in the prompt's order.
    pub blanks: Vec<BlankView>,
    /// The field typed answers are written in (typed questions only).
    pub response: Option<Response>,
    /// `Some(n)`: shown where the lesson's n-th `{{#quiz}}` directive stands.
    pub block: Option<usize>,
    /// Ask the learner to explain the answer (mdbook-quiz's `promptExplanation`).
    pub ask_why: bool,
}

/// One blank's field, as the learner sees it: nothing of the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlankView {
    /// A number is expected (the field gets a numeric keyboard hint).
    pub numeric: bool,
}

/// One option as the learner sees it: no `correct` field, by design.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OptionView {
    /// The option's id, to send back to [`grade`] when chosen.
    pub id: String,
    /// The option, rendered and sanitized.
    pub html: String,
}

/// The verdict on one answer, shown as soon as the question is answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grade {
    /// The question graded.
    pub question: String,
    /// The question's kind: `choice`, `typed` or `tracing`.
    pub kind: &'static str,
    /// Whether the answer is right (for a choice, the chosen set is the correct set).
    pub correct: bool,
    /// Ids of the correct options, in authored order.
    pub correct_options: Vec<String>,
    /// Chosen options that are not correct, in the order they were chosen.
    pub wrong_choices: Vec<String>,
    /// Correct options that were not chosen (for choose-all: the ones forgotten).
    pub missed: Vec<String>,
    /// Feedback of the options chosen that have some (`If chosen:`), in chosen order.
    pub feedback: Vec<OptionFeedback>,
    /// Each blank's verdict (typed), or the output's (tracing, when said to compile).
    pub blanks: Vec<BlankGrade>,
    /// A tracing question's key, shown once answered.
    pub tracing: Option<Tracing>,
    /// The author's explanation, rendered and sanitized, if there is one.
    pub explanation_html: Option<String>,
    /// When the answer is wrong, the lesson heading that covers the question best.
    pub review: Option<HeadingLink>,
}

/// The feedback of one chosen option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OptionFeedback {
    /// The option's id.
    pub option: String,
    /// The feedback, rendered and sanitized.
    pub html: String,
}

/// How an attempt went.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Questions answered correctly.
    pub correct: usize,
    /// Questions answered.
    pub total: usize,
    /// Ids of the questions answered wrongly, in the order first answered: what "retry
    /// the ones I missed" passes to [`retry_attempt`].
    pub missed: Vec<String>,
}

/// Starts an attempt at every question of `quiz`, shuffling each question's options with
/// a generator seeded from `seed` and the question's id.
///
/// Reproducible: the same quiz and seed give the same view, on any platform and across
/// Lectern versions (ChaCha8 with an explicit 32-byte key and our own Fisher–Yates, so no
/// library's sampling details are involved). Each question is shuffled independently, so
/// editing one question does not reshuffle the others.
///
/// **Uniform**: every order of the options, the authored one included, is equally likely.
/// The learner cannot tell which option was written first, so the seed rule (the first
/// authored option is right) gives nothing away. (An earlier rule never showed the
/// authored order, which put the right answer of every two-option question second.)
pub fn start_attempt(quiz: &Quiz, seed: u64) -> AttemptView {
    view(quiz, quiz.questions.iter(), seed)
}

/// Starts an attempt at only the questions in `question_ids` ("retry the ones I
/// missed"), in authored order, with a fresh shuffle from `seed`.
///
/// Ids no longer in the quiz are skipped: the lesson may have been edited since, and an
/// edited question is a new question.
pub fn retry_attempt(quiz: &Quiz, question_ids: &[String], seed: u64) -> AttemptView {
    let wanted: HashSet<&str> = question_ids.iter().map(String::as_str).collect();
    view(
        quiz,
        quiz.questions
            .iter()
            .filter(|q| wanted.contains(q.id.as_str())),
        seed,
    )
}

fn view<'a>(quiz: &Quiz, questions: impl Iterator<Item = &'a Question>, seed: u64) -> AttemptView {
    AttemptView {
        lesson: quiz.lesson_id.clone(),
        seed,
        questions: questions.map(|q| question_view(q, seed)).collect(),
    }
}

/// One question as the learner sees it, its options in this attempt's order.
pub(super) fn question_view(q: &Question, seed: u64) -> QuestionView {
    let (options, blanks, response) = match &q.kind {
        Kind::Choice(c) => {
            let order = match c.order {
                Order::Shuffled => shuffled_order(c.options.len(), seed, &q.id),
                Order::Fixed => (0..c.options.len()).collect(),
            };
            let options = order
                .into_iter()
                .filter_map(|i| c.options.get(i))
                .map(|o| OptionView {
                    id: o.id.clone(),
                    html: o.html.clone(),
                })
                .collect();
            (options, Vec::new(), None)
        }
        Kind::Typed(t) => {
            let blanks = t
                .blanks
                .iter()
                .map(|b| BlankView {
                    numeric: matches!(b.key, BlankKey::Number(_)),
                })
                .collect();
            (Vec::new(), blanks, Some(t.response))
        }
        Kind::Tracing(_) => (Vec::new(), Vec::new(), Some(Response::Code)),
    };
    QuestionView {
        id: q.id.clone(),
        kind: q.kind.name(),
        prompt_html: q.prompt_html.clone(),
        context_html: q.context_html.clone(),
        multiple: q.multiple(),
        options,
        blanks,
        response,
        block: q.block,
        ask_why: q.ask_why,
    }
}

/// Grades one answer: `chosen` are option ids (order and repeats do not matter).
///
/// The answer is correct when the chosen set equals the correct set, so a choose-all
/// question answered partly is wrong, with `missed` and `wrong_choices` saying how.
/// Errors: `unknown-question`, `unknown-option` (nothing is graded then), `no-choice`.
pub fn grade(quiz: &Quiz, question_id: &str, chosen: &[String]) -> Result<Grade, QuizError> {
    let question = quiz
        .question(question_id)
        .ok_or_else(|| QuizError::UnknownQuestion(question_id.to_owned()))?;
    if chosen.is_empty() {
        return Err(QuizError::NoChoice(question_id.to_owned()));
    }
    let mut grade = match &question.kind {
        Kind::Choice(_) => grade_choice(question, chosen)?,
        other => {
            let graded = kind::grade_kind(other, chosen).map_err(|e| match e {
                Sent::Nothing => QuizError::NoChoice(question_id.to_owned()),
                Sent::Malformed(why) => QuizError::Malformed {
                    question: question_id.to_owned(),
                    why,
                },
            })?;
            Grade {
                question: question.id.clone(),
                kind: other.name(),
                correct: graded.correct,
                correct_options: Vec::new(),
                wrong_choices: Vec::new(),
                missed: Vec::new(),
                feedback: Vec::new(),
                blanks: graded.blanks,
                tracing: graded.tracing,
                explanation_html: None,
                review: None,
            }
        }
    };
    grade.explanation_html = question.explanation_html.clone();
    if !grade.correct {
        grade.review = question.review.clone();
    }
    Ok(grade)
}

/// A choice: right when the chosen set is the correct set.
fn grade_choice(question: &Question, chosen: &[String]) -> Result<Grade, QuizError> {
    let mut picked: Vec<&str> = Vec::new();
    for id in chosen {
        if !question.options().iter().any(|o| o.id == *id) {
            return Err(QuizError::UnknownOption {
                question: question.id.clone(),
                option: id.clone(),
            });
        }
        if !picked.contains(&id.as_str()) {
            picked.push(id);
        }
    }
    let correct_options = question.correct_ids();
    let wrong_choices: Vec<String> = picked
        .iter()
        .filter(|id| !correct_options.iter().any(|c| c == *id))
        .map(|id| (*id).to_owned())
        .collect();
    let missed: Vec<String> = correct_options
        .iter()
        .filter(|c| !picked.contains(&c.as_str()))
        .cloned()
        .collect();
    let feedback = picked
        .iter()
        .filter_map(|id| question.options().iter().find(|o| o.id == *id))
        .filter_map(|o| {
            o.feedback_html.clone().map(|html| OptionFeedback {
                option: o.id.clone(),
                html,
            })
        })
        .collect();
    Ok(Grade {
        question: question.id.clone(),
        kind: "choice",
        correct: wrong_choices.is_empty() && missed.is_empty(),
        correct_options,
        wrong_choices,
        missed,
        feedback,
        blanks: Vec::new(),
        tracing: None,
        explanation_html: None,
        review: None,
    })
}

/// The score of an attempt from `(question id, correct)` pairs in the order answered.
///
/// A question answered more than once counts once, with its last answer, so a UI that
/// lets the learner change an answer can pass every grade it received.
pub fn score(results: &[(String, bool)]) -> Score {
    let mut order: Vec<&str> = Vec::new();
    let mut last: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    for (id, ok) in results {
        if last.insert(id, *ok).is_none() {
            order.push(id);
        }
    }
    let missed: Vec<String> = order
        .iter()
        .filter(|id| last.get(*id) == Some(&false))
        .map(|id| (*id).to_owned())
        .collect();
    Score {
        correct: order.len() - missed.len(),
        total: order.len(),
        missed,
    }
}

/// The display order of `n` options for one question in one attempt: indices into the
/// authored options. See [`start_attempt`] for the contract.
pub(super) fn shuffled_order(n: usize, seed: u64, question_id: &str) -> Vec<usize> {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&fnv1a(&[question_id]).to_le_bytes());
    // Names this scheme, so a change of rule takes a new name and new orders
    // (`shuffle1` rotated away the authored order; `shuffle2` is uniform).
    key[16..24].copy_from_slice(b"shuffle2");
    let mut rng = ChaCha8Rng::from_seed(key);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = below(&mut rng, i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

/// A uniform draw in `0..bound` (bound ≥ 1), by rejection so no value is favoured.
fn below(rng: &mut ChaCha8Rng, bound: u64) -> u64 {
    // 2^64 mod bound: draws at or above 2^64 - rem would make low values likelier.
    let rem = (u64::MAX % bound + 1) % bound;
    loop {
        let x = rng.next_u64();
        if rem == 0 || x < 0u64.wrapping_sub(rem) {
            return x % bound;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_question_give_the_same_order() {
        assert_eq!(shuffled_order(4, 42, "q"), shuffled_order(4, 42, "q"));
    }

    #[test]
    fn the_order_is_pinned_across_versions() {
        // A change here silently changes every stored attempt's order: bump `shuffle2`.
        assert_eq!(
            shuffled_order(6, 20240601, "0123456789abcdef"),
            [0, 4, 3, 5, 1, 2]
        );
    }

    #[test]
    fn the_authored_first_option_lands_in_each_position_with_frequency_one_over_n() {
        // Questions of 2, 3 and 4 options over 10,000 seeds: within ±2% of 1/n.
        for n in 2..=4usize {
            let mut at = vec![0u32; n];
            for seed in 0..10_000 {
                let order = shuffled_order(n, seed, "q");
                let pos = order.iter().position(|&i| i == 0).unwrap_or(usize::MAX);
                at[pos] += 1;
            }
            for (pos, &count) in at.iter().enumerate() {
                let share = f64::from(count) / 10_000.0;
                assert!(
                    (share - 1.0 / n as f64).abs() <= 0.02,
                    "n={n}: position {pos} holds the first option {share:.3} of the time ({at:?})"
                );
            }
        }
    }

    #[test]
    fn the_authored_order_is_as_likely_as_any_other() {
        let authored = shuffled_order_count(3, |o| o == [0, 1, 2]);
        let reversed = shuffled_order_count(3, |o| o == [2, 1, 0]);
        // 6 orders: each about 1/6 of 6,000 draws.
        assert!((850..1150).contains(&authored), "{authored}");
        assert!((850..1150).contains(&reversed), "{reversed}");
    }

    fn shuffled_order_count(n: usize, pick: impl Fn(&[usize]) -> bool) -> u32 {
        (0..6_000)
            .filter(|&seed| pick(&shuffled_order(n, seed, "q")))
            .count() as u32
    }

    #[test]
    fn single_and_empty_questions_do_not_panic() {
        assert_eq!(shuffled_order(1, 3, "q"), [0]);
        assert!(shuffled_order(0, 3, "q").is_empty());
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = ChaCha8Rng::from_seed([7; 32]);
        for bound in 1..20 {
            for _ in 0..50 {
                assert!(below(&mut rng, bound) < bound);
            }
        }
    }

    #[test]
    fn score_counts_each_question_once_with_its_last_answer() {
        let s = score(&[
            ("a".into(), false),
            ("b".into(), true),
            ("a".into(), true),
            ("c".into(), false),
        ]);
        assert_eq!(
            s,
            Score {
                correct: 2,
                total: 3,
                missed: vec!["c".into()]
            }
        );
    }
}
