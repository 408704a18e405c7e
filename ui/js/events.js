// Events from the core, turned into actions. The names are defined by the shell in
// src-tauri/src/events.rs; this table is their one mirror on this side.

import { run } from "./actions.js";

const EVENTS = Object.freeze({
  "course://opened": "courseOpened",
  "course://changed": "courseChanged",
  "course://open-failed": "courseOpenFailed",
  "watch://status": "watchStatus",
  "search://indexing": "searchIndexing",
});

/** Subscribes to every event of the table (through Tauri's `listen`). */
export async function subscribe() {
  const ev = window.__TAURI__ && window.__TAURI__.event;
  if (!ev) return;
  // Together: each `listen` is a round trip to the core.
  await Promise.all(Object.entries(EVENTS).map(([name, action]) => ev.listen(name, (e) => run(action, e.payload))));
}
