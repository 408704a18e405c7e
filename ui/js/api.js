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
  /** The course outline, with the diagnostics found while loading. */
  courseOutline: () => call("course_outline"),
  /** What `lectern check` reports: { lessons, errors, warnings, diagnostics }. */
  checkCourse: () => call("check_course"),
  /** Re-reads the course; the new outline arrives as the event `course://opened`. */
  reloadCourse: () => call("reload_course"),
  /** The system's folder picker; `false` when cancelled, else `course://opened` follows. */
  openFolder: () => call("open_folder"),
  openLesson: (id) => call("open_lesson", { id }),
  openExternal: (url) => call("open_external", { url }),
  gradeAnswer: (lesson, question, chosen) => call("grade_answer", { lesson, question, chosen }),
  /** The core's score of `[[questionId, correct], …]` in the order answered. */
  quizScore: (results) => call("quiz_score", { results }),
  retryQuiz: (lesson, questions) => call("retry_quiz", { lesson, questions }),
};

/** Sets the native window's title (what task bars show). */
export function setWindowTitle(text) {
  const win = tauri && tauri.window && tauri.window.getCurrentWindow ? tauri.window.getCurrentWindow() : null;
  if (win) win.setTitle(text).catch(() => {});
}
