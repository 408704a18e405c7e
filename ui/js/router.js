// The router: the location hash picks a view through the route table. A new view is
// one row here plus its module in views/.
//
// Every navigation is a history entry (in-lesson jumps too: a TOC entry, the quiz's
// "Review:" link), and the place left is kept in its entry (`remember`: the lesson's
// scroll), so Back and Forward (`back`, `forward`) return to where the learner was.

import { state } from "./state.js";
import { $, guard, toast } from "./dom.js";
import * as course from "./views/course.js";
import * as lesson from "./views/lesson.js";
import * as settings from "./views/settings.js";
import * as dashboard from "./views/dashboard.js";
import * as review from "./views/review.js";
import * as notes from "./views/notes.js";

const ROUTES = [
  { name: "course", pattern: /^$/, show: () => course.show() },
  { name: "settings", pattern: /^settings$/, show: () => settings.show() },
  { name: "dashboard", pattern: /^dashboard$/, show: () => dashboard.show() },
  { name: "review", pattern: /^review$/, show: () => review.show() },
  { name: "practice", pattern: /^practice\/(.+)$/, show: ([, scope]) => review.show(decodeURIComponent(scope)) },
  { name: "notes", pattern: /^notes$/, show: () => notes.show() },
  {
    name: "lesson",
    pattern: /^lesson\/([^/]+)(?:\/(.+))?$/,
    show: ([, id, anchor], saved) => {
      id = decodeURIComponent(id);
      anchor = anchor && decodeURIComponent(anchor);
      // Back within the open lesson: it is not drawn again (a half-answered quiz stays).
      if (id === state.current && saved) return undefined;
      if (id === state.current && anchor) return lesson.scrollToAnchor(anchor);
      return lesson.show(id, anchor);
    },
  },
];

/** "Practise this section" of a section slug or a lesson id. */
export function practiceHref(scope) {
  return `#practice/${encodeURIComponent(scope)}`;
}

export function lessonHref(id, anchor) {
  return `#lesson/${encodeURIComponent(id)}` + (anchor ? `/${encodeURIComponent(anchor)}` : "");
}

/** Draws the view the hash names. `saved`: what `remember` kept in the history entry
 *  come back to (Back or Forward), whose scroll is restored once the view is drawn. */
export async function route(saved) {
  const hash = location.hash.replace(/^#/, "");
  for (const r of ROUTES) {
    const m = r.pattern.exec(hash);
    if (!m) continue;
    await guard(() => r.show(m, saved));
    // Unless another navigation overtook this one meanwhile.
    if (saved && location.hash.replace(/^#/, "") === hash) $("main").scrollTo({ top: saved.scroll, behavior: "instant" });
    return undefined;
  }
  toast(`Nothing to show at “#${hash}”`);
  location.hash = "";
  return undefined;
}

/** Goes to `hash`, redrawing even when it is already the current one. */
export function go(hash) {
  if (location.hash === hash || (hash === "" && location.hash === "")) return route();
  remember();
  location.hash = hash;
  return undefined;
}

/** Keeps where the learner is in the current history entry, before leaving it. */
export function remember() {
  history.replaceState({ scroll: $("main").scrollTop }, "");
}

/** Back to the place before (Alt+Left), or forward again (Alt+Right). */
export function back() {
  remember();
  history.back();
}

export function forward() {
  remember();
  history.forward();
}
