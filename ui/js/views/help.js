// The `?` dialog, generated from the keymap: one row per binding, grouped by where the
// keys work, so the help lists exactly what the keys do and fits on one screen.

import { $, el } from "../dom.js";
import { KEYMAP, keyParts } from "../keymap.js";

// The groups in their three columns (fixed, not balanced by CSS columns, which split a
// tall group's margin off and start the columns unevenly), and the keymap scopes each
// holds. A key appears at most once in a group (twice would be a keymap bug).
const COLUMNS = Object.freeze([
  [{ title: "Anywhere", scopes: ["anywhere"] }],
  [
    { title: "In the outline", scopes: ["outline"] },
    { title: "In a lesson", scopes: ["lesson"] },
  ],
  [
    { title: "In a Knowledge Check question", scopes: ["question"] },
    { title: "In an answer field", scopes: ["answer", "answer-lines"] },
    { title: "In a review session", scopes: ["review"] },
    { title: "In the search palette", scopes: ["search"] },
    { title: "In the find bar", scopes: ["find"] },
    { title: "In the note editor", scopes: ["note"] },
  ],
]);

function keysCell(binding) {
  const cell = el("dt", {});
  (binding.shown || binding.keys).forEach((key, i) => {
    if (i > 0) cell.append(" or ");
    keyParts(key).forEach((part, k) => {
      if (k > 0) cell.append("+");
      cell.append(el("kbd", { text: part }));
    });
  });
  return cell;
}

function group({ title, scopes }, i) {
  const bindings = KEYMAP.filter((b) => scopes.includes(b.scope));
  const id = `help-group-${i}`;
  return el(
    "section",
    { class: "help-group", "aria-labelledby": id },
    el("h3", { id, text: title }),
    el("dl", {}, ...bindings.map((b) => el("div", { class: "help-row", "data-binding": b.action }, keysCell(b), el("dd", { text: b.help }))))
  );
}

export function draw() {
  let n = 0;
  $("help-keys").replaceChildren(...COLUMNS.map((groups) => el("div", { class: "help-column" }, ...groups.map((g) => group(g, (n += 1))))));
}

export function toggle() {
  const dlg = $("help");
  if (dlg.open) dlg.close();
  else dlg.showModal();
}
