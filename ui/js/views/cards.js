// "Make a card" (the notes issue): a highlight becomes a review card that hides the
// highlighted phrase in its sentence, and a review card made so says where it came
// from and whether that sentence still reads the same.
//
// Making is the core's (`make_card`: it places the highlight, cuts the sentence and
// schedules the card with the course's questions); this module picks the highlight
// (the toolbar's, the one at the selection, or the selection highlighted first) and
// draws the card's source line in review. Text is set with DOM APIs only.

import { el, toast } from "../dom.js";
import { api } from "../api.js";
import { state } from "../state.js";
import { lessonHref } from "../router.js";
import { highlight, highlightAt, closeToolbar } from "./highlights.js";
import { ask } from "./confirm.js";

/** `k` or the toolbar's Card: makes a review card of the highlight meant (a selection
 *  not yet highlighted is highlighted first). Resolves to whether a card exists now. */
export async function makeCard(node) {
  let id = highlightAt(node);
  const sel = window.getSelection();
  if (!id && sel && !sel.isCollapsed) {
    await highlight();
    id = highlightAt(null);
  }
  if (!id) {
    toast("Select text of the lesson or click a highlight first, then make a card");
    return false;
  }
  const card = await api.makeCard(id);
  closeToolbar();
  toast(card.created ? `Card made, due in review now: “${card.prompt}”` : "This highlight already has a card");
  return true;
}

/** `D` or the card's Delete card button: deletes the card on screen when the learner
 *  made it, after asking (focus starts on Cancel). Resolves to its id once deleted,
 *  else null (the course's own questions are not the learner's to delete). */
export async function deleteCard() {
  const card = state.review && state.review.card;
  if (!card) return null;
  if (!card.made) {
    toast("Only cards you made can be deleted: this is one of the course's questions");
    return null;
  }
  const prompt = document.querySelector("fieldset.review-card .q-prompt");
  const ok = await ask({
    title: "Delete this card?",
    text: `Your card “${prompt ? prompt.textContent.trim() : card.lesson_title}” leaves your reviews for good.${card.made.state === "removed" ? "" : " The highlight it was made from stays: you can make a card of it again."}`,
    ok: "Delete card",
  });
  if (!ok) return null;
  const existed = await api.deleteMadeCard(card.question.id);
  toast(existed ? "Card deleted" : "This card was already deleted");
  return card.question.id;
}

/** The source line of a review card the learner made (none for the course's own
 *  questions): a link to the lesson at the highlight, what changed since, and the
 *  button that deletes it. */
export function sourceNotes(card) {
  const made = card.made;
  if (!made) return [];
  const lines = sourceLines(card, made);
  lines[0].append(" · ", el("button", { type: "button", class: "link-button delete-card", "data-action": "deleteCard", "aria-keyshortcuts": "Shift+D", title: "Delete this card (Shift+D; asks first)", text: "Delete card" }));
  return lines;
}

function sourceLines(card, made) {
  const link = (text) => el("a", { href: lessonHref(card.lesson), "data-lesson": card.lesson, "data-note": made.annotation, text });
  const from = el("p", { class: "review-source muted" }, "Your card, from a highlight in ", link(`“${card.lesson_title}”`));
  if (made.state === "same") return [from];
  if (made.state === "removed") {
    return [el("p", { class: "review-source muted", id: "card-source-state", text: `Your card, from “${card.lesson_title}”. Source removed: you removed the highlight it was made from; the card keeps its text.` })];
  }
  const changed =
    made.state === "changed"
      ? el("p", { class: "card-changed", id: "card-source-state" }, "The lesson's sentence has changed since you made this card. It now reads: ", el("q", { text: made.text }), " ", link("See it in the lesson"))
      : el("p", { class: "card-changed", id: "card-source-state", text: "The highlighted text is no longer in the lesson; the card keeps what you captured." });
  return [from, changed];
}
