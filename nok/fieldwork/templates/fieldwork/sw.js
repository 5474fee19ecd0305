// The service worker of the offline interview app (release {{ version }}): keeps the app's page,
// script, style and icons, and serves them when the network is gone. Questionnaires and
// interviews live in IndexedDB (the page's script), never in this cache.
"use strict";
var CACHE = "nok-interview-{{ version }}";
var PRECACHE = {{ precache|safe }};
var SCOPE = "{{ scope }}";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(PRECACHE.map(function (url) {
      return new Request(url, { credentials: "same-origin", cache: "reload" });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("nok-interview-") === 0 && key !== CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(request) {
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") { return false; }
  if (request.mode === "navigate") { return url.pathname === SCOPE; }
  return PRECACHE.indexOf(url.pathname) !== -1;
}

// Network first (a new release is seen at once when online), the kept copy when offline.
self.addEventListener("fetch", function (event) {
  if (!kept(event.request)) { return; }
  var key = event.request.mode === "navigate" ? SCOPE : event.request;
  event.respondWith(fetch(event.request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(key).then(function (found) {
      return found || new Response("Нет сети, а приложение ещё не сохранено на устройстве. " +
        "Откройте его один раз при подключении к сети.",
        { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    });
  }));
});
