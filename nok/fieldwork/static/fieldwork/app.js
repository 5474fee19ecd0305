// The offline interview app. Everything the interviewer does is written to IndexedDB at once
// (each answer as it is given), so closing the tab loses nothing; interviews are sent when the
// network is there, each with its client id, so the server stores every interview once.
(function () {
  "use strict";

  var body = document.body;
  var URLS = { bundle: body.dataset.bundle, sync: body.dataset.sync, sw: body.dataset.sw,
               scope: body.dataset.scope, login: body.dataset.login };
  var MODES = { interview: "интервью", telephone: "телефонный опрос" };
  var BATCH = 50;
  var HEARTBEAT_MS = 60000;
  var $ = function (id) { return document.getElementById(id); };

  // --- IndexedDB ---------------------------------------------------------------------------
  // "meta": the device id and the questionnaires bundle; "interviews": one record per
  // interview, keyed by its client id, status draft -> pending -> synced (or refused/error).
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open("nok-interviews", 1);
        request.onupgradeneeded = function () {
          var d = request.result;
          d.createObjectStore("meta");
          d.createObjectStore("interviews", { keyPath: "client_id" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }
  function store(name, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var transaction = d.transaction(name, mode);
        var result = work(transaction.objectStore(name));
        transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }
  function getMeta(key) { return store("meta", "readonly", function (s) { return s.get(key); }); }
  function setMeta(key, value) { return store("meta", "readwrite", function (s) { s.put(value, key); }); }
  function putInterview(record) { return store("interviews", "readwrite", function (s) { s.put(record); }); }
  function deleteInterview(id) { return store("interviews", "readwrite", function (s) { s["delete"](id); }); }
  function allInterviews() { return store("interviews", "readonly", function (s) { return s.getAll(); }); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- state ---------------------------------------------------------------------------------
  var state = { bundle: null, device: null, current: null, index: 0, syncing: false };

  // Each interview keeps the questionnaire it began with: a later bundle without its campaign
  // (fieldwork closed meanwhile) still lets it be finished and exported.
  function questionsOf(record) { return record.questions || []; }
  function asked(question, answers) {
    return Object.keys(question.when || {}).every(function (key) { return answers[key] === question.when[key]; });
  }
  function askedQuestions(record) {
    return questionsOf(record).filter(function (q) { return asked(q, record.answers); });
  }
  // Answers to questions no longer asked (an earlier answer changed) are not kept.
  function cleaned(record) {
    var out = {};
    askedQuestions(record).forEach(function (q) {
      if (record.answers[q.key]) { out[q.key] = record.answers[q.key]; }
    });
    return out;
  }
  function mine(record) { return state.bundle && record.interviewer === state.bundle.interviewer.id; }

  // --- screens -------------------------------------------------------------------------------
  // During an interview the screen belongs to the question (the network state stays in the
  // header); the counts are on the home screen.
  function show(id) {
    ["home", "question", "review"].forEach(function (name) { $(name).hidden = name !== id; });
    $("status").hidden = id !== "home";
  }
  function say(text, kind) {
    var box = $("message");
    box.textContent = text || "";
    box.className = "message" + (kind ? " " + kind : "");
  }
  function renderNet() {
    var online = navigator.onLine;
    $("net").textContent = online ? "в сети" : "нет сети";
    $("net").className = "net " + (online ? "on" : "off");
  }

  function renderCounts() {
    return allInterviews().then(function (records) {
      var own = records.filter(mine);
      var count = function (status) { return own.filter(function (r) { return r.status === status; }).length; };
      var waiting = count("pending") + count("error");
      var refused = count("refused");
      var label = $("waiting-count");
      label.textContent = "Ждут отправки: " + waiting;
      label.dataset.waiting = String(waiting);
      $("sent-count").textContent = "· отправлено: " + count("synced") +
        (refused ? " · не приняты после завершения сбора: " + refused : "");
      $("sent-count").dataset.synced = String(count("synced"));
      $("export").hidden = !(waiting + refused);
      var draft = own.filter(function (r) { return r.status === "draft"; })[0];
      $("resume").hidden = !draft;
      if (draft) {
        var a = draft.assessment_info || {};
        $("resume-text").textContent = (a.organization || "") + " · " + MODES[draft.mode] +
          " · отвечено вопросов: " + Object.keys(draft.answers).length;
        $("resume-go").dataset.id = draft.client_id;
        $("resume-drop").dataset.id = draft.client_id;
      }
      return own;
    });
  }

  function renderHome() {
    var list = $("organizations");
    list.textContent = "";
    var bundle = state.bundle;
    if (!bundle) {
      $("loaded").textContent = "Анкеты ещё не загружены: откройте приложение один раз при подключении к сети.";
      return renderCounts();
    }
    $("who").textContent = bundle.interviewer.name;
    $("loaded").textContent = "Анкеты загружены " + new Date(bundle.loaded_at).toLocaleString("ru-RU") + ".";
    if (!bundle.assessments.length) {
      var none = document.createElement("li");
      none.textContent = "Вам не назначена ни одна организация в кампании, где идёт сбор данных.";
      list.appendChild(none);
    }
    bundle.assessments.forEach(function (a) {
      var item = document.createElement("li");
      item.className = "card";
      var title = document.createElement("h2");
      title.textContent = a.organization;
      var sub = document.createElement("p");
      sub.className = "muted";
      sub.textContent = a.campaign + " · " + a.period;
      var row = document.createElement("div");
      row.className = "row";
      Object.keys(MODES).forEach(function (mode) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = mode === "interview" ? "" : "secondary";
        button.textContent = mode === "interview" ? "Начать интервью" : "Телефонный опрос";
        button.setAttribute("aria-label", button.textContent + ": " + a.organization);
        button.addEventListener("click", function () { begin(a, mode); });
        row.appendChild(button);
      });
      item.appendChild(title); item.appendChild(sub); item.appendChild(row);
      list.appendChild(item);
    });
    show("home");
    return renderCounts();
  }

  function begin(assessment, mode) {
    var record = {
      client_id: uuid(), assessment: assessment.id, assessment_info: assessment, mode: mode,
      questions: state.bundle.questionnaires[assessment.questionnaire] || [],
      interviewer: state.bundle.interviewer.id, answers: {}, status: "draft",
      started_at: new Date().toISOString(), finished_at: null, message: ""
    };
    putInterview(record).then(function () { open(record, 0); });
  }

  function open(record, index) {
    state.current = record;
    var questions = askedQuestions(record);
    if (index >= questions.length) { return review(); }
    state.index = Math.max(0, index);
    var q = questions[state.index];
    $("q-org").textContent = record.assessment_info.organization;
    $("q-mode").textContent = MODES[record.mode];
    $("q-progress").textContent = "Вопрос " + (state.index + 1) + " из " + questions.length;
    $("question-text").textContent = q.text;
    $("q-hint").textContent = q.type === "text" ? "" : (q.required ? "Отметьте ответ респондента." : "Вопрос необязательный: можно перейти дальше.");
    var options = $("q-options");
    options.textContent = "";
    $("q-text").hidden = q.type !== "text";
    options.hidden = q.type === "text";
    if (q.type === "text") {
      $("q-textarea").value = record.answers[q.key] || "";
    } else {
      q.options.forEach(function (option) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "option";
        button.textContent = option.label;
        button.setAttribute("aria-pressed", record.answers[q.key] === option.key ? "true" : "false");
        button.addEventListener("click", function () { choose(q, option.key); });
        options.appendChild(button);
      });
    }
    $("q-next").hidden = q.type !== "text" && q.required && !record.answers[q.key];
    $("q-back").disabled = state.index === 0;
    show("question");
    $("question-text").focus();
  }

  // Every answer is written to the device before the next question appears.
  function choose(question, value) {
    var record = state.current;
    record.answers[question.key] = value;
    putInterview(record).then(function () { open(record, state.index + 1); });
  }

  function next() {
    var record = state.current;
    var q = askedQuestions(record)[state.index];
    if (q && q.type === "text") {
      var text = $("q-textarea").value.trim();
      if (text) { record.answers[q.key] = text; } else { delete record.answers[q.key]; }
    }
    putInterview(record).then(function () { open(record, state.index + 1); });
  }

  function review() {
    var record = state.current;
    var list = $("r-answers");
    list.textContent = "";
    askedQuestions(record).forEach(function (q) {
      var item = document.createElement("li");
      var text = document.createElement("span");
      text.className = "q";
      text.textContent = q.text;
      var answer = document.createElement("strong");
      var value = record.answers[q.key];
      var option = (q.options || []).filter(function (o) { return o.key === value; })[0];
      answer.textContent = option ? option.label : (value || "нет ответа");
      item.appendChild(text); item.appendChild(answer);
      list.appendChild(item);
    });
    $("r-org").textContent = record.assessment_info.organization;
    $("r-mode").textContent = MODES[record.mode];
    show("review");
    $("review-title").focus();
  }

  function save() {
    var record = state.current;
    record.answers = cleaned(record);
    record.status = "pending";
    record.finished_at = new Date().toISOString();
    putInterview(record).then(function () {
      state.current = null;
      say(navigator.onLine ? "Интервью сохранено, отправляется…" : "Интервью сохранено на устройстве; оно будет отправлено, когда появится сеть.", "ok");
      renderHome();
      sync();
    });
  }

  // --- synchronization -------------------------------------------------------------------
  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function deviceLabel() {
    var ua = navigator.userAgent;
    var found = ua.match(/\(([^)]+)\)/);
    return (found ? found[1] : ua).slice(0, 200);
  }
  function waitingBy(records, skip) {
    var out = {};
    records.forEach(function (r) {
      if ((r.status === "pending" || r.status === "error" || r.status === "draft") && !skip[r.client_id]) {
        out[r.assessment] = (out[r.assessment] || 0) + 1;
      }
    });
    return out;
  }
  function post(payload) {
    return fetch(URLS.sync, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload)
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || response.status === 403 || !json) {
        throw { login: true };
      }
      return response.json().then(function (data) {
        if (!response.ok) { throw { message: data.error || "Интервью не приняты" }; }
        return data;
      });
    });
  }

  // Sends what waits, a batch at a time; with nothing to send, reports to the server that this
  // device is here and what waits on it (the list fieldwork closes with).
  function sync() {
    if (state.syncing || !navigator.onLine || !state.bundle || !state.device) { return Promise.resolve(); }
    state.syncing = true;
    var sent = 0, refused = 0, errors = 0;
    function round() {
      return allInterviews().then(function (records) {
        var own = records.filter(mine);
        var batch = own.filter(function (r) { return r.status === "pending"; }).slice(0, BATCH);
        var inBatch = {};
        batch.forEach(function (r) { inBatch[r.client_id] = true; });
        var payload = {
          device: { id: state.device, label: deviceLabel() },
          waiting: waitingBy(own, inBatch),
          interviews: batch.map(function (r) {
            return { client_id: r.client_id, assessment: r.assessment, mode: r.mode, answers: r.answers,
                     started_at: r.started_at, finished_at: r.finished_at };
          })
        };
        return post(payload).then(function (data) {
          var byId = {};
          batch.forEach(function (r) { byId[r.client_id] = r; });
          var writes = data.results.map(function (result) {
            var record = byId[result.client_id];
            if (!record) { return null; }
            if (result.status === "stored" || result.status === "already") {
              record.status = "synced"; sent += 1;
            } else if (result.status === "closed") {
              record.status = "refused"; refused += 1;
            } else {
              record.status = "error"; errors += 1;
            }
            record.message = result.message || "";
            record.synced_at = new Date().toISOString();
            return putInterview(record);
          });
          return Promise.all(writes).then(function () {
            if (batch.length === BATCH) { return round(); }
          });
        });
      });
    }
    return round().then(function () {
      if (refused) {
        say("Сбор данных по кампании завершён, не принято интервью: " + refused + ". Интервью сохранены на этом " +
            "устройстве: выгрузите их в файл и передайте его оператору.", "bad");
      } else if (errors) {
        say("Не принято интервью: " + errors + ". Интервью сохранены на устройстве: выгрузите их в файл и " +
            "передайте его оператору.", "bad");
      } else if (sent) {
        say("Отправлено интервью: " + sent + ".", "ok");
      }
    }).catch(function (problem) {
      if (problem && problem.login) {
        say("Чтобы отправить интервью, войдите на сайт снова. Интервью сохранены на устройстве.", "bad");
        showLogin();
      } else if (problem && problem.message) {
        say(problem.message, "bad");
      } else {
        say("Нет связи с сервером: интервью сохранены на устройстве и будут отправлены позже.", "warn");
      }
    }).then(function () {
      state.syncing = false;
      return renderCounts();
    });
  }

  function showLogin() {
    var box = $("message");
    var link = document.createElement("a");
    link.href = URLS.login;
    link.textContent = " Войти";
    box.appendChild(link);
  }

  // --- the file for the operator --------------------------------------------------------------
  function exportFile() {
    allInterviews().then(function (records) {
      var left = records.filter(function (r) { return mine(r) && ["pending", "error", "refused"].indexOf(r.status) !== -1; });
      var file = {
        format: "nok-interviews", version: 1, exported_at: new Date().toISOString(),
        device: state.device, interviewer: state.bundle ? state.bundle.interviewer : null,
        interviews: left.map(function (r) {
          return { client_id: r.client_id, assessment: r.assessment,
                   organization: (r.assessment_info || {}).organization, campaign: (r.assessment_info || {}).campaign,
                   mode: r.mode, answers: r.answers, started_at: r.started_at, finished_at: r.finished_at,
                   status: r.status, message: r.message || "" };
        })
      };
      var blob = new Blob([JSON.stringify(file, null, 2)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "interviews-" + new Date().toISOString().slice(0, 10) + ".json";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    });
  }

  // --- start ---------------------------------------------------------------------------------
  function loadBundle() {
    if (!navigator.onLine) { return Promise.resolve(); }
    var query = "?device=" + encodeURIComponent(state.device) + "&label=" + encodeURIComponent(deviceLabel());
    return fetch(URLS.bundle + query, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!response.ok || response.redirected || !json) { throw { login: response.redirected || !json }; }
      return response.json();
    }).then(function (bundle) {
      state.bundle = bundle;
      return setMeta("bundle", bundle);
    }).catch(function (problem) {
      if (problem && problem.login) {
        say("Сеанс на сайте завершён: войдите снова, чтобы обновить анкеты. Сохранённые интервью не потеряны.", "warn");
        showLogin();
      }
    });
  }

  function start() {
    renderNet();
    getMeta("device").then(function (device) {
      state.device = device || uuid();
      return device ? null : setMeta("device", state.device);
    }).then(function () {
      return getMeta("bundle");
    }).then(function (bundle) {
      state.bundle = bundle || null;
      return loadBundle();
    }).then(function () {
      return renderHome();
    }).then(function () {
      body.dataset.ready = "1";
      return sync();
    }).catch(function () {
      say("Хранилище браузера недоступно: интервью нельзя сохранять на этом устройстве. Откройте приложение не в режиме инкогнито.", "bad");
    });
  }

  $("q-next").addEventListener("click", next);
  $("q-back").addEventListener("click", function () { open(state.current, state.index - 1); });
  $("q-pause").addEventListener("click", function () {
    state.current = null;
    say("Интервью прервано и сохранено на устройстве: его можно продолжить.", "");
    renderHome();
  });
  $("r-save").addEventListener("click", save);
  $("r-back").addEventListener("click", function () { open(state.current, askedQuestions(state.current).length - 1); });
  $("resume-go").addEventListener("click", function (event) {
    var id = event.currentTarget.dataset.id;
    allInterviews().then(function (records) {
      var record = records.filter(function (r) { return r.client_id === id; })[0];
      if (!record) { return; }
      var questions = askedQuestions(record);
      var first = questions.findIndex(function (q) { return !record.answers[q.key] && q.required; });
      open(record, first === -1 ? questions.length : first);
    });
  });
  $("resume-drop").addEventListener("click", function (event) {
    if (window.confirm("Удалить незаконченное интервью? Его ответы будут потеряны.")) {
      deleteInterview(event.currentTarget.dataset.id).then(renderHome);
    }
  });
  $("sync").addEventListener("click", function () {
    if (!navigator.onLine) { say("Нет сети: интервью будут отправлены, когда она появится.", "warn"); return; }
    loadBundle().then(sync);
  });
  $("export").addEventListener("click", exportFile);
  window.addEventListener("online", function () { renderNet(); loadBundle().then(renderHome).then(sync); });
  window.addEventListener("offline", renderNet);
  setInterval(function () { if (navigator.onLine) { sync(); } }, HEARTBEAT_MS);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(URLS.sw, { scope: URLS.scope }).catch(function () {
      say("Браузер не сохранил приложение для работы без сети: откройте его в Chrome, Яндекс Браузере или Firefox.", "warn");
    });
  }
  start();
})();
