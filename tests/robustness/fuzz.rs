//! Fuzzing on the stable toolchain (issue 10): random lessons — structured ones built by
//! `arbitrary` (`generate`) and mutants of the fixtures and the bundled course
//! (`mutate`) — go through `lesson::parse`, `Renderer::render`, `Renderer::check`,
//! `quiz::parse` and a quiz attempt. A finding is:
//!
//! - a **panic** (caught per input),
//! - a **hang** (no result within the per-input time limit: each input runs on a worker
//!   thread, the driver waits with a timeout),
//! - an **escape**: the body or a quiz HTML field (`prompt_html`, option `html`,
//!   `explanation_html`) that `html_check` finds forbidden markup in,
//! - a **NUL** in the HTML or the quiz JSON (it must become U+FFFD).
//!
//! Every failing input is saved under `target/fuzz-failures/` (with a `.txt` beside it
//! saying what was found) so it can become a fixture; the input being tried is always in
//! `target/fuzz-failures/current-input.md`, so even a crash that takes the process down
//! (a stack overflow) leaves it behind.
//!
//! The test suite runs a fixed seed for a fixed number of inputs. Long runs:
//! `scripts/fuzz.sh [SECONDS]`, which sets `LECTERN_FUZZ_SECONDS` (and optionally
//! `LECTERN_FUZZ_SEED`, `LECTERN_FUZZ_TIMEOUT_MS`) for this same test in release mode.
//! `LECTERN_FUZZ_REPLAY=<file>[:<file>…]` runs saved inputs again instead.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use arbitrary::{Arbitrary, Unstructured};
use lectern::render::{RenderOptions, Renderer};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::generate::Doc;
use super::html_check::violations;
use super::mutate;

/// The test suite's seed and number of inputs (a few seconds in a debug build).
const SUITE_SEED: u64 = 0x1ec7_e4a0_f022_0010;
const SUITE_INPUTS: u64 = 600;
/// How long one input may take before it counts as a hang (debug builds are slow, and
/// the machine is shared; a real hang never finishes).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// At most this many saved inputs per kind of finding.
const SAVED_PER_KIND: usize = 5;

/// When a run stops.
#[derive(Clone, Copy, Debug)]
enum Budget {
    Inputs(u64),
    Time(Duration),
}

#[derive(Clone, Debug)]
struct Config {
    seed: u64,
    budget: Budget,
    timeout: Duration,
    out: PathBuf,
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a number")),
    )
}

impl Config {
    /// The suite's fixed run, or the long run `scripts/fuzz.sh` asks for.
    fn from_env() -> Self {
        let seconds = env_u64("LECTERN_FUZZ_SECONDS");
        let clock_seed = || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        };
        Config {
            seed: env_u64("LECTERN_FUZZ_SEED").unwrap_or_else(|| {
                if seconds.is_some() {
                    clock_seed()
                } else {
                    SUITE_SEED
                }
            }),
            budget: seconds.map_or(Budget::Inputs(SUITE_INPUTS), |s| {
                Budget::Time(Duration::from_secs(s))
            }),
            timeout: env_u64("LECTERN_FUZZ_TIMEOUT_MS")
                .map_or(DEFAULT_TIMEOUT, Duration::from_millis),
            out: Path::new(env!("CARGO_TARGET_TMPDIR"))
                .parent()
                .unwrap()
                .join("fuzz-failures"),
        }
    }
}

/// The lessons folder every input is rendered in: an image, another lesson and a
/// subfolder, so in-app links and images resolve to something.
struct Folder {
    _dir: tempfile::TempDir,
    root: PathBuf,
    ids: HashMap<PathBuf, String>,
}

fn folder() -> Folder {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::write(root.join("img.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(
        root.join("other.md"),
        "---\nid: other\ntitle: O\n---\n# O\n",
    )
    .unwrap();
    let ids = [("other.md", "other"), ("fuzz.md", "fuzz")]
        .into_iter()
        .map(|(p, id)| (PathBuf::from(p), id.to_owned()))
        .collect();
    Folder {
        _dir: dir,
        root,
        ids,
    }
}

/// What one input is checked with; the driver's own tests swap it for a broken one.
type Exercise = fn(&[u8], &Renderer, &Folder) -> Vec<String>;

/// Puts one input through the core and returns what is wrong with the output.
fn exercise(bytes: &[u8], renderer: &Renderer, folder: &Folder) -> Vec<String> {
    let Ok((lesson, _)) = lectern::lesson::parse(Path::new("fuzz.md"), bytes) else {
        return Vec::new();
    };
    let options = RenderOptions::new(&folder.root, &folder.ids);
    let mut findings = Vec::new();
    check_html(
        "body",
        &renderer.render(&lesson, &options).html,
        &mut findings,
    );
    let _ = renderer.check(&lesson, &options);
    let (quiz, diagnostics) = lectern::quiz::parse(&lesson);
    for (i, q) in quiz.questions.iter().enumerate() {
        check_html(
            &format!("question {i} prompt_html"),
            &q.prompt_html,
            &mut findings,
        );
        for (j, o) in q.options().iter().enumerate() {
            check_html(
                &format!("question {i} option {j} html"),
                &o.html,
                &mut findings,
            );
        }
        if let Some(e) = &q.explanation_html {
            check_html(&format!("question {i} explanation_html"), e, &mut findings);
        }
    }
    // The fields of `lectern quiz --json` (README: a public contract).
    let json = serde_json::json!({
        "lesson": quiz.lesson_id,
        "questions": quiz.questions.iter().map(|q| serde_json::json!({
            "id": q.id, "line": q.line, "prompt_html": q.prompt_html, "multiple": q.multiple(),
            "options": q.options().iter().map(|o| serde_json::json!({
                "id": o.id, "html": o.html, "correct": o.correct,
            })).collect::<Vec<_>>(),
            "explanation_html": q.explanation_html,
        })).collect::<Vec<_>>(),
        "diagnostics": diagnostics,
    })
    .to_string();
    if json.contains("\\u0000") {
        findings.push("quiz JSON: NUL (must be U+FFFD)".to_owned());
    }
    let _ = lectern::quiz::start_attempt(&quiz, bytes.len() as u64);
    findings
}

fn check_html(what: &str, html: &str, findings: &mut Vec<String>) {
    if html.contains('\0') {
        findings.push(format!("{what}: NUL in the HTML (must be U+FFFD)"));
    }
    findings.extend(violations(html).into_iter().map(|v| format!("{what}: {v}")));
}

type Outcome = Result<Vec<String>, String>;

/// A thread that runs inputs one at a time, catching panics; the driver waits for each
/// outcome with a time limit, so a hang is seen (and the stuck thread left behind).
struct Worker {
    inputs: mpsc::Sender<Vec<u8>>,
    outcomes: mpsc::Receiver<Outcome>,
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

fn spawn_worker(check: Exercise) -> Worker {
    let (inputs, input_rx) = mpsc::channel::<Vec<u8>>();
    let (outcome_tx, outcomes) = mpsc::channel();
    std::thread::Builder::new()
        .name("fuzz-worker".to_owned())
        // The main thread's usual stack: deep input must be refused, not overflow it.
        .stack_size(8 << 20)
        .spawn(move || {
            let folder = folder();
            let mut renderer = Renderer::default();
            for bytes in input_rx {
                let outcome = catch_unwind(AssertUnwindSafe(|| check(&bytes, &renderer, &folder)))
                    .map_err(panic_text);
                if outcome.is_err() {
                    // Its caches may hold a poisoned lock now.
                    renderer = Renderer::default();
                }
                if outcome_tx.send(outcome).is_err() {
                    break;
                }
            }
        })
        .unwrap();
    Worker { inputs, outcomes }
}

/// Input number `index` of the run seeded `seed`: the same pair always gives the same
/// bytes. Half are generated, half are mutants.
fn make_input(seed: u64, index: u64, corpus: &[(PathBuf, Vec<u8>)]) -> (String, Vec<u8>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    if rng.next_u64() % 2 == 0 {
        let mut raw = vec![0u8; 16 + (rng.next_u64() % 4096) as usize];
        rng.fill_bytes(&mut raw);
        let doc = Doc::arbitrary(&mut Unstructured::new(&raw));
        let text = doc.map(|d| d.markdown()).unwrap_or_default();
        ("generated".to_owned(), text.into_bytes())
    } else {
        mutate::mutant(&mut rng, corpus)
    }
}

/// One kind of finding: how often, and the inputs saved for it.
#[derive(Debug, Default)]
struct Kind {
    count: u64,
    example: String,
    saved: Vec<PathBuf>,
}

#[derive(Debug, Default)]
struct Report {
    tried: u64,
    generated: u64,
    elapsed: Duration,
    kinds: BTreeMap<String, Kind>,
    hung: bool,
}

/// A finding without the input it quotes (attribute values past their scheme, digits),
/// so that one defect is one kind, `<a> has `href="javascript:…"`, not an allowed URL`,
/// apart from another, `<a> has `href="https:…"`, not an allowed URL`.
fn kind_of(finding: &str) -> String {
    let mut kind = String::new();
    let mut rest = finding;
    while let Some(open) = rest.find("=\"") {
        kind.push_str(&rest[..open + 2]);
        let value = &rest[open + 2..];
        let close = value.find('"').unwrap_or(value.len());
        let value = value[..close].trim_start();
        let scheme = match value.find([':', '/', '#', '?']) {
            Some(i) if i < 16 => value[..=i].to_ascii_lowercase(),
            _ => String::new(),
        };
        kind.push_str(&scheme);
        kind.push('…');
        rest = rest[open + 2..].get(close..).unwrap_or("");
    }
    kind.push_str(rest);
    kind.chars()
        .map(|c| if c.is_ascii_digit() { 'N' } else { c })
        .collect()
}

impl Report {
    /// Counts `findings` of input `index`, saving the input for each kind still short of
    /// examples.
    fn record(
        &mut self,
        config: &Config,
        index: u64,
        origin: &str,
        bytes: &[u8],
        findings: &[String],
    ) {
        let mut save = false;
        for finding in findings {
            let kind = self.kinds.entry(kind_of(finding)).or_default();
            kind.count += 1;
            if kind.count == 1 {
                kind.example = finding.chars().take(300).collect();
            }
            save |= kind.saved.len() < SAVED_PER_KIND;
        }
        if !save {
            return;
        }
        let name = format!("{:016x}-{index}", config.seed);
        let path = config.out.join(format!("{name}.md"));
        std::fs::write(&path, bytes).unwrap();
        let mut note = format!(
            "input {index} of seed {:#x} ({origin})\nreplay: LECTERN_FUZZ_REPLAY={} scripts/fuzz.sh\n\n",
            config.seed,
            path.display()
        );
        for finding in findings {
            let _ = writeln!(note, "{finding}");
        }
        std::fs::write(config.out.join(format!("{name}.txt")), note).unwrap();
        for finding in findings {
            let kind = self.kinds.get_mut(&kind_of(finding)).unwrap();
            if kind.saved.len() < SAVED_PER_KIND && !kind.saved.contains(&path) {
                kind.saved.push(path.clone());
            }
        }
    }

    fn summary(&self, config: &Config) -> String {
        let secs = self.elapsed.as_secs_f64();
        let mut out = format!(
            "fuzz: seed {:#x}, {} inputs ({} generated, {} mutants) in {secs:.1} s = {:.0} inputs/s, {} kinds of finding\n",
            config.seed,
            self.tried,
            self.generated,
            self.tried - self.generated,
            self.tried as f64 / secs.max(1e-9),
            self.kinds.len()
        );
        for (kind, k) in &self.kinds {
            let _ = writeln!(out, "- {kind} ({}×), e.g. {}", k.count, k.example);
            for path in &k.saved {
                let _ = writeln!(out, "    saved: {}", path.display());
            }
        }
        out
    }
}

/// Runs inputs until the budget is spent or an input hangs.
fn run(config: &Config, check: Exercise) -> Report {
    std::fs::create_dir_all(&config.out).unwrap();
    let corpus = mutate::corpus();
    let worker = spawn_worker(check);
    let mut report = Report::default();
    let start = Instant::now();
    for index in 0.. {
        let spent = match config.budget {
            Budget::Inputs(n) => index >= n,
            Budget::Time(t) => start.elapsed() >= t,
        };
        if spent {
            break;
        }
        let (origin, bytes) = make_input(config.seed, index, &corpus);
        std::fs::write(config.out.join("current-input.md"), &bytes).unwrap();
        worker.inputs.send(bytes.clone()).unwrap();
        report.tried += 1;
        report.generated += u64::from(origin == "generated");
        let findings = match worker.outcomes.recv_timeout(config.timeout) {
            Ok(Ok(findings)) => findings,
            Ok(Err(panic)) => vec![format!("panic: {panic}")],
            Err(_) => {
                report.hung = true;
                vec![format!("hang: no result within {:?}", config.timeout)]
            }
        };
        if !findings.is_empty() {
            report.record(config, index, &origin, &bytes, &findings);
        }
        if report.hung {
            break;
        }
    }
    report.elapsed = start.elapsed();
    report
}

/// Runs saved inputs again (`LECTERN_FUZZ_REPLAY`), printing what each finds.
fn replay(files: &str) -> Vec<String> {
    let worker = spawn_worker(exercise);
    let mut failures = Vec::new();
    for file in std::env::split_paths(files) {
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        worker.inputs.send(bytes).unwrap();
        let outcome = match worker.outcomes.recv_timeout(DEFAULT_TIMEOUT) {
            Ok(Ok(findings)) => findings,
            Ok(Err(panic)) => vec![format!("panic: {panic}")],
            Err(_) => vec!["hang".to_owned()],
        };
        println!("{}: {outcome:#?}", file.display());
        failures.extend(
            outcome
                .into_iter()
                .map(|f| format!("{}: {f}", file.display())),
        );
    }
    failures
}

#[test]
fn fuzz_lessons_never_panic_hang_or_get_markup_past_the_sanitizer() {
    if let Ok(files) = std::env::var("LECTERN_FUZZ_REPLAY") {
        let failures = replay(&files);
        assert!(failures.is_empty(), "{failures:#?}");
        return;
    }
    let config = Config::from_env();
    let report = run(&config, exercise);
    let summary = report.summary(&config);
    println!("{summary}");
    assert!(report.kinds.is_empty(), "{summary}");
}

/// Inputs the fuzzer found, kept as fixtures (`tests/fixtures/robustness/<case>/lesson.md`):
/// each must go through the core with no finding.
#[test]
fn fuzz_findings_kept_as_fixtures_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/robustness");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path().join("lesson.md"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let paths = std::env::join_paths(&cases).unwrap();
    let failures = replay(&paths.to_string_lossy());
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The driver's own check: a panicking or hanging exercise is reported, with the input
/// saved, and the run goes on after a panic.
#[test]
fn fuzz_driver_reports_panics_and_hangs_with_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        seed: 7,
        budget: Budget::Inputs(3),
        // Printing a panic's backtrace can take a while on a loaded machine.
        timeout: Duration::from_secs(30),
        out: dir.path().to_owned(),
    };
    let panics: Exercise = |_, _, _| panic!("boom");
    let report = run(&config, panics);
    assert_eq!(report.tried, 3);
    let kind = &report.kinds["panic: boom"];
    assert_eq!(kind.count, 3);
    let saved = std::fs::read(&kind.saved[0]).unwrap();
    assert_eq!(saved, make_input(7, 0, &mutate::corpus()).1);

    config.timeout = Duration::from_millis(200);
    let hangs: Exercise = |_, _, _| {
        std::thread::sleep(Duration::from_secs(2));
        Vec::new()
    };
    let report = run(&config, hangs);
    assert!(report.hung && report.tried == 1, "{report:?}");
    let kinds: Vec<_> = report.kinds.keys().collect();
    assert!(
        kinds.len() == 1 && kinds[0].starts_with("hang: "),
        "{kinds:?}"
    );
}

/// The oracle itself finds escapes and NUL in what the core returns.
#[test]
fn fuzz_exercise_reports_what_html_check_and_the_nul_rule_find() {
    let mut findings = Vec::new();
    check_html(
        "x",
        "<a href=\"javascript:alert(1)\">a</a>\0",
        &mut findings,
    );
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert_eq!(
        kind_of(&findings[1]),
        "x: <a> has `href=\"javascript:…\"`, not an allowed URL"
    );
    let clean =
        b"---\nid: fuzz\ntitle: F\n---\n# A\n\n## Knowledge Check\n\n1. Q?\n   - a\n   - b\n";
    assert_eq!(
        exercise(clean, &Renderer::default(), &folder()),
        Vec::<String>::new()
    );
}
