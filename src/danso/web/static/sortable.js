/* danso: sorting a table (table[data-sortable]) by a click on a column header, in the page, without asking the
   server again. Without JavaScript the header links ask the server for the sorted page (?sort=…&dir=…), which
   sorts the same way: each cell's data-v holds its value (a number, or text already folded), empty values go
   last whichever the direction, ties stay in the order of the codes (column data-key=code). Plain ES5 for old
   browsers. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function compare(a, b, numeric) {
    if (numeric) { return parseFloat(a) - parseFloat(b); }
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  function sortBy(table, th, dir) {
    var headers = table.tHead.rows[0].cells;
    var col = Array.prototype.indexOf.call(headers, th);
    var numeric = th.classList.contains("num");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var sign = dir === "desc" ? -1 : 1;
    var byCode = Math.max(0, Array.prototype.indexOf.call(headers, table.tHead.querySelector("th[data-key=code]")));
    rows.sort(function (r1, r2) {
      var a = r1.cells[col].getAttribute("data-v"), b = r2.cells[col].getAttribute("data-v");
      if (a === "" || b === "") {
        if (a !== b) { return a === "" ? 1 : -1; }
      } else {
        var c = compare(a, b, numeric);
        if (c !== 0) { return sign * c; }
      }
      return compare(r1.cells[byCode].getAttribute("data-v"), r2.cells[byCode].getAttribute("data-v"), false);
    });
    each(rows, function (r) { body.appendChild(r); });
    each(headers, function (h) {
      var link = h.querySelector("a");
      var next = h === th ? (dir === "desc" ? "asc" : "desc") : h.getAttribute("data-first");
      if (h === th) {
        h.setAttribute("aria-sort", dir === "desc" ? "descending" : "ascending");
      } else {
        h.removeAttribute("aria-sort");
      }
      if (link) { link.setAttribute("href", withSort(link.getAttribute("href"), h.getAttribute("data-key"), next)); }
    });
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", withSort(window.location.search || "?", th.getAttribute("data-key"), dir));
    }
  }

  function withSort(query, key, dir) {
    var params = new URLSearchParams(query.replace(/^[^?]*\?/, ""));
    params.set("sort", key);
    params.set("dir", dir);
    return "?" + params.toString();
  }

  each(document.querySelectorAll("table[data-sortable]"), function (table) {
    each(table.tHead.rows[0].cells, function (th) {
      var link = th.querySelector("a");
      if (!link) { return; }
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var current = th.getAttribute("aria-sort");
        var dir = current ? (current === "descending" ? "asc" : "desc") : th.getAttribute("data-first");
        sortBy(table, th, dir);
      });
    });
  });
}());
