// The dashboard (#dashboard): the streak, each section's completion, reviews due in
// the next 14 days (and whether the daily limits hold some back), questions answered and minutes studied in the last 8 weeks, and the
// questions most often missed with links to the sections that teach them. Every figure
// comes from the core (`dashboard`); this module only draws it.
//
// Charts are plain inline SVG built with DOM APIs (no library, nothing inline the CSP
// forbids: colours are classes whose fill is a theme variable). The SVG is decorative
// to assistive technology; each chart's <figure> holds a visually hidden <table> with
// the same figures.

import { $, el, keepFocus, minutes, notSaved, orElse, plural, toast } from "../dom.js";
import { state } from "../state.js";
import { api, setWindowTitle } from "../api.js";
import { lessonHref } from "../router.js";
import { bar, doneText } from "./progress.js";
import * as outline from "./outline.js";
import { leave } from "./lesson.js";
import { limitNote } from "./review.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 640;
const HEIGHT = 130;
const PAD = { top: 16, right: 8, bottom: 22, left: 34 };

export async function show() {
  const ticket = leave();
  let d;
  try {
    d = await api.dashboard();
  } catch (e) {
    d = { error: e };
  }
  // Whether the daily limits keep due cards for tomorrow (the session's count).
  const session = d.error ? null : await orElse(api.reviewSession(), null);
  if (ticket !== state.navTicket) return;
  $("view").replaceChildren(d.error ? unavailable(d.error) : page(d, session ? session.held_back : 0));
  // Not saving is what the notice said at start; anything else is news.
  if (d.error && !notSaved(d.error)) toast(d.error.message);
  $("crumbs").textContent = `${state.outline.title} › Dashboard`;
  document.title = `Dashboard — ${state.outline.title} — Lectern`;
  setWindowTitle(document.title);
  outline.markCurrent();
  $("main").scrollTop = 0;
  keepFocus();
}

/** Without a progress database (or when it fails) there is nothing to show: say why. */
function unavailable(error) {
  return el(
    "article",
    { class: "dashboard", "aria-labelledby": "dashboard-title", "data-code": error.code },
    el("h1", { id: "dashboard-title", text: "Your study" }),
    el("p", { class: "muted", text: `The dashboard is not available: ${error.message}` })
  );
}

function page(d, heldBack) {
  return el(
    "article",
    { class: "dashboard", "aria-labelledby": "dashboard-title" },
    el("h1", { id: "dashboard-title", text: "Your study" }),
    streak(d.streak),
    sections(d.sections),
    dueChart(d.due),
    limitNote(heldBack),
    historyChart(d.history),
    missed(d.missed),
    leeches(d.leeches, d.leech_lapses)
  );
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  for (const c of children) if (c) node.append(c);
  return node;
}

/** A date `YYYY-MM-DD` as a local Date (midnight). */
function dateOf(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d);
}

const dayName = (iso) => dateOf(iso).toLocaleDateString(undefined, { weekday: "short" });
const shortDate = (iso) => dateOf(iso).toLocaleDateString(undefined, { month: "short", day: "numeric" });
const longDate = (iso) => dateOf(iso).toLocaleDateString(undefined, { weekday: "long", month: "long", day: "numeric" });

function block(id, title, ...children) {
  return el("section", { class: "dash-block", "aria-labelledby": id }, el("h2", { id, text: title }), ...children);
}

function streak(s) {
  const today = s.today ? "You have studied today." : s.current ? "Study today to keep your streak." : "Study today to start a streak.";
  return el(
    "section",
    { class: "dash-streak", "aria-labelledby": "dash-streak-title" },
    el("h2", { id: "dash-streak-title", class: "visually-hidden", text: "Streak" }),
    el("p", { class: "streak-figure" }, el("strong", { id: "streak-current", text: plural(s.current, "day") }), el("span", { text: " current streak" })),
    el("p", { class: "streak-figure" }, el("strong", { id: "streak-longest", text: plural(s.longest, "day") }), el("span", { text: " longest streak" })),
    el("p", { class: "muted streak-today", text: today })
  );
}

function sections(list) {
  return block(
    "dash-sections-title",
    "Sections",
    el(
      "ul",
      { class: "dash-sections" },
      ...list.map((s) =>
        el("li", {}, el("span", { class: "dash-section-title", text: s.title }), bar(s.completed, s.total, `${s.title}: ${doneText(s.completed, s.total)}`, "pbar-wide"))
      )
    )
  );
}

/** A rounded-up scale maximum and its ticks (0, half, max). */
function scale(values) {
  const top = Math.max(1, ...values);
  const step = top <= 5 ? 1 : top <= 10 ? 2 : 10 ** Math.floor(Math.log10(top)) / 2;
  const max = Math.ceil(top / step) * step;
  return { max, ticks: max >= 2 ? [0, max / 2, max] : [0, max] };
}

/**
 * A bar chart: one bar per entry of `values`, `labels[i]` under bar i when not empty,
 * the value above nonzero bars when `showValues`. Decorative (aria-hidden): the table
 * beside it carries the figures.
 */
function barChart(values, labels, cls, { showValues = false, height = HEIGHT } = {}) {
  const { max, ticks } = scale(values);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const slot = plotW / values.length;
  const y = (v) => PAD.top + plotH - (v / max) * plotH;
  const grid = ticks.map((t) =>
    svg(
      "g",
      { class: "chart-tick" },
      svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(t), y2: y(t), class: "chart-grid" }),
      svg("text", { x: PAD.left - 6, y: y(t) + 4, class: "chart-label chart-y" }, document.createTextNode(String(t)))
    )
  );
  const bars = values.map((v, i) => {
    const x = PAD.left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    const h = (v / max) * plotH;
    return svg(
      "g",
      {},
      v > 0 ? svg("rect", { x, y: y(v), width: w, height: h, rx: Math.min(3, w / 4), class: `chart-bar ${cls}` }) : null,
      showValues && v > 0 ? svg("text", { x: x + w / 2, y: y(v) - 4, class: "chart-label chart-value" }, document.createTextNode(String(v))) : null,
      labels[i] ? svg("text", { x: x + w / 2, y: height - 6, class: "chart-label chart-x" }, document.createTextNode(labels[i])) : null
    );
  });
  return svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "chart", "aria-hidden": "true", focusable: "false" }, ...grid, ...bars);
}

/** The table behind a chart: `head` names the columns, `rows` are arrays of cells. */
function dataTable(caption, head, rows) {
  return el(
    "table",
    { class: "visually-hidden chart-table" },
    el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, el("th", { scope: "row", text: r[0] }), ...r.slice(1).map((c) => el("td", { text: String(c) })))))
  );
}

function figure(id, title, summary, ...content) {
  return el(
    "figure",
    { class: "dash-block dash-chart", id, "aria-labelledby": `${id}-caption` },
    el("figcaption", { id: `${id}-caption` }, el("h2", { text: title }), el("p", { class: "muted", text: summary })),
    ...content
  );
}

function dueChart(due) {
  const total = due.reduce((a, d) => a + d.count, 0);
  const summary = total ? `${plural(total, "review")} in the next ${due.length} days, ${due[0].count} of them today.` : `No reviews due in the next ${due.length} days.`;
  const labels = due.map((d, i) => (i === 0 ? "Today" : dayName(d.date)));
  return figure(
    "chart-due",
    "Reviews due",
    summary,
    barChart(due.map((d) => d.count), labels, "bar-due", { showValues: true }),
    dataTable("Reviews due per day", ["Day", "Reviews due"], due.map((d, i) => [i === 0 ? `Today, ${longDate(d.date)}` : longDate(d.date), d.count]))
  );
}

function historyChart(history) {
  const answered = history.map((d) => d.answered);
  const mins = history.map((d) => d.minutes);
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const days = history.filter((d) => d.answered || d.minutes).length;
  const weeks = Math.round(history.length / 7);
  // A date under the first day of each week (Monday-aligned or not: every 7th bar).
  const labels = history.map((d, i) => ((history.length - 1 - i) % 7 === 0 ? shortDate(d.date) : ""));
  return figure(
    "chart-history",
    `The last ${weeks} weeks`,
    `${plural(sum(answered), "question")} answered and ${minutes(sum(mins)) || "no time"} studied, on ${plural(days, "day")}.`,
    el("p", { class: "chart-legend", "aria-hidden": "true" }, el("span", { class: "legend-swatch bar-answered" }), "Questions answered"),
    barChart(answered, labels, "bar-answered", { height: 100 }),
    el("p", { class: "chart-legend", "aria-hidden": "true" }, el("span", { class: "legend-swatch bar-minutes" }), "Minutes studied"),
    barChart(mins, labels, "bar-minutes", { height: 100 }),
    dataTable(
      "Questions answered and minutes studied per day",
      ["Day", "Questions answered", "Minutes studied"],
      history.map((d) => [longDate(d.date), d.answered, d.minutes])
    )
  );
}

/** A missed question's prompt as the quiz shows it: the core's sanitized HTML (formulas
 *  as MathML), its own links unwrapped, since the whole prompt links to its section. */
function promptOf(m) {
  const node = el("span", { class: "missed-prompt" });
  node.innerHTML = m.prompt_html; // rendered and sanitized by the core
  for (const a of node.querySelectorAll("a")) a.replaceWith(...a.childNodes);
  return node;
}

function missed(list) {
  const body = list.length
    ? el(
        "ol",
        { class: "dash-missed" },
        ...list.map((m) =>
          el(
            "li",
            {},
            el("a", { href: lessonHref(m.lesson, m.section && m.section.id), class: "missed-link" }, promptOf(m)),
            el("span", { class: "muted missed-meta", text: `Missed ${plural(m.misses, "time")} · ${m.lesson_title}${m.section ? ` › ${m.section.text}` : ""}` })
          )
        )
      )
    : el("p", { class: "muted", text: "No question missed yet." });
  return block("dash-missed-title", "Most often missed", body);
}

/** Cards forgotten again and again, with the section to reread and what to do. */
function leeches(list, lapses) {
  const act = (l, card, text) =>
    el("button", { type: "button", class: "button", "data-action": "leechAction", "data-lesson": l.lesson, "data-question": l.question, "data-card": card, "aria-label": `${text}: ${l.prompt}`, text });
  const body = list.length
    ? el(
        "ul",
        { class: "dash-leeches" },
        ...list.map((l) =>
          el(
            "li",
            { class: l.suspended ? "leech suspended" : "leech" },
            el("a", { href: lessonHref(l.lesson, l.section && l.section.id), class: "missed-link", text: l.prompt }),
            el("span", { class: "muted missed-meta", text: `Forgotten ${plural(l.lapses, "time")}${l.suspended ? " · suspended" : ""} · ${l.lesson_title}${l.section ? ` › ${l.section.text}` : ""}` }),
            el("span", { class: "leech-actions" }, l.suspended ? act(l, "unsuspend", "Unsuspend") : act(l, "suspend", "Suspend"), " ", act(l, "reset", "Reset"))
          )
        )
      )
    : el("p", { class: "muted", text: `No leech: no card forgotten ${lapses} times.` });
  return block("dash-leeches-title", "Leeches", el("p", { class: "muted", text: `Cards forgotten ${lapses} times or more. Reread the section that teaches one, then reset it to start over, or suspend it: a suspended card is never due.` }), body);
}

/** Suspends, unsuspends or resets a leech, then draws the dashboard again. */
export async function cardAction(lesson, question, action) {
  await api.reviewCardAction(lesson, question, action);
  toast(action === "reset" ? "Card reset: it starts over, due today" : action === "suspend" ? "Card suspended: never due" : "Card unsuspended");
  await show();
}
