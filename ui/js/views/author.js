// Author mode (the core's `lectern::author`): the lesson page as its author uses it
// while writing. Off, nothing here changes the page.
//
// - A toggle in the lesson header and the key Shift+A; the core remembers it.
// - After a save, live.js asks `followEdit`: the preview scrolls to the first block of
//   the body that changed (or the first new question) and marks it for a moment
//   (reduced motion: a still outline), instead of keeping the reading position.
// - Each question shows the author's key (`author_quiz`: the core gives the key only in
//   author mode, and answers given then are graded, never recorded): the right
//   options and each option's feedback, what each blank accepts, the question's id,
//   its line (a button opening the editor there) and its lints.

import { el, announce, toast } from "../dom.js";
import { state } from "../state.js";
import { api } from "../api.js";

/** Reads the mode from the core (off without a database). */
export async function load() {
  state.author = await api.authorMode().catch(() => false);
}

/** The header's toggle, pressed while the mode is on. */
export function toggleButton() {
  return el("button", {
    type: "button",
    class: "button author-toggle",
    "data-action": "toggleAuthor",
    "aria-pressed": String(state.author),
    title: "Author mode: follow each save, show the quiz's key; answers are not recorded (Shift+A)",
    text: "Author mode",
  });
}

/** Turns the mode on or off, and shows or hides the key of the lesson on screen. */
export async function toggle() {
  const on = !state.author;
  try {
    await api.setAuthorMode(on);
  } catch (e) {
    toast(`Author mode could not be changed: ${e.message}`);
    return;
  }
  state.author = on;
  for (const b of document.querySelectorAll(".author-toggle")) b.setAttribute("aria-pressed", String(on));
  await decorate(state.current);
  announce(on ? "Author mode on: saves are followed, quizzes show their key, answers are not recorded" : "Author mode off");
}

/** Adds the author's key under each question of lesson `id` on screen (removes it when
 *  the mode is off). */
export async function decorate(id) {
  for (const old of document.querySelectorAll("#view .author-key")) old.remove();
  if (!state.author || !id) return;
  let keyed;
  try {
    keyed = await api.authorQuiz(id);
  } catch (e) {
    if (e.code !== "author-mode-off") toast(`The quiz's key could not be shown: ${e.message}`);
    return;
  }
  if (state.current !== id) return;
  for (const q of keyed.questions) {
    const fs = document.querySelector(`#view fieldset.question[data-question="${CSS.escape(q.id)}"]`);
    if (fs) fs.append(keyPanel(q));
  }
}

function keyPanel(q) {
  return el(
    "div",
    { class: "author-key", "data-ui": "", role: "note", "aria-label": "Author's key" },
    el(
      "p",
      { class: "author-where" },
      el("strong", { text: "Key" }),
      ` · ${q.kind} · id `,
      el("code", { text: q.id }),
      " · ",
      el("button", { type: "button", class: "link-button", "data-action": "editAt", "data-path": q.file, "data-line": String(q.line), title: "Open in your editor at this line", text: `${q.file}:${q.line}` })
    ),
    q.options.length ? el("ul", { class: "author-options" }, ...q.options.map(option)) : null,
    q.blanks.length ? el("ol", { class: "author-blanks" }, ...q.blanks.map(blank)) : null,
    q.kind === "tracing" ? el("p", { text: `Answer: ${q.key.filter(Boolean).join(" — ")}` }) : null,
    q.lints.length ? el("ul", { class: "author-lints" }, ...q.lints.map(lint)) : null
  );
}

function option(o) {
  const item = el("li", { class: o.correct ? "right" : "wrong" }, el("span", { class: "author-mark", text: o.correct ? "✓ right" : "✗ wrong" }), " ");
  const text = el("span");
  text.innerHTML = o.html; // rendered and sanitized by the core
  item.append(text);
  if (o.feedback_html) {
    const fb = el("div", { class: "author-feedback" });
    fb.innerHTML = o.feedback_html; // rendered and sanitized by the core
    item.append(fb);
  }
  return item;
}

function blank(b) {
  return el("li", {}, "Accepts ", ...b.accepted.flatMap((a, i) => [i ? " or " : "", el("code", { text: a })]));
}

function lint(d) {
  return el("li", { class: `author-lint ${d.severity}` }, el("strong", { text: `${d.severity} ` }), el("code", { text: d.code }), ` line ${d.line}: ${d.message}`);
}

/** The top-level blocks of `html` (the core's body of a lesson), as markup. */
function blocks(html) {
  const t = document.createElement("template");
  t.innerHTML = html || "";
  return Array.from(t.content.children, (c) => c.outerHTML);
}

/** After a redraw in author mode: scrolls to the first body block of `page` that
 *  differs from `before` (the page drawn before), or else to the first question that is
 *  new, and marks it. Returns whether anything was followed. */
export function followEdit(before, page) {
  const target = firstChanged(before, page);
  if (!target) return false;
  for (const old of document.querySelectorAll("[data-author-changed]")) old.removeAttribute("data-author-changed");
  target.dataset.authorChanged = "";
  target.classList.add("author-flash");
  target.addEventListener("animationend", () => target.classList.remove("author-flash"), { once: true });
  target.scrollIntoView({ block: "center", behavior: "instant" });
  announce("Scrolled to your edit");
  return true;
}

function firstChanged(before, page) {
  const old = blocks(before && before.html);
  const now = blocks(page.html);
  const body = document.getElementById("lesson-body");
  const i = now.findIndex((b, k) => b !== old[k]);
  if (body && i >= 0) return body.children[i] || null;
  const seen = new Set(before && before.quiz ? before.quiz.questions.map((q) => q.id) : []);
  const fresh = page.quiz ? page.quiz.questions.find((q) => !seen.has(q.id)) : null;
  return fresh ? document.querySelector(`#view fieldset.question[data-question="${CSS.escape(fresh.id)}"]`) : null;
}
