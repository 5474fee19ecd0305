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
  // Returns whether the device holds them (false: storage off or full, memory only).
  function keep(code, client, answers) {
    try {
      if (Object.keys(answers).length) {
        window.localStorage.setItem(storeKey(code), JSON.stringify({ client: client, answers: answers }));
      } else {
        window.localStorage.removeItem(storeKey(code));
      }
      return true;
    } catch (e) { return false; }
  }
  function forget(code) {
    try { window.localStorage.removeItem(storeKey(code)); } catch (e) { /* nothing kept */ }
  }
  // The button that sent a form: event.submitter, or the last one clicked in it where the
  // browser does not give it (Safari before 15.4); null for Enter in a field.
  function pressed(formEl, event) {
    var button = event.submitter || formEl.nokClicked || null;
    formEl.nokClicked = null;
    return button;
  }
  function watchClicks(formEl) {
    formEl.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button");
      if (button) { formEl.nokClicked = button; }
    }, true);
  }
  // Sends a form as that button would (requestSubmit is missing before Safari 16).
  function resend(formEl, button) {
    if (formEl.requestSubmit) { formEl.requestSubmit(button); return; }
    if (button && button.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = button.name;
      carried.value = button.value;
      formEl.appendChild(carried);
    }
    formEl.submit();
  }
  function tokenIn(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function body(token, client, answers) {
    var data = new FormData();
    data.set("csrfmiddlewaretoken", token);
    data.set("client_id", client);  // answers of another questionnaire are refused (409)
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
    return fetch(save, { method: "POST", body: body(token, client, sent), credentials: "same-origin" })
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
        return "busy";
      })
      .catch(function () { return false; });
  }
  // Why the answers did not go, and whether this device still holds them.
  function notSent(done, kept) {
    return (done === "busy" ? "Сервер сейчас не отвечает. " : "Нет связи с сервером. ") +
      (kept ? "Ответы сохранены на этом устройстве — нажмите кнопку ещё раз через минуту."
        : "Не закрывайте страницу и нажмите кнопку ещё раз через минуту: ответы пока только на ней.");
  }

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
        // Not sent before the kept answers are in the draft (and on the page).
        var sendButton = document.querySelector("form[action$='/submit/'] button");
        if (sendButton) { sendButton.disabled = true; }
        var once = "nok-survey-fresh:" + el.dataset.code;  // one reload for a stale page, not a loop
        var reloaded = false;
        try { reloaded = window.sessionStorage.getItem(once) === "1"; } catch (e) { reloaded = true; }
        sendKept().then(function (done) {
          try { window.sessionStorage.removeItem(once); } catch (e) { /* nothing kept */ }
          if (done === true) { window.location.reload(); return; }
          if (done === "stale" && !reloaded) {
            try { window.sessionStorage.setItem(once, "1"); } catch (e) { /* no second try */ }
            window.location.reload();
            return;
          }
          if (sendButton) { sendButton.disabled = false; }
        });
      }
      return;
    }
    watchClicks(el);
    el.addEventListener("submit", function (event) {
      var button = pressed(el, event);
      if (button && button.value === "restart") { forget(el.dataset.code); return; }
      if (!Object.keys(pending).length || el.dataset.kept) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      sendKept().then(function () { el.dataset.kept = "1"; resend(el, button); });
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
  // A question's address: on the way back to the review or not, with ``extra`` parameters.
  function stepUrl(key, review, extra) {
    var query = new URLSearchParams(review ? { "return": "review" } : {});
    Object.keys(extra || {}).forEach(function (name) { query.set(name, extra[name]); });
    var text = query.toString();
    return cfg.step.replace("/KEY/", "/" + encodeURIComponent(key) + "/") + (text ? "?" + text : "");
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
    remember();
    window.scrollTo(0, 0);
    heading.focus();
  }

  function value() {
    var chosen = form.querySelector("input[name=answer]:checked, textarea[name=answer]");
    return chosen ? chosen.value.trim() : "";
  }
  var stored = true;  // whether this device holds the kept answers
  function record(key, answer) {
    if (answer) { answers[key] = answer; } else { delete answers[key]; }
    pending[key] = answer;
    stored = keep(cfg.code, cfg.client, pending);
  }
  var leaving = false;
  function leave(url) {
    if (leaving) { return; }
    leaving = true;
    send(cfg.save, token, cfg.code, cfg.client, pending).then(function (done) {
      if (done === true) { window.location.assign(url); return; }
      if (done === "refused" || done === "stale") {  // the server's page says why
        window.location.assign(stepUrl(current, toReview, done === "stale" ? {} : { refused: "1" }));
        return;
      }
      leaving = false;
      if (status) { status.textContent = notSent(done, stored); }
    });
  }

  // A double click on «Далее» goes one screen on, not two: its second click is dropped.
  form.addEventListener("click", function (event) {
    if (event.detail > 1 && event.target.closest("button")) { event.preventDefault(); }
  }, true);
  watchClicks(form);
  form.addEventListener("input", function () { record(current, value()); });
  form.addEventListener("change", function () { record(current, value()); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    event.stopImmediatePropagation();
    var button = pressed(form, event);
    var action = button ? button.value : "next";
    var answer = value();
    if (action === "back") {
      toReview = false;  // as the server: Back leaves the way back to the review
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
      navigator.sendBeacon(cfg.save, body(token, cfg.client, pending));
    }
  }
  window.addEventListener("pagehide", beacon);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { beacon(); }
  });
  // Shown again from the browser's page cache: the buttons work again.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { leaving = false; } });
  // Large print, contrast: the kept answers first, then the same screen with the setting.
  var toggles = document.querySelector("form.display-toggles");
  if (toggles) {
    watchClicks(toggles);
    toggles.addEventListener("submit", function (event) {
      var button = pressed(toggles, event);
      if (!button) { return; }
      event.preventDefault();
      var setting = {};
      setting[button.name] = button.value;
      leave(stepUrl(current, toReview, setting));
    });
  }
  // A reload of a screen the server's draft cannot reach yet (its filter answered only here):
  // the server answered with an earlier question; the screen the respondent was on returns.
  var place = "nok-survey-at:" + cfg.code;
  try {
    var navigation = window.performance && performance.getEntriesByType &&
      performance.getEntriesByType("navigation")[0];
    var was = JSON.parse(window.sessionStorage.getItem(place) || "null");
    if (navigation && navigation.type === "reload" && was && was.client === cfg.client &&
        was.key !== current && byKey[was.key] && isAsked(byKey[was.key])) {
      current = was.key;
      toReview = !!was.review;
      history.replaceState(null, "", stepUrl(current, toReview));
    }
  } catch (e) { /* no session storage: the server's screen stays */ }
  function remember() {
    try {
      window.sessionStorage.setItem(place, JSON.stringify({ client: cfg.client, key: current, review: toReview }));
    } catch (e) { /* nothing to restore after a reload */ }
  }
  history.replaceState({ key: current, review: toReview }, "", window.location.href);
  var shownError = form.querySelector("#answer-error");
  show(current, { error: shownError ? shownError.textContent : "" });
})();
