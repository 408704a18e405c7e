//! The invariants of ARCHITECTURE.md that a machine can check, checked on the source
//! tree (rust-analyzer's `tidy` habit): each rule is a function over a file's path and
//! text that returns what breaks it, named by rule and place (`file:line`). The tests at
//! the top run every rule on the real tree; the tests at the bottom plant a violation
//! of each rule and check that it is found, so a rule that silently stopped matching
//! would fail here.
//!
//! Plain `std` file walking, no dependencies: the whole run reads a few hundred files.
//! Rules that clippy already enforces (no `unwrap`, 80 lines per function) are not
//! repeated here.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::fmt;
use std::fs;
use std::path::PathBuf;

/// One broken invariant: which rule, where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Violation {
    rule: &'static str,
    path: String,
    line: usize,
    message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: [{}] {}",
            self.path, self.line, self.rule, self.message
        )
    }
}

fn violation(rule: &'static str, path: &str, line: usize, message: String) -> Violation {
    Violation {
        rule,
        path: path.to_owned(),
        line,
        message,
    }
}

// ---- the tree -------------------------------------------------------------------

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (relative to the repository, `/`-separated) ending in `ext`,
/// sorted, with its text.
fn files(dir: &str, ext: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(ext) {
                let rel = path.strip_prefix(root()).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.push((rel, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn read(rel: &str) -> String {
    fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Fails listing every violation, one per line.
fn assert_none(violations: Vec<Violation>) {
    let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
    assert!(
        list.is_empty(),
        "{} broken:\n{}",
        list.len(),
        list.join("\n")
    );
}

// ---- the rules on the real tree ---------------------------------------------------

#[test]
fn no_ui_js_file_is_longer_than_300_lines() {
    assert_none(
        files("ui/js", ".js")
            .iter()
            .flat_map(|(p, t)| js_file_length(p, t))
            .collect(),
    );
}

#[test]
fn invoke_is_called_only_in_api_js() {
    assert_none(
        files("ui/js", ".js")
            .iter()
            .flat_map(|(p, t)| invoke_outside_api(p, t))
            .collect(),
    );
}

#[test]
fn keys_are_heard_only_in_keymap_js() {
    assert_none(
        files("ui/js", ".js")
            .iter()
            .flat_map(|(p, t)| keys_outside_keymap(p, t))
            .collect(),
    );
}

#[test]
fn the_ui_and_the_shell_name_the_same_events() {
    let (js, rs) = ("ui/js/events.js", "src-tauri/src/events.rs");
    assert_none(event_names_differ((js, &read(js)), (rs, &read(rs))));
}

#[test]
fn only_clock_rs_reads_the_wall_clock_in_the_core() {
    assert_none(
        files("src", ".rs")
            .iter()
            .flat_map(|(p, t)| wall_clock_outside_clock(p, t))
            .collect(),
    );
}

#[test]
fn study_layers_name_only_the_layers_below_them() {
    let core = files("src", ".rs");
    assert_none(
        core.iter()
            .flat_map(|(path, text)| layer_reaches_up(path, text))
            .collect(),
    );
}

#[test]
fn the_code_map_names_every_core_module_and_only_modules_that_exist() {
    let sources: Vec<String> = files("src", ".rs").into_iter().map(|(p, _)| p).collect();
    let arch = read("ARCHITECTURE.md");
    assert_none(code_map_mismatches(&arch, &sources, &|rel| {
        root().join(rel).exists()
    }));
}

#[test]
fn every_module_level_let_of_the_ui_is_declared_in_state_js() {
    let state = read("ui/js/state.js");
    assert_none(
        files("ui/js", ".js")
            .iter()
            .flat_map(|(p, t)| undeclared_module_lets(p, t, &state))
            .collect(),
    );
}

// ---- the rules -----------------------------------------------------------------

const JS_MAX_LINES: usize = 300;

/// No file of `ui/js` is longer than 300 lines.
fn js_file_length(path: &str, text: &str) -> Vec<Violation> {
    let lines = text.lines().count();
    if lines <= JS_MAX_LINES {
        return Vec::new();
    }
    vec![violation(
        "ui-js-300-lines",
        path,
        JS_MAX_LINES + 1,
        format!("{lines} lines, more than {JS_MAX_LINES}: split the module"),
    )]
}

/// Whether a line of JavaScript is a comment only (`//`, `/*`, ` * `).
fn js_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("//") || t.starts_with("/*") || t.starts_with('*')
}

/// Code lines (comments left out) with their 1-based numbers.
fn js_code(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !js_comment(l))
}

/// `invoke` (Tauri's call into the shell) appears only in `ui/js/api.js`.
fn invoke_outside_api(path: &str, text: &str) -> Vec<Violation> {
    if path == "ui/js/api.js" {
        return Vec::new();
    }
    js_code(text)
        .filter(|(_, l)| l.contains("invoke"))
        .map(|(n, _)| {
            violation(
                "invoke-only-in-api-js",
                path,
                n,
                "calls `invoke`: every command goes through ui/js/api.js".to_owned(),
            )
        })
        .collect()
}

/// What listens to keys: a key event listener or an `onkey…` handler.
const KEY_LISTENERS: [&str; 6] = [
    "\"keydown\"",
    "'keydown'",
    "\"keyup\"",
    "'keyup'",
    "\"keypress\"",
    "'keypress'",
];

/// The marker that exempts a line from the key rule, with the reason beside it: a
/// listener that only notes activity (reading time) binds no key.
const KEYS_ALLOWED: &str = "tidy-allow: keys-only-in-keymap-js";

/// Keys are heard only in `ui/js/keymap.js`, so every key is in the keymap and the
/// help dialog lists it.
fn keys_outside_keymap(path: &str, text: &str) -> Vec<Violation> {
    if path == "ui/js/keymap.js" {
        return Vec::new();
    }
    js_code(text)
        .filter(|(_, l)| !l.contains(KEYS_ALLOWED))
        .filter(|(_, l)| {
            KEY_LISTENERS.iter().any(|k| l.contains(k))
                || l.contains(".onkeydown")
                || l.contains(".onkeyup")
                || l.contains(".onkeypress")
        })
        .map(|(n, _)| {
            violation(
                "keys-only-in-keymap-js",
                path,
                n,
                "listens to keys: bind them in ui/js/keymap.js (a scope) instead".to_owned(),
            )
        })
        .collect()
}

/// Namespaced event names (`course://opened`) quoted in `text`, with their lines.
fn event_names(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for quoted in line.split('"').skip(1).step_by(2) {
            let Some((scheme, rest)) = quoted.split_once("://") else {
                continue;
            };
            let word = |s: &str| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            };
            if word(scheme) && word(rest) {
                out.push((quoted.to_owned(), i + 1));
            }
        }
    }
    out
}

/// `ui/js/events.js` subscribes to exactly the events `src-tauri/src/events.rs`
/// defines (its `const …: &str = "…"` items).
fn event_names_differ(js: (&str, &str), rs: (&str, &str)) -> Vec<Violation> {
    let in_js = event_names(js.1);
    let in_rs: Vec<(String, usize)> = event_names(rs.1)
        .into_iter()
        .filter(|(_, n)| {
            let line = rs.1.lines().nth(n - 1).unwrap_or("");
            line.contains("const ") && line.contains(": &str")
        })
        .collect();
    let mut out = Vec::new();
    for (name, n) in &in_js {
        if !in_rs.iter().any(|(r, _)| r == name) {
            out.push(violation(
                "event-names-match",
                js.0,
                *n,
                format!("`{name}` is not an event of {}", rs.0),
            ));
        }
    }
    for (name, n) in &in_rs {
        if !in_js.iter().any(|(j, _)| j == name) {
            out.push(violation(
                "event-names-match",
                rs.0,
                *n,
                format!("`{name}` is not mirrored in {}", js.0),
            ));
        }
    }
    out
}

/// Calls that read the wall clock (`Instant` is fine: it measures, it does not date).
const WALL_CLOCK: [&str; 3] = ["SystemTime::now", "Utc::now", "Local::now"];

/// Nothing in the core reads the wall clock but `src/clock.rs`: time is a parameter.
fn wall_clock_outside_clock(path: &str, text: &str) -> Vec<Violation> {
    if path == "src/clock.rs" {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        if let Some(call) = WALL_CLOCK.iter().find(|c| code.contains(*c)) {
            out.push(violation(
                "wall-clock-only-in-clock-rs",
                path,
                i + 1,
                format!("reads the wall clock (`{call}`): take the time as a parameter, from src/clock.rs"),
            ));
        }
    }
    out
}

/// What each study-data layer must never name (ARCHITECTURE.md: `day` → `progress` →
/// `review` → `answer`, each naming only the ones below it; `anchor` → `progress` →
/// `notes`).
const LAYERS: [(&str, &[&str]); 4] = [
    (
        "src/progress/",
        &[
            "crate::review",
            "crate::answer",
            "crate::notes",
            "quiz::grade",
            "review::",
            "answer::",
        ],
    ),
    ("src/review/", &["crate::answer", "answer::", "quiz::grade"]),
    (
        "src/anchor/",
        &["crate::progress", "crate::notes", "crate::course"],
    ),
    (
        "src/day.rs",
        &["crate::progress", "crate::review", "crate::answer"],
    ),
];

/// A study-data layer that names a layer above it (in code, comments included: a doc
/// link upward is a dependency in the reader's head too).
fn layer_reaches_up(path: &str, text: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    for (prefix, banned) in LAYERS {
        if !path.starts_with(prefix) {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            if let Some(name) = banned.iter().find(|b| line.contains(*b)) {
                out.push(violation(
                    "study-layers-name-only-below",
                    path,
                    i + 1,
                    format!("`{prefix}` names `{name}`, a layer above it"),
                ));
            }
        }
    }
    out
}

/// The `### ` sections of the code map of ARCHITECTURE.md: (heading line, the paths in
/// the heading (folders end with `/`), the section's text from its heading on).
fn code_map_sections(arch: &str) -> Vec<(usize, Vec<String>, String)> {
    let mut sections: Vec<(usize, Vec<String>, String)> = Vec::new();
    let mut inside = false;
    for (i, line) in arch.lines().enumerate() {
        if let Some(h) = line.strip_prefix("## ") {
            inside = h.trim() == "Code map";
            continue;
        }
        if !inside {
            continue;
        }
        if let Some(h) = line.strip_prefix("### ") {
            let bases = backticked(h).into_iter().map(|(t, _)| t).collect();
            sections.push((i + 1, bases, String::new()));
        }
        if let Some(s) = sections.last_mut() {
            s.2.push_str(line);
            s.2.push('\n');
        }
    }
    sections
}

/// The `backticked` spans of `text`, with their offsets.
fn backticked(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut parts = text.split('`');
    if let Some(first) = parts.next() {
        at += first.len() + 1;
    }
    let mut inside = true;
    for part in parts {
        if inside {
            out.push((part.to_owned(), at));
        }
        at += part.len() + 1;
        inside = !inside;
    }
    out
}

/// Whether `text` names `name` as a whole path (not as the end of a longer word).
fn names(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

/// Whether the code map names the core file `file` (`src/…`): its whole path anywhere,
/// or its path below a folder a section's heading names, in that section; a folder's
/// `mod.rs` is named by the folder's heading.
fn named_in_code_map(sections: &[(usize, Vec<String>, String)], file: &str) -> bool {
    sections.iter().any(|(_, bases, text)| {
        names(text, file)
            || bases.iter().any(|b| {
                b.ends_with('/')
                    && file
                        .strip_prefix(b.as_str())
                        .is_some_and(|rest| rest == "mod.rs" || names(text, rest))
            })
    })
}

/// The crate roots, named under Entry points rather than in the code map.
const CRATE_ROOTS: [&str; 2] = ["src/lib.rs", "src/main.rs"];

/// Every core module file (`sources`: `src/**/*.rs`) is named in ARCHITECTURE.md's code
/// map, and every `.rs` file or `src/` folder the code map names exists (`exists`: a
/// path relative to the repository).
fn code_map_mismatches(
    arch: &str,
    sources: &[String],
    exists: &dyn Fn(&str) -> bool,
) -> Vec<Violation> {
    let sections = code_map_sections(arch);
    let mut out = Vec::new();
    let map_line = arch
        .lines()
        .position(|l| l.trim() == "## Code map")
        .map_or(1, |i| i + 1);
    for file in sources {
        if CRATE_ROOTS.contains(&file.as_str()) || named_in_code_map(&sections, file) {
            continue;
        }
        // Where the entry belongs: its folder's section, else the code map's heading.
        let at = sections
            .iter()
            .find(|(_, bases, _)| {
                bases
                    .iter()
                    .any(|b| b.ends_with('/') && file.starts_with(b.as_str()))
            })
            .map_or(map_line, |s| s.0);
        out.push(violation(
            "code-map-names-every-module",
            "ARCHITECTURE.md",
            at,
            format!("the code map does not name `{file}`: say what it is for"),
        ));
    }
    for (heading, bases, text) in &sections {
        for (offset, line) in text.lines().enumerate() {
            for (token, _) in backticked(line) {
                let checked =
                    token.ends_with(".rs") || (token.starts_with("src/") && token.ends_with('/'));
                let pattern = token.contains(['<', '{', '*', '…', ' ']);
                if !checked || pattern {
                    continue;
                }
                let mut candidates = vec![token.clone(), format!("src/{token}")];
                for b in bases.iter().filter(|b| b.ends_with('/')) {
                    candidates.push(format!("{b}{token}"));
                    candidates.push(format!("{b}src/{token}"));
                }
                if !candidates.iter().any(|c| exists(c)) {
                    out.push(violation(
                        "code-map-names-only-what-exists",
                        "ARCHITECTURE.md",
                        heading + offset,
                        format!("the code map names `{token}`, which does not exist"),
                    ));
                }
            }
        }
    }
    out
}

/// The module-level `let`s of a UI file (`let name` at the start of a line).
fn module_lets(text: &str) -> Vec<(String, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let rest = l.strip_prefix("let ")?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                .collect();
            (!name.is_empty()).then_some((name, i + 1))
        })
        .collect()
}

/// UI state lives in `state.js`: a module-level `let` anywhere else is listed in
/// state.js's comment of module-private state, as "`<file> `<name>`" (`<file>` relative
/// to ui/js), with why it is private.
fn undeclared_module_lets(path: &str, text: &str, state_js: &str) -> Vec<Violation> {
    let Some(rel) = path.strip_prefix("ui/js/") else {
        return Vec::new();
    };
    if rel == "state.js" {
        return Vec::new();
    }
    module_lets(text)
        .into_iter()
        .filter(|(name, _)| {
            let entry = format!("{rel} `{name}`");
            !state_js
                .lines()
                .any(|l| l.trim_start().starts_with("//") && l.contains(&entry))
        })
        .map(|(name, n)| {
            violation(
                "ui-state-in-state-js",
                path,
                n,
                format!("module-level `let {name}`: move it into ui/js/state.js's `state`, or list it there as \"{rel} `{name}`\" with why it is private"),
            )
        })
        .collect()
}

// ---- each rule fails on a planted violation ------------------------------------

fn rules_of(v: &[Violation]) -> Vec<(&str, usize)> {
    v.iter().map(|v| (v.rule, v.line)).collect()
}

#[test]
fn a_301_line_ui_file_is_reported_at_its_301st_line() {
    let long = "x;\n".repeat(301);
    let v = js_file_length("ui/js/views/big.js", &long);
    assert_eq!(rules_of(&v), [("ui-js-300-lines", 301)]);
    assert_eq!(
        v[0].to_string(),
        "ui/js/views/big.js:301: [ui-js-300-lines] 301 lines, more than 300: split the module"
    );
    assert!(js_file_length("ui/js/views/big.js", &"x;\n".repeat(300)).is_empty());
}

#[test]
fn invoke_in_a_view_is_reported_but_not_in_api_js_or_a_comment() {
    let text = "// no invoke here\nconst x = 1;\nwindow.__TAURI__.core.invoke(\"boot\");\n";
    let v = invoke_outside_api("ui/js/views/course.js", text);
    assert_eq!(rules_of(&v), [("invoke-only-in-api-js", 3)]);
    assert!(v[0].to_string().starts_with("ui/js/views/course.js:3: "));
    assert!(invoke_outside_api("ui/js/api.js", text).is_empty());
}

#[test]
fn a_keydown_listener_or_onkeydown_outside_the_keymap_is_reported() {
    let text = "input.addEventListener(\"keydown\", onKey);\nel.addEventListener('keyup', f);\nnode.onkeydown = f;\n// \"keydown\" in a comment\nconst seen = [\"keydown\"]; // tidy-allow: keys-only-in-keymap-js (activity)\n";
    let v = keys_outside_keymap("ui/js/views/search.js", text);
    assert_eq!(
        rules_of(&v),
        [
            ("keys-only-in-keymap-js", 1),
            ("keys-only-in-keymap-js", 2),
            ("keys-only-in-keymap-js", 3)
        ]
    );
    assert!(keys_outside_keymap("ui/js/keymap.js", text).is_empty());
}

#[test]
fn an_event_on_one_side_only_is_reported_on_that_side() {
    let js = "const EVENTS = {\n  \"course://opened\": \"courseOpened\",\n  \"course://renamed\": \"x\",\n};\n";
    let rs = "/// `course://opened`\npub(crate) const COURSE_OPENED: &str = \"course://opened\";\npub(crate) const WATCH_STATUS: &str = \"watch://status\";\nlet s = \"http://example\";\n";
    let v = event_names_differ(("ui/js/events.js", js), ("src-tauri/src/events.rs", rs));
    let shown: Vec<String> = v.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "ui/js/events.js:3: [event-names-match] `course://renamed` is not an event of src-tauri/src/events.rs",
            "src-tauri/src/events.rs:3: [event-names-match] `watch://status` is not mirrored in ui/js/events.js",
        ]
    );
}

#[test]
fn a_wall_clock_read_outside_clock_rs_is_reported() {
    let text = "fn f() {\n    let t = std::time::SystemTime::now();\n    let i = Instant::now();\n    // Utc::now in a comment\n    let d = chrono::Local::now();\n}\n";
    let v = wall_clock_outside_clock("src/progress/record.rs", text);
    assert_eq!(
        rules_of(&v),
        [
            ("wall-clock-only-in-clock-rs", 2),
            ("wall-clock-only-in-clock-rs", 5)
        ]
    );
    assert!(v[0].message.contains("`SystemTime::now`"));
    assert!(wall_clock_outside_clock("src/clock.rs", text).is_empty());
}

const ARCH: &str = "# Architecture\n\n## Code map\n\n### `src/clock.rs`\nThe clock.\n\n### `src/review/`\nFront door: `review::session`; `schedule.rs` is FSRS, `gone.rs` was removed.\n\n### `src/cli/` (`mod.rs`, `progress.rs`)\nSubcommands.\n\n## Architecture invariants\n\n- `src/old.rs` is not in the code map section.\n";

fn arch_exists(rel: &str) -> bool {
    [
        "src/clock.rs",
        "src/review/",
        "src/review/mod.rs",
        "src/review/schedule.rs",
        "src/cli/",
        "src/cli/mod.rs",
        "src/cli/progress.rs",
    ]
    .contains(&rel)
}

#[test]
fn a_module_missing_from_the_code_map_and_a_mapped_file_that_is_gone_are_reported() {
    let sources: Vec<String> = [
        "src/lib.rs",
        "src/clock.rs",
        "src/review/mod.rs",
        "src/review/schedule.rs",
        "src/review/queue.rs",
        "src/cli/mod.rs",
        "src/cli/progress.rs",
        "src/cli/search.rs",
    ]
    .map(String::from)
    .to_vec();
    let v = code_map_mismatches(ARCH, &sources, &arch_exists);
    let shown: Vec<String> = v.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "ARCHITECTURE.md:8: [code-map-names-every-module] the code map does not name `src/review/queue.rs`: say what it is for",
            "ARCHITECTURE.md:11: [code-map-names-every-module] the code map does not name `src/cli/search.rs`: say what it is for",
            "ARCHITECTURE.md:9: [code-map-names-only-what-exists] the code map names `gone.rs`, which does not exist",
        ]
    );
}

#[test]
fn a_module_level_let_not_listed_in_state_js_is_reported() {
    let state = "// Module-private state:\n//   views/find.js `marks` — the find bar's marks\n";
    let text = "let marks = [];\nlet current = -1;\nfunction f() {\n  let local = 1;\n}\n";
    let v = undeclared_module_lets("ui/js/views/find.js", text, state);
    assert_eq!(rules_of(&v), [("ui-state-in-state-js", 2)]);
    assert!(v[0].message.contains("views/find.js `current`"), "{}", v[0]);
    assert!(undeclared_module_lets("ui/js/state.js", text, state).is_empty());
}

#[test]
fn the_store_naming_the_scheduler_or_review_naming_the_pipeline_is_reported() {
    let store = "use crate::progress::Scheduler;\nuse crate::review::Fsrs;\n";
    let v = layer_reaches_up("src/progress/study.rs", store);
    assert_eq!(rules_of(&v), [("study-layers-name-only-below", 2)]);
    assert!(v[0].message.contains("`crate::review`"));
    let review = "fn f() { crate::answer::submit(); }\n";
    assert_eq!(
        rules_of(&layer_reaches_up("src/review/queue.rs", review)),
        [("study-layers-name-only-below", 1)]
    );
    assert!(layer_reaches_up("src/answer.rs", store).is_empty());
}
