// Keyboard shortcuts of the checklist page (500 organizations x 50 items): move between
// items, tick present/absent (saved at once by checklists.js through the change event),
// jump to the note and back, save a checklist, step to the next organization.
// The list of keys is on the page («Горячие клавиши»).
(function () {
  "use strict";
  var STORE = "nok:checklist-item";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-kbd-item]"));
  if (!rows.length) { return; }
  var current = -1;

  function box(row) { return row.querySelector("input[type=checkbox][name$='__present']"); }
  function note(row) { return row.querySelector("input[type=text], textarea"); }

  function select(index, focus) {
    if (index < 0 || index >= rows.length) { return; }
    if (current >= 0) { rows[current].classList.remove("kbd-current"); }
    current = index;
    var row = rows[current];
    row.classList.add("kbd-current");
    if (focus !== false) {
      box(row).focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function mark(present) {
    if (current < 0) { select(0); }
    var input = box(rows[current]);
    if (input.checked !== present) {
      input.checked = present;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    select(current + 1);
  }

  function save() {
    var row = rows[current >= 0 ? current : 0];
    var form = row.closest("form");
    if (!form) { return; }
    try { sessionStorage.setItem(STORE, String(rows.indexOf(row))); } catch (e) { /* private mode */ }
    // A tick's live save still on its way would land after this one and undo the note.
    (function submit() {
      if (form.dataset.pending && form.dataset.pending !== "0") { setTimeout(submit, 50); return; }
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    })();
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link) { window.location.assign(link.href); }
  }

  // Clicking or tabbing into an item makes it the current one.
  rows.forEach(function (row, index) {
    row.addEventListener("focusin", function () { select(index, false); });
  });

  var PRESENT = { "1": true, "y": true, "д": true };
  var ABSENT = { "0": true, "n": true, "н": true };

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target.matches && target.matches("input[type=text], input[type=search], textarea, select");
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      save();
      return;
    }
    if (typing) {
      if (event.key === "Escape") {
        var row = target.closest("tr[data-kbd-item]");
        if (row) { event.preventDefault(); select(rows.indexOf(row)); }
      }
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "j" || key === "о" || key === "ArrowDown") {
      event.preventDefault(); select(current + 1);
    } else if (key === "k" || key === "л" || key === "ArrowUp") {
      event.preventDefault(); select(current < 0 ? 0 : current - 1);
    } else if (PRESENT[key]) {
      event.preventDefault(); mark(true);
    } else if (ABSENT[key]) {
      event.preventDefault(); mark(false);
    } else if (key === "Enter" && current >= 0 && target === box(rows[current])) {
      var field = note(rows[current]);
      if (field) { event.preventDefault(); field.focus(); }
    } else if (key === "]" || key === "ъ") {
      event.preventDefault(); follow("[data-kbd-next]");
    } else if (key === "[" || key === "х") {
      event.preventDefault(); follow("[data-kbd-prev]");
    } else if (key === "?") {
      var help = document.getElementById("kbd-help");
      if (help) { event.preventDefault(); help.open = !help.open; }
    }
  });

  // After a save (the page reloads) the cursor comes back to the item it was on.
  var stored = null;
  try { stored = sessionStorage.getItem(STORE); sessionStorage.removeItem(STORE); } catch (e) { /* private mode */ }
  if (stored !== null && rows[Number(stored)]) {
    // After the load: the browser's own move to the #checklist anchor comes first.
    var restore = function () { select(Number(stored)); };
    if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  }
})();
