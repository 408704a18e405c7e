// The confirmation dialog (Reset this lesson, Reset course): a modal <dialog> whose
// focus starts on Cancel, so Enter never destroys anything by surprise; Escape cancels.

import { $ } from "../dom.js";

/** Asks `text` under `title`; resolves to true only when `ok` is chosen. */
export function ask({ title, text, ok }) {
  const dlg = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-ok").textContent = ok;
  const back = document.activeElement;
  return new Promise((resolve) => {
    const done = (answer) => {
      $("confirm-ok").onclick = null;
      $("confirm-cancel").onclick = null;
      dlg.oncancel = null;
      if (dlg.open) dlg.close();
      if (back && back.isConnected) back.focus({ preventScroll: true });
      resolve(answer);
    };
    $("confirm-ok").onclick = () => done(true);
    $("confirm-cancel").onclick = () => done(false);
    dlg.oncancel = (e) => {
      e.preventDefault();
      done(false);
    };
    dlg.showModal();
    $("confirm-cancel").focus();
  });
}

export function isOpen() {
  return $("confirm").open;
}
