// The action table: the closed set of things the UI does. Keys (through the keymap),
// clicks (elements with `data-action`, links in the view) and events from the core
// (events.js) all end here, as `run(name, arg)`. An action asks the core through `api`
// and has a view draw the answer.

import { $, guard, orElse, toast } from "./dom.js";
import { state, setOutline, lessonById } from "./state.js";
import { api } from "./api.js";
import { back, forward, go, lessonHref, practiceHref } from "./router.js";
import { cycleTheme, setTheme, setReadingScale, stepReadingScale, toggleCodeWrap, toggleSidebar } from "./prefs.js";
import * as outline from "./views/outline.js";
import * as lesson from "./views/lesson.js";
import * as toc from "./views/toc.js";
import * as wide from "./views/wide.js";
import * as quiz from "./views/quiz.js";
import * as problems from "./views/problems.js";
import * as help from "./views/help.js";
import * as about from "./views/about.js";
import * as search from "./views/search.js";
import * as find from "./views/find.js";
import * as live from "./live.js";
import * as livePanel from "./views/livepanel.js";
import * as review from "./views/review.js";
import { where } from "./reading.js";
import * as settings from "./views/settings.js";
import * as dashboard from "./views/dashboard.js";
import * as highlights from "./views/highlights.js";
import * as author from "./views/author.js";
import * as select from "./views/select.js";
import * as cards from "./views/cards.js";
import * as notes from "./views/notes.js";
import { refreshProgress, continueLesson, toggleComplete, resetLesson, resetCourse } from "./progress.js";

const goNeighbour = (which) => (lesson.neighbour(which) ? go(lesson.neighbour(which)) : undefined);
const readingSize = (step) => toast(`Reading size: ${stepReadingScale(step)}%`);
const readingSizeSet = (value) => toast(`Reading size: ${setReadingScale(value)}%`);

const ACTIONS = Object.freeze({
  toggleAuthor: () => author.toggle(),
  selectText: ({ key }) => select.byKey(key),
  openLesson: ({ id, anchor, note }) => {
    state.pendingNote = note ? { lesson: id, id: note } : null;
    return go(lessonHref(id, anchor));
  },
  openFocusedLesson: () => {
    const id = outline.focusedLesson();
    return id ? go(lessonHref(id)) : undefined;
  },
  next: () => goNeighbour("next"),
  previous: () => goNeighbour("prev"),
  scrollTo: ({ id }) => lesson.scrollToAnchor(id),
  toggleToc: () => toc.toggleMenu() || toast("This lesson has no sections to list"),
  back: () => back(),
  forward: () => forward(),
  openExternal: ({ url }) => api.openExternal(url),
  copyCode: ({ target }) => wide.copyCode(target),
  toggleHiddenLines: ({ target }) => wide.toggleHiddenLines(target),
  toggleCodeWrap: () => {
    const on = toggleCodeWrap();
    wide.measure();
    toast(on ? "Long code lines wrap" : "Long code lines scroll sideways");
  },

  focusOutline: () => {
    toggleSidebar(true);
    outline.focus();
  },
  toggleSidebar: () => sidebar(),
  outlineNext: () => outline.move("next"),
  outlinePrevious: () => outline.move("previous"),
  outlineFirst: () => outline.move("first"),
  outlineLast: () => outline.move("last"),

  chooseOption: ({ key, target }) => quiz.choose(quiz.questionOf(target), Number(key)),
  checkAnswer: async ({ target }) => {
    const fs = quiz.questionOf(target);
    // A click on "Check answer" checks; Enter checks, or moves on once checked.
    const grade = await (target && target.matches("button.check") ? quiz.submit(fs) : quiz.checkOrAdvance(fs));
    if (grade && !grade.not_saved) await refreshProgress();
  },
  // Enter (one line) or Ctrl+Enter in an answer field: check that question.
  checkTyped: async ({ target }) => {
    if (review.cardOf(target)) return review.checkOrNext().then(refreshProgress);
    const grade = await quiz.submit(quiz.questionOf(target));
    if (grade && !grade.not_saved) await refreshProgress();
    return undefined;
  },
  retryMissed: () => quiz.retryMissed(),
  quizRate: ({ target }) => quiz.rate(target),

  cycleTheme: () => toast(`Theme: ${cycleTheme()}`),
  setTheme: ({ pref, value }) => setTheme(pref || value),
  setReadingSize: ({ value }) => readingSizeSet(value),
  setReviewLimits: async () => {
    const limits = { new_per_day: Number($("settings-new").value), reviews_per_day: Number($("settings-reviews").value) };
    const kept = await api.setReviewLimits(limits);
    toast(kept ? "Daily limits saved: they apply from the next session" : "Those limits are out of range");
  },
  setRetention: async ({ value }) => {
    const kept = await api.setReviewRetention(Number(value));
    toast(kept ? `Reviews aim to keep ${Math.round(Number(value) * 100)}%` : "That retention is out of range");
  },
  textBigger: () => readingSize(1),
  textSmaller: () => readingSize(-1),
  textReset: () => readingSize(0),

  openFolder: () => api.openFolder(),
  openCourseFile: () => api.openCourseFile().catch((e) => toast(`Not opened: ${e.message}`)),
  reload: () => api.reloadCourse(),
  courseOpened: ({ reason, outline: fresh }) => courseOpened(reason, fresh),
  checkProblems: () => checkProblems(),
  courseOpenFailed: ({ message }) => toast(`Not opened: ${message}`),
  courseChanged: (payload) => live.changed(payload).then(() => checkProblems()),
  watchStatus: (payload) => live.watchStatus(payload),
  searchIndexing: (payload) => search.indexingProgress(payload),
  // At the first problem shown, else at the heading in view (the core finds its line).
  editLesson: () => {
    if (lesson.retired()) return gone();
    const at = live.editTarget();
    if (at) return api.editFile(at.path, at.line);
    return state.current ? api.editHeading(state.current, where().anchor) : undefined;
  },
  editAt: ({ target }) => api.editFile(target.dataset.path, Number(target.dataset.line)),
  toggleProblems: () => problems.toggle(),
  foldLivePanel: () => livePanel.toggleFold(),
  help: () => help.toggle(),
  about: () => about.toggle(),
  openSearch: () => search.open(),
  searchNext: () => search.move(1),
  searchPrevious: () => search.move(-1),
  searchOpen: () => search.chooseActive(),
  searchClose: () => search.close(),
  findInLesson: () => find.open(),
  findNext: () => find.step(1),
  findPrevious: () => find.step(-1),
  findClose: () => find.close(),

  openSettings: () => go("#settings"),
  openDashboard: () => go("#dashboard"),
  openNotes: () => go("#notes"),
  notesColor: ({ value }) => notes.filter(value),
  openReview: () => go("#review"),
  practiseScope: ({ target }) => go(practiceHref(target.dataset.scope)),
  practiseSection: () => {
    const id = state.current;
    const s = id && state.outline.sections.find((x) => x.lessons.some((l) => l.id === id));
    return id ? go(practiceHref(s && s.id ? s.id : id)) : undefined;
  },
  reviewChoose: ({ key }) => review.choose(Number(key)),
  // Each answer and rating changes what is due: the outline's count follows.
  reviewCheck: () => review.checkOrNext().then(refreshProgress),
  reviewNext: () => review.checkOrNext().then(refreshProgress),
  reviewRate: ({ target }) => review.rate(target.dataset.rating).then(refreshProgress),
  reviewHard: () => review.rate("hard").then(refreshProgress),
  reviewEasy: () => review.rate("easy").then(refreshProgress),
  leaveReview: () => go("#"),
  dismissNotice: () => dismissNotice(),
  continueLesson: () => continueLesson(),
  openRecent: ({ target }) => api.openRecent(target.dataset.root),
  progressChanged: () => refreshProgress(),
  toggleComplete: () => (lesson.retired() ? gone() : toggleComplete()),
  resetLesson: () => (lesson.retired() ? gone() : resetLesson()),
  highlight: () => highlights.highlight(),
  highlightColor: ({ target }) => highlights.chooseColor(target.dataset.color),
  highlightRemove: () => highlights.remove(),
  noteOpen: ({ target }) => highlights.openNote(target),
  noteSave: () => highlights.saveNote(),
  noteCancel: () => highlights.closeToolbar(),
  bookmark: () => highlights.bookmark(),
  makeCard: ({ target }) => cards.makeCard(target).then((made) => made && refreshProgress()),
  // The session goes on without the card, and the outline's count follows.
  deleteCard: () => cards.deleteCard().then((id) => id && review.dropCard(id).then(refreshProgress)),
  resetCourse: () => resetCourse(),
  optimizeReview: () => settings.optimize(),
  resetReviewParameters: () => settings.resetParameters(),
  leechAction: ({ target }) => dashboard.cardAction(target.dataset.lesson, target.dataset.question, target.dataset.card),
});

/** Runs the action `name`; an error becomes a toast. Unknown names are a bug. */
export function run(name, arg) {
  const action = ACTIONS[name];
  if (!action) throw new Error(`no action “${name}”`);
  return guard(() => action(arg || {}));
}

/** The action a click on link `a` in the view asks for, if any. */
export function linkAction(a) {
  const href = a.getAttribute("href");
  if (a.dataset.lesson) return ["openLesson", { id: a.dataset.lesson, anchor: a.dataset.anchor, note: a.dataset.note }];
  if (href === null || href.startsWith("#lesson/")) return null; // the router's
  // A heading of the open lesson (the contents, the quiz's "Review:" link): through the
  // router, so the jump is a history entry Back returns from.
  if (href.startsWith("#") && state.current) return ["openLesson", { id: state.current, anchor: decodeURIComponent(href.slice(1)) }];
  if (href.startsWith("#")) return ["scrollTo", { id: decodeURIComponent(href.slice(1)) }];
  // Any other link leaves the app: the core hands http(s) to the system browser and
  // refuses the rest (the window itself never navigates away).
  return ["openExternal", { url: href }];
}

// `course://opened`: the course was re-read (keep the lesson and the scroll position)
// or another folder was opened (go to its course page). The outline is drawn first,
// the problems come after, from `check_course`.
async function courseOpened(reason, fresh) {
  const scroll = $("main").scrollTop;
  setOutline(fresh);
  state.progress = await orElse(api.courseProgress(), null);
  outline.draw();
  problems.close();
  problems.draw();
  if (reason === "reload" && state.current && lessonById(state.current)) {
    await lesson.show(state.current);
    $("main").scrollTop = scroll;
    toast("Course reloaded");
  } else {
    state.current = null;
    await go("");
    toast(reason === "reload" ? "Course reloaded" : `Opened “${fresh.title}”`);
  }
  await checkProblems();
}

async function checkProblems() {
  const ticket = (state.checkTicket += 1);
  const report = await api.checkCourse();
  if (ticket !== state.checkTicket) return;
  state.report = report;
  // The panel sits above the lesson: redrawing it must not move what is being read.
  live.keepPosition(() => problems.draw());
}

/** Shows or hides the outline; focus in it when hidden goes to the reading area. */
function sidebar() {
  const shown = toggleSidebar();
  if (!shown && $("sidebar").contains(document.activeElement)) $("main").focus({ preventScroll: true });
  toast(shown ? "Outline shown" : "Outline hidden (Ctrl+B shows it)");
}

/** The keys of a removed lesson's buttons say why they do nothing. */
const gone = () => toast("This lesson is no longer in the course");

function dismissNotice() {
  $("notice").hidden = true;
  $("main").focus({ preventScroll: true });
}
