// The `?` dialog, generated from the keymap: one row per binding, so the help lists
// exactly what the keys do.

import { $, el } from "../dom.js";
import { KEYMAP, keyParts } from "../keymap.js";

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

export function draw() {
  $("help-keys").replaceChildren(
    ...KEYMAP.map((b) => el("div", { class: "help-row", "data-binding": b.action }, keysCell(b), el("dd", { text: b.help })))
  );
}

export function toggle() {
  const dlg = $("help");
  if (dlg.open) dlg.close();
  else dlg.showModal();
}
