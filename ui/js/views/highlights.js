// The learner's highlights, notes and bookmarks in the open lesson (the notes issue).
//
// Offsets are UTF-16 units of the lesson's plain text: the text nodes of #lesson-body
// in order, skipping the controls the window adds (marked `data-ui`), which is the
// text the core makes from the rendered lesson (anchor::plain_text). The core anchors a
// selection and places every annotation on each call: a live re-render draws them again.

import { $, el, toast } from "../dom.js";
import { state } from "../state.js";
import { api } from "../api.js";
import { headingBefore } from "./select.js";
import { indexText, offsetOf, wrap } from "../textmap.js";
import { reveal } from "../marks.js";

export const COLORS = Object.freeze(["yellow", "green", "blue", "pink", "purple"]);

let target = null; // what the toolbar acts on: { id } or { start, end }
let color = "yellow"; // the colour `h` uses: the last one chosen

/** The current selection as { start, end } in the lesson's plain text, or null. */
function selected() {
  const root = $("lesson-body");
  const sel = window.getSelection();
  if (!root || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const r = sel.getRangeAt(0);
  if (!root.contains(r.commonAncestorContainer)) return null;
  const start = offsetOf(root, r.startContainer, r.startOffset);
  const end = offsetOf(root, r.endContainer, r.endOffset);
  return end > start ? { start, end, heading: headingBefore(r.startContainer) } : null;
}

/** Removes the drawn highlights and note buttons, leaving the lesson's text. */
function clear(root) {
  for (const m of root.querySelectorAll("mark.hl")) m.replaceWith(...m.childNodes);
  for (const b of root.querySelectorAll(".hl-note")) b.remove();
  root.normalize();
}

/** Draws `state.annotations` on the lesson body. A highlight is `<mark class="hl hl-<colour>">`;
 *  one with a note is followed by a button that names the note and opens it. */
export function draw() {
  const root = $("lesson-body");
  if (!root) return;
  clear(root);
  const index = indexText(root);
  for (const n of state.annotations) {
    if (n.kind !== "highlight" || !n.place.range) continue;
    const [start, end] = n.place.range;
    const label = n.note ? "highlighted, has a note" : "highlighted";
    const marks = wrap(index, start, end, () =>
      el("mark", { class: `hl hl-${n.color || "yellow"}`, "data-annotation": n.id, "data-state": n.place.state, title: label })
    );
    if (n.note && marks.length) {
      const quote = n.quote.length > 40 ? `${n.quote.slice(0, 40)}…` : n.quote;
      marks[marks.length - 1].after(
        el("button", { type: "button", class: "hl-note", "data-ui": "", "data-action": "noteOpen", "data-annotation": n.id, "aria-label": `Note on “${quote}”: ${n.note}`, text: "✎" })
      );
    }
  }
}

/** Fetches and draws the open lesson's annotations (after each draw of the lesson). */
export async function load(lesson) {
  try {
    const got = await api.lessonAnnotations(lesson);
    if (state.current !== lesson) return;
    state.annotations = got.notes;
    draw();
    const want = state.pendingNote;
    state.pendingNote = null;
    if (want && want.lesson === lesson) reveal(want.id);
  } catch (e) {
    if (e.code !== "progress-unavailable") toast(`Highlights: ${e.message}`);
  }
}

/** `h`: highlights the selection in the last colour chosen. */
export async function highlight() {
  const range = selected();
  if (!range) {
    toast("Select some text of the lesson first");
    return;
  }
  await make(range, color);
}

async function make(range, chosen) {
  const lesson = state.current;
  const id = await api.addAnnotation(lesson, { kind: "highlight", start: range.start, end: range.end, color: chosen, heading: range.heading, note: null });
  window.getSelection().removeAllRanges();
  target = { id };
  await load(lesson);
  toast("Highlighted");
  showToolbar(document.querySelector(`mark.hl[data-annotation="${id}"]`));
}

/** A colour of the toolbar: highlights the selection, or recolours the highlight. */
export async function chooseColor(chosen) {
  color = chosen;
  if (target && target.id) {
    const n = state.annotations.find((p) => p.id === target.id);
    await api.editAnnotation(target.id, chosen, n ? n.note : null);
    await load(state.current);
  } else if (target) {
    await make(target, chosen);
  }
}

/** `b`: bookmarks the lesson at the heading nearest the top of the view. */
export async function bookmark() {
  const root = $("lesson-body");
  if (!root) return;
  const heads = [...root.querySelectorAll("h1, h2, h3, h4, h5, h6")];
  const top = $("main").getBoundingClientRect().top + 8;
  const head = heads.filter((h) => h.getBoundingClientRect().top <= top).pop() || heads[0];
  if (!head) {
    toast("This lesson has no heading to bookmark");
    return;
  }
  const start = offsetOf(root, head, 0);
  const end = offsetOf(root, head, head.childNodes.length);
  await api.addAnnotation(state.current, { kind: "bookmark", start, end, color: null, heading: head.id || null, note: null });
  toast(`Bookmarked at “${head.textContent.trim()}”`);
}

/** The highlight the note key or a note button means: the toolbar's, else the one at
 *  the selection or focus. */
export function highlightAt(node) {
  const id = node && node.dataset && node.dataset.annotation;
  if (id) return id;
  if (target && target.id) return target.id;
  const sel = window.getSelection();
  const at = sel && sel.anchorNode && sel.anchorNode.parentElement;
  const mark = at && at.closest("mark.hl");
  return mark ? mark.dataset.annotation : null;
}

/** Opens the note editor of a highlight (the selection is highlighted first). */
export async function openNote(node) {
  let id = highlightAt(node);
  if (!id && target && target.start !== undefined) {
    await make(target, color);
    id = target && target.id;
  }
  if (!id) {
    toast("Highlight some text first, then add a note");
    return;
  }
  const n = state.annotations.find((p) => p.id === id);
  target = { id };
  const box = toolbar();
  const input = el("textarea", { id: "note-input", class: "note-input", rows: "4", "aria-labelledby": "note-label" });
  input.value = (n && n.note) || "";
  box.replaceChildren(
    el("label", { id: "note-label", for: "note-input", text: n ? `Note on “${n.quote.slice(0, 60)}”` : "Note" }),
    input,
    el(
      "div",
      { class: "note-actions" },
      el("button", { type: "button", class: "button primary", "data-action": "noteSave", text: "Save note" }),
      el("button", { type: "button", class: "button", "data-action": "noteCancel", text: "Cancel" })
    )
  );
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Note editor");
  place(box, document.querySelector(`mark.hl[data-annotation="${id}"]`));
  input.focus();
}

/** Saves the note being edited (an empty note removes it). */
export async function saveNote() {
  const input = $("note-input");
  if (!input || !target || !target.id) return;
  const n = state.annotations.find((p) => p.id === target.id);
  const text = input.value.trim() ? input.value : null;
  await api.editAnnotation(target.id, n ? n.color : color, text);
  closeToolbar();
  await load(state.current);
  toast(text ? "Note saved" : "Note removed");
}

/** Removes the toolbar's highlight. */
export async function remove() {
  if (!target || !target.id) return;
  await api.removeAnnotation(target.id);
  closeToolbar();
  await load(state.current);
  toast("Highlight removed");
}

/** The floating toolbar, made once. */
function toolbar() {
  let box = document.getElementById("hl-toolbar");
  if (!box) {
    box = el("div", { id: "hl-toolbar", class: "hl-toolbar", "data-ui": "", hidden: true });
    // A press on the toolbar keeps the selection it acts on.
    box.addEventListener("mousedown", (e) => {
      if (e.target.tagName !== "TEXTAREA") e.preventDefault();
    });
    document.body.append(box);
  }
  return box;
}

function place(box, near) {
  const r = near ? near.getBoundingClientRect() : window.getSelection().getRangeAt(0).getBoundingClientRect();
  box.hidden = false;
  box.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - box.offsetWidth - 8))}px`;
  box.style.top = `${r.bottom + 6 + box.offsetHeight > window.innerHeight ? Math.max(8, r.top - box.offsetHeight - 6) : r.bottom + 6}px`;
}

/** Shows the colours (and Note, Remove, Card for a highlight) near `near` or the selection. */
function showToolbar(near) {
  const box = toolbar();
  const swatch = (c) => el("button", { type: "button", class: `hl-swatch hl-${c}`, "data-action": "highlightColor", "data-color": c, "aria-label": `Highlight ${c}`, title: `Highlight ${c}` });
  box.replaceChildren(
    ...COLORS.map(swatch),
    el("button", { type: "button", class: "button", "data-action": "noteOpen", text: "Note" }),
    ...(target && target.id ? [el("button", { type: "button", class: "button", "data-action": "highlightRemove", text: "Remove" }), el("button", { type: "button", class: "button", "data-action": "makeCard", "aria-keyshortcuts": "k", title: "Make a review card: the phrase becomes a blank (k)", text: "Card" })] : [])
  );
  box.setAttribute("role", "toolbar");
  box.setAttribute("aria-label", "Highlight");
  place(box, near);
}

export function closeToolbar() {
  const box = document.getElementById("hl-toolbar");
  if (box) {
    box.hidden = true;
    box.replaceChildren();
  }
  target = null;
}

/** Follows the selection and clicks on highlights: the toolbar appears beside them. */
export function watch() {
  document.addEventListener("selectionchange", () => {
    if ($("note-input") && !$("hl-toolbar").hidden) return;
    const range = selected();
    if (range) {
      target = range;
      showToolbar(null);
    } else if (target && !target.id) closeToolbar();
  });
  document.addEventListener("click", (e) => {
    const mark = e.target.closest && e.target.closest("mark.hl");
    if (mark && window.getSelection().isCollapsed) {
      target = { id: mark.dataset.annotation };
      showToolbar(mark);
    } else if (!e.target.closest || !e.target.closest("#hl-toolbar, .hl-note")) {
      if (!$("note-input")) closeToolbar();
    }
  });
}
