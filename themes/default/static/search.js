// The search page: Pagefind's UI over the index built with the site.
// Opened from file://, a browser will not let it read the index: say so instead of showing a broken box.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  if (location.protocol === "file:" || typeof PagefindUI === "undefined") {
    document.getElementById("search-offline").hidden = false;
    return;
  }
  var ui = new PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
  var query = new URLSearchParams(location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
