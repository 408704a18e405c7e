//! Starting Xvfb, tauri-driver and the app, and a small blocking WebDriver client.
//!
//! Each [`App`] gets its own Xvfb display (picked by Xvfb itself through `-displayfd`),
//! its own D-Bus session bus (where the single-instance plugin looks for a running
//! Lectern), its own tauri-driver on free ports, and its own XDG folders (hence its own
//! progress database), so tests share no state;
//! one app runs at a time (a lock), which keeps a 2-core machine responsive.
//! [`App::restart`] starts the app again on the same XDG folders (what a learner's
//! restart looks like). Processes are stopped on drop; tauri-driver gets SIGTERM (never
//! SIGKILL: a killed tauri-driver leaves WebKitWebDriver holding its port).
//!
//! Every wait here waits for a condition, never for time: a poll every 100 ms with a
//! deadline of at least [`PATIENCE`], whatever shorter deadline a test names (a wait
//! returns as soon as its condition holds, so a generous deadline costs nothing when
//! the machine is idle, and a loaded machine fails no test that is merely slow). Each
//! WebDriver request may take [`REQUEST_TIMEOUT`]. A resize waits until the page
//! reports the new size (WebKitWebDriver resizes with `gtk_window_resize`, which needs
//! no window manager under Xvfb, and waits only 200 ms for the configure event).
//!
//! [`App::assert_accessible`] runs axe-core (vendored in `vendor/axe-core/`, a test
//! asset that never ships) in the window and fails on serious or critical violations.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const W3C_ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The least any wait in the end-to-end tests allows before it fails: long enough for a
/// 2-core machine busy with builds (each app start alone can then take 20 s).
pub(crate) const PATIENCE: Duration = Duration::from_secs(60);

/// How long one WebDriver request may take (creating a session starts the app).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// How often a wait polls its condition.
const POLL: Duration = Duration::from_millis(100);

/// Polls `probe` until it gives a value, for up to [`PATIENCE`]; fails saying what was
/// awaited (`what`) and how long it was awaited.
pub(crate) fn wait_until<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "timed out after {:.0?} waiting for {what}",
            start.elapsed()
        );
        std::thread::sleep(POLL);
    }
}

/// WebDriver's codes for keys without a character.
pub(crate) mod key {
    pub(crate) const CTRL: &str = "\u{E009}";
    pub(crate) const SHIFT: &str = "\u{E008}";
    pub(crate) const ALT: &str = "\u{E00A}";
    pub(crate) const TAB: &str = "\u{E004}";
    pub(crate) const ENTER: &str = "\u{E007}";
    pub(crate) const ESCAPE: &str = "\u{E00C}";
    pub(crate) const HOME: &str = "\u{E011}";
    pub(crate) const END: &str = "\u{E010}";
    pub(crate) const LEFT: &str = "\u{E012}";
    pub(crate) const UP: &str = "\u{E013}";
    pub(crate) const RIGHT: &str = "\u{E014}";
    pub(crate) const DOWN: &str = "\u{E015}";
    pub(crate) const F5: &str = "\u{E035}";
}

fn require(tool: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(tool))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "end-to-end tests need `{tool}` on PATH; install it with `scripts/install-deps.sh --test`"
        )
    })
}

/// Two distinct free ports (both are held until both are chosen, so they differ).
fn free_ports() -> (u16, u16) {
    let a = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let b = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    (
        a.local_addr().expect("local addr").port(),
        b.local_addr().expect("local addr").port(),
    )
}

/// Waits until something listens on `port`.
fn wait_listening(port: u16, what: &str) {
    wait_until(&format!("{what} to listen on port {port}"), || {
        std::net::TcpStream::connect(("127.0.0.1", port))
            .is_ok()
            .then_some(())
    });
}

fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    // Cleanup, not a test's wait: a process that ignores SIGTERM this long is killed.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(POLL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The running app in its own display, with a WebDriver session on it.
pub(crate) struct App {
    display: String,
    base: String,
    session: String,
    agent: ureq::Agent,
    driver: Child,
    xvfb: Child,
    /// The app's private session bus and its address.
    bus: Child,
    bus_address: String,
    /// Scratch folder holding the app's XDG data, config and cache folders, kept
    /// alive as long as the app runs (and handed on by [`App::restart`]).
    home: Option<tempfile::TempDir>,
    /// Held while the app runs: one app at a time keeps a 2-core machine responsive.
    turn: Option<std::sync::MutexGuard<'static, ()>>,
    /// The app's arguments, for [`App::restart`].
    args: Vec<PathBuf>,
    /// The app's fixed clock (`LECTERN_NOW`, Unix ms), if any.
    now: Option<i64>,
    /// Extra environment of the app (through tauri-driver), for [`App::restart`].
    env: Vec<(String, String)>,
}

/// Serializes the apps of concurrently running tests.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl App {
    /// Starts `lectern-app` with `args` (e.g. the lessons folder) and waits until the UI
    /// has loaded its course (`<body data-ready>`).
    pub(crate) fn start(args: &[&Path]) -> App {
        // A test that failed while holding the lock poisons it; the lock guards no data.
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        let home = tempfile::tempdir().expect("temp home");
        let args = args.iter().map(|a| a.to_path_buf()).collect();
        App::launch(args, None, Vec::new(), home, turn, true)
    }

    /// Like [`App::start`], with extra environment variables for the app (e.g. `EDITOR`).
    /// `VISUAL` and `EDITOR` are cleared unless given, so the machine's do not leak in.
    pub(crate) fn start_with_env(args: &[&Path], env: &[(&str, &str)]) -> App {
        App::start_env(args, env, true)
    }

    /// [`App::start_with_env`] without waiting for the course: returns once the window's
    /// page has loaded, which may be before the course has been read.
    pub(crate) fn start_unready(args: &[&Path], env: &[(&str, &str)]) -> App {
        App::start_env(args, env, false)
    }

    fn start_env(args: &[&Path], env: &[(&str, &str)], wait_ready: bool) -> App {
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        let home = tempfile::tempdir().expect("temp home");
        let args = args.iter().map(|a| a.to_path_buf()).collect();
        let env = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        App::launch(args, None, env, home, turn, wait_ready)
    }

    /// [`App::start`] with the app's clock fixed at `now` (Unix ms) through the
    /// test-only `LECTERN_NOW`.
    pub(crate) fn start_at(args: &[&Path], now: i64) -> App {
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        let home = tempfile::tempdir().expect("temp home");
        let args = args.iter().map(|a| a.to_path_buf()).collect();
        App::launch(args, Some(now), Vec::new(), home, turn, true)
    }

    /// Quits the app and starts it again with the same arguments on the same XDG data,
    /// config and cache folders, as a learner restarting it would.
    pub(crate) fn restart(mut self) -> App {
        let args = std::mem::take(&mut self.args);
        self.restart_with(&args.iter().map(PathBuf::as_path).collect::<Vec<_>>())
    }

    /// [`App::restart`] with the app's clock moved to `now` (Unix ms, `LECTERN_NOW`):
    /// "the learner comes back a few days later".
    pub(crate) fn restart_at(mut self, now: i64) -> App {
        self.now = Some(now);
        self.restart()
    }

    /// Quits the app and starts it again on the same XDG folders with other arguments
    /// (none: "start it again without arguments").
    pub(crate) fn restart_with(mut self, args: &[&Path]) -> App {
        let home = self.home.take().expect("home");
        let turn = self.turn.take().expect("turn");
        let now = self.now;
        let env = std::mem::take(&mut self.env);
        drop(self);
        App::launch(
            args.iter().map(|a| a.to_path_buf()).collect(),
            now,
            env,
            home,
            turn,
            true,
        )
    }

    /// The app's XDG data folder (where the default progress database lives).
    pub(crate) fn data_dir(&self) -> PathBuf {
        self.home.as_ref().expect("home").path().join("data")
    }

    /// The progress database the app uses: `--db PATH` when given, else the default
    /// under its XDG data folder.
    pub(crate) fn db_path(&self) -> PathBuf {
        let given = self.args.iter().position(|a| a.as_os_str() == "--db");
        match given.and_then(|i| self.args.get(i + 1)) {
            Some(p) => p.clone(),
            None => self
                .data_dir()
                .join("app.lectern.desktop")
                .join("progress.sqlite"),
        }
    }

    /// Starts `lectern-app` again, outside WebDriver, in this app's display, bus and
    /// XDG folders (a learner launching it a second time) and waits for it to exit, up
    /// to `timeout` or [`PATIENCE`], whichever is longer. `None` when it was still
    /// running then (it is then stopped).
    pub(crate) fn second_instance(&self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let args: Vec<&Path> = self.args.iter().map(PathBuf::as_path).collect();
        self.second_instance_with(&args, timeout)
    }

    /// [`App::second_instance`] with other arguments (a course to hand over).
    pub(crate) fn second_instance_with(
        &self,
        args: &[&Path],
        timeout: Duration,
    ) -> Option<std::process::ExitStatus> {
        let home = self.home.as_ref().expect("home").path();
        let mut child = Command::new(env!("CARGO_BIN_EXE_lectern-app"))
            .args(args)
            .env("DISPLAY", &self.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env_remove("LECTERN_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a second lectern-app");
        let deadline = Instant::now() + timeout.max(PATIENCE);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(POLL);
        }
        terminate(&mut child);
        None
    }

    fn launch(
        args: Vec<PathBuf>,
        now: Option<i64>,
        env: Vec<(String, String)>,
        home: tempfile::TempDir,
        turn: std::sync::MutexGuard<'static, ()>,
        wait_ready: bool,
    ) -> App {
        let xvfb_bin = require("Xvfb");
        let driver_bin = require("tauri-driver");
        require("WebKitWebDriver");
        let app_bin = env!("CARGO_BIN_EXE_lectern-app");

        let (xvfb, display) = start_xvfb(&xvfb_bin);
        let (bus, bus_address) = session_bus(home.path());
        let (port, native_port) = free_ports();
        let mut driver = Command::new(driver_bin);
        if let Some(now) = now {
            driver.env("LECTERN_NOW", now.to_string());
        } else {
            driver.env_remove("LECTERN_NOW");
        }
        let driver = driver
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", &display)
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
            .env_remove("LECTERN_DB")
            .env_remove("VISUAL")
            .env_remove("EDITOR")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tauri-driver");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let mut app = App {
            display: display.clone(),
            base,
            session: String::new(),
            agent,
            driver,
            xvfb,
            bus,
            bus_address,
            home: Some(home),
            turn: Some(turn),
            args: args.clone(),
            now,
            env,
        };
        // tauri-driver listens first, then starts WebKitWebDriver; a session request sent
        // before the latter listens is dropped ("peer disconnected").
        wait_listening(port, "tauri-driver");
        wait_listening(native_port, "WebKitWebDriver");
        let args: Vec<String> = args.iter().map(|a| a.display().to_string()).collect();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": app_bin, "args": args}
        }}});
        let v = app.post_raw("/session", &caps);
        app.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {v}"))
            .to_owned();
        if wait_ready {
            app.wait_for("body[data-ready='true']", PATIENCE);
        }
        app
    }

    fn post_raw(&self, path: &str, body: &Value) -> Value {
        let mut resp = self
            .agent
            .post(&format!("{}{path}", self.base))
            .send_json(body)
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        resp.body_mut()
            .read_json::<Value>()
            .unwrap_or_else(|e| panic!("POST {path}: bad JSON: {e}"))
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let v = self.post_raw(&format!("/session/{}{path}", self.session), &body);
        if let Some(err) = v["value"].get("error") {
            panic!(
                "WebDriver POST {path} failed: {err}: {}",
                v["value"]["message"]
            );
        }
        v["value"].clone()
    }

    fn get(&self, path: &str) -> Value {
        let mut resp = self
            .agent
            .get(&format!("{}/session/{}{path}", self.base, self.session))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let v: Value = resp.body_mut().read_json().expect("JSON");
        if let Some(err) = v["value"].get("error") {
            panic!(
                "WebDriver GET {path} failed: {err}: {}",
                v["value"]["message"]
            );
        }
        v["value"].clone()
    }

    /// Runs `script` (a function body) in the page without arguments.
    pub(crate) fn js(&self, script: &str) -> Value {
        self.exec(script, Value::Array(Vec::new()))
    }

    /// Waits until `script` returns `want` (up to [`PATIENCE`]); fails naming `what` and
    /// the last value seen.
    pub(crate) fn wait_js(&self, what: &str, script: &str, want: impl std::borrow::Borrow<Value>) {
        self.wait_js_with(what, script, &Value::Array(Vec::new()), want.borrow());
    }

    /// [`App::wait_js`] with arguments for the script.
    pub(crate) fn wait_js_with(&self, what: &str, script: &str, args: &Value, want: &Value) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let got = self.exec(script, args.clone());
            if got == *want {
                return;
            }
            assert!(Instant::now() < deadline, "{what}: got {got}, want {want}");
            std::thread::sleep(POLL);
        }
    }

    /// Picks `theme` ("light" or "dark") with the toolbar's select, as a mouse user
    /// would, and waits until the page wears it.
    pub(crate) fn set_theme(&self, theme: &str) {
        self.exec(
            "const s = document.getElementById('theme-select'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
            Value::Array(vec![Value::String(theme.to_owned())]),
        );
        self.wait_js(
            "theme",
            "return document.documentElement.dataset.theme;",
            Value::String(theme.to_owned()),
        );
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page.
    pub(crate) fn exec(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": args}))
    }

    /// Element references matching a CSS selector.
    pub(crate) fn find_all(&self, css: &str) -> Vec<String> {
        let v = self.post("/elements", json!({"using": "css selector", "value": css}));
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[W3C_ELEMENT].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The visible text of every element matching `css`, in document order.
    pub(crate) fn texts(&self, css: &str) -> Vec<String> {
        self.find_all(css)
            .iter()
            .map(|e| {
                self.get(&format!("/element/{e}/text"))
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    /// The accessible names of the elements matching `css`, as the browser computes
    /// them for assistive technology (WebDriver's "computed label").
    pub(crate) fn accessible_names(&self, css: &str) -> Vec<String> {
        self.find_all(css)
            .iter()
            .map(|e| {
                self.get(&format!("/element/{e}/computedlabel"))
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    /// Clicks the first element matching `css`.
    pub(crate) fn click(&self, css: &str) {
        let e = self.find_all(css);
        let first = e
            .first()
            .unwrap_or_else(|| panic!("nothing matches `{css}`"));
        // Smooth scrolling may still be moving the page; bring the element to rest in
        // view first, as a user would before clicking.
        self.exec(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
            json!([{ W3C_ELEMENT: first }]),
        );
        self.post(&format!("/element/{first}/click"), json!({}));
    }

    /// Sends keys to the focused element (WebDriver key codes allowed, e.g. "\u{E007}").
    pub(crate) fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                [
                    json!({"type": "keyDown", "value": c.to_string()}),
                    json!({"type": "keyUp", "value": c.to_string()}),
                ]
            })
            .collect();
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
    }

    /// Presses `keys` together and releases them in reverse order, e.g.
    /// `chord(&[CTRL, "o"])` for Ctrl+O.
    pub(crate) fn chord(&self, keys: &[&str]) {
        let mut actions: Vec<Value> = keys
            .iter()
            .map(|k| json!({"type": "keyDown", "value": k}))
            .collect();
        actions.extend(
            keys.iter()
                .rev()
                .map(|k| json!({"type": "keyUp", "value": k})),
        );
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
    }

    /// Resizes the window (outer size, in CSS pixels at 100% zoom; without a window
    /// manager there is no frame, so the page gets all of it) and waits until the page
    /// has laid itself out at that size. WebKitWebDriver waits at most 200 ms for the
    /// window's configure event, which a loaded machine can miss: the page's own
    /// `innerWidth` and `innerHeight` are what tells.
    pub(crate) fn set_window_size(&self, width: u32, height: u32) {
        self.post("/window/rect", json!({"width": width, "height": height}));
        self.wait_js_with(
            "the page at the window's new size",
            "return [innerWidth, innerHeight];",
            &json!([]),
            &json!([width, height]),
        );
        self.settle();
    }

    /// Waits until the page is at rest: two animation frames drawn (so style and layout
    /// caught up with what was done) and no finite CSS transition or animation running.
    /// What screenshots and colour measurements wait for, instead of a pause.
    pub(crate) fn settle(&self) {
        self.wait_js(
            "the page to come to rest",
            "return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() =>
               done(document.getAnimations().filter(a => a.playState === 'running'
                 && a.effect && a.effect.getComputedTiming().iterations !== Infinity).length))));",
            json!(0),
        );
    }

    /// Waits until the course check has filled the Problems badge in.
    pub(crate) fn wait_checked(&self) {
        self.wait_for("body[data-checked='true']", Duration::from_secs(20));
    }

    /// Runs axe-core's WCAG 2.1 A/AA and best-practice rules on the page as it is now
    /// and fails on any serious or critical violation, listing them readably. `view`
    /// names what is on screen (e.g. "lesson, dark"). Returns the number of violations
    /// of any impact, for the log.
    pub(crate) fn assert_accessible(&self, view: &str) -> usize {
        const AXE: &str = include_str!("vendor/axe-core/axe.min.js");
        let loaded = self.exec("return typeof window.axe;", json!([]));
        if loaded != json!("object") {
            let v = self.exec(&format!("{AXE};window.axe = axe; return 1;"), json!([]));
            assert_eq!(v, json!(1), "axe-core did not load");
        }
        // Layout and transitions at rest before colours are measured.
        self.settle();
        let result = self.exec(
            "return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
               .then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({
                 id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160), why: (n.failureSummary || '').replace(/\\s+/g, ' ')}))
               }))}));",
            json!([]),
        );
        let violations = result["violations"]
            .as_array()
            .unwrap_or_else(|| panic!("axe-core gave no result on {view}: {result}"));
        let mut report = String::new();
        let mut serious = 0;
        for v in violations {
            let impact = v["impact"].as_str().unwrap_or("none");
            let nodes = v["nodes"].as_array().map(Vec::len).unwrap_or(0);
            if impact == "serious" || impact == "critical" {
                serious += 1;
                report.push_str(&format!(
                    "\n  [{impact}] {}: {} ({nodes} elements)",
                    v["id"].as_str().unwrap_or("?"),
                    v["help"].as_str().unwrap_or("")
                ));
                for n in v["nodes"].as_array().into_iter().flatten().take(8) {
                    report.push_str(&format!(
                        "\n      {}\n        {}\n        {}",
                        n["target"].as_str().unwrap_or(""),
                        n["html"].as_str().unwrap_or(""),
                        n["why"].as_str().unwrap_or("")
                    ));
                }
            }
        }
        let all: Vec<String> = violations
            .iter()
            .map(|v| {
                format!(
                    "{} ({})",
                    v["id"].as_str().unwrap_or("?"),
                    v["impact"].as_str().unwrap_or("none")
                )
            })
            .collect();
        eprintln!(
            "axe-core on {view}: {} rules passed, {} violated ({serious} serious or critical) {all:?}",
            result["passes"],
            violations.len()
        );
        assert!(
            serious == 0,
            "axe-core found {serious} serious or critical violations on {view}:{report}"
        );
        violations.len()
    }

    /// Waits until `css` matches something, or fails after `timeout` or [`PATIENCE`],
    /// whichever is longer (the `timeout`s the tests name were measured on an idle
    /// machine; the floor keeps a loaded one from failing them).
    pub(crate) fn wait_for(&self, css: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout.max(PATIENCE);
        loop {
            if !self.find_all(css).is_empty() {
                return;
            }
            if Instant::now() > deadline {
                let body = self.exec("return document.body.outerHTML.slice(0, 2000);", json!([]));
                panic!("timed out waiting for `{css}`; page: {body}");
            }
            std::thread::sleep(POLL);
        }
    }

    /// Runs `xdotool` on this app's display: how the tests type into native dialogs,
    /// which WebDriver cannot reach. Returns whether it succeeded and its output.
    pub(crate) fn xdotool(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new(require("xdotool"))
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .expect("run xdotool");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    }

    /// Waits until a native window titled `title` (a GTK dialog: WebDriver cannot see
    /// it) is shown, and puts the pointer on it, so that keys sent with `xdotool` reach
    /// it; returns its X window id. There is no window manager: X gives the keyboard to
    /// the window under the pointer, and the dialog, mapped last, is on top.
    pub(crate) fn wait_native_window(&self, title: &str) -> String {
        let id = wait_until(&format!("the window `{title}` to be shown"), || {
            let (_, shown) = self.xdotool(&["search", "--onlyvisible", "--name", title]);
            shown.lines().next().map(|w| w.trim().to_owned())
        });
        let (_, geometry) = self.xdotool(&["getwindowgeometry", "--shell", &id]);
        let half = |key: &str| {
            geometry
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().parse::<u32>().ok())
                .map_or(1, |v| v / 2)
                .to_string()
        };
        // `--sync`: xdotool returns once the pointer is there.
        let (moved, _) = self.xdotool(&[
            "mousemove",
            "--sync",
            "--window",
            &id,
            &half("WIDTH="),
            &half("HEIGHT="),
        ]);
        assert!(moved, "xdotool could not put the pointer on `{title}`");
        id
    }

    /// Waits until no native window titled `title` is shown any more.
    pub(crate) fn wait_native_window_gone(&self, title: &str) {
        wait_until(&format!("the window `{title}` to close"), || {
            let (_, shown) = self.xdotool(&["search", "--onlyvisible", "--name", title]);
            shown.trim().is_empty().then_some(())
        });
    }

    /// Pastes `text` with Ctrl+V into the focused native window and returns once it has
    /// been handed over: xclip serves the clipboard in the foreground for exactly two
    /// requests, one read back here (so it is known to own the clipboard before the
    /// keys go) and the paste itself, and then exits. Keys sent afterwards reach the
    /// window after the pasted text, as X delivers events in order.
    pub(crate) fn paste(&self, text: &str) {
        use std::io::Write as _;
        let xclip = require("xclip");
        let mut server = Command::new(&xclip)
            .args(["-selection", "clipboard", "-i", "-quiet", "-loops", "2"])
            .env("DISPLAY", &self.display)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run xclip");
        server
            .stdin
            .take()
            .expect("xclip stdin")
            .write_all(text.as_bytes())
            .expect("write to xclip");
        wait_until("xclip to own the clipboard", || {
            let out = Command::new(&xclip)
                .args(["-selection", "clipboard", "-o"])
                .env("DISPLAY", &self.display)
                .stderr(Stdio::null())
                .output()
                .ok()?;
            (out.stdout == text.as_bytes()).then_some(())
        });
        self.xdotool(&["key", "ctrl+v"]);
        let served = wait_until("the pasted text to be taken from the clipboard", || {
            server.try_wait().ok().flatten()
        });
        assert!(served.success(), "xclip failed: {served}");
    }

    /// Saves a PNG screenshot of the display to `path`, with ImageMagick's `import`
    /// (WebKitWebDriver's own screenshot endpoint can hang under Xvfb).
    pub(crate) fn screenshot(&self, path: &Path) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("screenshot folder");
        }
        let status = Command::new(require("import"))
            .args(["-display", &self.display, "-window", "root"])
            .arg(path)
            .status()
            .expect("run import");
        assert!(status.success(), "import failed to take a screenshot");
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            // Short: a hung app must not hold the next test up; tauri-driver goes next.
            let _ = self
                .agent
                .delete(&format!("{}/session/{}", self.base, self.session))
                .config()
                .timeout_global(Some(Duration::from_secs(10)))
                .build()
                .call();
        }
        terminate(&mut self.driver);
        terminate(&mut self.xvfb);
        terminate(&mut self.bus);
    }
}

/// Starts Xvfb on a display it picks itself; returns it and the display name.
fn start_xvfb(xvfb_bin: &Path) -> (Child, String) {
    let mut xvfb = Command::new(xvfb_bin)
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x820x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let mut line = String::new();
    let stdout = xvfb.stdout.take().expect("Xvfb stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read Xvfb display number");
    let display = format!(":{}", line.trim());
    assert!(
        line.trim().parse::<u32>().is_ok(),
        "Xvfb gave no display: {line:?}"
    );
    (xvfb, display)
}

/// A private D-Bus session bus in `home` (so the single-instance plugin of one test's
/// app never sees another's): the daemon and its address.
fn session_bus(home: &Path) -> (Child, String) {
    let socket = home.join("bus");
    let _ = std::fs::remove_file(&socket);
    let address = format!("unix:path={}", socket.display());
    let bus = Command::new(require("dbus-daemon"))
        .args(["--session", "--nofork", "--nopidfile"])
        .arg(format!("--address={address}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dbus-daemon");
    wait_until("dbus-daemon to make its socket", || {
        socket.exists().then_some(())
    });
    (bus, address)
}

/// Where end-to-end screenshots go: `target/e2e-screenshots/<name>`.
pub(crate) fn shot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
        .join("e2e-screenshots")
        .join(name)
}

/// Copies `tests/fixtures/<rel>` into a temp dir and returns both.
pub(crate) fn fixture(rel: &str) -> (tempfile::TempDir, PathBuf) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tests")
        .join("fixtures")
        .join(rel);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dest = tmp.path().join(src.file_name().expect("fixture name"));
    copy_dir(&src, &dest);
    (tmp, dest)
}

fn copy_dir(src: &Path, dest: &Path) {
    std::fs::create_dir_all(dest).expect("create dir");
    for entry in std::fs::read_dir(src).expect("read fixture") {
        let entry = entry.expect("entry");
        let to = dest.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
}
