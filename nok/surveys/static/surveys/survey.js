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

  // Answers the browser keeps until the server has them: in memory and in localStorage (a
  // reload, a closed tab or a lost connection loses nothing), per survey and questionnaire.
  function storeKey(code) { return "nok-survey:" + code; }
  function pendingOf(code, client) {
    try {
      var kept = JSON.parse(window.localStorage.getItem(storeKey(code)) || "null");
      return kept && kept.client === client && kept.answers ? kept.answers : {};
    } catch (e) { return {}; }
  }
  function keep(code, client, answers) {
    try {
      if (Object.keys(answers).length) {
        window.localStorage.setItem(storeKey(code), JSON.stringify({ client: client, answers: answers }));
      } else {
        window.localStorage.removeItem(storeKey(code));
      }
    } catch (e) { /* storage off (private mode): the answers stay in memory only */ }
  }
  function forget(code) {
    try { window.localStorage.removeItem(storeKey(code)); } catch (e) { /* nothing kept */ }
  }
  function tokenIn(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function body(token, answers) {
    var data = new FormData();
    data.set("csrfmiddlewaretoken", token);
    data.set("answers", JSON.stringify(answers));
    return data;
  }
  // Sends the kept answers in one request: true when stored (and no longer kept), "refused"
  // when the server will not take them (sent already, survey closed), "stale" when the page
  // is too old to send them (its form token expired: they stay kept, a fresh page sends
  // them), false when unreachable.
  function send(save, token, code, client, pending) {
    var sent = {};
    Object.keys(pending).forEach(function (key) { sent[key] = pending[key]; });
    if (!Object.keys(sent).length) { return Promise.resolve(true); }
    return fetch(save, { method: "POST", body: body(token, sent), credentials: "same-origin" })
      .then(function (r) {
        if (r.ok) {
          Object.keys(sent).forEach(function (key) {
            if (pending[key] === sent[key]) { delete pending[key]; }
          });
          keep(code, client, pending);
          return true;
        }
        if (r.status === 409 || r.status === 400) { forget(code); return "refused"; }
        if (r.status === 403) { return "stale"; }
        return false;
      })
      .catch(function () { return false; });
  }
  var offline = "Нет связи с сервером. Ответы сохранены на этом устройстве — нажмите кнопку ещё раз, когда связь появится.";

  // The thanks page: the questionnaire is sent, nothing is kept for it any more.
  document.querySelectorAll("[data-survey-sent]").forEach(function (el) { forget(el.dataset.code); });

  // Start page: a new questionnaire forgets what an earlier one kept; «Продолжить» first
  // sends the answers this device kept (a tab closed before they reached the server).
  document.querySelectorAll("form[data-survey-new]").forEach(function (f) {
    f.addEventListener("submit", function () { forget(f.dataset.code); });
  });
  document.querySelectorAll("[data-survey-keep]").forEach(function (el) {
    if (!window.fetch) { return; }
    var pending = pendingOf(el.dataset.code, el.dataset.client);
    function sendKept() {
      return send(el.dataset.save, tokenIn(el), el.dataset.code, el.dataset.client, pending);
    }
    if (el.hasAttribute("data-reload")) {  // review: show the answers with the kept ones
      if (Object.keys(pending).length) {
        sendKept().then(function (done) { if (done === true) { window.location.reload(); } });
      }
      return;
    }
    el.addEventListener("submit", function (event) {
      var action = event.submitter ? event.submitter.value : "";
      if (action === "restart") { forget(el.dataset.code); return; }
      if (!Object.keys(pending).length || el.dataset.kept) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      var submitter = event.submitter;
      sendKept().then(function () { el.dataset.kept = "1"; el.requestSubmit(submitter); });
    }, true);
  });

  // Question screens: with this script the questions go screen to screen in the browser and
  // the answers reach the draft in one request before the review (or as the page is left);
  // without it every screen is a request of its own, as the server renders them.
  var holder = document.getElementById("survey-screens");
  var form = document.querySelector("form.survey-step");
  if (!holder || !form || !window.fetch || !window.history || !history.pushState) { return; }
  var cfg = JSON.parse(holder.textContent);
  var questions = cfg.questions;
  var byKey = {};
  questions.forEach(function (q) { byKey[q.key] = q; });
  var answers = cfg.answers;
  var pending = pendingOf(cfg.code, cfg.client);
  Object.keys(pending).forEach(function (key) {
    if (pending[key]) { answers[key] = pending[key]; } else { delete answers[key]; }
  });
  var token = tokenIn(form);
  var current = cfg.current;
  var toReview = cfg.to_review;
  var titleTail = document.title.split(" · ").slice(1).join(" · ");
  var status = form.querySelector("[data-autosave-status]");
  var has = function (key) { return Object.prototype.hasOwnProperty.call(answers, key); };

  // The questionnaire's rules, as nok/surveys/questionnaire.py has them.
  function isAsked(q) {
    var when = q.when || {};
    return Object.keys(when).every(function (key) { return answers[key] === when[key]; });
  }
  function progress(key) {
    var number = 0, total = 0, given = {};
    questions.forEach(function (q) {
      if (number === 0) {
        if (isAsked(q)) { total += 1; }
        if (q.key === key) { number = total; } else { given[q.key] = true; }
        return;
      }
      var when = q.when || {};
      if (Object.keys(when).every(function (k) { return given[k] || has(k) ? answers[k] === when[k] : true; })) {
        total += 1;
      }
    });
    return [number, total];
  }
  function nextAfter(key) {
    var seen = false;
    for (var i = 0; i < questions.length; i += 1) {
      if (seen && isAsked(questions[i])) { return questions[i]; }
      if (questions[i].key === key) { seen = true; }
    }
    return null;
  }
  function previousOf(key) {
    var previous = null;
    for (var i = 0; i < questions.length; i += 1) {
      if (questions[i].key === key) { return previous; }
      if (isAsked(questions[i])) { previous = questions[i]; }
    }
    return previous;
  }
  function missing() {
    return questions.filter(function (q) { return isAsked(q) && q.required && !answers[q.key]; });
  }
  function stepUrl(key, review) {
    return cfg.step.replace("/KEY/", "/" + encodeURIComponent(key) + "/") + (review ? "?return=review" : "");
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs).forEach(function (name) { el.setAttribute(name, attrs[name]); });
    if (text) { el.textContent = text; }
    return el;
  }
  function answerArea(q) {
    var chosen = answers[q.key] || "";
    if (q.type === "text") {
      var area = element("textarea", { id: "answer-text", name: "answer", rows: "5", maxlength: "2000" });
      area.value = chosen;
      return [element("label", { "for": "answer-text", "class": "text-label" }, "Ваш ответ (необязательно)"), area];
    }
    var list = element("div", { "class": "options" });
    q.options.forEach(function (option) {
      var row = element("div", { "class": "option" });
      var input = element("input", { type: "radio", name: "answer", id: "answer-" + option[0], value: option[0] });
      input.checked = option[0] === chosen;
      row.appendChild(input);
      row.appendChild(element("label", { "for": "answer-" + option[0] }, option[1]));
      list.appendChild(row);
    });
    return [list];
  }
  function show(key, how) {
    var q = byKey[key];
    current = key;
    var place = progress(key), number = place[0], total = place[1];
    var where = "Вопрос " + number + " из " + total;
    var fieldset = form.querySelector("fieldset");
    var heading = document.getElementById("page-title");
    heading.textContent = "";
    heading.appendChild(element("span", { "class": "visually-hidden" }, where + ". "));
    heading.appendChild(document.createTextNode(q.text));
    var old = fieldset.querySelector("#answer-error");
    if (old) { old.remove(); }
    fieldset.querySelectorAll(".options, textarea, .text-label").forEach(function (el) { el.remove(); });
    if (how.error) {
      fieldset.setAttribute("aria-describedby", "answer-error");
      fieldset.appendChild(element("p", { id: "answer-error", "class": "survey-error", role: "alert" }, how.error));
    } else {
      fieldset.removeAttribute("aria-describedby");
    }
    answerArea(q).forEach(function (el) { fieldset.appendChild(el); });
    form.querySelector("input[name=question]").value = key;
    document.getElementById("progress").textContent = where;
    var bar = document.querySelector(".progress-bar span");
    if (bar) { bar.className = "w-pct-" + Math.round(number * 100 / Math.max(total, 1)); }
    var next = form.querySelector("button[value=next]");
    next.textContent = toReview ? "Сохранить и вернуться к проверке" : number === total ? "К проверке ответов" : "Далее";
    var back = form.querySelector("button[value=back]");
    if (previousOf(key)) {
      if (!back) {
        back = element("button", { type: "submit", name: "action", value: "back", "class": "big secondary" }, "Назад");
        next.parentNode.appendChild(back);
      }
    } else if (back) {
      back.remove();
    }
    if (status) { status.textContent = ""; }
    document.title = (how.error ? "Ошибка: " : "") + where + (titleTail ? " · " + titleTail : "");
    if (how.push) { history.pushState({ key: key, review: toReview }, "", stepUrl(key, toReview)); }
    window.scrollTo(0, 0);
    heading.focus();
  }

  function value() {
    var chosen = form.querySelector("input[name=answer]:checked, textarea[name=answer]");
    return chosen ? chosen.value.trim() : "";
  }
  function record(key, answer) {
    if (answer) { answers[key] = answer; } else { delete answers[key]; }
    pending[key] = answer;
    keep(cfg.code, cfg.client, pending);
  }
  var leaving = false;
  function leave(url) {
    if (leaving) { return; }
    leaving = true;
    send(cfg.save, token, cfg.code, cfg.client, pending).then(function (done) {
      if (done) {  // stored; or refused, or the page too old: the server's page follows
        window.location.assign(done === true ? url : stepUrl(current, toReview));
        return;
      }
      leaving = false;
      if (status) { status.textContent = offline; }
    });
  }

  // A double click on «Далее» goes one screen on, not two: its second click is dropped.
  form.addEventListener("click", function (event) {
    if (event.detail > 1 && event.target.closest("button")) { event.preventDefault(); }
  }, true);
  form.addEventListener("input", function () { record(current, value()); });
  form.addEventListener("change", function () { record(current, value()); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    event.stopImmediatePropagation();
    var action = event.submitter ? event.submitter.value : "next";
    var answer = value();
    if (action === "back") {
      if (answer) { record(current, answer); }
      var previous = previousOf(current);
      if (previous) { show(previous.key, { push: true }); } else { leave(cfg.start); }
      return;
    }
    record(current, answer);
    if (byKey[current].required && !answers[current]) {
      show(current, { error: "Пожалуйста, выберите один из вариантов ответа, чтобы перейти дальше." });
      return;
    }
    if (toReview) {
      var left = missing();
      if (left.length) { show(left[0].key, { push: true }); } else { leave(cfg.review); }
      return;
    }
    var following = nextAfter(current);
    if (following) { show(following.key, { push: true }); } else { leave(cfg.review); }
  }, true);
  window.addEventListener("popstate", function (event) {
    if (!event.state || !byKey[event.state.key]) { return; }
    toReview = !!event.state.review;
    var q = byKey[event.state.key];
    if (!isAsked(q)) {  // Forward to a question a changed answer has since ruled out
      q = nextAfter(q.key);
      if (!q) { leave(cfg.review); return; }
      history.replaceState({ key: q.key, review: toReview }, "", stepUrl(q.key, toReview));
    }
    show(q.key, {});
  });
  // The page left (tab closed, another app, a reload): the kept answers go to the draft.
  function beacon() {
    if (Object.keys(pending).length && navigator.sendBeacon) {
      navigator.sendBeacon(cfg.save, body(token, pending));
    }
  }
  window.addEventListener("pagehide", beacon);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { beacon(); }
  });
  history.replaceState({ key: current, review: toReview }, "", window.location.href);
  var shownError = form.querySelector("#answer-error");
  show(current, { error: shownError ? shownError.textContent : "" });
})();
