// The lesson body's wide content (every control added is marked `data-ui`, so the
// text highlights are counted in stays the core's: views/highlights.js): code blocks (copy, mdBook's hidden lines, wrap),
// diagrams, tables and display formulas are labelled regions that scroll and take focus
// (arrows scroll them); each says on which sides it has more to show (`data-more`,
// drawn as a shade at that edge), and a tall one scrolls within the window, so its
// horizontal scrollbar is on screen with it. Code can wrap instead (a remembered
// preference). An inline formula wider than the column scrolls in its own box instead
// of being cut off.

import { $, el } from "../dom.js";
import { codeWrap } from "../prefs.js";

/** Decorates the lesson body `node` (the core's sanitized HTML, not yet in the page):
 *  copy, hidden-lines and wrap buttons on code, labelled focusable scrollers. */
export function decorate(node) {
  for (const t of node.querySelectorAll("table")) {
    if (!t.parentElement.classList.contains("table-wrap")) {
      const wrap = el("div", { class: "table-wrap" });
      t.replaceWith(wrap);
      wrap.append(t);
    }
  }
  for (const fig of node.querySelectorAll("figure.code")) {
    const cap = fig.querySelector("figcaption");
    const pre = fig.querySelector("pre");
    if (!cap || !pre) continue;
    const lang = cap.textContent.trim() || "text";
    scroller(pre, `Code: ${lang}`);
    const copy = el("button", { type: "button", class: "copy", "data-ui": "", "data-action": "copyCode", "aria-label": `Copy ${lang} code`, text: "Copy" });
    const wrap = el("button", { type: "button", class: "code-button wrap-toggle", "data-ui": "", "data-action": "toggleCodeWrap", "aria-pressed": String(codeWrap()), title: "Wrap long lines in every code block (W)", text: "Wrap" });
    const actions = el("span", { class: "code-actions", "data-ui": "" }, wrap, copy);
    cap.append(actions);
    if (!fig.classList.contains("has-hidden")) continue;
    // mdBook's hidden lines: the whole program is one press away.
    const full = fig.querySelector("pre.hl-full");
    if (full) scroller(full, `Code: ${lang}, whole program`);
    actions.prepend(el("button", { type: "button", class: "copy", "data-ui": "", "data-action": "toggleHiddenLines", "aria-pressed": "false", text: "Show hidden lines" }));
  }
  for (const pre of node.querySelectorAll("pre.diagram")) scroller(pre, "Diagram");
  for (const wrap of node.querySelectorAll(".table-wrap")) scroller(wrap, tableLabel(wrap));
  for (const m of node.querySelectorAll('math[display="block"]')) {
    // <math> may not take a role; its wrapper scrolls instead.
    const wrap = el("div", { class: "math-wrap" });
    m.replaceWith(wrap);
    wrap.append(m);
    scroller(wrap, "Formula");
  }
  numberAlike(node.querySelectorAll("[data-scrolls]"));
}

// Regions are landmarks, which need distinct names: "Code: python (1)", "(2)", …
function numberAlike(regions) {
  const count = new Map();
  for (const r of regions) count.set(r.getAttribute("aria-label"), (count.get(r.getAttribute("aria-label")) || 0) + 1);
  const seen = new Map();
  for (const r of regions) {
    const label = r.getAttribute("aria-label");
    if (count.get(label) < 2) continue;
    seen.set(label, (seen.get(label) || 0) + 1);
    r.setAttribute("aria-label", `${label} (${seen.get(label)})`);
  }
}

// Regions that may scroll sideways are keyboard-reachable (arrows scroll them) and named.
function scroller(node, label) {
  node.tabIndex = 0;
  node.setAttribute("role", "region");
  node.setAttribute("aria-label", label);
  node.dataset.scrolls = "";
}

function tableLabel(wrap) {
  const caption = wrap.querySelector("caption");
  return caption && caption.textContent.trim() ? `Table: ${caption.textContent.trim()}` : "Table";
}

/** Shows or hides the hidden lines of the Rust code holding `button`. */
export function toggleHiddenLines(button) {
  const shown = button.closest("figure.code").classList.toggle("show-hidden");
  button.setAttribute("aria-pressed", String(shown));
}

/** Copies the code of the figure holding `button`, as it is shown. */
export async function copyCode(button) {
  const fig = button.closest("figure.code");
  const code = fig.querySelector(fig.classList.contains("show-hidden") ? "pre.hl-full code" : "code");
  let ok = true;
  try {
    await navigator.clipboard.writeText(code.textContent);
  } catch (_) {
    // Older WebKit: copy through a selected, off-screen text area.
    const ta = el("textarea", { class: "visually-hidden", "aria-hidden": "true", tabindex: "-1" });
    ta.value = code.textContent;
    document.body.append(ta);
    ta.select();
    try {
      ok = document.execCommand("copy");
    } catch (_) {
      ok = false;
    }
    ta.remove();
    button.focus();
  }
  button.textContent = ok ? "Copied" : "Copy failed";
  setTimeout(() => (button.textContent = "Copy"), 1500);
}

/** Where `node` has more to show than it shows: "left", "right", "down", joined. */
function more(node) {
  const sides = [];
  if (node.scrollLeft > 1) sides.push("left");
  if (node.scrollLeft + node.clientWidth < node.scrollWidth - 1) sides.push("right");
  if (node.scrollTop + node.clientHeight < node.scrollHeight - 1) sides.push("down");
  const value = sides.join(" ");
  if ((node.dataset.more || "") !== value) node.dataset.more = value;
}

/** Measures the drawn lesson: which regions have more to show, and which inline
 *  formulas are wider than the column (those get a scrolling box of their own). */
export function measure() {
  const body = $("lesson-body");
  if (!body) return;
  const width = body.clientWidth;
  for (const m of body.querySelectorAll('math:not([display="block"])')) {
    if (m.parentElement.classList.contains("math-inline") || m.getBoundingClientRect().width <= width) continue;
    const box = el("span", { class: "math-inline" });
    m.replaceWith(box);
    box.append(m);
    scroller(box, "Formula");
  }
  for (const node of body.querySelectorAll("[data-scrolls]")) more(node);
}

// Scrolling a region or resizing the window changes what is left to show.
document.addEventListener("scroll", (e) => e.target.dataset && "scrolls" in e.target.dataset && more(e.target), { capture: true, passive: true });
window.addEventListener("resize", () => requestAnimationFrame(measure));
