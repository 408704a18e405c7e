//! Small text helpers every module shares: quoting input in messages, turning byte
//! offsets into lines and columns, a hash that is stable across builds, and the URL
//! schemes Lectern hands to the system browser.
//!
//! Each lived in two to four copies before; keeping one of each means a fix (say, to
//! how a column is counted) reaches every diagnostic at once.

/// At most `max` characters of `s`, with `…` appended when it was cut, and control
/// characters (a terminal's escape sequences, a bell, a NUL) shown as `\u{1b}`: used
/// wherever input is quoted in a message, so a 100 KB line never ends up in one and a
/// query or a file cannot drive the terminal it is printed on.
pub fn truncate(s: &str, max: usize) -> String {
    let s = crate::diagnostic::escape_controls(s);
    match s.char_indices().nth(max) {
        None => s,
        Some((cut, _)) => {
            let mut out = s[..cut].to_owned();
            out.push('…');
            out
        }
    }
}

/// `s` on one line (runs of white space folded to one space, other control characters
/// escaped), cut to `max` characters.
pub fn one_line(s: &str, max: usize) -> String {
    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&folded, max)
}

/// Byte offset → 1-based line and column (columns count characters) in one text.
///
/// Built once per text in one pass, then each lookup is a binary search plus a count
/// of the characters before the offset on its line: a file with many diagnostics costs
/// `O(n + d·(log n + line length))`, never `O(n·d)`.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last lookup: (offset, its 0-based column in characters). Diagnostics come in
    /// document order, so the next one on the same line counts only the characters in
    /// between: many problems on one long line stay linear too.
    last: std::cell::Cell<(usize, usize)>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            starts,
            last: std::cell::Cell::new((usize::MAX, 0)),
        }
    }

    /// The 1-based line and column of `offset` in `text` (the text this index was built
    /// from). Offsets past the end point at the end; an offset inside a character
    /// counts that character's start.
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        // `starts[0]` is 0 and 0 <= offset, so the partition point is at least 1.
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let (last_offset, last_column) = self.last.get();
        let chars = if last_offset != usize::MAX && last_offset >= start && last_offset <= offset {
            last_column
                + text
                    .get(last_offset..offset)
                    .map_or(0, |s| s.chars().count())
        } else {
            text.get(start..offset).map_or(0, |s| s.chars().count())
        };
        self.last.set((offset, chars));
        (saturate(line), saturate(chars + 1))
    }

    /// The byte range of 1-based `line`, without its line break, if the text has it.
    pub fn line_range(&self, text: &str, line: u32) -> Option<std::ops::Range<usize>> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(text.len(), |&next| next - 1);
        let end = if text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Some(start..end.max(start))
    }
}

/// A count as a `u32` line or column, saturating for absurdly long inputs.
pub fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// 64-bit FNV-1a: stable across builds, platforms and Rust versions (unlike
/// `DefaultHasher`), for ids that are stored or compared across runs.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    /// Feeds `bytes` to the hash.
    pub fn write(&mut self, bytes: &[u8]) -> &mut Self {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    /// The hash of everything written so far.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// FNV-1a over `parts`, each followed by a 0xFF byte (never found in UTF-8) so that
/// `["ab", "c"]` and `["a", "bc"]` differ.
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut h = Fnv1a::default();
    for part in parts {
        h.write(part.as_bytes()).write(&[0xff]);
    }
    h.finish()
}

/// The scheme of a URL (lowercased), if it has one: letters, digits, `+`, `-`, `.`
/// before the first `:`, starting with a letter (RFC 3986).
pub fn url_scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let candidate = &url[..colon];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| candidate.to_ascii_lowercase())
}

/// Whether a scheme is one Lectern links to on the web and hands to the system browser.
pub fn is_web_scheme(scheme: &str) -> bool {
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// Whether `url` (trimmed) is an absolute `http` or `https` URL: the scheme followed by
/// `//` and a host. (`https:example.org` is not: browsers guess what it means, and a
/// link should not need guessing.)
pub fn is_web_url(url: &str) -> bool {
    let url = url.trim();
    url_scheme(url).is_some_and(|s| {
        is_web_scheme(&s)
            && url[s.len() + 1..]
                .strip_prefix("//")
                .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
    })
}

/// A web URL with every byte outside RFC 3986's characters percent-encoded (`\\`, space,
/// `"`, `<`, `>`, `^`, `` ` ``, `{`, `|`, `}`, controls, non-ASCII), so the browser goes
/// exactly where the text says: it reads `\\` as `/` in `http(s)` URLs otherwise.
/// Existing `%XX` escapes are kept.
pub fn encode_web_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Extensions (lowercase) of the images lessons may show, with their MIME types. The
/// one list behind the renderer's image check and the `lesson://` scheme.
pub const IMAGE_TYPES: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("svg", "image/svg+xml"),
    ("avif", "image/avif"),
];

/// The image extensions as a readable list for messages: `png, jpg, …`.
pub fn image_extensions() -> String {
    IMAGE_TYPES
        .iter()
        .map(|(ext, _)| *ext)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_counts_characters_and_marks_the_cut() {
        assert_eq!(truncate("héllo", 5), "héllo");
        assert_eq!(truncate("héllo", 2), "hé…");
        assert_eq!(truncate("", 0), "");
    }

    #[test]
    fn one_line_folds_white_space_before_cutting() {
        assert_eq!(one_line("a\n  b\tc", 10), "a b c");
        assert_eq!(one_line("abc def", 3), "abc…");
        assert_eq!(one_line("a\u{1b}[2Jb\u{7}", 20), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(truncate("\u{0}x", 20), "\\u{0}x");
    }

    #[test]
    fn line_index_gives_one_based_lines_and_character_columns() {
        let text = "ab\ncdé f\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 3), (2, 1));
        assert_eq!(idx.position(text, text.find('f').unwrap()), (2, 5));
        assert_eq!(idx.position(text, text.len()), (4, 2));
        assert_eq!(idx.position(text, 999), (4, 2));
        assert_eq!(idx.line_range(text, 2), Some(3..9));
        assert_eq!(idx.line_range(text, 3), Some(10..10));
        assert_eq!(idx.line_range(text, 5), None);
        assert_eq!(idx.line_range(text, 0), None);
    }

    #[test]
    fn line_index_gives_the_same_columns_in_any_lookup_order() {
        let text = "héllo wörld\nsécond line";
        let idx = LineIndex::new(text);
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let forward: Vec<_> = offsets.iter().map(|&o| idx.position(text, o)).collect();
        let fresh = LineIndex::new(text);
        let backward: Vec<_> = offsets
            .iter()
            .rev()
            .map(|&o| fresh.position(text, o))
            .collect();
        assert_eq!(forward, backward.into_iter().rev().collect::<Vec<_>>());
    }

    #[test]
    fn line_index_offset_inside_a_character_does_not_panic() {
        let text = "aé";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 2), (1, 2));
    }

    #[test]
    fn line_range_leaves_out_a_carriage_return() {
        let text = "a\r\nb";
        assert_eq!(LineIndex::new(text).line_range(text, 1), Some(0..1));
    }

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        // Reference values of 64-bit FNV-1a (Fowler/Noll/Vo test suite).
        assert_eq!(Fnv1a::default().finish(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Fnv1a::default().write(b"a").finish(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            Fnv1a::default().write(b"foobar").finish(),
            0x8594_4171_f739_67e8
        );
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }

    #[test]
    fn web_urls_are_percent_encoded_where_a_browser_would_reinterpret_them() {
        assert_eq!(
            encode_web_url("https://example.com/\\[\\"),
            "https://example.com/%5C[%5C"
        );
        assert_eq!(
            encode_web_url("https://e.org/a b?q=é"),
            "https://e.org/a%20b?q=%C3%A9"
        );
        assert_eq!(encode_web_url("https://e.org/%20x"), "https://e.org/%20x");
    }

    #[test]
    fn web_urls_are_http_and_https_only_in_any_case() {
        assert!(is_web_url(" HTTPS://example.org "));
        assert!(is_web_url("http://x"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("file:///etc/passwd"));
        assert!(!is_web_url("other.md"));
        assert!(!is_web_url("https:example.org"));
        assert!(!is_web_url("https:/example.org"));
        assert!(!is_web_url("https:///x"));
        assert_eq!(url_scheme("a/b:c"), None);
        assert_eq!(url_scheme("https://x.org/a:b").as_deref(), Some("https"));
    }
}
