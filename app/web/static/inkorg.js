// The inbox without reloading: every few seconds, fetch the first page's rows and swap them
// in when they changed.  The page works the same without this script (reload shows the same).
(function () {
  "use strict";
  var table = document.getElementById("inkorg");
  if (!table || !table.dataset.poll || !window.fetch) {
    return;
  }
  var status = document.getElementById("inkorg-status");
  var interval = 5000;

  function refresh() {
    var body = table.tBodies[0];
    // Never pull rows from under someone who is on one of them with the keyboard.
    if (body.contains(document.activeElement)) {
      return;
    }
    fetch(table.dataset.poll, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          return null;
        }
        var version = response.headers.get("x-inkorg-version");
        return response.text().then(function (html) {
          return { version: version, html: html };
        });
      })
      .then(function (result) {
        if (!result || !result.version || result.version === table.dataset.version) {
          return;
        }
        body.innerHTML = result.html;
        table.dataset.version = result.version;
        if (status) {
          status.textContent = "Inkorgen uppdaterades " + new Date().toLocaleTimeString("sv-SE") + ".";
        }
      })
      .catch(function () {});
  }

  window.setInterval(refresh, interval);
})();
