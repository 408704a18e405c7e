// The About dialog (A, or "About Lectern" in the help dialog): Lectern's version and
// licence, and where the learner's data lives, as the core reports it (`about`).

import { $, el } from "../dom.js";
import { api } from "../api.js";

// What each place holds, in the order shown; a place the core does not name is left out.
const PLACES = [
  ["progress_db", "Progress database", "Your answers, scores, reading positions and settings."],
  ["backups", "Backups", "A copy of the database made at each start; the last 5 are kept."],
  ["search_cache", "Search cache", "The search index of each course. Deleting it loses nothing: it is rebuilt."],
  ["course_folder", "Open course", "The lessons you are studying now."],
  ["bundled_course", "Bundled course", "The course that comes with Lectern, laid out here on first use."],
];

function draw(info) {
  const places = PLACES.filter(([key]) => info[key]).flatMap(([key, name, what]) => [
    el("dt", { text: name }),
    el("dd", {}, el("code", { class: "about-path", text: info[key] }), el("span", { class: "about-what", text: what })),
  ]);
  $("about-body").replaceChildren(
    el("p", { class: "about-version", id: "about-version", text: `Version ${info.version}` }),
    el("p", { text: `Study Markdown courses offline. Free software under the ${info.license} licence.` }),
    el("p", { text: "Lessons are set in Literata (SIL Open Font License 1.1)." }),
    el("h3", { text: "Where your data lives" }),
    el("dl", { class: "about-places" }, ...places)
  );
}

/** Opens the dialog with fresh figures, or closes it. */
export async function toggle() {
  const dlg = $("about");
  if (dlg.open) {
    dlg.close();
    return;
  }
  draw(await api.about());
  if ($("help").open) $("help").close();
  dlg.showModal();
}
