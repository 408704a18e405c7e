// What only the window can see, reported to the core: the reading position in the open
// lesson (the heading nearest the top of the view plus the offset below it, and whether
// the end was reached; debounced) and active reading time (counted only while the
// window has focus and the learner pressed a key, scrolled or used the pointer in the
// last minute).

import { $, orElse } from "./dom.js";
import { state } from "./state.js";
import { api } from "./api.js";

const DEBOUNCE_MS = 400;
const IDLE_MS = 60000;
const TICK_MS = 5000;
const FLUSH_MS = 15000;

let lesson = null;
let timer = 0;
let lastActive = Date.now();
let lastTick = Date.now();
let pending = 0;
let onChange = () => {};

/** Starts watching: `changed` runs when a report may have changed the progress. */
export function watch(changed) {
  onChange = changed;
  const active = () => (lastActive = Date.now());
  // Any key counts as activity (reading time); what a key does is the keymap's.
  const activity = ["keydown", "pointerdown", "pointermove", "wheel"]; // tidy-allow: keys-only-in-keymap-js
  for (const type of activity) document.addEventListener(type, active, { capture: true, passive: true });
  $("main").addEventListener("scroll", () => {
    active();
    schedule();
  }, { passive: true });
  window.addEventListener("blur", () => flush());
  setInterval(tick, TICK_MS);
}

/** A lesson was drawn: reports it opened, after the time counted for the previous one. */
export async function opened(id) {
  await flush();
  lesson = id;
  lastTick = Date.now();
  const saved = await orElse(api.lessonOpened(id).then(() => true), false);
  if (saved) onChange(); // a lesson opened for the first time is now in progress
}

/** The course page or another view: stop counting for the lesson. */
export function closed() {
  flush();
  lesson = null;
}

function tick() {
  const now = Date.now();
  const span = Math.min(now - lastTick, TICK_MS);
  lastTick = now;
  if (lesson && state.current === lesson && document.hasFocus() && now - lastActive < IDLE_MS) pending += span;
  if (pending >= FLUSH_MS) flush();
}

async function flush() {
  const ms = pending;
  pending = 0;
  if (lesson && ms > 0) await orElse(api.recordActiveTime(lesson, ms));
}

function schedule() {
  clearTimeout(timer);
  if (!state.current) return;
  const id = state.current;
  timer = setTimeout(() => report(id), DEBOUNCE_MS);
}

async function report(id) {
  if (state.current !== id) return;
  const position = where();
  const saved = await orElse(api.recordPosition(id, position).then(() => true), false);
  if (saved && position.at_end) onChange();
}

const HEADINGS = "#lesson-body :is(h1, h2, h3, h4, h5, h6)[id], #quiz-title";

/** Where heading `h` is, in the main column's scroll coordinates. */
function topOf(h) {
  const main = $("main");
  return h.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop;
}

/** The reading position now: { anchor, offset, at_end }. */
export function where() {
  const main = $("main");
  const top = main.scrollTop;
  let anchor = null;
  for (const h of document.querySelectorAll(HEADINGS)) {
    if (topOf(h) <= top + 1) anchor = h;
    else break;
  }
  const base = anchor ? topOf(anchor) : 0;
  return {
    anchor: anchor ? anchor.id : "",
    offset: Math.max(0, Math.round((top - base) * 10) / 10),
    at_end: top + main.clientHeight >= main.scrollHeight - 4,
  };
}

/** Scrolls the open lesson back to a saved position (the heading, then the offset). */
export function restore(position) {
  const main = $("main");
  const h = position.anchor ? document.getElementById(position.anchor) : null;
  const base = h ? topOf(h) : 0;
  main.scrollTo({ top: base + position.offset, behavior: "instant" });
}
