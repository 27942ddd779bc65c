/* makertime's pages talk to its API: same origin, the session's cookie, its CSRF token. */
"use strict";
window.makertime = (function () {
  function token() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* Call the API; resolves to the JSON answer, rejects with the answer's one error line. */
  function call(method, url, body) {
    var options = {method: method, credentials: "same-origin",
                   headers: {"Accept": "application/json", "X-CSRF-Token": token()}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!response.ok) {
          var line = data && data.error ? data.error : "makertime answered " + response.status;
          throw new Error(line);
        }
        return data;
      });
    }, function () {
      throw new Error("makertime cannot be reached: is makertime serve still running?");
    });
  }

  /* A fresh copy of this page, parsed (to swap parts of it in after a change). */
  function page(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) { return response.text(); })
      .then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
  }

  function replace(fresh, selector) {
    var now = document.querySelector(selector), then = fresh.querySelector(selector);
    if (now && then) { now.replaceWith(document.importNode(then, true)); }
  }

  /* An element with text only (calendar text is never parsed as HTML). */
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function alert(message) {
    var box = document.getElementById("alert");
    if (!box) { return; }
    box.textContent = message || "";
    box.hidden = !message;
    if (message) { box.scrollIntoView({block: "nearest"}); }
  }

  function when(iso) {
    var d = new Date(iso.slice(0, 19) + "Z");
    return d.toLocaleString("en-GB", {weekday: "short", day: "2-digit", month: "short",
                                      hour: "2-digit", minute: "2-digit", timeZone: "UTC"});
  }

  function clock(iso) { return iso.slice(11, 16); }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-close]") : null;
    if (target) {
      var panel = document.getElementById(target.getAttribute("data-close"));
      if (panel) { panel.hidden = true; }
    }
  });

  return {call: call, page: page, replace: replace, el: el, alert: alert, when: when,
          clock: clock};
})();
