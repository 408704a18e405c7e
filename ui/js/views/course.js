// The course page: title, description, size, the learner's progress (overall and per
// section), Continue where you left off (or Start), each section's lessons with their
// state, and the courses studied recently.

import { $, el, keepFocus, minutes, orElse, plural } from "../dom.js";
import { state, progressOf, lessonById } from "../state.js";
import { api, setWindowTitle } from "../api.js";
import { lessonHref, practiceHref } from "../router.js";
import { bar, doneText, stateIcon, stateText, studyLinks } from "./progress.js";
import * as outline from "./outline.js";
import { leave } from "./lesson.js";

export async function show() {
  const ticket = leave();
  let recent = state.bootRecent;
  state.bootRecent = null;
  if (!recent) recent = await orElse(api.recentCourses(), []); // no database: none
  if (ticket !== state.navTicket) return;
  const o = state.outline;
  budget = CHIPS_AT_ONCE;
  $("view").replaceChildren(
    el(
      "article",
      { class: "course-home", "aria-labelledby": "course-home-title" },
      el("h1", { id: "course-home-title", text: o.title }),
      o.description ? el("p", { class: "lede", text: o.description }) : null,
      el(
        "p",
        { class: "course-stats" },
        `${plural(state.order.length, "lesson")} in ${plural(o.sections.length, "section")}`,
        o.total_minutes ? ` · about ${minutes(o.total_minutes)} of study` : ""
      ),
      overview(),
      el("ol", { class: "home-sections" }, ...o.sections.map(section)),
      recentList(recent)
    )
  );
  $("crumbs").textContent = o.title;
  document.title = `${o.title} — Lectern`;
  setWindowTitle(document.title);
  outline.markCurrent();
  $("main").scrollTop = 0;
  keepFocus();
}

/** Progress so far and the way in: Continue where you left off, or Start. */
function overview() {
  const p = state.progress;
  const first = state.order[0];
  if (!first) return el("p", { text: "This folder has no lessons yet. Add a Markdown file to begin." });
  const resume = p && p.resume && lessonById(p.resume.lesson);
  const go = resume
    ? el(
        "button",
        { type: "button", class: "button primary continue", id: "continue", "data-action": "continueLesson" },
        el("span", { text: "Continue where you left off" }),
        el("small", { text: resume.title })
      )
    : el("a", { class: "button primary", id: "start", href: lessonHref(first), text: "Start the course" });
  return el(
    "section",
    { class: "home-progress", "aria-labelledby": "home-progress-title" },
    el("h2", { id: "home-progress-title", class: "visually-hidden", text: "Your progress" }),
    p ? el("p", { class: "home-progress-line", text: doneText(p.completed, p.total) }) : null,
    p ? bar(p.completed, p.total, `Course progress: ${doneText(p.completed, p.total)}`, "pbar-wide") : null,
    go,
    studyLinks(p, "home")
  );
}

function section(s) {
  const total = s.lessons.reduce((a, l) => a + (l.duration_minutes || 0), 0);
  const titleId = `home-section-${s.id || "none"}`;
  const sp = state.progress && state.progress.sections.find((x) => x.id === s.id);
  return el(
    "li",
    {},
    el("h2", { id: titleId, text: s.title }),
    el("p", { class: "muted" }, plural(s.lessons.length, "lesson"), total ? ` · ${minutes(total)}` : ""),
    sp ? bar(sp.completed, sp.total, `${s.title}: ${doneText(sp.completed, sp.total)}`) : null,
    chips(s.lessons, titleId),
    s.id ? el("p", { class: "home-practice" }, el("a", { href: practiceHref(s.id), class: "practice-link", "data-action": "practiseScope", "data-scope": s.id, "aria-label": `Practise this section: ${s.title}`, text: "Practise this section" })) : null
  );
}

/** Chips drawn at once on the whole page: a big course (10,000 lessons) would take
 *  seconds to draw a chip per lesson before the page shows. */
const CHIPS_AT_ONCE = 240;
/** Chips a section shows before "and N more" when the course is big. */
const CHIPS_PER_SECTION = 24;
/** Chips the page being drawn may still show at once (reset by `show`). */
let budget = CHIPS_AT_ONCE;

/** A section's lesson chips. In a course of more than CHIPS_AT_ONCE lessons each
 *  section shows its first few (none once the page has shown CHIPS_AT_ONCE); the rest
 *  are in a disclosure ("and N more lessons") drawn when first opened, so keyboard and
 *  screen-reader users reach every lesson. */
function chips(lessons, titleId) {
  const list = (ls) => el("ul", { class: "home-lessons", "aria-labelledby": titleId }, ...ls.map(lessonChip));
  if (state.order.length <= CHIPS_AT_ONCE) return list(lessons);
  const shown = Math.min(CHIPS_PER_SECTION, budget, lessons.length);
  budget -= shown;
  if (shown === lessons.length) return list(lessons);
  const rest = lessons.slice(shown);
  const label = shown ? `and ${plural(rest.length, "more lesson")}` : `Show ${plural(rest.length, "lesson")}`;
  const more = el("details", { class: "home-more" }, el("summary", { text: label }));
  more.addEventListener("toggle", () => {
    if (more.open && more.children.length === 1) more.append(list(rest));
  });
  return el("div", {}, shown ? list(lessons.slice(0, shown)) : null, more);
}

function lessonChip(l) {
  const lp = progressOf(l.id);
  return el(
    "li",
    {},
    el(
      "a",
      { href: lessonHref(l.id), "data-state": lp ? lp.state : "not-started" },
      el("span", { class: "chip-icon", "aria-hidden": "true", text: stateIcon(lp) }),
      l.title,
      el("span", { class: "visually-hidden", text: `, ${stateText(lp)}` })
    )
  );
}

/** The courses studied before (not the open one); a folder that is gone says so. */
function recentList(recent) {
  const others = recent.filter((c) => !c.open);
  if (!others.length) return null;
  return el(
    "section",
    { class: "recent", "aria-labelledby": "recent-title" },
    el("h2", { id: "recent-title", text: "Recent courses" }),
    el(
      "ul",
      { class: "recent-list" },
      ...others.map((c) =>
        el(
          "li",
          {},
          c.exists
            ? el("button", { type: "button", class: "recent-open", "data-action": "openRecent", "data-root": c.root }, el("span", { class: "recent-title", text: c.title }), el("small", { class: "recent-root", text: c.root }))
            : el("div", { class: "recent-gone" }, el("span", { class: "recent-title", text: c.title }), el("small", { text: `Folder not found: ${c.root}` }))
        )
      )
    )
  );
}
