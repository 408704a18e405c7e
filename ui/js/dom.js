// Small DOM helpers shared by every view: building elements, plurals and durations,
// the toast, the screen-reader announcer, and the two places an error from the core
// becomes a toast: `guard` (an action fails) and `orElse` (a view goes on without an
// answer). Both branch on the error's `code`, never on its text.

export const $ = (id) => document.getElementById(id);

/** Builds an element. `text` sets textContent: lesson text never becomes markup. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false || c === "") continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** "1 lesson", "3 lessons". */
export function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** When a review card comes back, from the core's `Scheduled`: "Next review in 3 days
 *  (Friday, March 6)." */
export function scheduledText(s) {
  const days = Math.max(1, Math.round(s.interval_days));
  const date = new Date(s.due).toLocaleDateString(undefined, { weekday: "long", month: "long", day: "numeric" });
  return `Next review in ${plural(days, "day")} (${date}).`;
}

/** "45 min", "2 h 15 min"; nothing at all when the duration is unknown or zero. */
export function minutes(m) {
  if (!m) return "";
  const h = Math.floor(m / 60);
  const r = m % 60;
  if (h === 0) return `${r} min`;
  return r === 0 ? `${h} h` : `${h} h ${r} min`;
}

let toastTimer = 0;
export function toast(text) {
  const t = $("toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 4000);
}

/** Says `text` to screen readers (a polite live region), without showing it. */
export function announce(text) {
  const a = $("announcer");
  a.textContent = "";
  // A fresh text node after a tick is announced even when the text repeats.
  setTimeout(() => (a.textContent = text), 50);
}

/** When focus went with the old page (a quiz button, a link), it restarts at the top of
 *  the reading area, so the next Tab goes into the new view. */
export function keepFocus() {
  const active = document.activeElement;
  if (!active || active === document.body) $("main").focus({ preventScroll: true });
}

/** What an error says: the core's `message`, else the error itself. */
function messageOf(e) {
  return e && e.message ? e.message : String(e);
}

/** Runs `work`; an error becomes a toast with its message (the action's one catch). */
export async function guard(work) {
  try {
    return await work();
  } catch (e) {
    toast(messageOf(e));
    return undefined;
  }
}

/** The codes that mean progress is not being saved in this session: no database could
 *  be opened (`progress-unavailable`: a newer Lectern's file) or it is read-only. The
 *  start-up notice said so once, so what cannot be saved or read is then left quietly. */
const NOT_SAVED = new Set(["progress-unavailable", "progress-read-only"]);

/** Whether error `e` (`{ code, message }`) means progress is not being saved. */
export function notSaved(e) {
  return Boolean(e) && NOT_SAVED.has(e.code);
}

/** The value of `promise`, or `fallback` when it fails: quietly when progress is not
 *  being saved (`notSaved`), else after a toast with the error's message (a locked or
 *  damaged database, a full disk… is said as what it is, never as "no database"). */
export async function orElse(promise, fallback) {
  try {
    return await promise;
  } catch (e) {
    if (!notSaved(e)) toast(messageOf(e));
    return fallback;
  }
}
