// Offsets in the lesson's plain text (the notes issue): the text nodes of
// #lesson-body in order, skipping the controls the window adds there (marked
// `data-ui`), are the text the core makes from the rendered lesson
// (`anchor::plain_text`), so a DOM point and a UTF-16 offset of the core's text convert
// both ways. Used by views/highlights.js to send selections and draw highlights.

/** The text nodes of `root` in order, without those inside the window's controls. */
function textNodes(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) =>
      n.parentElement && n.parentElement.closest("[data-ui], #lesson-body") !== root ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  return nodes;
}

/** The plain-text offset of the DOM point (`container`, `offset`) under `root`. */
export function offsetOf(root, container, offset) {
  const probe = document.createRange();
  probe.setStart(container, offset);
  let at = 0;
  for (const n of textNodes(root)) {
    if (n === container) return at + offset;
    if (probe.comparePoint(n, 0) >= 0) return at;
    at += n.data.length;
  }
  return at;
}

/** The text nodes of `root` in order, each with its plain-text offset `at`: built once
 *  per draw, so 200 highlights cost one walk of the text, not one each. */
export function indexText(root) {
  let at = 0;
  return textNodes(root).map((n) => ({ n, at: (at += n.data.length) - n.data.length }));
}

/** Wraps the text between `start` and `end` in marks `make()` gives; returns them. The
 *  nodes it splits are put into `index` in their place, so it stays true for the next. */
export function wrap(index, start, end, make) {
  const marks = [];
  let lo = 0;
  for (let hi = index.length; lo + 1 < hi; ) {
    const mid = (lo + hi) >> 1;
    if (index[mid].at <= start) lo = mid;
    else hi = mid;
  }
  for (let i = lo; i < index.length && index[i].at < end; i += 1) {
    const { n, at } = index[i];
    const s = Math.max(start - at, 0);
    const e = Math.min(end - at, n.data.length);
    if (e <= s || !n.data.slice(s, e).trim()) continue;
    let part = n;
    if (s > 0) index.splice((i += 1), 0, { n: (part = n.splitText(s)), at: at + s });
    if (e - s < part.data.length) index.splice(i + 1, 0, { n: part.splitText(e - s), at: at + e });
    const mark = make();
    part.replaceWith(mark);
    mark.append(part);
    marks.push(mark);
  }
  return marks;
}
