/* Reading without a network: registers the site's service worker (sw.js at the site's root, written by
   loa/outputs/serviceworker.py) once the page has loaded, asks it to keep this page and its files, and runs
   the "save for offline" button of a campaign page (partials/loa-offline-save.html). */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  var script = document.currentScript;
  /* this file is <site>/<lang>/assets/javascripts/loa-offline.js: the worker is at <site>/sw.js */
  var worker = new URL("../../../sw.js", script.src);
  var offline = new URL("../../offline.html", script.src);

  function ask(message, progress) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (done) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          if (progress) progress(event.data);
          if (event.data.done + event.data.failed >= event.data.total) done(event.data);
        };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  var box = document.querySelector(".loa-save");
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(worker.href).then(function () {
      if (box) box.hidden = false;
      /* the files the page loaded itself (not what its scripts fetched: search, a PDF's size) */
      var files = performance.getEntriesByType("resource").filter(function (entry) {
        return !/^(fetch|xmlhttprequest|beacon)$/.test(entry.initiatorType) && new URL(entry.name).origin === location.origin;
      }).map(function (entry) { return entry.name; });
      return ask({ keep: [location.href.split("#")[0], offline.href].concat(files) });
    }).catch(function () { /* no worker (private mode, the preview): the button stays hidden */ });
  });

  if (!box) return;
  var button = box.querySelector("button");
  var status = box.querySelector("[role=status]");
  var strings = JSON.parse(box.getAttribute("data-strings") || "{}");
  var urls = JSON.parse(box.getAttribute("data-urls") || "[]").map(function (href) {
    return new URL(href, location.href).href;
  });
  function say(key, values) {
    status.textContent = (strings[key] || "").replace(/\{(\w+)\}/g, function (all, name) { return values[name]; });
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    say("progress", { done: 0, total: urls.length });
    ask({ save: urls }, function (state) {
      say("progress", { done: state.done + state.failed, total: state.total });
    }).then(function (state) {
      say(state.failed ? "partial" : "done", { done: state.done, total: state.total });
      button.disabled = false;
    });
  });
})();
