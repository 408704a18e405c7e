// Events from the core, turned into actions. The names are defined by the shell in
// src-tauri/src/events.rs; this table is their one mirror on this side.

import { run } from "./actions.js";

const EVENTS = Object.freeze({
  "course://opened": "courseOpened",
});

/** Subscribes to every event of the table (through Tauri's `listen`). */
export async function subscribe() {
  const ev = window.__TAURI__ && window.__TAURI__.event;
  if (!ev) return;
  for (const [name, action] of Object.entries(EVENTS)) {
    await ev.listen(name, (e) => run(action, e.payload));
  }
}
