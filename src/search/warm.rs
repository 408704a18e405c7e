//! Load once: answering a search from the cache without loading the course, when
//! nothing the last load read has changed.
//!
//! Every sync of the cache from a stamped load ([`Course::load_stamped`]) stores, in the
//! same transaction, the load's [`Stamp`] (table `stamp`: every path it read, looked
//! for or listed, with what `stat` said) and what a search prints besides its hits
//! (table `loaded`: how the folder was detected, the course's language, the load's
//! diagnostics as their JSON). The index and the stamp are one write, so they never
//! disagree; a sync from a load without a stamp (the app's, a change applied) clears
//! them. [`SearchIndex::open_warm`] opens the cache as it is and trusts it only if the
//! folder is detected the same way and [`Stamp::check`] finds every path as it was;
//! anything else (no cache, busy, damaged, another schema, a stamp row that does not
//! read back, a changed or racy path) is a [`Stale`] reason and [`answer`] takes the
//! whole path: load, sync (which repairs a damaged cache), query.

use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension as _, Transaction};

use super::{forgive, index_path, Cache, NoteText, Results, SearchError, SearchIndex};
use crate::course::{detect, Course, Detected, Format, Loaded};
use crate::day::Millis;
use crate::stamp::{Check, Entry, Kind, Look, Seen, Stamp};

/// Why [`SearchIndex::open_warm`] did not answer: the course is loaded instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stale {
    /// There is no cache file yet.
    NoCache,
    /// Another process is building or repairing the cache.
    Busy,
    /// The cache cannot be used as it is (damaged, another schema, unreadable): why.
    Unusable(String),
    /// The cache holds no stamp (written by the app, by an older load, or damaged).
    NoStamp,
    /// The folder is now read as another course (format, root or `src` moved).
    Detected,
    /// This path is not what the load saw.
    Changed(PathBuf),
    /// This path's time is too close to the load to prove anything.
    Racy(PathBuf),
    /// The query failed on the cache as it is (damage found late): why.
    Query(String),
    /// The learner's notes were asked for: they need the loaded course.
    Notes,
}

/// A cache found current with the folder, and what the load behind it printed.
pub struct Warm {
    /// The index, open on the cache file.
    pub index: SearchIndex,
    /// The diagnostics of the load the index was synced from, as their JSON.
    pub diagnostics: serde_json::Value,
}

/// What makes the learner's notes on a loaded course for [`answer`] (the caller
/// reads them; its error is the caller's).
pub type NotesOf<'a, E> = &'a dyn Fn(&Course) -> Result<Vec<NoteText>, E>;

/// How [`answer`] answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// From the cache alone: the course was not loaded.
    Warm,
    /// The course was loaded, for this reason.
    Loaded(Stale),
}

/// What `lectern search` prints, and how it was found.
pub struct Answer {
    /// The hits and the words they were found by.
    pub results: Results,
    /// The load's diagnostics, as their JSON (`"diagnostics"` of `lectern search --json`).
    pub diagnostics: serde_json::Value,
    /// Where the index lived.
    pub cache: Cache,
    /// Whether the course was loaded.
    pub route: Route,
}

/// Answers `query` (up to `limit` hits) on the course in `dir`: from the cache alone
/// when it is current ([`SearchIndex::open_warm`]), otherwise by loading the course
/// (stamped, `started` being now), syncing the cache and asking it; the answer is the
/// same either way. `notes`, if given, makes the learner's notes on the loaded course
/// to search beside it (always the whole path: notes need the course); its error is
/// returned as it is.
pub fn answer<E: From<SearchError>>(
    dir: &Path,
    query: &str,
    limit: usize,
    started: Millis,
    notes: Option<NotesOf<'_, E>>,
) -> Result<Answer, E> {
    // The course's root, not `dir`: a book opened at its `src/` has the same cache.
    let detected = detect(dir);
    let cache = index_path(&detected.root);
    answer_detected(&cache, dir, &detected, query, limit, started, notes)
}

/// [`answer`] with the index cached at `cache` (tests choose it; [`answer`] uses
/// [`index_path`] of the course's root).
pub fn answer_at<E: From<SearchError>>(
    cache: &Path,
    dir: &Path,
    query: &str,
    limit: usize,
    started: Millis,
    notes: Option<NotesOf<'_, E>>,
) -> Result<Answer, E> {
    answer_detected(cache, dir, &detect(dir), query, limit, started, notes)
}

/// [`answer_at`] with `dir` already detected (`detected`), so the warm path detects
/// the folder once.
fn answer_detected<E: From<SearchError>>(
    cache: &Path,
    dir: &Path,
    detected: &Detected,
    query: &str,
    limit: usize,
    started: Millis,
    notes: Option<NotesOf<'_, E>>,
) -> Result<Answer, E> {
    let stale = match notes {
        Some(_) => Stale::Notes,
        None => match SearchIndex::open_warm(cache, detected) {
            Ok(warm) => match warm.index.query_with(query, limit, &[]) {
                Ok(results) => {
                    return Ok(Answer {
                        results,
                        diagnostics: warm.diagnostics,
                        cache: Cache::Reused,
                        route: Route::Warm,
                    })
                }
                Err(e) => Stale::Query(e.to_string()),
            },
            Err(stale) => stale,
        },
    };
    let loaded = Course::load_stamped(dir, started);
    let notes = match notes {
        Some(of) => of(&loaded.course)?,
        None => Vec::new(),
    };
    let opened = SearchIndex::open(cache, &loaded)?;
    let mut index = opened.index;
    let results = index.search_with(&loaded, query, limit, &notes)?;
    Ok(Answer {
        results,
        diagnostics: diagnostics_json(&loaded),
        cache: opened.cache,
        route: Route::Loaded(stale),
    })
}

impl SearchIndex {
    /// The cache at `cache` of the course detected as `detected` (`course::detect` of
    /// the folder opened, now), opened as it is, if the last load synced into it is
    /// still what loading that folder now would give: the folder detected the same way
    /// and every path of its stamp unchanged (see the module docs). Never
    /// writes the index, never waits for a lock; `Err` says why the course must be
    /// loaded.
    pub fn open_warm(cache: &Path, detected: &Detected) -> Result<Warm, Stale> {
        let key = detected_key(detected).ok_or(Stale::Detected)?;
        let mut index = SearchIndex::open_as_is(cache)?;
        let stored = read(&index.conn).map_err(|e| Stale::Unusable(e.to_string()))?;
        let stored = stored.ok_or(Stale::NoStamp)?;
        if stored.detected != key {
            return Err(Stale::Detected);
        }
        match stored.stamp.check() {
            Check::Current => {}
            Check::Changed(path) => return Err(Stale::Changed(path)),
            Check::Racy(path) => return Err(Stale::Racy(path)),
        }
        index.language = forgive::Language::from_tag(stored.language.as_deref());
        Ok(Warm {
            index,
            diagnostics: stored.diagnostics,
        })
    }
}

/// The load's diagnostics as the JSON `lectern search --json` prints.
fn diagnostics_json(loaded: &Loaded) -> serde_json::Value {
    // Diagnostics are plain fields (numbers and strings): serializing cannot fail.
    serde_json::to_value(&loaded.diagnostics).unwrap_or_default()
}

/// How a folder was detected, as stored: format, canonical root, `src`, whether
/// `book.toml` is there. `None` when a path is not stored exactly (not UTF-8 off Unix).
#[derive(Debug, PartialEq, Eq)]
struct DetectedKey {
    format: &'static str,
    root: Vec<u8>,
    src: Vec<u8>,
    book_file: bool,
}

fn detected_key(detected: &Detected) -> Option<DetectedKey> {
    let format = match detected.format {
        Format::Lectern => "lectern",
        Format::Markdown => "markdown",
        Format::Mdbook => "mdbook",
    };
    let root = std::fs::canonicalize(&detected.root).ok()?;
    Some(DetectedKey {
        format,
        root: path_bytes(&root)?,
        src: path_bytes(&detected.src)?,
        book_file: detected.has_book_file,
    })
}

/// What the cache holds of the load it was synced from.
struct Stored {
    detected: DetectedKey,
    language: Option<String>,
    diagnostics: serde_json::Value,
    stamp: Stamp,
}

/// Forgets the stored load, in `tx`: the index no longer answers for it (a batch of a
/// sync wrote lessons, or another connection wrote during the sync), so the next
/// search loads the course.
pub(super) fn forget(tx: &Transaction<'_>) -> Result<(), SearchError> {
    tx.execute_batch("DELETE FROM stamp; DELETE FROM loaded;")?;
    Ok(())
}

/// Replaces the stored load with `loaded`'s, in the sync's transaction `tx`: its stamp
/// and what a search prints of it, or nothing when it has no stamp (or a path of it
/// cannot be stored exactly), so a later search loads the course.
pub(super) fn store(tx: &Transaction<'_>, loaded: &Loaded) -> Result<(), SearchError> {
    tx.execute_batch("DELETE FROM stamp; DELETE FROM loaded;")?;
    let Some(stamp) = loaded.stamp() else {
        return Ok(());
    };
    let Some(key) = detected_key(loaded.detected()) else {
        return Ok(());
    };
    let rows: Option<Vec<(Vec<u8>, &Entry)>> = stamp
        .entries
        .iter()
        .map(|e| Some((path_bytes(&e.path)?, e)))
        .collect();
    let Some(rows) = rows else {
        return Ok(());
    };
    let mut insert = tx.prepare(
        "INSERT INTO stamp (path, look, kind, size, mtime, ctime, inode)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (path, entry) in rows {
        let look = i64::from(entry.look == Look::Entry);
        let (kind, size, mtime, ctime, inode) = match entry.seen {
            Seen::Missing => (0, 0, 0, 0, 0),
            // A size past i64::MAX does not exist on any file system Lectern reads; an
            // inode is stored as its 64 bits, read back the same.
            Seen::Present {
                kind,
                size,
                mtime_ns,
                ctime_ns,
                inode,
            } => (
                kind.code(),
                i64::try_from(size).unwrap_or(i64::MAX),
                mtime_ns,
                ctime_ns,
                i64::from_ne_bytes(inode.to_ne_bytes()),
            ),
        };
        insert.execute(params![path, look, kind, size, mtime, ctime, inode])?;
    }
    tx.execute(
        "INSERT INTO loaded (one, format, root, src, book_file, language, diagnostics, started)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            key.format,
            key.root,
            key.src,
            key.book_file,
            loaded.course.language(),
            diagnostics_json(loaded).to_string(),
            stamp.taken_at
        ],
    )?;
    Ok(())
}

/// [`store`] for a sync that wrote no lesson, which must stay one that needs no write
/// lock (a warm start waits for nobody): the stored load is replaced only when it is
/// not this one (absent, another stamp or output) or not trusted (racy), and then
/// without waiting — another process writing now (or since this transaction's read,
/// SQLite's busy snapshot) leaves it as it is, for a later search to store.
pub(super) fn store_unless_busy(tx: &Transaction<'_>, loaded: &Loaded) -> Result<(), SearchError> {
    let stored = read(tx).ok().flatten();
    let same = match (loaded.stamp(), &stored) {
        (None, None) => true,
        (Some(stamp), Some(stored)) => {
            !stored.stamp.is_racy()
                && stored.stamp.entries == stamp.entries
                && detected_key(loaded.detected()).as_ref() == Some(&stored.detected)
                && stored.language.as_deref() == loaded.course.language()
                && stored.diagnostics == diagnostics_json(loaded)
        }
        _ => false,
    };
    if same {
        return Ok(());
    }
    tx.busy_timeout(std::time::Duration::ZERO)?;
    let stored = store(tx, loaded);
    tx.busy_timeout(super::BUSY_WAIT)?;
    match stored {
        Err(SearchError::Sqlite(e))
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// The stored load, if there is one that reads back whole (a row that does not — an
/// unknown kind, a format that is none — is as good as none).
fn read(conn: &rusqlite::Connection) -> Result<Option<Stored>, SearchError> {
    let head = conn
        .query_row(
            "SELECT format, root, src, book_file, language, diagnostics, started FROM loaded",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Millis>(6)?,
                ))
            },
        )
        .optional()?;
    let Some((format, root, src, book_file, language, diagnostics, started)) = head else {
        return Ok(None);
    };
    let format = match format.as_str() {
        "lectern" => "lectern",
        "markdown" => "markdown",
        "mdbook" => "mdbook",
        _ => return Ok(None),
    };
    let Ok(diagnostics) = serde_json::from_str::<serde_json::Value>(&diagnostics) else {
        return Ok(None);
    };
    let mut stmt = conn.prepare("SELECT path, look, kind, size, mtime, ctime, inode FROM stamp")?;
    let rows = stmt.query_map([], |r| {
        Ok(StampRow {
            path: r.get(0)?,
            look: r.get(1)?,
            kind: r.get(2)?,
            size: r.get(3)?,
            mtime: r.get(4)?,
            ctime: r.get(5)?,
            inode: r.get(6)?,
        })
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let Some(entry) = entry_of(row?) else {
            return Ok(None);
        };
        entries.push(entry);
    }
    if entries.is_empty() {
        return Ok(None);
    }
    Ok(Some(Stored {
        detected: DetectedKey {
            format,
            root,
            src,
            book_file,
        },
        language,
        diagnostics,
        stamp: Stamp {
            taken_at: started,
            entries,
        },
    }))
}

/// One row of the `stamp` table as stored.
struct StampRow {
    path: Vec<u8>,
    look: i64,
    kind: i64,
    size: i64,
    mtime: i64,
    ctime: i64,
    inode: i64,
}

/// A stamp row read back, if every field is one [`store`] writes.
fn entry_of(row: StampRow) -> Option<Entry> {
    let look = match row.look {
        0 => Look::Follow,
        1 => Look::Entry,
        _ => return None,
    };
    let seen = match row.kind {
        0 => Seen::Missing,
        code => Seen::Present {
            kind: Kind::from_code(code)?,
            size: u64::try_from(row.size).ok()?,
            mtime_ns: row.mtime,
            ctime_ns: row.ctime,
            inode: u64::from_ne_bytes(row.inode.to_ne_bytes()),
        },
    };
    Some(Entry {
        path: path_from(row.path)?,
        look,
        seen,
    })
}

/// A path's exact bytes (any bytes on Unix; elsewhere only a UTF-8 path).
fn path_bytes(path: &Path) -> Option<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        Some(path.as_os_str().as_bytes().to_vec())
    }
    #[cfg(not(unix))]
    {
        path.to_str().map(|s| s.as_bytes().to_vec())
    }
}

/// The path [`path_bytes`] stored.
fn path_from(bytes: Vec<u8>) -> Option<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt as _;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(PathBuf::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::every_fixture_course;
    use std::fs;

    /// A copy of the course at `from` (links kept as links) in a fresh temporary folder.
    fn copy_of(from: &Path) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let to = tmp.path().join("course");
        copy_tree(from, &to);
        (tmp, to)
    }

    fn copy_tree(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let (src, dst) = (entry.path(), to.join(entry.file_name()));
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                std::os::unix::fs::symlink(fs::read_link(&src).unwrap(), &dst).unwrap();
            } else if kind.is_dir() {
                copy_tree(&src, &dst);
            } else {
                fs::copy(&src, &dst).unwrap();
            }
        }
    }

    /// Sets the time of every file, folder and link under `dir` (and its own) to one
    /// moment long past, so nothing in it is within the racy window of a load now.
    fn age(dir: &Path) {
        let status = std::process::Command::new("find")
            .arg(dir)
            .args(["-exec", "touch", "-h", "-d", "@1700000000", "{}", "+"])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn now() -> Millis {
        crate::clock::system_ms()
    }

    fn ask(cache: &Path, dir: &Path, query: &str) -> Answer {
        answer_at::<SearchError>(cache, dir, query, 20, now(), None).unwrap()
    }

    /// What an answer prints, as `lectern search --json` puts it.
    fn printed(a: &Answer) -> String {
        serde_json::json!({ "results": a.results, "diagnostics": a.diagnostics }).to_string()
    }

    /// Everything a load gave that a search could print or index.
    fn fingerprint(l: &Loaded) -> String {
        format!(
            "{:?}\n{:?}\n{}\n{:?}\n{:?}",
            l.course.lessons(),
            l.course.sections(),
            l.course.title(),
            l.course.language(),
            l.diagnostics
        )
    }

    /// Words to ask every fixture course: common words, and each lesson's title.
    fn queries(dir: &Path) -> Vec<String> {
        let mut q: Vec<String> = ["the", "lesson", "attention", "zzqx"]
            .map(str::to_owned)
            .to_vec();
        q.extend(
            Course::load(dir)
                .course
                .lessons()
                .iter()
                .map(|l| l.title.clone()),
        );
        q.truncate(8);
        q
    }

    #[test]
    fn every_fixture_course_is_answered_from_the_cache_alone_once_indexed_with_the_loaded_answer() {
        for fixture in every_fixture_course() {
            let (tmp, dir) = copy_of(&fixture);
            age(&dir);
            let cache = tmp.path().join("cache/index.sqlite");
            let first = ask(&cache, &dir, "the");
            assert_eq!(
                first.route,
                Route::Loaded(Stale::NoCache),
                "{}",
                fixture.display()
            );
            let none = |_: &Course| Ok::<_, SearchError>(Vec::new());
            for query in queries(&dir) {
                let warm = ask(&cache, &dir, &query);
                assert_eq!(warm.route, Route::Warm, "{} `{query}`", fixture.display());
                // The same question asked by loading (notes force it), and of an index
                // made in memory from a load now.
                let loaded = answer_at(&cache, &dir, &query, 20, now(), Some(&none)).unwrap();
                assert_eq!(
                    printed(&warm),
                    printed(&loaded),
                    "{} `{query}`",
                    fixture.display()
                );
                let course = Course::load(&dir);
                let mut memory = SearchIndex::in_memory().unwrap();
                memory.sync(&course).unwrap();
                let results = memory.search_with(&course, &query, 20, &[]).unwrap();
                let fresh = Answer {
                    results,
                    diagnostics: diagnostics_json(&course),
                    cache: Cache::Reused,
                    route: Route::Warm,
                };
                assert_eq!(
                    printed(&warm),
                    printed(&fresh),
                    "{} `{query}`",
                    fixture.display()
                );
            }
        }
    }

    /// Changes `path` (a file: appended to, or with `remove` deleted; a folder: a lesson
    /// added to it; nothing: a lesson made there) and returns how to undo it.
    fn change(path: &Path, remove: bool) -> Box<dyn Fn()> {
        let p = path.to_path_buf();
        if p.is_file() && remove {
            let before = fs::read(&p).unwrap();
            fs::remove_file(&p).unwrap();
            Box::new(move || fs::write(&p, &before).unwrap())
        } else if p.is_file() {
            let before = fs::read(&p).unwrap();
            let mut after = before.clone();
            after.extend_from_slice(b"\n\nAdded words zebraquux.\n");
            fs::write(&p, after).unwrap();
            Box::new(move || fs::write(&p, &before).unwrap())
        } else if p.is_dir() {
            let added = p.join("zz-added.md");
            fs::write(&added, "---\nid: zz-added\ntitle: Added\n---\nNew.\n").unwrap();
            Box::new(move || fs::remove_file(&added).unwrap())
        } else {
            let made_parent = p.parent().filter(|d| !d.exists()).map(Path::to_path_buf);
            if let Some(d) = &made_parent {
                fs::create_dir_all(d).unwrap();
            }
            fs::write(&p, "# Now here\n\nText.\n").unwrap();
            Box::new(move || {
                fs::remove_file(&p).unwrap();
                if let Some(d) = &made_parent {
                    fs::remove_dir_all(d).unwrap();
                }
            })
        }
    }

    /// Every path under `dir`, itself included (links as they are, not followed).
    fn every_path(dir: &Path) -> Vec<PathBuf> {
        let mut out = vec![dir.to_path_buf()];
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && !path.is_symlink() {
                out.extend(every_path(&path));
            } else {
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn on_every_fixture_course_any_change_a_load_would_see_makes_its_stamp_differ() {
        for fixture in every_fixture_course() {
            let (_tmp, dir) = copy_of(&fixture);
            let root = fs::canonicalize(&dir).unwrap();
            let before = Course::load_stamped(&dir, now());
            let stamp = before.stamp().unwrap().clone();
            // Every file and folder there, and every path the load looked for in vain.
            let mut targets = every_path(&root);
            targets.extend(
                stamp
                    .entries
                    .iter()
                    .filter(|e| e.seen == Seen::Missing && e.path.starts_with(&root))
                    .map(|e| e.path.clone()),
            );
            let removals = targets.iter().filter(|t| t.is_file()).map(|t| (t, true));
            for (target, remove) in targets.iter().map(|t| (t, false)).chain(removals) {
                age(&dir);
                let loaded = Course::load_stamped(&dir, now());
                let stamp = loaded.stamp().unwrap().clone();
                assert_eq!(stamp.check(), Check::Current, "{}", fixture.display());
                let undo = change(target, remove);
                let seen = stamp.check() != Check::Current;
                let same = fingerprint(&Course::load(&dir)) == fingerprint(&loaded);
                assert!(
                    seen || same,
                    "{}: changing {} changed the load but not the stamp",
                    fixture.display(),
                    target.display()
                );
                undo();
            }
        }
    }

    #[test]
    fn a_file_written_just_before_the_load_sends_the_next_search_to_the_load() {
        let (tmp, dir) = copy_of(&every_fixture_course()[0]);
        let cache = tmp.path().join("cache/index.sqlite");
        assert_eq!(
            ask(&cache, &dir, "the").route,
            Route::Loaded(Stale::NoCache)
        );
        assert!(matches!(
            ask(&cache, &dir, "the").route,
            Route::Loaded(Stale::Racy(_))
        ));
    }

    #[test]
    fn damaged_stamp_rows_send_the_search_to_the_load_with_the_same_answer() {
        let (tmp, dir) = copy_of(&every_fixture_course()[0]);
        age(&dir);
        let cache = tmp.path().join("cache/index.sqlite");
        let first = ask(&cache, &dir, "the");
        for damage in [
            "UPDATE stamp SET kind = 99",
            "UPDATE stamp SET look = 7",
            "UPDATE stamp SET path = x'00' WHERE rowid = 1",
            "UPDATE loaded SET diagnostics = 'not json'",
            "UPDATE loaded SET format = 'other'",
            "DELETE FROM stamp",
            "DELETE FROM loaded",
            "DROP TABLE stamp",
        ] {
            // The load before stored the stamp again (or rebuilt the cache).
            assert_eq!(ask(&cache, &dir, "the").route, Route::Warm, "{damage}");
            let conn = rusqlite::Connection::open(&cache).unwrap();
            conn.execute_batch(damage).unwrap();
            drop(conn);
            let again = ask(&cache, &dir, "the");
            assert!(matches!(again.route, Route::Loaded(_)), "{damage}");
            assert_eq!(printed(&again), printed(&first), "{damage}");
            if damage.starts_with("DROP") {
                assert!(
                    matches!(again.route, Route::Loaded(Stale::Unusable(_))),
                    "{damage}"
                );
            }
            assert!(
                matches!(again.cache, Cache::Reused | Cache::Built),
                "{damage}: repaired, not searched from memory"
            );
        }
    }

    /// When the stored load began (Unix ms), as the cache at `cache` holds it.
    fn stored_start(cache: &Path) -> Millis {
        rusqlite::Connection::open(cache)
            .unwrap()
            .query_row("SELECT started FROM loaded", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_load_that_finds_the_stored_stamp_current_writes_nothing() {
        let (tmp, dir) = copy_of(&every_fixture_course()[0]);
        age(&dir);
        let cache = tmp.path().join("cache/index.sqlite");
        ask(&cache, &dir, "the");
        let first = stored_start(&cache);
        let none = |_: &Course| Ok::<_, SearchError>(Vec::new());
        let a = answer_at(&cache, &dir, "the", 20, first + 5_000, Some(&none)).unwrap();
        assert_eq!(a.route, Route::Loaded(Stale::Notes));
        assert_eq!(stored_start(&cache), first, "the stored load kept");
    }

    #[test]
    fn a_racy_stamp_is_replaced_by_the_first_load_that_is_not() {
        let (tmp, dir) = copy_of(&every_fixture_course()[0]);
        let cache = tmp.path().join("cache/index.sqlite");
        ask(&cache, &dir, "the");
        let racy = stored_start(&cache);
        assert!(matches!(
            ask(&cache, &dir, "the").route,
            Route::Loaded(Stale::Racy(_))
        ));
        age(&dir);
        // The stored stamp is still racy (its own times); the load stores the aged one.
        assert!(matches!(
            ask(&cache, &dir, "the").route,
            Route::Loaded(Stale::Racy(_))
        ));
        assert_ne!(stored_start(&cache), racy);
        assert_eq!(ask(&cache, &dir, "the").route, Route::Warm);
    }

    #[test]
    fn a_chapter_link_pointed_at_another_file_is_a_change_though_no_folder_is_listed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("book");
        fs::create_dir_all(dir.join("real")).unwrap();
        fs::write(dir.join("SUMMARY.md"), "# Book\n\n- [One](ch.md)\n").unwrap();
        fs::write(dir.join("real/one.md"), "# One\n\nApples.\n").unwrap();
        fs::write(dir.join("real/two.md"), "# Two\n\nPears.\n").unwrap();
        std::os::unix::fs::symlink("real/one.md", dir.join("ch.md")).unwrap();
        age(&dir);
        let cache = tmp.path().join("cache/index.sqlite");
        ask(&cache, &dir, "apples");
        assert_eq!(ask(&cache, &dir, "apples").route, Route::Warm);
        fs::rename(dir.join("ch.md"), dir.join("old-link")).unwrap();
        std::os::unix::fs::symlink("real/two.md", dir.join("ch.md")).unwrap();
        age(&dir);
        let after = ask(&cache, &dir, "pears");
        assert!(
            matches!(after.route, Route::Loaded(Stale::Changed(_))),
            "{:?}",
            after.route
        );
        assert_eq!(after.results.results.len(), 1);
    }

    #[test]
    fn notes_always_load_the_course() {
        let (tmp, dir) = copy_of(&every_fixture_course()[0]);
        age(&dir);
        let cache = tmp.path().join("cache/index.sqlite");
        ask(&cache, &dir, "the");
        let none = |_: &Course| Ok::<_, SearchError>(Vec::new());
        let a = answer_at(&cache, &dir, "the", 20, now(), Some(&none)).unwrap();
        assert_eq!(a.route, Route::Loaded(Stale::Notes));
    }

    #[test]
    fn a_sync_from_a_load_without_a_stamp_clears_the_stored_one() {
        let (tmp, dir) = copy_of(&every_fixture_course()[0]);
        age(&dir);
        let cache = tmp.path().join("cache/index.sqlite");
        ask(&cache, &dir, "the");
        assert_eq!(ask(&cache, &dir, "the").route, Route::Warm);
        SearchIndex::open(&cache, &Course::load(&dir)).unwrap();
        assert_eq!(
            ask(&cache, &dir, "the").route,
            Route::Loaded(Stale::NoStamp)
        );
    }
}
