/* socsec's only script, deferred and optional: every feature below also works as a plain link.
   (Larger text needs no script: it is part of the address, see inquiry/core/text_size.py.)
   - The guide outcome's "Print" and "Copy link" buttons (without JavaScript: a link to the printing
     advice, and a link to the page's own address). */
(function () {
  "use strict";
  var root = document.documentElement;

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { legacyCopy(text, done); });
    } else {
      legacyCopy(text, done);
    }
  }
  function legacyCopy(text, done) {
    var field = document.getElementById("share-url");
    if (!field) { return; }
    field.focus();
    field.select();
    try { if (document.execCommand("copy")) { done(); } } catch (error) { /* the address stays selected */ }
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    var copyLink = target.closest("[data-copy]");
    if (copyLink) {
      event.preventDefault();
      var status = document.getElementById(copyLink.getAttribute("data-copy"));
      copyText(copyLink.href, function () {
        if (status) { status.textContent = status.getAttribute("data-copied"); }
      });
    }
  });

  // The printed checklist says when it was printed (the cached page cannot know).
  window.addEventListener("beforeprint", function () {
    var date = document.querySelector("[data-print-date]");
    if (date) {
      var now = new Date();
      date.setAttribute("datetime", now.toISOString().slice(0, 10));
      date.textContent = now.toLocaleDateString(root.lang || undefined, { year: "numeric", month: "long", day: "numeric" });
    }
  });
})();
