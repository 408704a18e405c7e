// The router: the location hash picks a view through the route table. A new view is
// one row here plus its module in views/.

import { state } from "./state.js";
import { guard, toast } from "./dom.js";
import * as course from "./views/course.js";
import * as lesson from "./views/lesson.js";
import * as settings from "./views/settings.js";
import * as dashboard from "./views/dashboard.js";
import * as review from "./views/review.js";

const ROUTES = [
  { name: "course", pattern: /^$/, show: () => course.show() },
  { name: "settings", pattern: /^settings$/, show: () => settings.show() },
  { name: "dashboard", pattern: /^dashboard$/, show: () => dashboard.show() },
  { name: "review", pattern: /^review$/, show: () => review.show() },
  {
    name: "lesson",
    pattern: /^lesson\/([^/]+)(?:\/(.+))?$/,
    show: ([, id, anchor]) => {
      id = decodeURIComponent(id);
      anchor = anchor && decodeURIComponent(anchor);
      if (id === state.current && anchor) return lesson.scrollToAnchor(anchor);
      return lesson.show(id, anchor);
    },
  },
];

export function lessonHref(id, anchor) {
  return `#lesson/${encodeURIComponent(id)}` + (anchor ? `/${encodeURIComponent(anchor)}` : "");
}

/** Draws the view the hash names. */
export function route() {
  const hash = location.hash.replace(/^#/, "");
  for (const r of ROUTES) {
    const m = r.pattern.exec(hash);
    if (m) return guard(() => r.show(m));
  }
  toast(`Nothing to show at “#${hash}”`);
  location.hash = "";
  return undefined;
}

/** Goes to `hash`, redrawing even when it is already the current one. */
export function go(hash) {
  if (location.hash === hash || (hash === "" && location.hash === "")) return route();
  location.hash = hash;
  return undefined;
}
