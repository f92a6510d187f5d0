/* socsec's only script, deferred and optional: every feature below also works as a plain link.
   - "Larger text": remembered in this browser (localStorage), never in a cookie, so every visitor gets
     the same cached page. Without JavaScript the link's #larger-text target enlarges the page it is on.
   - The guide outcome's "Print" and "Copy link" buttons (without JavaScript: a link to the printing
     advice, and a link to the page's own address). */
(function () {
  "use strict";
  var KEY = "socsec-text-size";
  var root = document.documentElement;

  function remembered() {
    try { return window.localStorage.getItem(KEY); } catch (error) { return null; }
  }
  function remember(size) {
    try { window.localStorage.setItem(KEY, size); } catch (error) { /* private mode: this page only */ }
  }
  function applyTextSize(size) {
    root.classList.toggle("text-large", size === "large");
    root.classList.toggle("text-normal", size !== "large");
  }
  applyTextSize(remembered());

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
    var sizeLink = target.closest("[data-text-size]");
    if (sizeLink) {
      event.preventDefault();
      var size = sizeLink.getAttribute("data-text-size");
      remember(size);
      applyTextSize(size);
      // The clicked link hides itself: put the keyboard on the one that takes its place.
      var other = document.querySelector("[data-text-size='" + (size === "large" ? "normal" : "large") + "']");
      if (other) { other.focus(); }
      return;
    }
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
