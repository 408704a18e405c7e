//! The bundled course: lesson files compiled into the app, laid out on disk on demand.
//!
//! The app opens its bundled course when no folder is given. Debug and release builds
//! alike embed the files of `lessons/` (see `src-tauri/build.rs`), so a release binary
//! copied anywhere still has its course. Since the rest of the core works on a folder
//! (scanning, watching, image paths), [`materialize`] writes the embedded files into a
//! folder named after a hash of their content: a new build with changed lessons gets a
//! fresh folder, an unchanged one reuses it, and a half-written folder is never used.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// One embedded file: its path relative to the course root (`/`-separated) and bytes.
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedFile {
    /// Relative path with `/` separators, e.g. `basics/intro.md`.
    pub path: &'static str,
    /// The file's content.
    pub bytes: &'static [u8],
}

const COMPLETE_MARKER: &str = ".lectern-bundle-complete";

/// Writes `files` under `base/bundled-<hash>/` unless a complete copy is already there,
/// and returns that folder.
///
/// The copy is written to a temporary sibling and renamed into place, so a crash mid-way
/// leaves no partial course behind. Paths that are absolute or contain `..` are refused.
pub fn materialize(files: &[EmbeddedFile], base: &Path) -> io::Result<PathBuf> {
    let hash = content_hash(files);
    let dest = folder(files, base);
    if dest.join(COMPLETE_MARKER).is_file() {
        return Ok(dest);
    }
    fs::create_dir_all(base)?;
    let tmp = base.join(format!(".bundled-{hash:016x}-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp)?;
    }
    for f in files {
        let rel = safe_relative(f.path)?;
        let target = tmp.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&target, f.bytes)?;
    }
    fs::write(tmp.join(COMPLETE_MARKER), b"")?;
    if dest.exists() {
        // An incomplete copy from an interrupted run: replace it.
        fs::remove_dir_all(&dest)?;
    }
    match fs::rename(&tmp, &dest) {
        Ok(()) => Ok(dest),
        // Another instance won the race and renamed its complete copy first.
        Err(_) if dest.join(COMPLETE_MARKER).is_file() => {
            let _ = fs::remove_dir_all(&tmp);
            Ok(dest)
        }
        Err(e) => Err(e),
    }
}

/// The folder [`materialize`] lays `files` out in under `base`, without writing
/// anything (the About dialog names it whether or not it exists yet).
pub fn folder(files: &[EmbeddedFile], base: &Path) -> PathBuf {
    base.join(format!("bundled-{:016x}", content_hash(files)))
}

fn safe_relative(path: &str) -> io::Result<PathBuf> {
    let p = Path::new(path);
    if path.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("embedded path `{path}` is not a plain relative path"),
        ));
    }
    Ok(p.to_path_buf())
}

/// FNV-1a over paths and contents: stable across builds and Rust versions, unlike
/// `DefaultHasher`, so an unchanged course maps to the same folder.
fn content_hash(files: &[EmbeddedFile]) -> u64 {
    let mut h = crate::text::Fnv1a::default();
    for f in files {
        h.write(f.path.as_bytes())
            .write(&[0])
            .write(&(f.bytes.len() as u64).to_le_bytes())
            .write(f.bytes);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[EmbeddedFile] = &[
        EmbeddedFile {
            path: "a.md",
            bytes: b"---\nid: a\ntitle: A\n---\n",
        },
        EmbeddedFile {
            path: "img/x.txt",
            bytes: b"x",
        },
    ];

    #[test]
    fn folder_names_where_materialize_writes_without_writing() {
        let base = tempfile::tempdir().unwrap();
        let named = folder(FILES, base.path());
        assert!(!named.exists());
        assert_eq!(materialize(FILES, base.path()).unwrap(), named);
    }

    #[test]
    fn materialize_writes_files_once_and_reuses_them() {
        let base = tempfile::tempdir().unwrap();
        let dir = materialize(FILES, base.path()).unwrap();
        assert_eq!(fs::read(dir.join("img/x.txt")).unwrap(), b"x");
        fs::write(dir.join("a.md"), "edited").unwrap();
        let again = materialize(FILES, base.path()).unwrap();
        assert_eq!(again, dir);
        assert_eq!(fs::read_to_string(again.join("a.md")).unwrap(), "edited");
    }

    #[test]
    fn changed_content_gets_a_new_folder() {
        let base = tempfile::tempdir().unwrap();
        let one = materialize(FILES, base.path()).unwrap();
        let other = [EmbeddedFile {
            path: "a.md",
            bytes: b"other",
        }];
        assert_ne!(materialize(&other, base.path()).unwrap(), one);
    }

    #[test]
    fn incomplete_copy_is_replaced() {
        let base = tempfile::tempdir().unwrap();
        let dir = materialize(FILES, base.path()).unwrap();
        fs::remove_file(dir.join(COMPLETE_MARKER)).unwrap();
        fs::remove_file(dir.join("a.md")).unwrap();
        let again = materialize(FILES, base.path()).unwrap();
        assert!(again.join("a.md").is_file());
    }

    #[test]
    fn escaping_paths_are_refused() {
        let base = tempfile::tempdir().unwrap();
        for bad in ["../x.md", "/etc/x.md", ""] {
            let files = [EmbeddedFile {
                path: bad,
                bytes: b"",
            }];
            assert!(materialize(&files, base.path()).is_err(), "{bad}");
        }
    }
}
