// Highlighting words in a lesson: text nodes are split and wrapped in <mark> through DOM
// APIs only (never innerHTML of lesson text), and unwrapped again.

/** Wraps every case-insensitive occurrence of any of `terms` under `root` in
 *  `<mark class=cls>`; returns the marks in document order. */
export function markTerms(root, terms, cls) {
  const words = terms.map((t) => t.toLowerCase()).filter((t) => t.length > 0);
  if (!root || words.length === 0) return [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  const marks = [];
  for (const node of nodes) {
    let rest = node;
    for (;;) {
      const hit = firstHit(rest.data.toLowerCase(), words);
      if (!hit) break;
      const matched = hit.at > 0 ? rest.splitText(hit.at) : rest;
      const after = matched.splitText(hit.len);
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

/** The words of a query, as the learner typed them (quotes and operators dropped). */
export function queryTerms(query) {
  return query
    .split(/[\s"*()^:+]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 1 || /[^\x00-\x7f]/.test(t));
}
