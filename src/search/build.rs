//! Building the index: each changed lesson's rows made ready in parallel (its sections
//! as plain text, their words, compounds and CJK pairs, the text compressed), then
//! written by one writer, in the transactions the sync commits ([`Plan`],
//! [`Pipeline`]); each word and compound is gathered once in the sync, and written, in
//! order, by the transaction that first meets it.
//!
//! The text of a row is stored once, compressed (`rows`: its body, code and prompts as
//! zstd frames, see [`pack`]); `words` is an external-content FTS5 table whose content
//! is the view `words_text`, which inflates them through the SQL function `unpack`
//! ([`register`], on every connection the index opens), so FTS5's own `snippet` reads
//! the text as it was indexed. `heads` keeps no text (contentless, deletable by rowid).

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::hash::Hasher;
use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::{Scope, ScopedJoinHandle};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use rayon::prelude::*;
use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use rustc_hash::FxHashSet;

use super::forgive::{chunk_forms, is_marked};
use super::terms::{add_words, chunk_words, chunks, cjk_pairs};
use super::{plain, SearchError, SyncStats, KNOWLEDGE_CHECK_ANCHOR};
use crate::lesson::Lesson;
use crate::render::{push_plain, KnowledgeCheckLocator, Part, Slugger};

/// Lessons made ready together before they are written: enough for the two cores'
/// work to be even, few enough that a batch's text in memory stays small (~1 MB).
const BATCH: usize = 48;

/// Text shorter than this is stored as it is: compressing saves nothing on it.
const PACK_FROM: usize = 64;

/// zstd's level: 1, the fastest of its usual levels. On rows of about 1 KB the levels
/// differ little (a 1,000-lesson course's bodies: 7.39 MB at 1, 7.39 at 3, 7.28 at 9).
const PACK_LEVEL: i32 = 1;

/// The first byte of a packed text: what follows is the text as it is.
const RAW: u8 = 0;

/// The first byte of a packed text: what follows is the text as raw DEFLATE (what
/// Lectern wrote before [`ZSTD`]; still read, so an index built then stays usable).
const DEFLATED: u8 = 1;

/// The first byte of a packed text: what follows is the text's length in bytes (4,
/// little endian) and the text as one zstd frame.
const ZSTD: u8 = 2;

thread_local! {
    /// This thread's zstd compressor, made once and reused for every row it packs: its
    /// set-up (hundreds of KB of tables) is what made per-row DEFLATE slow.
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { RefCell::new(None) };
}

/// `text` as stored in `rows`: [`RAW`] and the text when short (or should zstd fail),
/// else [`ZSTD`], its length and its zstd frame.
fn pack(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let raw = || {
        let mut out = Vec::with_capacity(bytes.len() + 1);
        out.push(RAW);
        out.extend_from_slice(bytes);
        out
    };
    let Ok(len) = u32::try_from(bytes.len()) else {
        return raw();
    };
    if bytes.len() < PACK_FROM {
        return raw();
    }
    let frame = COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = zstd::bulk::Compressor::new(PACK_LEVEL).ok();
        }
        cell.as_mut()?.compress(bytes).ok()
    });
    let Some(frame) = frame else {
        return raw();
    };
    let mut out = Vec::with_capacity(1 + 4 + frame.len());
    out.push(ZSTD);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&frame);
    out
}

/// The text [`pack`] stored, `None` when `packed` is not such a value (damage).
fn unpack(packed: &[u8]) -> Option<String> {
    let (&kind, rest) = packed.split_first()?;
    let bytes = match kind {
        RAW => rest.to_vec(),
        DEFLATED => miniz_oxide::inflate::decompress_to_vec(rest).ok()?,
        ZSTD => {
            let (len, frame) = rest.split_first_chunk::<4>()?;
            let len = u64::from(u32::from_le_bytes(*len));
            // Read as a stream, at most one byte past the length: a damaged length
            // allocates nothing and is told by the count.
            let mut out = Vec::new();
            zstd::stream::read::Decoder::with_buffer(frame)
                .ok()?
                .take(len + 1)
                .read_to_end(&mut out)
                .ok()?;
            (out.len() as u64 == len).then_some(out)?
        }
        _ => return None,
    };
    String::from_utf8(bytes).ok()
}

/// Registers `unpack(blob) -> text` ([`unpack`]) on `conn`: the view `words_text`, so
/// every read of `words`' text (snippets, columns, FTS5's `delete`), needs it. A value
/// that does not unpack is an error saying "malformed", which
/// [`SearchError::is_damage`] takes for damage (the cache is rebuilt).
pub(super) fn register(conn: &Connection) -> Result<(), SearchError> {
    conn.create_scalar_function(
        "unpack",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let packed = ctx.get_raw(0);
            let bytes = match packed {
                rusqlite::types::ValueRef::Blob(b) => b,
                rusqlite::types::ValueRef::Null => return Ok(None),
                _ => &[][..],
            };
            unpack(bytes).map(Some).ok_or_else(|| {
                rusqlite::Error::UserFunctionError("packed text is malformed".into())
            })
        },
    )?;
    Ok(())
}

/// A lesson's content hash (its path and text), what a sync compares with the one the
/// index holds. SipHash-1-3 (`siphasher`: a fixed, documented function, so the cache
/// keeps its meaning across builds) reads 8 bytes a step, where the FNV it replaced read
/// one: every sync, and so every `lectern search`, hashes the whole course.
pub(super) fn content_hash(lesson: &Lesson) -> String {
    let mut h = siphasher::sip::SipHasher13::new();
    h.write(lesson.path.to_string_lossy().as_bytes());
    h.write(&[0]);
    h.write(lesson.text.as_bytes());
    format!("{:016x}", h.finish())
}

/// One lesson made ready to be written: its rows, and its words and compounds the sync
/// had not met yet.
struct Ready<'a> {
    lesson: &'a Lesson,
    hash: String,
    rows: Vec<Row>,
    words: Words,
}

/// The words and compounds of the lessons a sync indexes, gathered while they are
/// written. Hash sets (FxHash): a word is met once per lesson that has it, millions of
/// times in a big build, where an ordered set paid a dozen string compares a meeting;
/// ordered once at the end ([`Words::sorted`]) so the tables are written in key order.
#[derive(Clone, Default)]
struct Words {
    vocab: FxHashSet<String>,
    compounds: FxHashSet<(String, String)>,
    /// The chunks of text ([`chunks`]) whose compounds are in `compounds`: a chunk met
    /// again (`self-attention`, `BertTokenizer`) is not cut into its forms again.
    chunks: FxHashSet<String>,
}

impl Words {
    /// A made-ready lesson's words and compounds, taken out of it (the writer needs
    /// only its rows).
    fn take_from(ready: &mut Ready<'_>) -> Words {
        std::mem::take(&mut ready.words)
    }

    /// Adds `other`'s words and compounds (the larger set is kept, the smaller moved
    /// into it).
    fn merge(&mut self, other: Words) {
        merge_into(&mut self.vocab, other.vocab);
        merge_into(&mut self.compounds, other.compounds);
        merge_into(&mut self.chunks, other.chunks);
    }

    /// Adds the words and compounds of `text` that neither `self` nor `known` has. One
    /// pass over the text ([`chunks`]); a chunk's forms are made only the first time the
    /// sync meets it.
    fn gather(&mut self, text: &str, known: &Words) {
        for chunk in chunks(text) {
            add_words(chunk_words(chunk), &known.vocab, &mut self.vocab);
            if is_marked(chunk) && !known.chunks.contains(chunk) && !self.chunks.contains(chunk) {
                self.chunks.insert(chunk.to_owned());
                for form in chunk_forms(chunk) {
                    if !known.compounds.contains(&form) {
                        self.compounds.insert(form);
                    }
                }
            }
        }
    }

    /// The words and the compounds, each in order.
    fn sorted(self) -> (Vec<String>, Vec<(String, String)>) {
        let mut vocab: Vec<String> = self.vocab.into_iter().collect();
        vocab.par_sort_unstable();
        let mut compounds: Vec<(String, String)> = self.compounds.into_iter().collect();
        compounds.par_sort_unstable();
        (vocab, compounds)
    }
}

/// Moves `other`'s items into `set`.
fn merge_into<T: Eq + std::hash::Hash>(set: &mut FxHashSet<T>, mut other: FxHashSet<T>) {
    if other.len() > set.len() {
        std::mem::swap(set, &mut other);
    }
    set.extend(other);
}

/// One section's row: its text, the same packed, and its CJK pairs (none: no row in
/// `pairs`).
struct Row {
    section: Section,
    heading_text: String,
    packed: [Vec<u8>; 3],
    pairs: Option<[String; 5]>,
}

/// What a sync writes: which of the course's lessons changed (their hash is not the
/// index's), found in parallel before anything is written, and whether the sync is big
/// enough to end in a merge ([`super::merges_segments`], decided once for the sync).
pub(super) struct Plan<'a> {
    lessons: &'a [Lesson],
    /// The hashes the index holds, by lesson id.
    known: &'a HashMap<String, String>,
    /// For each of `lessons`, whether it is (re)written.
    changed: Vec<bool>,
    /// The lessons (re)written, in course order, with their new hashes.
    made: Vec<(&'a Lesson, String)>,
    bulk: bool,
}

impl<'a> Plan<'a> {
    /// The plan of a sync of `lessons` against `known`, which also drops `removed`
    /// lessons no longer in the course.
    pub(super) fn new(
        lessons: &'a [Lesson],
        known: &'a HashMap<String, String>,
        removed: usize,
    ) -> Self {
        let hashes: Vec<String> = lessons.par_iter().map(content_hash).collect();
        let mut changed = Vec::with_capacity(lessons.len());
        let mut made = Vec::new();
        for (lesson, hash) in lessons.iter().zip(hashes) {
            let is_changed = known.get(&lesson.id) != Some(&hash);
            changed.push(is_changed);
            if is_changed {
                made.push((lesson, hash));
            }
        }
        let bulk = super::merges_segments(&SyncStats {
            indexed: made.len(),
            removed,
            unchanged: lessons.len() - made.len(),
        });
        Plan {
            lessons,
            known,
            changed,
            made,
            bulk,
        }
    }
}

/// A batch of lessons made ready, and the words and compounds the sync met first in
/// them.
struct Made<'a> {
    ready: Vec<Ready<'a>>,
    words: Words,
}

/// A sync's lessons made ready on a thread of their own (batches of [`BATCH`], each
/// spread over rayon's pool) while this thread writes the batch before: one pipeline
/// for the whole sync, so it never drains between the sync's transactions, and each
/// word is gathered once in the sync, not once in each transaction.
pub(super) struct Pipeline<'scope, 'a> {
    plan: &'a Plan<'a>,
    receive: Receiver<Made<'a>>,
    maker: Option<ScopedJoinHandle<'scope, ()>>,
    /// Lessons made ready and not yet written, in course order.
    ready: VecDeque<Ready<'a>>,
    /// Words and compounds received and not yet written.
    words: Words,
    /// The plan's next lesson to write.
    next: usize,
}

impl<'scope, 'a: 'scope> Pipeline<'scope, 'a> {
    /// Starts making `plan`'s changed lessons ready, on a thread of `scope`.
    pub(super) fn start(scope: &'scope Scope<'scope, '_>, plan: &'a Plan<'a>) -> Self {
        let (send, receive) = sync_channel::<Made<'a>>(1);
        let made = &plan.made;
        let maker = scope.spawn(move || {
            let mut known = Words::default();
            for batch in made.chunks(BATCH) {
                let seen = &known;
                let mut ready: Vec<Ready<'a>> = batch
                    .par_iter()
                    .map(|(lesson, hash)| ready(lesson, hash.clone(), seen))
                    .collect();
                let mut words = Words::default();
                for lesson in &mut ready {
                    words.merge(Words::take_from(lesson));
                }
                let first = words.clone();
                // The writer stopped (an error, a stopped sync): nothing more to make.
                if send.send(Made { ready, words }).is_err() {
                    break;
                }
                known.merge(first);
            }
        });
        Pipeline {
            plan,
            receive,
            maker: Some(maker),
            ready: VecDeque::new(),
            words: Words::default(),
            next: 0,
        }
    }

    /// Writes the plan's next `count` lessons in `tx` (a current one is counted, not
    /// written), then the words and compounds received so far: one transaction's
    /// share of the sync.
    pub(super) fn write(
        &mut self,
        tx: &Transaction<'_>,
        count: usize,
    ) -> Result<SyncStats, SearchError> {
        let plan = self.plan;
        let end = (self.next + count).min(plan.lessons.len());
        let writes = plan.changed[self.next..end].contains(&true);
        if writes {
            set_merging(tx, if plan.bulk { &BULK } else { &INCREMENTAL })?;
        }
        let mut stats = SyncStats::default();
        for &changed in &plan.changed[self.next..end] {
            if !changed {
                stats.unchanged += 1;
                continue;
            }
            let lesson = self.take()?;
            if plan.known.contains_key(&lesson.lesson.id) {
                delete_lesson(tx, &lesson.lesson.id)?;
            }
            write_lesson(tx, &lesson)?;
            stats.indexed += 1;
        }
        self.next = end;
        // Words are never taken out of the vocabulary: one no lesson has any more only
        // costs a lookup that finds nothing. A batch's words may be written a
        // transaction before its last lessons: as harmless.
        write_words(tx, std::mem::take(&mut self.words))?;
        if writes && plan.bulk {
            // Before the commit: the `optimize` that ends a big sync does the merging.
            set_merging(tx, &INCREMENTAL)?;
        }
        Ok(stats)
    }

    /// The next lesson made ready, waiting for the maker if need be.
    fn take(&mut self) -> Result<Ready<'a>, SearchError> {
        loop {
            if let Some(lesson) = self.ready.pop_front() {
                return Ok(lesson);
            }
            match self.receive.recv() {
                Ok(made) => {
                    self.ready.extend(made.ready);
                    self.words.merge(made.words);
                }
                Err(_) => {
                    // The maker ended early: it panicked (its panic is this thread's),
                    // as it makes every lesson the plan writes otherwise.
                    self.join();
                    return Err(SearchError::Io(std::io::Error::other(
                        "fewer lessons made ready than the sync writes",
                    )));
                }
            }
        }
    }

    /// Waits for the maker's end (a panic in it is this thread's, as `scope` itself
    /// would make it).
    fn join(&mut self) {
        if let Some(maker) = self.maker.take() {
            maker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    }

    /// Ends the pipeline once every lesson is written.
    pub(super) fn finish(mut self) {
        self.join();
    }
}

/// Writes `words`' vocabulary and compounds, each in key order.
fn write_words(tx: &Transaction<'_>, words: Words) -> Result<(), SearchError> {
    let (vocab, compounds) = words.sorted();
    let mut add = tx.prepare_cached("INSERT OR IGNORE INTO vocab (term) VALUES (?1)")?;
    for word in vocab {
        add.execute([word])?;
    }
    let mut add =
        tx.prepare_cached("INSERT OR IGNORE INTO compounds (form, words) VALUES (?1, ?2)")?;
    for (form, words) in compounds {
        add.execute([form, words])?;
    }
    Ok(())
}

/// Drops the lessons `ids` from the index: those gone from the course.
pub(super) fn drop_lessons<'i>(
    tx: &Transaction<'_>,
    ids: impl IntoIterator<Item = &'i String>,
) -> Result<usize, SearchError> {
    let mut removed = 0;
    for id in ids {
        delete_lesson(tx, id)?;
        removed += 1;
    }
    Ok(removed)
}

/// How FTS5 merges a word table's segments while a sync writes it: three of its
/// configuration options, stored in the table (`<table>_config`), so they outlive the
/// connection and are set for every sync that writes.
struct Merging {
    /// Segments of a level merged a little at every flush (0: never).
    automerge: i64,
    /// Segments of a level at which a flush merges them all at once.
    crisismerge: i64,
    /// Bytes of pending index held in memory before a flush writes a segment.
    hashsize: i64,
}

/// FTS5's own defaults: a small sync (a saved lesson) flushes little and merges as it
/// goes, so the index stays in few segments without a full `optimize`.
const INCREMENTAL: Merging = Merging {
    automerge: 4,
    crisismerge: 16,
    hashsize: 1 << 20,
};

/// A big sync (a build, a rebuild; [`super::merges_segments`]), which ends in one
/// `optimize` that merges every segment anyway: no merging while it writes (merges were
/// a quarter of the writer's time at 10,000 lessons, redone by the `optimize`), 4 MB
/// flushes, so a 10,000-lesson build leaves a few dozen segments, under `crisismerge`.
/// (16 MB flushes made FTS5's hash of pending words slower than the merges they saved.)
const BULK: Merging = Merging {
    automerge: 0,
    crisismerge: 128,
    hashsize: 4 << 20,
};

/// Sets `merging` on the word tables, writing only the values that differ from those
/// stored (a missing one is FTS5's default, [`INCREMENTAL`]'s), so a sync after a
/// build interrupted before its end still finds the incremental values back.
fn set_merging(tx: &Transaction<'_>, merging: &Merging) -> Result<(), SearchError> {
    let wanted = [
        ("automerge", merging.automerge, INCREMENTAL.automerge),
        ("crisismerge", merging.crisismerge, INCREMENTAL.crisismerge),
        ("hashsize", merging.hashsize, INCREMENTAL.hashsize),
    ];
    for table in ["words", "heads", "pairs"] {
        for (key, value, default) in wanted {
            let stored: Option<i64> = tx
                .prepare_cached(&format!("SELECT v FROM {table}_config WHERE k = ?1"))?
                .query_row([key], |r| r.get(0))
                .optional()?;
            if stored.unwrap_or(default) != value {
                tx.prepare_cached(&format!(
                    "INSERT INTO {table} ({table}, rank) VALUES (?1, ?2)"
                ))?
                .execute(params![key, value])?;
            }
        }
    }
    Ok(())
}

/// A lesson's rows, and its words and compounds not in `known` (those the sync gathered
/// from the lessons before), made without the index (so in parallel).
fn ready<'a>(lesson: &'a Lesson, hash: String, known: &Words) -> Ready<'a> {
    // One parse finds the sections and the Knowledge Check the quiz reads.
    let (mut sections, knowledge_check) = sections(lesson.body());
    let prompts: Vec<String> = crate::quiz::shown_prompts(lesson, knowledge_check)
        .iter()
        .map(|p| plain::markdown_text(p))
        .collect();
    if !prompts.is_empty() {
        sections.push(Section {
            anchor: KNOWLEDGE_CHECK_ANCHOR.to_owned(),
            heading: "Knowledge Check".to_owned(),
            prompts: prompts.join("\n"),
            ..Section::default()
        });
    }
    let mut words = Words::default();
    // The title is in every row: its words are gathered once (if there is a row at all).
    if !sections.is_empty() {
        words.gather(&lesson.title, known);
    }
    let title_pairs = cjk_pairs(&lesson.title);
    let rows = sections
        .into_iter()
        .map(|s| {
            let texts = [&s.heading, &s.body, &s.code, &s.prompts];
            for text in texts {
                words.gather(text, known);
            }
            let [heading, body, code, prompts] = texts.map(|t| cjk_pairs(t));
            let pairs = [title_pairs.clone(), heading, body, code, prompts];
            let heading_text = if s.heading.is_empty() {
                lesson.title.clone()
            } else {
                s.heading.clone()
            };
            Row {
                packed: [pack(&s.body), pack(&s.code), pack(&s.prompts)],
                pairs: pairs.iter().any(|p| !p.is_empty()).then_some(pairs),
                heading_text,
                section: s,
            }
        })
        .collect();
    Ready {
        lesson,
        hash,
        rows,
        words,
    }
}

/// Drops a lesson's rows. The full-text tables are reached by rowid (their own columns
/// are not indexed for lookups: filtering on `lesson` would scan the whole table, and a
/// sync of n lessons would cost n²). `words` keeps no text of its own: its entries are
/// removed with FTS5's `delete` command and the text they were made from (read through
/// `words_text`), so before that text leaves `rows`.
pub(super) fn delete_lesson(tx: &Transaction<'_>, id: &str) -> Result<(), SearchError> {
    tx.prepare_cached("DELETE FROM docs WHERE lesson = ?1")?
        .execute([id])?;
    tx.prepare_cached(
        "INSERT INTO words (words, rowid, lesson, anchor, heading_text, title, heading, body, code, prompts)
         SELECT 'delete', id, lesson, anchor, heading_text, title, heading, body, code, prompts
         FROM words_text WHERE id IN (SELECT id FROM rows WHERE lesson = ?1)",
    )?
    .execute([id])?;
    for table in ["heads", "pairs"] {
        tx.prepare_cached(&format!(
            "DELETE FROM {table} WHERE rowid IN (SELECT id FROM rows WHERE lesson = ?1)"
        ))?
        .execute([id])?;
    }
    tx.prepare_cached("DELETE FROM rows WHERE lesson = ?1")?
        .execute([id])?;
    Ok(())
}

/// Writes a lesson made ready: its `docs` row, then each section's text (`rows`,
/// packed) and index entries (`words`, `heads`, `pairs`).
fn write_lesson(tx: &Transaction<'_>, ready: &Ready<'_>) -> Result<(), SearchError> {
    let lesson = ready.lesson;
    tx.prepare_cached("INSERT INTO docs (lesson, hash, title) VALUES (?1, ?2, ?3)")?
        .execute(params![lesson.id, ready.hash, lesson.title])?;
    for row in &ready.rows {
        let s = &row.section;
        tx.prepare_cached(
            "INSERT INTO rows (lesson, anchor, heading_text, title, heading, body, code, prompts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            lesson.id,
            s.anchor,
            row.heading_text,
            lesson.title,
            s.heading,
            row.packed[0],
            row.packed[1],
            row.packed[2]
        ])?;
        let rowid = tx.last_insert_rowid();
        tx.prepare_cached(
            "INSERT INTO words (rowid, lesson, anchor, heading_text, title, heading, body, code, prompts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            rowid,
            lesson.id,
            s.anchor,
            row.heading_text,
            lesson.title,
            s.heading,
            s.body,
            s.code,
            s.prompts
        ])?;
        tx.prepare_cached("INSERT INTO heads (rowid, title, heading) VALUES (?1, ?2, ?3)")?
            .execute(params![rowid, lesson.title, s.heading])?;
        if let Some(p) = &row.pairs {
            tx.prepare_cached(
                "INSERT INTO pairs (rowid, title, heading, body, code, prompts)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![rowid, p[0], p[1], p[2], p[3], p[4]])?;
        }
    }
    Ok(())
}

/// A part of a lesson between headings, as plain text.
#[derive(Default)]
struct Section {
    anchor: String,
    heading: String,
    body: String,
    code: String,
    prompts: String,
}

/// The lesson's body cut at its headings (the Knowledge Check left out), as plain text:
/// prose and code apart, markup gone; and the body's Knowledge Check sections (what
/// [`crate::render::knowledge_check_spans`] gives, for the quiz). One parse does it all:
/// each section's anchor is the id the renderer gives its heading
/// ([`crate::render::headings`], the same [`Slugger`] fed the same headings in order).
fn sections(body: &str) -> (Vec<Section>, Vec<std::ops::Range<usize>>) {
    let mut locator = KnowledgeCheckLocator::default();
    let mut slugger = Slugger::default();
    let mut out = vec![Section::default()];
    // The heading being read: its `{#custom-id}` and plain text so far.
    let mut heading: Option<(Option<String>, String)> = None;
    let (mut in_code, mut in_quiz) = (false, false);
    for (event, range) in Parser::new_ext(body, crate::render::parser_options()).into_offset_iter()
    {
        match locator.feed(&event, &range) {
            Part::Body => {}
            Part::KnowledgeCheck => continue,
            // The heading just read opens the Knowledge Check: it gets no section (and
            // no id, as the renderer leaves it out).
            Part::KnowledgeCheckFrom(_) => {
                out.pop();
                heading = None;
                continue;
            }
        }
        match &event {
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some((id.as_ref().map(ToString::to_string), String::new()));
                out.push(Section::default());
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let (Some((custom, text)), Some(current)) = (heading.take(), out.last_mut()) {
                    current.anchor = slugger.id_for(custom.as_deref(), &text);
                    current.heading = text.trim().to_owned();
                }
                continue;
            }
            _ => {}
        }
        let Some(current) = out.last_mut() else {
            continue;
        };
        if let Some((_, text)) = heading.as_mut() {
            // A heading's words are its section's heading, not its body; a line break in
            // it (a setext heading's) still spaces the body.
            push_plain(text, &event);
            if matches!(event, Event::SoftBreak | Event::HardBreak) {
                current.body.push(' ');
            }
            continue;
        }
        add_event(current, event, &mut in_code, &mut in_quiz);
    }
    out.retain(|s| !s.body.trim().is_empty() || !s.code.trim().is_empty() || !s.heading.is_empty());
    (out, locator.finish(body.len()))
}

/// Adds what `event` (outside any heading) shows to `current`: prose to its body, code to
/// its code; `in_code` and `in_quiz` say where the parse is and are kept up to date.
fn add_event(current: &mut Section, event: Event<'_>, in_code: &mut bool, in_quiz: &mut bool) {
    let is_math = matches!(event, Event::InlineMath(_) | Event::DisplayMath(_));
    match event {
        // A `{{#quiz}}` file holds its answers: its prompts are indexed with the quiz's
        // (`ready`), the file itself never.
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
            if crate::render::is_quiz_block(&info) =>
        {
            *in_quiz = true;
        }
        Event::End(TagEnd::CodeBlock) if *in_quiz => *in_quiz = false,
        _ if *in_quiz => {}
        Event::Start(Tag::CodeBlock(_)) => *in_code = true,
        Event::End(TagEnd::CodeBlock) => *in_code = false,
        Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
            let target = if *in_code {
                &mut current.code
            } else {
                &mut current.body
            };
            if is_math {
                target.push_str(&plain::tex_text(&t));
            } else {
                target.push_str(&t);
            }
            target.push(' ');
        }
        Event::SoftBreak | Event::HardBreak => current.body.push(' '),
        _ => {}
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn packed_text_unpacks_to_itself_short_or_long() {
        for text in [
            "",
            "short",
            &"attention is all you need, ".repeat(40),
            "注意力 naïve",
        ] {
            assert_eq!(unpack(&pack(text)).as_deref(), Some(text));
        }
        assert!(
            pack(&"a".repeat(1000)).len() < 100,
            "long text is compressed"
        );
        // What Lectern wrote before zstd is still read.
        let text = "attention is all you need, ".repeat(40);
        let mut deflated = vec![DEFLATED];
        deflated.extend(miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 1));
        assert_eq!(unpack(&deflated).as_deref(), Some(text.as_str()));
    }

    #[test]
    fn sections_carry_the_rendered_heading_ids_and_find_the_knowledge_check_on_every_fixture_course(
    ) {
        let mut anchors = 0;
        for dir in crate::course::every_fixture_course() {
            let course = crate::course::Course::load(&dir).course;
            for lesson in course.lessons() {
                let body = lesson.body();
                let (found, spans) = sections(body);
                assert_eq!(spans, crate::render::knowledge_check_spans(body));
                let headings = crate::render::headings(body);
                let mut ids = headings.iter().map(|h| (h.id.as_str(), h.text.as_str()));
                for s in found.iter().filter(|s| !s.anchor.is_empty()) {
                    let wanted = (s.anchor.as_str(), s.heading.as_str());
                    assert!(ids.any(|h| h == wanted), "{:?} {wanted:?}", lesson.path);
                    anchors += 1;
                }
            }
        }
        assert!(anchors > 100, "the fixtures have headings ({anchors})");
    }

    /// The merging options stored in each word table, a missing one as FTS5's default.
    fn stored_merging(index: &super::super::SearchIndex) -> Vec<(String, i64)> {
        let mut out = Vec::new();
        for table in ["words", "heads", "pairs"] {
            for (key, default) in [("automerge", 4), ("crisismerge", 16), ("hashsize", 1 << 20)] {
                let stored: Option<i64> = index
                    .conn
                    .query_row(
                        &format!("SELECT v FROM {table}_config WHERE k = ?1"),
                        [key],
                        |r| r.get(0),
                    )
                    .optional()
                    .unwrap();
                out.push((format!("{table}.{key}"), stored.unwrap_or(default)));
            }
        }
        out
    }

    fn write_lesson_file(dir: &std::path::Path, i: usize, word: &str) {
        let text = format!(
            "---\nid: l{i}\ntitle: Lesson {i}\norder: {i}\n---\n# Part\n\nThe {word} {i}.\n"
        );
        std::fs::write(dir.join(format!("l{i}.md")), text).unwrap();
    }

    fn is_incremental(index: &super::super::SearchIndex) -> bool {
        stored_merging(index).into_iter().all(|(key, v)| {
            v == match key.rsplit('.').next() {
                Some("automerge") => INCREMENTAL.automerge,
                Some("crisismerge") => INCREMENTAL.crisismerge,
                _ => INCREMENTAL.hashsize,
            }
        })
    }

    #[test]
    fn a_build_leaves_fts5_merging_at_its_defaults_for_the_saves_after_it() {
        let tmp = tempfile::tempdir().unwrap();
        (0..8).for_each(|i| write_lesson_file(tmp.path(), i, "apple"));
        let mut index = super::super::SearchIndex::in_memory().unwrap();
        let stats = index
            .sync(&crate::course::Course::load(tmp.path()))
            .unwrap();
        assert_eq!(stats.indexed, 8);
        assert!(is_incremental(&index), "{:?}", stored_merging(&index));
        assert_eq!(index.query("apple", 10).unwrap().results.len(), 8);
    }

    #[test]
    fn a_save_after_a_build_cut_short_with_bulk_merging_stored_sets_incremental_back() {
        let tmp = tempfile::tempdir().unwrap();
        (0..8).for_each(|i| write_lesson_file(tmp.path(), i, "apple"));
        let mut index = super::super::SearchIndex::in_memory().unwrap();
        index
            .sync(&crate::course::Course::load(tmp.path()))
            .unwrap();
        // What a build's settings left committed would look like.
        let tx = index.conn.transaction().unwrap();
        set_merging(&tx, &BULK).unwrap();
        tx.commit().unwrap();
        assert!(!is_incremental(&index), "{:?}", stored_merging(&index));
        write_lesson_file(tmp.path(), 0, "quince");
        let stats = index
            .sync(&crate::course::Course::load(tmp.path()))
            .unwrap();
        assert_eq!((stats.indexed, stats.unchanged), (1, 7), "a small sync");
        assert!(is_incremental(&index), "{:?}", stored_merging(&index));
        assert_eq!(index.query("quince", 10).unwrap().results.len(), 1);
    }

    /// The vocabulary and compounds `index` holds.
    fn stored_words(
        index: &super::super::SearchIndex,
    ) -> (BTreeSet<String>, BTreeSet<(String, String)>) {
        let strings = |sql: &str| -> Vec<(String, String)> {
            let mut stmt = index.conn.prepare(sql).unwrap();
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            rows.map(Result::unwrap).collect()
        };
        let vocab = strings("SELECT term, '' FROM vocab")
            .into_iter()
            .map(|(t, _)| t);
        (
            vocab.collect(),
            strings("SELECT form, words FROM compounds")
                .into_iter()
                .collect(),
        )
    }

    /// The tokens and compound forms of every text a build indexes for `lessons`, each
    /// text read on its own (no sets shared between lessons or batches).
    fn words_of(lessons: &[Lesson]) -> (BTreeSet<String>, BTreeSet<(String, String)>) {
        let (mut vocab, mut compounds) = (BTreeSet::new(), BTreeSet::new());
        for lesson in lessons {
            let made = ready(lesson, String::new(), &Words::default());
            for row in &made.rows {
                let s = &row.section;
                for text in [&lesson.title, &s.heading, &s.body, &s.code, &s.prompts] {
                    vocab.extend(super::super::terms::tokens(text));
                    compounds.extend(super::super::forgive::compound_forms(text));
                }
            }
        }
        (vocab, compounds)
    }

    #[test]
    fn a_build_stores_every_word_and_compound_of_its_lessons_across_batches() {
        let tmp = tempfile::tempdir().unwrap();
        // More lessons than a batch: words first met in one batch are known in the next.
        for i in 0..(BATCH * 2 + 7) {
            let text = format!(
                "---\nid: l{i}\ntitle: Lesson {i} on Self-Attention\norder: {i}\n---\n\
                 # Part {i}\n\nThe BertTokenizer and word{i} meet fine-tuning{} here.\n\n\
                 ```\nlet x{i} = HttpServer{i}::new();\n```\n",
                i % 5
            );
            std::fs::write(tmp.path().join(format!("l{i:03}.md")), text).unwrap();
        }
        let mut dirs = crate::course::every_fixture_course();
        dirs.push(tmp.path().to_path_buf());
        let mut compared = 0;
        for dir in dirs {
            let loaded = crate::course::Course::load(&dir);
            let mut index = super::super::SearchIndex::in_memory().unwrap();
            index.sync(&loaded).unwrap();
            let (vocab, compounds) = words_of(loaded.course.lessons());
            compared += vocab.len() + compounds.len();
            assert_eq!(stored_words(&index), (vocab, compounds), "{dir:?}");
        }
        assert!(compared > 1000, "the courses have words ({compared})");
    }

    #[test]
    fn a_value_that_is_no_packed_text_is_refused_not_misread() {
        assert_eq!(unpack(&[]), None);
        assert_eq!(unpack(&[7, b'x']), None, "unknown kind");
        assert_eq!(unpack(&[DEFLATED, 0xff, 0xff, 0xff]), None, "broken stream");
        let long = pack(&"attention is all you need, ".repeat(40));
        assert_eq!(long[0], ZSTD);
        assert_eq!(unpack(&long[..long.len() - 3]), None, "cut short");
        for (at, flip) in [(1, 1), (4, 0x80), (long.len() - 1, 0xff)] {
            let mut damaged = long.clone();
            damaged[at] ^= flip;
            assert_eq!(unpack(&damaged), None, "byte {at} changed");
        }
        let mut huge = long.clone();
        huge[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(unpack(&huge), None, "a length the frame does not hold");
        assert_eq!(unpack(&[ZSTD, 1, 0]), None, "no length");
        assert_eq!(unpack(&[RAW, 0xff]), None, "not UTF-8");
    }
}
