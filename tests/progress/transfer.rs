//! Export, import, backup and restore.

use lectern::progress::{self, Store};

use super::{answer, bench, load};

fn studied() -> (super::Bench, Store) {
    let b = bench();
    let (loaded, key) = load(&b.dir);
    let mut store = Store::open(&b.db).unwrap().store;
    store
        .record_course_opened(&key, "Progress Fixture", &b.dir, 1_000)
        .unwrap();
    store.record_lesson_opened(&key, "a", 1_500).unwrap();
    answer(&mut store, (&loaded, &key), "a", 0, false, (3, 2_000));
    answer(&mut store, (&loaded, &key), "a", 0, true, (3, 2_500));
    answer(&mut store, (&loaded, &key), "a", 1, true, (3, 3_000));
    store.set_setting("theme", "dark").unwrap();
    (b, store)
}

#[test]
fn export_import_into_an_empty_database_export_gives_identical_json() {
    let (b, store) = studied();
    let first = serde_json::to_string_pretty(&store.export().unwrap()).unwrap();
    let other = b.db.with_file_name("other.sqlite");
    let mut fresh = Store::open(&other).unwrap().store;
    let added = fresh
        .import(&serde_json::from_str(&first).unwrap())
        .unwrap();
    assert_eq!((added.attempts, added.answers), (1, 3));
    let second = serde_json::to_string_pretty(&fresh.export().unwrap()).unwrap();
    assert_eq!(first, second);
    // Twice: nothing new, same bytes.
    let again = fresh
        .import(&serde_json::from_str(&first).unwrap())
        .unwrap();
    assert_eq!((again.attempts, again.answers), (0, 0));
    assert_eq!(
        serde_json::to_string_pretty(&fresh.export().unwrap()).unwrap(),
        first
    );
}

#[test]
fn import_recounts_scores_from_the_answers_it_brings() {
    let (b, store) = studied();
    let data = store.export().unwrap();
    let other = b.db.with_file_name("other.sqlite");
    let mut fresh = Store::open(&other).unwrap().store;
    fresh.import(&data).unwrap();
    let (loaded, key) = load(&b.dir);
    let p = fresh
        .course_progress(&key, &loaded.course, &lectern::review::Now::utc(0))
        .unwrap();
    let best = p.lessons[0].best.unwrap();
    assert_eq!((best.right, best.total), (1, 2));
}

#[test]
fn backups_rotate_and_restore_keeps_the_current_file_aside() {
    let (b, mut store) = studied();
    let dir = progress::backups_dir(&b.db);
    for now in 1..=5 {
        store.backup(&dir, 3, now).unwrap();
    }
    let kept = progress::list_backups(&dir).unwrap();
    assert_eq!(kept.len(), 3);
    assert!(kept[0]
        .to_string_lossy()
        .ends_with("progress-0000000000003.sqlite"));
    // Forget everything, then restore the backup.
    let (loaded, key) = load(&b.dir);
    store.reset_course(&key).unwrap();
    drop(store);
    let aside = progress::restore(&b.db, &kept[2], 99)
        .unwrap()
        .previous
        .unwrap();
    assert!(aside.exists());
    let store = Store::open(&b.db).unwrap().store;
    let p = store
        .course_progress(&key, &loaded.course, &lectern::review::Now::utc(0))
        .unwrap();
    assert_eq!(p.completed, 1);
    // What was current before the restore is still there to go back to.
    let before = Store::open(&aside).unwrap().store;
    assert_eq!(
        before
            .course_progress(&key, &loaded.course, &lectern::review::Now::utc(0))
            .unwrap()
            .completed,
        0
    );
}

#[test]
fn the_cli_exports_imports_and_shows_progress() {
    let (b, store) = studied();
    drop(store);
    let db = b.db.to_string_lossy().into_owned();
    let cwd = b.dir.parent().unwrap();
    let out = crate::support::lectern(&["progress", "export", "--db", &db], cwd);
    assert_eq!(out.status.code(), Some(0));
    let export = String::from_utf8(out.stdout).unwrap();
    let file = cwd.join("export.json");
    std::fs::write(&file, &export).unwrap();
    let other = cwd.join("other.sqlite").to_string_lossy().into_owned();
    let out = crate::support::lectern(&["progress", "import", "export.json", "--db", &other], cwd);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = crate::support::lectern(&["progress", "export", "--db", &other], cwd);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), export);
    let dir = b.dir.to_string_lossy().into_owned();
    let out = crate::support::lectern(&["progress", "show", &dir, "--db", &db, "--json"], cwd);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["completed"], 1);
    assert_eq!(v["lessons"][0]["state"], "completed");
    assert_eq!(v["lessons"][0]["best"]["right"], 1);
    assert_eq!(v["lessons"][1]["state"], "not-started");
}
