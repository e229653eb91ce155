// The technician's queue: j/k row cursor, x to select, o/Enter to open, a to take, ? for help,
// bulk selection that survives list refreshes, and tidy filter URLs. Plain JS on top of htmx.
(function () {
  "use strict";

  let current = null; // number of the ticket under the cursor
  const selected = new Set(); // numbers of the checked tickets, kept across list swaps

  function typing(event) {
    const el = event.target;
    return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
  }
  function rows() { return Array.from(document.querySelectorAll("#queue-list tbody tr[data-number]")); }
  function rowFor(number) { return number && document.getElementById("ticket-" + number); }
  function checkbox(row) { return row.querySelector('input[name="tickets"]'); }

  function notice(text, error) {
    const el = document.getElementById("queue-notice");
    if (!el) return;
    el.textContent = text;
    el.classList.toggle("error", Boolean(error));
    clearTimeout(notice.timer);
    notice.timer = setTimeout(function () { el.textContent = ""; }, 6000);
  }

  function moveTo(row) {
    if (!row) return;
    rows().forEach(function (r) { r.classList.remove("is-current"); });
    row.classList.add("is-current");
    current = row.dataset.number;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    const row = rowFor(current);
    if (row) return row;
    // Focus inside a row (a checkbox, the subject link) makes that row the current one.
    return document.activeElement && document.activeElement.closest && document.activeElement.closest("#queue-list tbody tr");
  }

  function syncSelection() {
    rows().forEach(function (row) {
      const box = checkbox(row);
      if (box && box.checked) selected.add(row.dataset.number);
      row.classList.toggle("selected", Boolean(box && box.checked));
    });
    const count = document.querySelector("[data-selected-count]");
    const checked = rows().filter(function (row) { const box = checkbox(row); return box && box.checked; }).length;
    if (count) count.textContent = checked + " selected";
    const all = document.querySelector("[data-select-all]");
    if (all) all.checked = checked > 0 && checked === rows().length;
  }

  function toggle(row) {
    const box = checkbox(row);
    if (!box) return;
    box.checked = !box.checked;
    if (!box.checked) selected.delete(row.dataset.number);
    syncSelection();
  }

  // Re-apply the user's selection and cursor after htmx replaced the rows (new tickets, filters, paging).
  function restore() {
    rows().forEach(function (row) {
      const box = checkbox(row);
      if (box && selected.has(row.dataset.number)) box.checked = true;
    });
    const row = rowFor(current);
    if (row) {
      row.classList.add("is-current");
      if (!document.activeElement || document.activeElement === document.body) row.focus({ preventScroll: true });
    }
    syncSelection();
  }

  document.addEventListener("change", function (event) {
    const el = event.target;
    if (el.matches && el.matches('#queue-list input[name="tickets"]')) {
      if (!el.checked) selected.delete(el.value);
      syncSelection();
    } else if (el.matches && el.matches("[data-select-all]")) {
      rows().forEach(function (row) {
        const box = checkbox(row);
        if (!box) return;
        box.checked = el.checked;
        if (!el.checked) selected.delete(row.dataset.number);
      });
      syncSelection();
    }
  });

  document.addEventListener("click", function (event) {
    const row = event.target.closest && event.target.closest("#queue-list tbody tr[data-number]");
    if (row) { rows().forEach(function (r) { r.classList.remove("is-current"); }); row.classList.add("is-current"); current = row.dataset.number; }
    if (event.target.closest && event.target.closest("[data-queue-help]")) openHelp();
  });

  document.addEventListener("submit", function (event) {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  function openHelp() {
    const dialog = document.getElementById("queue-help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    if (document.querySelector("dialog[open]")) return;
    const list = rows();
    const row = currentRow();
    const index = row ? list.indexOf(row) : -1;
    switch (event.key) {
      case "j":
        moveTo(list[Math.min(index + 1, list.length - 1)]);
        break;
      case "k":
        moveTo(list[Math.max(index - 1, 0)]);
        break;
      case "o":
      case "Enter":
        // Enter on a link or button keeps its own meaning; on the row itself it opens the ticket.
        if (event.key === "Enter" && event.target.closest("a, button")) return;
        if (!row) return;
        window.location.href = row.querySelector("[data-open]").href;
        break;
      case "x":
        if (!row) return;
        toggle(row);
        break;
      case "a": {
        if (!row) return;
        const take = row.querySelector("[data-assign-me]");
        if (take) take.click(); else notice("#" + row.dataset.number + " is already yours.");
        break;
      }
      case "?":
        openHelp();
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  // Filter URLs stay short: no empty fields, and no status list when it is the default (open) one.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    const form = document.getElementById("queue-filters");
    if (!form) return;
    const data = event.detail.formData; // the FormData behind event.detail.parameters
    for (const name of Array.from(new Set(data.keys()))) {
      if (data.getAll(name).every(function (v) { return v === ""; })) data.delete(name);
    }
    const fieldset = form.querySelector("[data-default-status]");
    if (fieldset && data.has("status")) {
      const chosen = data.getAll("status").sort().join(",");
      const defaults = fieldset.dataset.defaultStatus.split(",").sort().join(",");
      if (chosen === defaults) data.delete("status");
    }
    if (data.get("sort") === form.dataset.defaultSort) data.delete("sort");
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    // A bulk action starts from what is checked now; afterwards only what the server keeps stays checked.
    if (event.detail.requestConfig && event.detail.requestConfig.verb === "post" && event.detail.elt.id === "queue-bulk") selected.clear();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    if (target && (target.id === "queue-list" || target.matches("tr[data-number]") || target.closest("#queue-list"))) restore();
  });
  document.addEventListener("htmx:afterSettle", restore);

  document.body.addEventListener("queue-notice", function (event) {
    notice(event.detail.text, event.detail.error);
  });
  document.addEventListener("htmx:responseError", function (event) {
    notice("That did not work (" + event.detail.xhr.status + "). Reload the page and try again.", true);
  });

  document.addEventListener("DOMContentLoaded", syncSelection);
  if (document.readyState !== "loading") syncSelection();
})();
