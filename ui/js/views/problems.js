// Problems: the sidebar badge and the course's Problems panel show exactly what
// `lectern check` reports (the `check_course` command); a lesson page lists its own.
// Both lists are drawn by `diagnosticList`; each problem's Edit button opens the file
// at its line in the author's editor.

import { $, el, plural } from "../dom.js";
import { state } from "../state.js";
import { lessonHref } from "../router.js";

/** A list of diagnostics; a problem in a lesson that loaded links to that lesson. */
export function diagnosticList(diagnostics, { linkLessons }) {
  const byPath = new Map();
  if (linkLessons) for (const s of state.outline.sections) for (const l of s.lessons) byPath.set(l.path, l.id);
  return el(
    "ul",
    { class: "diag-list" },
    ...diagnostics.map((d) => {
      const loc = `${d.path}:${d.line}:${d.column}`;
      return el(
        "li",
        { class: `diag diag-${d.severity}`, "data-code": d.code, "data-line": d.line },
        el("span", { class: "diag-sev", text: d.severity }),
        byPath.has(d.path)
          ? el("a", { class: "diag-loc", href: lessonHref(byPath.get(d.path)), text: loc })
          : el("code", { class: "diag-loc", text: loc }),
        el("span", { class: "diag-code", text: `[${d.code}]` }),
        el("button", { type: "button", class: "diag-edit", "data-action": "editAt", "data-path": d.path, "data-line": d.line, "aria-label": `Edit ${loc}`, title: "Open in your editor at this line", text: "Edit" }),
        el("span", { class: "diag-msg", text: d.message })
      );
    })
  );
}

function summary(report) {
  const parts = [];
  if (report.errors) parts.push(plural(report.errors, "error"));
  if (report.warnings) parts.push(plural(report.warnings, "warning"));
  return parts.join(", ");
}

/** Draws the badge and the panel from `state.report` (hidden while it is unknown). */
export function draw() {
  const badge = $("diag-badge");
  const box = $("diagnostics");
  const report = state.report;
  document.body.dataset.checked = report ? "true" : "false";
  if (!report || !report.diagnostics.length) {
    badge.hidden = true;
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const text = summary(report);
  badge.hidden = false;
  badge.className = "diag-badge " + (report.errors ? "has-errors" : "has-warnings");
  badge.textContent = text;
  badge.setAttribute("aria-label", `Problems in this course: ${text}`);
  badge.setAttribute("aria-expanded", String(!box.hidden));
  box.replaceChildren(
    el("h2", { id: "diagnostics-title", text: `Problems in this course (${text})` }),
    diagnosticList(errorsFirst(report.diagnostics), { linkLessons: true })
  );
}

/** The errors before the warnings, each in the core's order: what broke comes before
 *  what may follow from it. */
function errorsFirst(diagnostics) {
  const error = (d) => d.severity === "error";
  return [...diagnostics.filter(error), ...diagnostics.filter((d) => !error(d))];
}

/** Shows or hides the panel; focus goes to it when shown. */
export function toggle() {
  const box = $("diagnostics");
  if (!state.report || !state.report.diagnostics.length) return;
  box.hidden = !box.hidden;
  $("diag-badge").setAttribute("aria-expanded", String(!box.hidden));
  if (!box.hidden) {
    box.scrollIntoView({ block: "start" });
    box.focus({ preventScroll: true });
  }
}

/** Closes the panel (another course was opened). */
export function close() {
  $("diagnostics").hidden = true;
}
