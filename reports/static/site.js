// The site index's filters: text, check and severity over the documents table. DOM only, no network.
(function () {
  "use strict";
  var RANK = {error: 0, warning: 1, info: 2};
  function matches(row, text, check, severity) {
    if (text && row.getAttribute("data-search").indexOf(text) < 0) { return false; }
    if (!check && !severity) { return true; }
    return row.getAttribute("data-findings").split(" ").filter(Boolean).some(function (pair) {
      var cut = pair.lastIndexOf(":");
      var c = pair.slice(0, cut), s = pair.slice(cut + 1);
      return (!check || c === check) && (!severity || RANK[s] <= RANK[severity]);
    });
  }
  function applySiteFilters() {
    var text = document.getElementById("filter-text").value.trim().toLowerCase();
    var check = document.getElementById("filter-check").value;
    var severity = document.getElementById("filter-severity").value;
    var rows = document.querySelectorAll("#documents-table tbody tr");
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row, text, check, severity);
      row.classList.toggle("hidden", !visible);
      if (visible) { shown += 1; }
    });
    document.getElementById("filter-count").textContent = shown + " of " + rows.length + " documents";
  }
  function anyFilter() {
    return ["filter-text", "filter-check", "filter-severity"].some(function (id) {
      return document.getElementById(id).value.trim() !== "";
    });
  }
  function selectCheck(check) {
    var select = document.getElementById("filter-check");
    if (Array.prototype.some.call(select.options, function (o) { return o.value === check; })) {
      select.value = check;
    }
    applySiteFilters();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("site-filters");
    if (!form) { return; }
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", applySiteFilters);
    form.addEventListener("change", applySiteFilters);
    document.querySelectorAll("a[data-filter-check]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        selectCheck(link.getAttribute("data-filter-check"));
        document.getElementById("documents").scrollIntoView();
      });
    });
    var wanted = new URLSearchParams(window.location.search).get("check");
    // A reload may restore the form's values; with none set, the full table is already shown.
    if (wanted) { selectCheck(wanted); } else if (anyFilter()) { applySiteFilters(); }
  });
})();
