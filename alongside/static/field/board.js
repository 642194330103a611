// The live board refreshes itself: every minute it fetches the same address with
// `fragment=1` and swaps the list. Nothing happens while the tab is hidden, and a failed fetch
// (no network in the field, a session that ended) leaves the last list in place.
(function () {
  "use strict";
  var list = document.getElementById("board-list");
  if (!list || !window.fetch) { return; }
  var seconds = parseInt(list.getAttribute("data-board-refresh"), 10) || 60;

  function refresh() {
    if (document.hidden) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set("fragment", "1");
    fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok || response.headers.get("X-Board-Fragment") !== "1") { return null; }
        return response.text();
      })
      .then(function (html) {
        if (html === null || html === undefined) { return; }
        // Do not pull a form away from someone typing in it.
        if (list.contains(document.activeElement) && document.activeElement.tagName !== "BODY" &&
            document.activeElement.tagName !== "A" && document.activeElement.tagName !== "BUTTON") {
          return;
        }
        list.innerHTML = html;
      })
      .catch(function () { /* offline: try again at the next tick */ });
  }

  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { refresh(); }
  });
})();
