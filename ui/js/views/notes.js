// The notes view (#notes, key w): the learner's highlights, notes and bookmarks of the
// open course, grouped by lesson in course order, each a link that opens its lesson
// scrolled to it; the ones the core could not place on today's text are listed apart,
// with the text they marked and their note, never dropped. Placing is the core's
// (`course_notes`); notes are shown as the core renders them from Markdown (`note_html`,
// sanitized). A row of radio buttons filters the highlights by colour (keyboard: Tab
// to the group, arrows choose; "All" shows the bookmarks too); the choice lasts while
// the app is open.

import { $, el, keepFocus, notSaved, toast } from "../dom.js";
import { state } from "../state.js";
import { api, setWindowTitle } from "../api.js";
import { lessonHref } from "../router.js";
import * as outline from "./outline.js";
import { leave } from "./lesson.js";
import { COLORS } from "./highlights.js";

let shown = "all"; // the colour filter: "all" or one of COLORS

export async function show() {
  const ticket = leave();
  let lessons = [];
  let error = null;
  try {
    lessons = await api.courseNotes();
  } catch (e) {
    error = e;
  }
  if (ticket !== state.navTicket) return;
  $("view").replaceChildren(page(lessons, error));
  filter(shown);
  if (error && !notSaved(error)) toast(error.message);
  $("crumbs").textContent = `${state.outline.title} › Notes`;
  document.title = `Notes — ${state.outline.title} — Lectern`;
  setWindowTitle(document.title);
  outline.markCurrent();
  $("main").scrollTop = 0;
  keepFocus();
}

function page(lessons, error) {
  const placed = lessons
    .filter((l) => l.present)
    .map((l) => ({ ...l, notes: l.notes.filter((n) => n.place.state !== "detached") }))
    .filter((l) => l.notes.length);
  const detached = lessons.flatMap((l) => l.notes.filter((n) => n.place.state === "detached").map((n) => ({ l, n })));
  const empty = error
    ? `Your notes are not available: ${error.message}`
    : "No highlights, notes or bookmarks yet: select text in a lesson and press h, or press b to bookmark it.";
  return el(
    "article",
    { class: "notes-view", "aria-labelledby": "notes-title" },
    el("h1", { id: "notes-title", text: "Your notes" }),
    placed.length || detached.length ? colorFilter() : el("p", { class: "muted", text: empty }),
    ...placed.map(lessonSection),
    detached.length ? detachedSection(detached) : null
  );
}

function lessonSection(l) {
  return el(
    "section",
    { class: "notes-lesson", "aria-label": l.title },
    el("h2", { text: l.title }),
    el("ul", { class: "notes-list" }, ...l.notes.map((n) => item(l, n)))
  );
}

function item(l, n) {
  const text = n.place.text || n.quote;
  const bookmark = n.kind === "bookmark";
  return el(
    "li",
    { class: "note-item", "data-color": bookmark ? null : n.color || "yellow" },
    el(
      "a",
      {
        href: lessonHref(l.lesson, bookmark ? n.heading : null),
        class: bookmark ? "note-link" : `note-link hl hl-${n.color || "yellow"}`,
        "data-lesson": l.lesson,
        "data-anchor": bookmark ? n.heading : null,
        "data-note": bookmark ? null : n.id,
      },
      bookmark ? `Bookmark: ${text}` : text
    ),
    n.place.state === "edited" ? el("span", { class: "muted", text: " (the lesson's text was edited here)" }) : null,
    noteBody(n)
  );
}

/** The note, rendered from its Markdown and sanitized by the core (`note_html`). */
function noteBody(n) {
  if (!n.note_html) return null;
  const box = el("div", { class: "note-text" });
  box.innerHTML = n.note_html; // rendered and sanitized by the core
  return box;
}

function detachedSection(items) {
  return el(
    "section",
    { class: "notes-detached", "aria-labelledby": "notes-detached-title" },
    el("h2", { id: "notes-detached-title", text: "Could not place" }),
    el("p", { class: "muted", text: "The text these marked is no longer in the lesson (or the lesson is gone). They are kept here as they were." }),
    el(
      "ul",
      { class: "notes-list" },
      ...items.map(({ l, n }) =>
        el("li", { class: "note-item", "data-color": n.kind === "bookmark" ? null : n.color || "yellow" }, el("blockquote", { text: n.quote }), el("p", { class: "muted", text: `From “${l.title}”` }), noteBody(n))
      )
    )
  );
}

/** The colour filter: a radio group, "All" then each highlight colour. */
function colorFilter() {
  const choice = (value, label) =>
    el(
      "label",
      { class: `notes-filter-choice${value === "all" ? "" : ` hl hl-${value}`}` },
      el("input", { type: "radio", name: "notes-color", value, "data-change": "notesColor", checked: value === shown }),
      ` ${label}`
    );
  const name = (c) => c[0].toUpperCase() + c.slice(1);
  return el(
    "fieldset",
    { class: "notes-filter", id: "notes-filter" },
    el("legend", { text: "Show highlights" }),
    choice("all", "All"),
    ...COLORS.map((c) => choice(c, name(c))),
    el("span", { class: "muted notes-filter-status", id: "notes-filter-status", role: "status" })
  );
}

/** Shows only the highlights of `color` ("all": everything, bookmarks included), and
 *  hides a lesson's section when none of its items is left; says how many show. */
export function filter(color) {
  shown = COLORS.includes(color) ? color : "all";
  const view = $("view");
  for (const li of view.querySelectorAll(".notes-view .note-item")) li.hidden = shown !== "all" && li.dataset.color !== shown;
  for (const s of view.querySelectorAll(".notes-lesson, .notes-detached")) s.hidden = !s.querySelector(".note-item:not([hidden])");
  const left = view.querySelectorAll(".notes-view .note-item:not([hidden])").length;
  const status = $("notes-filter-status");
  if (status) status.textContent = shown === "all" ? "" : `${left} ${shown} highlight${left === 1 ? "" : "s"}`;
}
