//! "Review this": for a question, the lesson heading whose section covers it best.
//!
//! Sections are the text between one level-2 or level-3 heading and the next heading of
//! any level (the Knowledge Check itself excluded). A question is matched by the words of
//! its prompt and correct options, ranked with BM25 (the classic search-engine formula):
//! each word shared with a section scores its inverse document frequency (rare words,
//! like "causal", weigh more than words found everywhere, like "model") times a count of
//! its uses that saturates quickly, so covering more of the question beats repeating one
//! word, and long sections are discounted. Words of the heading itself count three times;
//! common English words are ignored. Ties go to the earlier heading; no shared word means
//! no link. Recap sections ("Summary", "Key takeaways", "Further reading"…) are left
//! out: they mention every topic briefly, so they would win often and teach little.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::HeadingLink;
use crate::render;

/// Whether a heading names a recap of the lesson rather than a place that teaches.
fn is_recap(heading: &str) -> bool {
    const RECAPS: &[&str] = &[
        "summary",
        "recap",
        "conclusion",
        "conclusions",
        "key-takeaways",
        "takeaways",
        "wrap-up",
        "further-reading",
        "references",
        "next-steps",
        "what-s-next",
        "whats-next",
    ];
    RECAPS.contains(&crate::lesson::slugify(heading).as_str())
}

/// The headed sections of one lesson, indexed for matching.
pub(super) struct Sections {
    sections: Vec<(HeadingLink, HashMap<String, u32>)>,
    idf: HashMap<String, f64>,
    /// Average section length in terms, for BM25's length normalization.
    average_len: f64,
}

impl Sections {
    /// Indexes `body`'s h2/h3 sections, leaving out any that start inside `quiz`.
    pub(super) fn new(body: &str, quiz: &Range<usize>) -> Self {
        let headings = render::headings(body);
        let mut sections = Vec::new();
        for (i, h) in headings.iter().enumerate() {
            if !(2..=3).contains(&h.level) || quiz.contains(&h.offset) || is_recap(&h.text) {
                continue;
            }
            // `headings` skips the Knowledge Check's own heading, so the section before
            // it must stop where the quiz starts, or the quiz's words would all count
            // for that section.
            let next = headings.get(i + 1).map_or(body.len(), |next| next.offset);
            let end = if h.offset < quiz.start && quiz.start < next {
                quiz.start
            } else {
                next
            };
            let text = body.get(h.offset..end).unwrap_or_default();
            let mut counts: HashMap<String, u32> = HashMap::new();
            for word in terms(text) {
                *counts.entry(word).or_default() += 1;
            }
            for word in terms(&h.text) {
                // The heading line is in `text` once already; two more make it weigh 3.
                *counts.entry(word).or_default() += 2;
            }
            sections.push((
                HeadingLink {
                    id: h.id.clone(),
                    text: h.text.clone(),
                },
                counts,
            ));
        }
        let n = sections.len() as f64;
        let mut df: HashMap<&str, u32> = HashMap::new();
        for (_, counts) in &sections {
            for word in counts.keys() {
                *df.entry(word.as_str()).or_default() += 1;
            }
        }
        let idf = df
            .into_iter()
            .map(|(w, d)| {
                let d = f64::from(d);
                (w.to_owned(), (1.0 + (n - d + 0.5) / (d + 0.5)).ln())
            })
            .collect();
        let total: u32 = sections.iter().map(|(_, c)| c.values().sum::<u32>()).sum();
        let average_len = f64::from(total) / n.max(1.0);
        Sections {
            sections,
            idf,
            average_len,
        }
    }

    /// The best section for `query` (the prompt and correct options), if any shares a word.
    pub(super) fn best(&self, query: &str) -> Option<HeadingLink> {
        let words: HashSet<String> = terms(query).collect();
        let mut best: Option<(f64, &HeadingLink)> = None;
        for (link, counts) in &self.sections {
            let len = f64::from(counts.values().sum::<u32>());
            let norm = K1 * (1.0 - B + B * len / self.average_len.max(1.0));
            let score: f64 = words
                .iter()
                .filter_map(|w| {
                    let tf = f64::from(*counts.get(w)?);
                    let idf = self.idf.get(w).copied().unwrap_or(0.0);
                    Some(idf * tf * (K1 + 1.0) / (tf + norm))
                })
                .sum();
            let better = match best {
                Some((s, _)) => score > s,
                None => score > 0.0,
            };
            if better {
                best = Some((score, link));
            }
        }
        best.map(|(_, link)| link.clone())
    }
}

/// BM25's usual constants: how fast repeated words stop adding (`K1`) and how much
/// long sections are discounted (`B`).
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Lowercased content words of `text`, stopwords dropped, crude plurals folded
/// ("masks" → "mask") so that a question and its section meet on the same word.
fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(|w| {
            let fold = w.len() > 3
                && w.ends_with('s')
                && !w.ends_with("ss")
                && !w.ends_with("us")
                && !w.ends_with("is");
            if fold {
                w[..w.len() - 1].to_owned()
            } else {
                w
            }
        })
}

const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does",
    "doesn", "each", "for", "from", "had", "has", "have", "how", "if", "in", "into", "is", "it",
    "its", "like", "main", "may", "more", "most", "no", "not", "of", "on", "one", "only", "or",
    "other", "our", "over", "same", "should", "so", "some", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "through", "to", "two", "under",
    "up", "use", "used", "uses", "using", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "why", "will", "with", "would", "you", "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    const LESSON: &str = "# Models\n\nIntro.\n\n\
        ## Encoders\n\nBERT reads the whole sentence in both directions: bidirectional attention.\n\n\
        ### Masked tokens\n\nBERT hides some tokens behind a [MASK] and predicts them.\n\n\
        ## Decoders\n\nGPT generates text one token after another.\n\n\
        ### Causal attention\n\nA causal mask hides later positions, so each position attends only to earlier ones.\n\n\
        ## Knowledge Check\n\n1. Which positions does a causal mask hide?\n   - Later positions\n   - None\n";

    fn best(query: &str) -> Option<String> {
        let span = LESSON.find("## Knowledge Check").map(|s| s..LESSON.len());
        let sections = Sections::new(LESSON, &span.unwrap_or(0..0));
        sections.best(query).map(|l| l.id)
    }

    #[test]
    fn a_question_on_causal_masks_links_to_the_causal_attention_section() {
        assert_eq!(
            best("Which positions does GPT's causal mask hide?\nLater positions").as_deref(),
            Some("causal-attention")
        );
    }

    #[test]
    fn a_question_on_masking_tokens_links_to_the_masked_tokens_section() {
        assert_eq!(
            best("What does BERT predict?\nThe masked tokens").as_deref(),
            Some("masked-tokens")
        );
    }

    #[test]
    fn no_shared_word_means_no_link() {
        assert_eq!(best("Quelle heure est-il ?"), None);
    }

    #[test]
    fn the_knowledge_check_never_links_to_itself() {
        assert_ne!(best("knowledge check").as_deref(), Some("knowledge-check"));
    }

    #[test]
    fn a_summary_section_is_never_the_place_to_review() {
        let lesson = "# L\n\n## Causal attention\n\nA causal mask hides later positions.\n\n\
            ## Summary\n\nCausal masks hide later positions; causal attention; causal causal.\n\n\
            ## Knowledge Check\n\n1. Which positions does a causal mask hide?\n   - Later positions\n   - None\n";
        let span = lesson
            .find("## Knowledge Check")
            .map(|s| s..lesson.len())
            .unwrap();
        let got = Sections::new(lesson, &span)
            .best("Which positions does a causal mask hide? Later positions");
        assert_eq!(got.map(|h| h.text), Some("Causal attention".to_owned()));
        assert!(is_recap("Key Takeaways") && is_recap("Summary") && !is_recap("Causal attention"));
    }

    #[test]
    fn the_section_before_the_knowledge_check_does_not_take_the_quiz_words() {
        let lesson = "# L\n\n## Byte pair encoding\n\nMerges the most frequent pair of symbols.\n\n\
            ## Attention masks\n\nA causal mask hides later positions.\n\n\
            ## Knowledge Check\n\n1. What does byte pair encoding merge at each step?\n   - The most frequent pair of symbols\n   - Whole sentences\n";
        let start = lesson.find("## Knowledge Check").unwrap();
        let got = Sections::new(lesson, &(start..lesson.len())).best(
            "What does byte pair encoding merge at each step?\nThe most frequent pair of symbols",
        );
        assert_eq!(got.map(|h| h.id), Some("byte-pair-encoding".to_owned()));
    }

    #[test]
    fn plurals_and_case_fold_to_one_term() {
        let t: Vec<String> = terms("Masks, MASK and the Tokens; class bus").collect();
        assert_eq!(t, ["mask", "mask", "token", "class", "bus"]);
    }
}
