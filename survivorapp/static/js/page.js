// Behaviour every page shares, in one file so a page needs one script of ours besides htmx:
// quick exit (DESIGN.md §2.2), the idle lock, the service worker registration, and focus
// after htmx swaps.
// No inline script or style: the CSP forbids them, so everything here works through classes.
(function () {
  "use strict";
  var root = document.documentElement;
  var leaving = false;
  var START_COOKIE = "start";

  function link() { return document.getElementById("quick-exit"); }

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      return headers["X-CSRFToken"] || "";
    } catch (e) { return ""; }
  }

  function standalone() {
    return (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches) ||
      window.navigator.standalone === true;
  }

  function startsOnCover() {
    return document.cookie.split("; ").indexOf(START_COOKIE + "=cover") !== -1;
  }

  function endSession(control) {
    var headers = {};
    var token = csrfToken();  // absent on the offline page
    if (token) headers["X-CSRFToken"] = token;
    // keepalive: the request completes even when the page is already gone.
    return fetch(control.getAttribute("href"), {
      method: "POST", keepalive: true, credentials: "same-origin", cache: "no-store",
      headers: headers
    }).catch(function () {});
  }

  function clearCaches() {
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }).catch(function () {});
  }

  function clearStorage() {
    try { window.localStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
  }

  function within(promise, ms) {
    return Promise.race([promise, new Promise(function (done) { setTimeout(done, ms); })]);
  }

  function leave() {
    var control = link();
    if (leaving || !control) return;
    leaving = true;
    root.classList.add("exiting");  // the page disappears at once
    var cover = startsOnCover();
    var target = standalone() ? control.getAttribute("data-cover-url")
      : control.getAttribute("data-exit-url");
    clearStorage();
    // The server answers with Clear-Site-Data; wait for it (briefly) so nothing survives.
    within(Promise.all([endSession(control), clearCaches()]), 1500).then(function () {
      clearStorage();
      if (cover) {
        // The start-screen choice is about this device, not a person: keep it (see
        // survivorapp/safety/services.py).
        document.cookie = START_COOKIE + "=cover; path=/; max-age=31536000; samesite=lax" +
          (location.protocol === "https:" ? "; secure" : "");
      }
      window.location.replace(target);
    });
  }

  // --- Shift pressed three times within 5 seconds -----------------------------------------
  var presses = 0;
  var shiftDown = false;
  var combined = false;
  var timer = null;

  function announce(name) {
    var status = document.getElementById("quick-exit-status");
    var control = link();
    if (status && control) status.textContent = control.getAttribute("data-status-" + name) || "";
  }

  function showSteps() {
    var control = link();
    if (!control) return;
    control.classList.toggle("counting", presses > 0);
    var steps = control.querySelectorAll(".quick-exit-step");
    for (var i = 0; i < steps.length; i++) steps[i].classList.toggle("on", i < presses);
  }

  function reset(quietly) {
    var had = presses > 0;
    presses = 0;
    clearTimeout(timer);
    timer = null;
    showSteps();
    if (had && !quietly) announce("reset");
  }

  function shiftPressed() {
    presses += 1;
    showSteps();
    if (presses === 1) timer = setTimeout(function () { reset(false); }, 5000);
    if (presses >= 3) {
      clearTimeout(timer);
      announce("leaving");
      leave();
    } else {
      announce(String(presses));
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      if (!event.repeat) {
        shiftDown = true;
        combined = event.ctrlKey || event.altKey || event.metaKey;
      }
      return;
    }
    // Any other key (Shift+A for a capital letter, Ctrl, Tab...) does not count.
    if (shiftDown) combined = true;
    if (presses > 0) reset(true);
  });

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") return;
    var counts = shiftDown && !combined;
    shiftDown = false;
    combined = false;
    if (counts) shiftPressed();
  });

  window.addEventListener("blur", function () { shiftDown = false; combined = false; });

  document.addEventListener("click", function (event) {
    var control = event.target.closest && event.target.closest("#quick-exit");
    if (!control) return;  // any click on it leaves, even with a modifier key held
    event.preventDefault();
    leave();
  });

  // Brought back from the back/forward cache after leaving: show nothing, ask the server again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && root.classList.contains("exiting")) window.location.reload();
  });

  // --- Idle lock -------------------------------------------------------------------------
  // The server ends a session after SESSION_IDLE_MINUTES without a request. When that time
  // has passed, the page blanks itself and asks again, so the server answers with sign-in;
  // location.replace keeps the old page out of the Back history.
  var idleMeta = document.querySelector('meta[name="idle-lock"]');
  var idleMs = idleMeta ? parseInt(idleMeta.getAttribute("content"), 10) * 1000 : 0;
  if (idleMs > 0) {
    var deadline = Date.now() + idleMs;
    var checkIdle = function () {
      if (leaving || Date.now() < deadline) return;
      leaving = true;
      root.classList.add("exiting");
      window.location.replace(window.location.href);
    };
    document.addEventListener("htmx:afterRequest", function () { deadline = Date.now() + idleMs; });
    document.addEventListener("visibilitychange", checkIdle);
    window.addEventListener("focus", checkIdle);
    setInterval(checkIdle, 10000);
  }

  // --- Installable app ---------------------------------------------------------------------
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    });
  }
})();

(function () {
  "use strict";
  // After htmx replaces part of a page, move focus to a heading or alert inside it
  // when the swap asks for it (data-focus), so keyboard and screen-reader users follow.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var focus = target && target.querySelector("[data-focus]");
    if (focus) {
      if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  });

  // A message shown after the last full page load ("Saved. Only you can see it") is stale once
  // the person changes something through htmx: the swapped part carries its own message.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.requestConfig.verb === "get") return;
    var flashes = document.querySelector(".flashes");
    if (flashes) flashes.remove();
  });
})();
