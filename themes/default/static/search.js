// The search page: Pagefind's UI over the index built with the site.
// Opened from file://, a browser will not let it read the index: say so instead of showing a broken box.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var script = document.querySelector('script[src$="pagefind-ui.js"]');
  if (location.protocol === "file:" || typeof PagefindUI === "undefined" || !script) {
    document.getElementById("search-offline").hidden = false;
    return;
  }
  // A large site's index is built in parts (builder/search.py); the first one lists the others,
  // and Pagefind merges them into one list of results.
  var bundle = script.src.replace(/[^\/]*$/, "");
  fetch(bundle + "gongkai-parts.json")
    .then(function (response) { return response.ok ? response.json() : { merge: [] }; })
    .catch(function () { return { merge: [] }; })
    .then(function (parts) {
      var ui = new PagefindUI({
        element: "#search", showSubResults: true, showImages: false, resetStyles: false,
        mergeIndex: (parts.merge || []).map(function (part) { return { bundlePath: new URL(part, bundle).href }; })
      });
      var query = new URLSearchParams(location.search).get("q");
      if (query) ui.triggerSearch(query);
    });
})();
