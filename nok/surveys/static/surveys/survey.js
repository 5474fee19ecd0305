// Progressive enhancement of the public questionnaire: everything works without this file.
(function () {
  "use strict";
  // Focus the question (or page title) so screen readers read it first.
  var title = document.getElementById("page-title");
  if (title) { title.focus(); }

  // A client-generated id on the start page when the server's is missing.
  document.querySelectorAll("input[data-client-id]").forEach(function (input) {
    if (!input.value && window.crypto && crypto.randomUUID) { input.value = crypto.randomUUID(); }
  });

  // A double click sends a form once (the server would store it once anyway, but the
  // respondent should see «Спасибо», not «уже получена»). Reset when the page is shown again.
  var posts = document.querySelectorAll("form[method=post]");
  posts.forEach(function (f) {
    f.addEventListener("submit", function (event) {
      if (f.dataset.sent) { event.preventDefault(); return; }
      f.dataset.sent = "1";
    });
  });
  window.addEventListener("pageshow", function () {
    posts.forEach(function (f) { delete f.dataset.sent; });
  });

  // Autosave every change to the server-side draft.
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) { return; }
  var status = form.querySelector("[data-autosave-status]");
  var timer = null;
  var pending = null;  // the autosave on its way, if any
  function payload() {
    var data = new FormData(form);
    data.delete("action");
    var answer = form.querySelector("input[name=answer]:checked, textarea[name=answer]");
    data.set("answer", answer ? answer.value : "");
    return data;
  }
  function save() {
    timer = null;
    var request = fetch(form.dataset.autosave, { method: "POST", body: payload(), credentials: "same-origin" })
      .then(function (r) { if (status) { status.textContent = r.ok ? "Ответ сохранён" : ""; } })
      .catch(function () { if (status) { status.textContent = ""; } })
      .then(function () { if (pending === request) { pending = null; } });
    pending = request;
  }
  form.addEventListener("change", save);
  // The tab closed within a moment of typing: the last words still reach the draft.
  window.addEventListener("pagehide", function () {
    if (timer && navigator.sendBeacon) {
      clearTimeout(timer);
      timer = null;
      navigator.sendBeacon(form.dataset.autosave, payload());
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") { clearTimeout(timer); timer = setTimeout(save, 600); }
  });
  // «Далее» pressed while an autosave is still on its way: send the screen after it, so the
  // two writes of the same answer never meet on the server.
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    timer = null;
    if (!pending) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter;
    pending.then(function () { pending = null; form.requestSubmit(submitter); });
  }, true);
})();
