//! Build script: Tauri's code generation, plus the bundled course embedded in the
//! binary (see `lectern::bundle`), so that debug and release builds alike open it
//! without any files beside the executable.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    tauri_build::build();
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let lessons = manifest_dir.join("..").join("lessons");
    println!("cargo:rerun-if-changed={}", lessons.display());
    let mut files = Vec::new();
    collect(&lessons, Path::new(""), &mut files);
    files.sort();
    let mut code = String::from("/// Files of the bundled course (`lessons/`), embedded at build time.\npub(crate) static FILES: &[lectern::bundle::EmbeddedFile] = &[\n");
    for rel in &files {
        let abs = lessons.join(rel);
        let rel_str: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let _ = writeln!(
            code,
            "    lectern::bundle::EmbeddedFile {{ path: {:?}, bytes: include_bytes!({:?}) }},",
            rel_str.join("/"),
            abs.display().to_string()
        );
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("bundled_lessons.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}

/// Every file of the course folder but hidden ones: lessons, `course.yaml` and whatever
/// images or other files the lessons refer to. No list of extensions to keep in step
/// with the core's (which types the app serves is decided by `lectern::text`).
fn collect(root: &Path, rel: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let child = rel.join(&name);
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(root, &child, files);
        } else if kind.is_file() {
            files.push(child);
        }
    }
}
