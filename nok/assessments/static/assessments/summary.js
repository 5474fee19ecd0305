// The live score summary of the fieldwork pages: fetched from the results pages on load and
// after a checklist is saved (checklists.js dispatches "nok:saved").
(function () {
  "use strict";
  var box = document.getElementById("score-summary");
  if (!box || !box.dataset.src) { return; }
  function load() {
    fetch(box.dataset.src, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("#score-summary");
        if (fresh) { box.innerHTML = fresh.innerHTML; box.hidden = false; }
      });
  }
  document.addEventListener("nok:saved", load);
  load();
})();
