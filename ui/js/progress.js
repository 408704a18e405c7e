// Progress, as the learner changes it: the core keeps it; these ask for a change (mark
// complete, reset a lesson or the course, continue where they left off) and redraw
// what shows it (the outline, the course page, the lesson's status).

import { toast } from "./dom.js";
import { state, lessonById, progressOf } from "./state.js";
import { api } from "./api.js";
import { go, lessonHref } from "./router.js";
import * as outline from "./views/outline.js";
import * as lesson from "./views/lesson.js";
import * as confirm from "./views/confirm.js";

/** Fetches the course's progress again and redraws the outline, course page and lesson
 *  status from it. */
export async function refreshProgress() {
  state.progress = await api.courseProgress();
  outline.drawProgress();
  lesson.drawStatus();
}

/** Where the learner left off, or the first lesson of a course not yet begun. */
export async function continueLesson() {
  const resume = state.progress && state.progress.resume;
  if (!resume) return state.order[0] ? go(lessonHref(state.order[0])) : undefined;
  state.pendingPosition = resume;
  return go(lessonHref(resume.lesson));
}

export async function toggleComplete() {
  const id = state.current;
  if (!id) return;
  const lp = progressOf(id);
  const mark = !(lp && lp.marked);
  await api.markComplete(id, mark);
  await refreshProgress();
  toast(mark ? "Marked as complete" : "No longer marked as complete");
}

export async function resetLesson() {
  const id = state.current;
  if (!id) return;
  const title = lessonById(id).title;
  const ok = await confirm.ask({
    title: "Reset this lesson?",
    text: `Forget your reading position, reading time, answers and scores for “${title}”. This cannot be undone.`,
    ok: "Reset lesson",
  });
  if (!ok) return;
  await api.resetLesson(id);
  await lesson.show(id, undefined, { quiet: true });
  await refreshProgress();
  toast("Lesson reset");
}

export async function resetCourse() {
  const ok = await confirm.ask({
    title: "Reset course progress?",
    text: `Forget everything you did in “${state.outline.title}”. A backup of your progress is made first.`,
    ok: "Reset course",
  });
  if (!ok) return;
  const backup = await api.resetCourse();
  await refreshProgress();
  toast(`Course progress reset. Backup: ${backup}`);
}
