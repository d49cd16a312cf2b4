// Service worker for the installable app. Rules (DESIGN.md §2.3): it precaches only
// fingerprinted static files and a neutral offline page, every page goes to the network, and
// nothing is ever stored at run time, so no signed-in answer can end up in Cache Storage.
"use strict";

var CACHE = "static";
var OFFLINE_URL = {{ url_for("safety.offline")|tojson }};
var PRECACHE = {{ (scripts + [
  asset("css/app.css"),
  asset("icons/" ~ icon ~ ".svg"),
  asset("icons/" ~ icon ~ "-192.png"),
  asset("icons/" ~ icon ~ "-512.png"),
])|tojson }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // The offline page is fetched without cookies: it is the anonymous page, never a
      // signed-in one.
      var offline = new Request(OFFLINE_URL, { credentials: "omit", cache: "no-store" });
      return cache.addAll(PRECACHE.concat([offline]));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  var keep = PRECACHE.concat([OFFLINE_URL]).map(function (url) {
    return new URL(url, self.location.origin).href;
  });
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) {
        if (name !== CACHE) return caches.delete(name);
        return caches.open(CACHE).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(requests.map(function (request) {
              return keep.indexOf(request.url) === -1 ? cache.delete(request) : null;
            }));
          });
        });
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages: network only. Without a network, the neutral offline page.
    event.respondWith(
      fetch(request).catch(function () {
        return caches.match(OFFLINE_URL).then(function (response) {
          return response || Response.error();
        });
      })
    );
    return;
  }
  if (PRECACHE.indexOf(url.pathname + url.search) !== -1) {
    event.respondWith(
      caches.match(request).then(function (response) {
        return response || fetch(request);
      })
    );
  }
  // Anything else: the browser's own network request, untouched.
});

// Reminders (reminders/deliver.py): the payload holds only the neutral brand and one neutral
// line. Tapping opens the app's start page, which asks for sign-in as usual.
var ICON = {{ asset("icons/" ~ icon ~ "-192.png")|tojson }};

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(String(data.title || ""), {
    body: String(data.body || ""),
    icon: ICON,
    data: { url: "/" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (list) {
      for (var i = 0; i < list.length; i++) {
        if ("focus" in list[i]) return list[i].focus();
      }
      return self.clients.openWindow("/");
    })
  );
});
