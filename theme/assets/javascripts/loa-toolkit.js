// The copy and share buttons of a campaign's toolkit page (loa/plan/toolkit.py). The buttons are
// `hidden` in the HTML and shown here only where they work: copy everywhere (the Clipboard API, else
// the post's text is selected for the reader to copy), share where the browser has the Web Share API.
// No third-party script: the text goes to the reader's own clipboard or share sheet.
(function () {
  "use strict";

  function say(button, message) {
    var status = button.parentNode.querySelector(".loa-post__status");
    if (status) {
      status.textContent = "";
      status.textContent = message;
    }
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button, element) {
    var status = button.parentNode.querySelector(".loa-post__status");
    var done = function () { say(button, status ? status.getAttribute("data-loa-copied") : ""); };
    var fallback = function () {
      selectText(element);
      try {
        if (document.execCommand("copy")) { done(); }
      } catch (error) { /* the text stays selected: the reader copies it */ }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(element.innerText).then(done, fallback);
    } else {
      fallback();
    }
  }

  function init() {
    document.querySelectorAll("[data-loa-copy]").forEach(function (button) {
      var element = document.getElementById(button.getAttribute("data-loa-copy"));
      if (!element) { return; }
      button.hidden = false;
      button.addEventListener("click", function () { copy(button, element); });
    });
    if (typeof navigator.share !== "function") { return; }
    document.querySelectorAll("[data-loa-share]").forEach(function (button) {
      var element = document.getElementById(button.getAttribute("data-loa-share"));
      if (!element) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({ text: element.innerText }).catch(function () { /* closed by the reader */ });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
