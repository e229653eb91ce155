// Steward's own behaviour: keyboard shortcuts shared by every page.
// Pages opt in with data attributes; nothing here depends on a framework.
(function () {
  "use strict";

  function typing(event) {
    const el = event.target;
    return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
  }

  // "/" focuses the search box, "g" then a key jumps to a page listed in data-goto on <body> links.
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && typing(event)) { event.target.blur(); return; }
    if (typing(event)) return;
    const search = document.getElementById("global-search");
    if (event.key === "/" && search) { event.preventDefault(); search.focus(); search.select(); return; }
    const shortcut = document.querySelector('[data-shortcut="' + CSS.escape(event.key) + '"]');
    if (shortcut) {
      event.preventDefault();
      if (shortcut.tagName === "A" || shortcut.tagName === "BUTTON") shortcut.click(); else shortcut.focus();
    }
  });
})();
