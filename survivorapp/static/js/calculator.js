// The cover-screen calculator: works in the page, sends nothing, stores nothing.
(function () {
  "use strict";

  function tokens(text) {
    var out = [], number = "";
    text = text.replace(/,/g, ".").replace(/×/g, "*").replace(/÷/g, "/").replace(/−/g, "-");
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (/[0-9.]/.test(ch)) { number += ch; continue; }
      if (number) { out.push(number); number = ""; }
      if (/\s/.test(ch)) continue;
      if ("+-*/()".indexOf(ch) === -1) throw new Error("bad");
      out.push(ch);
    }
    if (number) out.push(number);
    return out;
  }

  function calculate(text) {
    var list = tokens(text), pos = 0;
    function take() { if (pos >= list.length) throw new Error("end"); return list[pos++]; }
    function factor(depth) {
      if (depth > 50) throw new Error("deep");
      var t = take();
      if (t === "-") return -factor(depth + 1);
      if (t === "+") return factor(depth + 1);
      if (t === "(") {
        var v = expr(depth + 1);
        if (take() !== ")") throw new Error(")");
        return v;
      }
      if (!/^(\d+\.?\d*|\.\d+)$/.test(t)) throw new Error("number");
      return parseFloat(t);
    }
    function term(depth) {
      var v = factor(depth);
      while (list[pos] === "*" || list[pos] === "/") {
        var op = take(), r = factor(depth);
        if (op === "/" && r === 0) throw new Error("zero");
        v = op === "*" ? v * r : v / r;
      }
      return v;
    }
    function expr(depth) {
      var v = term(depth);
      while (list[pos] === "+" || list[pos] === "-") {
        var op = take(), r = term(depth);
        v = op === "+" ? v + r : v - r;
      }
      return v;
    }
    if (!list.length) throw new Error("empty");
    var result = expr(0);
    if (pos !== list.length || !isFinite(result)) throw new Error("trailing");
    return String(parseFloat(result.toFixed(10)));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("calculator");
    if (!form) return;
    var input = document.getElementById("calc-input");
    var output = document.getElementById("calc-result");
    var keys = document.getElementById("calc-keys");
    keys.hidden = false;

    function show() {
      try {
        output.textContent = calculate(input.value);
      } catch (e) {
        output.textContent = input.value.trim() ? output.getAttribute("data-error") : "";
      }
    }

    keys.addEventListener("click", function (event) {
      var button = event.target.closest("[data-key]");
      if (!button) return;
      var key = button.getAttribute("data-key");
      if (key === "C") { input.value = ""; output.textContent = ""; }
      else if (key === "back") input.value = input.value.slice(0, -1);
      else input.value += key;
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();  // worked out here: nothing goes to the server or the history
      show();
    });
  });
})();
