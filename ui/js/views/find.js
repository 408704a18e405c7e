// Find in the page (Ctrl+F; the webview has no find bar): in the open lesson's body, or
// in the view on screen (course page, dashboard, review, settings). Matches are wrapped
// in <mark> through marks.js, which clears the search palette's marks first; Enter /
// Shift+Enter move, Escape closes and removes the marks (keys of the keymap's `find`
// scope). Leaving the view closes the bar.

import { $, guard } from "../dom.js";
import { markOnly, unmark } from "../marks.js";

const CLS = "find-hit";
let marks = [];
let current = -1;
let timer = null;

/** Where find looks: the lesson's body, else the whole view. */
const bodyOf = () => $("lesson-body") || $("view");

export function open() {
  if (!bodyOf()) return;
  const bar = $("find");
  const where = $("lesson-body") ? "lesson" : "page";
  bar.setAttribute("aria-label", `Find in this ${where}`);
  bar.querySelector("label").textContent = `Find in ${where}`;
  bar.hidden = false;
  const input = $("find-input");
  input.select();
  input.focus();
  if (input.value) update();
}

export function close() {
  const bar = $("find");
  if (bar.hidden) return;
  clearTimeout(timer);
  timer = null;
  unmark(bodyOf(), CLS);
  marks = [];
  current = -1;
  bar.hidden = true;
  $("find-count").textContent = "";
  const main = $("main");
  if (main) main.focus({ preventScroll: true });
}

function update() {
  unmark(bodyOf(), CLS);
  const text = $("find-input").value;
  marks = markOnly(bodyOf(), text ? [text] : [], CLS);
  current = marks.length ? 0 : -1;
  show();
}

function show() {
  marks.forEach((m, i) => m.classList.toggle("current", i === current));
  const count = $("find-count");
  if (!$("find-input").value) count.textContent = "";
  else if (marks.length === 0) count.textContent = "No matches";
  else {
    count.textContent = `${current + 1} of ${marks.length}`;
    marks[current].scrollIntoView({ block: "center", behavior: "instant" });
  }
}

/** Moves to the next (`by` 1) or previous (-1) match, wrapping around (the keymap's
 *  Enter and Shift+Enter in the box). A search still waiting for the typing to pause
 *  runs first: Enter moves on from the first match of what is in the field, never from
 *  a shorter query's marks (which the late search would then reset). */
export function step(by) {
  if (timer !== null) flush();
  if (marks.length) {
    current = (current + by + marks.length) % marks.length;
    show();
  }
}

function flush() {
  clearTimeout(timer);
  timer = null;
  update();
}

/** Wires the find bar once at start (its keys are the keymap's `find` scope). */
export function init() {
  const input = $("find-input");
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => guard(flush), 80);
  });
}
