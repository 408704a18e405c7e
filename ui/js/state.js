// The UI's whole state, every field declared here. Views read it; actions and views
// change it through the few functions below or by assigning a declared field.
//
// Module-private state. A few modules keep a variable of their own, outside `state` on
// purpose: each is read and written by that module alone (a timer handle, a ticket, the
// module's own bookkeeping), and no other module may depend on it. Every module-level
// `let` of ui/js is either a field of `state` or listed here, as "<file> `<name>`"
// (tests/tidy.rs checks it):
//   dom.js `toastTimer` — the toast's hide timer, reset by each toast.
//   views/course.js `budget` — chips the course page being drawn may still show.
//   views/search.js `timer` — the palette's debounce before asking `search`.
//   views/search.js `hits` — the results listed; the options' `data-index` point into it.
//   views/search.js `matched` — the indexed words the listed answer was found by, marked in the lesson Enter opens.
//   views/search.js `active` — the index of the highlighted option (`aria-activedescendant`).
//   views/search.js `returnFocus` — where focus was when the palette opened, restored on close.
//   views/search.js `asked` — ticket of the last query sent: an older answer is dropped.
//   views/search.js `indexing` — how far the first index has come ({ done, total }), null once it is done.
//   views/search.js `indexed` — whether the first index was said done (a later answer's `indexing` is stale).
//   views/find.js `marks` — the find bar's `<mark>` nodes in the lesson body.
//   views/find.js `current` — the index of the match shown ("3 of 12").
//   views/find.js `timer` — the find bar's debounce; Enter runs a pending search first.
//   live.js `running` — the live refresh in progress (events during it fold into one).
//   live.js `pending` — the file to refresh once the running refresh ends.
//   live.js `shown` — a signature of the page drawn: an identical page is not redrawn.
//   reading.js `lesson` — the lesson whose reading time is being counted.
//   reading.js `timer` — the reading position's debounce.
//   reading.js `lastActive` — when the learner last pressed a key, scrolled or pointed.
//   reading.js `lastTick` — when active time was last counted.
//   reading.js `pending` — active time counted and not yet sent.
//   views/highlights.js `target` — what the highlight toolbar acts on: { id } or a selection.
//   views/highlights.js `color` — the colour `h` uses: the last one chosen.
//   views/notes.js `shown` — the notes view's colour filter ("all" or a colour): the view's own, kept while the app is open.
//   reading.js `onChange` — what to run when a report may have changed the progress.

export const state = {
  /** The course outline (`course_outline`, or the payload of `course://opened`). */
  outline: null,
  /** Lesson ids in course order. */
  order: [],
  /** Id of the open lesson, or null on the course page. */
  current: null,
  /** Bumped by every navigation: only the last one requested is drawn. */
  navTicket: 0,
  /** Bumped by every course check: only the report of the open course is drawn. */
  checkTicket: 0,
  /** The report of `check_course` for the open course, or null while it runs. */
  report: null,
  /** The open lesson's quiz: { attempt, seed: the seed of its fresh start, all: the ids
   *  of the lesson's questions (a retry attempt has fewer), results: [[questionId,
   *  correct], …] in the order answered, scoring: the promise of the score being
   *  fetched, score: the core's score once every question is answered, since: when it
   *  was drawn }. */
  quiz: null,
  /** The open lesson's `{ id, path }`, remembered while live preview finds it broken
   *  or removed (it is then no longer in the outline). */
  openFile: null,
  /** Stops the contents' tracking of the section being read (views/toc.js). */
  tocWatch: null,
  /** The open lesson's highlights, notes and bookmarks as the core placed them on its
   *  text (`lesson_annotations`): [{ id, kind, color, quote, note, place }]. */
  annotations: [],
  /** The lesson page drawn last (`open_lesson`'s answer): author mode compares a
   *  live redraw with it to find the edit. */
  page: null,
  /** Whether author mode is on (`author_mode`; views/author.js). */
  author: false,
  /** The open course's progress (`course_progress`), or null before it arrives. */
  progress: null,
  /** Where progress lives and whether it is saved (`progress_status`). */
  status: null,
  /** The position Continue asked for, applied once its lesson is drawn:
   *  { lesson, position: { anchor, offset, at_end } }. */
  pendingPosition: null,
  /** The review session on screen: { queue: cards left (the one shown first), total,
   *  right, again: first answers right and wrong, seen: question ids answered, next:
   *  the next due { at, count }, card: the card shown, since: when it was drawn }. */
  review: null,
  /** The recent courses of the `boot` answer, used once by the first course page
   *  (which otherwise asks for them), then null. */
  bootRecent: null,
  /** Query terms to highlight in the lesson the palette opens: { lesson, terms }. */
  pendingHighlight: null,
  /** The highlight a link of the notes view opens its lesson at: { lesson, id }. */
  pendingNote: null,
};

/** The progress of lesson `id` ({ state, best, … }), or null. */
export function progressOf(id) {
  const p = state.progress;
  if (!p) return null;
  return indexed(p, p.lessons).get(id) || null;
}

// Lookups by id, built once per answer of the core (an outline or a progress object is
// replaced whole, never changed in place): the outline and course page look up every
// lesson, which a linear search made quadratic (seconds at 10,000 lessons).
const indexes = new WeakMap();
function indexed(owner, lessons) {
  let map = indexes.get(owner);
  if (!map) {
    map = new Map();
    for (const l of lessons) if (!map.has(l.id)) map.set(l.id, l);
    indexes.set(owner, map);
  }
  return map;
}

/** Takes a new outline (at start, after reload or open folder). */
export function setOutline(outline) {
  state.outline = outline;
  state.order = outline.sections.flatMap((s) => s.lessons.map((l) => l.id));
  state.report = null;
}

export function lessonById(id) {
  const o = state.outline;
  return indexed(o, o.sections.flatMap((s) => s.lessons)).get(id) || null;
}
