// One question, drawn the same way in a lesson's quiz and in the review session: its
// prompt, the way it is answered (options, a field per blank, or a tracing question's
// "does it compile" and output), what the learner sends, and the verdict the core sent
// back (options marked, each blank's expected answer with the difference marked, the
// feedback of the options chosen, the explanation). The core holds the key; nothing
// here compares answers.

import { el, announce } from "../dom.js";

/** The fieldset of question `q` (a `QuestionView`). `number`: shown before the prompt
 *  (the quiz numbers its questions, review cards are not numbered); `name`: prefix of
 *  the inputs' names; `action`: the Check button's action; `className` and `data`: the
 *  fieldset's classes and data attributes; `extra`: nodes after the legend; `why`: draw
 *  the box for the learner's reason when the question asks for one (the quiz keeps it
 *  with the answer; a review keeps none, so it does not ask). */
export function draw(q, { number = null, name, action, className = "question", data = {}, extra = [], why = false }) {
  const prompt = el("span", { class: "q-prompt" });
  prompt.innerHTML = q.prompt_html; // sanitized by the core; blanks are empty slots
  numberBlanks(prompt, q.blanks.length);
  const legend = el(
    "legend",
    {},
    number === null ? null : el("span", { class: "q-num", text: `${number}` }),
    prompt,
    el("span", { class: "q-history", hidden: true }),
    el("span", { class: "q-result", hidden: true })
  );
  const attrs = { class: className, "data-question": q.id, "data-kind": q.kind };
  for (const [k, v] of Object.entries(data)) attrs[`data-${k}`] = v;
  return el(
    "fieldset",
    attrs,
    legend,
    ...extra,
    context(q),
    hint(q, prompt),
    answerPart(q, `${name}-${q.id}`),
    why && q.ask_why ? field("textarea", `${name}-${q.id}-why`, "Why? Explain your answer (kept with it, not graded)", { class: "answer-field why-field", rows: "2" }) : null,
    el("div", { class: "q-actions" }, el("button", { type: "button", class: "button check", "data-action": action, text: "Check answer" })),
    el("div", { class: "feedback", tabindex: "-1", hidden: true })
  );
}

function context(q) {
  if (!q.context_html) return null;
  const box = el("div", { class: "q-context" });
  box.innerHTML = q.context_html; // sanitized by the core
  return box;
}

function hint(q, prompt) {
  if (q.kind === "choice" && q.multiple && !/all that apply/i.test(prompt.textContent)) return el("p", { class: "q-hint", text: "Choose all that apply." });
  if (q.kind === "typed" && q.blanks.some((b) => b.numeric)) return el("p", { class: "q-hint", text: "Numbers: 0.75 or 0,75; no thousands separators." });
  return null;
}

/** Blanks of a prompt with more than one are numbered, as their fields are. */
function numberBlanks(prompt, n) {
  if (n < 2) return;
  for (const slot of prompt.querySelectorAll(".q-blank")) slot.textContent = `(${Number(slot.dataset.blank) + 1}) ___`;
}

function answerPart(q, name) {
  if (q.kind === "choice") return options(q, name);
  if (q.kind === "typed") return el("div", { class: "q-fields" }, ...q.blanks.map((b, i) => blankField(q, b, i, name)));
  return tracing(name);
}

function options(q, name) {
  const type = q.multiple ? "checkbox" : "radio";
  return el("div", { class: "options" }, ...q.options.map((o, k) => option(o.id, o.html, k, type, name)));
}

function option(id, html, k, type, name) {
  const span = el("span", { class: "opt-html" });
  span.innerHTML = html; // sanitized by the core (or text of our own)
  // Accessible names skip MathML; an option that is a formula is named by its text.
  const named = span.querySelector("math") ? spokenText(span) : null;
  return el(
    "label",
    { class: "option", "data-option": id },
    el("input", { type, name, value: id, "aria-label": named }),
    el("span", { class: "opt-key", "aria-hidden": "true", text: String(k + 1) }),
    span,
    el("span", { class: "opt-mark" })
  );
}

/** The text of `node` with the tokens of a formula apart: "log N", not "logN". */
export function spokenText(node) {
  const parts = [];
  const walk = (n) => {
    if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent.trim());
    else for (const c of n.childNodes) walk(c);
  };
  walk(node);
  return parts.filter(Boolean).join(" ");
}

function blankField(q, blank, i, name) {
  const label = q.blanks.length > 1 ? `Blank ${i + 1}` : "Your answer";
  const long = q.response === "long" || q.response === "code";
  const attrs = { class: `answer-field${q.response === "code" ? " code-field" : ""}`, "data-blank": String(i) };
  if (blank.numeric) attrs.inputmode = "decimal";
  if (long) attrs.rows = q.response === "code" ? "5" : "3";
  return field(long ? "textarea" : "input", `${name}-${i}`, label, attrs);
}

/** A labelled text field (`input` or `textarea`), never corrected by the browser. */
function field(tag, id, label, attrs) {
  const input = el(tag, { id, autocomplete: "off", autocapitalize: "off", spellcheck: "false", ...attrs });
  if (tag === "input") input.type = "text";
  return el("div", { class: "field-row" }, el("label", { for: id, class: "field-label", text: label }), input);
}

function tracing(name) {
  return el(
    "div",
    { class: "q-tracing" },
    el(
      "div",
      { class: "options", role: "radiogroup", "aria-label": "Does the program compile?" },
      option("compiles", "Yes, it compiles", 0, "radio", name),
      option("does-not-compile", "No, it does not compile", 1, "radio", name)
    ),
    field("textarea", `${name}-output`, "If it compiles, what it prints", { class: "answer-field code-field", "data-tracing": "output", rows: "3" }),
    field("input", `${name}-line`, "If it does not, the line of the error", { class: "answer-field", "data-tracing": "line", inputmode: "numeric" })
  );
}

/** The answer to send for `fs`, or null after asking for one (in its feedback, aloud). */
export function answerOf(fs) {
  const chosen = Array.from(fs.querySelectorAll(".option input:checked")).map((i) => i.value);
  const kind = fs.dataset.kind;
  if (kind === "typed") {
    const typed = Array.from(fs.querySelectorAll(".answer-field[data-blank]")).map((f) => f.value);
    if (typed.some((t) => t.trim())) return typed;
    return ask(fs, "Type an answer first.");
  }
  if (kind === "tracing") {
    if (!chosen.length) return ask(fs, "Say whether it compiles first.");
    const which = chosen[0] === "compiles" ? "output" : "line";
    return [chosen[0], fs.querySelector(`[data-tracing="${which}"]`).value];
  }
  return chosen.length ? chosen : ask(fs, "Choose an answer first.");
}

function ask(fs, text) {
  const feedback = fs.querySelector(".feedback");
  feedback.hidden = false;
  feedback.className = "feedback notice";
  feedback.textContent = text;
  announce(text);
  return null;
}

/** The learner's reason, when the question asked for one and it was written. */
export function noteOf(fs) {
  const box = fs.querySelector(".why-field");
  return box && box.value.trim() ? box.value : null;
}

/** Chooses option `digit` (1-based) of `fs`; toggles a checkbox. */
export function choose(fs, digit) {
  const input = fs && fs.querySelectorAll(".option input")[digit - 1];
  if (!input || input.disabled) return;
  input.checked = input.type === "checkbox" ? !input.checked : true;
  input.focus();
}

/** The first thing to focus in `fs`: an option or a field. */
export function firstInput(fs) {
  return fs.querySelector(".option input, .answer-field");
}

/** Shows `grade` on `fs` (answered with `sent`): inputs locked, options or blanks
 *  marked, the feedback drawn (verdict, option feedback, blanks, tracing key,
 *  explanation). Returns the feedback element, for what each view adds. */
export function showGrade(fs, grade, sent) {
  fs.dataset.graded = grade.correct ? "correct" : "wrong";
  for (const input of fs.querySelectorAll("input, textarea")) input.disabled = true;
  fs.querySelector(".check").hidden = true;
  markOptions(fs, grade, sent);
  const result = fs.querySelector(".q-result");
  result.textContent = grade.correct ? "✓ Correct" : "✗ Not quite";
  result.hidden = false;
  const feedback = fs.querySelector(".feedback");
  feedback.replaceChildren(el("p", { class: "verdict", text: verdictText(grade) }));
  for (const f of grade.feedback || []) feedback.append(html("div", "option-feedback", f.html));
  for (const [i, b] of (grade.blanks || []).entries()) feedback.append(blankResult(b, i, grade.blanks.length));
  if (grade.tracing) feedback.append(tracingKey(grade.tracing));
  if (grade.explanation_html) feedback.append(html("div", "explanation", grade.explanation_html));
  feedback.className = `feedback ${grade.correct ? "good" : "bad"}`;
  feedback.hidden = false;
  return feedback;
}

/** The sentence a verdict is spoken as. */
export function verdictText(grade) {
  if (grade.correct) return "Correct.";
  if ((grade.blanks || []).some((b) => b.verdict === "almost")) return "Almost: check the spelling.";
  return grade.missed && grade.missed.length && !grade.wrong_choices.length ? "Not quite: you missed an answer." : "Not quite.";
}

function html(tag, className, markup) {
  const node = el(tag, { class: className });
  node.innerHTML = markup; // sanitized by the core
  return node;
}

function markOptions(fs, grade, sent) {
  const right = grade.correct_options || [];
  for (const label of fs.querySelectorAll(".option")) {
    const id = label.dataset.option;
    const mark = label.querySelector(".opt-mark");
    if (right.includes(id)) {
      label.classList.add(sent.includes(id) ? "is-correct" : "is-missed");
      mark.textContent = sent.includes(id) ? "✓ correct" : right.length > 1 ? "✓ you missed this" : "✓ correct answer";
    } else if ((grade.wrong_choices || []).includes(id)) {
      label.classList.add("is-wrong");
      mark.textContent = "✗ your answer";
    }
  }
}

/** One blank's verdict: right, or the learner's text and the expected one, the
 *  difference marked (`del`: typed but not expected; `ins`: expected, not typed). */
function blankResult(b, i, n) {
  const name = n > 1 ? `Blank ${i + 1}: ` : "";
  if (b.verdict === "right") return el("p", { class: "blank-result is-right", text: `${name}✓ ${b.given.trim()}` });
  const word = b.verdict === "almost" ? "almost" : "not quite";
  const yours = el("span", { class: "diff diff-given" }, ...b.diff.filter((p) => p.op !== "missing").map(piece));
  const expected = el("span", { class: "diff diff-expected" }, ...b.diff.filter((p) => p.op !== "extra").map(piece));
  return el(
    "div",
    { class: `blank-result is-${b.verdict}` },
    el("p", {}, `${name}You wrote (${word}): `, b.given.trim() ? yours : el("em", { text: "nothing" })),
    el("p", {}, "Expected: ", expected),
    b.note ? el("p", { class: "muted", text: b.note }) : null
  );
}

function piece(p) {
  if (p.op === "same") return document.createTextNode(p.text);
  return el(p.op === "extra" ? "del" : "ins", { text: p.text });
}

function tracingKey(t) {
  const said = t.compiles ? `It compiles and prints: ${t.stdout || ""}` : `It does not compile${t.line ? ` (the error is on line ${t.line})` : ""}.`;
  return el("p", { class: "tracing-key", text: said });
}
