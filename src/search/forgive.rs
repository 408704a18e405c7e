//! What search forgives: word forms (Snowball stemming in the course's language), British
//! and American spellings, typos (edit distance), stop words, and compounds written
//! whole, split or joined. Pure functions on words; `query.rs` asks the index's
//! vocabulary with them and `mod.rs` indexes the extra forms of compounds.

use rust_stemmers::{Algorithm, Stemmer};

/// The stemmer of a course's language, from its tag (`en`, `en-GB`, `de`, `pt-BR`…);
/// English when the course does not say or Snowball has no stemmer for it.
pub(super) struct Language {
    stemmer: Stemmer,
    english: bool,
}

impl Language {
    /// The language of tag `tag` (English for `None` or a language Snowball lacks).
    pub(super) fn from_tag(tag: Option<&str>) -> Language {
        let primary = tag
            .and_then(|t| t.split(['-', '_']).next())
            .map(str::to_ascii_lowercase);
        let algorithm = match primary.as_deref() {
            Some("ar") => Algorithm::Arabic,
            Some("da") => Algorithm::Danish,
            Some("nl") => Algorithm::Dutch,
            Some("fi") => Algorithm::Finnish,
            Some("fr") => Algorithm::French,
            Some("de") => Algorithm::German,
            Some("el") => Algorithm::Greek,
            Some("hu") => Algorithm::Hungarian,
            Some("it") => Algorithm::Italian,
            Some("no" | "nb" | "nn") => Algorithm::Norwegian,
            Some("pt") => Algorithm::Portuguese,
            Some("ro") => Algorithm::Romanian,
            Some("ru") => Algorithm::Russian,
            Some("es") => Algorithm::Spanish,
            Some("sv") => Algorithm::Swedish,
            Some("ta") => Algorithm::Tamil,
            Some("tr") => Algorithm::Turkish,
            _ => Algorithm::English,
        };
        Language {
            stemmer: Stemmer::create(algorithm),
            english: algorithm == Algorithm::English,
        }
    }

    /// What two forms of one word share: the stem of the word, and in English of its
    /// American spelling (`tokenisation`, `tokenizing` and `tokens` are all `token`;
    /// `colour` and `color` are `color`). Two words with one key are the same word to
    /// search. The spelling is folded on both sides, so a word that only looks like a
    /// British form (`noise`) meets no other word.
    pub(super) fn key(&self, word: &str) -> String {
        if !self.english {
            return self.stemmer.stem(word).into_owned();
        }
        let stem = self.stemmer.stem(&american(word)).into_owned();
        // -our → -or on the stem (`colour`, `behaviours`): words of four letters
        // (`four`, `your`, `tour`) are left alone.
        match stem.strip_suffix("our") {
            Some(base) if base.len() >= 2 && stem.len() >= 5 => format!("{base}or"),
            _ => stem,
        }
    }

    /// Whether `word` says nothing on its own in this language (`the`, `of`): left out
    /// of a query that has other words. Only English has a list.
    pub(super) fn is_stop_word(&self, word: &str) -> bool {
        self.english && ENGLISH_STOP_WORDS.binary_search(&word).is_ok()
    }
}

/// Short English words too common to search for, sorted.
const ENGLISH_STOP_WORDS: [&str; 34] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "i", "in",
    "is", "it", "of", "on", "or", "so", "that", "the", "this", "to", "use", "using", "was", "what",
    "when", "where", "which", "why", "with",
];

/// `word` with British endings written the American way: -ise/-isation/-yse (and their
/// inflections) as -ize/-ization/-yze, -elled/-elling/-eller as -eled/-eling/-eler.
fn american(word: &str) -> String {
    const ENDINGS: [(&str, &str); 16] = [
        ("isations", "izations"),
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("isers", "izers"),
        ("iser", "izer"),
        ("ises", "izes"),
        ("ise", "ize"),
        ("ysing", "yzing"),
        ("ysed", "yzed"),
        ("yses", "yzes"),
        ("yse", "yze"),
        ("elling", "eling"),
        ("elled", "eled"),
        ("ellers", "elers"),
        ("eller", "eler"),
    ];
    for (british, american) in ENDINGS {
        if let Some(base) = word.strip_suffix(british) {
            if base.chars().count() >= 2 {
                return format!("{base}{american}");
            }
        }
    }
    word.to_owned()
}

/// How many edits a typed word may be from an indexed one to be taken for a typo of
/// it: none under five letters, one from five, two from nine (Meilisearch's rule).
pub(super) fn typo_budget(word: &str) -> usize {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Whether a query term is code (`attention_mask`, `self.vocab`, `std::fs`,
/// `BertTokenizer`, `x2`) or written in a script without spaces: such a term is matched
/// as written, never corrected or stemmed.
pub(super) fn is_literal(term: &str) -> bool {
    term.contains(['_', '.', ':'])
        || term
            .chars()
            .any(|c| c.is_ascii_digit() || super::terms::is_cjk(c))
        || case_pieces(term).len() > 1
}

/// The distance between two words, a swap of neighbours counting as one edit.
pub(super) fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// The other spellings of the compounds and identifiers of a text, so that they are
/// found however they are written: `(form, words)`, where a query word `form` also
/// finds the indexed `words` (one word, or a phrase). A hyphenated word joined
/// (`fine-tuning` → `("finetuning", "fine tuning")`), and each part of an identifier cut
/// at its case changes (`BertTokenizer` → `("bert", "berttokenizer")`, `("tokenizer",
/// "berttokenizer")`). Lower case. (`unicode61` already cuts at `-`, `_`, `.` and `::`,
/// so the parts of those are indexed words.) The build asks it a chunk at a time
/// ([`is_marked`], [`chunk_forms`]), each chunk once.
#[cfg(test)]
pub(super) fn compound_forms(text: &str) -> Vec<(String, String)> {
    super::terms::chunks(text)
        .filter(|chunk| is_marked(chunk))
        .flat_map(chunk_forms)
        .collect()
}

/// Whether one of [`super::terms::chunks`] holds a hyphen or an upper-case letter after
/// its first character: the only ones [`chunk_forms`] makes anything of (most words are
/// neither hyphenated nor cut by case).
pub(super) fn is_marked(chunk: &str) -> bool {
    if chunk.is_ascii() {
        let bytes = chunk.as_bytes();
        return bytes.contains(&b'-') || bytes.iter().skip(1).any(u8::is_ascii_uppercase);
    }
    chunk.contains('-') || chunk.chars().skip(1).any(char::is_uppercase)
}

/// The forms [`compound_forms`] gives for one chunk of a text.
pub(super) fn chunk_forms(chunk: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let parts: Vec<&str> = super::terms::chunk_words(chunk).collect();
    if parts.len() > 1 && parts.iter().all(|p| p.chars().all(char::is_alphabetic)) {
        let words: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
        out.push((words.concat(), words.join(" ")));
    }
    for part in parts {
        let pieces = case_pieces(part);
        if pieces.len() > 1 {
            let whole = part.to_lowercase();
            out.extend(pieces.into_iter().map(|p| (p, whole.clone())));
        }
    }
    out
}

/// A word cut where its case changes, lower case: `BertTokenizer` → `bert`,
/// `tokenizer`; `HTTPServer` → `http`, `server`; `word` → `word`.
fn case_pieces(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        let lower_to_upper = chars[i - 1].is_lowercase() && chars[i].is_uppercase();
        let acronym_end = chars[i - 1].is_uppercase()
            && chars[i].is_uppercase()
            && chars.get(i + 1).is_some_and(|c| c.is_lowercase());
        if lower_to_upper || acronym_end {
            pieces.push(chars[start..i].iter().collect::<String>().to_lowercase());
            start = i;
        }
    }
    pieces.push(chars[start..].iter().collect::<String>().to_lowercase());
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The marked chunks of `text`, as the build finds them.
    fn marked_chunks(text: &str) -> Vec<&str> {
        super::super::terms::chunks(text)
            .filter(|c| is_marked(c))
            .collect()
    }

    #[test]
    fn marked_chunks_are_those_of_the_general_cut() {
        let general = |text: &str| -> Vec<String> {
            text.split(|c: char| !(super::super::terms::is_word_char(c) || c == '-'))
                .filter(|c| c.contains('-') || c.chars().skip(1).any(char::is_uppercase))
                .map(str::to_owned)
                .collect()
        };
        for text in [
            "",
            "-",
            "A",
            "aB",
            "The BertTokenizer of self-attention, HTTPServer and x-y-Z.",
            "trailing-hyphen- -leading Upper lowerUpper",
            "end withCamel",
            "(skip-gram)[HTTPServer]{a-b}",
            "tabs\tand\nnew-lines\r\nCamelCase",
            "naïve-Wörter — ÉcoleNormale straße-Ärger x-É",
        ] {
            let fast: Vec<String> = marked_chunks(text).into_iter().map(str::to_owned).collect();
            assert_eq!(fast, general(text), "{text:?}");
        }
        assert_eq!(
            marked_chunks("naïve-Wörter"),
            vec!["naïve-Wörter"],
            "non-ASCII text"
        );
    }

    #[test]
    fn word_forms_and_british_and_american_spellings_share_a_key() {
        let en = Language::from_tag(Some("en-GB"));
        let same = |a: &str, b: &str| assert_eq!(en.key(a), en.key(b), "{a} ~ {b}");
        same("tokenisation", "tokenization");
        same("tokenizing", "tokens");
        same("modelling", "modeling");
        same("colour", "color");
        same("behaviours", "behavior");
        same("analysed", "analyzing");
        same("cancelled", "canceled");
        same("optimisation", "optimization");
        assert_ne!(
            en.key("four"),
            en.key("for"),
            "short -our words are left alone"
        );
    }

    #[test]
    fn the_course_language_picks_the_stemmer_and_english_is_the_default() {
        let de = Language::from_tag(Some("de"));
        assert_eq!(de.key("Katzen".to_lowercase().as_str()), de.key("katze"));
        assert!(!de.is_stop_word("the"), "only English has stop words");
        let none = Language::from_tag(None);
        assert_eq!(none.key("running"), "run");
        assert!(none.is_stop_word("the") && !none.is_stop_word("attention"));
        assert_eq!(Language::from_tag(Some("xx")).key("running"), "run");
    }

    #[test]
    fn typos_are_allowed_one_edit_from_five_letters_and_two_from_nine() {
        assert_eq!(typo_budget("mask"), 0);
        assert_eq!(typo_budget("softmx"), 1);
        assert_eq!(typo_budget("transfomer"), 2);
        assert_eq!(distance("transfomer", "transformer"), 1);
        assert_eq!(distance("teh", "the"), 1, "a swap is one edit");
    }

    #[test]
    fn code_and_cjk_terms_are_literal_and_words_are_not() {
        for t in [
            "attention_mask",
            "self.vocab",
            "std::fs",
            "BertTokenizer",
            "x2",
            "注意力",
        ] {
            assert!(is_literal(t), "{t}");
        }
        for t in ["softmx", "Transformer", "BERT", "fine-tuning"] {
            assert!(!is_literal(t), "{t}");
        }
    }

    #[test]
    fn compounds_are_indexed_joined_and_identifiers_cut_at_case_changes() {
        let forms = |t: &str| -> Vec<String> {
            compound_forms(t)
                .into_iter()
                .map(|(form, words)| format!("{form}={words}"))
                .collect()
        };
        assert_eq!(
            forms("fine-tuning a look-up table"),
            ["finetuning=fine tuning", "lookup=look up"]
        );
        assert_eq!(
            forms("BertTokenizer, HTTPServer"),
            [
                "bert=berttokenizer",
                "tokenizer=berttokenizer",
                "http=httpserver",
                "server=httpserver"
            ]
        );
        assert_eq!(forms("Pre-Training"), ["pretraining=pre training"]);
        assert!(forms("top-5 plain words").is_empty());
    }
}
