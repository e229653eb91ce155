// The top bar's running timer: counts up from the server's start time (h:mm:ss).
(function () {
  "use strict";
  function tick() {
    document.querySelectorAll("[data-running-since]").forEach(function (el) {
      const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(el.dataset.runningSince)) / 1000));
      const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
      el.textContent = h + ":" + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
    });
  }
  tick();
  setInterval(tick, 1000);
})();
