//! The committed highlight stylesheets are exactly what the core generates.

use std::path::Path;

use lectern::render::{highlight_css, Theme};

use super::check_snapshot;

#[test]
fn committed_highlight_stylesheets_match_the_generated_ones() {
    let css = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui").join("css");
    check_snapshot(
        &css.join("highlight-light.css"),
        &highlight_css(Theme::Light),
    );
    check_snapshot(&css.join("highlight-dark.css"), &highlight_css(Theme::Dark));
}
