// 导出文件: polls each unfinished export's status and moves its progress bar; when one
// finishes (or fails) the page reloads to offer the download link or the 重试 button.
// Without this script the page refreshes itself (a <noscript> meta refresh).
(function () {
  "use strict";
  var INTERVAL = 1000;
  var PENDING = { queued: true, running: true };

  function poll(row) {
    fetch(row.getAttribute("data-status-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (state) {
        var bar = row.querySelector("progress");
        if (bar && state.total) {
          bar.max = state.total;
          bar.value = state.done;
        }
        var count = row.querySelector(".export-count");
        if (count) count.textContent = state.done + "/" + state.total;
        var label = row.querySelector(".export-status");
        if (label) label.textContent = state.status_label;
        if (PENDING[state.status]) {
          window.setTimeout(function () { poll(row); }, INTERVAL);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(function () { poll(row); }, INTERVAL * 5);
      });
  }

  document.querySelectorAll("tr.export").forEach(function (row) {
    if (PENDING[row.getAttribute("data-status")]) poll(row);
  });
})();
