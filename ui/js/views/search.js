// The search palette (`/`, Ctrl+K): a combobox over a listbox of results, grouped by
// lesson (each lesson once, where its best hit ranks), asked of the core's index as the
// learner types (debounced). Snippets are the core's escaped HTML with <mark>; everything
// else is text. The opened lesson marks the words the core says it matched (forms,
// spellings, corrections), and an empty answer shows the core's "did you mean". The
// learner's own notes come among the results (`kind: "note"`), labelled "Your note";
// choosing one opens its lesson scrolled to the highlight, as the notes view does.
// While the first index of the course is built, the palette says "indexing, N of M
// lessons" (a polite live region), lists what the lessons indexed so far hold, and asks
// again as the index grows and once it is done.

import { $, el, guard, plural } from "../dom.js";
import { api } from "../api.js";
import { state } from "../state.js";
import { go, lessonHref, remember } from "../router.js";
import { markOnly, queryTerms, reveal } from "../marks.js";
import * as find from "./find.js";
import { scrollToAnchor } from "./lesson.js";

const LIMIT = 30;
const DEBOUNCE_MS = 80;
let timer = null;
let hits = [];
let matched = [];
let active = -1;
let returnFocus = null;
let asked = 0;
let indexing = null;
let indexed = false;

export function open() {
  const dlg = $("search");
  if (dlg.open) return;
  returnFocus = document.activeElement;
  dlg.showModal();
  const input = $("search-input");
  input.select();
  input.focus();
  showIndexing();
}

export function close() {
  const dlg = $("search");
  if (!dlg.open) return;
  dlg.close();
}

function onClose() {
  if (returnFocus && returnFocus.isConnected) returnFocus.focus();
  returnFocus = null;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => guard(ask), DEBOUNCE_MS);
}

async function ask() {
  const query = $("search-input").value;
  const ticket = (asked += 1);
  if (query.trim() === "") return show(query, { results: [], matched: [], suggestions: [], indexing });
  const answer = await api.search(query, LIMIT);
  if (ticket === asked) show(query, answer);
}

/** The hits grouped by lesson, each lesson once where its best (first) hit ranks. */
function byLesson(results) {
  const groups = new Map();
  for (const hit of results) {
    if (!groups.has(hit.lesson)) groups.set(hit.lesson, { title: hit.title, hits: [] });
    groups.get(hit.lesson).hits.push(hit);
  }
  return [...groups.values()];
}

function show(query, answer) {
  // An answer asked before the index was done may come after it: it says nothing new.
  indexing = indexed ? null : answer.indexing || null;
  showIndexing();
  const groups = byLesson(answer.results);
  hits = groups.flatMap((g) => g.hits); // display order, which ↑/↓ follow
  matched = answer.matched || [];
  active = hits.length > 0 ? 0 : -1;
  const list = $("search-results");
  let i = 0;
  const nodes = groups.map((g, n) => {
    const label = el("div", { class: "search-lesson", id: `search-group-${n}`, text: g.title });
    const options = el("ul", { role: "group", "aria-labelledby": label.id });
    for (const hit of g.hits) options.append(option(hit, i++));
    return el("li", { role: "presentation", class: "search-group" }, label, options);
  });
  list.replaceChildren(...nodes);
  list.dataset.query = query; // which query the list answers (the end-to-end tests wait for it)
  $("search-status").textContent = status(query, hits.length, answer.suggestions || []);
  highlight();
}

function status(query, count, suggestions) {
  if (query.trim() === "") return "";
  if (count > 0) return plural(count, "result");
  if (indexing) return `No results for “${query}” in the lessons indexed so far`;
  const mean = suggestions.length > 0 ? `. Did you mean “${suggestions.join(" ")}”?` : "";
  return `No results for “${query}”${mean}`;
}

function showIndexing() {
  const text = !indexing ? "" : indexing.total > 0 ? `indexing, ${indexing.done} of ${plural(indexing.total, "lesson")}` : "indexing…";
  const node = $("search-indexing");
  if (node.textContent !== text) node.textContent = text;
}

/** How far the first index has come (the `search://indexing` event): said in the
 *  palette, and the open palette's query asked again, so its results grow with the
 *  index and are the full ones once it is `finished`. */
export function indexingProgress({ done, total, finished }) {
  indexed = indexed || finished;
  indexing = indexed ? null : { done, total };
  showIndexing();
  if ($("search").open && $("search-input").value.trim() !== "") return ask();
  return undefined;
}

function option(hit, i) {
  const snippet = el("div", { class: "search-snippet" });
  snippet.innerHTML = hit.snippet; // escaped by the core, matched terms in <mark>
  const note = hit.kind === "note";
  const node = el(
    "li",
    {
      role: "option",
      id: `search-option-${i}`,
      class: note ? "search-option search-note" : "search-option",
      "aria-selected": "false",
      "data-index": i,
      "data-kind": hit.kind,
    },
    // A note's name (its text, as every option's) starts with the label that says it is
    // the learner's own: "Your note".
    el("div", { class: note ? "search-badge" : "search-heading", text: hit.heading }),
    snippet
  );
  node.addEventListener("mousedown", (e) => e.preventDefault());
  node.addEventListener("click", () => guard(() => choose(i)));
  return node;
}

function highlight() {
  const input = $("search-input");
  for (const o of document.querySelectorAll("#search-results [role=option]")) {
    o.setAttribute("aria-selected", String(Number(o.dataset.index) === active));
  }
  if (active >= 0) {
    input.setAttribute("aria-activedescendant", `search-option-${active}`);
    $(`search-option-${active}`).scrollIntoView({ block: "nearest" });
  } else input.removeAttribute("aria-activedescendant");
  input.setAttribute("aria-expanded", String(hits.length > 0));
}

/** Moves the active result by `step` (the keymap's ↑/↓ in the box), wrapping around. */
export function move(step) {
  if (hits.length === 0) return;
  active = (active + step + hits.length) % hits.length;
  highlight();
}

function choose(i) {
  const hit = hits[i];
  if (!hit) return undefined;
  // The words the core matched (forms, spellings, corrections), else the typed ones.
  const terms = matched.length > 0 ? matched : queryTerms($("search-input").value);
  const href = lessonHref(hit.lesson, hit.anchor || undefined);
  returnFocus = null;
  close();
  if (hit.kind === "note") return openNote(hit);
  if (hit.lesson === state.current && hit.anchor) {
    // The lesson is already open and is not drawn again (the hash may not even
    // change): mark the terms afresh here and scroll to the heading.
    find.close();
    markOnly($("lesson-body"), terms, "search-hit");
    if (location.hash !== href) {
      remember();
      history.pushState(null, "", href);
    }
    return scrollToAnchor(hit.anchor);
  }
  state.pendingHighlight = { lesson: hit.lesson, terms };
  return go(href);
}

/** Opens a note's lesson scrolled to its highlight, flashed: the notes view's way
 *  (`state.pendingNote`, taken by the highlights once the lesson is drawn), or at once
 *  when that lesson is the one open. */
function openNote(hit) {
  if (hit.lesson === state.current && reveal(hit.annotation)) return undefined;
  state.pendingNote = { lesson: hit.lesson, id: hit.annotation };
  return go(lessonHref(hit.lesson));
}

/** Opens the active result (the keymap's Enter in the box). A search still waiting for
 *  the typing to pause runs first, so Enter never opens a shorter query's result. */
export async function chooseActive() {
  clearTimeout(timer);
  if ($("search-input").value.trim() !== "" && hits.length === 0) await ask();
  return choose(Math.max(active, 0));
}

/** Wires the palette once at start (its keys are the keymap's `search` scope). */
export function init() {
  const input = $("search-input");
  input.addEventListener("input", schedule);
  $("search").addEventListener("close", onClose);
}
