// Lectern's web UI. Plain ES2020, no build step, no network: everything it needs ships
// in ui/. All logic lives in the Rust core; this file asks it through Tauri commands
// and draws the answers. Text from lessons is inserted with textContent; only HTML the
// core has rendered *and sanitized* is inserted as markup.
"use strict";

(function () {
  const tauri = window.__TAURI__;
  const invoke = tauri && tauri.core ? tauri.core.invoke : null;

  const state = {
    outline: null,
    order: [], // lesson ids in course order
    current: null, // id of the open lesson, or null on the course page
  };

  // ---------- small DOM helpers ----------
  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  function minutes(m) {
    if (m === null || m === undefined) return "";
    const h = Math.floor(m / 60);
    const r = m % 60;
    if (h === 0) return `${r} min`;
    return r === 0 ? `${h} h` : `${h} h ${r} min`;
  }
  function toast(text) {
    const t = $("toast");
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => (t.hidden = true), 4000);
  }

  async function call(cmd, args) {
    if (!invoke) throw { code: "no-backend", message: "Lectern's window is not connected to its core" };
    try {
      return await invoke(cmd, args || {});
    } catch (e) {
      // Commands reject with { code, message }; anything else is wrapped the same way.
      if (e && typeof e === "object" && "code" in e) throw e;
      throw { code: "internal", message: String(e) };
    }
  }

  // ---------- theme ----------
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  function applyTheme() {
    const pref = localStorage.getItem("lectern.theme") || "system";
    const resolved = pref === "system" ? (media.matches ? "dark" : "light") : pref;
    document.documentElement.dataset.theme = resolved;
    $("theme-select").value = pref;
  }
  function setTheme(pref) {
    localStorage.setItem("lectern.theme", pref);
    applyTheme();
  }
  media.addEventListener("change", applyTheme);

  // ---------- outline ----------
  function renderOutline() {
    const o = state.outline;
    $("course-title").textContent = o.title;
    const count = state.order.length;
    $("course-meta").textContent =
      `${count} lesson${count === 1 ? "" : "s"}` + (o.total_minutes ? ` · ${minutes(o.total_minutes)}` : "");
    const errors = o.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = o.diagnostics.length - errors;
    const badge = $("diag-badge");
    if (o.diagnostics.length) {
      badge.hidden = false;
      badge.className = "diag-badge " + (errors ? "has-errors" : "has-warnings");
      const parts = [];
      if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
      if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
      badge.textContent = parts.join(", ");
      badge.setAttribute("aria-expanded", String(!$("diagnostics").hidden));
    } else {
      badge.hidden = true;
    }
    const root = $("outline");
    root.replaceChildren();
    for (const s of o.sections) {
      const list = el("ul", { class: "lesson-list", role: "group" });
      for (const l of s.lessons) {
        const link = el(
          "a",
          {
            class: "lesson-link",
            href: `#lesson/${encodeURIComponent(l.id)}`,
            "data-lesson": l.id,
            role: "treeitem",
            tabindex: "-1",
          },
          el("span", { class: "lesson-title", text: l.title }),
          el("span", { class: "lesson-duration", text: minutes(l.duration_minutes) })
        );
        list.append(el("li", {}, link));
      }
      const group = el(
        "section",
        { class: "outline-section", "data-section": s.id },
        el("h2", { class: "section-title", text: s.title }),
        list
      );
      root.append(group);
    }
    renderDiagnostics();
    markCurrent();
  }

  function renderDiagnostics() {
    const box = $("diagnostics");
    box.replaceChildren(
      el("h2", { text: "Problems in this course" }),
      el(
        "ul",
        {},
        ...state.outline.diagnostics.map((d) =>
          el(
            "li",
            { class: `diag diag-${d.severity}` },
            el("span", { class: "diag-sev", text: d.severity }),
            el("code", { class: "diag-loc", text: `${d.path}:${d.line}:${d.column}` }),
            el("span", { class: "diag-code", text: `[${d.code}]` }),
            el("span", { class: "diag-msg", text: d.message })
          )
        )
      )
    );
  }

  function outlineLinks() {
    return Array.from(document.querySelectorAll("#outline .lesson-link"));
  }

  function markCurrent() {
    const links = outlineLinks();
    let focusable = null;
    for (const a of links) {
      const on = a.dataset.lesson === state.current;
      a.classList.toggle("current", on);
      if (on) {
        a.setAttribute("aria-current", "page");
        focusable = a;
      } else a.removeAttribute("aria-current");
      a.tabIndex = -1;
    }
    // Roving tabindex: one tab stop for the whole outline.
    (focusable || links[0] || { tabIndex: 0 }).tabIndex = 0;
  }

  // ---------- views ----------
  function lessonById(id) {
    for (const s of state.outline.sections) for (const l of s.lessons) if (l.id === id) return l;
    return null;
  }

  function showCourse() {
    state.current = null;
    const o = state.outline;
    const first = state.order[0];
    const view = $("view");
    view.replaceChildren(
      el(
        "article",
        { class: "course-home" },
        el("h1", { text: o.title }),
        o.description ? el("p", { class: "lede", text: o.description }) : null,
        el(
          "p",
          { class: "course-stats" },
          `${state.order.length} lesson${state.order.length === 1 ? "" : "s"} in ${o.sections.length} section${o.sections.length === 1 ? "" : "s"}`,
          o.total_minutes ? ` · about ${minutes(o.total_minutes)} of study` : ""
        ),
        first
          ? el("a", { class: "button primary", href: `#lesson/${encodeURIComponent(first)}`, text: "Start the course" })
          : el("p", { text: "This folder has no lessons yet. Add a Markdown file with front matter to begin." }),
        el(
          "ol",
          { class: "home-sections" },
          ...o.sections.map((s) =>
            el(
              "li",
              {},
              el("h2", { text: s.title }),
              el(
                "p",
                { class: "muted" },
                `${s.lessons.length} lesson${s.lessons.length === 1 ? "" : "s"}`,
                ` · ${minutes(s.lessons.reduce((a, l) => a + (l.duration_minutes || 0), 0))}`
              )
            )
          )
        )
      )
    );
    $("crumbs").textContent = o.title;
    document.title = `${o.title} — Lectern`;
    markCurrent();
  }

  function showLesson(id) {
    const l = lessonById(id);
    if (!l) {
      toast(`No lesson “${id}” in this course`);
      location.hash = "";
      return;
    }
    state.current = id;
    const idx = state.order.indexOf(id);
    const prev = idx > 0 ? state.order[idx - 1] : null;
    const next = idx >= 0 && idx < state.order.length - 1 ? state.order[idx + 1] : null;
    const view = $("view");
    view.replaceChildren(
      el(
        "article",
        { class: "lesson", "data-lesson": id },
        el(
          "header",
          { class: "lesson-head" },
          el("p", { class: "eyebrow", text: sectionTitleOf(id) }),
          el("h1", { text: l.title }),
          el("p", { class: "muted" }, l.duration_minutes ? minutes(l.duration_minutes) : "", l.kind && l.kind !== "lesson" ? ` · ${l.kind}` : "")
        ),
        el("div", { class: "lesson-body", id: "lesson-body" }),
        navButtons(prev, next)
      )
    );
    $("crumbs").textContent = `${state.outline.title} › ${l.title}`;
    document.title = `${l.title} — Lectern`;
    markCurrent();
    $("main").scrollTop = 0;
  }

  function sectionTitleOf(id) {
    for (const s of state.outline.sections) if (s.lessons.some((l) => l.id === id)) return s.title;
    return "";
  }

  function navButtons(prev, next) {
    const p = prev ? lessonById(prev) : null;
    const n = next ? lessonById(next) : null;
    return el(
      "nav",
      { class: "lesson-nav", "aria-label": "Previous and next lesson" },
      p
        ? el("a", { class: "button nav-prev", href: `#lesson/${encodeURIComponent(p.id)}`, rel: "prev" }, el("small", { text: "Previous" }), el("span", { text: p.title }))
        : el("span"),
      n
        ? el("a", { class: "button nav-next", href: `#lesson/${encodeURIComponent(n.id)}`, rel: "next" }, el("small", { text: "Next" }), el("span", { text: n.title }))
        : el("span")
    );
  }

  function route() {
    const h = decodeURIComponent(location.hash.replace(/^#/, ""));
    if (h.startsWith("lesson/")) showLesson(h.slice("lesson/".length));
    else showCourse();
  }

  // ---------- keyboard ----------
  function onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    const typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (typing) return;
    const links = outlineLinks();
    const i = links.indexOf(document.activeElement);
    if (i >= 0 && (e.key === "ArrowDown" || e.key === "ArrowUp" || e.key === "Home" || e.key === "End")) {
      const j = e.key === "ArrowDown" ? Math.min(i + 1, links.length - 1)
        : e.key === "ArrowUp" ? Math.max(i - 1, 0)
        : e.key === "Home" ? 0 : links.length - 1;
      links.forEach((a, k) => (a.tabIndex = k === j ? 0 : -1));
      links[j].focus();
      e.preventDefault();
      return;
    }
    if (e.key === "t") {
      const order = ["system", "light", "dark"];
      const cur = localStorage.getItem("lectern.theme") || "system";
      setTheme(order[(order.indexOf(cur) + 1) % order.length]);
      toast(`Theme: ${$("theme-select").selectedOptions[0].textContent}`);
    } else if ((e.key === "ArrowRight" || e.key === "n") && state.current !== null) {
      const a = document.querySelector(".lesson-nav .nav-next");
      if (a) location.hash = a.getAttribute("href");
    } else if ((e.key === "ArrowLeft" || e.key === "p") && state.current !== null) {
      const a = document.querySelector(".lesson-nav .nav-prev");
      if (a) location.hash = a.getAttribute("href");
    } else if (e.key === "g") {
      const cur = document.querySelector("#outline .lesson-link.current") || links[0];
      if (cur) cur.focus();
    } else return;
    e.preventDefault();
  }

  // ---------- start ----------
  async function start() {
    applyTheme();
    $("theme-select").addEventListener("change", (e) => setTheme(e.target.value));
    $("diag-badge").addEventListener("click", () => {
      const box = $("diagnostics");
      box.hidden = !box.hidden;
      $("diag-badge").setAttribute("aria-expanded", String(!box.hidden));
      if (!box.hidden) box.scrollIntoView({ block: "start" });
    });
    document.addEventListener("keydown", onKey);
    window.addEventListener("hashchange", route);
    try {
      state.outline = await call("course_outline");
    } catch (e) {
      $("view").replaceChildren(el("div", { class: "error-card" }, el("h1", { text: "Lectern could not open this course" }), el("p", { text: e.message })));
      return;
    }
    state.order = state.outline.sections.flatMap((s) => s.lessons.map((l) => l.id));
    renderOutline();
    route();
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", start);
})();
