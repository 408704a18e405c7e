//! A learner's own card as a question (the notes issue's "Make a card"): a phrase of a
//! highlight hidden in its sentence, typed back and graded exactly as a Knowledge Check
//! blank is (Lectern's forgiving text rule, "almost" included). The sentence is the
//! plain text captured when the card was made, so it is escaped, never read as Markdown.

use super::blank::BlankKey;
use super::kind::{Blank, Kind, Response, Typed};
use super::typed::TextRule;
use super::{Question, Quiz};
use crate::render::escape_html;

/// The one-question quiz of a learner's card `id` on lesson `lesson_id`: `before`, a
/// blank for `phrase`, `after`. The prompt never holds the phrase (its Markdown shows
/// the blank as `___`, its HTML as the field's slot).
pub fn cloze(lesson_id: &str, id: &str, before: &str, phrase: &str, after: &str) -> Quiz {
    let phrase = phrase.trim();
    let question = Question {
        id: id.to_owned(),
        line: 0,
        column: 0,
        prompt_md: format!("{before}___{after}"),
        prompt_html: format!(
            "{}<span class=\"q-blank\" data-blank=\"0\">___</span>{}",
            escape_html(before),
            escape_html(after)
        ),
        kind: Kind::Typed(Typed {
            blanks: vec![Blank {
                key: BlankKey::Text(vec![phrase.to_owned()]),
                shown: phrase.to_owned(),
                rule: TextRule::Forgiving,
            }],
            response: Response::Short,
        }),
        context_html: None,
        explanation_md: None,
        explanation_html: None,
        review: None,
        block: None,
        source_id: None,
        ask_why: false,
    };
    Quiz {
        lesson_id: lesson_id.to_owned(),
        questions: vec![question],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::{grade, start_attempt, Verdict};

    #[test]
    fn a_card_hides_its_phrase_and_grades_the_typed_phrase_forgivingly() {
        let quiz = cloze(
            "a",
            "c1",
            "Attention uses <softmax> over ",
            "scaled dot products",
            ".",
        );
        let q = &quiz.questions[0];
        assert!(!q.prompt_html.contains("scaled dot"), "{}", q.prompt_html);
        assert!(
            q.prompt_html.contains("&lt;softmax&gt;"),
            "escaped: {}",
            q.prompt_html
        );
        assert_eq!(q.shown_prompt(), "Attention uses <softmax> over ___.");
        let view = start_attempt(&quiz, 1);
        assert_eq!(view.questions[0].kind, "typed");
        assert_eq!(view.questions[0].blanks.len(), 1);
        let right = grade(&quiz, "c1", &["Scaled dot  products".into()]).unwrap();
        assert!(right.correct);
        let wrong = grade(&quiz, "c1", &["dot products".into()]).unwrap();
        assert!(!wrong.correct);
        assert_eq!(wrong.blanks[0].verdict, Verdict::Wrong);
        assert_eq!(
            wrong.blanks[0].expected.as_deref(),
            Some("scaled dot products")
        );
    }
}
