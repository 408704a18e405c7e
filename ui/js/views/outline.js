// The sidebar: the course's title and size, its overall progress, and its lessons by
// section (each with its progress bar) as plain lists of links with one tab stop
// (roving tabindex). Each link shows its lesson's state and best score, and says them
// in its accessible name. The current lesson is aria-current.

import { $, el, minutes, plural } from "../dom.js";
import { state, progressOf } from "../state.js";
import { lessonHref } from "../router.js";
import { bar, doneText, scoreText, stateIcon, stateText, studyLinks } from "./progress.js";

export function draw() {
  const o = state.outline;
  $("course-title").textContent = o.title;
  $("course-title").title = o.title; // cut to two lines in a narrow window
  $("course-meta").textContent = [plural(state.order.length, "lesson"), minutes(o.total_minutes)]
    .filter(Boolean)
    .join(" · ");
  $("outline").replaceChildren(...o.sections.map(section));
  markCurrent();
  drawProgress();
}

/** Puts the progress (state.progress) on the outline drawn, keeping focus where it is. */
export function drawProgress() {
  const p = state.progress;
  $("course-progress").replaceChildren(
    p ? bar(p.completed, p.total, `Course progress: ${doneText(p.completed, p.total)}`, "pbar-course") : "",
    studyLinks(p, "outline")
  );
  for (const a of links()) {
    const lp = progressOf(a.dataset.lesson);
    a.dataset.state = lp ? lp.state : "not-started";
    a.querySelector(".lesson-state-icon").textContent = stateIcon(lp);
    a.querySelector(".lesson-score").textContent = scoreText(lp);
    a.querySelector(".lesson-state").textContent = `, ${stateText(lp)}`;
  }
  for (const sec of document.querySelectorAll("#outline .outline-section")) {
    const sp = p && p.sections.find((x) => x.id === sec.dataset.section);
    const title = sec.querySelector(".section-title").textContent;
    sec.querySelector(".section-progress").replaceChildren(sp ? bar(sp.completed, sp.total, `${title}: ${doneText(sp.completed, sp.total)}`) : "");
  }
}

function section(s) {
  const titleId = `outline-section-${s.id || "none"}`;
  return el(
    "section",
    { class: "outline-section", "data-section": s.id, "aria-labelledby": titleId },
    el("h2", { class: "section-title", id: titleId, text: s.title }),
    el("div", { class: "section-progress" }),
    el(
      "ul",
      { class: "lesson-list" },
      ...s.lessons.map((l) =>
        el(
          "li",
          {},
          el(
            "a",
            { class: l.broken ? "lesson-link is-broken" : "lesson-link", href: lessonHref(l.id), "data-lesson": l.id, tabindex: "-1" },
            el("span", { class: "lesson-state-icon", "aria-hidden": "true" }),
            el("span", { class: "lesson-title", text: l.title }),
            // Its front matter could not be read: kept in place, marked; it opens on its error.
            l.broken ? el("span", { class: "lesson-broken", text: "broken" }) : null,
            el("span", { class: "lesson-state visually-hidden" }),
            el("span", { class: "lesson-score", "aria-hidden": "true" }),
            el("span", { class: "lesson-duration", text: minutes(l.duration_minutes) })
          )
        )
      )
    )
  );
}

export function links() {
  return Array.from(document.querySelectorAll("#outline .lesson-link"));
}

/** Marks the open lesson and makes it the outline's one tab stop. */
export function markCurrent() {
  const all = links();
  let stop = null;
  for (const a of all) {
    const on = a.dataset.lesson === state.current;
    a.classList.toggle("current", on);
    if (on) {
      a.setAttribute("aria-current", "page");
      stop = a;
    } else a.removeAttribute("aria-current");
    a.tabIndex = -1;
  }
  if (stop || all[0]) (stop || all[0]).tabIndex = 0;
}

/** Focuses the current lesson's link (or the first). */
export function focus() {
  const all = links();
  const target = all.find((a) => a.classList.contains("current")) || all[0];
  if (target) target.focus();
}

/** Moves focus in the outline: `to` is "next", "previous", "first" or "last". */
export function move(to) {
  const all = links();
  const i = all.indexOf(document.activeElement);
  if (i < 0) return;
  const j = { next: Math.min(i + 1, all.length - 1), previous: Math.max(i - 1, 0), first: 0, last: all.length - 1 }[to];
  all.forEach((a, k) => (a.tabIndex = k === j ? 0 : -1));
  all[j].focus();
}

/** The lesson id of the focused outline link, if one has focus. */
export function focusedLesson() {
  const a = document.activeElement;
  return a && a.matches("#outline .lesson-link") ? a.dataset.lesson : null;
}
