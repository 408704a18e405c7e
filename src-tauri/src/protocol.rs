//! The `lesson://` URI scheme: how lesson images reach the webview.
//!
//! The core renders `<img src="lesson://localhost/<path>">`; this handler serves the
//! file through `lectern::render::read_asset`, which refuses anything outside the
//! lessons folder (lexically or through symlinks) and anything that is not an image.

use std::borrow::Cow;

use tauri::http::{Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext};

use crate::state::AppState;

/// Answers one request for a lesson asset.
pub(crate) fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
) -> Response<Cow<'static, [u8]>> {
    let state = ctx.app_handle().state::<AppState>();
    let result = lectern::render::read_asset(&state.root(), request.uri().path());
    let built = match result {
        Ok((bytes, mime)) => Response::builder()
            .status(StatusCode::OK)
            .header("Content-Type", mime)
            .header("X-Content-Type-Options", "nosniff")
            // SVG images are documents: forbid them scripts even if opened directly.
            .header(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            )
            .body(Cow::Owned(bytes)),
        Err(e) => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .header("Content-Type", "text/plain; charset=utf-8")
            .body(Cow::Owned(e.to_string().into_bytes())),
    };
    built.unwrap_or_else(|_| {
        let mut r = Response::new(Cow::Borrowed(&b""[..]));
        *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        r
    })
}
