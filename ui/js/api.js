// The one door to the Rust core: every Tauri command is called here, and nowhere else.
// Commands reject with { code, message }; anything else thrown on the way is wrapped
// into the same shape, so callers branch on `code` only.

const tauri = window.__TAURI__;

async function call(cmd, args = {}) {
  if (!tauri || !tauri.core) {
    throw { code: "no-backend", message: "Lectern's window is not connected to its core" };
  }
  try {
    return await tauri.core.invoke(cmd, args);
  } catch (e) {
    if (e && typeof e === "object" && "code" in e) throw e;
    throw { code: "internal", message: String(e) };
  }
}

export const api = {
  /** What the first page needs, in one answer: { watch, status, outline, progress,
   *  recent } (each what its own command answers; progress null, recent empty when
   *  they could not be read). */
  boot: () => call("boot"),
  /** The course outline, with the diagnostics found while loading. */
  courseOutline: () => call("course_outline"),
  /** What `lectern check` reports: { lessons, errors, warnings, diagnostics }. */
  checkCourse: () => call("check_course"),
  /** Re-reads the course; the new outline arrives as the event `course://opened`. */
  reloadCourse: () => call("reload_course"),
  /** The system's folder picker; `false` when cancelled, else `course://opened` follows. */
  openFolder: () => call("open_folder"),
  /** Asks for a `.lectern` file and opens its course (`course://opened` follows);
   *  false when cancelled. */
  openCourseFile: () => call("open_course_file"),
  openLesson: (id) => call("open_lesson", { id }),
  openExternal: (url) => call("open_external", { url }),
  /** The best sections for `query`: { query, results: [{ lesson, title, heading, anchor, snippet, score }] }. */
  search: (query, limit) => call("search", { query, limit }),
  /** The current diagnostics of a course file, with their source lines (live preview). */
  fileProblems: (path) => call("file_problems", { path }),
  /** Opens a course file at `line` in the author's editor ($VISUAL, $EDITOR, else the
   *  system's default application). */
  editFile: (path, line) => call("edit_file", { path, line }),
  /** Opens lesson `lesson`'s file at the line of the heading with id `heading`. */
  editHeading: (lesson, heading) => call("edit_heading", { lesson, heading }),
  /** How the folder is watched: { status, reason } or null (then `watch://status`). */
  watchStatus: () => call("watch_status"),
  /** Grades and records an answer: { correct, …, not_saved: {code, message} | null,
   *  lesson_complete }. `attempt` is the seed of the attempt's fresh start. */
  gradeAnswer: (lesson, attempt, question, chosen, timeMs, note = null) =>
    call("grade_answer", { lesson, attempt, question, chosen, timeMs, note }),
  /** The core's score of `[[questionId, correct], …]` in the order answered. */
  quizScore: (results) => call("quiz_score", { results }),
  retryQuiz: (lesson, questions) => call("retry_quiz", { lesson, questions }),
  /** Makes a highlight or bookmark; `selection` is { kind: "highlight" | "bookmark",
   *  start, end (UTF-16 offsets into the lesson's plain text), color, heading, note }.
   *  Resolves to its id. */
  addAnnotation: (lesson, selection) => call("add_annotation", { lesson, selection }),
  /** Changes a highlight's colour and note; resolves to whether it still exists. */
  editAnnotation: (id, color, note) => call("edit_annotation", { id, color, note }),
  removeAnnotation: (id) => call("remove_annotation", { id }),
  /** A review card of highlight `id`: { id, created, prompt } (prompt: the sentence with
   *  the phrase as ___). */
  makeCard: (id) => call("make_card", { id }),
  deleteMadeCard: (id) => call("delete_made_card", { id }),
  /** { lesson, title, present, notes: [{ id, kind, color, quote, note, …, place: { state:
   *  "exact" | "edited" | "detached", range: [start, end] | null, text } }] }. */
  lessonAnnotations: (lesson) => call("lesson_annotations", { lesson }),
  /** The open course's annotations by lesson in course order, lessons that are gone
   *  last: [{ lesson, title, present, notes }] (each note as in `lessonAnnotations`). */
  courseNotes: () => call("course_notes"),
  /** Re-opens a course of the recent list; `course://opened` follows. */
  openRecent: (root) => call("open_recent", { root }),

  /** { db, backups, saving, notice: {code, message} | null }: said once at start. */
  progressStatus: () => call("progress_status"),
  /** { lessons: [{id, state, marked, best, last, active_ms}], sections, completed, total, resume }. */
  courseProgress: () => call("course_progress"),
  /** [{ key, title, root, last_opened, exists, open }], most recent first. */
  recentCourses: () => call("recent_courses"),
  lessonOpened: (lesson) => call("lesson_opened", { lesson }),
  /** The reading position: { anchor, offset, at_end }. */
  recordPosition: (lesson, position) => call("record_position", { lesson, position }),
  recordActiveTime: (lesson, ms) => call("record_active_time", { lesson, ms }),
  /** { right_once: [questionId], updated: [position] } for the quiz's question ids. */
  lessonHistory: (lesson, questions) => call("lesson_history", { lesson, questions }),
  markComplete: (lesson, complete) => call("mark_complete", { lesson, complete }),
  resetLesson: (lesson) => call("reset_lesson", { lesson }),
  /** Resets the open course after a backup; resolves to the backup's path. */
  resetCourse: () => call("reset_course"),
  /** The cards due now, options shuffled: { cards: [{ lesson, lesson_title, question, due }],
   *  due_total, next_due: ms | null, seed }. */
  reviewSession: () => call("review_session"),
  /** Grades a review answer and reschedules the card (wrong: Again, right: Good): the
   *  quiz's grade plus { scheduled: { due, interval_days, rescheduled, can_rate, rating },
   *  again_in_session, not_saved }. */
  gradeReview: (lesson, question, chosen, timeMs, practice = false) => call("grade_review", { lesson, question, chosen, timeMs, practice }),
  /** "Practise this section": every question of the section or lesson `scope`, its due
   *  cards first, the rest shuffled; the review session's shape. */
  practiceSession: (scope) => call("practice_session", { scope }),
  /** After a right answer: "hard", "good" or "easy"; resolves to the new schedule. */
  rateReview: (lesson, question, rating) => call("rate_review", { lesson, question, rating }),
  /** Cards due on each of the next `days` days: [{ day, date, due }], today first. */
  reviewForecast: (days) => call("review_forecast", { days }),
  /** The desired retention reviews aim for (0.70–0.99). */
  reviewRetention: () => call("review_retention"),
  /** Stores the desired retention; resolves to false when out of range (nothing stored). */
  setReviewRetention: (value) => call("set_review_retention", { value }),
  /** How many cards a day's review sessions show: { new_per_day, reviews_per_day }. */
  reviewLimits: () => call("review_limits"),
  /** Sets the daily limits; false when one is out of range (0–9999). */
  setReviewLimits: (limits) => call("set_review_limits", { limits }),
  /** The FSRS parameters in use: { parameters: [21], defaults, fit, last, reviews,
   *  min_reviews, leech_lapses } (`fit`, `last`: { at, kind, reviews, parameters, old,
   *  new: { log_loss, rmse }, adopted } or null). */
  reviewParameters: () => call("review_parameters"),
  /** Fits the course's parameters off the window's thread (`background`: only when
   *  enough new answers came): { fitted, adopted, reviews, old, new, parameters } or null. */
  optimizeReview: (background) => call("optimize_review", { background }),
  /** Back to FSRS's default parameters. */
  resetReviewParameters: () => call("reset_review_parameters"),
  /** "suspend", "unsuspend" or "reset" a card; resolves to false when it has no card. */
  reviewCardAction: (lesson, question, action) => call("review_card_action", { lesson, question, action }),
  /** The study dashboard: { today, sections, due, history, streak, missed, leeches,
   *  leech_lapses }. */
  dashboard: () => call("dashboard"),
  getSetting: (key) => call("get_setting", { key }),
  /** Whether author mode is on (`lectern::author`; off without a database). */
  authorMode: () => call("author_mode"),
  /** Turns author mode on or off (remembered). */
  setAuthorMode: (on) => call("set_author_mode", { on }),
  /** The lesson's quiz with its answer key, lines and lints (`lectern quiz --json`'s
   *  shape); refused with `author-mode-off` unless author mode is on. */
  authorQuiz: (lesson) => call("author_quiz", { lesson }),
  /** { name, version, license, progress_db, backups, search_cache, course_folder, bundled_course }. */
  about: () => call("about"),
  /** The page the window opened on is drawn; `fcp` is the first contentful paint (Unix
   *  ms). Recorded only when LECTERN_STARTUP_TRACE is set. */
  startupPainted: (fcp) => call("startup_painted", { fcp }),
  setSetting: (key, value) => call("set_setting", { key, value }),
};

/** Sets the native window's title (what task bars show). */
export function setWindowTitle(text) {
  const win = tauri && tauri.window && tauri.window.getCurrentWindow ? tauri.window.getCurrentWindow() : null;
  if (win) win.setTitle(text).catch(() => {});
}
