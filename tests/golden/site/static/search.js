// The search page: our own results and filters over Pagefind's search API (pagefind.js).
//
// Why not Pagefind's UI: what it shows comes from content (titles, departments, indicator
// categories as filters), and Pagefind's UIs have set such values as HTML (1.5 puts filter
// values and names into innerHTML). Escaping them at build time would show `&lt;` in any UI
// that sets text. So this script takes only data from Pagefind and never parses any of it as
// HTML: every value goes into the page with textContent, an excerpt's highlights included (see
// excerpt below). It keeps the class names of Pagefind's UI, so themes styled for it still fit.
//
// A result names its page (title), then what the page's search meta says of it (department, year,
// budget: partials/search-meta.html), then the sections the words were found in: Pagefind gives
// each heading that has an id as a sub-result, and this links to it (`page.html#indicators`).
// Opened from file://, a browser will not let it read the index: say so instead of showing a broken box.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var form = document.getElementById("search-form");
  var status = document.getElementById("search-status");
  if (!box || !form) return;
  if (location.protocol === "file:") {
    document.getElementById("search-offline").hidden = false;
    return;
  }
  var input = form.querySelector("input[type=search]");
  var filtersBox = box.querySelector(".search-filters");
  var panel = box.querySelector(".pagefind-ui__filter-panel");
  var list = box.querySelector(".pagefind-ui__results");
  var more = box.querySelector(".pagefind-ui__button");
  var PAGE = 10, SECTIONS = 3;
  // The facets in the order a reader narrows a search; others after them, by name.
  var FACETS = ["年度", "部门", "一级指标", "二级指标", "项目类型", "监控状态", "偏差原因类别", "自评等级"];
  var META = ["department", "year", "budget"];
  var pagefind, chosen = {}, counts = {}, current = 0, shown = [], words = [], timer;
  form.hidden = false;
  status.hidden = false;
  input.value = new URLSearchParams(location.search).get("q") || "";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  // The query's words: a reader's spaces (ASCII or ideographic) separate them.
  function queryWords(term) {
    return term.split(/[\s\u3000]+/).filter(function (w) { return w.length > 0; });
  }

  // Pagefind's excerpt is the page's text with `<`, `>` and `&` escaped and the hits in <mark>.
  // It is split at the marks and unescaped into plain text (a literal `<mark>` in content arrives
  // escaped, so it stays text), remembering where Pagefind's marks were.
  function decode(html) {
    var text = "", marks = [], start = 0;
    String(html || "").split(/(<\/?mark>)/).forEach(function (part) {
      if (part === "<mark>") { start = text.length; return; }
      if (part === "</mark>") { marks.push([start, text.length]); return; }
      text += part.replace(/&(lt|gt|amp|quot|#39|#x27);/g, function (_, name) {
        return { lt: "<", gt: ">", amp: "&", quot: '"', "#39": "'", "#x27": "'" }[name];
      });
    });
    return { text: text, marks: marks };
  }

  function merged(ranges) {
    var out = [];
    ranges.slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else out.push([r[0], r[1]]);
    });
    return out;
  }

  // Where the query's words stand in `text`, as substrings (Chinese has no spaces between words),
  // ignoring case where that keeps every character where it was.
  function wordRanges(text) {
    var lower = text.toLowerCase(), ranges = [];
    var caseless = lower.length === text.length, haystack = caseless ? lower : text;
    words.forEach(function (word) {
      var w = caseless ? word.toLowerCase() : word;
      for (var i = haystack.indexOf(w); w && i !== -1; i = haystack.indexOf(w, i + w.length)) {
        ranges.push([i, i + w.length]);
      }
    });
    return merged(ranges);
  }

  // The excerpt with the query's words highlighted; where none of them is in it as typed (Pagefind
  // found a part or a stem of one), Pagefind's own marks.
  function excerpt(parent, html) {
    var decoded = decode(html);
    var ranges = wordRanges(decoded.text);
    if (!ranges.length) ranges = merged(decoded.marks);
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] > at) parent.appendChild(document.createTextNode(decoded.text.slice(at, r[0])));
      parent.appendChild(element("mark", "", decoded.text.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < decoded.text.length) parent.appendChild(document.createTextNode(decoded.text.slice(at)));
    return parent;
  }

  // Only a path or an http(s) address becomes a link (Pagefind's URLs are the pages' paths).
  function link(className, url, text) {
    var a = element("a", className, text);
    if (/^(\/|https?:\/\/)/.test(url)) a.href = url;
    return a;
  }

  // The sections to show: where a word of the query stands as typed, if it does anywhere (not
  // where Pagefind only found a part of it, 度 of 满意度), those with most hits; at most SECTIONS,
  // in the page's order.
  function sections(data) {
    var subs = (data.sub_results || []).map(function (sub, order) {
      return { sub: sub, order: order, exact: wordRanges(decode(sub.excerpt).text).length > 0,
               hits: (sub.locations || []).length };
    });
    if (subs.some(function (s) { return s.exact; })) subs = subs.filter(function (s) { return s.exact; });
    subs.sort(function (a, b) { return (b.hits - a.hits) || (a.order - b.order); });
    return subs.slice(0, SECTIONS).sort(function (a, b) { return a.order - b.order; })
      .map(function (s) { return s.sub; });
  }

  function result(data) {
    var item = element("li", "pagefind-ui__result");
    var title = element("h2", "pagefind-ui__result-title");
    title.appendChild(link("pagefind-ui__result-link", data.url, (data.meta && data.meta.title) || data.url));
    item.appendChild(title);
    var meta = META.map(function (key) { return data.meta && data.meta[key]; }).filter(Boolean);
    if (meta.length) {
      var facts = element("p", "search-result-meta");
      meta.forEach(function (value, i) {
        if (i) facts.appendChild(document.createTextNode(" · "));
        facts.appendChild(element("span", "search-result-fact", value));
      });
      item.appendChild(facts);
    }
    var subs = sections(data);
    if (!subs.length) item.appendChild(excerpt(element("p", "pagefind-ui__result-excerpt"), data.excerpt));
    if (subs.length) {
      var nested = element("ul", "pagefind-ui__result-nested");
      subs.forEach(function (sub) {
        var li = element("li", "pagefind-ui__result-nested-item");
        // A hit above the page's first section is the page's own: no section to name.
        if (sub.url !== data.url) li.appendChild(link("search-result-section", sub.url, sub.title));
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

  function facetOrder(a, b) {
    var i = FACETS.indexOf(a), j = FACETS.indexOf(b);
    if (i === -1 && j === -1) return a < b ? -1 : a > b ? 1 : 0;
    return i === -1 ? 1 : j === -1 ? -1 : i - j;
  }

  function filters(all) {
    var n = 0;
    // A facet with one value narrows nothing (one year, one department): left out.
    Object.keys(all).filter(function (name) { return Object.keys(all[name]).length > 1; }).sort(facetOrder)
      .forEach(function (name) {
        var block = element("details", "pagefind-ui__filter-block");
        block.appendChild(element("summary", "pagefind-ui__filter-name", name));
        var group = element("fieldset", "pagefind-ui__filter-group");
        group.appendChild(element("legend", "pagefind-ui__filter-group-label", name));
        counts[name] = {};
        Object.keys(all[name]).sort().forEach(function (value) {
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
    filtersBox.hidden = !panel.childNodes.length;
    // Beside the results on a wide screen, open; above them on a phone, closed until asked for.
    filtersBox.open = window.matchMedia("(min-width: 40rem)").matches;
  }

  function run() {
    var id = (current += 1);
    var term = input.value.trim();
    var options = { filters: {} };
    Object.keys(chosen).forEach(function (name) { options.filters[name] = { any: chosen[name] }; });
    history.replaceState(null, "", term ? "?q=" + encodeURIComponent(term) : location.pathname);
    words = queryWords(term);
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
    status.textContent = "";
    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    run();
  }, function () {
    form.hidden = true;
    status.hidden = true;
    document.getElementById("search-offline").hidden = false;
  });
})();
