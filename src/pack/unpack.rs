//! `.lectern` → a course folder: checked entry by entry, laid out atomically, once per
//! distinct archive.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use super::{Limits, PackError};

/// Written last into an unpacked folder: a folder without it is never used.
const COMPLETE_MARKER: &str = ".lectern-pack-complete";

/// Where the CLI and the app unpack archives: `<data dir>/app.lectern.desktop/packs`
/// (beside the progress database and the bundled course).
pub fn default_base() -> PathBuf {
    crate::progress::data_dir()
        .join(crate::progress::APP_DIR)
        .join("packs")
}

/// Whether `root` is a course folder [`open`] laid out (its completion marker is
/// there): a read-only copy, so the app turns off editing and the live preview for it.
pub fn is_unpacked(root: &Path) -> bool {
    root.join(COMPLETE_MARKER).is_file()
}

/// [`open_with`] under [`Limits::DEFAULT`].
pub fn open(archive: &Path, base: &Path) -> Result<PathBuf, PackError> {
    open_with(archive, base, &Limits::DEFAULT)
}

/// The course folder of `archive`: `base/pack-<size>-<hash>`, named by the archive's
/// bytes, unpacked now unless a complete copy is there already.
///
/// Every entry is checked before anything is written (a plain relative path, no
/// symbolic link, no duplicate, declared sizes within `limits`), then the entries are
/// decompressed into a temporary folder beside the destination, counting the bytes
/// really produced against `limits`, and the folder is renamed into place with its
/// completion marker inside. On any error the temporary folder is removed.
pub fn open_with(archive: &Path, base: &Path, limits: &Limits) -> Result<PathBuf, PackError> {
    let not_archive = |reason: String| PackError::NotAnArchive {
        path: archive.to_path_buf(),
        reason,
    };
    let meta = fs::metadata(archive).map_err(|e| not_archive(e.to_string()))?;
    if !meta.is_file() {
        return Err(not_archive("not a regular file".to_owned()));
    }
    let hash = file_hash(archive).map_err(|e| not_archive(e.to_string()))?;
    let dest = base.join(format!("pack-{}-{hash:016x}", meta.len()));
    if dest.join(COMPLETE_MARKER).is_file() {
        return Ok(dest);
    }
    let file = fs::File::open(archive).map_err(|e| not_archive(e.to_string()))?;
    let mut zip =
        ZipArchive::new(io::BufReader::new(file)).map_err(|e| not_archive(e.to_string()))?;
    let names = check_entries(&mut zip, limits)?;
    fs::create_dir_all(base).map_err(PackError::io(base))?;
    let tmp = base.join(format!(".pack-{hash:016x}-{}.tmp", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(PackError::io(&tmp))?;
    }
    let laid_out = extract(&mut zip, &names, &tmp, limits)
        .and_then(|()| fs::write(tmp.join(COMPLETE_MARKER), b"").map_err(PackError::io(&tmp)))
        .and_then(|()| replace(&tmp, &dest));
    if laid_out.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    laid_out.map(|()| dest)
}

/// Renames the complete `tmp` to `dest`, replacing an incomplete `dest` (an earlier run
/// killed mid-way had not yet renamed, so this is only a leftover of another kind), and
/// accepting another process's complete copy that won the race.
fn replace(tmp: &Path, dest: &Path) -> Result<(), PackError> {
    if dest.exists() && !dest.join(COMPLETE_MARKER).is_file() {
        fs::remove_dir_all(dest).map_err(PackError::io(dest))?;
    }
    match fs::rename(tmp, dest) {
        Ok(()) => Ok(()),
        Err(_) if dest.join(COMPLETE_MARKER).is_file() => {
            let _ = fs::remove_dir_all(tmp);
            Ok(())
        }
        Err(e) => Err(PackError::Io {
            path: dest.to_path_buf(),
            source: e,
        }),
    }
}

/// Each entry's checked relative path (`None` for a folder entry), in archive order.
fn check_entries<R: io::Read + io::Seek>(
    zip: &mut ZipArchive<R>,
    limits: &Limits,
) -> Result<Vec<Option<PathBuf>>, PackError> {
    if zip.len() > limits.entries {
        return Err(PackError::TooLarge(format!(
            "the archive has {} entries; at most {} are unpacked",
            zip.len(),
            limits.entries
        )));
    }
    // The reader keeps one of two entries with the same name (its index is by name),
    // so a duplicate is asked for here; `seen` catches `a` beside `a/`.
    if zip.has_duplicate_names() {
        return Err(PackError::UnsafeEntry {
            entry: String::from("(several)"),
            reason: "a name appears twice, so the archive can be read two ways",
        });
    }
    let mut seen = HashSet::new();
    let mut declared = 0u64;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| corrupt(&format!("#{i}"), &e))?;
        let raw = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let shown = crate::text::one_line(&raw, 120);
        let unsafe_entry = |reason| PackError::UnsafeEntry {
            entry: shown.clone(),
            reason,
        };
        if entry.is_symlink() {
            return Err(unsafe_entry("a symbolic link (a course holds files only)"));
        }
        let is_dir = raw.ends_with('/');
        if !is_dir && !entry.is_file() {
            return Err(unsafe_entry("not a regular file"));
        }
        let path = plain_relative(raw.trim_end_matches('/')).map_err(unsafe_entry)?;
        if !seen.insert(path.clone()) {
            return Err(unsafe_entry("the name appears twice"));
        }
        if entry.size() > limits.entry_bytes {
            return Err(PackError::TooLarge(format!(
                "entry `{shown}` declares {} bytes; one file may have at most {}",
                entry.size(),
                limits.entry_bytes
            )));
        }
        declared = declared.saturating_add(entry.size());
        if declared > limits.total_bytes {
            return Err(too_much_in_all(limits));
        }
        names.push((!is_dir).then_some(path));
    }
    Ok(names)
}

fn too_much_in_all(limits: &Limits) -> PackError {
    PackError::TooLarge(format!(
        "the archive's files come to more than {} bytes together, the most unpacked",
        limits.total_bytes
    ))
}

fn corrupt(entry: &str, e: &dyn std::fmt::Display) -> PackError {
    PackError::Corrupt {
        entry: entry.to_owned(),
        reason: e.to_string(),
    }
}

/// `name` as a path of plain components (`a/b.md`), or why it is not one.
fn plain_relative(name: &str) -> Result<PathBuf, &'static str> {
    if name.is_empty() {
        return Err("an empty name");
    }
    if name.starts_with('/') || name.contains('\\') || name.contains(':') {
        return Err("an absolute path or a separator other than `/`");
    }
    let mut path = PathBuf::new();
    for part in name.split('/') {
        match part {
            "" | "." => return Err("an empty or `.` path component"),
            ".." => return Err("a `..` component, which leads out of the course"),
            p if p.chars().any(char::is_control) => return Err("a control character"),
            p => path.push(p),
        }
    }
    Ok(path)
}

/// Decompresses every file entry into `tmp`, counting the bytes really produced.
fn extract<R: io::Read + io::Seek>(
    zip: &mut ZipArchive<R>,
    names: &[Option<PathBuf>],
    tmp: &Path,
    limits: &Limits,
) -> Result<(), PackError> {
    fs::create_dir_all(tmp).map_err(PackError::io(tmp))?;
    let mut total = 0u64;
    for (i, name) in names.iter().enumerate() {
        let Some(rel) = name else { continue };
        let shown = rel.display().to_string();
        let mut entry = zip.by_index(i).map_err(|e| corrupt(&shown, &e))?;
        let target = tmp.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(PackError::io(parent))?;
        }
        let mut out = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(PackError::io(&target))?;
        let allowed = limits.entry_bytes.min(limits.total_bytes - total);
        let written =
            io::copy(&mut (&mut entry).take(allowed + 1), &mut out).map_err(|e| {
                match e.kind() {
                    io::ErrorKind::WriteZero | io::ErrorKind::StorageFull => PackError::Io {
                        path: target.clone(),
                        source: e,
                    },
                    _ => corrupt(&shown, &e),
                }
            })?;
        if written > allowed {
            return Err(if written > limits.entry_bytes {
                PackError::TooLarge(format!(
                    "entry `{shown}` decompresses to more than {} bytes (more than it declares), the most one file may have",
                    limits.entry_bytes
                ))
            } else {
                too_much_in_all(limits)
            });
        }
        total += written;
        // A copy, not the author's files: an editor opening one says it is read-only.
        let mut permissions = out
            .metadata()
            .map_err(PackError::io(&target))?
            .permissions();
        permissions.set_readonly(true);
        out.set_permissions(permissions)
            .map_err(PackError::io(&target))?;
    }
    Ok(())
}

/// FNV-1a over the archive's bytes, read in blocks: the unpacked folder's name.
fn file_hash(path: &Path) -> io::Result<u64> {
    let mut file = fs::File::open(path)?;
    let mut h = crate::text::Fnv1a::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(h.finish());
        }
        h.write(&buf[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_accepts_nested_names() {
        assert_eq!(plain_relative("a/b.md"), Ok(PathBuf::from("a/b.md")));
    }

    #[test]
    fn plain_relative_refuses_every_way_out() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "C:/x",
            "a\\..\\x",
        ] {
            assert!(plain_relative(bad).is_err(), "{bad:?}");
        }
    }
}
