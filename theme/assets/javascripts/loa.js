/* Loa's few page behaviours (Material's 35 KB bundle is not loaded). */
(function () {
  "use strict";
  /* Remember the language the reader last read in, for the root language chooser. */
  try { localStorage.setItem("loa.lang", document.documentElement.lang); } catch (e) { /* storage off */ }

  /* Light and dark palette: show the toggle of the current scheme, switch and remember on click. */
  var options = document.querySelectorAll("input[name=__palette]");
  function show(remember) {
    options.forEach(function (input, index) {
      var label = input.nextElementSibling;
      if (label && label.tagName === "LABEL") label.hidden = !input.checked;
      if (input.checked) {
        ["scheme", "primary", "accent"].forEach(function (key) {
          document.body.setAttribute("data-md-color-" + key, input.getAttribute("data-md-color-" + key));
        });
        if (remember) try {
          __md_set("__palette", { index: index, color: {
            media: input.getAttribute("data-md-color-media"),
            scheme: input.getAttribute("data-md-color-scheme"),
            primary: input.getAttribute("data-md-color-primary"),
            accent: input.getAttribute("data-md-color-accent") } });
        } catch (e) { /* storage off */ }
      }
    });
  }
  options.forEach(function (input) {
    input.addEventListener("change", function () { show(true); });
  });
  if (options.length) show(false);

  /* The size of a material's PDF beside its link ("In / tải PDF, A4, 84 KB"), and of the offline copy's ZIP: the
     pages are made before their PDFs (loa/outputs/print/) and the ZIP (loa/outputs/offline/), so the page asks
     the server for it (HEAD, no download). */
  function label(bytes) {
    if (bytes < 1048576) return Math.max(1, Math.round(bytes / 1024)) + " KB";
    var mb = Math.round(bytes / 104857.6) / 10; /* a ZIP of the whole site: "2,6 MB", as the language writes it */
    try { return mb.toLocaleString(document.documentElement.lang || undefined) + " MB"; } catch (e) { return mb + " MB"; }
  }
  document.querySelectorAll("a[data-loa-pdf], a[data-loa-size]").forEach(function (link) {
    var size = link.parentNode.querySelector(".loa-print-link__size, .loa-offline__size");
    if (!size || !window.fetch || location.protocol === "file:") return; /* the offline copy: no server to ask */
    fetch(link.href, { method: "HEAD" }).then(function (response) {
      var bytes = Number(response.headers.get("Content-Length"));
      if (response.ok && bytes > 0) size.textContent = ", " + label(bytes);
    }).catch(function () { /* offline or from a file: the link says format and paper size only */ });
  });
})();
