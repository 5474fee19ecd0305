// Live checklist: ticking a box saves that checklist at once; the score summary then reloads.
// Without JavaScript the "Сохранить" button does the same with a page reload.
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
    form.addEventListener("change", function (event) {
      if (!event.target.matches("input[type=checkbox][name$='__present']")) { return; }
      form.classList.add("saving");
      fetch(form.action || window.location.href, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
      }).then(function (response) { return response.text(); })
        .then(function (html) {
          refresh(html, form.closest("section").id);
          document.dispatchEvent(new CustomEvent("nok:saved"));
        })
        .finally(function () { form.classList.remove("saving"); });
    });
  });
})();
