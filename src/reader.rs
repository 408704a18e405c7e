//! The reader: what the app shows for one lesson, assembled from `course`, `render`
//! and `quiz`.
//!
//! Front door: [`open`] builds a [`LessonPage`] (sanitized body, table of contents,
//! previous/next, and a fresh quiz attempt without its answer key); [`grade`] and
//! [`retry`] answer the quiz. The shell calls one of these per command and holds no
//! logic of its own.

use serde::Serialize;

use crate::course::{Course, Loaded};
use crate::diagnostic::Diagnostic;
use crate::quiz::{self, AttemptView, Grade, QuizError};
use crate::render::{RenderOptions, Renderer};

/// Everything the reader shows for one lesson.
#[derive(Clone, Debug, Serialize)]
pub struct LessonPage {
    /// Lesson id.
    pub id: String,
    /// Lesson title (plain text: insert with `textContent`).
    pub title: String,
    /// `type` from the front matter.
    #[serde(rename = "type")]
    pub kind: String,
    /// Title of the lesson's section in the outline.
    pub section_title: String,
    /// Duration in minutes, if known.
    pub duration_minutes: Option<u32>,
    /// The body as sanitized HTML, Knowledge Check left out.
    pub html: String,
    /// h2/h3 headings with their element ids.
    pub toc: Vec<TocEntry>,
    /// The lesson before, for the Previous button and key.
    pub prev: Option<NavLink>,
    /// The lesson after, for the Next button and key.
    pub next: Option<NavLink>,
    /// A fresh attempt at the lesson's Knowledge Check, or `None` when it has none.
    pub quiz: Option<AttemptView>,
    /// Problems in this lesson: loading, rendering and quiz diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// One entry of the table of contents.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// Plain text of the heading.
    pub text: String,
    /// The id of the heading element in `html`.
    pub id: String,
}

/// A link to a neighbouring lesson.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct NavLink {
    /// Lesson id.
    pub id: String,
    /// Lesson title.
    pub title: String,
}

/// Why the reader could not do what was asked. `code()` is stable for the UI.
#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    /// No lesson with this id in the course.
    #[error("no lesson `{0}` in this course")]
    LessonNotFound(String),
    /// The lesson has no Knowledge Check.
    #[error("lesson `{0}` has no Knowledge Check")]
    NoQuiz(String),
    /// The answer could not be graded.
    #[error(transparent)]
    Quiz(#[from] QuizError),
}

impl ReaderError {
    /// Stable kebab-case code for the UI's `{ code, message }`.
    pub fn code(&self) -> &'static str {
        match self {
            ReaderError::LessonNotFound(_) => "lesson-not-found",
            ReaderError::NoQuiz(_) => "no-quiz",
            ReaderError::Quiz(e) => e.code(),
        }
    }
}

/// Builds the page for lesson `id`, with a quiz attempt shuffled by `seed`. The page's
/// diagnostics are everything known about the lesson's file: those found when the
/// course loaded (a dangling link, an unknown key), then rendering's and the quiz's.
pub fn open(
    loaded: &Loaded,
    renderer: &Renderer,
    id: &str,
    seed: u64,
) -> Result<LessonPage, ReaderError> {
    let course = &loaded.course;
    let index = course
        .index_of(id)
        .ok_or_else(|| ReaderError::LessonNotFound(id.to_owned()))?;
    let lesson = &course.lessons()[index];
    let ids = course.lesson_ids_by_path();
    let rendered = renderer.render(lesson, &RenderOptions::new(course.root(), ids));
    let (parsed, quiz_diagnostics) = quiz::parse(lesson);
    let mut diagnostics: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.path == lesson.path)
        .cloned()
        .collect();
    diagnostics.extend(rendered.diagnostics);
    diagnostics.extend(quiz_diagnostics);
    let nav = |l: Option<&crate::lesson::Lesson>| {
        l.map(|l| NavLink {
            id: l.id.clone(),
            title: l.title.clone(),
        })
    };
    let section_title = course
        .sections()
        .iter()
        .find(|s| s.lessons.contains(&index))
        .map(|s| s.title.clone())
        .unwrap_or_default();
    Ok(LessonPage {
        id: lesson.id.clone(),
        title: lesson.title.clone(),
        kind: lesson.kind.clone(),
        section_title,
        duration_minutes: lesson.duration_minutes,
        html: rendered.html,
        toc: rendered
            .toc
            .into_iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .map(|h| TocEntry {
                level: h.level,
                text: h.text,
                id: h.id,
            })
            .collect(),
        prev: nav(course.prev_of(index)),
        next: nav(course.next_of(index)),
        quiz: (!parsed.questions.is_empty()).then(|| quiz::start_attempt(&parsed, seed)),
        diagnostics,
    })
}

/// Grades one answer to a question of lesson `lesson_id`'s quiz.
pub fn grade(
    course: &Course,
    lesson_id: &str,
    question_id: &str,
    chosen: &[String],
) -> Result<Grade, ReaderError> {
    let lesson = course
        .lesson(lesson_id)
        .ok_or_else(|| ReaderError::LessonNotFound(lesson_id.to_owned()))?;
    let (parsed, _) = quiz::parse(lesson);
    Ok(quiz::grade(&parsed, question_id, chosen)?)
}

/// A new attempt at only the given questions (the ones missed), freshly shuffled.
pub fn retry(
    course: &Course,
    lesson_id: &str,
    question_ids: &[String],
    seed: u64,
) -> Result<AttemptView, ReaderError> {
    let lesson = course
        .lesson(lesson_id)
        .ok_or_else(|| ReaderError::LessonNotFound(lesson_id.to_owned()))?;
    let (parsed, _) = quiz::parse(lesson);
    if parsed.questions.is_empty() {
        return Err(ReaderError::NoQuiz(lesson_id.to_owned()));
    }
    Ok(quiz::retry_attempt(&parsed, question_ids, seed))
}

/// The URL to hand to the system browser, if `url` is one Lectern opens there:
/// `http` and `https` only, so a lesson can never make the app launch anything else.
pub fn external_url(url: &str) -> Option<&str> {
    let url = url.trim();
    crate::text::is_web_url(url).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> (tempfile::TempDir, Loaded) {
        let dir = tempfile::tempdir().unwrap();
        // A Lectern course: its unknown keys are warned about.
        std::fs::write(dir.path().join("course.yaml"), "title: T\n").unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "---\nid: a\ntitle: First\norder: 1\nsection: intro\n---\n# First\n\n## Causal masks\n\nA causal mask hides later positions from each token.\n\n## Knowledge Check\n\n1. What does a causal mask hide?\n   - Later positions\n   - Earlier positions\n   - Nothing\n   > Each token only sees the past.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("b.md"),
            "---\nid: b\ntitle: Second\norder: 2\n---\n# Second\n",
        )
        .unwrap();
        let loaded = Course::load(dir.path());
        (dir, loaded)
    }

    #[test]
    fn open_builds_body_toc_navigation_and_a_quiz_without_the_key() {
        let (_d, c) = course();
        let page = open(&c, &Renderer::default(), "a", 7).unwrap();
        assert!(page.diagnostics.is_empty(), "{:?}", page.diagnostics);
        assert_eq!(page.title, "First");
        assert_eq!(page.section_title, "Intro");
        assert!(page.html.contains("Causal masks"));
        assert!(!page.html.contains("What does a causal mask hide"));
        assert_eq!(
            page.toc.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            ["Causal masks"]
        );
        assert_eq!(page.prev, None);
        assert_eq!(page.next.as_ref().map(|n| n.id.as_str()), Some("b"));
        let quiz = page.quiz.unwrap();
        assert_eq!(quiz.questions.len(), 1);
        let json = serde_json::to_string(&quiz).unwrap();
        assert!(!json.contains("correct"), "{json}");
    }

    #[test]
    fn lesson_without_knowledge_check_has_no_quiz() {
        let (_d, c) = course();
        assert!(open(&c, &Renderer::default(), "b", 1)
            .unwrap()
            .quiz
            .is_none());
    }

    #[test]
    fn unknown_lesson_is_a_coded_error() {
        let (_d, c) = course();
        let e = open(&c, &Renderer::default(), "zzz", 1).unwrap_err();
        assert_eq!(e.code(), "lesson-not-found");
    }

    #[test]
    fn grading_through_the_reader_uses_the_core_key() {
        let (_d, c) = course();
        let page = open(&c, &Renderer::default(), "a", 3).unwrap();
        let q = &page.quiz.unwrap().questions[0];
        let (right, wrong): (Vec<_>, Vec<_>) =
            q.options.iter().partition(|o| o.html.contains("Later"));
        let g = grade(&c.course, "a", &q.id, &[right[0].id.clone()]).unwrap();
        assert!(g.correct);
        let g = grade(&c.course, "a", &q.id, &[wrong[0].id.clone()]).unwrap();
        assert!(!g.correct);
        assert_eq!(g.correct_options, [right[0].id.clone()]);
    }

    #[test]
    fn a_lesson_page_carries_the_problems_found_in_its_file_at_load() {
        let (dir, _) = course();
        std::fs::write(
            dir.path().join("c.md"),
            "---\nid: c\ntitle: C\norder: 3\nprevLessonId: gone\nauthor: me\n---\n# C\n\n[x](missing.md)\n",
        )
        .unwrap();
        let loaded = Course::load(dir.path());
        let page = open(&loaded, &Renderer::default(), "c", 1).unwrap();
        let codes: Vec<&str> = page.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["missing-link", "unknown-key", "missing-lesson-link"]
        );
        let other = open(&loaded, &Renderer::default(), "a", 1).unwrap();
        assert!(other.diagnostics.is_empty(), "{:?}", other.diagnostics);
    }

    #[test]
    fn only_http_and_https_open_externally() {
        assert_eq!(
            external_url("https://example.org/x"),
            Some("https://example.org/x")
        );
        assert_eq!(
            external_url(" HTTP://example.org "),
            Some("HTTP://example.org")
        );
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,x",
            "mailto:a@b",
            "lesson://x",
        ] {
            assert_eq!(external_url(bad), None, "{bad}");
        }
    }
}
