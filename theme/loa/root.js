/* The root chooser (theme/loa/root.html): go to the remembered language, else the first of the browser's
   languages that the site has, else the default one. The codes are attributes of <html>. */
(function () {
  var root = document.documentElement;
  var codes = (root.getAttribute("data-loa-codes") || "").split(" "), pick = null;
  try { var saved = localStorage.getItem("loa.lang"); if (codes.indexOf(saved) >= 0) pick = saved; } catch (e) {}
  if (!pick) {
    var wanted = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < wanted.length && !pick; i++) {
      var tag = String(wanted[i]).toLowerCase().split("-")[0];
      if (codes.indexOf(tag) >= 0) pick = tag;
    }
  }
  location.replace((pick || root.getAttribute("data-loa-default")) + "/");
})();
