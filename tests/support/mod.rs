//! Shared helpers for the integration tests: fixture folders copied into temp dirs, and
//! the generated courses the benches share (`courses`).

// The benches use the other shapes; the tests need only the scaling course.
#[allow(dead_code)]
pub(crate) mod courses;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixtures folder of this repository.
pub(crate) fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// Copies `tests/fixtures/<rel>` into a fresh temp dir, so a test may modify it freely,
/// and returns the temp dir (deleted on drop) and the copied folder inside it.
pub(crate) fn fixture(rel: &str) -> (tempfile::TempDir, PathBuf) {
    let src = fixtures_root().join(rel);
    assert!(src.is_dir(), "missing fixture folder {}", src.display());
    let tmp = tempfile::tempdir().expect("temp dir");
    let name = Path::new(rel).file_name().expect("fixture name");
    let dest = tmp.path().join(name);
    copy_dir(&src, &dest);
    (tmp, dest)
}

fn copy_dir(src: &Path, dest: &Path) {
    fs::create_dir_all(dest).expect("create dir");
    for entry in fs::read_dir(src).expect("read fixture dir") {
        let entry = entry.expect("dir entry");
        let to = dest.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            fs::copy(entry.path(), &to).expect("copy fixture file");
        }
    }
}

/// Runs the `lectern` binary built for these tests with `args`, in `cwd`. Its caches
/// (`lectern check`'s) go under cargo's temporary folder for tests, never the user's.
pub(crate) fn lectern(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .current_dir(cwd)
        .output()
        .expect("run lectern")
}
