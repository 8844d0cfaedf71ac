// Progressive enhancement only: sort buttons in the matrix's column headings and a filter box.
// Without JavaScript the page shows every report, in the order given.
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  if (!table || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function value(row, index, kind) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-value");
    if (raw === null) { raw = cell.textContent.trim(); }
    return kind === "number" ? parseFloat(raw) : raw.toLowerCase();
  }
  Array.prototype.forEach.call(heads, function (th, index) {
    var kind = th.getAttribute("data-sort");
    if (!kind) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = value(a, index, kind), y = value(b, index, kind);
        return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var filters = document.getElementById("filters");
  var text = document.getElementById("filter-text");
  var state = document.getElementById("filter-state");
  function apply() {
    var words = text.value.trim().toLowerCase();
    var wanted = state.value;
    Array.prototype.forEach.call(body.rows, function (r) {
      var show = (!wanted || r.getAttribute("data-state") === wanted) &&
        (!words || r.textContent.toLowerCase().indexOf(words) >= 0);
      r.hidden = !show;
    });
    Array.prototype.forEach.call(document.querySelectorAll("section.report-findings"), function (s) {
      var show = (!wanted || s.getAttribute("data-state") === wanted) &&
        (!words || s.textContent.toLowerCase().indexOf(words) >= 0);
      s.hidden = !show;
    });
  }
  text.addEventListener("input", apply);
  state.addEventListener("change", apply);
  filters.hidden = false;
}());
