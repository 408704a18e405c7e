// The live preview's panel at the top of the lesson (live.js decides when): the errors
// of the open lesson's file over its last good render, or the notice that the file is
// gone. It sits in the lesson's column, so it never covers "On this page"; it follows
// the reading while it is on screen but folds to its one-line head while the quiz is
// on screen, so it never covers the quiz being fixed; and the author can fold it to that
// line for good ("Hide details", remembered).

import { $, el, plural } from "../dom.js";
import { livePanelFolded, setLivePanelFolded } from "../prefs.js";

/** The panel listing `problems` of `file` (`{ id, path }`). */
export function errors(file, problems) {
  const count = problems.filter((d) => d.severity === "error").length;
  return el(
    "section",
    { class: "live-panel live-errors", id: "live-panel", "aria-labelledby": "live-panel-title" },
    el(
      "div",
      { class: "live-panel-head" },
      el("h2", { id: "live-panel-title", text: `${plural(count, "error")} in ${file.path}: showing the last version that worked` }),
      el(
        "span",
        { class: "live-panel-actions" },
        el("button", { type: "button", class: "button live-fold", "data-action": "foldLivePanel", "aria-controls": "live-diags", "aria-expanded": "true", text: "Hide details" }),
        editButton(file.path, problems[0].line)
      )
    ),
    el("ul", { class: "live-diags", id: "live-diags" }, ...problems.map(diagnostic))
  );
}

/** The notice that the open lesson's file was removed. */
export function removed(file) {
  return el(
    "section",
    { class: "live-panel live-removed", id: "live-panel", "aria-labelledby": "live-panel-title" },
    el("h2", { id: "live-panel-title", text: "This lesson is no longer in the course" }),
    el("p", { text: `Its file ${file.path} was removed or renamed. This is the last version shown; your progress in it is kept.` })
  );
}

function diagnostic(d) {
  const loc = `${d.path}:${d.line}:${d.column}`;
  const caret = d.source === null ? null : `${" ".repeat(Math.max(0, d.source_column - 1))}^`;
  return el(
    "li",
    { class: `diag diag-${d.severity}`, "data-code": d.code, "data-line": d.line },
    el("span", { class: "diag-sev", text: d.severity }),
    el("button", { type: "button", class: "diag-loc link-button", "data-action": "editAt", "data-path": d.path, "data-line": d.line, title: "Open in your editor at this line", text: loc }),
    el("span", { class: "diag-code", text: `[${d.code}]` }),
    el("span", { class: "diag-msg", text: d.message }),
    d.source === null
      ? null
      : el("pre", { class: "diag-source" }, el("code", { text: d.source }), "\n", el("span", { class: "diag-caret", "aria-hidden": "true", text: caret }))
  );
}

function editButton(path, line) {
  return el("button", { type: "button", class: "button", "data-action": "editAt", "data-path": path, "data-line": line, text: "Edit" });
}

/** Runs `change` (which changes the panel's height) without moving what is read. */
function steady(panel, change) {
  const main = $("main");
  const next = panel.nextElementSibling;
  const before = next ? next.getBoundingClientRect().top : 0;
  change();
  if (next) main.scrollTop += next.getBoundingClientRect().top - before;
}

/** Shows the panel folded (its head only) or whole: `folded` by the author's choice,
 *  `compact` while the quiz is on screen. */
function apply(panel) {
  const list = panel.querySelector(".live-diags");
  if (!list) return;
  const folded = livePanelFolded();
  const quiz = $("quiz");
  const box = $("main").getBoundingClientRect();
  const r = quiz && quiz.getBoundingClientRect();
  const compact = Boolean(r && r.top < box.bottom && r.bottom > box.top);
  const hidden = folded || compact;
  if (list.hidden !== hidden) steady(panel, () => (list.hidden = hidden));
  panel.classList.toggle("folded", hidden);
  const fold = panel.querySelector(".live-fold");
  fold.setAttribute("aria-expanded", String(!hidden));
  fold.textContent = hidden ? "Show details" : "Hide details";
  // Focus moved by the keyboard or a jump lands below the panel, not under it.
  $("main").style.scrollPaddingTop = `${panel.offsetHeight + 16}px`;
}

/** Called once `panel` is in the page: folds it as remembered and keeps it off the
 *  quiz while the lesson scrolls (until the panel goes). */
export function placed(panel) {
  const main = $("main");
  let frame = 0;
  const follow = () => {
    frame = 0;
    if (!panel.isConnected) {
      main.removeEventListener("scroll", onScroll);
      if (!$("live-panel")) main.style.scrollPaddingTop = "";
      return;
    }
    apply(panel);
  };
  const onScroll = () => {
    if (!frame) frame = requestAnimationFrame(follow);
  };
  main.addEventListener("scroll", onScroll, { passive: true });
  apply(panel);
}

/** "Hide details" / "Show details": folds the panel to its line, or unfolds it (and
 *  remembers which). While the quiz is on screen the details show above the lesson. */
export function toggleFold() {
  const panel = $("live-panel");
  if (!panel || !panel.querySelector(".live-diags")) return;
  const unfold = panel.classList.contains("folded");
  setLivePanelFolded(!unfold);
  apply(panel);
  if (unfold && panel.querySelector(".live-diags").hidden) {
    // Folded because the quiz is on screen: show the details where they are.
    steady(panel, () => (panel.querySelector(".live-diags").hidden = false));
    panel.classList.remove("folded");
    panel.querySelector(".live-fold").setAttribute("aria-expanded", "true");
    panel.querySelector(".live-fold").textContent = "Hide details";
  }
}
