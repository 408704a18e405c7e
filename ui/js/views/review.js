// The review session (#review): the questions due across the course, one card at a
// time, with the quiz's keys (1–9 choose, Enter checks). The core grades each answer
// (`grade_review`) and reschedules the card; after a right answer the learner may say
// it was Hard or Easy (`rate_review`; Enter keeps Good). A wrong answer links to the
// section that teaches the question, and the card comes back later in the session (the
// core keeps it in the day's session too, so leaving and coming back finds it). Escape
// leaves. The session ends with a summary; an empty queue says when the next card is
// due, and both say when the daily limits keep due cards for tomorrow.

import { $, el, announce, keepFocus, orElse, plural, scheduledText, toast } from "../dom.js";
import { state } from "../state.js";
import { api, setWindowTitle } from "../api.js";
import { lessonHref } from "../router.js";
import * as outline from "./outline.js";
import { leave } from "./lesson.js";
import * as question from "./question.js";
import * as cards from "./cards.js";

/** A failed card comes back after this many other cards (or at the end). */
const AGAIN_AFTER = 3;

/** The review session, or with `scope` (a section slug or lesson id) "Practise this
 *  section": every question of it, its due cards first. */
export async function show(scope) {
  const ticket = leave();
  const session = await (scope ? api.practiceSession(scope) : api.reviewSession());
  if (ticket !== state.navTicket) return;
  state.review = { queue: session.cards.slice(), total: session.cards.length, right: 0, again: 0, seen: new Set(), card: null, since: 0, heldBack: session.held_back, practice: scope || null };
  const title = scope ? `Practise: ${scopeTitle(scope)}` : "Review";
  $("view").replaceChildren(
    el(
      "article",
      { class: scope ? "review practice" : "review", "aria-labelledby": "review-title" },
      el("h1", { id: "review-title", text: title }),
      el("p", { class: "review-progress muted", id: "review-progress", "aria-live": "polite" }),
      el("div", { id: "review-stage" })
    )
  );
  $("crumbs").textContent = `${state.outline.title} › ${title}`;
  document.title = `${title} — ${state.outline.title} — Lectern`;
  setWindowTitle(document.title);
  outline.markCurrent();
  $("main").scrollTop = 0;
  if (session.cards.length) drawCard();
  else if (scope) $("review-stage").replaceChildren(el("p", { class: "muted", text: "There is no question to practise here." }), navLinks());
  else await drawEmpty(session.next_due, session.held_back);
  keepFocus();
}

/** A section's title, else a lesson's, else the scope as given. */
function scopeTitle(scope) {
  const section = state.outline.sections.find((s) => s.id === scope);
  if (section) return section.title;
  for (const s of state.outline.sections) {
    const lesson = s.lessons.find((l) => l.id === scope);
    if (lesson) return lesson.title;
  }
  return scope;
}

/** When the next cards are due, from the core's forecast: "tomorrow, 3 cards", "on
 *  Friday, March 6, 2 cards", or "none scheduled" (`nextDue`: the session's next_due). */
async function nextText(nextDue) {
  if (nextDue === null || nextDue === undefined) return "none scheduled";
  const days = await orElse(api.reviewForecast(366), []);
  const next = days.find((d, i) => i > 0 && d.due > 0);
  if (!next) return "none scheduled";
  const i = days.indexOf(next);
  const [y, m, d] = next.date.split("-").map(Number);
  const when = i === 1 ? "tomorrow" : `on ${new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: "long", month: "long", day: "numeric" })}`;
  return `${when}, ${plural(next.due, "card")}`;
}

/** What the daily limits keep for tomorrow, or null: "Daily limit reached: 3 more
 *  cards due wait for tomorrow." with a link to change the limits in Settings. */
export function limitNote(heldBack) {
  if (!heldBack) return null;
  return el(
    "p",
    { class: "review-limit", id: "review-limit" },
    `Daily limit reached: ${plural(heldBack, "more card")} due ${heldBack === 1 ? "waits" : "wait"} for tomorrow. `,
    el("a", { href: "#settings", text: "Change the limits in Settings" }),
    "."
  );
}

async function drawEmpty(nextDue, heldBack) {
  const when = await nextText(nextDue);
  $("review-progress").textContent = "";
  $("review-stage").replaceChildren(
    el(
      "div",
      { class: "review-empty", id: "review-empty" },
      el("p", { class: "review-empty-line", text: heldBack ? "Nothing more today." : `Nothing due. Next review: ${when}.` }),
      limitNote(heldBack),
      heldBack ? null : el("p", { class: "muted", text: "Questions come back here once you have answered them in a lesson's Knowledge Check." }),
      navLinks()
    )
  );
}

function navLinks() {
  return el("p", { class: "review-links" }, el("a", { class: "button", href: "#dashboard", text: "Dashboard" }), " ", el("a", { class: "button", href: "#", text: "Course page" }));
}

/** "3 cards to go" at first, then "1 card answered, 2 to go" (the card on screen is
 *  still to go). */
function drawProgress() {
  const r = state.review;
  const done = r.right + r.again;
  const left = r.queue.length;
  $("review-progress").textContent = done ? `${plural(done, "card")} answered, ${left} to go` : `${plural(left, "card")} to go`;
}

/** Draws the first card of the queue, focus on its first option. */
function drawCard() {
  const r = state.review;
  const card = r.queue[0];
  r.card = card;
  r.since = performance.now();
  drawProgress();
  const fs = cardNode(card);
  $("review-stage").replaceChildren(fs);
  question.firstInput(fs).focus();
}

function cardNode(card) {
  const q = card.question;
  return question.draw(q, {
    name: "r",
    action: "reviewCheck",
    className: "question review-card",
    data: { lesson: card.lesson },
    extra: card.made ? cards.sourceNotes(card) : [el("p", { class: "review-source muted", text: `From “${card.lesson_title}”` })],
  });
}

/** The review card holding `node` (or focus). */
export function cardOf(node) {
  const n = node || document.activeElement;
  return n && n.closest ? n.closest("fieldset.review-card") : null;
}

/** Chooses option `digit` (1-based) of the card; toggles a checkbox. */
export function choose(digit) {
  question.choose(cardOf() || document.querySelector("fieldset.review-card"), digit);
}

/** Enter: checks the card, or once checked goes on (a right answer rated Good). */
export async function checkOrNext() {
  const fs = document.querySelector("fieldset.review-card");
  if (!fs) return undefined;
  if (!fs.dataset.graded) return check(fs);
  return next(null);
}

async function check(fs) {
  if (fs.dataset.grading) return;
  const sent = question.answerOf(fs);
  if (!sent) return;
  const r = state.review;
  const card = r.card;
  const timeMs = Math.max(0, Math.round(performance.now() - r.since));
  fs.dataset.grading = "true";
  let grade;
  try {
    grade = await api.gradeReview(card.lesson, card.question.id, sent, timeMs, Boolean(r.practice));
  } finally {
    delete fs.dataset.grading;
  }
  if (grade.not_saved) toast(`Your answer was checked but not saved: ${grade.not_saved.message}`);
  if (state.review !== r || !fs.isConnected) return;
  drawVerdict(fs, card, grade, sent);
}

function drawVerdict(fs, card, grade, sent) {
  const r = state.review;
  const first = !r.seen.has(card.question.id);
  r.seen.add(card.question.id);
  const feedback = question.showGrade(fs, grade, sent);
  const spoken = feedback.textContent.trim();
  if (grade.scheduled && grade.scheduled.rescheduled) feedback.append(el("p", { class: "muted review-next", text: scheduledText(grade.scheduled) }));
  if (grade.correct) {
    if (first) r.right += 1;
    if (grade.scheduled && grade.scheduled.can_rate) feedback.append(ratingButtons());
    else feedback.append(nextButton());
  } else {
    if (first) r.again += 1;
    const link = grade.review ? el("a", { href: lessonHref(card.lesson, grade.review.id), class: "review-section", text: grade.review.text }) : el("a", { href: lessonHref(card.lesson), class: "review-section", "data-lesson": card.made ? card.lesson : null, "data-note": card.made ? card.made.annotation : null, text: card.lesson_title });
    feedback.append(el("p", { class: "review-link" }, "Review: ", link));
    if (grade.again_in_session) {
      feedback.append(el("p", { class: "muted review-again", text: "This card comes back later in this session." }));
      // Again: the card comes back after a few others.
      r.queue.splice(Math.min(AGAIN_AFTER + 1, r.queue.length), 0, card);
    }
    feedback.append(nextButton());
  }
  feedback.className = `feedback ${grade.correct ? "good" : "bad"}`;
  feedback.hidden = false;
  feedback.focus();
  const rateHint = feedback.querySelector(".review-rate") ? " Hard: H, Good: Enter, Easy: E." : "";
  announce(`${spoken}${grade.correct ? rateHint : ` Review: ${feedback.querySelector(".review-section").textContent}.`}`);
}

function nextButton() {
  return el("div", { class: "q-actions" }, el("button", { type: "button", class: "button next", "data-action": "reviewNext", text: "Next card" }));
}

/** "Next review in 3 days (Thursday, March 5)." */
function ratingButtons() {
  const b = (rating, label, key) =>
    el("button", { type: "button", class: `button rate rate-${rating}`, "data-action": "reviewRate", "data-rating": rating }, `${label} `, el("kbd", { text: key }));
  return el(
    "div",
    { class: "q-actions review-rate", role: "group", "aria-label": "How hard was it?" },
    b("hard", "Hard", "H"),
    b("good", "Good", "Enter"),
    b("easy", "Easy", "E")
  );
}

/** A rating key or button: only after a right answer. */
export async function rate(rating) {
  const fs = document.querySelector("fieldset.review-card");
  if (!fs || fs.dataset.graded !== "correct" || !fs.querySelector(".review-rate")) return undefined;
  return next(rating);
}

/** Records the rating of a right answer (Good needs no call: grading kept it) and
 *  draws the next card, or the summary. */
async function next(rating) {
  const r = state.review;
  const card = r.queue[0];
  if (rating && rating !== "good") {
    const s = await api.rateReview(card.lesson, card.question.id, rating);
    toast(`Rated ${rating === "hard" ? "Hard" : "Easy"}. ${scheduledText(s)}`);
  }
  r.queue.shift();
  if (state.review !== r) return;
  if (r.queue.length) drawCard();
  else await drawSummary();
}

/** Takes the learner's deleted card `id` out of the session (a missed card may be
 *  queued twice) and draws the next card, the summary, or, when nothing was answered,
 *  the session as it is now. */
export async function dropCard(id) {
  const r = state.review;
  if (!r) return;
  if (!r.seen.has(id)) r.total -= 1;
  r.queue = r.queue.filter((c) => c.question.id !== id);
  if (r.queue.length) drawCard();
  else if (r.total > 0) await drawSummary();
  else await show(r.practice);
}

async function drawSummary() {
  const r = state.review;
  const session = await orElse(api.reviewSession(), null);
  const when = await nextText(session ? session.next_due : null);
  $("review-progress").textContent = "";
  const box = el(
    "div",
    { class: "review-summary", id: "review-summary", tabindex: "-1" },
    el("h2", { text: "Session complete" }),
    el("p", { class: "summary-line", text: `${plural(r.total, "card")} reviewed: ${r.right} right the first time, ${r.again} to study again.` }),
    el("p", { class: "muted", text: `Next review: ${when}.` }),
    limitNote(session ? session.held_back : 0),
    navLinks()
  );
  $("review-stage").replaceChildren(box);
  box.focus();
  announce(`Session complete. ${box.querySelector(".summary-line").textContent}`);
}
