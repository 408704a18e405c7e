// The lesson's table of contents ("On this page"): its headings and the Knowledge
// Check, exactly one entry marked as the section being read. Beside the lesson in a
// wide window; in a narrow one, a menu under the toolbar's "On this page" button.

import { $, el } from "../dom.js";
import { state } from "../state.js";

/** The contents of a lesson: the core's `entries`, then `quiz` (the quiz's heading,
 *  when the lesson has one). Fewer than two entries: nothing to navigate. */
export function draw(entries, quiz) {
  const all = [...(entries || [])];
  if (quiz) all.push({ id: quiz.id, text: quiz.textContent, level: 2 });
  if (all.length < 2) return el("aside", { class: "toc empty", "aria-hidden": "true" });
  return el(
    "nav",
    { class: "toc", id: "toc", "aria-labelledby": "toc-title" },
    el("p", { class: "toc-title", id: "toc-title", text: "On this page" }),
    el(
      "ul",
      { id: "toc-list" },
      ...all.map((t) =>
        el("li", { class: `toc-l${t.level}` }, el("a", { href: `#${t.id}`, "data-target": t.id, text: t.text }))
      )
    )
  );
}

/** Opens or closes the contents as a menu under the toolbar's "On this page" button
 *  (how a narrow window shows them; `open`: force a state). Focus goes to the entry
 *  being read, so `o` then Enter or the arrows and Tab reach any section. Whether the
 *  page has contents. */
export function toggleMenu(open) {
  const nav = $("toc");
  if (!nav) return false;
  const button = $("toc-button");
  const shown = nav.classList.toggle("open", open);
  button.setAttribute("aria-expanded", String(shown));
  if (!shown) return true;
  nav.style.top = `${button.getBoundingClientRect().bottom + 6}px`;
  (nav.querySelector("a.active") || nav.querySelector("a")).focus({ preventScroll: true });
  return true;
}

export function unwatch() {
  if (state.tocWatch) state.tocWatch();
  state.tocWatch = null;
}

/** The heading being read: the last one whose top is above a line a quarter down the
 *  reading area (the first heading before any), or, at the end of the lesson, the
 *  last one on screen, so a short last section can be marked too. */
function current(main, targets) {
  const box = main.getBoundingClientRect();
  // The section just jumped to (its heading holds focus) while it is on screen.
  const focused = targets.find((t) => t.node === document.activeElement);
  if (focused) {
    const top = focused.node.getBoundingClientRect().top;
    if (top >= box.top - 1 && top < box.bottom) return focused;
  }
  const atEnd = main.scrollTop + main.clientHeight >= main.scrollHeight - 2;
  const line = atEnd ? box.bottom - 1 : box.top + box.height / 4;
  let found = targets[0];
  for (const t of targets) if (t.node.getBoundingClientRect().top <= line) found = t;
  return found;
}

/** Marks exactly one entry, following every scroll of the reading area (a jump, a
 *  restored position, Continue, the mouse wheel) until `unwatch`. */
export function watch() {
  unwatch();
  $("toc-button").setAttribute("aria-expanded", "false"); // a new page's menu is closed
  const main = $("main");
  const targets = Array.from(document.querySelectorAll(".toc a"))
    .map((a) => ({ a, node: document.getElementById(a.dataset.target) }))
    .filter((t) => t.node);
  if (!targets.length) return;
  let frame = 0;
  const update = () => {
    frame = 0;
    const now = current(main, targets);
    for (const t of targets) {
      t.a.classList.toggle("active", t === now);
      if (t === now) t.a.setAttribute("aria-current", "location");
      else t.a.removeAttribute("aria-current");
    }
  };
  const onScroll = () => {
    if (!frame) frame = requestAnimationFrame(update);
  };
  const nav = $("toc");
  // The menu closes once an entry is followed or focus leaves it.
  nav.addEventListener("click", (e) => e.target.closest("a") && toggleMenu(false));
  nav.addEventListener("focusout", (e) => {
    if (!nav.contains(e.relatedTarget) && e.relatedTarget !== $("toc-button")) toggleMenu(false);
  });
  main.addEventListener("scroll", onScroll, { passive: true });
  main.addEventListener("focusin", onScroll);
  window.addEventListener("resize", onScroll);
  update();
  state.tocWatch = () => {
    cancelAnimationFrame(frame);
    main.removeEventListener("scroll", onScroll);
    main.removeEventListener("focusin", onScroll);
    window.removeEventListener("resize", onScroll);
  };
}
