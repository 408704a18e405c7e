// The lesson page: header, the lesson's own problems, the core's sanitized body (made
// keyboard-reachable where it scrolls), the quiz, previous/next, and the contents.

import { $, el, minutes, plural, toast } from "../dom.js";
import { state, lessonById, progressOf } from "../state.js";
import { api, setWindowTitle } from "../api.js";
import { markOnly } from "../marks.js";
import * as find from "./find.js";
import { lessonHref } from "../router.js";
import * as outline from "./outline.js";
import * as toc from "./toc.js";
import * as quiz from "./quiz.js";
import { diagnosticList } from "./problems.js";
import { activeText, stateText } from "./progress.js";
import * as reading from "../reading.js";
import * as wide from "./wide.js";
import * as highlights from "./highlights.js";
import * as author from "./author.js";

/** Leaves the open lesson for another view (course page, settings, review, dashboard):
 *  its reading position is flushed, the contents tracker stops, and a new navigation
 *  ticket makes any lesson still loading drop its answer. Returns that ticket. */
export function leave() {
  const ticket = (state.navTicket += 1);
  state.current = null;
  state.quiz = null;
  toc.unwatch();
  reading.closed();
  find.close();
  highlights.closeToolbar();
  return ticket;
}

/** Opens lesson `id`, scrolled to `anchor` if given. `quiet`: draw it again without
 *  recording an opening (after Reset this lesson, which must leave it not started).
 *  Errors propagate to the caller. */
export async function show(id, anchor, { quiet = false } = {}) {
  if (!lessonById(id)) {
    toast(`No lesson “${id}” in this course`);
    location.hash = "";
    return;
  }
  // A later navigation may overtake this one while the core renders.
  const ticket = (state.navTicket += 1);
  const page = await api.openLesson(id);
  if (ticket !== state.navTicket) return;
  state.current = id;
  find.close();
  highlights.closeToolbar();
  draw(page);
  const marked = state.pendingHighlight;
  state.pendingHighlight = null;
  if (marked && marked.lesson === id) markOnly($("lesson-body"), marked.terms, "search-hit");
  const pending = state.pendingPosition;
  state.pendingPosition = null;
  if (pending && pending.lesson === id) reading.restore(pending.position);
  else if (anchor) scrollToAnchor(anchor);
  else $("main").scrollTo({ top: 0, behavior: "instant" });
  focusLesson();
  if (!quiet) await reading.opened(id);
}

/** Moves focus to the lesson just opened, as mdBook does, so PageDown and Space scroll
 *  it at once (from the outline too); a heading jumped to already holds focus. */
function focusLesson() {
  const main = $("main");
  if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
}

/** Draws `page` in the view. `quizNode`, when given, is shown instead of a fresh quiz
 *  (live preview keeps the quiz being answered). */
export function draw(page, quizNode) {
  const article = el(
    "article",
    { class: "lesson", "data-lesson": page.id, "aria-labelledby": "lesson-title" },
    header(page),
    lessonProblems(page.diagnostics),
    body(page.html),
    quizNode || (page.quiz ? quiz.draw(page.quiz) : null),
    navButtons(page.prev, page.next)
  );
  if (!page.quiz) state.quiz = null;
  if (page.quiz && !quizNode) quiz.placeBlocks(article);
  $("view").replaceChildren(el("div", { class: "reader" }, article, toc.draw(page.toc, article.querySelector("#quiz-title"))));
  $("crumbs").textContent = `${state.outline.title} › ${page.title}`;
  document.title = `${page.title} — ${state.outline.title} — Lectern`;
  setWindowTitle(document.title);
  outline.markCurrent();
  drawStatus();
  toc.watch();
  wide.measure();
  if (page.quiz && !quizNode) quiz.showHistory(page.id, page.quiz);
  highlights.load(page.id); // drawn again after every draw: a live re-render too
  state.page = page;
  if (state.author) author.decorate(page.id);
}

/** The lesson's state, score and time, and its Mark as complete button, from
 *  state.progress (redrawn whenever the progress changes). */
export function drawStatus() {
  const box = document.getElementById("lesson-status");
  if (!box || !state.current) return;
  const lp = progressOf(state.current);
  const text = [stateText(lp), activeText(lp && lp.active_ms)].filter(Boolean).join(" · ");
  box.querySelector(".status-text").textContent = text.charAt(0).toUpperCase() + text.slice(1);
  box.dataset.state = lp ? lp.state : "not-started";
  const mark = box.querySelector(".mark");
  const marked = Boolean(lp && lp.marked);
  mark.setAttribute("aria-pressed", String(marked));
  mark.textContent = marked ? "✓ Marked complete" : "Mark as complete";
}

function header(page) {
  const meta = [minutes(page.duration_minutes), page.type && page.type !== "lesson" ? page.type : ""].filter(Boolean);
  return el(
    "header",
    { class: "lesson-head" },
    page.section_title ? el("p", { class: "eyebrow", text: page.section_title }) : null,
    el(
      "div",
      { class: "lesson-title-row" },
      el("h1", { id: "lesson-title", text: page.title }),
      el("button", { type: "button", class: "button edit", "data-action": "editLesson", title: "Open the lesson's file in your editor (E)", text: "Edit" }),
      author.toggleButton()
    ),
    meta.length ? el("p", { class: "muted", text: meta.join(" · ") }) : null,
    el(
      "div",
      { class: "lesson-status", id: "lesson-status", role: "group", "aria-label": "Your progress in this lesson" },
      el("span", { class: "status-text" }),
      el("button", { type: "button", class: "button mark", "data-action": "toggleComplete", title: "Mark as complete (M)", "aria-pressed": "false", text: "Mark as complete" }),
      el("button", { type: "button", class: "button reset-lesson", "data-action": "resetLesson", title: "Reset this lesson (X)", text: "Reset this lesson" })
    )
  );
}

function lessonProblems(diagnostics) {
  if (!diagnostics || !diagnostics.length) return null;
  return el(
    "details",
    { class: "lesson-problems" },
    el("summary", { text: `${plural(diagnostics.length, "problem")} in this lesson` }),
    diagnosticList(diagnostics, { linkLessons: false })
  );
}

/** The core's sanitized HTML, its wide content made readable (views/wide.js). */
function body(html) {
  const node = el("div", { class: "lesson-body", id: "lesson-body" });
  node.innerHTML = html; // rendered and sanitized by the core
  wide.decorate(node);
  return node;
}

function navButtons(p, n) {
  const link = (l, cls, rel, label) =>
    l ? el("a", { class: `button ${cls}`, href: lessonHref(l.id), rel }, el("small", { text: label }), el("span", { text: l.title })) : el("span");
  return el(
    "nav",
    { class: "lesson-nav", "aria-label": "Previous and next lesson" },
    link(p, "nav-prev", "prev", "← Previous"),
    link(n, "nav-next", "next", "Next →")
  );
}

/** Scrolls to the element `id` of the page and gives it focus. */
export function scrollToAnchor(id) {
  const target = document.getElementById(id);
  if (!target) return;
  target.scrollIntoView({ block: "start" });
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: true });
}

/** The open lesson's file was removed: nothing is left to edit, mark or reset, so
 *  its buttons go (the page stays as the last version shown). */
export function retire() {
  const article = document.querySelector("#view article.lesson");
  if (!article) return;
  article.dataset.removed = "";
  for (const b of article.querySelectorAll(".lesson-head .edit, #lesson-status button")) b.remove();
}

/** Whether the lesson on screen is one whose file was removed. */
export function retired() {
  return Boolean(document.querySelector("#view article.lesson[data-removed]"));
}

/** The href of the previous or next lesson's button, if there is one. */
export function neighbour(which) {
  const a = document.querySelector(`.lesson-nav .nav-${which}`);
  return a ? a.getAttribute("href") : null;
}
