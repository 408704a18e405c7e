// Preferences, stored in the progress database (the Settings view's `get_setting` /
// `set_setting`): the theme, the reading size, whether the outline is shown, whether
// code wraps and whether the live preview's error panel is folded to its line. Values an older Lectern kept in the
// webview's localStorage are moved over once. When progress is not being saved (a
// read-only database) a change still applies for this session.

import { $, orElse } from "./dom.js";
import { api } from "./api.js";

const THEMES = ["system", "light", "dark"];
const SIZES = [0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2];
const media = window.matchMedia("(prefers-color-scheme: dark)");

/** The setting keys in the database, and where an older Lectern kept each. */
const KEYS = {
  theme: "lectern.theme",
  reading_scale: "lectern.readingScale",
  sidebar: "lectern.sidebar",
  live_panel: "lectern.livePanel",
  code_wrap: "lectern.codeWrap",
};
const prefs = { theme: "system", reading_scale: "1", sidebar: "shown", live_panel: "open", code_wrap: "off" };

/** Reads the stored preferences (moving old localStorage ones into the database). */
export async function loadPrefs() {
  for (const [key, legacy] of Object.entries(KEYS)) {
    let value = await orElse(api.getSetting(key), null); // no database: the defaults
    const old = localStorage.getItem(legacy);
    if (value === null && old !== null) {
      value = old;
      if (await save(key, old)) localStorage.removeItem(legacy);
    }
    if (value !== null) prefs[key] = value;
  }
  applyTheme();
  applyReadingScale();
  applySidebar();
  applyCodeWrap();
}

/** Stores a preference; whether it was saved. */
async function save(key, value) {
  prefs[key] = value;
  // Read-only: kept for this session, as the notice said.
  return orElse(api.setSetting(key, value).then(() => true), false);
}

export function themePref() {
  return THEMES.includes(prefs.theme) ? prefs.theme : "system";
}

/** Resolves the preference to `light` or `dark` on <html data-theme>. */
export function applyTheme() {
  const pref = themePref();
  document.documentElement.dataset.theme = pref === "system" ? (media.matches ? "dark" : "light") : pref;
  $("theme-select").value = pref;
  const inSettings = $("settings-theme");
  if (inSettings) inSettings.value = pref;
}
media.addEventListener("change", applyTheme);

export async function setTheme(pref) {
  const p = THEMES.includes(pref) ? pref : "system";
  prefs.theme = p;
  applyTheme();
  await save("theme", p);
}

/** system → light → dark → system; returns the new preference's label. */
export function cycleTheme() {
  setTheme(THEMES[(THEMES.indexOf(themePref()) + 1) % THEMES.length]);
  return $("theme-select").selectedOptions[0].textContent;
}

// Reading size: a factor on the lesson and quiz text (CSS `--reading-scale`).
export const READING_SIZES = SIZES;

export function readingScale() {
  const s = Number(prefs.reading_scale);
  return SIZES.includes(s) ? s : 1;
}

export function applyReadingScale() {
  const s = readingScale();
  document.documentElement.style.setProperty("--reading-scale", String(s));
  document.documentElement.dataset.readingScale = String(s);
  const inSettings = $("settings-size");
  if (inSettings) inSettings.value = String(s);
}

/** Sets the reading size to `scale` (one of READING_SIZES). */
export function setReadingScale(scale) {
  const s = SIZES.includes(Number(scale)) ? Number(scale) : 1;
  prefs.reading_scale = String(s);
  applyReadingScale();
  save("reading_scale", String(s));
  return Math.round(s * 100);
}

/** Steps the reading size by `step` sizes (0 resets it); returns it as a percentage. */
export function stepReadingScale(step) {
  const i = SIZES.indexOf(readingScale());
  return setReadingScale(step === 0 ? 1 : SIZES[Math.min(SIZES.length - 1, Math.max(0, i + step))]);
}

// The outline (sidebar): shown or hidden, on <html data-sidebar>, with the toolbar
// button's state.
export function applySidebar() {
  const hidden = prefs.sidebar === "hidden";
  document.documentElement.dataset.sidebar = hidden ? "hidden" : "shown";
  const button = $("sidebar-button");
  button.setAttribute("aria-expanded", String(!hidden));
  button.title = hidden ? "Show the outline (Ctrl+B)" : "Hide the outline (Ctrl+B)";
}

/** Shows or hides the outline (`shown`: force a state); whether it is now shown. */
export function toggleSidebar(shown) {
  const show = shown === undefined ? prefs.sidebar === "hidden" : shown;
  prefs.sidebar = show ? "shown" : "hidden";
  applySidebar();
  save("sidebar", prefs.sidebar);
  return show;
}

/** Whether the author folded the live preview's error panel to its line. */
export function livePanelFolded() {
  return prefs.live_panel === "folded";
}

export function setLivePanelFolded(folded) {
  prefs.live_panel = folded ? "folded" : "open";
  save("live_panel", prefs.live_panel);
}

/** Whether long code lines wrap (else they scroll sideways). */
export function codeWrap() {
  return prefs.code_wrap === "on";
}

/** Applies the code wrap preference: `<html data-code-wrap>` and every Wrap button. */
export function applyCodeWrap() {
  document.documentElement.dataset.codeWrap = codeWrap() ? "on" : "off";
  for (const b of document.querySelectorAll(".wrap-toggle")) b.setAttribute("aria-pressed", String(codeWrap()));
}

/** Wraps long code lines, or stops; whether they wrap now. */
export function toggleCodeWrap() {
  prefs.code_wrap = codeWrap() ? "off" : "on";
  applyCodeWrap();
  save("code_wrap", prefs.code_wrap);
  return codeWrap();
}
