//! The learner's own words searched beside the lessons: the text of their highlights
//! and the notes they wrote on them. There are few (hundreds, not a course's hundred
//! thousand sections) and they change with every keystroke in the window, so they are
//! never indexed: each query reads them in memory, with the same words, forms and
//! spellings as the lessons' query (`terms`, `forgive`). Search never reads the progress
//! store: the caller hands the texts in as [`NoteText`]s (`notes::searchable` makes
//! them), so `search` stays below the study data.

use super::forgive::{is_literal, Language};
use super::terms::{is_word_char, tokens};
use super::{marked_html, Hit, HitKind, Results, SearchIndex};

/// One annotation's text, to be searched: what the learner highlighted and what they
/// wrote about it.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteText {
    /// The annotation's id (what the window scrolls to).
    pub id: String,
    /// The lesson it is on.
    pub lesson: String,
    /// That lesson's title.
    pub title: String,
    /// The highlighted text.
    pub quote: String,
    /// The learner's note on it, if any.
    pub note: Option<String>,
}

/// How many notes found as typed may come before the lessons: the learner's own words
/// are what they most likely look for, but never so many that the lessons are pushed
/// out of view.
pub(super) const NOTES_AHEAD: usize = 3;

/// Characters of a quote or a note a result shows at most.
const SHOWN_CHARS: usize = 160;

/// A note found, with how far its words are from what was typed (0: as typed or the
/// start of a word, 1: another form or spelling) and how often they occur.
struct Found<'a> {
    note: &'a NoteText,
    tier: usize,
    count: usize,
}

impl SearchIndex {
    /// [`SearchIndex::query`] over the lessons and `notes` together: every result has a
    /// `kind`; see [`merge`] for where the notes go.
    pub fn query_with(
        &self,
        query: &str,
        limit: usize,
        notes: &[NoteText],
    ) -> Result<Results, super::SearchError> {
        let lessons = self.query(query, limit)?;
        let words: Vec<Vec<String>> = self
            .without_stop_words(super::terms::terms(query))
            .iter()
            .map(|t| tokens(t))
            .filter(|w| !w.is_empty())
            .collect();
        let found = find(&self.language, &words, notes);
        Ok(merge(lessons, &found, limit, |t| {
            marked(t, &self.language, &words)
        }))
    }
}

/// The notes every one of the query's terms (`terms`, each as its words) matches, best
/// first: found as typed before found as another form, then by how often the words
/// occur, then in the order given (course order).
fn find<'a>(language: &Language, terms: &[Vec<String>], notes: &'a [NoteText]) -> Vec<Found<'a>> {
    if terms.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<Found<'a>> = notes
        .iter()
        .filter_map(|note| {
            let words = tokens(&text_of(note));
            let mut tier = 0;
            let mut count = 0;
            for term in terms.iter().flatten() {
                let (t, n) = term_in(language, term, &words)?;
                tier = tier.max(t);
                count += n;
            }
            Some(Found { note, tier, count })
        })
        .collect();
    // A stable sort: equal notes keep the course order they were given in.
    found.sort_by_key(|f| (f.tier, std::cmp::Reverse(f.count)));
    found
}

/// Whether query word `term` is among `words`: tier 0 as typed or as the start of a
/// word (the lessons' tier 0), tier 1 as another form or spelling of one (their tier
/// 1); with how many words it matches. A literal term (code, CJK) is looked for inside
/// words, never as a form.
fn term_in(language: &Language, term: &str, words: &[String]) -> Option<(usize, usize)> {
    let typed = if is_literal(term) {
        words.iter().filter(|w| w.contains(term)).count()
    } else {
        words.iter().filter(|w| w.starts_with(term)).count()
    };
    if typed > 0 {
        return Some((0, typed));
    }
    if is_literal(term) {
        return None;
    }
    let key = language.key(term);
    let forms = words.iter().filter(|w| language.key(w) == key).count();
    (forms > 0).then_some((1, forms))
}

/// What of a note is searched: its quote and its note.
fn text_of(note: &NoteText) -> String {
    match &note.note {
        Some(n) => format!("{}\n{n}", note.quote),
        None => note.quote.clone(),
    }
}

/// The lessons' answer with the notes found put in: at most [`NOTES_AHEAD`] notes
/// found as typed first (above every lesson), then the lessons, then the other notes;
/// `limit` in all. Scores are remade on the answer's one scale (higher is better, in
/// this order), the lessons' own order kept; a note found clears the "did you mean".
fn merge(
    mut lessons: Results,
    found: &[Found<'_>],
    limit: usize,
    mark: impl Fn(&str) -> String,
) -> Results {
    let ahead_n = found
        .iter()
        .take(NOTES_AHEAD)
        .take_while(|f| f.tier == 0)
        .count();
    let mut notes: Vec<Hit> = found.iter().map(|f| note_hit(f.note, &mark)).collect();
    let after = notes.split_off(ahead_n);
    let mut all = notes;
    all.append(&mut lessons.results);
    all.extend(after);
    all.truncate(limit);
    let n = all.len() as f64;
    for (i, hit) in all.iter_mut().enumerate() {
        hit.score = (n - i as f64) / n;
    }
    if all.iter().any(|h| h.kind == HitKind::Note) {
        lessons.suggestions.clear();
    }
    lessons.results = all;
    lessons
}

/// A note as a result: its lesson, a heading that says whose words these are, and the
/// quote (and note) with the query's words marked.
fn note_hit(note: &NoteText, mark: impl Fn(&str) -> String) -> Hit {
    let mut snippet = mark(&cut(&note.quote));
    if let Some(text) = note.note.as_deref().filter(|t| !t.trim().is_empty()) {
        snippet.push_str(" — ");
        snippet.push_str(&mark(&cut(text)));
    }
    Hit {
        lesson: note.lesson.clone(),
        title: note.title.clone(),
        heading: if note.note.is_some() {
            "Your note".to_owned()
        } else {
            "Your highlight".to_owned()
        },
        anchor: String::new(),
        snippet,
        score: 0.0,
        kind: HitKind::Note,
        annotation: Some(note.id.clone()),
    }
}

/// `text` on one line, at most [`SHOWN_CHARS`] characters (`…` where cut).
fn cut(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= SHOWN_CHARS {
        return line;
    }
    let mut out: String = line.chars().take(SHOWN_CHARS).collect();
    out.push('…');
    out
}

/// `text` as escaped HTML with each of its words that a query term matches (as
/// [`term_in`] matches it) in `<mark>`, as the lessons' snippets mark theirs.
fn marked(text: &str, language: &Language, terms: &[Vec<String>]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut word_start: Option<usize> = None;
    let hit = |word: &str| {
        let folded = tokens(word);
        terms
            .iter()
            .flatten()
            .any(|t| term_in(language, t, &folded).is_some())
    };
    let push_word = |out: &mut String, word: &str| {
        if hit(word) {
            out.push('\u{E000}');
            out.push_str(word);
            out.push('\u{E001}');
        } else {
            out.push_str(word);
        }
    };
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = word_start.take() {
            push_word(&mut out, &text[start..i]);
        }
        out.push(c);
    }
    if let Some(start) = word_start {
        push_word(&mut out, &text[start..]);
    }
    marked_html(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::Course;

    /// An index of three lessons that speak of attention.
    fn index() -> (tempfile::TempDir, SearchIndex) {
        let tmp = tempfile::tempdir().unwrap();
        for i in 0..3 {
            std::fs::write(
                tmp.path().join(format!("l{i}.md")),
                format!("---\nid: l{i}\ntitle: Lesson {i}\norder: {i}\n---\nAttention, again attention.\n"),
            )
            .unwrap();
        }
        let mut index = SearchIndex::in_memory().unwrap();
        index.sync(&Course::load(tmp.path())).unwrap();
        (tmp, index)
    }

    fn note(id: &str, quote: &str, text: Option<&str>) -> NoteText {
        NoteText {
            id: id.to_owned(),
            lesson: "l1".to_owned(),
            title: "Lesson 1".to_owned(),
            quote: quote.to_owned(),
            note: text.map(str::to_owned),
        }
    }

    fn kinds(results: &Results) -> Vec<String> {
        results
            .results
            .iter()
            .map(|h| h.annotation.clone().unwrap_or_else(|| h.lesson.clone()))
            .collect()
    }

    #[test]
    fn notes_found_as_typed_come_before_the_lessons_but_at_most_three_of_them() {
        let (_tmp, index) = index();
        let notes: Vec<NoteText> = (1..=5)
            .map(|i| note(&format!("n{i}"), "attention weights", None))
            .collect();
        let got = index.query_with("attention", 20, &notes).unwrap();
        assert_eq!(
            kinds(&got),
            ["n1", "n2", "n3", "l0", "l1", "l2", "n4", "n5"],
            "course order kept among equal notes"
        );
        let scores: Vec<f64> = got.results.iter().map(|h| h.score).collect();
        assert!(scores.windows(2).all(|w| w[0] > w[1]), "{scores:?}");
        assert_eq!(got.results[0].kind, HitKind::Note);
        assert_eq!(got.results[3].kind, HitKind::Lesson);
    }

    #[test]
    fn a_note_found_only_as_another_form_comes_after_the_lessons() {
        let (_tmp, index) = index();
        let notes = [note("forms", "an attentive reader", None)];
        let got = index.query_with("attention", 20, &notes).unwrap();
        assert_eq!(kinds(&got), ["l0", "l1", "l2", "forms"]);
    }

    #[test]
    fn the_limit_counts_notes_and_lessons_together() {
        let (_tmp, index) = index();
        let notes = [note("a", "attention", None), note("b", "attentive", None)];
        let got = index.query_with("attention", 2, &notes).unwrap();
        assert_eq!(kinds(&got), ["a", "l0"]);
    }

    #[test]
    fn every_term_must_be_in_the_quote_or_the_note_and_a_note_ranks_by_how_often() {
        let (_tmp, index) = index();
        let notes = [
            note("once", "the softmax", Some("ask about keys")),
            note("twice", "softmax of softmax", Some("keys and keys")),
            note("half", "softmax alone", None),
        ];
        let got = index.query_with("softmax keys", 20, &notes).unwrap();
        assert_eq!(kinds(&got), ["twice", "once"]);
        assert_eq!(got.results[0].heading, "Your note");
        assert!(got.suggestions.is_empty());
    }

    #[test]
    fn a_note_snippet_marks_the_words_found_and_escapes_the_rest() {
        let (_tmp, index) = index();
        let notes = [note("n", "Tokenisation <b>matters</b>", Some("see tokens"))];
        let got = index.query_with("tokenization", 20, &notes).unwrap();
        assert_eq!(
            got.results[0].snippet,
            "<mark>Tokenisation</mark> &lt;b&gt;matters&lt;/b&gt; — see <mark>tokens</mark>"
        );
        assert_eq!(got.results[0].heading, "Your note");
    }

    #[test]
    fn a_note_snippet_marks_a_word_whole_across_its_combining_diacritic() {
        let (_tmp, index) = index();
        let notes = [note("n", "A nai\u{308}ve view", None)];
        let got = index.query_with("naive", 20, &notes).unwrap();
        assert_eq!(got.results[0].snippet, "A <mark>nai\u{308}ve</mark> view");
    }

    #[test]
    fn without_notes_every_result_is_a_lesson_and_serializes_its_kind() {
        let (_tmp, index) = index();
        let got = index.query_with("attention", 20, &[]).unwrap();
        assert_eq!(kinds(&got), ["l0", "l1", "l2"]);
        let json = serde_json::to_value(&got.results[0]).unwrap();
        assert_eq!(json["kind"], "lesson");
        assert!(json.get("annotation").is_none());
        let noted = index
            .query_with("attention", 20, &[note("n", "attention", None)])
            .unwrap();
        let json = serde_json::to_value(&noted.results[0]).unwrap();
        assert_eq!(
            (json["kind"].as_str(), json["annotation"].as_str()),
            (Some("note"), Some("n"))
        );
    }
}
