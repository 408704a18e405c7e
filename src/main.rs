//! The `lectern` command line: check, list, render and quiz a course for authors and their CI.
//!
//! The JSON printed with `--json` is a public contract, documented in README.md.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli;

use clap::{Parser, Subcommand};
use lectern::course::Course;
use lectern::diagnostic::{count, Diagnostic};
use lectern::folder::{Folder, ReadError};

#[derive(Parser)]
#[command(name = "lectern", version, about = "Study and check Markdown courses")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate every lesson in DIR; exit 1 when there is any error.
    Check {
        /// The lessons folder.
        #[arg(default_value = "lessons")]
        dir: PathBuf,
        /// Print JSON instead of human-readable diagnostics.
        #[arg(long)]
        json: bool,
        /// Keep watching: check again on every change, one line per change (with
        /// --json, one JSON object per line), until Ctrl+C.
        #[arg(long)]
        watch: bool,
    },
    /// Print the course outline: sections, lessons and diagnostics.
    List {
        /// The lessons folder.
        #[arg(default_value = "lessons")]
        dir: PathBuf,
        /// Print JSON (the documented contract) instead of a readable outline.
        #[arg(long)]
        json: bool,
    },
    /// Print a lesson's Knowledge Check as the app will quiz it, correct options marked.
    Quiz {
        /// The lesson's `.md` file.
        file: PathBuf,
        /// The lessons folder the file belongs to (default: the file's own folder);
        /// diagnostics name the file relative to it.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Print JSON (the documented contract) instead of a readable quiz.
        #[arg(long)]
        json: bool,
    },
    /// Search the course's text: titles, headings, prose, code and quiz prompts.
    Search {
        /// What to look for (words, prefixes, code, any language).
        query: String,
        /// The lessons folder.
        #[arg(default_value = "lessons")]
        dir: PathBuf,
        /// Print JSON (the documented contract).
        #[arg(long)]
        json: bool,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Spaced review: the questions due now.
    Review {
        #[command(subcommand)]
        command: cli::review::ReviewCommand,
    },
    /// The learner's progress: show, export, import, restore.
    Progress {
        #[command(subcommand)]
        command: cli::progress::ProgressCommand,
    },
    /// Render a lesson to HTML: the body on stdout, diagnostics on stderr; exit 1 on an error.
    Render {
        /// The lesson's `.md` file.
        file: PathBuf,
        /// The lessons folder (default: the file's own folder); links and images may not
        /// leave it, and links to other lessons resolve in it.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Print a complete offline HTML page instead of the body: both highlight themes,
        /// a table of contents, images embedded, no script. For previewing and printing.
        #[arg(long)]
        standalone: bool,
    },
}

/// A usage error: exit 2, with `{"error": {"code", "message"}}` on stdout under `--json`
/// (so a tool reading the JSON learns why there is no report) and the message on stderr.
struct UsageError {
    code: &'static str,
    message: String,
}

impl UsageError {
    fn new(code: &'static str, message: String) -> Self {
        UsageError { code, message }
    }
}

impl From<String> for UsageError {
    fn from(message: String) -> Self {
        UsageError::new("usage", message)
    }
}

fn main() -> ExitCode {
    let wants_json = std::env::args_os().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            let rendered = e.to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            let message = first.trim_start_matches("error: ").to_owned();
            let _ = e.print();
            return usage_exit(&UsageError::new("usage", message), wants_json, false);
        }
    };
    let result = match cli.command {
        Command::Check { dir, json, watch } if watch => cli::watch::run(&dir, json),
        Command::Check { dir, json, .. } => check(&dir, json),
        Command::List { dir, json } => list(&dir, json),
        Command::Render {
            file,
            dir,
            standalone,
        } => render(&file, dir.as_deref(), standalone),
        Command::Quiz { file, dir, json } => quiz(&file, dir.as_deref(), json),
        Command::Progress { command } => cli::progress::run(command),
        Command::Review { command } => cli::review::run(command),
        Command::Search {
            query,
            dir,
            json,
            limit,
        } => cli::search::run(&query, &dir, json, limit),
    };
    match result {
        Ok(code) => code,
        Err(e) => usage_exit(&e, wants_json, true),
    }
}

/// Reports a usage error (on stderr unless clap already did, and as JSON on stdout under
/// `--json`) and returns exit code 2.
fn usage_exit(e: &UsageError, json: bool, to_stderr: bool) -> ExitCode {
    if to_stderr {
        eprintln!(
            "lectern: error: {}",
            lectern::diagnostic::escape_controls(&e.message)
        );
    }
    if json {
        let body = serde_json::json!({"error": {"code": e.code, "message": e.message}});
        let _ = print(&format!("{body}\n"));
    }
    ExitCode::from(2)
}

fn require_dir(dir: &Path) -> Result<(), UsageError> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(UsageError::new(
            "not-a-folder",
            format!(
                "`{}` is not a folder; pass the folder that holds the lessons",
                dir.display()
            ),
        ))
    }
}

fn print(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`lectern list | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| format!("cannot encode JSON: {e}"))
}

fn exit_for(diagnostics: &[Diagnostic]) -> ExitCode {
    if count(diagnostics).0 > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn check(dir: &Path, json: bool) -> Result<ExitCode, UsageError> {
    require_dir(dir)?;
    let loaded = Course::load(dir);
    let report = lectern::check::check(&loaded, &lectern::render::Renderer::default());
    let (errors, warnings) = (report.errors, report.warnings);
    if json {
        print(&to_json(&report)?)?;
    } else {
        let mut out = String::new();
        for d in &report.diagnostics {
            out.push_str(&d.render_styled(dir, color_stdout()));
            out.push('\n');
        }
        out.push_str(&format!(
            "{} lesson{} checked: {errors} error{}, {warnings} warning{}\n",
            loaded.course.lessons().len(),
            plural(loaded.course.lessons().len()),
            plural(errors),
            plural(warnings)
        ));
        print(&out)?;
    }
    Ok(exit_for(&report.diagnostics))
}

fn list(dir: &Path, json: bool) -> Result<ExitCode, UsageError> {
    require_dir(dir)?;
    let loaded = Course::load(dir);
    let outline = loaded.course.outline(&loaded.diagnostics);
    if json {
        print(&to_json(&outline)?)?;
    } else {
        // A course or lesson without a duration shows none, rather than "0 min".
        let mut out = match outline.total_minutes {
            0 => format!("{}\n", outline.title),
            total => format!("{} ({})\n", outline.title, minutes(total)),
        };
        for s in &outline.sections {
            out.push_str(&format!("\n{}\n", s.title));
            for (i, l) in s.lessons.iter().enumerate() {
                for d in s.drafts.iter().filter(|d| d.position == i) {
                    out.push_str(&format!("  {:<40} (not written yet)\n", d.title));
                }
                let d = l.duration_minutes.map(minutes).unwrap_or_default();
                out.push_str(&format!("  {:<40} {:>8}  {}\n", l.title, d, l.id));
            }
            for d in s.drafts.iter().filter(|d| d.position >= s.lessons.len()) {
                out.push_str(&format!("  {:<40} (not written yet)\n", d.title));
            }
        }
        let (errors, warnings) = count(&loaded.diagnostics);
        if errors + warnings > 0 {
            out.push_str(&format!(
                "\n{errors} error{}, {warnings} warning{}: run `lectern check` for details\n",
                plural(errors),
                plural(warnings)
            ));
        }
        print(&out)?;
    }
    Ok(exit_for(&loaded.diagnostics))
}

/// `lectern quiz FILE`: the lesson's questions in authored order with their answer key,
/// and the diagnostics of the lesson and its quiz. Exit 1 when any is an error.
fn quiz(file: &Path, dir: Option<&Path>, json: bool) -> Result<ExitCode, UsageError> {
    let (dir, folder, rel) = lesson_file(file, dir)?;
    let (lesson, mut diagnostics) = match lectern::lesson::load(&folder, &rel) {
        Ok((lesson, warnings)) => (Some(lesson), warnings),
        Err(d) => (None, vec![d]),
    };
    let quiz = lesson.as_ref().map(|l| {
        let (quiz, found) = lectern::quiz::parse(l);
        diagnostics.extend(found);
        quiz
    });
    let questions = quiz.as_ref().map_or(&[][..], |q| &q.questions[..]);
    let lesson_id = lesson.as_ref().map(|l| l.id.as_str());
    if json {
        print_quiz_json(lesson_id, questions, &diagnostics)?;
    } else {
        print_quiz_human(lesson_id, questions, &diagnostics, &dir)?;
    }
    Ok(exit_for(&diagnostics))
}

/// `lectern quiz --json`: the documented contract (README.md).
fn print_quiz_json(
    lesson: Option<&str>,
    questions: &[lectern::quiz::Question],
    diagnostics: &[Diagnostic],
) -> Result<(), String> {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        lesson: Option<&'a str>,
        questions: Vec<QuestionJson<'a>>,
        diagnostics: &'a [Diagnostic],
    }
    #[derive(serde::Serialize)]
    struct QuestionJson<'a> {
        id: &'a str,
        line: u32,
        prompt_html: &'a str,
        multiple: bool,
        options: Vec<OptionJson<'a>>,
        explanation_html: Option<&'a str>,
    }
    #[derive(serde::Serialize)]
    struct OptionJson<'a> {
        id: &'a str,
        html: &'a str,
        correct: bool,
    }
    let questions = questions
        .iter()
        .map(|q| QuestionJson {
            id: &q.id,
            line: q.line,
            prompt_html: &q.prompt_html,
            multiple: q.multiple,
            options: q
                .options
                .iter()
                .map(|o| OptionJson {
                    id: &o.id,
                    html: &o.html,
                    correct: o.correct,
                })
                .collect(),
            explanation_html: q.explanation_html.as_deref(),
        })
        .collect();
    print(&to_json(&Report {
        lesson,
        questions,
        diagnostics,
    })?)?;
    Ok(())
}

/// `lectern quiz`: the questions as an author reads them, then the diagnostics.
fn print_quiz_human(
    lesson: Option<&str>,
    questions: &[lectern::quiz::Question],
    diagnostics: &[Diagnostic],
    dir: &Path,
) -> Result<(), String> {
    let mut out = String::new();
    if let Some(id) = lesson {
        out.push_str(&format!(
            "{}: {} question{}\n",
            id,
            questions.len(),
            plural(questions.len())
        ));
    }
    for (n, q) in questions.iter().enumerate() {
        let kind = if q.multiple {
            ", choose all that apply"
        } else {
            ""
        };
        out.push_str(&format!(
            "\n{}. {}\n   (line {}, id {}{kind})\n",
            n + 1,
            indent(&q.prompt_md, "   "),
            q.line,
            q.id
        ));
        for o in &q.options {
            let mark = if o.correct { "[x]" } else { "[ ]" };
            out.push_str(&format!("   {mark} {}\n", indent(&o.md, "       ")));
        }
        if let Some(e) = &q.explanation_md {
            out.push_str(&format!("   > {}\n", indent(e, "   > ")));
        }
        if let Some(r) = &q.review {
            out.push_str(&format!("   review: #{} ({})\n", r.id, r.text));
        }
    }
    if !diagnostics.is_empty() {
        out.push('\n');
    }
    for d in diagnostics {
        out.push_str(&d.render_styled(dir, color_stdout()));
        out.push('\n');
    }
    print(&out)?;
    Ok(())
}

/// The lessons folder a `FILE` argument belongs to (`--dir`, else the file's folder),
/// and the file's path in it, checked canonically.
fn lesson_file(file: &Path, dir: Option<&Path>) -> Result<(PathBuf, Folder, PathBuf), UsageError> {
    if !file.is_file() {
        return Err(UsageError::new(
            "not-a-file",
            format!(
                "`{}` is not a file; pass a lesson's `.md` file",
                file.display()
            ),
        ));
    }
    let dir = dir
        .map(Path::to_path_buf)
        .or_else(|| file.parent().map(Path::to_path_buf))
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    require_dir(&dir)?;
    let folder = Folder::new(&dir);
    let rel = relative_to(file, &folder)?;
    Ok((dir, folder, rel))
}

/// `file`'s path relative to the lessons folder `dir`, compared canonically (the one
/// check every entry point uses: `d/../o/x.md` and a link leading out are not inside `d`).
fn relative_to(file: &Path, folder: &Folder) -> Result<PathBuf, UsageError> {
    folder.relative(file).map_err(|e| match e {
        ReadError::Escape => UsageError::new(
            "outside-folder",
            format!(
                "`{}` is not inside the lessons folder `{}`; pass `--dir` with the folder that holds it",
                file.display(),
                folder.root().display()
            ),
        ),
        other => UsageError::new(
            "file-unreadable",
            format!("cannot read `{}`: {other}", file.display()),
        ),
    })
}

/// `text` with every line after the first prefixed by `prefix`.
fn indent(text: &str, prefix: &str) -> String {
    text.replace('\n', &format!("\n{prefix}"))
}

/// `lectern render FILE`: the rendered body (or, with `--standalone`, a whole page) on
/// stdout, the lesson's diagnostics on stderr. Exit 1 when any is an error.
fn render(file: &Path, dir: Option<&Path>, standalone: bool) -> Result<ExitCode, UsageError> {
    let dir_given = dir.is_some();
    let (dir, folder, rel) = lesson_file(file, dir)?;
    // A chapter of a book or a plain folder is read as its course reads it.
    let (dir, lesson, mut diagnostics, loaded) = match cli::source::course_of(file, &dir, dir_given)
    {
        Some((loaded, rel)) => match cli::source::lesson_at(&loaded, &rel) {
            (Some(lesson), diagnostics) => (
                loaded.course.root().to_path_buf(),
                lesson,
                diagnostics,
                loaded,
            ),
            (None, diagnostics) => {
                for d in &diagnostics {
                    eprint!("{}", d.render_styled(loaded.course.root(), color_stderr()));
                }
                return Ok(ExitCode::FAILURE);
            }
        },
        None => match lectern::lesson::load(&folder, &rel) {
            // The whole folder is loaded only to know which file is which lesson, for links.
            Ok((lesson, diagnostics)) => (dir.clone(), lesson, diagnostics, Course::load(&dir)),
            Err(d) => {
                eprint!("{}", d.render_styled(&dir, color_stderr()));
                return Ok(ExitCode::FAILURE);
            }
        },
    };
    let ids = loaded.course.lesson_ids_by_path();
    let options = lectern::render::RenderOptions::new(&dir, ids);
    let rendered = lectern::render::render(&lesson, &options);
    diagnostics.extend(rendered.diagnostics.iter().cloned());
    let out = if standalone {
        lectern::render::standalone_page(&lesson.title, &rendered, &dir)
    } else {
        rendered.html
    };
    print(&out)?;
    for d in &diagnostics {
        eprint!("{}", d.render_styled(&dir, color_stderr()));
    }
    Ok(exit_for(&diagnostics))
}

/// Colour on a terminal, unless `NO_COLOR` is set (https://no-color.org).
fn color_for(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn color_stdout() -> bool {
    use std::io::IsTerminal as _;
    color_for(std::io::stdout().is_terminal())
}

fn color_stderr() -> bool {
    use std::io::IsTerminal as _;
    color_for(std::io::stderr().is_terminal())
}

fn minutes(m: u32) -> String {
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
