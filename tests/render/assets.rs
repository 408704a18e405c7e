//! `read_asset`, the shell's `lesson://` protocol handler: decoding, confinement, types.

use std::fs;

use lectern::render::read_asset;

fn folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("lessons");
    fs::create_dir_all(root.join("img dir")).unwrap();
    fs::write(root.join("img dir").join("ä.png"), b"png bytes").unwrap();
    fs::write(root.join("pic.svg"), b"<svg/>").unwrap();
    fs::write(root.join("notes.md"), b"# notes").unwrap();
    fs::write(tmp.path().join("outside.png"), b"secret").unwrap();
    (tmp, root)
}

#[test]
fn percent_encoded_paths_are_served_with_their_mime_type() {
    let (_tmp, root) = folder();
    let (bytes, mime) = read_asset(&root, "/img%20dir/%C3%A4.png").unwrap();
    assert_eq!((bytes.as_slice(), mime), (&b"png bytes"[..], "image/png"));
    assert_eq!(read_asset(&root, "pic.svg").unwrap().1, "image/svg+xml");
}

#[test]
fn errors_have_stable_codes() {
    let (_tmp, root) = folder();
    let code = |rel: &str| read_asset(&root, rel).unwrap_err().code();
    assert_eq!(code("../outside.png"), "path-escape");
    assert_eq!(code("img%20dir/..%2F..%2Foutside.png"), "path-escape");
    assert_eq!(code("missing.png"), "asset-not-found");
    assert_eq!(code("notes.md"), "asset-type");
    assert_eq!(code("%zz.png"), "asset-path");
    assert_eq!(code(""), "asset-path");
    assert_eq!(code("a%00.png"), "asset-path");
}

#[test]
fn error_messages_quote_the_path() {
    let (_tmp, root) = folder();
    let e = read_asset(&root, "missing.png").unwrap_err();
    assert_eq!(
        e.to_string(),
        "`missing.png` does not exist in the lessons folder"
    );
}
