//! Links and images: where a Markdown destination leads, and the `lesson://` assets.
//!
//! The policy is an allowlist. A destination is one of: an `http(s)` URL (an external
//! link, opened in the system browser), a `#fragment` of this lesson, a relative path to a
//! lesson of this course (an in-app link), or a relative path to an image inside the
//! lessons folder (served through the `lesson://` scheme). Everything else is dropped with a
//! diagnostic: other schemes (`javascript:`, `data:`, `file:`, `vbscript:`, custom ones),
//! protocol-relative `//host` URLs, paths that leave the lessons folder lexically (`../`) or
//! through a symbolic link (checked on the canonical path), and missing files.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use thiserror::Error;

use crate::folder::{Folder, ReadError};
use crate::text::{image_extensions, is_web_scheme, is_web_url, truncate, url_scheme, IMAGE_TYPES};

/// The URL prefix of images in rendered HTML: the shell serves it with [`read_asset`].
pub const ASSET_URL_PREFIX: &str = "lesson://localhost/";

/// Assets larger than this are not served: no lesson image needs more.
pub const MAX_ASSET_BYTES: u64 = 32 * 1024 * 1024;

/// Why an asset could not be served. `code()` is a stable kebab-case identifier for the
/// shell's error shape.
#[derive(Debug, Error)]
pub enum AssetError {
    /// The path is not valid percent-encoded UTF-8, is empty, or contains a NUL.
    #[error("`{0}` is not a valid asset path")]
    BadPath(String),
    /// The path leaves the lessons folder, lexically or through a symbolic link.
    #[error("`{0}` is outside the lessons folder")]
    Escape(String),
    /// No such file.
    #[error("`{0}` does not exist in the lessons folder")]
    NotFound(String),
    /// Not one of the image types Lectern serves.
    #[error("`{0}` is not an image Lectern serves ({exts})", exts = image_extensions())]
    UnsupportedType(String),
    /// Over [`MAX_ASSET_BYTES`].
    #[error("`{path}` is {size} bytes, over the {MAX_ASSET_BYTES}-byte limit")]
    TooLarge {
        /// The requested path.
        path: String,
        /// Its size in bytes.
        size: u64,
    },
    /// The file exists but could not be read.
    #[error("cannot read `{path}`: {source}")]
    Unreadable {
        /// The requested path.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
}

impl AssetError {
    /// Stable kebab-case identifier of the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            AssetError::BadPath(_) => "asset-path",
            AssetError::Escape(_) => "path-escape",
            AssetError::NotFound(_) => "asset-not-found",
            AssetError::UnsupportedType(_) => "asset-type",
            AssetError::TooLarge { .. } => "asset-too-large",
            AssetError::Unreadable { .. } => "asset-unreadable",
        }
    }
}

/// The MIME type of an image path by its extension, for the types Lectern serves.
pub fn image_mime(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?;
    IMAGE_TYPES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(ext))
        .map(|&(_, mime)| mime)
}

/// Reads an image for the shell's `lesson://` protocol.
///
/// `rel` is the URL's path (percent-encoded, with or without its leading `/`), relative to
/// the lessons folder `root`. It is decoded, canonicalized and must stay under the
/// canonical `root` (a symbolic link that leads out is refused); only image types are
/// served (SVG as `image/svg+xml`, which a webview renders without running its scripts
/// when it is loaded as an `<img>`), at most [`MAX_ASSET_BYTES`].
pub fn read_asset(root: &Path, rel: &str) -> Result<(Vec<u8>, &'static str), AssetError> {
    let rel = rel.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(rel.trim_start_matches('/'))
        .filter(|d| !d.is_empty() && !d.contains('\0'))
        .ok_or_else(|| AssetError::BadPath(rel.to_owned()))?;
    let resolver = Resolver::new(root, Path::new(""));
    let found = resolver.resolve_path(&decoded).map_err(|p| match p {
        PathProblem::Escape => AssetError::Escape(decoded.clone()),
        PathProblem::Missing => AssetError::NotFound(decoded.clone()),
    })?;
    let mime =
        image_mime(&found.canonical).ok_or_else(|| AssetError::UnsupportedType(decoded.clone()))?;
    let bytes = resolver
        .folder
        .read(&found.canonical_rel, MAX_ASSET_BYTES)
        .map_err(|e| match e {
            ReadError::Escape => AssetError::Escape(decoded.clone()),
            ReadError::Missing | ReadError::NotAFile(_) => AssetError::NotFound(decoded.clone()),
            ReadError::TooLarge { len, .. } => AssetError::TooLarge {
                path: decoded.clone(),
                size: len,
            },
            ReadError::Unreadable(source) => AssetError::Unreadable {
                path: decoded.clone(),
                source,
            },
            ReadError::InvalidUtf8 { .. } => AssetError::BadPath(decoded.clone()),
        })?;
    Ok((bytes, mime))
}

/// Decodes `%XX` escapes; `None` for a malformed escape or invalid UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes everything but unreserved characters, per path segment.
pub(crate) fn encode_path(rel: &Path) -> Option<String> {
    let mut out = String::new();
    for (i, c) in rel.components().enumerate() {
        let Component::Normal(part) = c else {
            return None;
        };
        if i > 0 {
            out.push('/');
        }
        for b in part.to_str()?.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Some(out)
}

/// Browsers drop ASCII tab and newlines anywhere in a URL and C0 controls and spaces at its
/// ends before they look at its scheme: do the same, so `java&#9;script:` is seen as what a
/// browser would run.
pub(crate) fn normalize_url(url: &str) -> String {
    url.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_matches(|c: char| c <= ' ')
        .to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathProblem {
    Escape,
    Missing,
}

#[derive(Debug)]
pub(crate) struct Found {
    /// Lexical path relative to the lessons folder, as the author wrote it (normalized).
    pub(crate) rel: PathBuf,
    /// Canonical path relative to the canonical lessons folder.
    pub(crate) canonical_rel: PathBuf,
    /// Canonical absolute path.
    pub(crate) canonical: PathBuf,
}

/// Resolves paths for one lesson: against its folder, inside the lessons folder.
#[derive(Clone, Debug)]
pub(crate) struct Resolver {
    folder: Folder,
    /// The lesson's folder, relative to the root.
    lesson_dir: PathBuf,
}

impl Resolver {
    pub(crate) fn new(root: &Path, lesson_dir: &Path) -> Self {
        Resolver {
            folder: Folder::new(root),
            lesson_dir: lesson_dir.to_path_buf(),
        }
    }

    /// Resolves a decoded relative path (a leading `/` means the lessons folder): first
    /// lexically (`..` may not climb above the folder), then on the canonical path, which
    /// must stay inside the canonical folder (a symbolic link that leads out is refused).
    /// The canonical check needs the file, so a path that does not exist is `Missing`.
    pub(crate) fn resolve_path(&self, path: &str) -> Result<Found, PathProblem> {
        let (base, path) = match path.strip_prefix('/') {
            Some(p) => (PathBuf::new(), p),
            None => (self.lesson_dir.clone(), path),
        };
        let mut rel = PathBuf::new();
        for c in base.join(path).components() {
            match c {
                Component::Normal(p) => rel.push(p),
                Component::CurDir => {}
                Component::ParentDir => {
                    if !rel.pop() {
                        return Err(PathProblem::Escape);
                    }
                }
                Component::RootDir | Component::Prefix(_) => return Err(PathProblem::Escape),
            }
        }
        // The one canonical check (`Folder::locate`) every entry point uses.
        let canonical = self.folder.locate(&rel).map_err(|e| match e {
            ReadError::Escape => PathProblem::Escape,
            _ => PathProblem::Missing,
        })?;
        let canonical_root = self.folder.canonical().ok_or(PathProblem::Missing)?;
        let canonical_rel = canonical
            .strip_prefix(canonical_root)
            .map_err(|_| PathProblem::Escape)?
            .to_path_buf();
        Ok(Found {
            rel,
            canonical_rel,
            canonical,
        })
    }

    /// The `lesson://` URL of an image at `found`, or `None` when its path cannot be
    /// written as a URL.
    pub(crate) fn asset_url(&self, prefix: &str, found: &Found) -> Option<String> {
        encode_path(&found.rel).map(|p| format!("{prefix}{p}"))
    }

    /// Whether `url` is an asset URL this resolver would itself produce: under `prefix`,
    /// decodable, inside the lessons folder, an existing image.
    pub(crate) fn is_valid_asset_url(&self, prefix: &str, url: &str) -> bool {
        let Some(rest) = url.strip_prefix(prefix) else {
            return false;
        };
        let Some(decoded) = percent_decode(rest) else {
            return false;
        };
        if decoded.is_empty() || decoded.contains(['\0', '?', '#']) {
            return false;
        }
        match Resolver::new(self.folder.root(), Path::new("")).resolve_path(&decoded) {
            Ok(found) => image_mime(&found.canonical).is_some() && found.canonical.is_file(),
            Err(_) => false,
        }
    }
}

/// Where a Markdown link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LinkTarget {
    /// An `http(s)` URL, normalized.
    External(String),
    /// Another lesson (or this one), and a heading id in it (empty for none).
    Lesson { id: String, anchor: String },
    /// A `#fragment` of the current page.
    Anchor(String),
    /// Not followed: shown as plain text, with a warning.
    Dropped { code: &'static str, message: String },
}

/// Resolves a link destination. `resolver` is `None` where there is no lessons folder
/// (fragments rendered with `inline_html`): relative paths are then dropped.
pub(crate) fn resolve_link(
    dest: &str,
    resolver: Option<&Resolver>,
    lesson_ids: &HashMap<PathBuf, String>,
) -> LinkTarget {
    let url = normalize_url(dest);
    if let Some(s) = url_scheme(&url) {
        return if is_web_url(&url) {
            LinkTarget::External(url)
        } else if is_web_scheme(&s) {
            LinkTarget::Dropped {
                code: "link-scheme",
                message: format!(
                    "link `{}` has no `//` after `{s}:`; write it as `{s}://host/…`",
                    shorten(dest)
                ),
            }
        } else {
            LinkTarget::Dropped {
                code: "link-scheme",
                message: format!(
                    "link `{}` uses the `{s}:` scheme, which Lectern does not follow; link to a lesson with a relative path or to a web page with http(s)",
                    shorten(dest)
                ),
            }
        };
    }
    if url.starts_with("//") || url.starts_with("\\\\") {
        return LinkTarget::Dropped {
            code: "link-scheme",
            message: format!(
                "link `{}` has no scheme; write `https:{}` for a web page",
                shorten(dest),
                shorten(&url)
            ),
        };
    }
    if let Some(fragment) = url.strip_prefix('#') {
        return LinkTarget::Anchor(percent_decode(fragment).unwrap_or_else(|| fragment.into()));
    }
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, f),
        None => (url.as_str(), ""),
    };
    let path = path.split('?').next().unwrap_or("");
    let anchor = percent_decode(fragment).unwrap_or_else(|| fragment.into());
    let Some(resolver) = resolver else {
        return LinkTarget::Dropped {
            code: "unsupported-link",
            message: format!(
                "link `{}` is relative, and this text has no lesson to resolve it against",
                shorten(dest)
            ),
        };
    };
    let Some(decoded) = percent_decode(path).filter(|p| !p.contains('\0')) else {
        return LinkTarget::Dropped {
            code: "missing-lesson-link",
            message: format!("link `{}` is not a valid path", shorten(dest)),
        };
    };
    resolve_relative_link(dest, &decoded, anchor, resolver, lesson_ids)
}

/// A relative link (percent-decoded `path`) to a lesson inside the lessons folder.
fn resolve_relative_link(
    dest: &str,
    decoded: &str,
    anchor: String,
    resolver: &Resolver,
    lesson_ids: &HashMap<PathBuf, String>,
) -> LinkTarget {
    // mdBook books link chapters by their HTML names (`ch04-01-ownership.html#x`):
    // the chapter whose Markdown file has that name is meant.
    if let Some(stem) = html_stem(decoded) {
        let md = format!("{stem}.md");
        if let Some(id) = resolver.resolve_path(&md).ok().and_then(|f| {
            lesson_ids
                .get(&f.rel)
                .or_else(|| lesson_ids.get(&f.canonical_rel))
        }) {
            return LinkTarget::Lesson {
                id: id.clone(),
                anchor,
            };
        }
    }
    let is_lesson = Path::new(&decoded)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    match resolver.resolve_path(decoded) {
        Err(PathProblem::Escape) => LinkTarget::Dropped {
            code: "path-escape",
            message: format!(
                "link `{}` leads outside the lessons folder; link only to lessons inside it",
                shorten(dest)
            ),
        },
        Err(PathProblem::Missing) => LinkTarget::Dropped {
            code: if is_lesson {
                "missing-lesson-link"
            } else {
                "unsupported-link"
            },
            message: format!(
                "link `{}` points to a file that does not exist; check the path (it is relative to this lesson's folder)",
                shorten(dest)
            ),
        },
        Ok(found) if is_lesson => {
            match lesson_ids
                .get(&found.rel)
                .or_else(|| lesson_ids.get(&found.canonical_rel))
            {
                Some(id) => LinkTarget::Lesson {
                    id: id.clone(),
                    anchor,
                },
                None => LinkTarget::Dropped {
                    code: "missing-lesson-link",
                    message: format!(
                        "link `{}` points to a file that is not a loaded lesson; fix its front matter or the link",
                        shorten(dest)
                    ),
                },
            }
        }
        Ok(_) => LinkTarget::Dropped {
            code: "unsupported-link",
            message: format!(
                "link `{}` is neither a lesson nor a web page; Lectern links only to lessons (`.md`) and http(s) pages",
                shorten(dest)
            ),
        },
    }
}

/// `path` without its `.html` (or `.htm`) extension, if it has one.
fn html_stem(path: &str) -> Option<&str> {
    let (stem, ext) = path.rsplit_once('.')?;
    (ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm")).then_some(stem)
}

/// Where a Markdown image comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ImageSource {
    /// A `lesson://` URL.
    Asset(String),
    /// Not shown: the alt text stands in, with a warning.
    Dropped { code: &'static str, message: String },
}

pub(crate) fn resolve_image(dest: &str, resolver: Option<&Resolver>, prefix: &str) -> ImageSource {
    let url = normalize_url(dest);
    if let Some(s) = url_scheme(&url) {
        return ImageSource::Dropped {
            code: if is_web_scheme(&s) {
                "image-remote"
            } else {
                "link-scheme"
            },
            message: if is_web_scheme(&s) {
                format!(
                    "image `{}` is on the web, and Lectern works offline; save it into the lessons folder and use a relative path",
                    shorten(dest)
                )
            } else {
                format!(
                    "image `{}` uses the `{s}:` scheme; use a relative path to an image in the lessons folder",
                    shorten(dest)
                )
            },
        };
    }
    if url.starts_with("//") || url.starts_with('#') {
        return ImageSource::Dropped {
            code: "link-scheme",
            message: format!(
                "image `{}` is not a path; use a relative path to an image in the lessons folder",
                shorten(dest)
            ),
        };
    }
    let Some(resolver) = resolver else {
        return ImageSource::Dropped {
            code: "missing-image",
            message: format!(
                "image `{}` is relative, and this text has no lesson to resolve it against",
                shorten(dest)
            ),
        };
    };
    let path = url.split(['?', '#']).next().unwrap_or("");
    let missing = || ImageSource::Dropped {
        code: "missing-image",
        message: format!(
            "image `{}` does not exist; check the path (it is relative to this lesson's folder)",
            shorten(dest)
        ),
    };
    let Some(decoded) = percent_decode(path).filter(|p| !p.is_empty() && !p.contains('\0')) else {
        return missing();
    };
    local_image(dest, &decoded, resolver, prefix)
}

/// An image inside the lessons folder (percent-decoded path `decoded`).
fn local_image(dest: &str, decoded: &str, resolver: &Resolver, prefix: &str) -> ImageSource {
    let missing = || ImageSource::Dropped {
        code: "missing-image",
        message: format!(
            "image `{}` does not exist; check the path (it is relative to this lesson's folder)",
            shorten(dest)
        ),
    };
    match resolver.resolve_path(decoded) {
        Err(PathProblem::Escape) => ImageSource::Dropped {
            code: "path-escape",
            message: format!(
                "image `{}` leads outside the lessons folder; copy it into the folder",
                shorten(dest)
            ),
        },
        Err(PathProblem::Missing) => missing(),
        Ok(found) if !found.canonical.is_file() => missing(),
        Ok(found) if fs::metadata(&found.canonical).is_ok_and(|m| m.len() > MAX_ASSET_BYTES) => {
            ImageSource::Dropped {
                code: "image-too-large",
                message: format!(
                    "image `{}` is over the {} limit for images; make it smaller",
                    shorten(dest),
                    crate::folder::limit_words(MAX_ASSET_BYTES)
                ),
            }
        }
        Ok(found) if image_mime(&found.canonical).is_none() => ImageSource::Dropped {
            code: "missing-image",
            message: format!(
                "`{}` is not an image Lectern shows ({})",
                shorten(dest),
                image_extensions()
            ),
        },
        Ok(found) => match resolver.asset_url(prefix, &found) {
            Some(u) => ImageSource::Asset(u),
            None => missing(),
        },
    }
}

/// The input quoted in a message, cut to a readable length.
fn shorten(s: &str) -> String {
    truncate(s, 80)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_found_after_browser_normalization() {
        assert_eq!(
            url_scheme(&normalize_url(" JaVa\tScRiPt:alert(1)")).as_deref(),
            Some("javascript")
        );
        assert_eq!(url_scheme("https://x.org/a:b").as_deref(), Some("https"));
        assert_eq!(url_scheme("a/b:c"), None);
        assert_eq!(url_scheme("other.md"), None);
    }

    #[test]
    fn every_scheme_but_http_is_dropped() {
        let ids = HashMap::new();
        for dest in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>",
            "vbscript:msgbox",
            "file:///etc/passwd",
            "lectern-custom:x",
            "//evil.example/x",
        ] {
            assert!(
                matches!(resolve_link(dest, None, &ids), LinkTarget::Dropped { .. }),
                "{dest}"
            );
        }
        assert_eq!(
            resolve_link("https://example.org", None, &ids),
            LinkTarget::External("https://example.org".into())
        );
        assert_eq!(
            resolve_link("#a%20b", None, &ids),
            LinkTarget::Anchor("a b".into())
        );
    }

    #[test]
    fn percent_encoding_round_trips() {
        let p = Path::new("img dir").join("ä#1.png");
        let enc = encode_path(&p).unwrap();
        assert_eq!(enc, "img%20dir/%C3%A4%231.png");
        assert_eq!(percent_decode(&enc).unwrap(), "img dir/ä#1.png");
        assert_eq!(percent_decode("%zz"), None);
    }

    #[test]
    fn lexical_escape_is_refused_before_touching_the_disk() {
        let r = Resolver::new(Path::new("/nonexistent-root"), Path::new("a"));
        assert_eq!(
            r.resolve_path("../../x.png").unwrap_err(),
            PathProblem::Escape
        );
    }
}
