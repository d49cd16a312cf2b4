// Passkey ceremonies: sign-in (button and autofill), enrolment, adding a passkey.
// Options come from the server as JSON; binary fields travel as base64url.
(function () {
  "use strict";

  function toBytes(b64url) {
    var b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var err = new Error(data.error || "");
          err.name = response.status === 429 ? "RateLimited" : "ServerRefused";
          err.serverMessage = data.error;
          throw err;
        }
        return data;
      });
    });
  }

  function statusBox() { return document.getElementById("passkey-status"); }

  function say(key, text) {
    var box = statusBox();
    if (!box) return;
    box.textContent = text || box.getAttribute("data-msg-" + key) || "";
    box.hidden = false;
  }

  function explain(err) {
    if (!err) return say("failed");
    if (err.name === "AbortError") return;  // replaced by another request: nothing to say
    if (err.name === "NotAllowedError") return say("cancelled");
    if (err.name === "InvalidStateError") return say("exists");
    if (err.name === "RateLimited") return say("limited");
    if (err.name === "ServerRefused") return say("failed", err.serverMessage);
    return say("failed");
  }

  function creationOptions(o) {
    var pk = Object.assign({}, o);
    pk.challenge = toBytes(o.challenge);
    pk.user = Object.assign({}, o.user, { id: toBytes(o.user.id) });
    pk.excludeCredentials = (o.excludeCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: toBytes(c.id) });
    });
    return pk;
  }

  function requestOptions(o) {
    var pk = Object.assign({}, o);
    pk.challenge = toBytes(o.challenge);
    pk.allowCredentials = (o.allowCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: toBytes(c.id) });
    });
    return pk;
  }

  // The credential as JSON, the shape py_webauthn reads; `response` holds the binary parts.
  function credentialJSON(cred, response) {
    return {
      id: cred.id,
      rawId: toB64url(cred.rawId),
      type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: response
    };
  }

  function registrationJSON(cred) {
    var r = cred.response;
    return credentialJSON(cred, {
      clientDataJSON: toB64url(r.clientDataJSON),
      attestationObject: toB64url(r.attestationObject),
      transports: r.getTransports ? r.getTransports() : []
    });
  }

  function assertionJSON(cred) {
    var r = cred.response;
    return credentialJSON(cred, {
      clientDataJSON: toB64url(r.clientDataJSON),
      authenticatorData: toB64url(r.authenticatorData),
      signature: toB64url(r.signature),
      userHandle: r.userHandle ? toB64url(r.userHandle) : null
    });
  }

  function supported() {
    return !!(window.PublicKeyCredential && navigator.credentials);
  }

  var pending = null;  // the AbortController of a waiting autofill request
  var inFlight = Promise.resolve();  // the autofill's options request, so two never race

  function cancelPending() {
    if (pending) {
      pending.abort();
      pending = null;
    }
  }

  function go(data) {
    if (data && data.redirect) window.location.assign(data.redirect);
  }

  function signIn(button) {
    cancelPending();
    say("busy");
    return inFlight
      .then(function () { return post(button.getAttribute("data-options")); })
      .then(function (options) {
        return navigator.credentials.get({ publicKey: requestOptions(options) });
      })
      .then(function (cred) {
        return post(button.getAttribute("data-verify"), assertionJSON(cred));
      })
      .then(go);
  }

  function create(button) {
    var body = {};
    if (button.hasAttribute("data-code")) body.code = button.getAttribute("data-code");
    say("busy");
    return post(button.getAttribute("data-options"), body)
      .then(function (options) {
        return navigator.credentials.create({ publicKey: creationOptions(options) });
      })
      .then(function (cred) {
        return post(button.getAttribute("data-verify"), registrationJSON(cred));
      })
      .then(go);
  }

  function autofill() {
    var field = document.querySelector("[data-passkey-autofill]");
    var button = document.querySelector('[data-passkey="sign-in"]');
    if (!field || !button || !supported() || !PublicKeyCredential.isConditionalMediationAvailable) {
      return;
    }
    PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
      if (!available) return;
      field.hidden = false;
      var controller = new AbortController();
      pending = controller;
      var options = post(button.getAttribute("data-options"));
      inFlight = options.catch(function () { return null; });
      options
        .then(function (options) {
          return navigator.credentials.get({
            publicKey: requestOptions(options),
            mediation: "conditional",
            signal: controller.signal
          });
        })
        .then(function (cred) {
          pending = null;
          return post(button.getAttribute("data-verify"), assertionJSON(cred));
        })
        .then(go)
        .catch(function (err) {
          if (controller.signal.aborted) return;
          explain(err);
        });
    }).catch(function () { /* no autofill here: the button still works */ });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-passkey]");
    if (!button) return;
    event.preventDefault();
    if (!supported()) return say("unsupported");
    var kind = button.getAttribute("data-passkey");
    button.disabled = true;
    var run = kind === "sign-in" ? signIn(button) : create(button);
    run.catch(explain).then(function () { button.disabled = false; });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", autofill);
  } else {
    autofill();
  }
})();
