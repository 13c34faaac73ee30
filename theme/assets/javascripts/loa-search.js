/* Loa search: loads Pagefind only when the reader starts to search, then fetches only
   the index fragments a query needs. Results are announced in a live region. */
(function () {
  "use strict";
  var form = document.querySelector("form.loa-search");
  if (!form || !("fetch" in window)) return;
  var input = form.querySelector("input[type=search]");
  var list = form.querySelector(".loa-search__results");
  var status = form.querySelector(".loa-search__status");
  var bundle = form.getAttribute("data-bundle") || "pagefind/";
  var strings = JSON.parse(form.getAttribute("data-strings") || "{}");
  var engine = null;
  var latest = 0;
  var timer = null;
  var PHRASE_BOOST = 2;

  /* The offline copy (loa/outputs/offline/), opened from a folder: Pagefind cannot load from file://,
     so the box says so and links to the copy's A-Z index, which is where the form goes (its action). */
  if (location.protocol === "file:") {
    var offline = function () {
      status.textContent = strings.offline || "";
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = form.action;
      a.textContent = strings.offline_index || form.action;
      li.appendChild(a);
      list.replaceChildren(li);
    };
    input.addEventListener("focus", offline);
    input.addEventListener("input", offline);
    return;
  }

  /* Pagefind asks for its WebAssembly and metadata only after its script has run and its entry file has
     come: two round trips in a row. Here the entry file comes while the script does, and the two files it
     names are asked for at once as preloads, which Pagefind's own requests then take (fetch, same origin,
     no credentials: the preload's `crossorigin`). Pagefind asks again for its entry file (a small one, with a
     `?ts=` of its own) in parallel with these. A bundle of Loa holds one language (loa/outputs/search.py). */
  function early() {
    var base = new URL(bundle, document.baseURI).href;
    fetch(base + "pagefind-entry.json?ts=" + Date.now()).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (entry) {
      var languages = (entry && entry.languages) || {};
      var names = Object.keys(languages);
      var index = languages[(document.documentElement.lang || "").toLowerCase()] || languages[names[0]];
      if (names.length !== 1 || !index || !index.hash) return;
      [base + "wasm." + (index.wasm || "unknown") + ".pagefind", base + "pagefind." + index.hash + ".pf_meta"]
        .forEach(function (href) {
          var link = document.createElement("link");
          link.rel = "preload";
          link.as = "fetch";
          link.crossOrigin = "anonymous";
          link.href = href;
          document.head.appendChild(link);
        });
    }).catch(function () { /* Pagefind asks for them itself */ });
  }

  /* Called when the reader opens or focuses the field, before the first key: Pagefind's script, its
     WebAssembly, entry file and metadata download while the query is typed (init), not after it.
     noWorker: Pagefind's web worker is a second script (12 KB gzip) fetched only after the first, one more
     round trip in the chain; an index of a few hundred pages a language searches in milliseconds on the page.
     The figures are in bench/results/2026-11-30-slow3g.md. */
  function load() {
    if (!engine) {
      early();
      /* import() resolves against this script, not the page: make the address absolute first */
      engine = import(new URL(bundle + "pagefind.js", document.baseURI).href).then(function (pagefind) {
        return pagefind.options({ excerptLength: 24, noWorker: true })
          .then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
    }
    return engine;
  }

  /* As the reader types, the index chunks the words need (each spelling's) download before the search
     runs. Only words of 3 letters or more: a chunk holds a range of words, and a shorter prefix would
     fetch a chunk the finished word does not need. Pagefind fetches each chunk once. */
  function preload() {
    var words = input.value.replace(/"/g, " ").trim().split(/\s+/).filter(function (word) {
      return word.length >= 3;
    });
    if (!words.length) return;
    load().then(function (pagefind) {
      spellings(words.join(" ")).forEach(function (query) { pagefind.preload(query); });
    }).catch(function () { /* run() says so when the reader's search fails */ });
  }

  function say(text) { status.textContent = text; }

  function item(result) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = result.url; /* Pagefind bases it on its bundle's folder (/<lang>/pagefind/), wherever hosted */
    a.textContent = (result.meta && result.meta.title) || result.url;
    li.appendChild(a);
    var where = [result.meta && result.meta.kind, result.meta && result.meta.campaign].filter(Boolean).join(" · ");
    if (where) {
      var small = document.createElement("small");
      small.textContent = where;
      li.appendChild(small);
    }
    var p = document.createElement("p");
    p.innerHTML = result.excerpt; /* Pagefind escapes the text and adds <mark> around matches */
    li.appendChild(p);
    return li;
  }

  /* Pagefind folds tone marks ("tre em" finds "trẻ em") but "đ" is a letter of its own. Readers
     often type "d" for it, and in Vietnamese "đ" only ever starts a syllable: so each word that
     starts with "d" is also tried with "đ" (at most 8 spellings, "đ" ones first). */
  function spellings(query) {
    var found = [query];
    query.split(/\s+/).forEach(function (word, index) {
      if (!/^[dD]/.test(word)) return;
      found.slice().forEach(function (q) {
        if (found.length >= 8) return;
        var words = q.split(/\s+/);
        words[index] = (word[0] === "d" ? "đ" : "Đ") + word.slice(1);
        found.unshift(words.join(" "));
      });
    });
    return found;
  }

  /* A page with the exact phrase ranks above pages that only have the words somewhere. */
  function search(pagefind, query) {
    var searches = [];
    var forms = query.indexOf('"') < 0 ? spellings(query) : [query];
    if (/\s/.test(query) && query.indexOf('"') < 0) {
      forms.forEach(function (q) { searches.push(pagefind.search('"' + q + '"')); });
    }
    forms.forEach(function (q) { searches.push(pagefind.search(q)); });
    var phrases = searches.length - forms.length;
    return Promise.all(searches).then(function (found) {
      var best = {};
      found.forEach(function (response, index) {
        var boost = index < phrases ? PHRASE_BOOST : 1;
        (response ? response.results : []).forEach(function (r) {
          var score = r.score * boost;
          if (!best[r.id] || best[r.id].score < score) best[r.id] = { result: r, score: score };
        });
      });
      return Object.keys(best).map(function (id) { return best[id]; })
        .sort(function (a, b) { return b.score - a.score; })
        .map(function (entry) { return entry.result; });
    });
  }

  // "1 page found", "2 pages found": the form of the page language's plural rule (CLDR, as
  // Babel gives the forms: loa/i18n/strings.py plural_forms), else the language's "other" form.
  var rules = null;
  try { rules = new Intl.PluralRules(document.documentElement.lang || undefined); } catch (e) { rules = null; }
  function counted(n) {
    var forms = strings.found || {};
    var text = (rules && forms[rules.select(n)]) || forms.other || "{n}";
    return text.replace("{n}", String(n));
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    /* aria-busy: the list is still filling (screen readers wait; tests read it once it is whole) */
    var done = function () { if (ticket === latest) list.removeAttribute("aria-busy"); };
    if (!query) { list.replaceChildren(); say(""); done(); return; }
    say(strings.loading || "…");
    list.setAttribute("aria-busy", "true");
    load().then(function (pagefind) { return search(pagefind, query); }).then(function (results) {
      if (ticket !== latest) return;
      var top = results.slice(0, 8);
      var data = [];
      var shown = 0;
      if (!top.length) { list.replaceChildren(); say(strings.none || "0"); return; }
      /* Each result's text is a file of its own: on a slow link the last of 8 comes a round trip or two
         after the first. The results are shown in rank order as they come, up to the first still on its
         way (the count is said once, with the first). */
      return Promise.all(top.map(function (r, index) {
        return r.data().then(function (found) {
          data[index] = found;
          if (ticket !== latest) return;
          var ready = shown;
          while (ready < top.length && data[ready]) ready += 1;
          if (ready === shown) return;
          if (!shown) { list.replaceChildren(); say(counted(results.length)); }
          for (; shown < ready; shown += 1) list.appendChild(item(data[shown]));
        });
      }));
    }).then(done, function () { if (ticket === latest) say(strings.error || "!"); done(); });
  }

  /* Narrow screens: the field opens from the header's search button (a link to the search page
     without JavaScript), so that the site's name keeps its room. Escape closes it again. */
  var opener = document.querySelector(".loa-search__open");
  if (opener) {
    opener.setAttribute("role", "button");
    opener.setAttribute("aria-expanded", "false");
    var toggle = function (open) {
      form.classList.toggle("loa-search--open", open);
      opener.setAttribute("aria-expanded", String(open));
      if (open) input.focus(); else opener.focus();
    };
    opener.addEventListener("click", function (event) {
      event.preventDefault();
      toggle(!form.classList.contains("loa-search--open"));
    });
    opener.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); opener.click(); }  /* a button opens with Space too */
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !input.value && form.classList.contains("loa-search--open")) toggle(false);
    });
  }

  input.addEventListener("focus", load, { once: true });
  /* The search runs once the reader pauses: 250 ms, or 800 ms while the last word has 1 or 2 letters.
     Pagefind matches the last word as a prefix, and a search for "d" or "du" fetches every index chunk of
     the words that start so: hundreds of KB on a big site, on a slow link, that the next key makes useless
     (bench/results/2026-11-30-slow3g.md). Enter searches at once. */
  function pause() {
    var words = input.value.trim().split(/\s+/);
    return words[words.length - 1].replace(/"/g, "").length < 3 ? 800 : 250;
  }
  input.addEventListener("input", function () { preload(); clearTimeout(timer); timer = setTimeout(run, pause()); });
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; run(); }
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(); }
})();
