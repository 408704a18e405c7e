// The Settings view (#settings): preferences (stored in the progress database), where
// that database and its backups live, whether progress is being saved, and Reset course.

import { $, el, keepFocus, orElse, plural, toast } from "../dom.js";
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
  const model = el("div", { id: "settings-model", "aria-live": "polite" });
  drawModel(model, s);
  return el(
    "section",
    { class: "settings-group", "aria-labelledby": "settings-review" },
    el("h2", { id: "settings-review", text: "Review" }),
    f,
    el("p", { class: "muted", id: "settings-retention-help", text: "Each question comes back for review when you would still remember it with this probability. Higher means shorter intervals and more reviews; a change applies from the next answer." }),
    ...limitFields(s),
    el("h3", { id: "settings-model-title", text: "Your memory model" }),
    model
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

const figure = (x) => (x ? `log loss ${x.log_loss.toFixed(4)}, RMSE ${x.rmse.toFixed(4)}` : "");
const day = (ms) => new Date(ms).toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });

/** Which FSRS parameters schedule this course, from which fit, with both figures;
 *  "Optimize now" and "Reset to defaults". */
async function drawModel(box, s) {
  const p = await orElse(api.reviewParameters(), null);
  if (!p) {
    box.replaceChildren(el("p", { class: "muted", text: "Fitting needs a progress database." }));
    return;
  }
  const inUse = p.defaults
    ? `In use: FSRS's default parameters${p.fit && p.fit.kind === "reset" ? ` (reset on ${day(p.fit.at)})` : ""}.`
    : `In use: fitted to your answers on ${day(p.fit.at)}, from ${plural(p.fit.reviews, "answer")}: ${figure(p.fit.new)} (the parameters before: ${figure(p.fit.old)}).`;
  const last = p.last && p.last.kind !== "reset" && !p.last.adopted
    ? el("p", { id: "settings-model-last", text: `The last fit, on ${day(p.last.at)} from ${plural(p.last.reviews, "answer")}, was not adopted: it did not predict your answers better (${figure(p.last.new)}; in use: ${figure(p.last.old)}).` })
    : null;
  const off = !(s && s.saving);
  // `replaceChildren` would write a missing part as the text "null": filter them.
  box.replaceChildren(
    ...[
      el("p", { id: "settings-model-in-use", text: inUse }),
      last,
      el("details", {}, el("summary", { text: "The 21 parameters" }), el("code", { class: "model-parameters", text: p.parameters.map((x) => x.toFixed(4)).join(", ") })),
      el(
        "p",
        { class: "settings-actions" },
        el("button", { type: "button", class: "button", id: "optimize-review", "data-action": "optimizeReview", disabled: off, text: "Optimize now" }),
        " ",
        el("button", { type: "button", class: "button", id: "reset-review-parameters", "data-action": "resetReviewParameters", disabled: off || p.defaults, text: "Reset to defaults" })
      ),
      el("p", { class: "muted", text: `You have ${plural(p.reviews, "answer")} to learn from. A fit needs at least ${p.min_reviews}, and runs by itself when ${p.min_reviews} new ones came since the last; new parameters are kept only if they predict your answers better, and schedule the answers after them. A card forgotten ${p.leech_lapses} times is a leech: the dashboard lists it.` })
    ].filter(Boolean)
  );
}

/** "Optimize now": fits off the window's thread; studying goes on meanwhile. */
export async function optimize() {
  const button = $("optimize-review");
  if (button) {
    button.disabled = true;
    button.textContent = "Fitting…";
  }
  const fit = await api.optimizeReview(false).finally(() => {
    if (button) button.textContent = "Optimize now";
  });
  if (!fit || !fit.fitted) toast(`Not enough answers to fit yet (${fit ? fit.reviews : 0})`);
  else toast(fit.adopted ? "New parameters adopted: they predict your answers better" : "Parameters kept: the fit did not predict your answers better");
  const box = $("settings-model");
  if (box) await drawModel(box, state.status);
}

/** Back to FSRS's defaults. */
export async function resetParameters() {
  await api.resetReviewParameters();
  toast("Back to FSRS's default parameters");
  const box = $("settings-model");
  if (box) await drawModel(box, state.status);
}

/** A labelled select whose changes run the action `action` with `{ value }`. */
function field(id, label, action, options, current) {
  const select = el("select", { id, "data-change": action }, ...options.map(([v, t]) => el("option", { value: v, text: t })));
  select.value = current;
  return el("p", { class: "settings-field" }, el("label", { for: id, text: label }), select);
}
