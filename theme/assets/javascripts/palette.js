/* The colour scheme before the page paints (theme/partials/javascripts/palette.html loads this file in the
   header, right after the palette's inputs): the stored choice, else the option matching the reader's system
   setting. Material did this inline and in its bundle; Loa loads neither (no inline script: the CSP). */
(function () {
  var options = document.querySelectorAll("input[name=__palette]");
  if (!options.length) return;
  var stored = null;
  try { stored = __md_get("__palette"); } catch (e) { /* storage off */ }
  var chosen = stored && options[stored.index];
  if (!chosen) {
    for (var i = 0; i < options.length && !chosen; i++) {
      var media = options[i].getAttribute("data-md-color-media");
      if (media && matchMedia(media).matches) chosen = options[i];
    }
  }
  chosen = chosen || options[0];
  chosen.checked = true;
  ["scheme", "primary", "accent"].forEach(function (key) {
    document.body.setAttribute("data-md-color-" + key, chosen.getAttribute("data-md-color-" + key));
  });
})();
