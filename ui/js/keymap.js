// The keymap: which key runs which action of the action table, and where. The `?`
// help dialog is generated from this list, so it can never drift from what the keys do.
//
// This module is also the one listener of keys (`listen`): every key the UI acts on is
// a binding here, so the help lists it.
//
// A key is written as `KeyboardEvent.key`, prefixed with `Ctrl+` when Ctrl (or ⌘) is
// held, `Alt+` for a named key with Alt, or `Shift+` for a named key, or a Ctrl key,
// with Shift (`Ctrl+Shift+o`; a binding without `Shift+` also takes the key with Shift). `scope` says where the binding works:
//   anywhere  – not while typing in a text field (Ctrl and F-keys work even then)
//   outline   – a lesson link of the outline has focus
//   lesson    – a lesson is open and focus is not in a question
//   question  – focus is in a Knowledge Check question
//   review    – a review card is on screen (the review session)
//   answer    – focus is in a one-line answer field of a question: only these keys
//   answer-lines – focus is in an answer box of several lines (code, long answers):
//               only these keys, so Enter starts a new line
//   search    – focus is in the search palette's box: only these keys, even while typing
//   find      – focus is in the find bar's box: only these keys, even while typing
//   note      – focus is in the note editor's box: only these keys, even while typing

import { state } from "./state.js";

const DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

export const KEYMAP = Object.freeze([
  { keys: ["g"], scope: "anywhere", action: "focusOutline", help: "Go to the outline" },
  { keys: ["Ctrl+b"], scope: "anywhere", action: "toggleSidebar", help: "Hide or show the outline (remembered)" },
  { keys: ["ArrowDown"], scope: "outline", action: "outlineNext", help: "Next lesson in the outline" },
  { keys: ["ArrowUp"], scope: "outline", action: "outlinePrevious", help: "Previous lesson in the outline" },
  { keys: ["Home"], scope: "outline", action: "outlineFirst", help: "First lesson in the outline" },
  { keys: ["End"], scope: "outline", action: "outlineLast", help: "Last lesson in the outline" },
  { keys: ["Enter"], scope: "outline", action: "openFocusedLesson", help: "Open the lesson" },
  { keys: ["ArrowRight", "n"], scope: "lesson", action: "next", help: "Next lesson" },
  { keys: ["ArrowLeft", "p"], scope: "lesson", action: "previous", help: "Previous lesson" },
  { keys: DIGITS, shown: ["1–9"], scope: "question", action: "chooseOption", help: "Choose an option of the focused question" },
  { keys: ["Enter"], scope: "question", action: "checkAnswer", help: "Check the answer; again: the next question" },
  { keys: ["Enter", "Ctrl+Enter"], shown: ["Enter"], scope: "answer", action: "checkTyped", help: "One line: check the answer" },
  { keys: ["Ctrl+Enter"], scope: "answer-lines", action: "checkTyped", help: "Any field: check the answer (in a box of several lines Enter starts a new line)" },
  { keys: DIGITS, shown: ["1–9"], scope: "review", action: "reviewChoose", help: "Choose an option of the card" },
  { keys: ["Enter"], scope: "review", action: "reviewCheck", help: "Check the answer; again: the next card (a right answer counts as Good)" },
  { keys: ["h"], scope: "review", action: "reviewHard", help: "After a right answer: it was Hard (comes back sooner)" },
  { keys: ["e"], scope: "review", action: "reviewEasy", help: "After a right answer: it was Easy (comes back later)" },
  { keys: ["w"], scope: "lesson", action: "toggleCodeWrap", help: "Wrap long code lines (again: scroll them sideways; remembered)" },
  { keys: ["o"], scope: "lesson", action: "toggleToc", help: "On this page: the lesson's sections (a menu in a narrow window)" },
  { keys: ["D"], scope: "review", action: "deleteCard", help: "Delete the card on screen, when it is one you made (asks first)" },
  { keys: ["Escape"], scope: "review", action: "leaveReview", help: "Leave the session (a missed card still comes back today)" },
  { keys: ["e"], scope: "lesson", action: "editLesson", help: "Edit the lesson's file in your editor" },
  { keys: ["s"], scope: "lesson", action: "practiseSection", help: "Practise this lesson's section now: every question, due ones first" },
  { keys: ["m"], scope: "lesson", action: "toggleComplete", help: "Mark the lesson as complete (again: unmark)" },
  { keys: ["x"], scope: "lesson", action: "resetLesson", help: "Reset this lesson (asks first)" },
  { keys: ["]", "}", "["], scope: "lesson", action: "selectText", help: "Select a word more, a sentence more, a word less (from the caret or the top)" },
  { keys: ["h"], scope: "lesson", action: "highlight", help: "Highlight the selected text (a toolbar offers colours, a note, remove)" },
  { keys: ["N"], scope: "lesson", action: "noteOpen", help: "Write a note on the highlight at the selection" },
  { keys: ["k"], scope: "lesson", action: "makeCard", help: "Make a review card of the highlight: its phrase becomes a blank to type" },
  { keys: ["b"], scope: "lesson", action: "bookmark", help: "Bookmark the lesson at the heading nearest the top" },
  { keys: ["A"], scope: "anywhere", action: "toggleAuthor", help: "Author mode: follow each save, show the quiz's key (remembered)" },
  { keys: ["Ctrl+Enter"], scope: "note", action: "noteSave", help: "Save the note" },
  { keys: ["Escape"], scope: "note", action: "noteCancel", help: "Close the note without saving" },
  { keys: ["Alt+ArrowLeft"], scope: "anywhere", action: "back", help: "Back to where you were (before a jump or another page)" },
  { keys: ["Alt+ArrowRight"], scope: "anywhere", action: "forward", help: "Forward again" },
  { keys: ["c"], scope: "anywhere", action: "continueLesson", help: "Continue where you left off (or start the course)" },
  { keys: ["r"], scope: "anywhere", action: "openReview", help: "Review the questions due" },
  { keys: ["v"], scope: "anywhere", action: "openNotes", help: "Your notes: highlights, notes and bookmarks by lesson" },
  { keys: ["d"], scope: "anywhere", action: "openDashboard", help: "Dashboard: streak, reviews due, history, most missed" },
  { keys: ["t"], scope: "anywhere", action: "cycleTheme", help: "Cycle theme: system, light, dark" },
  { keys: ["Ctrl+=", "Ctrl++"], scope: "anywhere", action: "textBigger", help: "Larger reading text" },
  { keys: ["Ctrl+-"], scope: "anywhere", action: "textSmaller", help: "Smaller reading text" },
  { keys: ["Ctrl+0"], scope: "anywhere", action: "textReset", help: "Reading text at its usual size" },
  { keys: ["Ctrl+o"], scope: "anywhere", action: "openFolder", help: "Open another folder of lessons" },
  { keys: ["Ctrl+Shift+o"], scope: "anywhere", action: "openCourseFile", help: "Open a course file (.lectern), read-only" },
  { keys: ["F5", "Ctrl+r"], scope: "anywhere", action: "reload", help: "Reload the course from disk" },
  { keys: ["Ctrl+,"], scope: "anywhere", action: "openSettings", help: "Settings: theme, reading size, your progress data" },
  { keys: ["Ctrl+f"], scope: "anywhere", action: "findInLesson", help: "Find in the lesson, or in the page on screen" },
  { keys: ["Enter"], scope: "find", action: "findNext", help: "Next match" },
  { keys: ["Shift+Enter"], scope: "find", action: "findPrevious", help: "Previous match" },
  { keys: ["Escape"], scope: "find", action: "findClose", help: "Close the bar and unmark the matches" },
  { keys: ["/", "Ctrl+k"], scope: "anywhere", action: "openSearch", help: "Search the course" },
  { keys: ["ArrowDown"], scope: "search", action: "searchNext", help: "Next result" },
  { keys: ["ArrowUp"], scope: "search", action: "searchPrevious", help: "Previous result" },
  { keys: ["Enter"], scope: "search", action: "searchOpen", help: "Open the lesson at the result's heading, the words marked" },
  { keys: ["Escape"], scope: "search", action: "searchClose", help: "Close, focus back where it was" },
  { keys: ["a"], scope: "anywhere", action: "about", help: "About Lectern: version, licence, where your data lives" },
  { keys: ["?"], scope: "anywhere", action: "help", help: "Show or hide this help" },
]);

/** The key of an event as the keymap writes it. */
export function keyOf(e) {
  // Alt with a character is typing (AltGr on many layouts); with a named key, a binding.
  if (e.altKey) return e.key.length > 1 && !e.ctrlKey && !e.metaKey ? `Alt+${e.key}` : null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return e.ctrlKey || e.metaKey ? `Ctrl+${key}` : e.key;
}

/** Whether the key works even while typing in a text field. */
function worksWhileTyping(key) {
  return key.startsWith("Ctrl+") || /^F\d+$/.test(key);
}

/**
 * The binding for `key` given where focus is: `context` is { field, typing, outline,
 * lesson, question, review, scroller, activates } (field: "search" or "find" when focus
 * is in that box; scroller: focus is on a scrollable region, whose arrows scroll;
 * activates: focus is on a link or button, which Enter activates).
 */
export function bindingFor(key, context) {
  if (!key) return null;
  // In the palette's or the find bar's box only their own keys work; typing stays typing.
  if (context.field) return KEYMAP.find((b) => b.scope === context.field && b.keys.includes(key)) || null;
  if (context.typing && !worksWhileTyping(key)) return null;
  if (context.scroller && key.startsWith("Arrow")) return null;
  // Enter on a link or button outside the outline does what the element does.
  if (key === "Enter" && context.activates && !context.outline) return null;
  const inScope = (scope) =>
    scope === "anywhere" ||
    (scope === "outline" && context.outline) ||
    (scope === "question" && context.question && !context.review) ||
    (scope === "review" && context.review) ||
    (scope === "lesson" && context.lesson && !context.question);
  return KEYMAP.find((b) => b.keys.includes(key) && inScope(b.scope)) || null;
}

/** The binding of a key event: `Shift+<key>` first for a named key held with Shift,
 *  else the key as `keyOf` writes it. */
export function bindingOf(e, context) {
  const key = keyOf(e);
  if (!e.shiftKey || !key || key.length === 1) return bindingFor(key, context);
  const shifted = key.startsWith("Ctrl+") ? `Ctrl+Shift+${key.slice(5)}` : `Shift+${key}`;
  return bindingFor(shifted, context) || bindingFor(key, context);
}

/** Where focus is, as the scopes see it. */
function contextOf(t) {
  const tag = t && t.tagName;
  const textual = tag === "INPUT" && !["radio", "checkbox", "button"].includes(t.type);
  return {
    field: FIELDS[t && t.id] || answerScope(t),
    typing: Boolean(t && (textual || tag === "TEXTAREA" || tag === "SELECT" || t.isContentEditable)),
    outline: Boolean(t && t.matches && t.matches("#outline .lesson-link")),
    lesson: state.current !== null,
    question: Boolean(t && t.closest && t.closest("fieldset.question")),
    review: Boolean(document.querySelector("#view fieldset.review-card")),
    scroller: Boolean(t && t.closest && t.closest("[data-scrolls]")),
    activates: tag === "A" || tag === "BUTTON" || tag === "SUMMARY",
  };
}

/** The scope of a question's answer field: one line, or several. */
function answerScope(t) {
  if (!t || !t.matches || !t.matches(".answer-field")) return null;
  return t.tagName === "TEXTAREA" ? "answer-lines" : "answer";
}

/** The text fields with a scope of their own. */
const FIELDS = Object.freeze({ "search-input": "search", "find-input": "find", "note-input": "note" });

/** Hears every key of the window from now on and runs the action bound to it with
 *  `run(action, { key, target })` (the action table's `run`, passed in: the table
 *  imports the views, and the help view imports this module). `blocked()` says a
 *  modal dialog is handling its own keys. */
export function listen(run, blocked) {
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || blocked()) return;
    const binding = bindingOf(e, contextOf(e.target));
    if (!binding) return;
    e.preventDefault();
    run(binding.action, { key: e.key, target: e.target });
  });
}

const SYMBOLS = { ArrowUp: "↑", ArrowDown: "↓", ArrowLeft: "←", ArrowRight: "→" };

/** How a key is shown in the help: its parts, e.g. ["Ctrl", "O"] or ["→"]. */
export function keyParts(key) {
  if (key.startsWith("Ctrl+Shift+")) return ["Ctrl", ...keyParts(key.slice(5))];
  if (key.startsWith("Ctrl+") && key.length > 5) {
    const k = key.slice(5);
    return ["Ctrl", k.length === 1 ? k.toUpperCase() : k];
  }
  if (key.startsWith("Shift+")) return ["Shift", key.length === 7 ? key.slice(6).toUpperCase() : keyParts(key.slice(6))[0]];
  if (key.startsWith("Alt+")) return ["Alt", keyParts(key.slice(4))[0]];
  return [SYMBOLS[key] || key];
}
