// The site index's filters: text, check and severity over the documents table. DOM only, no network.
// ?q=…&check=…&severity=… in the URL set them; the pager's links carry them to the other index pages.
(function () {
  "use strict";
  var RANK = {error: 0, warning: 1, info: 2};
  var FIELDS = {q: "filter-text", check: "filter-check", severity: "filter-severity"};
  function matches(row, text, check, severity) {
    if (text && row.getAttribute("data-search").indexOf(text) < 0) { return false; }
    if (!check && !severity) { return true; }
    return row.getAttribute("data-findings").split(" ").filter(Boolean).some(function (pair) {
      var cut = pair.lastIndexOf(":");
      var c = pair.slice(0, cut), s = pair.slice(cut + 1);
      return (!check || c === check) && (!severity || RANK[s] <= RANK[severity]);
    });
  }
  function value(name) { return document.getElementById(FIELDS[name]).value.trim(); }
  function carryToPager() {
    var params = new URLSearchParams();
    Object.keys(FIELDS).forEach(function (name) { if (value(name)) { params.set(name, value(name)); } });
    var query = params.toString();
    document.querySelectorAll("a[data-page]").forEach(function (link) {
      link.setAttribute("href", link.getAttribute("data-page") + (query ? "?" + query : "") + "#documents");
    });
  }
  function applySiteFilters() {
    var text = value("q").toLowerCase(), check = value("check"), severity = value("severity");
    var rows = document.querySelectorAll("#documents-table tbody tr");
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row, text, check, severity);
      row.classList.toggle("hidden", !visible);
      if (visible) { shown += 1; }
    });
    var count = document.getElementById("filter-count");
    count.textContent = shown + " of " + rows.length + " documents" + (count.getAttribute("data-scope") || "");
    carryToPager();
  }
  function setField(name, wanted) {
    var field = document.getElementById(FIELDS[name]);
    if (field.tagName === "SELECT" &&
        !Array.prototype.some.call(field.options, function (o) { return o.value === wanted; })) {
      return false;
    }
    field.value = wanted;
    return true;
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
        setField("check", link.getAttribute("data-filter-check"));
        applySiteFilters();
        document.getElementById("documents").scrollIntoView();
      });
    });
    var params = new URLSearchParams(window.location.search);
    var given = Object.keys(FIELDS).filter(function (name) {
      return params.get(name) && setField(name, params.get(name));
    });
    // A reload may restore the form's values; with none set, the full table is already shown.
    if (given.length || Object.keys(FIELDS).some(value)) { applySiteFilters(); }
  });
})();
