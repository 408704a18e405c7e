//! Started without a folder, the app opens its bundled course (embedded in the binary).
//! This tour also takes the screenshots shown in README.md (`target/e2e-screenshots/`):
//! the course page and outline with progress seeded by answering quizzes in the window.

use std::time::Duration;

use serde_json::json;

use crate::harness::{shot_path, App};
use crate::progress::answer_all_right;

/// A screenshot without the transient theme toast.
fn shot(app: &App, path: &std::path::Path) {
    // Let what was already done come to rest (a toast may still be coming).
    app.settle();
    app.exec("document.getElementById('toast').hidden = true;", json!([]));
    // The pointer rests off the window, so no hover highlight looks like the current lesson.
    let (moved, _) = app.xdotool(&["mousemove", "1279", "819"]);
    assert!(moved, "xdotool could not move the pointer");
    app.settle();
    app.screenshot(path);
}

/// Progress for the screenshots: two lessons' quizzes answered right in the window.
fn seed_progress(app: &App, lessons: &std::path::Path) {
    for id in ["nlp-text-preprocessing", "nlp-word-embeddings"] {
        app.click(&format!("#outline .lesson-link[data-lesson='{id}']"));
        app.wait_for(
            &format!("article.lesson[data-lesson='{id}'] #quiz"),
            Duration::from_secs(10),
        );
        answer_all_right(app, lessons, id);
        app.wait_for(
            &format!("#outline .lesson-link[data-lesson='{id}'][data-state='completed']"),
            Duration::from_secs(5),
        );
    }
}

#[test]
fn without_a_folder_the_app_opens_the_bundled_course() {
    let app = App::start(&[]);
    let titles = app.texts("#outline .lesson-title");
    assert_eq!(titles.len(), 8, "{titles:?}");
    assert_eq!(titles[0], "Text Preprocessing and Tokenization");
    assert_eq!(titles[5], "BERT, GPT and Pre-trained Language Models");
    assert_eq!(
        app.texts("#outline .section-title"),
        [
            "FOUNDATIONS",
            "FROM SEQUENCES TO ATTENTION",
            "LANGUAGE MODELS"
        ]
    );
    // The bundled course is clean: no problems badge once checked.
    app.wait_checked();
    let hidden = app.exec(
        "return document.getElementById('diag-badge').hidden;",
        json!([]),
    );
    assert_eq!(hidden, json!(true));
    app.set_theme("light");

    let lessons = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    seed_progress(&app, &lessons);

    app.click("#outline .lesson-link[data-lesson='nlp-attention']");
    app.wait_for(
        "article.lesson[data-lesson='nlp-attention'] #lesson-body",
        Duration::from_secs(10),
    );
    app.exec(
        "const h = Array.from(document.querySelectorAll('#lesson-body h2'))[1]; h.scrollIntoView({block: 'start', behavior: 'instant'});",
        json!([]),
    );
    shot(&app, &shot_path("course-lesson.png"));

    // Answer the first question wrongly to show feedback.
    app.exec(
        "const fs = document.querySelector('#quiz fieldset.question');
         fs.scrollIntoView({block: 'start', behavior: 'instant'});",
        json!([]),
    );
    // (A wrong option, from the core's answer key: options are shuffled.)
    let (_, right) = &crate::progress::answer_key(&lessons, "nlp-attention")[0];
    let wrong = app.exec(
        "const fs = document.querySelector('#quiz fieldset.question');
         for (const i of fs.querySelectorAll('input')) if (!arguments[0].includes(i.value)) { i.click(); break; }
         fs.querySelector('.check').click(); return true;",
        json!([right]),
    );
    assert_eq!(wrong, json!(true));
    app.wait_for(
        "#quiz fieldset.question .feedback.bad",
        Duration::from_secs(5),
    );
    app.exec(
        "document.querySelector('#quiz fieldset.question').scrollIntoView({block: 'start', behavior: 'instant'});",
        json!([]),
    );
    shot(&app, &shot_path("course-quiz.png"));

    // The course page and outline with that progress, in both themes.
    app.exec("location.hash = '';", json!([]));
    app.wait_for("article.course-home #continue", Duration::from_secs(5));
    assert_eq!(
        app.texts("#outline .lesson-link[data-state='completed'] .lesson-title"),
        ["Text Preprocessing and Tokenization", "Word Embeddings"]
    );
    shot(&app, &shot_path("course-home.png"));
    app.set_theme("dark");
    shot(&app, &shot_path("course-home-dark.png"));

    app.click("#outline .lesson-link[data-lesson='nlp-bert-gpt']");
    app.wait_for(
        "article.lesson[data-lesson='nlp-bert-gpt'] #lesson-body",
        Duration::from_secs(10),
    );
    app.exec(
        "const d = document.querySelector('#lesson-body figure.code[data-lang=python]'); d.scrollIntoView({block: 'center', behavior: 'instant'});",
        json!([]),
    );
    app.settle();
    let theme = app.exec("return document.documentElement.dataset.theme;", json!([]));
    assert_eq!(theme, json!("dark"));
    shot(&app, &shot_path("course-dark.png"));
}
