// The Settings view (#settings): preferences (stored in the progress database), where
// that database and its backups live, whether progress is being saved, and Reset course.

import { $, el, keepFocus, orElse } from "../dom.js";
import { state } from "../state.js";
import { api, setWindowTitle } from "../api.js";
import { READING_SIZES, readingScale, themePref } from "../prefs.js";
import * as outline from "./outline.js";
import { leave } from "./lesson.js";

export function show() {
  leave();
  const s = state.status;
  $("view").replaceChildren(
    el(
      "article",
      { class: "settings", "aria-labelledby": "settings-title" },
      el("h1", { id: "settings-title", text: "Settings" }),
      el(
        "section",
        { class: "settings-group", "aria-labelledby": "settings-look" },
        el("h2", { id: "settings-look", text: "Reading" }),
        field("settings-theme", "Theme", "setTheme", [["system", "System theme"], ["light", "Light"], ["dark", "Dark"]], themePref()),
        field("settings-size", "Reading size", "setReadingSize", READING_SIZES.map((x) => [String(x), `${Math.round(x * 100)}%`]), String(readingScale()))
      ),
      reviewGroup(s),
      el(
        "section",
        { class: "settings-group", "aria-labelledby": "settings-data" },
        el("h2", { id: "settings-data", text: "Your progress" }),
        el("p", { class: s && s.saving ? "saving" : "not-saving", text: s && s.saving ? "Progress is saved as you study." : "Progress is not being saved in this session." }),
        s && s.notice ? el("p", { class: "muted", text: s.notice.message }) : null,
        el(
          "dl",
          { class: "data-paths" },
          el("dt", { text: "Database" }),
          el("dd", {}, el("code", { text: s ? s.db : "" })),
          el("dt", { text: "Backups" }),
          el("dd", {}, el("code", { text: s ? s.backups : "" }))
        ),
        el("p", { class: "muted", text: "A backup is made at each start; the last 5 are kept. To bring one back, quit Lectern and run: lectern progress restore BACKUP" }),
        el("h3", { text: "Reset course" }),
        el("p", { class: "muted", text: `Forget everything you did in “${state.outline.title}”: positions, reading time, answers and scores. A backup is made first.` }),
        el("button", { type: "button", class: "button danger", id: "reset-course", "data-action": "resetCourse", disabled: !(s && s.saving), text: "Reset course progress…" })
      )
    )
  );
  $("crumbs").textContent = `${state.outline.title} › Settings`;
  document.title = `Settings — Lectern`;
  setWindowTitle(document.title);
  outline.markCurrent();
  $("main").scrollTop = 0;
  keepFocus();
}

/** Desired retentions offered (the core accepts 0.70–0.99; 0.90 is FSRS's default). */
const RETENTIONS = [
  ["0.8", "80% — fewest reviews"],
  ["0.85", "85%"],
  ["0.9", "90% — recommended"],
  ["0.95", "95%"],
  ["0.97", "97% — most reviews"],
];

/** Spaced review: how much of what was learned the schedule aims to keep. */
function reviewGroup(s) {
  const f = field("settings-retention", "Remember", "setRetention", RETENTIONS, "0.9");
  const select = f.querySelector("select");
  select.disabled = !(s && s.saving);
  select.setAttribute("aria-describedby", "settings-retention-help");
  orElse(api.reviewRetention(), null).then((value) => {
    if (value === null) return;
    const v = String(value);
    if (!RETENTIONS.some(([x]) => x === v)) select.append(el("option", { value: v, text: `${Math.round(value * 100)}%` }));
    select.value = v;
  });
  return el(
    "section",
    { class: "settings-group", "aria-labelledby": "settings-review" },
    el("h2", { id: "settings-review", text: "Review" }),
    f,
    el("p", { class: "muted", id: "settings-retention-help", text: "Each question comes back for review when you would still remember it with this probability. Higher means shorter intervals and more reviews; a change applies from the next answer." }),
    ...limitFields(s)
  );
}

/** Daily limits offered, as Anki's: new cards (first time in a review session) and
 *  reviews per day; 9999 is no limit. Defaults 20 and 200 (the core's). */
const NEW_PER_DAY = ["0", "5", "10", "20", "50", "100"];
const REVIEWS_PER_DAY = ["50", "100", "200", "500", "1000"];

function limitFields(s) {
  const offer = (values) => [...values.map((v) => [v, v]), ["9999", "No limit"]];
  const fNew = field("settings-new", "New cards per day", "setReviewLimits", offer(NEW_PER_DAY), "20");
  const fReviews = field("settings-reviews", "Reviews per day", "setReviewLimits", offer(REVIEWS_PER_DAY), "200");
  const selects = [fNew.querySelector("select"), fReviews.querySelector("select")];
  for (const select of selects) {
    select.disabled = !(s && s.saving);
    select.setAttribute("aria-describedby", "settings-limits-help");
  }
  orElse(api.reviewLimits(), null).then((limits) => {
    if (!limits) return;
    [limits.new_per_day, limits.reviews_per_day].forEach((n, i) => {
      const v = String(n);
      if (!Array.from(selects[i].options).some((o) => o.value === v)) selects[i].append(el("option", { value: v, text: v }));
      selects[i].value = v;
    });
  });
  const help = "Each day's review sessions show at most this many cards new to review (answered in a quiz, never yet in a review) and cards reviewed before; the rest wait for the next day. A card you miss still comes back the same day.";
  return [fNew, fReviews, el("p", { class: "muted", id: "settings-limits-help", text: help })];
}

/** A labelled select whose changes run the action `action` with `{ value }`. */
function field(id, label, action, options, current) {
  const select = el("select", { id, "data-change": action }, ...options.map(([v, t]) => el("option", { value: v, text: t })));
  select.value = current;
  return el("p", { class: "settings-field" }, el("label", { for: id, text: label }), select);
}
