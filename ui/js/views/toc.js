// The lesson's table of contents ("On this page"), highlighting the section being read.

import { $, el } from "../dom.js";
import { state } from "../state.js";

export function draw(entries) {
  if (!entries || entries.length < 2) return el("aside", { class: "toc empty", "aria-hidden": "true" });
  return el(
    "nav",
    { class: "toc", "aria-labelledby": "toc-title" },
    el("p", { class: "toc-title", id: "toc-title", text: "On this page" }),
    el(
      "ul",
      {},
      ...entries.map((t) =>
        el("li", { class: `toc-l${t.level}` }, el("a", { href: `#${t.id}`, "data-target": t.id, text: t.text }))
      )
    )
  );
}

export function unwatch() {
  if (state.tocObserver) state.tocObserver.disconnect();
  state.tocObserver = null;
}

/** Marks the entry of the first heading in the top part of the reading area. */
export function watch() {
  unwatch();
  const links = new Map(Array.from(document.querySelectorAll(".toc a")).map((a) => [a.dataset.target, a]));
  if (!links.size) return;
  const visible = new Set();
  state.tocObserver = new IntersectionObserver(
    (entries) => {
      for (const en of entries) {
        if (en.isIntersecting) visible.add(en.target.id);
        else visible.delete(en.target.id);
      }
      const first = Array.from(links.keys()).find((h) => visible.has(h));
      if (first) for (const [k, a] of links) a.classList.toggle("active", k === first);
    },
    { root: $("main"), rootMargin: "0px 0px -70% 0px" }
  );
  for (const id of links.keys()) {
    const h = document.getElementById(id);
    if (h) state.tocObserver.observe(h);
  }
}
