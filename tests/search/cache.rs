//! The search cache as several processes share it (issue 20): damage found by a query is
//! rebuilt, a course is indexed once however many processes open it together, busy is
//! never damage, and no process deletes a file another has open.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lectern::course::Course;
use lectern::search::{Cache, CacheOptions, SearchIndex};

/// A course of `n` lessons, each of several sections of ordinary words; only lesson 37
/// (if there is one) says `zebra`, and every lesson says `common`.
fn course(n: usize) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("course");
    std::fs::create_dir(&dir).unwrap();
    for i in 0..n {
        let mut text = format!("---\nid: l{i:03}\ntitle: Lesson {i}\norder: {i}\n---\n");
        for s in 0..6 {
            let animal = if i == 37 && s == 4 { "zebra" } else { "horse" };
            text.push_str(&format!(
                "\n## Part {s} of {i}\n\nA common paragraph number{s} about t{i}q and \
                 word{} with a {animal}, long enough to fill pages of the index.\n",
                i * 7 + s
            ));
        }
        std::fs::write(dir.join(format!("l{i:03}.md")), text).unwrap();
    }
    (tmp, dir)
}

fn lessons(index: &SearchIndex, q: &str) -> Vec<String> {
    index
        .query(q, 50)
        .unwrap()
        .results
        .into_iter()
        .map(|h| h.lesson)
        .collect()
}

/// SQLite's and FTS5's own checks of the file at `path`: `"ok"` when sound.
fn integrity(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| e.to_string());
    if check != "ok" {
        return check;
    }
    // `rank` 0: FTS5 checks each index by itself, without reading `words`' external
    // content (its view needs the index's own SQL function, registered by Lectern).
    for table in ["words", "heads", "pairs"] {
        let sql = format!("INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 0)");
        if let Err(e) = conn.execute(&sql, []) {
            return format!("{table}: {e}");
        }
    }
    "ok".to_owned()
}

/// Overwrites 4,000 bytes of the page of `table` nearest the middle of the file.
fn damage_middle_of(path: &Path, table: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    let mut pages: Vec<i64> = conn
        .prepare("SELECT pageno FROM dbstat WHERE name = ?1")
        .unwrap()
        .query_map([table], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(conn);
    let middle = std::fs::metadata(path).unwrap().len() as i64 / page_size / 2;
    pages.sort_by_key(|p| p.abs_diff(middle));
    let at = (pages[0] - 1) * page_size + 64;
    let mut bytes = std::fs::read(path).unwrap();
    bytes[at as usize..at as usize + 4000].fill(0x5a);
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn a_cache_damaged_in_its_middle_is_rebuilt_when_a_query_finds_it() {
    // Issue 20: 4,000 bytes overwritten in the middle of the cache, and every matching
    // query failed with "fts5: missing row 21 from content table".
    let (tmp, dir) = course(120);
    let loaded = Course::load(&dir);
    let path = tmp.path().join("cache").join("index.sqlite");
    drop(SearchIndex::open(&path, &loaded).unwrap());
    // `rows` holds the text of `words` (its external content).
    damage_middle_of(&path, "rows");
    assert_ne!(integrity(&path), "ok", "the damage is real");

    let mut opened = SearchIndex::open(&path, &loaded).unwrap();
    assert_eq!(
        opened.cache,
        Cache::Reused,
        "opening reads too little to see it"
    );
    let queries: Vec<String> = (0..120).map(|i| format!("t{i}q")).collect();
    let failing: Vec<_> = queries
        .iter()
        .filter_map(|q| opened.index.query(q, 10).err())
        .collect();
    assert!(
        !failing.is_empty() && failing.iter().all(|e| e.is_damage()),
        "queries meet the damage, and know it for damage: {failing:?}"
    );
    for (i, q) in queries.iter().enumerate() {
        let found = opened.index.search(&loaded, q, 10).unwrap().results;
        assert_eq!(found.len(), 6, "{q}: {found:?}");
        assert!(
            found.iter().all(|h| h.lesson == format!("l{i:03}")),
            "{q}: {found:?}"
        );
    }
    let zebra = opened.index.search(&loaded, "zebra", 10).unwrap().results;
    assert_eq!(zebra.len(), 1, "{zebra:?}");
    assert_eq!(
        (zebra[0].lesson.as_str(), zebra[0].anchor.as_str()),
        ("l037", "part-4-of-37")
    );
    drop(opened);
    assert_eq!(integrity(&path), "ok", "rebuilt on disk");
    let again = SearchIndex::open(&path, &loaded).unwrap();
    assert_eq!((again.cache, again.stats.unchanged), (Cache::Reused, 120));
}

#[test]
fn eight_opens_at_once_of_a_fresh_course_build_its_cache_once() {
    // Issue 20: eight processes at once each built the whole index, and one deleted the
    // cache and another's journal, taking "busy" for "damaged".
    let (tmp, dir) = course(150);
    let loaded = Course::load(&dir);
    let path = tmp.path().join("cache").join("index.sqlite");
    let start = std::sync::Barrier::new(8);
    let opened: Vec<(Cache, usize, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    let o = SearchIndex::open(&path, &loaded).unwrap();
                    (o.cache, o.stats.indexed, lessons(&o.index, "zebra"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let built: Vec<_> = opened.iter().filter(|o| o.0 == Cache::Built).collect();
    assert_eq!(built.len(), 1, "{opened:?}");
    assert_eq!(built[0].1, 150);
    for (cache, indexed, found) in &opened {
        assert!(matches!(cache, Cache::Built | Cache::Reused), "{cache:?}");
        assert!(*cache == Cache::Built || *indexed == 0, "{opened:?}");
        assert_eq!(found, &["l037"]);
    }
}

/// Every file in `dir` and its inode.
fn files_in(dir: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().ino(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Runs `lectern search zebra DIR --json` in `n` processes at once with `xdg` as the
/// cache home; checks each answered right and said nothing on stderr (no fallback to
/// memory), and returns the cache folder.
fn search_at_once(n: usize, dir: &Path, xdg: &Path) -> PathBuf {
    let children: Vec<std::process::Child> = (0..n)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
                .args(["search", "zebra"])
                .arg(dir)
                .arg("--json")
                .env("XDG_CACHE_HOME", xdg)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(
            stderr.is_empty(),
            "no process fell back to memory: {stderr}"
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let results = v["results"].as_array().unwrap();
        assert_eq!(results.len(), 1, "{v}");
        assert_eq!(results[0]["lesson"], "l037");
    }
    xdg.join("app.lectern.desktop").join("search")
}

/// The one cache file in the cache folder `search`.
fn cache_in(search: &Path) -> PathBuf {
    let files = files_in(search);
    let mut caches = files.iter().filter(|f| f.0.ends_with(".sqlite"));
    let cache = search.join(&caches.next().unwrap().0);
    assert!(caches.next().is_none(), "{files:?}");
    cache
}

#[test]
fn eight_lectern_search_processes_at_once_all_answer_and_index_the_course_once() {
    let (tmp, dir) = course(150);
    let search = search_at_once(8, &dir, &tmp.path().join("xdg"));
    let cache = cache_in(&search);
    let name = cache.file_name().unwrap().to_string_lossy().into_owned();
    let names: Vec<String> = files_in(&search).into_iter().map(|f| f.0).collect();
    assert_eq!(
        names,
        [
            name.clone(),
            format!("{name}.build-lock"),
            format!("{name}.open-lock")
        ],
        "one cache, its locks, no journal left behind"
    );
    // Each lesson indexed once into this file: a second build would have given its
    // sections new row ids above the count.
    let conn = rusqlite::Connection::open(&cache).unwrap();
    let (rows, top, docs): (i64, i64, i64) = conn
        .query_row(
            "SELECT count(*), max(id), (SELECT count(*) FROM docs) FROM rows",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((rows, top, docs), (rows, rows, 150));
}

#[test]
fn a_cache_busy_with_another_write_is_used_and_never_deleted() {
    // Issue 20: "busy" was taken for "damaged": after 5 s of waiting for another's write,
    // the cache and its journal were deleted under the writer, whose commit then went
    // into a deleted file.
    let (tmp, dir) = course(40);
    let xdg = tmp.path().join("xdg");
    let search = search_at_once(1, &dir, &xdg);
    let cache = cache_in(&search);
    let writer = rusqlite::Connection::open(&cache).unwrap();
    writer
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO vocab (term) VALUES ('held');")
        .unwrap();
    let before = files_in(&search);
    search_at_once(8, &dir, &xdg);
    assert_eq!(files_in(&search), before, "nothing deleted or replaced");
    writer.execute_batch("COMMIT").unwrap();
    let held: i64 = rusqlite::Connection::open(&cache)
        .unwrap()
        .query_row("SELECT count(*) FROM vocab WHERE term = 'held'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(held, 1, "the writer's commit is in the cache everyone uses");
}

/// Takes the build lock of the cache at `path` as another process building it would.
fn hold_build_lock(path: &Path) -> std::fs::File {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let lock = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(format!("{}.build-lock", path.display()))
        .unwrap();
    lock.try_lock().unwrap();
    lock
}

#[test]
fn a_build_that_outlasts_the_wait_leaves_the_cache_alone_and_answers_from_memory() {
    let (tmp, dir) = course(40);
    let loaded = Course::load(&dir);
    let path = tmp.path().join("cache").join("index.sqlite");
    let lock = hold_build_lock(&path);
    let options = CacheOptions {
        wait: Duration::from_millis(200),
    };
    let opened = SearchIndex::open_with(&path, &loaded, options).unwrap();
    assert!(
        matches!(&opened.cache, Cache::Memory(why) if why.contains("building")),
        "{:?}",
        opened.cache
    );
    assert_eq!(lessons(&opened.index, "zebra"), ["l037"]);
    assert!(!path.exists(), "not touched while another builds");
    drop(lock);
    let opened = SearchIndex::open_with(&path, &loaded, options).unwrap();
    assert_eq!(opened.cache, Cache::Built);
}

#[test]
fn a_waiting_open_uses_the_cache_its_builder_made() {
    let (tmp, dir) = course(40);
    let loaded = Course::load(&dir);
    let elsewhere = tmp.path().join("elsewhere").join("index.sqlite");
    drop(SearchIndex::open(&elsewhere, &loaded).unwrap());
    let path = tmp.path().join("cache").join("index.sqlite");
    let lock = hold_build_lock(&path);
    let started = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let waiting = s.spawn(|| {
            started.store(true, std::sync::atomic::Ordering::SeqCst);
            SearchIndex::open(&path, &loaded).unwrap()
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        while !started.load(std::sync::atomic::Ordering::SeqCst) {
            assert!(Instant::now() < deadline, "the waiter never started");
            std::thread::yield_now();
        }
        // What the process holding the build lock makes, then it lets go.
        std::fs::copy(&elsewhere, &path).unwrap();
        drop(lock);
        let opened = waiting.join().unwrap();
        assert_eq!(
            opened.cache,
            Cache::Reused,
            "it waited, then used that cache"
        );
        assert_eq!((opened.stats.indexed, opened.stats.unchanged), (0, 40));
        assert_eq!(lessons(&opened.index, "zebra"), ["l037"]);
    });
}

#[test]
fn a_damaged_cache_another_process_has_open_is_not_deleted_and_is_searched_in_memory() {
    let (tmp, dir) = course(40);
    let loaded = Course::load(&dir);
    let path = tmp.path().join("cache").join("index.sqlite");
    drop(SearchIndex::open(&path, &loaded).unwrap());
    let app = SearchIndex::open(&path, &loaded).unwrap();
    assert_eq!(app.cache, Cache::Reused);
    std::fs::write(&path, b"damaged: not a database at all").unwrap();
    let before = files_in(path.parent().unwrap());
    let cli = SearchIndex::open(&path, &loaded).unwrap();
    assert!(
        matches!(&cli.cache, Cache::Memory(why) if why.contains("in use")),
        "{:?}",
        cli.cache
    );
    assert_eq!(lessons(&cli.index, "zebra"), ["l037"]);
    assert_eq!(
        files_in(path.parent().unwrap()),
        before,
        "nothing deleted or replaced under the app"
    );
    drop((app, cli));
    let third = SearchIndex::open(&path, &loaded).unwrap();
    assert_eq!(
        third.cache,
        Cache::Built,
        "replaced once nobody has it open"
    );
    assert_eq!(lessons(&third.index, "zebra"), ["l037"]);
}
