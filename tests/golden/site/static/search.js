// The search page: our own results and filters over Pagefind's search API (pagefind.js).
//
// Why not Pagefind's UI: what it shows comes from content (titles, departments, indicator
// categories as filters), and Pagefind's UIs have set such values as HTML (1.5 puts filter
// values and names into innerHTML). Escaping them at build time would show `&lt;` in any UI
// that sets text. So this script takes only data from Pagefind and never parses any of it as
// HTML: every value goes into the page with textContent, an excerpt's <mark>s included (see
// excerpt below). It keeps the class names of Pagefind's UI, so themes styled for it still fit.
// Opened from file://, a browser will not let it read the index: say so instead of showing a broken box.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  if (location.protocol === "file:") {
    document.getElementById("search-offline").hidden = false;
    return;
  }
  var input = box.querySelector("input[type=search]");
  var panel = box.querySelector(".pagefind-ui__filter-panel");
  var status = box.querySelector(".search-status");
  var list = box.querySelector(".pagefind-ui__results");
  var more = box.querySelector(".pagefind-ui__button");
  var PAGE = 10;
  var pagefind, chosen = {}, counts = {}, current = 0, shown = [], timer;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  // Pagefind's excerpt is the page's text with `<` and `>` escaped and the hits in <mark>. It is
  // split at the marks and unescaped into text nodes: a literal `<mark>` in content arrives
  // escaped, so it stays text too.
  function excerpt(parent, html) {
    var inMark = false;
    String(html || "").split(/(<\/?mark>)/).forEach(function (part) {
      if (part === "<mark>" || part === "</mark>") { inMark = part === "<mark>"; return; }
      var text = part.replace(/&(lt|gt|amp|quot|#39|#x27);/g, function (_, name) {
        return { lt: "<", gt: ">", amp: "&", quot: '"', "#39": "'", "#x27": "'" }[name];
      });
      if (text) parent.appendChild(inMark ? element("mark", "", text) : document.createTextNode(text));
    });
    return parent;
  }

  // Only a path or an http(s) address becomes a link (Pagefind's URLs are the pages' paths).
  function link(url, text) {
    var a = element("a", "pagefind-ui__result-link", text);
    if (/^(\/|https?:\/\/)/.test(url)) a.href = url;
    return a;
  }

  function result(data) {
    var item = element("li", "pagefind-ui__result");
    var title = element("p", "pagefind-ui__result-title");
    title.appendChild(link(data.url, (data.meta && data.meta.title) || data.url));
    item.appendChild(title);
    item.appendChild(excerpt(element("p", "pagefind-ui__result-excerpt"), data.excerpt));
    var subs = (data.sub_results || []).filter(function (sub) { return sub.url !== data.url; }).slice(0, 3);
    if (subs.length) {
      var nested = element("ul", "pagefind-ui__result-nested");
      subs.forEach(function (sub) {
        var li = element("li", "pagefind-ui__result-nested-item");
        li.appendChild(link(sub.url, sub.title));
        li.appendChild(excerpt(element("p", "pagefind-ui__result-excerpt"), sub.excerpt));
        nested.appendChild(li);
      });
      item.appendChild(nested);
    }
    return item;
  }

  function showMore(search) {
    var next = search.results.slice(shown.length, shown.length + PAGE);
    shown = shown.concat(next);
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (pages) {
      if (search.id !== current) return;
      pages.forEach(function (data) { list.appendChild(result(data)); });
      more.hidden = shown.length >= search.results.length;
    });
  }

  function filters(all) {
    var n = 0;
    Object.keys(all).forEach(function (name) {
      var block = element("details", "pagefind-ui__filter-block");
      block.appendChild(element("summary", "pagefind-ui__filter-name", name));
      var group = element("fieldset", "pagefind-ui__filter-group");
      group.appendChild(element("legend", "pagefind-ui__filter-group-label", name));
      counts[name] = {};
      Object.keys(all[name]).forEach(function (value) {
        var row = element("div", "pagefind-ui__filter-value");
        var check = element("input", "pagefind-ui__filter-checkbox");
        check.type = "checkbox";
        check.id = "search-filter-" + (n += 1);
        check.addEventListener("change", function () {
          var values = (chosen[name] = chosen[name] || []);
          if (check.checked) values.push(value); else values.splice(values.indexOf(value), 1);
          if (!values.length) delete chosen[name];
          run();
        });
        var label = element("label", "pagefind-ui__filter-label", value + " ");
        label.htmlFor = check.id;
        counts[name][value] = label.appendChild(element("span", "pagefind-ui__filter-count", "(" + all[name][value] + ")"));
        row.appendChild(check);
        row.appendChild(label);
        group.appendChild(row);
      });
      block.appendChild(group);
      panel.appendChild(block);
    });
  }

  function run() {
    var id = (current += 1);
    var term = input.value.trim();
    var options = { filters: {} };
    Object.keys(chosen).forEach(function (name) { options.filters[name] = { any: chosen[name] }; });
    history.replaceState(null, "", term ? "?q=" + encodeURIComponent(term) : location.pathname);
    list.textContent = "";
    more.hidden = true;
    shown = [];
    if (!term && !Object.keys(chosen).length) { status.textContent = ""; return; }
    pagefind.search(term || null, options).then(function (search) {
      if (id !== current || !search) return;
      search.id = id;
      status.textContent = search.results.length
        ? box.getAttribute("data-found").split("{count}").join(String(search.results.length))
        : box.getAttribute("data-none");
      Object.keys(counts).forEach(function (name) {
        Object.keys(counts[name]).forEach(function (value) {
          var count = (search.filters && search.filters[name] && search.filters[name][value]) || 0;
          counts[name][value].textContent = "(" + count + ")";
        });
      });
      more.onclick = function () { showMore(search); };
      return showMore(search);
    });
  }

  // A large site's index is built in parts (builder/search.py); the first one lists the others,
  // and Pagefind merges them into one list of results.
  var index = new URL(box.getAttribute("data-index"), location.href).href;
  var bundle = index.replace(/[^\/]*$/, "");
  Promise.all([
    import(index),
    fetch(bundle + "gongkai-parts.json")
      .then(function (response) { return response.ok ? response.json() : { merge: [] }; })
      .catch(function () { return { merge: [] }; })
  ]).then(function (loaded) {
    pagefind = loaded[0];
    return pagefind.options({ bundlePath: bundle }).then(function () {
      return Promise.all((loaded[1].merge || []).map(function (part) {
        return pagefind.mergeIndex(new URL(part, bundle).href);
      }));
    });
  }).then(function () {
    return pagefind.filters();
  }).then(function (all) {
    filters(all || {});
    box.hidden = false;
    input.value = new URLSearchParams(location.search).get("q") || "";
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { clearTimeout(timer); run(); }
    });
    run();
  }, function () {
    document.getElementById("search-offline").hidden = false;
  });
})();
