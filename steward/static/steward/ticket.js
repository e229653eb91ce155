// The ticket page: composer tabs, canned replies, dropped attachments, and shortcuts.
// Everything works through delegated listeners, so fragments htmx swaps in need no re-binding.
(function () {
  "use strict";

  const page = document.querySelector("[data-ticket]");
  if (!page) return;
  const queueUrl = page.dataset.queueUrl || "/";

  function typing(event) {
    const el = event.target;
    return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
  }

  function composerForm() { return document.querySelector("#composer form"); }
  function composerBody() { return document.getElementById("composer_body"); }

  // --- Composer: reply or internal note ---------------------------------------------------
  function syncKind() {
    const form = composerForm();
    if (!form) return;
    const checked = form.querySelector('input[name="kind"]:checked');
    const note = checked && checked.value === "note";
    form.classList.toggle("is-note", note);
    const submit = form.querySelector("[data-submit-label]");
    if (submit) submit.textContent = note ? "Add note" : "Send reply";
  }

  function chooseKind(kind) {
    const radio = document.querySelector('#composer input[name="kind"][value="' + kind + '"]');
    if (radio) radio.checked = true;
    syncKind();
    const body = composerBody();
    if (body) body.focus();
  }

  // --- Canned replies: filled on the server, inserted as plain text -------------------------
  async function insertCanned(select) {
    const url = select.value;
    if (!url) return;
    select.disabled = true;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const data = await response.json();
      const body = composerBody();
      const start = body.selectionStart ?? body.value.length;
      const end = body.selectionEnd ?? start;
      body.setRangeText(data.text, start, end, "end");
      body.focus();
    } catch (error) {
      showFileMessage("Could not load that canned reply (" + error.message + "); try again.");
    } finally {
      select.disabled = false;
      select.value = "";
    }
  }

  // --- Attachments: file input plus drag and drop, checked against the size limit -----------
  function fileInput() { const form = composerForm(); return form && form.querySelector('input[type="file"]'); }

  function showFileMessage(text) {
    const list = document.querySelector("#composer [data-file-list]");
    if (!list) return;
    const item = document.createElement("li");
    item.className = "error";
    item.textContent = text;
    list.appendChild(item);
  }

  function setFiles(files) {
    const input = fileInput();
    const form = composerForm();
    if (!input || !form) return;
    const max = Number(form.dataset.maxBytes || 0);
    const keep = new DataTransfer();
    const refused = [];
    for (const file of files) {
      if (file.size === 0) refused.push("“" + file.name + "” is empty.");
      else if (max && file.size > max) refused.push("“" + file.name + "” is too large; attachments may be at most " + form.dataset.maxLabel + ".");
      else keep.items.add(file);
    }
    input.files = keep.files;
    listFiles();
    refused.forEach(showFileMessage);
  }

  function listFiles() {
    const input = fileInput();
    const list = document.querySelector("#composer [data-file-list]");
    if (!input || !list) return;
    list.replaceChildren();
    Array.from(input.files).forEach(function (file, index) {
      const item = document.createElement("li");
      item.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB) ";
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.dataset.removeFile = String(index);
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + file.name);
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  document.addEventListener("dragover", function (event) {
    const zone = event.target.closest && event.target.closest("[data-dropzone]");
    if (!zone || !event.dataTransfer || !Array.from(event.dataTransfer.types).includes("Files")) return;
    event.preventDefault();
    zone.classList.add("dragging");
  });
  document.addEventListener("dragleave", function (event) {
    const zone = event.target.closest && event.target.closest("[data-dropzone]");
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("dragging");
  });
  document.addEventListener("drop", function (event) {
    const zone = event.target.closest && event.target.closest("[data-dropzone]");
    if (!zone || !event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    const input = fileInput();
    setFiles([...(input ? Array.from(input.files) : []), ...Array.from(event.dataTransfer.files)]);
  });

  // --- Delegated events --------------------------------------------------------------------
  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.matches('#composer input[name="kind"]')) syncKind();
    else if (target.matches("[data-canned-picker]")) insertCanned(target);
    else if (target.matches('#composer input[type="file"]')) setFiles(Array.from(target.files));
  });

  document.addEventListener("click", function (event) {
    const remove = event.target.closest("[data-remove-file]");
    if (remove) {
      const input = fileInput();
      const files = Array.from(input.files);
      files.splice(Number(remove.dataset.removeFile), 1);
      setFiles(files);
    }
  });

  document.body.addEventListener("htmx:afterSettle", syncKind);

  // r reply, i internal note, Escape or g q back to the queue (e and t are data-shortcut buttons/fields).
  let awaitingGoto = false;
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    if (awaitingGoto) {
      awaitingGoto = false;
      if (event.key === "q") { event.preventDefault(); window.location.href = queueUrl; }
      return;
    }
    if (event.key === "g") { awaitingGoto = true; setTimeout(function () { awaitingGoto = false; }, 1500); return; }
    if (event.key === "r") { event.preventDefault(); chooseKind("reply"); }
    else if (event.key === "i") { event.preventDefault(); chooseKind("note"); }
    else if (event.key === "Escape") {
      const cancel = document.querySelector("[data-cancel-edit]");
      if (cancel) cancel.click(); else window.location.href = queueUrl;
    }
  });

  syncKind();

})();
