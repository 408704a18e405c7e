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

  // The document title and the native window's title (the window title is what task
  // bars and window switchers show).
  function setTitle(text) {
    document.title = text;
    const win = tauri && tauri.window && tauri.window.getCurrentWindow ? tauri.window.getCurrentWindow() : null;
    if (win) win.setTitle(text).catch(() => {});
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
      const list = el("ul", { class: "lesson-list", "aria-label": s.title });
      for (const l of s.lessons) {
        const link = el(
          "a",
          {
            class: "lesson-link",
            href: `#lesson/${encodeURIComponent(l.id)}`,
            "data-lesson": l.id,
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
    // A problem in a lesson that loaded links to it; a file that could not be read has
    // no lesson to open.
    const byPath = new Map();
    for (const s of state.outline.sections) for (const l of s.lessons) byPath.set(l.path, l.id);
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
            byPath.has(d.path)
              ? el("a", { class: "diag-loc", href: `#lesson/${encodeURIComponent(byPath.get(d.path))}`, text: `${d.path}:${d.line}:${d.column}` })
              : el("code", { class: "diag-loc", text: `${d.path}:${d.line}:${d.column}` }),
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
    state.navTicket = (state.navTicket || 0) + 1;
    state.current = null;
    state.page = null;
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
              ),
              el(
                "ul",
                { class: "home-lessons" },
                ...s.lessons.map((l) =>
                  el("li", {}, el("a", { href: `#lesson/${encodeURIComponent(l.id)}`, text: l.title }))
                )
              )
            )
          )
        )
      )
    );
    $("crumbs").textContent = o.title;
    setTitle(`${o.title} — Lectern`);
    markCurrent();
  }

  async function showLesson(id, anchor) {
    if (!lessonById(id)) {
      toast(`No lesson “${id}” in this course`);
      location.hash = "";
      return;
    }
    // A later navigation may overtake this one while the core renders; only the last
    // one requested is drawn.
    const ticket = (state.navTicket = (state.navTicket || 0) + 1);
    let page;
    try {
      page = await call("open_lesson", { id });
    } catch (e) {
      toast(e.message);
      return;
    }
    if (ticket !== state.navTicket) return;
    state.current = id;
    state.page = page;
    const body = el("div", { class: "lesson-body", id: "lesson-body" });
    body.innerHTML = page.html; // rendered and sanitized by the core
    decorateBody(body);
    const article = el(
      "article",
      { class: "lesson", "data-lesson": id, "aria-labelledby": "lesson-title" },
      el(
        "header",
        { class: "lesson-head" },
        el("p", { class: "eyebrow", text: page.section_title }),
        el("h1", { id: "lesson-title", text: page.title }),
        el(
          "p",
          { class: "muted" },
          page.duration_minutes ? minutes(page.duration_minutes) : "",
          page.type && page.type !== "lesson" ? ` · ${page.type}` : ""
        )
      ),
      lessonProblems(page.diagnostics),
      body,
      page.quiz ? renderQuiz(page.quiz) : null,
      navButtons(page.prev, page.next)
    );
    const reader = el("div", { class: "reader" }, article, renderToc(page.toc));
    $("view").replaceChildren(reader);
    $("crumbs").textContent = `${state.outline.title} › ${page.title}`;
    setTitle(`${page.title} — ${state.outline.title} — Lectern`);
    markCurrent();
    if (anchor) scrollToAnchor(anchor);
    else $("main").scrollTop = 0;
    watchToc();
  }

  function lessonProblems(diags) {
    if (!diags || !diags.length) return null;
    return el(
      "details",
      { class: "lesson-problems" },
      el("summary", { text: `${diags.length} problem${diags.length === 1 ? "" : "s"} in this lesson` }),
      el(
        "ul",
        {},
        ...diags.map((d) =>
          el(
            "li",
            { class: `diag diag-${d.severity}` },
            el("span", { class: "diag-sev", text: d.severity }),
            el("code", { class: "diag-loc", text: `${d.path}:${d.line}:${d.column}` }),
            el("span", { class: "diag-msg", text: d.message })
          )
        )
      )
    );
  }

  // Copy buttons on code blocks; links are handled by one delegated listener.
  function decorateBody(body) {
    for (const fig of body.querySelectorAll("figure.code")) {
      const cap = fig.querySelector("figcaption");
      const code = fig.querySelector("code");
      if (!cap || !code) continue;
      const btn = el("button", { type: "button", class: "copy", "aria-label": `Copy ${cap.textContent} code`, text: "Copy" });
      btn.addEventListener("click", () => copyText(code.textContent, btn));
      cap.append(btn);
    }
    for (const t of body.querySelectorAll("table")) {
      if (!t.parentElement.classList.contains("table-wrap")) {
        const wrap = el("div", { class: "table-wrap" });
        t.replaceWith(wrap);
        wrap.append(t);
      }
    }
  }

  async function copyText(text, btn) {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (_) {
      const ta = el("textarea", { class: "visually-hidden", "aria-hidden": "true" });
      ta.value = text;
      document.body.append(ta);
      ta.select();
      try { ok = document.execCommand("copy"); } catch (_) { ok = false; }
      ta.remove();
    }
    btn.textContent = ok ? "Copied" : "Copy failed";
    setTimeout(() => (btn.textContent = "Copy"), 1500);
  }

  function onBodyClick(e) {
    const a = e.target.closest("a");
    if (!a || !$("view").contains(a)) return;
    if (a.dataset.lesson) {
      e.preventDefault();
      const target = `#lesson/${encodeURIComponent(a.dataset.lesson)}` + (a.dataset.anchor ? `/${encodeURIComponent(a.dataset.anchor)}` : "");
      if (a.dataset.lesson === state.current && a.dataset.anchor) scrollToAnchor(a.dataset.anchor);
      else location.hash = target;
    } else if (/^https?:/i.test(a.getAttribute("href") || "")) {
      // Every web link opens in the system browser, never in the app window.
      e.preventDefault();
      call("open_external", { url: a.getAttribute("href") }).catch((err) => toast(err.message));
    } else if ((a.getAttribute("href") || "").startsWith("#") && !a.getAttribute("href").startsWith("#lesson/")) {
      e.preventDefault();
      scrollToAnchor(decodeURIComponent(a.getAttribute("href").slice(1)));
    }
  }

  function scrollToAnchor(id) {
    const target = document.getElementById(id);
    if (!target) return;
    target.scrollIntoView({ block: "start" });
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }

  function renderToc(toc) {
    if (!toc || toc.length < 2) return el("aside", { class: "toc empty" });
    return el(
      "aside",
      { class: "toc", "aria-label": "On this page" },
      el("p", { class: "toc-title", text: "On this page" }),
      el(
        "ul",
        {},
        ...toc.map((t) =>
          el("li", { class: `toc-l${t.level}` }, el("a", { href: `#${t.id}`, "data-target": t.id, text: t.text }))
        )
      )
    );
  }

  // Highlights the TOC entry of the section being read.
  function watchToc() {
    if (state.tocObserver) state.tocObserver.disconnect();
    const links = new Map(Array.from(document.querySelectorAll(".toc a")).map((a) => [a.dataset.target, a]));
    if (!links.size) return;
    const visible = new Set();
    state.tocObserver = new IntersectionObserver(
      (entries) => {
        for (const en of entries) {
          if (en.isIntersecting) visible.add(en.target.id);
          else visible.delete(en.target.id);
        }
        const heads = Array.from(links.keys());
        const first = heads.find((h) => visible.has(h));
        if (first) for (const [k, a] of links) a.classList.toggle("active", k === first);
      },
      { root: $("main"), rootMargin: "0px 0px -70% 0px" }
    );
    for (const id of links.keys()) {
      const h = document.getElementById(id);
      if (h) state.tocObserver.observe(h);
    }
  }

  // ---------- quiz ----------
  // The core sends questions with shuffled options and no answer key; each answer is
  // sent back and graded by the core.
  function renderQuiz(attempt) {
    state.quiz = { attempt, results: new Map() };
    const n = attempt.questions.length;
    const section = el(
      "section",
      { class: "quiz", id: "quiz", "aria-labelledby": "quiz-title" },
      el("h2", { id: "quiz-title", text: "Knowledge Check" }),
      el(
        "p",
        { class: "quiz-intro muted" },
        `${n} question${n === 1 ? "" : "s"}. Each is checked as soon as you answer. Keys: `,
        el("kbd", { text: "1" }), "–", el("kbd", { text: "9" }), " choose, ",
        el("kbd", { text: "Enter" }), " check."
      ),
      ...attempt.questions.map((q, i) => renderQuestion(q, i)),
      el("div", { class: "quiz-score", id: "quiz-score", hidden: true, tabindex: "-1" })
    );
    return section;
  }

  function renderQuestion(q, i) {
    const type = q.multiple ? "checkbox" : "radio";
    const legend = el("legend", {}, el("span", { class: "q-num", text: `${i + 1}` }));
    const prompt = el("span", { class: "q-prompt" });
    prompt.innerHTML = q.prompt_html; // sanitized by the core
    legend.append(prompt);
    const opts = el(
      "div",
      { class: "options" },
      ...q.options.map((o, k) => {
        const html = el("span", { class: "opt-html" });
        html.innerHTML = o.html; // sanitized by the core
        return el(
          "label",
          { class: "option", "data-option": o.id },
          el("input", { type, name: `q-${q.id}`, value: o.id }),
          el("span", { class: "opt-key", "aria-hidden": "true", text: String(k + 1) }),
          html,
          el("span", { class: "opt-mark", "aria-hidden": "true" })
        );
      })
    );
    const check = el("button", { type: "button", class: "button check", text: "Check answer" });
    const feedback = el("div", { class: "feedback", tabindex: "-1", hidden: true });
    const fs = el(
      "fieldset",
      { class: "question", "data-question": q.id },
      legend,
      q.multiple && !/all that apply/i.test(prompt.textContent) ? el("p", { class: "q-hint", text: "Choose all that apply." }) : null,
      opts,
      el("div", { class: "q-actions" }, check),
      feedback
    );
    check.addEventListener("click", () => submitQuestion(fs));
    return fs;
  }

  async function submitQuestion(fs) {
    if (fs.dataset.graded) return;
    const chosen = Array.from(fs.querySelectorAll("input:checked")).map((i) => i.value);
    const feedback = fs.querySelector(".feedback");
    if (!chosen.length) {
      feedback.hidden = false;
      feedback.className = "feedback notice";
      feedback.textContent = "Choose an answer first.";
      return;
    }
    let grade;
    try {
      grade = await call("grade_answer", { lesson: state.current, question: fs.dataset.question, chosen });
    } catch (e) {
      toast(e.message);
      return;
    }
    fs.dataset.graded = grade.correct ? "correct" : "wrong";
    for (const input of fs.querySelectorAll("input")) input.disabled = true;
    fs.querySelector(".check").hidden = true;
    for (const label of fs.querySelectorAll(".option")) {
      const id = label.dataset.option;
      const mark = label.querySelector(".opt-mark");
      if (grade.correct_options.includes(id)) {
        label.classList.add(chosen.includes(id) ? "is-correct" : "is-missed");
        mark.textContent = chosen.includes(id) ? "✓ correct" : grade.correct_options.length > 1 ? "✓ you missed this" : "✓ correct answer";
      } else if (grade.wrong_choices.includes(id)) {
        label.classList.add("is-wrong");
        mark.textContent = "✗ your answer";
      }
    }
    feedback.replaceChildren(
      el("p", { class: "verdict", text: grade.correct ? "Correct." : q_wrongText(grade) })
    );
    if (grade.explanation_html) {
      const ex = el("div", { class: "explanation" });
      ex.innerHTML = grade.explanation_html; // sanitized by the core
      feedback.append(ex);
    }
    if (!grade.correct && grade.review) {
      feedback.append(
        el(
          "p",
          { class: "review-link" },
          "Review: ",
          el("a", { href: `#${grade.review.id}`, text: grade.review.text })
        )
      );
    }
    feedback.className = `feedback ${grade.correct ? "good" : "bad"}`;
    feedback.hidden = false;
    feedback.setAttribute("role", "status");
    feedback.focus();
    state.quiz.results.set(fs.dataset.question, grade.correct);
    updateScore();
  }

  function q_wrongText(grade) {
    if (grade.missed.length && !grade.wrong_choices.length) return "Not quite: you missed an answer.";
    return "Not quite.";
  }

  function updateScore() {
    const q = state.quiz;
    const total = q.attempt.questions.length;
    if (q.results.size < total) return;
    const right = Array.from(q.results.values()).filter(Boolean).length;
    const missed = Array.from(q.results.entries()).filter(([, ok]) => !ok).map(([id]) => id);
    const box = $("quiz-score");
    box.replaceChildren(
      el("p", { class: "score-line" }, el("strong", { text: `${right} of ${total}` }), " correct", right === total ? ". Well done!" : ".")
    );
    if (missed.length) {
      const btn = el("button", {
        type: "button",
        class: "button primary retry",
        text: `Retry the ${missed.length === 1 ? "one" : missed.length} I missed`,
      });
      btn.addEventListener("click", () => retryMissed(missed));
      box.append(btn);
    }
    box.hidden = false;
  }

  async function retryMissed(ids) {
    let attempt;
    try {
      attempt = await call("retry_quiz", { lesson: state.current, questions: ids });
    } catch (e) {
      toast(e.message);
      return;
    }
    const fresh = renderQuiz(attempt);
    $("quiz").replaceWith(fresh);
    const first = fresh.querySelector("input");
    fresh.scrollIntoView({ block: "start" });
    if (first) first.focus();
  }

  // 1–9 choose an option of the question that has focus, Enter checks it.
  function onQuizKey(e) {
    const fs = document.activeElement && document.activeElement.closest && document.activeElement.closest("fieldset.question");
    if (!fs) return false;
    if (/^[1-9]$/.test(e.key)) {
      const inputs = fs.querySelectorAll("input");
      const input = inputs[Number(e.key) - 1];
      if (input && !input.disabled) {
        if (input.type === "checkbox") input.checked = !input.checked;
        else input.checked = true;
        input.focus();
      }
      return true;
    }
    if (e.key === "Enter") {
      if (fs.dataset.graded) {
        const next = fs.nextElementSibling && fs.nextElementSibling.matches("fieldset.question") ? fs.nextElementSibling.querySelector("input") : null;
        if (next) next.focus();
        else if (!$("quiz-score").hidden) $("quiz-score").focus();
      } else submitQuestion(fs);
      return true;
    }
    return false;
  }

  function sectionTitleOf(id) {
    for (const s of state.outline.sections) if (s.lessons.some((l) => l.id === id)) return s.title;
    return "";
  }

  function navButtons(p, n) {
    return el(
      "nav",
      { class: "lesson-nav", "aria-label": "Previous and next lesson" },
      p
        ? el("a", { class: "button nav-prev", href: `#lesson/${encodeURIComponent(p.id)}`, rel: "prev" }, el("small", { text: "← Previous" }), el("span", { text: p.title }))
        : el("span"),
      n
        ? el("a", { class: "button nav-next", href: `#lesson/${encodeURIComponent(n.id)}`, rel: "next" }, el("small", { text: "Next →" }), el("span", { text: n.title }))
        : el("span")
    );
  }

  function route() {
    const h = location.hash.replace(/^#/, "");
    if (h.startsWith("lesson/")) {
      const [id, anchor] = h.slice("lesson/".length).split("/").map(decodeURIComponent);
      if (id === state.current && anchor) scrollToAnchor(anchor);
      else showLesson(id, anchor);
    } else showCourse();
  }

  // ---------- keyboard ----------
  // Re-reads the course from disk and redraws the page, keeping the reading position.
  async function reloadCourse() {
    const main = $("main");
    const scroll = main.scrollTop;
    try {
      state.outline = await call("reload_course");
    } catch (e) {
      toast(e.message);
      return;
    }
    state.order = state.outline.sections.flatMap((s) => s.lessons.map((l) => l.id));
    renderOutline();
    if (state.current && lessonById(state.current)) await showLesson(state.current);
    else showCourse();
    main.scrollTop = scroll;
    toast("Course reloaded");
  }

  // Asks the core to show the system's folder picker and open the chosen course.
  async function openFolder() {
    let outline;
    try {
      outline = await call("open_folder");
    } catch (e) {
      toast(e.message);
      return;
    }
    if (!outline) return; // cancelled
    state.outline = outline;
    state.order = outline.sections.flatMap((s) => s.lessons.map((l) => l.id));
    $("diagnostics").hidden = true;
    renderOutline();
    if (location.hash) location.hash = "";
    else showCourse();
    toast(`Opened “${outline.title}”`);
  }

  function toggleHelp() {
    const dlg = $("help");
    if (dlg.open) dlg.close();
    else dlg.showModal();
  }

  function onKey(e) {
    // F5 / Ctrl+R reload the course from disk rather than the web page, which would
    // lose the reader's place.
    if (e.key === "F5" || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "r")) {
      e.preventDefault();
      reloadCourse();
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "o") {
      e.preventDefault();
      openFolder();
      return;
    }
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    const textual = t && t.tagName === "INPUT" && !["radio", "checkbox", "button"].includes(t.type);
    const typing = t && (textual || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (typing) return;
    if (onQuizKey(e)) {
      e.preventDefault();
      return;
    }
    // Inside a question, arrows belong to the radio group.
    if (t && t.closest && t.closest("fieldset.question")) return;
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
    } else if (e.key === "?") {
      toggleHelp();
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
    $("help-button").addEventListener("click", toggleHelp);
    $("open-folder").addEventListener("click", openFolder);
    $("help-close").addEventListener("click", () => $("help").close());
    $("diag-badge").addEventListener("click", () => {
      const box = $("diagnostics");
      box.hidden = !box.hidden;
      $("diag-badge").setAttribute("aria-expanded", String(!box.hidden));
      if (!box.hidden) box.scrollIntoView({ block: "start" });
    });
    document.addEventListener("keydown", onKey);
    window.addEventListener("hashchange", route);
    $("view").addEventListener("click", onBodyClick);
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
