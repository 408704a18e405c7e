// The Knowledge Check. The core sends questions with shuffled options and no answer
// key; each answer goes back to the core to be graded (and recorded), and the core
// scores the attempt. Questions answered right before say so, and a question that
// changed since it was answered says "updated since you answered".

import { $, el, announce, orElse, scheduledText, toast } from "../dom.js";
import { state } from "../state.js";
import { api } from "../api.js";

/** Draws `attempt`; `seed` is the seed of the attempt's fresh start (retries keep it:
 *  the core records a fresh start and its retries as one attempt); `all` is the ids of
 *  the lesson's questions (a retry shows fewer). */
export function draw(attempt, seed = attempt.seed, all = attempt.questions.map((q) => q.id)) {
  state.quiz = { attempt, seed, all, results: [], scoring: null, score: null, since: performance.now() };
  const n = attempt.questions.length;
  return el(
    "section",
    { class: "quiz", id: "quiz", "aria-labelledby": "quiz-title" },
    el("h2", { id: "quiz-title", text: "Knowledge Check" }),
    el(
      "p",
      { class: "quiz-intro muted" },
      `${n} question${n === 1 ? "" : "s"}. Each is checked as soon as you answer. Keys: `,
      el("kbd", { text: "1" }), "–", el("kbd", { text: "9" }), " choose, ",
      el("kbd", { text: "Enter" }), " check."
    ),
    ...attempt.questions.map(question),
    el("div", { class: "quiz-score", id: "quiz-score", hidden: true, tabindex: "-1" })
  );
}

function question(q, i) {
  const type = q.multiple ? "checkbox" : "radio";
  const prompt = el("span", { class: "q-prompt" });
  prompt.innerHTML = q.prompt_html; // sanitized by the core
  const legend = el(
    "legend",
    {},
    el("span", { class: "q-num", text: `${i + 1}` }),
    prompt,
    el("span", { class: "q-history", hidden: true }),
    el("span", { class: "q-result", hidden: true })
  );
  const options = q.options.map((o, k) => {
    const html = el("span", { class: "opt-html" });
    html.innerHTML = o.html; // sanitized by the core
    // Accessible names skip MathML; an option that is a formula is named by its text.
    const named = html.querySelector("math") ? spokenText(html) : null;
    return el(
      "label",
      { class: "option", "data-option": o.id },
      el("input", { type, name: `q-${q.id}`, value: o.id, "aria-label": named }),
      el("span", { class: "opt-key", "aria-hidden": "true", text: String(k + 1) }),
      html,
      el("span", { class: "opt-mark" })
    );
  });
  const hint = q.multiple && !/all that apply/i.test(prompt.textContent) ? el("p", { class: "q-hint", text: "Choose all that apply." }) : null;
  return el(
    "fieldset",
    { class: "question", "data-question": q.id },
    legend,
    hint,
    el("div", { class: "options" }, ...options),
    el("div", { class: "q-actions" }, el("button", { type: "button", class: "button check", "data-action": "checkAnswer", text: "Check answer" })),
    el("div", { class: "feedback", tabindex: "-1", hidden: true })
  );
}

/** The text of `node` with the tokens of a formula apart: "log N", not "logN". */
function spokenText(node) {
  const parts = [];
  const walk = (n) => {
    if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent.trim());
    else for (const c of n.childNodes) walk(c);
  };
  walk(node);
  return parts.filter(Boolean).join(" ");
}

/** The question holding `node` (or focus). */
export function questionOf(node) {
  const n = node || document.activeElement;
  return n && n.closest ? n.closest("fieldset.question") : null;
}

/** Chooses option `digit` (1-based) of question `fs`; toggles a checkbox. */
export function choose(fs, digit) {
  const input = fs.querySelectorAll("input")[digit - 1];
  if (!input || input.disabled) return;
  input.checked = input.type === "checkbox" ? !input.checked : true;
  input.focus();
}

/** Enter on a question: checks it, or once checked moves to the next one (or the score). */
export async function checkOrAdvance(fs) {
  if (!fs.dataset.graded) return submit(fs);
  const next = fs.nextElementSibling;
  if (next && next.matches("fieldset.question")) return next.querySelector("input").focus();
  // The last question: the score may still be on its way from the core.
  if (state.quiz && state.quiz.scoring) await state.quiz.scoring;
  if (!$("quiz-score").hidden) $("quiz-score").focus();
  return undefined;
}

/** The option ids checked in question `fs`; with none, says "Choose an answer first."
 *  in its feedback (and aloud) and returns null. Quizzes and review cards share it. */
export function chosenOrAsk(fs) {
  const chosen = Array.from(fs.querySelectorAll("input:checked")).map((i) => i.value);
  if (chosen.length) return chosen;
  const feedback = fs.querySelector(".feedback");
  feedback.hidden = false;
  feedback.className = "feedback notice";
  feedback.textContent = "Choose an answer first.";
  announce("Choose an answer first.");
  return null;
}

/** Sends the chosen options to the core and shows its verdict; returns the grade (with
 *  `not_saved` and `lesson_complete`), or nothing when there was nothing to send. */
export async function submit(fs) {
  if (fs.dataset.graded || fs.dataset.grading) return;
  const chosen = chosenOrAsk(fs);
  if (!chosen) return;
  const feedback = fs.querySelector(".feedback");
  const lesson = state.current;
  const q = state.quiz;
  const now = performance.now();
  const timeMs = Math.max(0, Math.round(now - q.since));
  q.since = now;
  fs.dataset.grading = "true";
  let grade;
  try {
    grade = await api.gradeAnswer(lesson, q.seed, fs.dataset.question, chosen, timeMs);
  } finally {
    delete fs.dataset.grading;
  }
  if (grade.not_saved) toast(`Your answer was checked but not saved: ${grade.not_saved.message}`);
  if (grade.lesson_complete) announce("Lesson complete.");
  if (lesson !== state.current || !fs.isConnected) return grade;
  fs.dataset.graded = grade.correct ? "correct" : "wrong";
  for (const input of fs.querySelectorAll("input")) input.disabled = true;
  fs.querySelector(".check").hidden = true;
  markOptions(fs, grade, chosen);
  const verdict = grade.correct ? "Correct." : wrongText(grade);
  const result = fs.querySelector(".q-result");
  result.textContent = grade.correct ? "✓ Correct" : "✗ Not quite";
  result.hidden = false;
  drawFeedback(feedback, grade, verdict);
  feedback.focus();
  const number = fs.querySelector(".q-num").textContent;
  announce(`Question ${number}: ${verdict} ${feedback.querySelector(".explanation")?.textContent.trim() || ""}`.trim());
  state.quiz.results.push([fs.dataset.question, grade.correct]);
  state.quiz.scoring = drawScore();
  await state.quiz.scoring;
  return grade;
}

function markOptions(fs, grade, chosen) {
  for (const label of fs.querySelectorAll(".option")) {
    const id = label.dataset.option;
    const mark = label.querySelector(".opt-mark");
    if (grade.correct_options.includes(id)) {
      label.classList.add(chosen.includes(id) ? "is-correct" : "is-missed");
      mark.textContent = chosen.includes(id) ? "✓ correct" : grade.correct_options.length > 1 ? "✓ you missed this" : "✓ correct answer";
    } else if (grade.wrong_choices.includes(id)) {
      label.classList.add("is-wrong");
      mark.textContent = "✗ your answer";
    }
  }
}

function drawFeedback(feedback, grade, verdict) {
  feedback.replaceChildren(el("p", { class: "verdict", text: verdict }));
  if (grade.explanation_html) {
    const ex = el("div", { class: "explanation" });
    ex.innerHTML = grade.explanation_html; // sanitized by the core
    feedback.append(ex);
  }
  if (!grade.correct && grade.review) {
    feedback.append(el("p", { class: "review-link" }, "Review: ", el("a", { href: `#${grade.review.id}`, text: grade.review.text })));
  }
  if (grade.scheduled && grade.scheduled.rescheduled) feedback.append(rateLine(grade.scheduled, feedback.closest("fieldset").dataset.question));
  feedback.className = `feedback ${grade.correct ? "good" : "bad"}`;
  feedback.hidden = false;
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

function wrongText(grade) {
  return grade.missed.length && !grade.wrong_choices.length ? "Not quite: you missed an answer." : "Not quite.";
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
  $("quiz").replaceWith(fresh);
  fresh.scrollIntoView({ block: "start" });
  const first = fresh.querySelector("input");
  if (first) first.focus();
}

/** Marks the questions of a fresh attempt the learner answered right before, and those
 *  that changed since they were answered (the core compares ids by position). */
export async function showHistory(lesson, attempt) {
  const ids = attempt.questions.map((q) => q.id);
  const history = await orElse(api.lessonHistory(lesson, ids), null);
  if (!history) return; // no database: no history to show
  if (state.current !== lesson || !state.quiz || state.quiz.attempt !== attempt) return;
  document.querySelectorAll("#quiz fieldset.question").forEach((fs, i) => {
    const notes = [];
    if (history.right_once.includes(fs.dataset.question)) notes.push("✓ answered right before");
    if (history.updated.includes(i)) notes.push("updated since you answered");
    const span = fs.querySelector(".q-history");
    span.textContent = notes.length ? ` ${notes.join(" · ")}` : "";
    span.hidden = !notes.length;
    fs.classList.toggle("q-updated", history.updated.includes(i));
  });
}
