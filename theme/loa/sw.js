/* Loa's service worker (written to the site's root as sw.js by loa/outputs/serviceworker.py, which fills in
   VERSION, LANGUAGES, KEPT_LIMIT and LARGE; registered after `load` by assets/javascripts/loa-offline.js).
   Pages (and PDFs): network first, the kept copy after a short wait (a slow link) or when the network fails,
   else the offline page of the reader's language. Other files of the site: the cache first (a build with
   any change has a new VERSION, so a new cache). Offline copies (ZIP) and large answers go to the network,
   never to a cache. Requests to other hosts are not touched, and nothing is
   sent anywhere: the only requests are the reader's own, to the site. */
"use strict";
var VERSION = "__LOA_VERSION__";
var LANGUAGES = __LOA_LANGUAGES__;
var CURRENT = "loa-" + VERSION;
/* Pages a reader opened or saved under an earlier version: used only when the network fails and the
   current cache lacks them (old copies are better than nothing offline); replaced entry by entry. */
var KEPT = "loa-kept";
/* At most this many entries (pages and their files) stay in KEPT: the oldest go first when a new version
   moves the older caches there. A saved campaign's pages, PDFs and images stay whatever their age: their
   addresses are listed in SAVED (an entry per address; saving again refreshes them). */
var KEPT_LIMIT = __LOA_KEPT_LIMIT__;
var SAVED = "loa-saved";
/* Never kept nor served by the worker: the offline copies (loa/outputs/offline/, megabytes a reader
   downloads to copy elsewhere, not to read here) and any answer over LARGE bytes. */
var DOWNLOAD = /\.zip$/i;
var LARGE = __LOA_LARGE__;
var SCOPE = new URL(self.registration.scope);
var PAGE = /(\/|\.html|\.pdf)$/;

function ours(url) {
  return url.origin === SCOPE.origin && url.pathname.indexOf(SCOPE.pathname) === 0;
}

function language(url) {
  var first = url.pathname.slice(SCOPE.pathname.length).split("/")[0];
  return LANGUAGES.indexOf(first) >= 0 ? first : LANGUAGES[0];
}

function large(response) {
  return Number(response.headers.get("Content-Length") || 0) > LARGE;
}

function keep(request, response) {
  if (!response || response.status !== 200 || response.type !== "basic" || response.redirected) return response;
  if (/no-store/.test(response.headers.get("Cache-Control") || "") || large(response)) return response;
  var copy = response.clone();
  return caches.open(CURRENT).then(function (cache) { return cache.put(request, copy); })
    .then(function () { return response; }, function () { return response; });
}

function cached(request) {
  var options = { ignoreSearch: PAGE.test(new URL(request.url).pathname) };
  return caches.open(CURRENT).then(function (cache) { return cache.match(request, options); })
    .then(function (found) {
      return found || caches.open(KEPT).then(function (cache) { return cache.match(request, options); });
    });
}

/* The offline page of the request's language (else of the first language whose page is kept), answered
   at the request's address: a <base> makes its relative links work from there. */
function offline(url) {
  var order = [language(url)].concat(LANGUAGES);
  var where = null;
  var look = order.reduce(function (found, lang) {
    return found.then(function (page) {
      if (page) return page;
      where = new URL(lang + "/offline.html", SCOPE);
      return cached(new Request(where.href));
    });
  }, Promise.resolve(null));
  return look.then(function (page) {
    if (!page) return Response.error();
    return page.text().then(function (html) {
      html = html.replace(/<head>/i, '<head><base href="' + where.href + '">');
      return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

/* How long a page may take before its kept copy is shown (the network's answer still replaces the copy
   for the next visit): none on a slow link (the browser's estimate: 3G or slower, a round trip of 300 ms
   or more, or the reader asked to save data; or the last page took 300 ms or more to answer), where no
   page comes back sooner than a round trip: a wait
   there only delayed the copy (by 300 ms, a third of a repeat visit on slow 3G: bench/results/
   2026-11-30-slow3g.md); longer on a good link, so that a reader there gets the newest build. */
function patience() {
  var link = self.navigator.connection;
  var slow = link && (link.saveData || /2g|3g/.test(link.effectiveType || "") || link.rtt >= 300);
  return slow || answered >= 300 ? 0 : 800;
}

/* How long the network took to answer the last page this worker asked for (ms; null before the first): the
   link's speed where the browser gives no estimate (Firefox, Safari) or a wrong one. */
var answered = null;

function page(event) {
  var request = event.request;
  var asked = Date.now();
  var network = fetch(request).then(function (response) {
    answered = Date.now() - asked;
    return keep(request, response);
  });
  event.waitUntil(network.catch(function () { return null; }));
  return cached(request).then(function (copy) {
    if (!copy) return network.catch(function () { return offline(new URL(request.url)); });
    var late = new Promise(function (done) { setTimeout(function () { done(copy); }, patience()); });
    var fresh = network.then(function (response) { return response.ok ? response : copy; },
                             function () { return copy; });
    return Promise.race([fresh, late]);
  });
}

function file(request) {
  return caches.open(CURRENT).then(function (cache) { return cache.match(request); }).then(function (found) {
    return found || fetch(request).then(function (response) { return keep(request, response); }, function (error) {
      return caches.open(KEPT).then(function (cache) { return cache.match(request); }).then(function (old) {
        if (old) return old;
        throw error;
      });
    });
  });
}

self.addEventListener("install", function () { self.skipWaiting(); });

/* KEPT down to KEPT_LIMIT entries, the oldest first (a cache lists its entries in the order they were put),
   never one that a reader saved. */
function bound() {
  return Promise.all([caches.open(KEPT), caches.open(SAVED).then(function (saved) { return saved.keys(); })])
    .then(function (opened) {
      var kept = opened[0];
      var saved = {};
      opened[1].forEach(function (request) { saved[request.url] = true; });
      return kept.keys().then(function (requests) {
        var over = requests.length - KEPT_LIMIT;
        var going = requests.filter(function (request) {
          if (over <= 0 || saved[request.url]) return false;
          over -= 1;
          return true;
        });
        return Promise.all(going.map(function (request) { return kept.delete(request); }));
      });
    });
}

/* A new version: what the older caches held moves to KEPT, then they are deleted, and KEPT is bounded. */
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    var old = names.filter(function (name) {
      return name.indexOf("loa-") === 0 && name !== CURRENT && name !== KEPT && name !== SAVED;
    });
    return caches.open(KEPT).then(function (kept) {
      return old.reduce(function (done, name) {
        return done.then(function () { return caches.open(name); }).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(requests.map(function (request) {
              return cache.match(request).then(function (response) { return response && kept.put(request, response); });
            }));
          });
        }).then(function () { return caches.delete(name); });
      }, Promise.resolve());
    });
  }).then(bound).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || !ours(url) || request.headers.has("Range") || DOWNLOAD.test(url.pathname)) return;
  if (request.mode === "navigate" || PAGE.test(url.pathname)) event.respondWith(page(event));
  else event.respondWith(file(request));
});

/* Images of a saved page (the page's styles and scripts are the ones of the page that saves it). */
function images(html, base) {
  var found = [];
  html.replace(/<img\b[^>]*?\ssrc="([^"]+)"/gi, function (match, src) {
    var url = new URL(src.replace(/&amp;/g, "&"), base);
    if (ours(url)) found.push(url.href);
    return match;
  });
  return found;
}

function store(url) {
  var request = new Request(url);
  return fetch(request).then(function (response) {
    if (!response.ok || large(response)) throw new Error(url);
    var isPage = /text\/html/.test(response.headers.get("Content-Type") || "");
    var text = isPage ? response.clone().text() : Promise.resolve("");
    return keep(request, response).then(function () { return text; });
  }).then(function (html) {
    var files = images(html, url);
    return Promise.all(files.map(function (src) {
      return caches.open(CURRENT).then(function (cache) { return cache.match(src); }).then(function (found) {
        return found || fetch(src).then(function (response) { return keep(new Request(src), response); });
      }).catch(function () { return null; });
    })).then(function () { return mark([url].concat(files)); });
  });
}

/* The addresses of what a reader saved (bound() keeps them), each put again: the newest last. */
function mark(urls) {
  return caches.open(SAVED).then(function (saved) {
    return Promise.all(urls.map(function (href) { return saved.put(new Request(href), new Response("")); }));
  });
}

/* Messages from the pages: `keep` (the page just shown and its files, which loaded before this worker
   controlled it), `save` (a campaign's pages and PDFs), answered with progress on the message's port. */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  var urls = (data.keep || data.save || []).filter(function (href) { return ours(new URL(href)); });
  var port = event.ports && event.ports[0];
  var done = 0;
  var failed = 0;
  function one(href) {
    if (!data.keep) return store(href);
    /* the browser has just loaded these: its HTTP cache answers, without a request */
    return caches.open(CURRENT).then(function (cache) { return cache.match(href, { ignoreSearch: true }); })
      .then(function (found) {
        return found || fetch(href, { cache: "force-cache" }).then(function (r) { return keep(new Request(href), r); });
      });
  }
  function counted(work) {
    return work.then(function () { done += 1; }, function () { failed += 1; }).then(function () {
      if (port) port.postMessage({ done: done, failed: failed, total: urls.length });
    });
  }
  /* kept files all at once (no requests); saved ones one after the other, so that progress means something
     and the reader's own pages are not starved on a slow link */
  event.waitUntil(data.keep ? Promise.all(urls.map(function (href) { return counted(one(href)); }))
    : urls.reduce(function (before, href) { return before.then(function () { return counted(one(href)); }); },
                  Promise.resolve()));
});
