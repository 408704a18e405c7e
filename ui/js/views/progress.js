// How progress is shown wherever it appears (outline, course page, lesson header):
// labelled progress bars and the words for a lesson's state, written once.

import { el } from "../dom.js";

const STATE_WORDS = { "not-started": "not started", "in-progress": "in progress", completed: "completed" };
const STATE_ICONS = { "not-started": "○", "in-progress": "◐", completed: "✓" };

/** "completed, best score 2 of 3": what a screen reader hears after a lesson's title. */
export function stateText(lp) {
  if (!lp) return STATE_WORDS["not-started"];
  const parts = [STATE_WORDS[lp.state] || lp.state];
  if (lp.best) parts.push(`best score ${lp.best.right} of ${lp.best.total}`);
  return parts.join(", ");
}

/** The icon of a lesson's state (decorative: the words are beside it). */
export function stateIcon(lp) {
  return STATE_ICONS[(lp && lp.state) || "not-started"];
}

/** "2/3", the visible best score, or "". */
export function scoreText(lp) {
  return lp && lp.best ? `${lp.best.right}/${lp.best.total}` : "";
}

/** A labelled bar: `label` names it for screen readers ("Foundations: 1 of 3 lessons
 *  completed"); the figures are also visible beside it. */
export function bar(done, total, label, cls = "") {
  return el(
    "div",
    { class: `pbar ${cls}`.trim() },
    el("progress", { value: String(done), max: String(Math.max(total, 1)), "aria-label": label }),
    el("span", { class: "pbar-text", "aria-hidden": "true", text: `${done}/${total}` })
  );
}

/** "1 of 3 lessons completed". */
export function doneText(done, total) {
  return `${done} of ${total} lesson${total === 1 ? "" : "s"} completed`;
}

/** "12 min" of active reading time, or "" under a minute. */
export function activeText(ms) {
  const m = Math.floor((ms || 0) / 60000);
  if (m < 1) return "";
  return m < 60 ? `${m} min read` : `${Math.floor(m / 60)} h ${m % 60} min read`;
}

/** The ways into review and the dashboard: "Review · 12 due" and "Dashboard" (the
 *  sidebar and the course page); `prefix` keeps their ids distinct. */
export function studyLinks(p, prefix) {
  const due = (p && p.review_due) || 0;
  return el(
    "p",
    { class: "study-links" },
    el("a", { href: "#review", id: `${prefix}-review`, class: due ? "has-due" : "", title: "Review (R)", text: due ? `Review · ${due} due` : "Review" }),
    el("a", { href: "#dashboard", id: `${prefix}-dashboard`, title: "Dashboard (D)", text: "Dashboard" })
  );
}
