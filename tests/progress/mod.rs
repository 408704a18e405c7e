//! The progress store: what is kept, how a course is identified, and every fault it must
//! survive (a kill at any moment, corrupt files, a newer version, a read-only file, a
//! second writer), plus export, import, backup and restore.

mod dashboard;
mod faults;
mod import;
mod open;
mod restore;
mod store;
mod transfer;

use std::path::{Path, PathBuf};

use lectern::answer::{self, Answer, Answered, Origin};
use lectern::course::{Course, Loaded};
use lectern::progress::{CourseKey, Store};

/// A copy of the progress fixture course and a fresh database path beside it.
pub(crate) struct Bench {
    pub(crate) _tmp: tempfile::TempDir,
    pub(crate) dir: PathBuf,
    pub(crate) db: PathBuf,
}

pub(crate) fn bench() -> Bench {
    let (tmp, dir) = crate::support::fixture("progress/course");
    let db = tmp.path().join("data").join("progress.sqlite");
    Bench { _tmp: tmp, dir, db }
}

pub(crate) fn load(dir: &Path) -> (Loaded, CourseKey) {
    let loaded = Course::load(dir);
    let key = CourseKey::of(&loaded.course);
    (loaded, key)
}

/// The option ids of a question, authored order, with which are correct.
pub(crate) fn options(loaded: &Loaded, lesson: &str, n: usize) -> (String, Vec<(String, bool)>) {
    let (quiz, _) = lectern::quiz::parse(loaded.course.lesson(lesson).unwrap());
    let q = &quiz.questions[n];
    (
        q.id.clone(),
        q.options()
            .iter()
            .map(|o| (o.id.clone(), o.correct))
            .collect(),
    )
}

/// Answers question `n` of `lesson` right or wrong in attempt `attempt` at `now`.
pub(crate) fn answer(
    store: &mut Store,
    (loaded, key): (&Loaded, &CourseKey),
    lesson: &str,
    n: usize,
    right: bool,
    (attempt, now): (u64, i64),
) -> Answered {
    let (question, opts) = options(loaded, lesson, n);
    let chosen: Vec<String> = opts
        .iter()
        .filter(|(_, c)| *c == right)
        .take(1)
        .map(|(id, _)| id.clone())
        .collect();
    answer::submit(
        Some(store),
        key,
        &loaded.course,
        &Answer {
            note: None,
            lesson,
            question: &question,
            chosen: &chosen,
            time_ms: 1500,
            now: lectern::review::Now::utc(now),
            origin: Origin::Quiz { attempt },
        },
    )
    .unwrap()
}

/// Runs the `lectern` binary with `args` (and `env`) in `cwd`, failing the test instead of
/// hanging it when the command does not end within 30 s (a FIFO opened by SQLite blocks
/// forever). Output goes to files, so a chatty child never blocks on a full pipe.
pub(crate) fn lectern_within(
    args: &[&str],
    env: &[(&str, &str)],
    cwd: &Path,
) -> std::process::Output {
    use std::process::{Command, Stdio};
    let out = tempfile::tempfile().unwrap();
    let err = tempfile::tempfile().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`lectern {}` did not end within 30 s", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let read = |mut f: std::fs::File| {
        use std::io::{Read, Seek};
        let mut v = Vec::new();
        f.rewind().unwrap();
        f.read_to_end(&mut v).unwrap();
        v
    };
    std::process::Output {
        status,
        stdout: read(out),
        stderr: read(err),
    }
}

/// A database with one course and one setting, its WAL folded in, closed.
pub(crate) fn small_database(db: &Path) {
    let mut store = Store::open(db).unwrap().store;
    store
        .record_course_opened(
            &CourseKey::from_stored("id:small"),
            "Small",
            "/x".as_ref(),
            5,
        )
        .unwrap();
    store.set_setting("kept", "yes").unwrap();
    drop(store);
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
}

/// The files in `dir`, sorted by name.
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
