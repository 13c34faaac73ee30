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

  function load() {
    if (!engine) {
      /* import() resolves against this script, not the page: make the address absolute first */
      engine = import(new URL(bundle + "pagefind.js", document.baseURI).href).then(function (pagefind) {
        return pagefind.options({ excerptLength: 24 }).then(function () { return pagefind; });
      });
    }
    return engine;
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
    if (!query) { list.replaceChildren(); say(""); return; }
    say(strings.loading || "…");
    load().then(function (pagefind) { return search(pagefind, query); }).then(function (results) {
      if (ticket !== latest) return;
      return Promise.all(results.slice(0, 8).map(function (r) { return r.data(); })).then(function (data) {
        if (ticket !== latest) return;
        list.replaceChildren.apply(list, data.map(item));
        say(results.length ? counted(results.length) : (strings.none || "0"));
      });
    }).catch(function () { if (ticket === latest) say(strings.error || "!"); });
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
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; run(); }
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(); }
})();
