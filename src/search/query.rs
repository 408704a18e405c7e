//! Answering a query: which words to look for, in which table, and ranking whose cost
//! is bounded by the result limit rather than by the number of matches.

use rusqlite::params;

use super::terms::{pairs_query, quoted, terms, tokens};
use super::{marked_html, Hit, Results, SearchError, SearchIndex};

impl SearchIndex {
    /// The best `limit` sections for `query`, best first. Any input is accepted; its
    /// cost is bounded whatever its length (see `terms::MAX_QUERY_CHARS`).
    ///
    /// Words first: each term is matched as a word or the start of one, through the
    /// index's vocabulary (see [`SearchIndex::expand`]). The trigram table only when
    /// that gives fewer than `limit` sections and some term is not a known word or the
    /// start of one (`ubword`, `注意力`, `elf.voc`). The cost is bounded by
    /// [`RANKED_AT_MOST`], not by the number of matches (see [`SearchIndex::ranked`]).
    pub fn query(&self, query: &str, limit: usize) -> Result<Results, SearchError> {
        let terms = terms(query);
        let mut hits: Vec<Hit> = Vec::new();
        if !terms.is_empty() && limit > 0 {
            let mut clauses = Vec::new();
            let mut all_known = true;
            for term in &terms {
                let (clause, known) = self.expand(term)?;
                // `Token` and `token` are two terms but one clause: asked once.
                if let Some(clause) = clause.filter(|c| !clauses.contains(c)) {
                    clauses.push(clause);
                }
                all_known &= known;
            }
            if !clauses.is_empty() {
                hits = self.run("words", &clauses.join(" AND "), limit)?;
            }
            let grams: Vec<&String> = terms.iter().filter(|t| t.chars().count() >= 3).collect();
            // A CJK term known as the start of a word may still be inside others (the
            // word table keeps a run of Chinese as one word): the pairs are always asked.
            let pairs = pairs_query(&terms).filter(|_| hits.len() < limit);
            let more = if let Some(pairs) = pairs {
                self.run_pairs(&pairs, &terms, limit)?
            } else if hits.len() < limit && !all_known && !grams.is_empty() {
                let phrase = grams
                    .iter()
                    .map(|t| quoted(t))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                self.run("grams", &phrase, limit)?
            } else {
                Vec::new()
            };
            for hit in more {
                if !hits
                    .iter()
                    .any(|h| h.lesson == hit.lesson && h.anchor == hit.anchor)
                {
                    hits.push(hit);
                }
            }
        }
        hits.truncate(limit);
        Ok(Results {
            query: query.to_owned(),
            results: hits,
        })
    }

    /// The FTS5 clause for one query term on the words table (none for punctuation
    /// alone), and whether the term is a known word or the start of one.
    ///
    /// A one-word term becomes an `OR` of the indexed words it starts (at most
    /// [`EXPANSIONS`], shortest first), not FTS5's `"term"*`: a prefix query merges the
    /// whole of every matching word's posting list before it returns a row (tens of
    /// milliseconds for a word in every lesson), where an `OR` of words is read lazily
    /// and stops at `LIMIT`. A word the vocabulary does not know is still asked as
    /// `"term"*` (cheap: next to nothing matches it, and it covers any word our
    /// tokenizing would fold differently from SQLite's). A term of several words
    /// (`self.vocab`) is a phrase of them.
    fn expand(&self, term: &str) -> Result<(Option<String>, bool), SearchError> {
        let words = tokens(term);
        let [word] = words.as_slice() else {
            let phrase = (!words.is_empty()).then(|| quoted(&words.join(" ")));
            return Ok((phrase, false));
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
            return Ok((Some(format!("{}*", quoted(word))), false));
        }
        let alternatives: Vec<String> = found.iter().map(|w| quoted(w)).collect();
        Ok((Some(format!("({})", alternatives.join(" OR "))), true))
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
        if !self.more_than(table, fts, RANKED_AT_MOST)? {
            return self.ranked_all(table, fts, "8.0, 4.0, 1.0, 1.0, 2.0", limit);
        }
        let mut out = Vec::with_capacity(limit);
        if table == "words" {
            out = if self.more_than("heads", fts, RANKED_AT_MOST)? {
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

    /// Whether `fts` has more than `n` matches (reads at most `n + 1`).
    fn more_than(&self, table: &str, fts: &str, n: usize) -> Result<bool, SearchError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT 1 FROM {table} WHERE {table} MATCH ?1 LIMIT 1 OFFSET ?2"
        ))?;
        Ok(stmt.exists(params![fts, n as i64])?)
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
    fn a_word_in_more_sections_than_are_ranked_still_puts_its_title_match_first() {
        let (_tmp, index) = common_course(130, 120);
        assert!(index
            .more_than("words", "\"common\"", RANKED_AT_MOST)
            .unwrap());
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
        assert!(!index
            .more_than("words", "\"common\"", RANKED_AT_MOST)
            .unwrap());
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
        assert_eq!(
            index.expand("comm").unwrap(),
            (Some("(\"common\")".to_owned()), true)
        );
        assert_eq!(
            index.expand("zzz").unwrap(),
            (Some("\"zzz\"*".to_owned()), false),
            "no word starts so: asked as FTS5's prefix, and the trigrams may be asked too"
        );
        assert_eq!(
            index.expand("self.vocab").unwrap(),
            (Some("\"self vocab\"".to_owned()), false)
        );
        assert_eq!(
            index.expand("(").unwrap(),
            (None, false),
            "nothing to look for"
        );
        assert_eq!(index.query("comm", 3).unwrap().results.len(), 3);
    }
}
