/* Markdown preview under each Markdown field, without leaving the form.
   Progressive enhancement: without JavaScript the form's "Preview" button opens the same preview
   in a new tab. The HTML shown comes from the server, rendered and sanitised exactly as on save. */
(function () {
  "use strict";

  function previewUrl(form) {
    var button = form.querySelector("[data-markdown-preview-url]");
    return button ? button.getAttribute("data-markdown-preview-url") : null;
  }

  function showPreview(form, textarea, box) {
    var url = previewUrl(form);
    if (!url) { return; }
    var data = new FormData(form);
    box.textContent = "…";
    fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (payload) {
        var match = (payload.previews || []).filter(function (item) { return item.name === textarea.name; })[0];
        // Rendered and sanitised by the server's allow-list (nh3), as it would be on save.
        box.innerHTML = match ? match.html : "";
      })
      .catch(function () { box.textContent = box.getAttribute("data-error"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var areas = document.querySelectorAll("textarea[data-markdown-preview]");
    Array.prototype.forEach.call(areas, function (textarea) {
      var form = textarea.form;
      if (!form || !previewUrl(form)) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button markdown-preview-toggle";
      button.textContent = document.documentElement.lang.indexOf("zh") === 0 ? "预览" : "Preview";
      var box = document.createElement("div");
      box.className = "markdown-preview markdown-preview-inline";
      box.setAttribute("aria-live", "polite");
      box.setAttribute("data-error", document.documentElement.lang.indexOf("zh") === 0 ? "无法显示预览。" : "The preview could not be shown.");
      box.hidden = true;
      button.addEventListener("click", function () {
        box.hidden = false;
        showPreview(form, textarea, box);
      });
      textarea.insertAdjacentElement("afterend", box);
      textarea.insertAdjacentElement("afterend", button);
    });
  });
})();
