// The course page: title, description, size, a start button and each section's lessons.

import { $, el, keepFocus, minutes, plural } from "../dom.js";
import { state } from "../state.js";
import { lessonHref } from "../router.js";
import { setWindowTitle } from "../api.js";
import * as outline from "./outline.js";
import * as toc from "./toc.js";

export function show() {
  state.navTicket += 1;
  state.current = null;
  state.quiz = null;
  toc.unwatch();
  const o = state.outline;
  const first = state.order[0];
  $("view").replaceChildren(
    el(
      "article",
      { class: "course-home" },
      el("h1", { text: o.title }),
      o.description ? el("p", { class: "lede", text: o.description }) : null,
      el(
        "p",
        { class: "course-stats" },
        `${plural(state.order.length, "lesson")} in ${plural(o.sections.length, "section")}`,
        o.total_minutes ? ` · about ${minutes(o.total_minutes)} of study` : ""
      ),
      first
        ? el("a", { class: "button primary", href: lessonHref(first), text: "Start the course" })
        : el("p", { text: "This folder has no lessons yet. Add a Markdown file with front matter to begin." }),
      el("ol", { class: "home-sections" }, ...o.sections.map(section))
    )
  );
  $("crumbs").textContent = o.title;
  document.title = `${o.title} — Lectern`;
  setWindowTitle(document.title);
  outline.markCurrent();
  $("main").scrollTop = 0;
  keepFocus();
}

function section(s) {
  const total = s.lessons.reduce((a, l) => a + (l.duration_minutes || 0), 0);
  return el(
    "li",
    {},
    el("h2", { text: s.title }),
    el("p", { class: "muted" }, plural(s.lessons.length, "lesson"), total ? ` · ${minutes(total)}` : ""),
    el(
      "ul",
      { class: "home-lessons" },
      ...s.lessons.map((l) => el("li", {}, el("a", { href: lessonHref(l.id), text: l.title })))
    )
  );
}
