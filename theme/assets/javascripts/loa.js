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
})();
