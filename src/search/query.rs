//! Answering a query: which words to look for, in which table, and ranking whose cost
//! is bounded by the result limit rather than by the number of matches.

use rusqlite::params;

use super::forgive::{distance, is_literal, typo_budget};
use super::terms::{pairs_query, quoted, terms, tokens};
use super::{marked_html, Hit, HitKind, Results, SearchError, SearchIndex};

/// How many tiers a term's matches come in: as typed, other forms, typos.
const TIERS: usize = 3;

/// What one query term may match, by how far it is from what was typed: tier 0 the
/// term as typed (the word, the words it starts, or the phrase of its words), tier 1
/// its other forms, spellings and compounds (only for words, never for code or CJK),
/// tier 2 its typos (only when it is no indexed word and has no other form). Tier `n`
/// asks the alternatives of tiers 0 to `n`.
#[derive(Default)]
struct Plan {
    tiers: [Vec<Alt>; TIERS],
    /// Whether the term is an indexed word or the start of one.
    known: bool,
    /// Whether the term is an indexed word.
    exact: bool,
    /// The term's words, when it may be widened (empty for code and CJK).
    words: Vec<String>,
}

impl Plan {
    /// The FTS5 clause of tier `tier`: any alternative of tiers 0 to `tier`; `None`
    /// when there is none (a term of punctuation only).
    fn clause(&self, tier: usize) -> Option<String> {
        let alts: Vec<&Alt> = self.tiers[..=tier].iter().flatten().collect();
        match alts.as_slice() {
            [] => None,
            [one] => Some(one.fts.clone()),
            many => Some(format!(
                "({})",
                many.iter()
                    .map(|a| a.fts.as_str())
                    .collect::<Vec<_>>()
                    .join(" OR ")
            )),
        }
    }
}

/// One alternative of a term: an FTS5 expression and the indexed words it finds.
struct Alt {
    fts: String,
    words: Vec<String>,
}

impl Alt {
    /// An indexed word.
    fn word(word: &str) -> Alt {
        Alt {
            fts: quoted(word),
            words: vec![word.to_owned()],
        }
    }

    /// A phrase of space-separated indexed words.
    fn phrase(words: &str) -> Alt {
        Alt {
            fts: quoted(words),
            words: words.split(' ').map(str::to_owned).collect(),
        }
    }
}

/// Any of `alts`, as one FTS5 clause.
fn any_of(alts: &[Alt]) -> String {
    let all: Vec<&str> = alts.iter().map(|a| a.fts.as_str()).collect();
    format!("({})", all.join(" OR "))
}

/// A term as a substring of the indexed words: see [`SearchIndex::inside_words`].
enum Inside {
    /// The FTS5 clause of the words that hold it.
    Clause(String),
    /// No indexed word holds it: no row can match.
    Nothing,
    /// It has no word (punctuation alone): it does not narrow the search.
    NoWords,
}

/// A term's tier 0: see [`SearchIndex::expand`].
struct Expansion {
    clause: Option<String>,
    known: bool,
    words: Vec<String>,
}

/// The sections found so far and the words that found them.
#[derive(Default)]
struct Found {
    hits: Vec<Hit>,
    matched: Vec<String>,
}

impl Found {
    /// Adds the hits of sections not found yet; a later tier's (`below`) scored under
    /// every earlier hit, their order kept.
    fn add(&mut self, hits: Vec<Hit>, below: bool) {
        let floor = self
            .hits
            .iter()
            .map(|h| h.score)
            .fold(f64::INFINITY, f64::min);
        let top = hits.iter().map(|h| h.score).fold(0.0, f64::max);
        for mut hit in hits {
            if self
                .hits
                .iter()
                .any(|h| h.lesson == hit.lesson && h.anchor == hit.anchor)
            {
                continue;
            }
            if below && floor.is_finite() {
                let share = if top > 0.0 {
                    (hit.score / top).clamp(0.0, 1.0)
                } else {
                    0.5
                };
                hit.score = floor * (0.5 + 0.4 * share);
            }
            self.hits.push(hit);
        }
    }
}

impl SearchIndex {
    /// The best `limit` sections for `query`, best first. Any input is accepted; its
    /// cost is bounded whatever its length (see `terms::MAX_QUERY_CHARS`).
    ///
    /// Stop words are left out of a query that has other words. Words first, in tiers
    /// (see [`Plan`]): each term as typed (a word or the start of one, through the
    /// index's vocabulary, see [`SearchIndex::expand`]); then, while there are fewer
    /// than `limit` sections, also its other forms, spellings and compounds; then its
    /// typos. Each tier's new sections come after the ones before, so what was typed
    /// ranks above what it was taken for. Substrings (the words that hold a term, see
    /// [`SearchIndex::inside_words`]; CJK through the `pairs` table) only when that gives
    /// fewer than `limit` sections and some term is not a known word or the start of
    /// one (`ubword`, `注意力`, `elf.voc`). The cost is bounded by [`RANKED_AT_MOST`], not
    /// by the number of matches (see [`SearchIndex::ranked`]). When nothing matches,
    /// the answer suggests the indexed words nearest the query's.
    pub fn query(&self, query: &str, limit: usize) -> Result<Results, SearchError> {
        let terms = self.without_stop_words(terms(query));
        let mut found = Found::default();
        if !terms.is_empty() && limit > 0 {
            let mut plans: Vec<Plan> = terms
                .iter()
                .map(|t| self.plan(t))
                .collect::<Result<_, _>>()?;
            for tier in 0..TIERS {
                if found.hits.len() >= limit {
                    break;
                }
                for plan in &mut plans {
                    self.widen(plan, tier)?;
                }
                self.run_tier(&plans, tier, limit, &mut found)?;
            }
            self.run_joined(&plans, limit, &mut found)?;
            let all_known = plans.iter().all(|p| p.known);
            self.run_substrings(&terms, all_known, limit, &mut found)?;
        }
        found.hits.truncate(limit);
        let suggestions = if found.hits.is_empty() {
            self.did_you_mean(&terms)?
        } else {
            Vec::new()
        };
        Ok(Results {
            query: query.to_owned(),
            results: found.hits,
            matched: found.matched,
            suggestions,
            indexing: None,
        })
    }

    /// `terms` without its stop words, unless it has nothing else.
    pub(super) fn without_stop_words(&self, terms: Vec<String>) -> Vec<String> {
        let stop = |t: &String| self.language.is_stop_word(&t.to_lowercase());
        if terms.iter().all(stop) {
            terms
        } else {
            terms.into_iter().filter(|t| !stop(t)).collect()
        }
    }

    /// Runs tier `tier` of the plans (nothing when no term has anything new at that
    /// tier) and adds the sections not found before, scored below them.
    fn run_tier(
        &self,
        plans: &[Plan],
        tier: usize,
        limit: usize,
        found: &mut Found,
    ) -> Result<(), SearchError> {
        if tier > 0 && plans.iter().all(|p| p.tiers[tier].is_empty()) {
            return Ok(());
        }
        let mut clauses = Vec::new();
        for clause in plans.iter().filter_map(|p| p.clause(tier)) {
            // `Token` and `token` are two terms but one clause: asked once.
            if !clauses.contains(&clause) {
                clauses.push(clause);
            }
        }
        if clauses.is_empty() {
            return Ok(());
        }
        let hits = self.run("words", &clauses.join(" AND "), limit)?;
        if !hits.is_empty() {
            for plan in plans {
                for alt in plan.tiers[..=tier].iter().flatten() {
                    for word in &alt.words {
                        if !found.matched.contains(word) {
                            found.matched.push(word.clone());
                        }
                    }
                }
            }
        }
        found.add(hits, tier > 0);
        Ok(())
    }

    /// Two query words written apart that the course writes as one word (`skip gram` →
    /// `skipgram`), while fewer than `limit` sections are found: each adjacent pair of
    /// words whose join is an indexed word is asked as that word, the other terms with
    /// all their tiers, scored below what was found before. (A hyphenated `skip-gram` in
    /// the text is already found: its words are indexed apart; a query `skipgram` finds
    /// it through `compounds`.) At most [`JOINS`] pairs are asked.
    fn run_joined(
        &self,
        plans: &[Plan],
        limit: usize,
        found: &mut Found,
    ) -> Result<(), SearchError> {
        let mut asked = 0;
        for i in 1..plans.len() {
            if found.hits.len() >= limit || asked == JOINS {
                break;
            }
            let ([a], [b]) = (plans[i - 1].words.as_slice(), plans[i].words.as_slice()) else {
                continue;
            };
            let joined = format!("{a}{b}");
            let mut stmt = self
                .conn
                .prepare_cached("SELECT 1 FROM vocab WHERE term = ?1")?;
            if !stmt.exists(params![joined])? {
                continue;
            }
            asked += 1;
            let mut clauses: Vec<String> = plans
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i - 1 && *j != i)
                .filter_map(|(_, p)| p.clause(TIERS - 1))
                .collect();
            clauses.push(quoted(&joined));
            let hits = self.run("words", &clauses.join(" AND "), limit)?;
            if !hits.is_empty() && !found.matched.contains(&joined) {
                found.matched.push(joined);
            }
            found.add(hits, true);
        }
        Ok(())
    }

    /// The substring search, when the words found fewer than `limit` sections: the
    /// `pairs` table for a query of CJK terms, else, when some term is no known word or
    /// start of one, each term of three characters or more as a substring of the
    /// indexed words ([`SearchIndex::inside_words`]), all of them required.
    fn run_substrings(
        &self,
        terms: &[String],
        all_known: bool,
        limit: usize,
        found: &mut Found,
    ) -> Result<(), SearchError> {
        if found.hits.len() >= limit {
            return Ok(());
        }
        let grams: Vec<&String> = terms.iter().filter(|t| t.chars().count() >= 3).collect();
        // A CJK term known as the start of a word may still be inside others (the
        // word table keeps a run of Chinese as one word): the pairs are always asked.
        let more = if let Some(pairs) = pairs_query(terms) {
            self.run_pairs(&pairs, terms, limit)?
        } else if !all_known && !grams.is_empty() {
            let mut clauses = Vec::with_capacity(grams.len());
            for term in grams {
                match self.inside_words(term)? {
                    Inside::Clause(clause) => clauses.push(clause),
                    Inside::Nothing => return Ok(()),
                    Inside::NoWords => {}
                }
            }
            if clauses.is_empty() {
                return Ok(());
            }
            self.run("words", &clauses.join(" AND "), limit)?
        } else {
            return Ok(());
        };
        if !more.is_empty() {
            for term in terms {
                if !found.matched.contains(term) {
                    found.matched.push(term.clone());
                }
            }
        }
        found.add(more, false);
        Ok(())
    }

    /// A term as a substring of the text, through the vocabulary (no trigram index of
    /// the text: it was four fifths of the build's time and two thirds of the cache).
    /// A term of one word (`ubword`) is any indexed word that holds it (at most
    /// [`EXPANSIONS`], shortest first); a term of several (`elf.voc`: `elf`, `voc`) is
    /// the phrase of a word that ends with its first word (at most [`EXPANSIONS`],
    /// shortest first), its middle words as they are, and a word its last one starts
    /// (FTS5's prefix on the phrase's last word): `"self voc"*`. [`Inside::Nothing`]
    /// when no indexed word can hold it, [`Inside::NoWords`] for punctuation alone.
    fn inside_words(&self, term: &str) -> Result<Inside, SearchError> {
        let words = tokens(term);
        let Some(first) = words.first() else {
            return Ok(Inside::NoWords);
        };
        let several = words.len() > 1;
        let holding = self.words_holding(first, several)?;
        if holding.is_empty() {
            return Ok(Inside::Nothing);
        }
        let alternatives: Vec<String> = holding
            .iter()
            .map(|w| match words.split_first() {
                Some((_, rest)) if several => {
                    format!("{}*", quoted(&format!("{w} {}", rest.join(" "))))
                }
                _ => quoted(w),
            })
            .collect();
        Ok(Inside::Clause(format!("({})", alternatives.join(" OR "))))
    }

    /// The indexed words that hold `part` (or, with `at_end`, end with it), at most
    /// [`EXPANSIONS`], shortest first. The vocabulary is read through once, up to
    /// [`SUBSTRING_SCANNED`] words (about 2 ms for 10,000 words).
    fn words_holding(&self, part: &str, at_end: bool) -> Result<Vec<String>, SearchError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT term FROM (SELECT term FROM vocab LIMIT ?2) WHERE instr(term, ?1) > 0",
        )?;
        let rows = stmt.query_map(params![part, SUBSTRING_SCANNED as i64], |r| {
            r.get::<_, String>(0)
        })?;
        let mut found = Vec::new();
        for term in rows {
            let term = term?;
            if !at_end || term.ends_with(part) {
                found.push(term);
            }
        }
        found.sort_by(|a, b| (a.chars().count(), a).cmp(&(b.chars().count(), b)));
        found.truncate(EXPANSIONS);
        Ok(found)
    }

    /// What one term matches as typed (tier 0 of [`Plan`]); the later tiers are
    /// looked up by [`SearchIndex::widen`] only when asked.
    fn plan(&self, term: &str) -> Result<Plan, SearchError> {
        let expansion = self.expand(term)?;
        let words = tokens(term);
        let mut plan = Plan {
            known: expansion.known,
            exact: expansion.known && expansion.words.iter().any(|w| words.first() == Some(w)),
            ..Plan::default()
        };
        let Some(clause) = expansion.clause else {
            return Ok(plan);
        };
        plan.tiers[0].push(Alt {
            fts: clause,
            words: expansion.words,
        });
        if !is_literal(term) {
            plan.words = words;
        }
        Ok(plan)
    }

    /// Looks up tier `tier` of `plan` (see [`Plan`]): its other forms, spellings and
    /// compounds (tier 1) or its typos (tier 2); nothing for a literal term.
    fn widen(&self, plan: &mut Plan, tier: usize) -> Result<(), SearchError> {
        match (tier, plan.words.as_slice()) {
            (1, [word]) => plan.tiers[1] = self.other_forms(word, &plan.tiers[0][0].words)?,
            (2, [word]) if !plan.exact && plan.tiers[1].is_empty() => {
                plan.tiers[2] = self.typos(word)?;
            }
            (1, words) if words.len() > 1 => {
                // A hyphenated term (`fine-tune`): each of its words in any form, anywhere.
                let mut parts = Vec::new();
                let mut all = Vec::new();
                for word in words {
                    let mut alts = vec![Alt::word(word)];
                    alts.extend(self.other_forms(word, &[])?);
                    all.extend(alts.iter().flat_map(|a| a.words.clone()));
                    parts.push(any_of(&alts));
                }
                plan.tiers[1].push(Alt {
                    fts: format!("({})", parts.join(" AND ")),
                    words: all,
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// The other indexed forms of `word` (same stem, other spelling, see
    /// [`super::forgive::Language::key`]) and the compounds and identifiers it is part of or joins
    /// (`finetuning` → `fine tuning`, `tokenizer` → `berttokenizer`), leaving out
    /// `known` (already asked).
    fn other_forms(&self, word: &str, known: &[String]) -> Result<Vec<Alt>, SearchError> {
        let mut out: Vec<Alt> = Vec::new();
        let key = self.language.key(word);
        let chars: Vec<char> = key.chars().collect();
        if chars.len() >= 3 {
            let prefix: String = chars[..(chars.len() - 1).max(3)].iter().collect();
            let mut stmt = self
                .conn
                .prepare_cached("SELECT term FROM vocab WHERE term >= ?1 AND term < ?2 LIMIT ?3")?;
            let rows = stmt.query_map(
                params![prefix, format!("{prefix}\u{10FFFF}"), FORMS_SCANNED as i64],
                |r| r.get::<_, String>(0),
            )?;
            for term in rows {
                let term = term?;
                if term != word && !known.contains(&term) && self.language.key(&term) == key {
                    out.push(Alt::word(&term));
                }
            }
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT words FROM compounds WHERE form = ?1 LIMIT ?2")?;
        let rows = stmt.query_map(params![word, EXPANSIONS as i64], |r| r.get::<_, String>(0))?;
        for words in rows {
            out.push(Alt::phrase(&words?));
        }
        out.truncate(EXPANSIONS);
        Ok(out)
    }

    /// Indexed words within `word`'s typo budget ([`typo_budget`]) of it, nearest
    /// first; only words that start with the same letter are looked at (few typos are
    /// in the first letter, and it bounds the cost).
    fn typos(&self, word: &str) -> Result<Vec<Alt>, SearchError> {
        let budget = typo_budget(word);
        if budget == 0 {
            return Ok(Vec::new());
        }
        let mut near = self.near_words(word, budget)?;
        near.truncate(TYPOS);
        Ok(near.iter().map(|w| Alt::word(w)).collect())
    }

    /// Indexed words at most `budget` edits from `word` that start with its letter,
    /// nearest first (then alphabetical).
    fn near_words(&self, word: &str, budget: usize) -> Result<Vec<String>, SearchError> {
        let Some(first) = word.chars().next() else {
            return Ok(Vec::new());
        };
        let len = word.chars().count() as i64;
        let mut stmt = self.conn.prepare_cached(
            "SELECT term FROM vocab WHERE term >= ?1 AND term < ?2
                 AND length(term) BETWEEN ?3 AND ?4 LIMIT ?5",
        )?;
        let rows = stmt.query_map(
            params![
                first.to_string(),
                format!("{first}\u{10FFFF}"),
                len - budget as i64,
                len + budget as i64,
                TYPOS_SCANNED as i64
            ],
            |r| r.get::<_, String>(0),
        )?;
        let mut near: Vec<(usize, String)> = Vec::new();
        for term in rows {
            let term = term?;
            let d = distance(word, &term);
            if d > 0 && d <= budget {
                near.push((d, term));
            }
        }
        near.sort();
        Ok(near.into_iter().map(|(_, w)| w).collect())
    }

    /// "Did you mean": for each word of the query that is no indexed word, the nearest
    /// indexed word (two edits at most, one under five letters).
    fn did_you_mean(&self, terms: &[String]) -> Result<Vec<String>, SearchError> {
        let mut out = Vec::new();
        for term in terms.iter().filter(|t| !is_literal(t)) {
            let words = tokens(term);
            let [word] = words.as_slice() else { continue };
            let known: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM vocab WHERE term = ?1)",
                [word],
                |r| r.get(0),
            )?;
            let budget = if word.chars().count() >= 5 { 2 } else { 1 };
            if known || word.chars().count() < 3 {
                continue;
            }
            if let Some(best) = self.near_words(word, budget)?.into_iter().next() {
                if !out.contains(&best) {
                    out.push(best);
                }
            }
        }
        Ok(out)
    }

    /// How one query term is looked up in the words table (none for punctuation
    /// alone): its FTS5 clause, whether it is a known word or the start of one, and the
    /// indexed words it stands for.
    ///
    /// A one-word term becomes an `OR` of the indexed words it starts (at most
    /// [`EXPANSIONS`], shortest first), not FTS5's `"term"*`: a prefix query merges the
    /// whole of every matching word's posting list before it returns a row (tens of
    /// milliseconds for a word in every lesson), where an `OR` of words is read lazily
    /// and stops at `LIMIT`. A word the vocabulary does not know is still asked as
    /// `"term"*` (cheap: next to nothing matches it, and it covers any word our
    /// tokenizing would fold differently from SQLite's). A term of several words
    /// (`self.vocab`) is a phrase of them.
    fn expand(&self, term: &str) -> Result<Expansion, SearchError> {
        let words = tokens(term);
        let [word] = words.as_slice() else {
            let clause = (!words.is_empty()).then(|| quoted(&words.join(" ")));
            return Ok(Expansion {
                clause,
                known: false,
                words,
            });
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT term FROM (SELECT term FROM vocab WHERE term >= ?1 AND term < ?2
                 LIMIT 4000) ORDER BY length(term), term LIMIT ?3",
        )?;
        let found: Vec<String> = stmt
            .query_map(
                params![word, format!("{word}\u{10FFFF}"), EXPANSIONS as i64],
                |r| r.get(0),
            )?
            .collect::<Result<_, _>>()?;
        if found.is_empty() {
            return Ok(Expansion {
                clause: Some(format!("{}*", quoted(word))),
                known: false,
                words: vec![word.clone()],
            });
        }
        let alternatives: Vec<String> = found.iter().map(|w| quoted(w)).collect();
        Ok(Expansion {
            clause: Some(format!("({})", alternatives.join(" OR "))),
            known: true,
            words: found,
        })
    }

    /// The best `limit` rows of `table` for the FTS5 expression `fts`, as hits; the
    /// snippet is made for those rows only.
    fn run(&self, table: &str, fts: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let ranked = self.ranked(table, fts, limit)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {table}.lesson, docs.title, heading_text, anchor,
                 snippet({table}, -1, char(57344), char(57345), '…', 12)
             FROM {table} JOIN docs ON docs.lesson = {table}.lesson
             WHERE {table} MATCH ?1 AND {table}.rowid = ?2"
        ))?;
        let mut hits = Vec::with_capacity(ranked.len());
        for (rowid, score) in ranked {
            let hit = stmt.query_row(params![fts, rowid], |r| {
                let snippet: String = r.get(4)?;
                Ok(Hit {
                    lesson: r.get(0)?,
                    title: r.get(1)?,
                    heading: r.get(2)?,
                    anchor: r.get(3)?,
                    snippet: marked_html(&snippet),
                    score,
                    kind: HitKind::Lesson,
                    annotation: None,
                })
            })?;
            hits.push(hit);
        }
        Ok(hits)
    }

    /// [`SearchIndex::run`] for the `pairs` table, which holds no lesson, anchor or
    /// plain text: those come from the same row of `words`, and the snippet is cut from
    /// its text around the first term found ([`cjk_snippet`]).
    fn run_pairs(
        &self,
        fts: &str,
        terms: &[String],
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let ranked = self.ranked("pairs", fts, limit)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT words.lesson, docs.title, heading_text, anchor,
                 words.title, heading, body, code, prompts
             FROM words JOIN docs ON docs.lesson = words.lesson WHERE words.rowid = ?1",
        )?;
        let mut hits = Vec::with_capacity(ranked.len());
        for (rowid, score) in ranked {
            let hit = stmt.query_row(params![rowid], |r| {
                let texts: Vec<String> = (4..9).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                Ok(Hit {
                    lesson: r.get(0)?,
                    title: r.get(1)?,
                    heading: r.get(2)?,
                    anchor: r.get(3)?,
                    snippet: marked_html(&cjk_snippet(&texts, terms)),
                    score,
                    kind: HitKind::Lesson,
                    annotation: None,
                })
            })?;
            hits.push(hit);
        }
        Ok(hits)
    }

    /// Rowids and scores (higher is better) of the best `limit` rows for `fts`.
    ///
    /// bm25 costs ~5 µs a row it ranks (it reads the row's column sizes), and counts
    /// every match of every phrase once per query for their idf: ranking all 100,000
    /// matches of a word found in every section took 0.2 s at 10,000 lessons. So: with
    /// at most [`RANKED_AT_MOST`] matches, bm25 ranks them all (title and heading
    /// weighted up). With more, the query is one of very common words, and the rows
    /// where they are in the title or a heading come first (the `heads` table, ranked
    /// the same way when it is itself small enough, else in course order), then the
    /// other matches in course order. bm25 gives such common words next to no weight
    /// (their idf is near zero), so the order it would have given among them says
    /// little; the title and heading matches still come first, as bm25's weights put
    /// them. Scores are comparable within one answer only.
    fn ranked(&self, table: &str, fts: &str, limit: usize) -> Result<Vec<(i64, f64)>, SearchError> {
        // Counted once, up to one past the cap: no match (a tier that finds nothing, a
        // miss) is known here, without asking FTS5 for the same rows again to rank them.
        let matches = self.matches_up_to(table, fts, RANKED_AT_MOST + 1)?;
        if matches == 0 {
            return Ok(Vec::new());
        }
        if matches <= RANKED_AT_MOST {
            return self.ranked_all(table, fts, "8.0, 4.0, 1.0, 1.0, 2.0", limit);
        }
        let mut out = Vec::with_capacity(limit);
        if table == "words" {
            out = if self.matches_up_to("heads", fts, RANKED_AT_MOST + 1)? > RANKED_AT_MOST {
                self.first("heads", fts, limit)?
            } else {
                self.ranked_all("heads", fts, "2.0, 1.0", limit)?
            };
        }
        let top = out.len();
        for rowid in self.first(table, fts, limit)? {
            if out.len() < limit && !out.iter().any(|(r, _)| *r == rowid.0) {
                out.push(rowid);
            }
        }
        // One scale for the answer: its order, best first.
        let n = out.len() as f64;
        for (i, row) in out.iter_mut().enumerate() {
            row.1 = (n - i as f64) / n + if i < top { 1.0 } else { 0.0 };
        }
        Ok(out)
    }

    /// How many matches `fts` has, counted up to `n` (reads at most `n` rows).
    fn matches_up_to(&self, table: &str, fts: &str, n: usize) -> Result<usize, SearchError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ?1 LIMIT ?2)"
        ))?;
        let count: i64 = stmt.query_row(params![fts, n as i64], |r| r.get(0))?;
        Ok(usize::try_from(count).unwrap_or(n))
    }

    /// The first `limit` matches in index order (course order, then later edits).
    fn first(&self, table: &str, fts: &str, limit: usize) -> Result<Vec<(i64, f64)>, SearchError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT rowid FROM {table} WHERE {table} MATCH ?1 LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![fts, limit as i64], |r| Ok((r.get(0)?, 0.0)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The best `limit` matches by bm25 with the given weights of the indexed columns,
    /// ranked by FTS5 itself (`ORDER BY rank`: it sorts inside the table and hands out
    /// only what `LIMIT` asks); the score is minus bm25, higher is better.
    fn ranked_all(
        &self,
        table: &str,
        fts: &str,
        weights: &str,
        limit: usize,
    ) -> Result<Vec<(i64, f64)>, SearchError> {
        // The unindexed columns (lesson, anchor, heading_text) weigh nothing.
        let skip = if matches!(table, "heads" | "pairs") {
            ""
        } else {
            "0, 0, 0, "
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT rowid, rank FROM {table}
             WHERE {table} MATCH ?1 AND rank MATCH 'bm25({skip}{weights})'
             ORDER BY rank LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![fts, limit as i64], |r| {
            let rank: f64 = r.get(1)?;
            Ok((r.get(0)?, -rank))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// A snippet of a row found through `pairs`: about [`SNIPPET_CHARS`] characters of the
/// first of its `texts` (body and prompts before title and heading) that holds a term,
/// around the first term found, every term in it marked with U+E000/U+E001 as FTS5's
/// `snippet` marks them, `…` where it was cut.
fn cjk_snippet(texts: &[String], terms: &[String]) -> String {
    let order = [2, 4, 3, 1, 0]; // body, prompts, code, heading, title
    let Some((text, at)) = order.iter().filter_map(|&i| texts.get(i)).find_map(|t| {
        terms
            .iter()
            .filter_map(|term| t.find(term.as_str()))
            .min()
            .map(|at| (t, at))
    }) else {
        return String::new();
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let centre = chars.partition_point(|(i, _)| *i < at);
    let start = centre.saturating_sub(SNIPPET_CHARS / 3);
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let window: String = chars[start..end].iter().map(|(_, c)| c).collect();
    let mut out = String::with_capacity(window.len() + 16);
    if start > 0 {
        out.push('…');
    }
    let mut rest = window.trim();
    while let Some((pos, term)) = terms
        .iter()
        .filter_map(|t| rest.find(t.as_str()).map(|p| (p, t)))
        .min_by_key(|(p, t)| (*p, std::cmp::Reverse(t.len())))
    {
        out.push_str(&rest[..pos]);
        out.push('\u{E000}');
        out.push_str(term);
        out.push('\u{E001}');
        rest = &rest[pos + term.len()..];
    }
    out.push_str(rest);
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// How many characters a snippet cut by [`cjk_snippet`] holds at most.
const SNIPPET_CHARS: usize = 48;

/// How many matches a query ranks at most; see [`SearchIndex::ranked`].
const RANKED_AT_MOST: usize = 1_000;

/// Indexed words a query word may stand for at most (`t` → `the`, `to`, `token`, …).
const EXPANSIONS: usize = 24;

/// Indexed words looked at for a word's other forms at most (those sharing its stem's
/// start).
const FORMS_SCANNED: usize = 500;

/// Pairs of query words asked joined at most (see [`SearchIndex::run_joined`]).
const JOINS: usize = 4;

/// Vocabulary words read at most for a substring (see [`SearchIndex::words_holding`]).
const SUBSTRING_SCANNED: usize = 500_000;

/// Typo corrections a word may stand for at most.
const TYPOS: usize = 8;

/// Indexed words looked at for a word's typos at most (those starting with its letter).
const TYPOS_SCANNED: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::Course;

    /// `n` lessons of nine sections that all say `common`; lesson `title_at` has it in
    /// its title too.
    fn common_course(n: usize, title_at: usize) -> (tempfile::TempDir, SearchIndex) {
        let tmp = tempfile::tempdir().unwrap();
        for i in 0..n {
            let title = if i == title_at {
                "Common ground".to_owned()
            } else {
                format!("Lesson {i}")
            };
            let mut text = format!("---\nid: l{i:04}\ntitle: {title}\norder: {i}\n---\n");
            for s in 0..9 {
                text.push_str(&format!(
                    "\n## Part {s}\n\nA common word, said again: common.\n"
                ));
            }
            std::fs::write(tmp.path().join(format!("l{i:04}.md")), text).unwrap();
        }
        let mut index = SearchIndex::in_memory().unwrap();
        index.sync(&Course::load(tmp.path())).unwrap();
        (tmp, index)
    }

    #[test]
    fn two_words_find_the_word_the_course_writes_them_as_joined_or_hyphenated() {
        let tmp = tempfile::tempdir().unwrap();
        for (id, text) in [
            ("whole", "The skipgram model predicts the context."),
            ("hyphen", "A skip-gram model, trained on pairs."),
            ("apart", "Skip this part; a gram is a unit of mass."),
            ("none", "Nothing about it here."),
        ] {
            std::fs::write(
                tmp.path().join(format!("{id}.md")),
                format!("---\nid: {id}\ntitle: {id}\n---\n{text}\n"),
            )
            .unwrap();
        }
        let mut index = SearchIndex::in_memory().unwrap();
        index.sync(&Course::load(tmp.path())).unwrap();
        let answer = index.query("skip gram", 10).unwrap();
        let lessons: Vec<&str> = answer.results.iter().map(|h| h.lesson.as_str()).collect();
        // Both words as typed first (apart or hyphenated), then the word joined.
        assert_eq!(lessons.len(), 3, "{lessons:?}");
        assert_eq!(lessons[2], "whole", "{lessons:?}");
        assert!(lessons.contains(&"hyphen") && lessons.contains(&"apart"));
        assert!(answer.matched.contains(&"skipgram".to_owned()));
        assert!(answer.results[2].snippet.contains("<mark>skipgram</mark>"));
        let with_another = index.query("skip gram model", 10).unwrap();
        let found: Vec<&str> = with_another
            .results
            .iter()
            .map(|h| h.lesson.as_str())
            .collect();
        assert_eq!(found, ["hyphen", "whole"]);
    }

    #[test]
    fn a_word_in_more_sections_than_are_ranked_still_puts_its_title_match_first() {
        let (_tmp, index) = common_course(130, 120);
        assert_eq!(
            index
                .matches_up_to("words", "\"common\"", RANKED_AT_MOST + 1)
                .unwrap(),
            RANKED_AT_MOST + 1
        );
        let found = index.query("common", 5).unwrap().results;
        assert_eq!(found.len(), 5);
        assert_eq!(found[0].lesson, "l0120", "{found:?}");
        assert!(
            found.windows(2).all(|w| w[0].score >= w[1].score),
            "{found:?}"
        );
    }

    #[test]
    fn a_word_with_few_matches_is_ranked_by_bm25_with_the_title_weighted_up() {
        let (_tmp, index) = common_course(12, 7);
        assert_eq!(
            index
                .matches_up_to("words", "\"common\"", RANKED_AT_MOST + 1)
                .unwrap(),
            12 * 9
        );
        let found = index.query("common", 3).unwrap().results;
        assert_eq!(found[0].lesson, "l0007", "{found:?}");
    }

    /// What SQLite is asked while `work` runs: statements, the rows they return, and
    /// the bytes of their SQL with the parameters bound (the FTS5 expressions, which
    /// FTS5 parses and holds in memory whole).
    fn sql_asked(index: &mut SearchIndex, work: impl FnOnce(&SearchIndex)) -> [u64; 3] {
        use rusqlite::trace::{TraceEvent, TraceEventCodes};
        use std::sync::{Arc, Mutex};
        let counts = Arc::new(Mutex::new([0u64; 3]));
        let sink = Arc::clone(&counts);
        let mask = TraceEventCodes::SQLITE_TRACE_STMT | TraceEventCodes::SQLITE_TRACE_ROW;
        index
            .conn
            .trace_v2(
                mask,
                Some(move |event: TraceEvent<'_>| {
                    let mut c = sink.lock().unwrap();
                    match event {
                        TraceEvent::Stmt(stmt, _) => {
                            c[0] += 1;
                            c[2] += stmt.expanded_sql().map_or(0, |s| s.len() as u64);
                        }
                        TraceEvent::Row(_) => c[1] += 1,
                        _ => {}
                    }
                }),
            )
            .unwrap();
        work(index);
        index
            .conn
            .trace_v2(mask, None::<fn(TraceEvent<'_>)>)
            .unwrap();
        let counts = *counts.lock().unwrap();
        counts
    }

    #[test]
    fn an_expression_that_matches_nothing_is_asked_once_not_counted_then_ranked() {
        let (_tmp, mut index) = common_course(12, 7);
        let miss = "\"zzzz\" AND \"common\"";
        // Warm: the statements prepared and FTS5's own reads of its tables made once.
        index.ranked("words", "\"common\"", 5).unwrap();
        index.ranked("words", miss, 5).unwrap();
        let [counting, _, _] = sql_asked(&mut index, |i| {
            i.matches_up_to("words", miss, RANKED_AT_MOST + 1).unwrap();
        });
        let mut got = None;
        let [missing, _, _] = sql_asked(&mut index, |i| {
            got = Some(i.ranked("words", miss, 5).unwrap());
        });
        assert_eq!(got, Some(Vec::new()));
        assert_eq!(missing, counting, "a miss is the count alone");
        let [matching, _, _] = sql_asked(&mut index, |i| {
            assert_eq!(i.ranked("words", "\"common\"", 5).unwrap().len(), 5);
        });
        assert!(
            matching > counting,
            "a match is counted, then ranked by bm25"
        );
    }

    #[test]
    fn a_query_of_4n_terms_asks_sqlite_exactly_what_one_of_n_terms_does() {
        // Issue 20: 1,000 times the same word took 13.5 s, 10,000 one-letter words 2.9 GB.
        let (_tmp, mut index) = common_course(3, 0);
        type Shape = fn(usize) -> String;
        let shapes: [(&str, Shape, usize); 3] = [
            ("the same word", |n| "common ".repeat(n), 8),
            (
                "different words",
                |n| (0..n).map(|i| format!("w{i} ")).collect(),
                40,
            ),
            (
                "words and their case",
                |n| (0..n).map(|i| format!("Common w{i} COMMON ")).collect(),
                40,
            ),
        ];
        for (what, query, n) in shapes {
            let asked = |index: &mut SearchIndex, n: usize| {
                let q = query(n);
                sql_asked(index, |i| {
                    i.query(&q, 10).unwrap();
                })
            };
            asked(&mut index, n); // statements prepared once, outside the counts
            let (small, large) = (asked(&mut index, n), asked(&mut index, 4 * n));
            assert!(small[0] > 0 && small[2] > 0, "{what}: {small:?}");
            assert_eq!(
                small, large,
                "{what}: N vs 4N (statements, rows, SQL bytes)"
            );
        }
    }

    #[test]
    fn a_prefix_is_looked_up_as_the_indexed_words_it_starts() {
        let (_tmp, index) = common_course(2, 0);
        let expand = |t: &str| {
            let e = index.expand(t).unwrap();
            (e.clause, e.known)
        };
        assert_eq!(expand("comm"), (Some("(\"common\")".to_owned()), true));
        assert_eq!(
            expand("zzz"),
            (Some("\"zzz\"*".to_owned()), false),
            "no word starts so: asked as FTS5's prefix, and as a substring of words too"
        );
        assert_eq!(
            expand("self.vocab"),
            (Some("\"self vocab\"".to_owned()), false)
        );
        assert_eq!(expand("("), (None, false), "nothing to look for");
        assert_eq!(index.query("comm", 3).unwrap().results.len(), 3);
    }
}
