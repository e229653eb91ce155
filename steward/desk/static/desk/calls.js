// "Log a call": keyboard-navigable caller matches and a call timer. Steward's own code, no framework.
(function () {
  "use strict";
  const form = document.getElementById("call-form");
  if (!form) return;
  const input = document.getElementById("id_q");
  const number = document.getElementById("id_caller_number");
  const panel = document.getElementById("caller-panel");
  const unknownPanel = panel.innerHTML;

  function list() { return document.getElementById("caller-matches"); }
  function options() { const l = list(); return l ? Array.from(l.querySelectorAll('[role="option"]')) : []; }
  function active() { return options().find((o) => o.getAttribute("aria-selected") === "true"); }

  function highlight(option) {
    options().forEach((o) => o.setAttribute("aria-selected", o === option ? "true" : "false"));
    if (option) { input.setAttribute("aria-activedescendant", option.id); option.scrollIntoView({ block: "nearest" }); }
    else input.removeAttribute("aria-activedescendant");
  }

  function pick(option, clicked) {
    if (!option) return;
    if (number && !number.value && option.dataset.number && !/\d{6}/.test(input.value.replace(/\D/g, ""))) number.value = option.dataset.number;
    if (number && !number.value && /\d{6}/.test(input.value.replace(/\D/g, ""))) number.value = input.value.trim();
    if (!clicked) htmx.trigger(option, "click");  // hx-get loads the caller's card and open tickets
    list().hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  input.addEventListener("keydown", function (event) {
    const all = options();
    if (!all.length) return;
    const index = all.indexOf(active());
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(all[Math.min(index + 1, all.length - 1)]); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(all[Math.max(index - 1, 0)]); }
    else if (event.key === "Enter") { event.preventDefault(); pick(active() || all[0]); }
    else if (event.key === "Escape") { list().hidden = true; input.setAttribute("aria-expanded", "false"); }
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "caller-matches" || event.target.id === "caller-matches") {
      const l = list();
      input.setAttribute("aria-expanded", l && !l.hidden && options().length ? "true" : "false");
      if (options().length) highlight(options()[0]);
    }
    if (event.detail.target === panel) {
      const card = document.getElementById("caller-card");
      const first = panel.querySelector('input[name="target"]');
      (first || card).focus();
    }
  });

  document.addEventListener("click", function (event) {
    const option = event.target.closest('#caller-matches [role="option"]');
    if (option && event.isTrusted) { pick(option, true); }
    if (event.target.closest("[data-clear-caller]")) {
      panel.innerHTML = unknownPanel;
      htmx.process(panel);
      input.focus();
      input.select();
    }
  });

  // The timer runs from the moment the form opens, so the duration is right without anyone typing it.
  const duration = form.querySelector("[data-call-timer]");
  const toggle = form.querySelector("[data-timer-toggle]");
  let started = Date.now(), running = !duration.value, edited = !!duration.value, timer = null;
  function show() {
    const seconds = Math.round((Date.now() - started) / 1000);
    duration.value = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }
  function stop() { running = false; clearInterval(timer); toggle.textContent = "Start timer"; toggle.setAttribute("aria-pressed", "false"); }
  function start() {
    started = Date.now() - (parseClock(duration.value) || 0) * 1000;
    running = true; edited = false; toggle.textContent = "Stop timer"; toggle.setAttribute("aria-pressed", "true");
    timer = setInterval(show, 1000);
  }
  function parseClock(text) { const m = /^(\d+):(\d{2})$/.exec(text || ""); return m ? Number(m[1]) * 60 + Number(m[2]) : 0; }
  duration.addEventListener("input", function () { edited = true; if (running) stop(); });
  toggle.addEventListener("click", function () { running ? stop() : start(); });
  if (running) { timer = setInterval(show, 1000); } else { stop(); }
  form.addEventListener("submit", function () { if (running && !edited) show(); });
})();
