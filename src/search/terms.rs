//! Query text: terms as the learner typed them (FTS5 syntax is not syntax here) and
//! words as the `unicode61` tokenizer makes them.

/// A term as an FTS5 string (never an operator or a column filter).
pub(super) fn quoted(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// The words of a text as the `unicode61` tokenizer (diacritics removed) makes them:
/// runs of letters and digits, lower case, Latin letters without their accents. Used for
/// the vocabulary and for query terms; were it ever to differ from SQLite's on some
/// script, a word would only go unexpanded and be looked up as a substring of words.
pub(super) fn tokens(text: &str) -> Vec<String> {
    // A word of diacritics alone folds to nothing: no token, as in FTS5.
    words(text).map(folded).filter(|t| !t.is_empty()).collect()
}

/// The runs of letters and digits of `text`, as written (see [`tokens`]): the
/// [`chunks`] cut at their hyphens.
pub(super) fn words(text: &str) -> impl Iterator<Item = &str> {
    chunks(text).flat_map(chunk_words)
}

/// The words of one of the [`chunks`]: its parts between hyphens.
pub(super) fn chunk_words(chunk: &str) -> impl Iterator<Item = &str> {
    chunk.split('-').filter(|w| !w.is_empty())
}

/// The runs of letters, digits, hyphens and diacritics ([`is_word_char`]) of `text`
/// (`self-attention`, `BertTokenizer`, `x2`): its words, with the hyphens that join some
/// of them, in one pass. A build reads
/// every text of a course through it (its words for the vocabulary, its hyphenated and
/// camel-case runs for compounds), so ASCII, most of a course, is read a byte at a time
/// and only other characters are decoded (a test keeps it equal to the general cut).
pub(super) fn chunks(text: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = loop {
            let (inside, len) = chunk_char_at(text, at)?;
            if inside {
                break at;
            }
            at += len;
        };
        while let Some((true, len)) = chunk_char_at(text, at) {
            at += len;
        }
        text.get(start..at)
    })
}

/// Whether the character at byte `at` of `text` (a character boundary) is a letter, a
/// digit or a hyphen, and its length in bytes; `None` at the end.
fn chunk_char_at(text: &str, at: usize) -> Option<(bool, usize)> {
    let &b = text.as_bytes().get(at)?;
    if b.is_ascii() {
        return Some((b.is_ascii_alphanumeric() || b == b'-', 1));
    }
    let c = text.get(at..)?.chars().next()?;
    Some((is_word_char(c), c.len_utf8()))
}

/// Whether `c` belongs to a word as the `unicode61` tokenizer reads one: a letter, a
/// digit, or a mark it takes for a diacritic ([`is_diacritic`]).
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_diacritic(c)
}

/// Whether `c` is a combining mark that FTS5's `unicode61` (`remove_diacritics 2`) takes
/// for a diacritic: part of the word it sits in, then removed, so `y` + U+0302 + `t`
/// (the snippet text's `ŷt`) is the word `yt`. SQLite's own two masks over
/// U+0300–U+0331 (`sqlite3Fts5UnicodeIsdiacritic`); a test holds them to the tokenizer.
/// Any other mark (U+0305, U+20D7) ends a word there as it does for FTS5.
pub(super) fn is_diacritic(c: char) -> bool {
    const LOW: u32 = 0x0802_9FDF; // U+0300..=U+031F
    const HIGH: u32 = 0x0003_61F8; // U+0320..=U+0331
    match u32::from(c) {
        n @ 0x300..=0x31F => (LOW >> (n - 0x300)) & 1 == 1,
        n @ 0x320..=0x331 => (HIGH >> (n - 0x320)) & 1 == 1,
        _ => false,
    }
}

/// Adds the tokens of `words` (runs of letters and digits, as [`words`] gives them)
/// that are not in `known` to `set`, allocating only for a word in neither (indexing
/// meets each common word thousands of times, and a build knows most of a lesson's words
/// from the lessons before it; a word to fold, such as one that starts a sentence, is
/// folded into one reused buffer first).
pub(super) fn add_words<'a, S: std::hash::BuildHasher>(
    words: impl Iterator<Item = &'a str>,
    known: &std::collections::HashSet<String, S>,
    set: &mut std::collections::HashSet<String, S>,
) {
    let mut buffer = String::new();
    for word in words {
        let plain = word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        let token = if plain {
            word
        } else {
            buffer.clear();
            fold_into(word, &mut buffer);
            buffer.as_str()
        };
        if !token.is_empty() && !known.contains(token) && !set.contains(token) {
            set.insert(token.to_owned());
        }
    }
}

/// A word lower-cased, its Latin letters without their accents.
fn folded(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// Appends [`folded`]`(word)` to `out`.
fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        out.push_str(word);
        let start = out.len() - word.len();
        if let Some(tail) = out.get_mut(start..) {
            tail.make_ascii_lowercase();
        }
        return;
    }
    for c in word.chars() {
        push_folded(c, out);
    }
}

/// One character lower-cased, a Latin letter with a diacritic as its base letter, and a
/// combining diacritic ([`is_diacritic`]) as nothing.
fn push_folded(c: char, out: &mut String) {
    if is_diacritic(c) {
        return;
    }
    let latin = matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}');
    if latin {
        if let Some(base) = deunicode::deunicode_char(c) {
            let mut chars = base.chars();
            if let (Some(b), None) = (chars.next(), chars.next()) {
                if b.is_ascii_alphabetic() {
                    out.push(b.to_ascii_lowercase());
                    return;
                }
            }
        }
    }
    out.extend(c.to_lowercase());
}

/// Whether `c` is written without spaces between words: Han, kana, Hangul.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // Han, extension A
        | '\u{4E00}'..='\u{9FFF}' // Han
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // Han compatibility
        | '\u{20000}'..='\u{2FFFF}' // Han, extensions B and later
    )
}

/// The runs of CJK characters in `text` as overlapping pairs, space-separated, for the
/// `pairs` table: `自注意力 机制` is `自注 注意 意力 机制`; a run of one character is
/// itself. Empty when `text` has none. Chinese and Japanese put no space between
/// words and most of their words are two characters, too short for trigrams: as a
/// word of the `pairs` table, `词元` is found wherever it is written, and a longer term
/// is the phrase of its pairs (a substring match).
pub(super) fn cjk_pairs(text: &str) -> String {
    let mut out = String::new();
    // No CJK character is ASCII: most texts are, and have no pairs (checked a word at a time).
    if text.is_ascii() {
        return out;
    }
    let mut run: Vec<char> = Vec::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_cjk(c) {
            run.push(c);
            continue;
        }
        if run.len() == 1 {
            push_word(&mut out, &run[..]);
        }
        for pair in run.windows(2) {
            push_word(&mut out, pair);
        }
        run.clear();
    }
    out
}

fn push_word(out: &mut String, chars: &[char]) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.extend(chars);
}

/// The `pairs` table's FTS5 expression for a query whose every term is CJK of two
/// characters or more (each term the phrase of its pairs, all of them required);
/// `None` for any other query.
pub(super) fn pairs_query(terms: &[String]) -> Option<String> {
    let mut phrases = Vec::with_capacity(terms.len());
    for term in terms {
        let chars: Vec<char> = term.chars().collect();
        if chars.len() < 2 || !chars.iter().all(|c| is_cjk(*c)) {
            return None;
        }
        phrases.push(quoted(&cjk_pairs(term)));
    }
    (!phrases.is_empty()).then(|| phrases.join(" AND "))
}

/// How much of a query is read: its first [`MAX_QUERY_CHARS`] characters, and of their
/// terms the first [`MAX_TERMS`] different ones.
///
/// Every term costs a vocabulary lookup and up to 24 phrases in the FTS5 expression, and
/// FTS5 holds the whole expression in memory: unbounded, the same word typed 2,000
/// times took 48 s and 10,000 one-letter words 2.9 GB. A learner's query is a few
/// words (no title or heading of the bundled course has more than 7 words or 51
/// characters); 256 characters is five such headings, a pasted paragraph, and 32
/// terms over four times the wordiest one, so neither cap is met by a query typed to
/// find something, while the worst query costs a few milliseconds.
pub(super) const MAX_QUERY_CHARS: usize = 256;

/// See [`MAX_QUERY_CHARS`].
pub(super) const MAX_TERMS: usize = 32;

/// Terms of a query: runs of letters, digits and `_` (code identifiers stay whole),
/// and any other non-space run kept as written (`softmax(`, `C++`), whose words are
/// looked for as written and, when they are no indexed word, as substrings. FTS5 syntax is not syntax here: quotes, `*`, `^`, `+`
/// and braces around a term are dropped, `AND`/`OR`/`NOT`/`NEAR` are not words to find,
/// `NEAR(` is `NEAR` and `(`, and a column filter (`title:word`, `{body}:`) is dropped,
/// leaving its word: the query finds the words in any column. A term given twice is
/// one term, and only the query's first [`MAX_QUERY_CHARS`] characters and first
/// [`MAX_TERMS`] terms are read.
pub(super) fn terms(query: &str) -> Vec<String> {
    let query = match query.char_indices().nth(MAX_QUERY_CHARS) {
        Some((end, _)) => &query[..end],
        None => query,
    };
    let mut seen = std::collections::HashSet::new();
    without_column_sets(query)
        .split_whitespace()
        .map(|w| match w.split_once(':') {
            Some((column, rest)) if COLUMNS.contains(&column.to_lowercase().as_str()) => rest,
            _ => w,
        })
        .map(|w| {
            let w = w.strip_prefix("NEAR(").unwrap_or(w);
            w.trim_matches(|c: char| matches!(c, '"' | '*' | '^' | '+' | ':'))
        })
        .filter(|w| !w.is_empty())
        .filter(|w| !matches!(*w, "AND" | "OR" | "NOT" | "NEAR"))
        .filter(|w| seen.insert(w.to_owned()))
        .take(MAX_TERMS)
        .map(str::to_owned)
        .collect()
}

/// `query` with FTS5 column sets (`{title body}:`) taken out; other braces stay.
fn without_column_sets(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut rest = query;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inside = &after[..close];
        let is_set = inside
            .split_whitespace()
            .all(|c| COLUMNS.contains(&c.to_lowercase().as_str()));
        if is_set {
            out.push(' ');
        } else {
            out.push_str(&rest[open..open + close + 2]);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The column names a learner may type as a filter (`title:attention`).
const COLUMNS: [&str; 5] = ["title", "heading", "body", "code", "prompts"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lower_case_words_with_latin_accents_removed_like_unicode61() {
        assert_eq!(
            tokens("Naïve CAFÉ, self.vocab"),
            ["naive", "cafe", "self", "vocab"]
        );
        assert_eq!(tokens("snake_case x2"), ["snake", "case", "x2"]);
        assert_eq!(
            tokens("自注意力 机制"),
            ["自注意力", "机制"],
            "CJK runs stay whole"
        );
        assert!(tokens("(*) -- ").is_empty());
    }

    #[test]
    fn chunks_and_words_are_those_of_the_general_cut() {
        let cut = |text: &str, keep: fn(char) -> bool| -> Vec<String> {
            text.split(|c: char| !keep(c))
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        };
        for text in [
            "",
            "-",
            "--a--",
            "A",
            "The BertTokenizer of self-attention, HTTPServer and x-y-Z.",
            "trailing-hyphen- -leading Upper lowerUpper — naïve-Wörter “quoted”",
            "(skip-gram)[HTTPServer]{a-b}\ttabs\tand\nnew-lines\r\nCamelCase",
            "自注意力机制-x ١٢٣ Ünïcode\u{301}e x²",
            "\u{a0}non\u{2011}breaking\u{2010}hyphens",
            "y\u{302}t = softmax, v\u{20D7} and a\u{305}b",
        ] {
            let chunks: Vec<String> = chunks(text).map(str::to_owned).collect();
            let general = cut(text, |c| is_word_char(c) || c == '-');
            assert_eq!(chunks, general, "{text:?}");
            let words: Vec<String> = words(text).map(str::to_owned).collect();
            assert_eq!(words, cut(text, is_word_char), "{text:?}");
        }
    }

    #[test]
    fn tokens_are_the_words_fts5_makes_around_every_combining_mark() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2');
             CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);",
        )
        .unwrap();
        // Marks with Unicode's Alphabetic property (U+0345) are letters to `char`, not to
        // FTS5: the difference of scripts `tokens` speaks of, not a diacritic's.
        let marks = ('\u{2F0}'..='\u{36F}')
            .chain(['\u{20D7}', '\u{1DC0}', '\u{FE20}'])
            .filter(|c| !c.is_alphanumeric());
        let mut joined = 0;
        for c in marks {
            let text = format!("ab{c}cd {c}Lead tail{c} {c} x{c}{c}y");
            conn.execute("DELETE FROM t", []).unwrap();
            conn.execute("INSERT INTO t (rowid, x) VALUES (1, ?1)", [&text])
                .unwrap();
            let mut stmt = conn.prepare("SELECT term FROM v ORDER BY offset").unwrap();
            let fts5: Vec<String> = stmt
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(tokens(&text), fts5, "U+{:04X}", u32::from(c));
            joined += usize::from(is_diacritic(c));
        }
        assert_eq!(joined, 25, "the marks FTS5 removes as diacritics");
    }

    #[test]
    fn the_vocabulary_of_a_text_is_the_set_of_its_tokens() {
        let text =
            "Naïve CAFÉ, self.vocab; the vocab of BertTokenizer x2 自注意力 Ünïcode word word";
        let mut set = std::collections::HashSet::new();
        add_words(words(text), &std::collections::HashSet::new(), &mut set);
        let expected: std::collections::HashSet<String> = tokens(text).into_iter().collect();
        assert_eq!(set, expected);
        let known: std::collections::HashSet<String> =
            ["naive", "word", "self"].map(String::from).into();
        let mut new = std::collections::HashSet::new();
        add_words(words(text), &known, &mut new);
        assert_eq!(new, &expected - &known, "known words are left out");
    }

    #[test]
    fn terms_drop_fts5_syntax_and_column_filters_but_keep_code() {
        assert_eq!(terms("\"byte pair"), ["byte", "pair"]);
        assert_eq!(terms("AND tokenizer OR NOT"), ["tokenizer"]);
        assert_eq!(terms("NEAR(attention *"), ["attention"]);
        assert_eq!(
            terms("title:attention {body code}: softmax("),
            ["attention", "softmax("]
        );
        assert_eq!(
            terms("{x} key:value"),
            ["{x}", "key:value"],
            "not column filters"
        );
        assert_eq!(terms("^first +second"), ["first", "second"]);
    }

    #[test]
    fn a_term_given_twice_is_one_and_a_query_is_read_up_to_its_caps() {
        assert_eq!(
            terms("softmax Softmax softmax \"softmax"),
            ["softmax", "Softmax"]
        );
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        let found = terms(&many);
        assert_eq!(found.len(), MAX_TERMS);
        assert_eq!(
            found[MAX_TERMS - 1],
            format!("w{}", MAX_TERMS - 1),
            "the first ones"
        );
        let long = "a".repeat(10 * MAX_QUERY_CHARS);
        assert_eq!(terms(&long), ["a".repeat(MAX_QUERY_CHARS)]);
        let wide = "注".repeat(2 * MAX_QUERY_CHARS);
        assert_eq!(
            terms(&wide)[0].chars().count(),
            MAX_QUERY_CHARS,
            "characters, not bytes"
        );
    }

    #[test]
    fn cjk_runs_become_overlapping_pairs_and_other_text_is_left_out() {
        assert_eq!(cjk_pairs("自注意力 机制"), "自注 注意 意力 机制");
        assert_eq!(cjk_pairs("the 词 in BERT"), "词", "a run of one is itself");
        assert_eq!(cjk_pairs("トークン化"), "トー ーク クン ン化");
        assert_eq!(cjk_pairs("no CJK here"), "");
    }

    #[test]
    fn only_queries_of_cjk_terms_of_two_characters_or_more_go_to_the_pairs() {
        let t = |q: &str| pairs_query(&terms(q));
        assert_eq!(t("词元"), Some("\"词元\"".to_owned()));
        assert_eq!(
            t("注意力 词元"),
            Some("\"注意 意力\" AND \"词元\"".to_owned())
        );
        assert_eq!(
            t("词"),
            None,
            "one character: too many matches to mean anything"
        );
        assert_eq!(
            t("词元 token"),
            None,
            "mixed: words and substrings answer it"
        );
        assert_eq!(t(""), None);
    }

    #[test]
    fn a_quoted_term_is_one_fts5_string_whatever_it_holds() {
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
        assert_eq!(quoted("NEAR("), "\"NEAR(\"");
    }
}
