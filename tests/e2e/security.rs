//! A hostile lesson opened in the real window runs nothing.

use std::time::Duration;

use serde_json::json;

use crate::harness::{fixture, App};

#[test]
fn hostile_lesson_runs_no_script_and_keeps_no_dangerous_markup() {
    let (_tmp, dir) = fixture("e2e/hostile");
    let app = App::start(&[&dir]);
    app.click("#outline .lesson-link[data-lesson='hostile']");
    app.wait_for(
        "article.lesson[data-lesson='hostile'] #lesson-body",
        Duration::from_secs(10),
    );
    // Let event handlers (onerror, onload, autofocus, refresh) have their chance: every
    // image and the page itself done loading (their load or error events have fired),
    // then the page at rest (two frames drawn, so toggles and focus have happened).
    app.wait_js(
        "the lesson's images and the page loaded",
        "return document.readyState === 'complete'
           && Array.from(document.querySelectorAll('#lesson-body img')).every(i => i.complete);",
        json!(true),
    );
    app.settle();
    // Click every link left in the body: none may run anything.
    app.exec(
        "for (const a of document.querySelectorAll('#lesson-body a:not(.external)')) a.click();",
        json!([]),
    );
    app.settle();
    let pwned = app.exec("return typeof window.__pwned;", json!([]));
    assert_eq!(pwned, json!("undefined"), "a payload ran");
    let dangerous = app.exec(
        "const bad = [];
         for (const e of document.querySelectorAll('#lesson-body *')) {
           if (['SCRIPT','STYLE','IFRAME','OBJECT','EMBED','FORM','META','BASE','svg','VIDEO','SOURCE'].includes(e.tagName)) bad.push(e.tagName);
           // Task-list checkboxes are the only inputs, and they are inert.
           if (e.tagName === 'INPUT' && !(e.type === 'checkbox' && e.disabled)) bad.push('INPUT:' + e.type);
           for (const a of e.attributes) {
             if (a.name.startsWith('on') || a.name === 'style' || a.name === 'srcdoc') bad.push(e.tagName + '@' + a.name);
             if (/^\\s*(javascript|vbscript|data):/i.test(a.value)) bad.push(e.tagName + '@' + a.name + '=' + a.value);
           }
         }
         return bad;",
        json!([]),
    );
    assert_eq!(dangerous, json!([]), "dangerous markup survived sanitizing");
    // Still on the app's own page: no refresh or base redirect happened.
    let href = app.exec(
        "return location.protocol + '//' + location.host;",
        json!([]),
    );
    let href = href.as_str().unwrap_or_default().to_owned();
    assert!(
        href == "tauri://localhost" || href == "http://tauri.localhost",
        "{href}"
    );
}
