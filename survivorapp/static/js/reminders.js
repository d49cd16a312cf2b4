// Settings → Reminders: turn reminders on for this device. The browser's permission prompt
// appears only after the person taps the button (never on page load), and the subscription
// is sent to the server like any form, with the page's CSRF token.
"use strict";

(function () {
  var box = document.getElementById("reminders-device");
  if (!box) return;
  var supported = "serviceWorker" in navigator && "PushManager" in window &&
    "Notification" in window;
  if (!supported || Notification.permission === "denied") return;
  document.getElementById("reminders-unsupported").hidden = true;
  box.hidden = false;
  var button = document.getElementById("reminders-on");
  var status = document.getElementById("reminders-status");

  function key(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function token() {
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }

  function send(subscription) {
    var json = subscription.toJSON();
    var body = new URLSearchParams({
      endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth
    });
    return fetch(box.dataset.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token() }
    }).then(function (response) {
      if (!response.ok) throw new Error("refused");
      window.location.reload();
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = box.dataset.working;
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") throw new Error("denied");
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: key(box.dataset.key)
      });
    }).then(send).catch(function (error) {
      status.textContent = error && error.message === "denied" ?
        box.dataset.denied : box.dataset.failed;
      button.disabled = false;
    });
  });
})();
