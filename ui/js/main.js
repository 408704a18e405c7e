// Lectern's web UI, started here. Plain ES modules, no build step, no network: all
// logic lives in the Rust core (asked through api.js); the UI draws its answers. Text
// from lessons is inserted with textContent; only HTML the core rendered *and
// sanitized* is inserted as markup.
//
// How things flow: key (keymap.js) / click / core event (events.js) → action
// (actions.js) → api.js → a view in views/.

import { $, el, orElse } from "./dom.js";
import { state, setOutline } from "./state.js";
import { api } from "./api.js";
import { run, linkAction } from "./actions.js";
import * as reading from "./reading.js";
import * as confirm from "./views/confirm.js";
import * as keymap from "./keymap.js";
import { remember, route } from "./router.js";
import { subscribe } from "./events.js";
import { applyTheme, applyReadingScale, loadPrefs } from "./prefs.js";
import * as outline from "./views/outline.js";
import * as problems from "./views/problems.js";
import * as help from "./views/help.js";
import * as search from "./views/search.js";
import * as find from "./views/find.js";
import * as highlights from "./views/highlights.js";
import * as author from "./views/author.js";

function onClick(e) {
  // A link the router follows (the outline's among them) leaves this place: keep it.
  if (e.target.closest('a[href^="#"]')) remember();
  const actor = e.target.closest("[data-action]");
  if (actor) {
    e.preventDefault();
    run(actor.dataset.action, { target: actor });
    return;
  }
  const a = e.target.closest("#view a");
  const action = a && linkAction(a);
  if (action) {
    e.preventDefault();
    run(...action);
  }
}

/** Keys, clicks and the location, heard once the course is open: until then no view
 *  has anything to act on (a big course takes seconds to read; the page says so). */
function listen() {
  keymap.listen(run, confirm.isOpen); // the confirmation dialog's own keys only
  document.addEventListener("click", onClick);
  highlights.watch(); // the highlight toolbar follows the selection
  // Controls of a view (Settings) name the action their change runs.
  $("view").addEventListener("change", (e) => {
    const c = e.target.closest("[data-change]");
    if (c) run(c.dataset.change, { value: c.value });
  });
  // An entry holding a state was left before: this is Back or Forward arriving there.
  window.addEventListener("hashchange", () => route(history.state));
}

async function start() {
  applyTheme();
  applyReadingScale();
  help.draw();
  search.init();
  find.init();
  $("theme-select").addEventListener("change", (e) => run("setTheme", { pref: e.target.value }));
  // The preferences load while the events are subscribed and the first page's data
  // asked for: one `boot` answer (after subscribing, so no watcher report is missed)
  // instead of five requests one after another.
  const prefsLoaded = Promise.all([loadPrefs(), author.load()]);
  await subscribe();
  let boot;
  try {
    boot = await api.boot();
  } catch (e) {
    $("view").removeAttribute("aria-busy");
    $("view").replaceChildren(
      el("div", { class: "error-card" }, el("h1", { text: "Lectern could not open this course" }), el("p", { text: e.message }))
    );
    return;
  }
  listen();
  if (boot.watch) run("watchStatus", boot.watch);
  state.status = boot.status;
  showNotice(state.status && state.status.notice);
  reading.watch(() => run("progressChanged"));
  setOutline(boot.outline);
  state.progress = boot.progress;
  state.bootRecent = boot.recent;
  await prefsLoaded;
  problems.draw();
  await route();
  $("view").removeAttribute("aria-busy");
  state.bootRecent = null; // opened on another page: the course page asks afresh
  // The page first, then the outline: a link per lesson (10,000 in a big course) is
  // drawn once the page is on screen, and the window is ready when both are.
  await painted();
  orElse(api.startupPainted(firstContentfulPaint()));
  outline.draw();
  document.body.dataset.ready = "true";
  // A parameter fit when enough new answers came since the last (the core decides; it
  // runs off the window's thread and answers are recorded meanwhile).
  orElse(api.optimizeReview(true));
  // The outline is up; the full check (every lesson rendered) fills the problems in.
  await run("checkProblems");
}

/** Resolves once what was drawn is on screen: the frame with it starts in the first
 *  animation frame; the second starts once it was handed to the compositor. (The
 *  start-up trace's `course-painted` is reported then.) */
function painted() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

/** The webview's first contentful paint in Unix ms, if it knows it. */
function firstContentfulPaint() {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return fcp ? performance.timeOrigin + fcp.startTime : null;
}

/** Says once, at start, what became of the progress database (moved aside, read-only,
 *  newer): a notice above the view, announced, that the learner dismisses. */
function showNotice(notice) {
  if (!notice) return;
  const box = $("notice");
  box.dataset.code = notice.code;
  box.replaceChildren(
    el("p", { class: "notice-text", text: notice.message }),
    el("button", { type: "button", class: "button", "data-action": "dismissNotice", text: "Dismiss" })
  );
  box.hidden = false;
}

start();
