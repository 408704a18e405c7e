// Live preview: what a save on disk does to the window (the shell's `course://changed`
// and `watch://status`, through events.js and the action table).
//
// - The open lesson is drawn again in place, and the heading nearest the top of the
//   reading area stays where it was on screen (no scroll jump).
// - When its file has errors (broken front matter or body), the last good render
//   stays and a panel at its top lists each diagnostic with its source line
//   (views/livepanel.js); it goes once the file is fixed. A lesson removed from the
//   course gets a notice instead.
// - The quiz being answered is kept when its question ids are unchanged.

import { $, announce, toast } from "./dom.js";
import { state, setOutline, lessonById } from "./state.js";
import { api } from "./api.js";
import { go, lessonHref } from "./router.js";
import * as lesson from "./views/lesson.js";
import * as outline from "./views/outline.js";
import * as livePanel from "./views/livepanel.js";
import * as author from "./views/author.js";

/** `course://changed`: `{changed, removed, files, rescanned, outline?, problems}`. */
export async function changed(p) {
  const file = openFile();
  if (p.outline) {
    const report = state.report; // the Problems are fetched again by the caller
    setOutline(p.outline);
    state.report = report;
    outline.draw();
  }
  if (!file) return;
  const touched = p.rescanned || p.files.includes(file.path) || p.changed.includes(file.id) || p.removed.includes(file.id);
  if (touched) await refreshSoon(file);
}

// One save often arrives as several events: while a refresh runs, later ones are
// folded into one more refresh after it.
let running = null;
let pending = null;

async function refreshSoon(file) {
  pending = file;
  if (running) return running;
  running = (async () => {
    while (pending) {
      const next = pending;
      pending = null;
      await refresh(next);
    }
  })();
  try {
    await running;
  } finally {
    running = null;
  }
  return undefined;
}

/** What the drawn page shows (its quiz by question ids: attempts differ in order). */
let shown = null;
const signature = (page) => JSON.stringify({ ...page, quiz: page.quiz && page.quiz.questions.map((q) => q.id) });

/** The open lesson and its file, remembered while the lesson is broken or removed. */
function openFile() {
  if (!state.current) return null;
  const l = lessonById(state.current);
  if (l) state.openFile = { id: l.id, path: l.path };
  return state.openFile && state.openFile.id === state.current ? state.openFile : null;
}

async function refresh(file) {
  const problems = await api.fileProblems(file.path);
  if (state.current !== file.id) return;
  if (problems.some((d) => d.severity === "error")) return showPanel(livePanel.errors(file, problems));
  if (!lessonById(file.id)) {
    const moved = state.outline.sections.flatMap((s) => s.lessons).find((l) => l.path === file.path);
    if (moved) return go(lessonHref(moved.id)); // its id changed: follow it
    lesson.retire();
    return showPanel(livePanel.removed(file));
  }
  const page = await api.openLesson(file.id);
  if (state.current !== file.id) return undefined;
  const sig = signature(page);
  const drawn = document.querySelector(`#view article.lesson[data-lesson="${CSS.escape(file.id)}"]`);
  if (shown && shown.node === drawn && shown.sig === sig && !$("live-panel")) return undefined; // nothing new
  const before = state.page;
  if (!state.author) keepPosition(() => lesson.draw(page, keptQuiz(page.quiz)));
  else {
    lesson.draw(page, keptQuiz(page.quiz));
    if (!author.followEdit(before, page)) keepPosition(() => {});
  }
  shown = { node: document.querySelector("#view article.lesson"), sig };
  announce("Lesson updated");
  return undefined;
}

/** The heading nearest the top of the reading area, and where it is on screen. */
function readingAnchor() {
  const top = $("main").getBoundingClientRect().top;
  let best = null;
  for (const h of document.querySelectorAll("#view article.lesson :is(h1, h2, h3, h4, h5, h6)[id]")) {
    const offset = h.getBoundingClientRect().top - top;
    if (!best || Math.abs(offset) < Math.abs(best.offset)) best = { id: h.id, offset };
  }
  return best;
}

/** Runs `change` (which redraws part of the page) and puts the reading position back. */
export function keepPosition(change) {
  const main = $("main");
  const anchor = readingAnchor();
  const scroll = main.scrollTop;
  const active = document.activeElement;
  change();
  let target = scroll;
  const h = anchor && document.getElementById(anchor.id);
  if (h) target = scroll + (h.getBoundingClientRect().top - main.getBoundingClientRect().top) - anchor.offset;
  main.scrollTo({ top: target, behavior: "instant" });
  if (active && active.isConnected && active !== document.activeElement) active.focus({ preventScroll: true });
}

/** The quiz on screen, when the new page's questions are the same ones (by id). */
function keptQuiz(attempt) {
  const node = $("quiz");
  const q = state.quiz;
  // Questions drawn inside the body (`{{#quiz}}` blocks) go with the old body: redraw.
  if (!attempt || !node || !q || attempt.questions.some((x) => x.block !== null)) return null;
  const fresh = attempt.questions.map((x) => x.id).sort().join(" ");
  return fresh === [...q.all].sort().join(" ") ? node : null;
}

function showPanel(panel) {
  const old = $("live-panel");
  if (old && old.isEqualNode(panel)) return; // the same problems again
  keepPosition(() => {
    if (old) old.replaceWith(panel);
    else (document.querySelector("#view article.lesson") || $("view")).prepend(panel);
    livePanel.placed(panel);
  });
  announce(panel.querySelector("h2").textContent);
}

/** The open lesson's file and the line of its first problem shown, or null (no file,
 *  or no problem: then Edit opens at the heading in view). */
export function editTarget() {
  const file = openFile();
  const first = document.querySelector("#live-panel .diag");
  return file && first ? { path: file.path, line: Number(first.dataset.line) } : null;
}

const WATCH_TEXT = {
  polling: "Watching the folder by polling: saves may take a moment to show.",
  "folder-missing": "The lessons folder is missing; waiting for it to come back.",
  stopped: "Saves are not followed: the folder could not be watched (press F5 to reload).",
  "read-only": "Opened from a .lectern file: a read-only copy, so Edit and the live preview are off.",
};

/** `watch://status`: `{status, reason}`; only the unusual ones are shown. */
export function watchStatus({ status, reason }) {
  const box = $("watch-status");
  const text = WATCH_TEXT[status];
  box.hidden = !text;
  box.textContent = text || "";
  box.title = reason || "";
  if (text) toast(text);
}
