// The corpus index: sort the table of documents by any column.
// The table is complete without this script; it only adds buttons to the
// column headings.  Each cell carries its sort key in data-sort (numbers as
// numbers, "" for none, which always sorts last).
(function () {
  "use strict";
  const table = document.getElementById("documents");
  if (!table || !table.tBodies.length) return;
  const body = table.tBodies[0];
  const headers = Array.from(table.tHead.rows[0].cells);
  const original = Array.from(body.rows);
  original.forEach((row, i) => { row.dataset.order = String(i); });

  function key(row, column, numeric) {
    const raw = row.cells[column].dataset.sort;
    if (raw === undefined || raw === "") return null;
    return numeric ? Number(raw) : raw;
  }

  function sortBy(column) {
    const th = headers[column];
    const numeric = th.dataset.type === "number";
    const current = th.getAttribute("aria-sort");
    const first = numeric ? "descending" : "ascending";
    const order = current ? (current === "ascending" ? "descending" : "ascending") : first;
    const sign = order === "ascending" ? 1 : -1;
    headers.forEach((h) => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", order);
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    const rows = Array.from(body.rows).map((row) => [key(row, column, numeric), Number(row.dataset.order), row]);
    rows.sort((a, b) => {
      if (a[0] === null || b[0] === null) {
        if (a[0] === b[0]) return a[1] - b[1];
        return a[0] === null ? 1 : -1;
      }
      const c = numeric ? a[0] - b[0] : collator.compare(a[0], b[0]);
      return c !== 0 ? sign * c : a[1] - b[1];
    });
    const fragment = document.createDocumentFragment();
    rows.forEach((r) => fragment.appendChild(r[2]));
    body.appendChild(fragment);
  }

  headers.forEach((th, column) => {
    const button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener("click", () => sortBy(column));
  });
  const hint = document.getElementById("sort-hint");
  if (hint) hint.hidden = false;
  document.documentElement.dataset.ready = "1";
})();
