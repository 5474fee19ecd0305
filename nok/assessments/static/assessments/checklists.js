// Live checklist: ticking a box saves that checklist at once; the score summary then reloads.
// Without JavaScript the "Сохранить" button does the same with a page reload.
// Saves of one checklist are sent one after another, each with the boxes as they were when
// ticked, so a quick series of ticks (the keyboard shortcuts) ends with the last state saved;
// ``data-pending`` counts the saves not yet answered (checklist_keys.js waits for none).
(function () {
  "use strict";
  function refresh(html, sectionId) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    [".messages", "#" + sectionId + " h2"].forEach(function (selector) {
      var fresh = doc.querySelector(selector), current = document.querySelector(selector);
      if (fresh && current) { current.replaceWith(fresh); }
      else if (fresh && selector === ".messages") { document.querySelector("main").prepend(fresh); }
    });
  }
  document.querySelectorAll("form.checklist-form").forEach(function (form) {
    var queue = Promise.resolve();
    form.dataset.pending = "0";
    form.addEventListener("change", function (event) {
      if (!event.target.matches("input[type=checkbox][name$='__present']")) { return; }
      var body = new FormData(form);
      form.dataset.pending = String(Number(form.dataset.pending) + 1);
      form.classList.add("saving");
      queue = queue.then(function () {
        return fetch(form.action || window.location.href, {
          method: "POST", body: body, credentials: "same-origin",
        }).then(function (response) { return response.text(); })
          .then(function (html) {
            refresh(html, form.closest("section").id);
            document.dispatchEvent(new CustomEvent("nok:saved"));
          })
          .catch(function () { /* the button still saves */ })
          .finally(function () {
            form.dataset.pending = String(Number(form.dataset.pending) - 1);
            if (form.dataset.pending === "0") { form.classList.remove("saving"); }
          });
      });
    });
  });
})();
