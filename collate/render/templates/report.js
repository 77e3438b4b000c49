/* collate report: draws the synoptic view and the apparatus, a page at a time,
   from the JSON block #collation-data.  Witness text is only ever set with
   textContent or as attribute values, never parsed as markup.

   The data block (written by collate/render/report.py, typed there as PageData):
   { sigla: [siglum, ...],                 witnesses in column order
     fragments: [bool, ...],               per witness: is it a fragment
     classes: [[value, abbr, description]] the variant classes, weightiest first
     rows: [{ f: first column, l: last column, p: 1 if a paragraph ends here,
              c: per witness, its segments: agreed text as a string, or
                 [location id | null, mark, text, whitespace, diff?, note?]
                 mark: a class value, "base" or "agree"; diff: [[text, op]]
                 with op "equal" | "changed" | "missing" }],
     locs: [{ id, row, f, l, base: siglum of the lemma,
              lemma: reading, rd: [reading], cls: [class value] }] }
   reading = { t: text, s: [siglum], c: class | null, a: abbreviation,
               sim?: similarity 0..1, d?: diff } */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("collation-data").textContent);
  var root = document.getElementById("report");
  var body = document.getElementById("synopsis-body");
  var appList = document.getElementById("apparatus-list");
  var appRange = document.getElementById("apparatus-range");
  var sigla = data.sigla;
  var rows = data.rows;
  var locs = data.locs;
  var abbr = {};
  var desc = {};
  data.classes.forEach(function (c) { abbr[c[0]] = c[1]; desc[c[0]] = c[2]; });
  var state = { page: 0, size: 40, hiddenWit: {}, hiddenClass: {}, all: false };
  var locsByRow = [];
  locs.forEach(function (loc) {
    (locsByRow[loc.row] = locsByRow[loc.row] || []).push(loc);
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function pageCount() {
    return state.size > 0 ? Math.max(1, Math.ceil(rows.length / state.size)) : 1;
  }

  function pageRange() {
    if (state.all || state.size === 0) { return [0, rows.length]; }
    var first = state.page * state.size;
    return [first, Math.min(rows.length, first + state.size)];
  }

  function appendDiff(span, parts) {
    parts.forEach(function (p) {
      if (p[1] === "equal") {
        span.appendChild(document.createTextNode(p[0]));
      } else if (p[1] === "changed") {
        var m = el("mark", "ch", p[0]);
        m.title = "differs from the base here";
        span.appendChild(m);
      } else {
        var miss = el("span", "ch-miss");
        miss.setAttribute("data-miss", p[0]);
        miss.title = "the base has \u201c" + p[0] + "\u201d here";
        span.appendChild(miss);
      }
    });
  }

  function segment(td, seg) {
    if (typeof seg === "string") {
      td.appendChild(document.createTextNode(seg));
      return;
    }
    var loc = seg[0], cls = seg[1], text = seg[2], ws = seg[3], diff = seg[4], note = seg[5];
    if (cls === "lacuna") {
      var lac = el("span", "lacuna v-lacuna rd", "text lost");
      lac.title = "lacuna: this witness is a fragment and its text is lost here";
      if (loc !== null) { lac.setAttribute("data-loc", loc); }
      td.appendChild(lac);
      td.appendChild(document.createTextNode(" "));
      return;
    }
    if (!text && (cls === "base" || cls === "agree")) { return; }  // nothing to show or to light up
    var span = el("span", "rd v-" + cls);
    if (loc !== null) { span.setAttribute("data-loc", loc); }
    if (cls !== "base" && cls !== "agree") {
      span.tabIndex = 0;  // keyboard users light up the counterparts by focusing a reading
      span.setAttribute("data-abbr", abbr[cls] || cls);
      span.title = cls + ": " + (desc[cls] || "") + (note ? " (" + note + ")" : "");
    } else {
      span.title = cls === "base" ? "base reading at a variant location" : "agrees with the base";
    }
    if (diff && diff.length) {
      appendDiff(span, diff);
    } else {
      span.textContent = text;
    }
    if (!text && cls !== "omission" && cls !== "base" && cls !== "agree") { span.className += " gap"; }
    td.appendChild(span);
    if (ws) { td.appendChild(document.createTextNode(ws)); }
  }

  function renderRow(r) {
    var row = rows[r];
    var tr = el("tr");
    tr.id = "row-" + r;
    tr.setAttribute("data-row", r);
    if (row.p) { tr.className = "para"; }
    var ref = el("td", "ref");
    var a = el("a", null, String(r + 1));
    a.href = "#row-" + r;
    a.title = "columns " + row.f + "\u2013" + row.l;
    ref.appendChild(a);
    tr.appendChild(ref);
    row.c.forEach(function (cell, w) {
      var td = el("td", "wit");
      td.setAttribute("data-w", w);
      if (cell.length === 1 && typeof cell[0] !== "string" && cell[0][1] === "lacuna") {
        td.className = "wit lost";
      }
      cell.forEach(function (seg) { segment(td, seg); });
      if (state.hiddenWit[w]) { td.hidden = true; }
      tr.appendChild(td);
    });
    return tr;
  }

  function readingNode(rd, isLemma) {
    var frag = document.createDocumentFragment();
    var span;
    if (!isLemma && rd.c === "omission") {
      span = el("span", "rd v-omission");
      span.title = "omission: the witness lacks the lemma";
    } else if (!isLemma && rd.c === "lacuna") {
      span = el("span", "lacuna v-lacuna rd", "lac.");
    } else {
      span = el("span", isLemma ? "lemma" : "rd v-" + rd.c);
      if (rd.d) { appendDiff(span, rd.d); } else { span.textContent = rd.t; }
      if (!rd.t) {
        span.className += " empty";
        span.textContent = isLemma ? "\u2014" : "om.";
        span.title = isLemma ? "the base has nothing here" : "the witness lacks the lemma";
      }
    }
    frag.appendChild(span);
    var shown = rd.s.filter(function (s) { return !state.hiddenWit[sigla.indexOf(s)]; });
    frag.appendChild(el("span", "sig", shown.join(" ")));
    if (!isLemma && rd.c !== "omission" && rd.c !== "lacuna") {
      var ab = el("span", "abbr", rd.a);
      ab.title = rd.c;
      frag.appendChild(ab);
    }
    if (rd.sim !== undefined) {
      frag.appendChild(el("span", "sim", Math.round(rd.sim * 100) + "%"));
    }
    return frag;
  }

  function visibleReadings(loc) {
    return loc.rd.filter(function (rd) {
      if (state.hiddenClass[rd.c]) { return false; }
      return rd.s.some(function (s) { return !state.hiddenWit[sigla.indexOf(s)]; });
    });
  }

  function renderApparatus(first, last) {
    appList.textContent = "";
    var shown = 0;
    for (var r = first; r < last; r++) {
      (locsByRow[r] || []).forEach(function (loc) {
        var readings = visibleReadings(loc);
        if (!readings.length) { return; }
        var li = el("li", "app-entry");
        li.id = "loc-" + loc.id;
        li.setAttribute("data-loc", loc.id);
        var ref = el("span", "app-ref");
        var a = el("a", null, String(loc.row + 1));
        a.href = "#row-" + loc.row;
        a.setAttribute("data-row", loc.row);
        a.title = "row " + (loc.row + 1) + ", columns " + loc.f + "\u2013" + loc.l;
        ref.appendChild(a);
        li.appendChild(ref);
        li.appendChild(readingNode(loc.lemma, true));
        li.appendChild(document.createTextNode("] "));
        readings.forEach(function (rd, k) {
          if (k) { li.appendChild(document.createTextNode("; ")); }
          li.appendChild(readingNode(rd, false));
        });
        appList.appendChild(li);
        shown++;
      });
    }
    appRange.textContent = state.all ? "" : "(rows " + (first + 1) + "\u2013" + last + ", " + shown + " entries)";
  }

  function render() {
    var range = pageRange();
    var frag = document.createDocumentFragment();
    for (var r = range[0]; r < range[1]; r++) { frag.appendChild(renderRow(r)); }
    body.textContent = "";
    body.appendChild(frag);
    renderApparatus(range[0], range[1]);
    var count = pageCount();
    document.querySelectorAll(".pager").forEach(function (p) {
      p.querySelector("[data-page=count]").textContent = String(count);
      p.querySelector("[data-page=input]").value = String(state.page + 1);
      p.querySelector("[data-page=input]").max = String(count);
      p.querySelector("[data-page=prev]").disabled = state.page <= 0;
      p.querySelector("[data-page=next]").disabled = state.page >= count - 1;
      p.querySelector("[data-page=range]").textContent = "rows " + (range[0] + 1) + "\u2013" + range[1] + " of " + rows.length;
    });
  }

  function goPage(n) {
    state.page = Math.max(0, Math.min(pageCount() - 1, n));
    render();
  }

  function goTo(row, loc) {
    if (state.size > 0) { state.page = Math.floor(row / state.size); }
    render();
    var target = loc !== null ? body.querySelector('[data-loc="' + Number(loc) + '"]') : null;
    var tr = document.getElementById("row-" + row);
    var node = target || tr;
    if (!node) { return; }
    node.scrollIntoView({ block: "center" });
    if (tr) { tr.classList.add("target"); }
    node.classList.add("flash");
    setTimeout(function () { node.classList.remove("flash"); if (tr) { tr.classList.remove("target"); } }, 1700);
  }

  /* ---- hover linking: a reading and its counterparts share data-loc */
  var lit = [];
  var litLoc = null;
  function light(loc) {
    if (loc === litLoc) { return; }
    unlight();
    litLoc = loc;
    if (loc === null) { return; }
    lit = Array.prototype.slice.call(document.querySelectorAll('#synopsis-body [data-loc="' + Number(loc) + '"], #apparatus-list [data-loc="' + Number(loc) + '"]'));
    lit.forEach(function (e) { e.classList.add("hl"); });
  }
  function unlight() {
    lit.forEach(function (e) { e.classList.remove("hl"); });
    lit = [];
    litLoc = null;
  }
  function locOf(target) {
    var node = target && target.closest ? target.closest("[data-loc]") : null;
    return node ? node.getAttribute("data-loc") : null;
  }
  [body, appList].forEach(function (container) {
    container.addEventListener("mouseover", function (ev) { light(locOf(ev.target)); });
    container.addEventListener("mouseleave", unlight);
    container.addEventListener("focusin", function (ev) { light(locOf(ev.target)); });
    container.addEventListener("focusout", unlight);
  });

  /* ---- filters */
  document.querySelectorAll("[data-filter-class]").forEach(function (box) {
    box.addEventListener("change", function () {
      var cls = box.getAttribute("data-filter-class");
      state.hiddenClass[cls] = !box.checked;
      root.classList.toggle("hide-" + cls, !box.checked);
      var range = pageRange();
      renderApparatus(range[0], range[1]);
    });
  });
  document.querySelectorAll("[data-filter-wit]").forEach(function (box) {
    box.addEventListener("change", function () {
      var w = Number(box.getAttribute("data-filter-wit"));
      state.hiddenWit[w] = !box.checked;
      document.querySelectorAll('#synopsis-table [data-w="' + w + '"]').forEach(function (e) { e.hidden = !box.checked; });
      var range = pageRange();
      renderApparatus(range[0], range[1]);
    });
  });
  var tags = document.getElementById("show-tags");
  tags.addEventListener("change", function () { root.classList.toggle("show-tags", tags.checked); });

  /* ---- paging */
  document.querySelectorAll(".pager").forEach(function (p) {
    p.querySelector("[data-page=prev]").addEventListener("click", function () { goPage(state.page - 1); });
    p.querySelector("[data-page=next]").addEventListener("click", function () { goPage(state.page + 1); });
    p.querySelector("[data-page=input]").addEventListener("change", function (ev) { goPage(Number(ev.target.value) - 1); });
    p.querySelector("[data-page=size]").addEventListener("change", function (ev) {
      var first = pageRange()[0];
      state.size = Number(ev.target.value);
      state.page = state.size > 0 ? Math.floor(first / state.size) : 0;
      render();
    });
  });

  /* ---- jumps: overview marks, apparatus references, #loc-N and #row-N links */
  function jumpFrom(a) {
    var row = a.getAttribute("data-row");
    if (row === null) {
      var m = /^#row-(\d+)$/.exec(a.getAttribute("href") || "");
      if (!m) { return false; }
      row = m[1];
    }
    goTo(Number(row), a.getAttribute("data-loc"));
    return true;
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[href^='#row-'], a.ov-mark") : null;
    if (a && jumpFrom(a)) { ev.preventDefault(); }
  });
  function fromHash() {
    var m = /^#(loc|row)-(\d+)$/.exec(location.hash);
    if (!m) { return; }
    var n = Number(m[2]);
    if (m[1] === "row" && n < rows.length) { goTo(n, null); }
    if (m[1] === "loc" && n < locs.length) { goTo(locs[n].row, n); }
  }
  window.addEventListener("hashchange", fromHash);

  /* ---- print: every row and the whole apparatus, whatever the page */
  window.addEventListener("beforeprint", function () {
    state.all = true;
    render();
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { state.all = false; render(); });

  var controls = document.getElementById("controls");
  function measure() { document.documentElement.style.setProperty("--controls-h", controls.offsetHeight + "px"); }
  window.addEventListener("resize", measure);
  measure();
  render();
  fromHash();
  root.setAttribute("data-ready", "1");
  if (window.performance && performance.mark) { performance.mark("collate-ready"); }
})();
