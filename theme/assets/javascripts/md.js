/* Material's storage helpers (its partials/javascripts/base.html, 9.8.1), from a file: the page's
   Content-Security-Policy allows no inline script. Keys are prefixed with the path of the language's
   root (`data-scope` of this script), as Material does. */
var __md_scope = new URL(document.currentScript.getAttribute("data-scope") || ".", location),
  __md_hash = function (e) { return [].reduce.call(e, function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0); },
  __md_get = function (e, s, t) { s = s || localStorage; t = t || __md_scope; return JSON.parse(s.getItem(t.pathname + "." + e)); },
  __md_set = function (e, v, s, t) {
    s = s || localStorage; t = t || __md_scope;
    try { s.setItem(t.pathname + "." + e, JSON.stringify(v)); } catch (err) { /* storage full or off */ }
  };
