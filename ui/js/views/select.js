// Selecting lesson text from the keyboard (the notes issue), so `h` can highlight
// without a mouse: `]` extends the selection by a word, `}` by a sentence, `[` takes a
// word back. With nothing selected in the lesson, the selection starts at the
// paragraph that has focus, else the first one at the top of the reading area. What is
// selected is announced, so a screen reader hears what `h` would mark.

import { $, announce } from "../dom.js";

const BLOCKS = "p, li, blockquote, td, th, dd, dt, figcaption, h1, h2, h3, h4, h5, h6";

/** The keymap's `]`, `}` and `[`. */
export function byKey(key) {
  if (key === "}") extend("sentence");
  else extend("word", key === "[" ? "backward" : "forward");
}

/** Extends (or, `backward`, shrinks) the lesson's selection by one `unit`: "word" or
 *  "sentence" (WebKit's `Selection.modify` granularities). */
export function extend(unit, direction = "forward") {
  const root = $("lesson-body");
  if (!root) return;
  const sel = window.getSelection();
  if (!sel.rangeCount || !root.contains(sel.anchorNode)) {
    const first = firstText(startBlock(root));
    if (!first) return;
    sel.collapse(first, first.data.length - first.data.trimStart().length);
  }
  sel.modify("extend", direction, unit);
  const text = sel.toString().replace(/\s+/g, " ").trim();
  announce(text ? `Selected: ${text}` : "Nothing selected");
}

/** The block the selection starts in: the focused one, else the first whose bottom is
 *  below the top of the reading area (the window's own controls skipped). */
function startBlock(root) {
  const active = document.activeElement;
  const focused = active && active.closest ? active.closest(BLOCKS) : null;
  if (focused && root.contains(focused) && !focused.closest("[data-ui]")) return focused;
  const top = $("main").getBoundingClientRect().top;
  return Array.from(root.querySelectorAll(BLOCKS)).find((b) => !b.closest("[data-ui]") && b.getBoundingClientRect().bottom > top + 4) || null;
}

/** The first text node of `block` with something to read, outside the window's controls. */
function firstText(block) {
  if (!block) return null;
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
    acceptNode: (t) => (t.data.trim() && !t.parentElement.closest("[data-ui]") ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP),
  });
  return walker.nextNode();
}

/** The id of the lesson heading nearest above `node` (or holding it), or null: what a
 *  highlight keeps as its section. */
export function headingBefore(node) {
  let best = null;
  for (const h of document.querySelectorAll("#lesson-body :is(h1, h2, h3, h4, h5, h6)[id]")) {
    const above = h.contains(node) || h.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING;
    if (!above) break;
    best = h.id;
  }
  return best;
}
