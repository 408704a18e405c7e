// Highlighting words in a lesson: text nodes are split and wrapped in <mark> through DOM
// APIs only (never innerHTML of lesson text), and unwrapped again. This module is the one
// owner of the marks on screen: `markOnly` clears every kind (the search palette's
// `search-hit`, the find bar's `find-hit`) before marking, so a new find or search never
// leaves the old one's marks beside it (a "No matches" with marks on screen).

/** Every class of mark the UI draws. */
const KINDS = ["search-hit", "find-hit"];

/** Clears every mark under `root`, of any kind, then marks `terms` with `cls` (see
 *  `markTerms`); returns the new marks. */
export function markOnly(root, terms, cls) {
  for (const kind of KINDS) unmark(root, kind);
  return markTerms(root, terms, cls);
}

/** Wraps every occurrence of any of `terms` under `root` in `<mark class=cls>`,
 *  ignoring case and accents as the search index does (`naive` marks `naïve`);
 *  returns the marks in document order. */
export function markTerms(root, terms, cls) {
  const words = terms.map((t) => fold(t).text).filter((t) => t.length > 0);
  if (!root || words.length === 0) return [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  const marks = [];
  for (const node of nodes) {
    let rest = node;
    for (;;) {
      const folded = fold(rest.data);
      const hit = firstHit(folded.text, words);
      if (!hit) break;
      const start = folded.at[hit.at];
      const end = folded.at[hit.at + hit.len];
      if (end <= start) break;
      const matched = start > 0 ? rest.splitText(start) : rest;
      const after = matched.splitText(end - start);
      const mark = document.createElement("mark");
      mark.className = cls;
      matched.replaceWith(mark);
      mark.append(matched);
      marks.push(mark);
      rest = after;
    }
  }
  return marks;
}

/** `text` lower-cased with its diacritics removed (NFD, combining marks dropped), and
 *  for each UTF-16 offset of the result the offset in `text` it came from (one more
 *  entry: the end), so a match in the folded text maps back to the original. */
export function fold(text) {
  let out = "";
  const at = [];
  let i = 0;
  for (const ch of text) {
    const f = ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    for (let k = 0; k < f.length; k += 1) at.push(i);
    out += f;
    i += ch.length;
  }
  at.push(i);
  return { text: out, at };
}

function firstHit(text, words) {
  let best = null;
  for (const w of words) {
    const at = text.indexOf(w);
    if (at >= 0 && (!best || at < best.at)) best = { at, len: w.length };
  }
  return best;
}

/** Removes the marks of class `cls` under `root`, joining the text back. */
export function unmark(root, cls) {
  if (!root) return;
  for (const m of root.querySelectorAll(`mark.${cls}`)) {
    const parent = m.parentNode;
    m.replaceWith(...m.childNodes);
    parent.normalize();
  }
}

/** The words of a query, as the learner typed them (quotes, operators and column
 *  filters dropped, as the core does). */
export function queryTerms(query) {
  return query
    .replace(/\{[^}]*\}\s*:/g, " ")
    .replace(/\b(?:title|heading|body|code|prompts):/gi, " ")
    .split(/[\s"*()^:+{}]+/)
    .map((t) => t.trim())
    .filter((t) => !["AND", "OR", "NOT", "NEAR"].includes(t))
    .filter((t) => t.length > 1 || /[^\x00-\x7f]/.test(t));
}

/** Scrolls the open lesson to the learner's highlight `id` and flashes it (a note chosen
 *  in the notes view or the search palette); false when it is not drawn. */
export function reveal(id) {
  const mark = document.querySelector(`mark.hl[data-annotation="${CSS.escape(id)}"]`);
  if (!mark) return false;
  mark.scrollIntoView({ block: "center" });
  mark.classList.add("flash");
  return true;
}
