/* Names what Django's own admin widgets leave unnamed (axe: aria-prohibited-attr). The multi-select of
   filter_horizontal (SelectFilter2.js, run on the window's load) puts aria-label on a plain <span>, the
   magnifier icon inside each filter box's label; as an image it may carry that name. */
(function () {
  "use strict";
  function nameIcons() {
    var icons = document.querySelectorAll(".selector span.help-tooltip[aria-label]:not([role])");
    Array.prototype.forEach.call(icons, function (icon) { icon.setAttribute("role", "img"); });
  }
  // After SelectFilter2's own load handler, which was registered first (its script is not deferred).
  window.addEventListener("load", function () { window.setTimeout(nameIcons, 0); });
})();
