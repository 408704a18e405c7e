//! The window's frame never scrolls: only its panes (the outline, the lesson) do, so the
//! toolbar stays on screen whatever the window's size and wherever a jump lands.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{shot_path, App};

/// How far the frame itself could scroll: its scroll height beyond the window's.
fn frame_overflow(app: &App) -> Value {
    app.js("return document.scrollingElement.scrollHeight - innerHeight;")
}

/// What reaches below the window outside the panes, to say why the frame scrolls.
fn overflowing(app: &App) -> Value {
    app.js(
        "return Array.from(document.querySelectorAll('body *'))
           .filter(e => e.getBoundingClientRect().bottom > innerHeight && !e.closest('main, .sidebar'))
           .map(e => `${e.tagName}#${e.id}.${e.className} ${e.getBoundingClientRect().bottom}`);",
    )
}

#[test]
fn the_frame_is_exactly_the_window_at_every_size_even_after_jumping_to_the_quiz() {
    let app = App::start(&[]);
    app.wait_for("#outline .lesson-link", Duration::from_secs(10));
    for (w, h) in [(1280, 900), (1200, 800), (800, 700)] {
        app.set_window_size(w, h);
        app.js("location.hash = '';");
        app.wait_for("article.course-home", Duration::from_secs(10));
        app.settle();
        assert_eq!(
            frame_overflow(&app),
            json!(0),
            "course page at {w}×{h}: {}",
            overflowing(&app)
        );
        app.js("location.hash = '#lesson/nlp-attention/quiz-title';");
        app.wait_for(
            "article.lesson[data-lesson='nlp-attention'] #quiz",
            Duration::from_secs(10),
        );
        app.settle();
        assert_eq!(
            frame_overflow(&app),
            json!(0),
            "the quiz at {w}×{h}: {}",
            overflowing(&app)
        );
        assert_eq!(
            app.js("return [document.scrollingElement.scrollTop, document.querySelector('.toolbar').getBoundingClientRect().top];"),
            json!([0, 0]),
            "the toolbar stays at the top at {w}×{h}"
        );
    }
    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.assert_accessible(&format!("the quiz at 800×700, {theme}"));
        app.settle();
        app.screenshot(&shot_path(&format!("frame-800x700-quiz-{theme}.png")));
    }
}
