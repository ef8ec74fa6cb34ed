// Filters the table of all indicators by department and category.
// The page is complete without it: the table and the category links work alone.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("all-indicators");
  if (!form || !table) return;
  var department = document.getElementById("filter-department");
  var category = document.getElementById("filter-category");
  var status = document.getElementById("filter-status");
  var rows = table.querySelectorAll("tr[data-department]");

  function apply() {
    var shown = 0;
    table.querySelectorAll("tbody[data-category]").forEach(function (group) {
      var inCategory = !category.value || group.getAttribute("data-category") === category.value;
      var visible = 0;
      group.querySelectorAll("tr[data-department]").forEach(function (row) {
        var show = inCategory && (!department.value || row.getAttribute("data-department") === department.value);
        row.hidden = !show;
        if (show) visible += 1;
      });
      group.hidden = visible === 0;
      shown += visible;
    });
    status.textContent = status.getAttribute("data-template")
      .replace("{shown}", shown).replace("{total}", rows.length);
  }

  department.addEventListener("change", apply);
  category.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
