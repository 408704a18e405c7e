// The Knowledge Check. The core sends questions with shuffled options and no answer
// key; each answer goes back to the core to be graded (and recorded), and the core
// scores the attempt. Questions answered right before say so, and a question that
// changed since it was answered says "updated since you answered".

import { $, el, announce, orElse, scheduledText, toast } from "../dom.js";
import { state } from "../state.js";
import { api } from "../api.js";
import * as question from "./question.js";

/** Draws `attempt`; `seed` is the seed of the attempt's fresh start (retries keep it:
 *  the core records a fresh start and its retries as one attempt); `all` is the ids of
 *  the lesson's questions (a retry shows fewer). Questions of a `{{#quiz}}` block are
 *  drawn too and put where the block stands by `placeBlocks`. */
export function draw(attempt, seed = attempt.seed, all = attempt.questions.map((q) => q.id)) {
  state.quiz = { attempt, seed, all, results: [], scoring: null, score: null, since: performance.now() };
  const n = attempt.questions.length;
  const nodes = attempt.questions.map((q, i) => question.draw(q, { number: i + 1, name: "q", action: "checkAnswer", why: true, data: q.block === null ? {} : { block: String(q.block) } }));
  const own = nodes.filter((fs) => !fs.dataset.block);
  return el(
    "section",
    { class: "quiz", id: "quiz", "aria-labelledby": "quiz-title" },
    el("h2", { id: "quiz-title", text: own.length ? "Knowledge Check" : "Quiz score" }),
    el(
      "p",
      { class: "quiz-intro muted" },
      `${n} question${n === 1 ? "" : "s"}${own.length < n ? " in this lesson" : ""}. Choose an answer, then check it with its Check answer button. Keys: `,
      el("kbd", { text: "1" }), "–", el("kbd", { text: "9" }), " choose, ",
      el("kbd", { text: "Enter" }), " check (",
      el("kbd", { text: "Ctrl" }), "+", el("kbd", { text: "Enter" }), " in a box of several lines)."
    ),
    ...nodes,
    el("div", { class: "quiz-score", id: "quiz-score", hidden: true, tabindex: "-1" })
  );
}

/** Moves the questions of each `{{#quiz}}` block from the quiz section into the block's
 *  place in `root` (the lesson's body), where the author put the directive. */
export function placeBlocks(root) {
  for (const fs of root.querySelectorAll("#quiz fieldset.question[data-block]")) {
    const place = root.querySelector(`.quiz-block[data-quiz-block="${fs.dataset.block}"]`);
    fs.dataset.ui = ""; // the window's, not the lesson's text (highlights skip it)
    if (place) place.append(fs);
  }
}

/** The question holding `node` (or focus). */
export function questionOf(node) {
  const n = node || document.activeElement;
  return n && n.closest ? n.closest("fieldset.question") : null;
}

/** Chooses option `digit` (1-based) of question `fs`; toggles a checkbox. */
export const choose = question.choose;

/** Every question of the quiz on screen, in the page's order. */
function allQuestions() {
  return Array.from(document.querySelectorAll("#view fieldset.question:not(.review-card)"));
}

/** Enter on a question: checks it, or once checked moves to the next one (or the score). */
export async function checkOrAdvance(fs) {
  if (!fs.dataset.graded) return submit(fs);
  const all = allQuestions();
  const next = all[all.indexOf(fs) + 1];
  if (next) return question.firstInput(next).focus();
  // The last question: the score may still be on its way from the core.
  if (state.quiz && state.quiz.scoring) await state.quiz.scoring;
  if (!$("quiz-score").hidden) $("quiz-score").focus();
  return undefined;
}

/** Sends the answer of `fs` to the core and shows its verdict; returns the grade (with
 *  `not_saved` and `lesson_complete`), or nothing when there was nothing to send. */
export async function submit(fs) {
  if (fs.dataset.graded || fs.dataset.grading) return;
  const sent = question.answerOf(fs);
  if (!sent) return;
  const lesson = state.current;
  const q = state.quiz;
  const now = performance.now();
  const timeMs = Math.max(0, Math.round(now - q.since));
  q.since = now;
  fs.dataset.grading = "true";
  let grade;
  try {
    grade = await api.gradeAnswer(lesson, q.seed, fs.dataset.question, sent, timeMs, question.noteOf(fs));
  } finally {
    delete fs.dataset.grading;
  }
  const trying = grade.not_saved && grade.not_saved.code === "author-mode";
  if (grade.not_saved && !trying) toast(`Your answer was checked but not saved: ${grade.not_saved.message}`);
  if (grade.lesson_complete) announce("Lesson complete.");
  if (lesson !== state.current || !fs.isConnected) return grade;
  const feedback = question.showGrade(fs, grade, sent);
  const spoken = feedback.textContent.trim();
  if (!grade.correct && grade.review) {
    feedback.append(el("p", { class: "review-link" }, "Review: ", el("a", { href: `#${grade.review.id}`, text: grade.review.text })));
  }
  if (grade.scheduled && grade.scheduled.rescheduled) feedback.append(rateLine(grade.scheduled, fs.dataset.question));
  if (trying) feedback.append(el("p", { class: "muted author-note", text: "Author mode: this answer is not recorded." }));
  feedback.focus();
  const number = fs.querySelector(".q-num").textContent;
  announce(`Question ${number}: ${spoken}`);
  state.quiz.results.push([fs.dataset.question, grade.correct]);
  state.quiz.scoring = drawScore();
  await state.quiz.scoring;
  return grade;
}

/** When the question comes back for review; after a right answer, Hard and Easy (toggle
 *  buttons: grading recorded Good, pressing one again goes back to Good). */
function rateLine(scheduled, qid) {
  const line = el("div", { class: "quiz-rate" }, el("p", { class: "quiz-next", text: scheduledText(scheduled) }));
  if (scheduled.can_rate) {
    const b = (rating, text) => el("button", { type: "button", class: "button", "data-action": "quizRate", "data-rating": rating, "aria-pressed": "false", text });
    const label = `rate-label-${qid}`;
    line.append(el("p", { class: "quiz-rate-group", role: "group", "aria-labelledby": label }, el("span", { class: "quiz-rate-label", id: label, text: "How did it feel?" }), b("hard", "It was hard"), b("easy", "It was easy")));
  }
  return line;
}

/** Re-rates today's right answer as the learner says (the core recomputes from the state
 *  before it, so changing one's mind never counts twice). */
export async function rate(button) {
  const fs = questionOf(button);
  const pressed = button.getAttribute("aria-pressed") === "true";
  const rating = pressed ? "good" : button.dataset.rating;
  const s = await api.rateReview(state.current, fs.dataset.question, rating);
  const line = button.closest(".quiz-rate");
  line.querySelector(".quiz-next").textContent = scheduledText(s);
  for (const b of line.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button && !pressed));
  announce(scheduledText(s));
}

/** Once every question is answered, asks the core for the score and draws it. */
async function drawScore() {
  const q = state.quiz;
  if (q.results.length < q.attempt.questions.length) return;
  const score = await api.quizScore(q.results);
  if (state.quiz !== q) return;
  q.score = score;
  const box = $("quiz-score");
  const well = score.correct === score.total ? ". Well done!" : ".";
  box.replaceChildren(el("p", { class: "score-line" }, el("strong", { text: `${score.correct} of ${score.total}` }), " correct", well));
  if (score.missed.length) {
    const n = score.missed.length;
    box.append(el("button", { type: "button", class: "button primary retry", "data-action": "retryMissed", text: `Retry the ${n === 1 ? "one" : n} I missed` }));
  }
  box.hidden = false;
  announce(`Score: ${score.correct} of ${score.total} correct.`);
}

/** A fresh attempt at the questions missed, in place of this one. */
export async function retryMissed() {
  const q = state.quiz;
  if (!q || !q.score) return;
  const attempt = await api.retryQuiz(state.current, q.score.missed);
  const fresh = draw(attempt, q.seed, q.all);
  for (const old of document.querySelectorAll(".quiz-block fieldset.question")) old.remove();
  $("quiz").replaceWith(fresh);
  placeBlocks(document);
  const first = fresh.querySelector("fieldset.question") ? fresh : document.querySelector("#view fieldset.question");
  first.scrollIntoView({ block: "start" });
  const input = first.querySelector(".option input, .answer-field");
  if (input) input.focus();
}

/** Marks the questions of a fresh attempt the learner answered right before, and those
 *  that changed since they were answered (the core compares ids by position). */
export async function showHistory(lesson, attempt) {
  const ids = attempt.questions.map((q) => q.id);
  const history = await orElse(api.lessonHistory(lesson, ids), null);
  if (!history) return; // no database: no history to show
  if (state.current !== lesson || !state.quiz || state.quiz.attempt !== attempt) return;
  allQuestions().forEach((fs, i) => {
    const notes = [];
    if (history.right_once.includes(fs.dataset.question)) notes.push("✓ answered right before");
    if (history.updated.includes(i)) notes.push("updated since you answered");
    const span = fs.querySelector(".q-history");
    span.textContent = notes.length ? ` ${notes.join(" · ")}` : "";
    span.hidden = !notes.length;
    fs.classList.toggle("q-updated", history.updated.includes(i));
  });
}
