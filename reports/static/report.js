// Sorting and filtering for the self-contained report: DOM only, no network, no innerHTML.
(function () {
  "use strict";
  function cellValue(row, index, kind) {
    var cell = row.cells[index];
    var text = cell ? (cell.getAttribute("data-value") || cell.textContent || "") : "";
    if (kind === "num") { var n = parseFloat(text); return isNaN(n) ? -Infinity : n; }
    return text.trim().toLowerCase();
  }
  function sortTable(th) {
    var table = th.closest("table");
    var body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var kind = th.getAttribute("data-sort");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function applyFilters() {
    var shown = {};
    document.querySelectorAll("#filters input[data-check]").forEach(function (box) {
      shown[box.getAttribute("data-check")] = box.checked;
    });
    document.querySelectorAll("[data-finding-check]").forEach(function (el) {
      el.classList.toggle("hidden", shown[el.getAttribute("data-finding-check")] === false);
    });
    var onlyFlagged = document.getElementById("only-flagged");
    document.querySelectorAll("tr[data-checks]").forEach(function (row) {
      var checks = row.getAttribute("data-checks").split(" ").filter(Boolean);
      var visible = checks.some(function (c) { return shown[c] !== false; });
      row.classList.toggle("hidden", onlyFlagged && onlyFlagged.checked && !visible);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("th[data-sort]").forEach(function (th) {
      th.addEventListener("click", function () { sortTable(th); });
    });
    document.querySelectorAll("#filters input").forEach(function (box) {
      box.addEventListener("change", applyFilters);
    });
    applyFilters();
  });
})();
