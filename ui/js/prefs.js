// Preferences kept in the webview's localStorage (which lives in the app's data
// folder, so they survive restarts): the theme and the reading size.

import { $ } from "./dom.js";

const THEMES = ["system", "light", "dark"];
const THEME_KEY = "lectern.theme";
const media = window.matchMedia("(prefers-color-scheme: dark)");

export function themePref() {
  const p = localStorage.getItem(THEME_KEY);
  return THEMES.includes(p) ? p : "system";
}

/** Resolves the preference to `light` or `dark` on <html data-theme>. */
export function applyTheme() {
  const pref = themePref();
  document.documentElement.dataset.theme = pref === "system" ? (media.matches ? "dark" : "light") : pref;
  $("theme-select").value = pref;
}
media.addEventListener("change", applyTheme);

export function setTheme(pref) {
  localStorage.setItem(THEME_KEY, THEMES.includes(pref) ? pref : "system");
  applyTheme();
}

/** system → light → dark → system; returns the new preference's label. */
export function cycleTheme() {
  setTheme(THEMES[(THEMES.indexOf(themePref()) + 1) % THEMES.length]);
  return $("theme-select").selectedOptions[0].textContent;
}

// Reading size: a factor on the lesson and quiz text (CSS `--reading-scale`).
const SIZES = [0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2];
const SIZE_KEY = "lectern.readingScale";

export function readingScale() {
  const s = Number(localStorage.getItem(SIZE_KEY));
  return SIZES.includes(s) ? s : 1;
}

export function applyReadingScale() {
  const s = readingScale();
  document.documentElement.style.setProperty("--reading-scale", String(s));
  document.documentElement.dataset.readingScale = String(s);
}

/** Steps the reading size by `step` sizes (0 resets it); returns it as a percentage. */
export function stepReadingScale(step) {
  const i = SIZES.indexOf(readingScale());
  const next = step === 0 ? 1 : SIZES[Math.min(SIZES.length - 1, Math.max(0, i + step))];
  localStorage.setItem(SIZE_KEY, String(next));
  applyReadingScale();
  return Math.round(next * 100);
}
