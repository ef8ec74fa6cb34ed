// Filters the table of all indicators by department, category and, where the site has monitoring
// or self-evaluation, status (each row's data-status lists its statuses, e.g. "missed off-track").
// The page is complete without it: the table and the category links work alone.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("all-indicators");
  if (!form || !table) return;
  var department = document.getElementById("filter-department");
  var category = document.getElementById("filter-category");
  var stage = document.getElementById("filter-stage");  // absent on a site without later stages
  var status = document.getElementById("filter-status");
  var rows = table.querySelectorAll("tr[data-department]");

  function apply() {
    var shown = 0;
    table.querySelectorAll("tbody[data-category]").forEach(function (group) {
      var inCategory = !category.value || group.getAttribute("data-category") === category.value;
      var visible = 0;
      group.querySelectorAll("tr[data-department]").forEach(function (row) {
        var show = inCategory && (!department.value || row.getAttribute("data-department") === department.value) &&
          (!stage || !stage.value || (row.getAttribute("data-status") || "").split(" ").indexOf(stage.value) >= 0);
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
  if (stage) stage.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
