//! Mutations of real lessons for the fuzzer: the test fixtures (`tests/fixtures/**.md`,
//! byte-exact, CRLF, BOM and invalid UTF-8 included) and the bundled course
//! (`lessons/`), changed by a few random edits each — byte flips, splices from other
//! files, duplicated, deleted and swapped lines, bytes that matter to a parser, and
//! hostile pieces inserted at a line start or anywhere.

use std::path::{Path, PathBuf};

use rand_chacha::rand_core::RngCore;
use rand_chacha::ChaCha8Rng;

use super::generate::{HOSTILE_HTML, TEX, URLS};

/// Inputs grow no larger than this (the core's own cap is 2 MiB; the fuzzer wants many
/// small inputs, the scaling harness covers large ones).
const MAX_LEN: usize = 256 * 1024;

/// Bytes a mutation may write over another: each means something to some parser.
const SPECIAL_BYTES: &[u8] = b"\0\r\n\t <>&#`$|[]()!*_~\\-:=\"'{}\xff\xc3\xe2";

/// Every `.md` file of the fixtures and the bundled course, sorted by path.
pub(super) fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests/fixtures", "lessons"] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            collect(&entry.path(), out);
        } else if kind.is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            out.push(entry.path());
        }
    }
}

fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    if n == 0 {
        0
    } else {
        (rng.next_u64() % n as u64) as usize
    }
}

/// Byte offsets where lines start (0 and after every `\n`), plus the end.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1),
    );
    if starts.last() != Some(&bytes.len()) {
        starts.push(bytes.len());
    }
    starts
}

/// A random run of whole lines: `(start, end)` byte offsets.
fn some_lines(rng: &mut ChaCha8Rng, bytes: &[u8]) -> (usize, usize) {
    let starts = line_starts(bytes);
    let first = below(rng, starts.len() - 1);
    let last = (first + 1 + below(rng, 8)).min(starts.len() - 1);
    (starts[first], starts[last])
}

/// A hostile piece of Markdown or HTML.
fn hostile(rng: &mut ChaCha8Rng) -> String {
    match below(rng, 5) {
        0 => super::PIECES[below(rng, super::PIECES.len())].to_owned(),
        1 => format!(
            "[l]({}) ![i]({})",
            URLS[below(rng, URLS.len())],
            URLS[below(rng, URLS.len())]
        ),
        2 => format!("${}$", TEX[below(rng, TEX.len())]),
        _ => HOSTILE_HTML[below(rng, HOSTILE_HTML.len())].to_owned(),
    }
}

/// Applies one random edit to `bytes`; `corpus` supplies splices.
fn edit(rng: &mut ChaCha8Rng, bytes: &mut Vec<u8>, corpus: &[(PathBuf, Vec<u8>)]) {
    let at = below(rng, bytes.len() + 1);
    let last = bytes.len().saturating_sub(1);
    match below(rng, 8) {
        0 if !bytes.is_empty() => bytes[at.min(last)] ^= 1 << below(rng, 8),
        1 => {
            let other = &corpus[below(rng, corpus.len())].1;
            let start = below(rng, other.len());
            let end = (start + 1 + below(rng, 4096)).min(other.len());
            bytes.splice(at..at, other[start..end].iter().copied());
        }
        2 => {
            let (start, end) = some_lines(rng, bytes);
            let copies = if below(rng, 4) == 0 {
                below(rng, 200)
            } else {
                1
            };
            let run = bytes[start..end].repeat(copies);
            bytes.splice(end..end, run);
        }
        3 => {
            let (start, end) = some_lines(rng, bytes);
            bytes.drain(start..end);
        }
        4 => {
            let starts = line_starts(bytes);
            let at = if below(rng, 3) == 0 {
                at
            } else {
                starts[below(rng, starts.len())]
            };
            bytes.splice(at..at, hostile(rng).into_bytes());
        }
        5 => bytes.truncate(at),
        6 if !bytes.is_empty() => {
            bytes[at.min(last)] = SPECIAL_BYTES[below(rng, SPECIAL_BYTES.len())];
        }
        _ => {
            let (a, b) = some_lines(rng, bytes);
            let moved: Vec<u8> = bytes.drain(a..b).collect();
            let starts = line_starts(bytes);
            let to = starts[below(rng, starts.len())];
            bytes.splice(to..to, moved);
        }
    }
}

/// A mutant of a random corpus file: one to eight edits. Returns the file it came from.
pub(super) fn mutant(rng: &mut ChaCha8Rng, corpus: &[(PathBuf, Vec<u8>)]) -> (String, Vec<u8>) {
    let (path, original) = &corpus[below(rng, corpus.len())];
    let mut bytes = original.clone();
    for _ in 0..=below(rng, 8) {
        edit(rng, &mut bytes, corpus);
        bytes.truncate(MAX_LEN);
    }
    let name = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string();
    (format!("mutant of {name}"), bytes)
}
