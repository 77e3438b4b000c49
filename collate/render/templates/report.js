/* collate report: the page is complete without this script (every row and
   every apparatus entry is in the HTML).  The script adds paging (it shows a
   few chunks of rows and hides the rest), filters, hover linking, keyboard
   movement (one Tab stop per group, arrow keys inside), and the citation of
   the passage in view.  Witness text is only ever read from the page or set
   with textContent, never parsed as markup.

   The data block #collation-data (written by collate/render/report.py,
   typed there as PageData):
   { sigla: [siglum, ...],                witnesses in column order
     classes: [[value, abbr, label]],     the variant classes, weightiest first
     counts: [[n per class], ...],        per witness, its locations per class
     chunkRows: rows per chunk, pageRows: rows per page on opening,
     rows: rows in all, defaultTitle: the title is the generated one,
     inlineSigla: each <i> in the apparatus holds a group of sigla, split by spaces }

   This script runs where it stands, after the synoptic view and before the
   apparatus: the controls work as soon as the rows are parsed ("collate-ready"),
   and the apparatus is wired when the whole page is ("collate-complete",
   #report[data-ready]).

   The page: tbody.chunk[data-k] (rows of the synoptic view) and
   ol.chunk.app-chunk[data-k] (their apparatus entries), the first page's chunks
   marked .on; a row is tr#<passage id> with its id link in its <th>; a
   reading at the location whose key is K (base 36) is u[data-l=K] (with
   class "rd v-<class>" where it differs from the base), its apparatus entry
   li#aK: a link, the lemma <b>, its sigla as <i>, then a <span> per other
   reading holding u.rd.v-<class> and its sigla as <i>. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("collation-data").textContent);
  var root = document.getElementById("report");
  var table = document.getElementById("synopsis-table");
  var bodies = table.querySelectorAll("tbody.chunk");
  var lists = document.getElementsByClassName("app-chunk");  // live: the apparatus is parsed after this script runs
  var controls = document.getElementById("controls");
  var statement = document.getElementById("filter-statement");
  var sigla = data.sigla;
  var classes = data.classes;
  var nChunks = bodies.length;
  var state = { page: 0, size: data.pageRows, hiddenWit: {}, hiddenSig: {}, hiddenClass: {}, version: 0, shown: [] };
  var prepared = [];  // per chunk: the filter version its rows were last brought up to
  var preparedApp = [];  // the same for its apparatus (parsed later than the rows)
  var current = null; // the passage (tr) last opened or clicked

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function chunksPerPage() { return state.size > 0 ? Math.max(1, Math.round(state.size / data.chunkRows)) : nChunks; }
  function pageCount() { return Math.max(1, Math.ceil(nChunks / chunksPerPage())); }
  function chunkOf(node) {
    var c = node && node.closest ? node.closest(".chunk") : null;
    return c ? Number(c.getAttribute("data-k")) : -1;
  }

  /* ---- the apparatus of a chunk follows the filters (done when the chunk is shown) */
  function filterSigla(i) {  /* shows the sigla of an <i> that are not hidden; true if any */
    if (!i.collateSigla) { i.collateSigla = data.inlineSigla ? i.textContent.split(" ") : [i.textContent]; }
    var shown = i.collateSigla.filter(function (s) { return !state.hiddenSig[s]; });
    if (data.inlineSigla) { i.textContent = shown.join(" "); }
    i.hidden = !shown.length;
    return shown.length > 0;
  }
  function filterEntry(li) {
    var any = false;
    each(li.children, function (child) {
      if (child.tagName === "I") {
        filterSigla(child);
      } else if (child.tagName === "SPAN") {
        var some = false;
        each(child.getElementsByTagName("i"), function (i) { some = filterSigla(i) || some; });
        var show = some && !state.hiddenClass[readingClass(child.querySelector(".rd"))];
        child.hidden = !show;
        any = any || show;
      }
    });
    li.hidden = !any;
  }
  function readingClass(node) {
    var m = node ? /(?:^| )v-([a-z-]+)/.exec(node.className) : null;
    return m ? m[1] : "";
  }
  function prepare(k) {
    if (prepared[k] !== state.version) {
      prepared[k] = state.version;
      each(bodies[k].querySelectorAll("th a"), function (a) { if (a.tabIndex !== 0) { a.tabIndex = -1; } });
    }
    if (lists[k] && preparedApp[k] !== state.version) {
      preparedApp[k] = state.version;
      if (state.version > 0) { each(lists[k].children, filterEntry); }
      each(lists[k].querySelectorAll("li > a"), function (a) { if (a.tabIndex !== 0) { a.tabIndex = -1; } });
    }
  }

  /* ---- paging: show the chunks of one page */
  function showChunks(first, last) {
    state.shown.forEach(function (k) {
      if (k < first || k >= last) { bodies[k].classList.remove("on"); if (lists[k]) { lists[k].classList.remove("on"); } }
    });
    state.shown = [];
    for (var k = first; k < last; k++) {
      prepare(k);
      bodies[k].classList.add("on");
      if (lists[k]) { lists[k].classList.add("on"); }
      state.shown.push(k);
    }
  }
  function showPage(n) {
    var per = chunksPerPage();
    state.page = Math.max(0, Math.min(pageCount() - 1, n));
    var first = state.page * per;
    showChunks(first, Math.min(nChunks, first + per));
    var count = pageCount();
    var rowFirst = first * data.chunkRows;
    var rowLast = Math.min(data.rows, (first + per) * data.chunkRows);
    var p = document.getElementById("pager-top");
    p.querySelector("[data-page=current]").textContent = String(state.page + 1);
    p.querySelector("[data-page=count]").textContent = String(count);
    p.querySelector("[data-page=prev]").setAttribute("aria-disabled", String(state.page <= 0));
    p.querySelector("[data-page=next]").setAttribute("aria-disabled", String(state.page >= count - 1));
    p.querySelector("[data-page=range]").textContent = "passages " + (rowFirst + 1) + "\u2013" + rowLast + " of " + data.rows;
    var input = document.querySelector("[data-page=input]");
    input.value = String(state.page + 1);
    input.max = String(count);
    var range = document.getElementById("apparatus-range");
    if (range) { range.textContent = state.size > 0 ? "(passages " + (rowFirst + 1) + "\u2013" + rowLast + ")" : ""; }
    rovingReset(synopsisGroup);
    rovingReset(apparatusGroup);
  }

  /* ---- filters */
  /* text with the witnesses' sigla in it: each siglum in its own isolate (<bdi>) */
  function say(node, pieces) {
    node.textContent = "";
    pieces.forEach(function (p) {
      if (typeof p === "string") { node.appendChild(document.createTextNode(p)); return; }
      p.forEach(function (s, i) {
        if (i) { node.appendChild(document.createTextNode(", ")); }
        node.appendChild(el("bdi", s));
      });
    });
  }
  function el(tag, text) { var e = document.createElement(tag); e.textContent = text; return e; }
  function describeFilters() {
    var wits = sigla.filter(function (s, w) { return !state.hiddenWit[w]; });
    var hiddenW = sigla.filter(function (s, w) { return state.hiddenWit[w]; });
    var hiddenC = classes.filter(function (c) { return state.hiddenClass[c[0]]; }).map(function (c) { return c[2].toLowerCase(); });
    var shownN = 0, allN = 0;
    data.counts.forEach(function (row, w) {
      row.forEach(function (n, c) {
        allN += n;
        if (!state.hiddenWit[w] && !state.hiddenClass[classes[c][0]]) { shownN += n; }
      });
    });
    say(statement, [
      "Shown: " + wits.length + " of " + sigla.length + " witnesses", hiddenW.length ? " (hidden: " : "", hiddenW, hiddenW.length ? ")" : "",
      "; " + (classes.length - hiddenC.length) + " of " + classes.length + " classes" + (hiddenC.length ? " (hidden: " + hiddenC.join(", ") + ")" : ""),
      "; " + shownN + " of " + allN + " variant readings."
    ]);
    if (state.version === 0) { return; }  // on opening the page already says the rest
    document.getElementById("witness-count").textContent = hiddenW.length ? wits.length + " of " + sigla.length + " witnesses shown" : sigla.length + " witnesses";
    if (data.defaultTitle) {
      var title = ["Collation of " + wits.length + " witness" + (wits.length === 1 ? "" : "es") + ": ", wits];
      say(document.getElementById("title"), title);
      say(document.getElementById("cite-title"), title);
      document.title = document.getElementById("title").textContent;
    }
    var toggle = document.querySelector(".filters-toggle");
    var hidden = hiddenW.length + hiddenC.length;
    toggle.textContent = hidden ? "Filters (" + hidden + " hidden)" : "Filters";
  }
  function refilter() {
    state.version++;
    state.shown.forEach(prepare);
    describeFilters();
    rovingReset(apparatusGroup);
  }
  each(document.querySelectorAll("[data-filter-class]"), function (box) {
    box.addEventListener("change", function () {
      var cls = box.getAttribute("data-filter-class");
      state.hiddenClass[cls] = !box.checked;
      root.classList.toggle("hide-" + cls, !box.checked);
      refilter();
    });
  });
  each(document.querySelectorAll("[data-filter-wit]"), function (box) {
    box.addEventListener("change", function () {
      var w = Number(box.getAttribute("data-filter-wit"));
      state.hiddenWit[w] = !box.checked;
      state.hiddenSig[sigla[w]] = !box.checked;
      table.classList.toggle("hide-w" + w, !box.checked);
      refilter();
    });
  });
  var tags = document.getElementById("show-tags");
  tags.addEventListener("change", function () { root.classList.toggle("show-tags", tags.checked); });
  var toggle = document.querySelector(".filters-toggle");
  toggle.addEventListener("click", function () {
    var open = !controls.classList.contains("open");
    controls.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
    measure();
  });

  /* ---- pager */
  var pager = document.getElementById("pager-top");
  function pageButton(which, delta) {
    pager.querySelector("[data-page=" + which + "]").addEventListener("click", function (ev) {
      if (ev.currentTarget.getAttribute("aria-disabled") === "true") { return; }
      showPage(state.page + delta);
    });
  }
  pageButton("prev", -1);
  pageButton("next", 1);
  document.querySelector("[data-page=input]").addEventListener("change", function (ev) { showPage(Number(ev.target.value) - 1); });
  document.querySelector("[data-page=size]").addEventListener("change", function (ev) {
    var firstChunk = state.page * chunksPerPage();
    state.size = Number(ev.target.value);
    showPage(Math.floor(firstChunk / chunksPerPage()));
  });

  /* ---- keyboard: one Tab stop per group (roving tabindex), arrow keys inside.
     A group: owns(node) says whether a node is one of its stops, items()
     lists them in order (asked only when a key is pressed), first() is
     where Tab lands when the current stop has gone (another page). */
  function visible(node) { return node.getClientRects().length > 0; }
  function rovingReset(group) {
    if (group.at && group.owns(group.at) && group.live(group.at)) { return; }
    if (group.at) { group.at.tabIndex = -1; }
    group.at = group.first();
    if (group.at) { group.at.tabIndex = 0; }
  }
  function rovingMove(group, to) {
    if (!to) { return; }
    if (group.at && group.at !== to) { group.at.tabIndex = -1; }
    group.at = to;
    to.tabIndex = 0;
    to.focus();
  }
  function roving(container, group) {
    group.at = null;
    container.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey || !group.owns(ev.target)) { return; }
      var items = group.items();
      var i = items.indexOf(ev.target);
      if (i < 0) { return; }
      var to = group.move(items, i, ev.key);
      if (to === undefined) { return; }
      ev.preventDefault();
      rovingMove(group, to);
    });
    container.addEventListener("focusin", function (ev) {
      if (group.owns(ev.target) && group.at !== ev.target) {
        if (group.at) { group.at.tabIndex = -1; }
        group.at = ev.target;
        ev.target.tabIndex = 0;
      }
    });
    rovingReset(group);
  }
  function linear(items, i, key) {
    if (key === "ArrowRight" || key === "ArrowDown") { return items[Math.min(items.length - 1, i + 1)]; }
    if (key === "ArrowLeft" || key === "ArrowUp") { return items[Math.max(0, i - 1)]; }
    if (key === "Home") { return items[0]; }
    if (key === "End") { return items[items.length - 1]; }
    return undefined;
  }
  function inShownChunk(node) { return state.shown.indexOf(chunkOf(node)) >= 0; }
  var synopsisGroup = {
    owns: function (node) { return !!node.matches && node.matches("tbody th a, tbody .rd[data-l]"); },
    live: function (node) { return inShownChunk(node); },
    first: function () {
      var k = state.shown[0];
      return k === undefined ? null : bodies[k].querySelector("th a");
    },
    items: function () {
      var out = [];
      state.shown.forEach(function (k) {
        each(bodies[k].rows, function (tr) {
          var a = tr.cells[0].querySelector("a");
          if (a) { out.push(a); }
          for (var w = 1; w < tr.cells.length; w++) {
            if (state.hiddenWit[w - 1]) { continue; }
            each(tr.cells[w].querySelectorAll(".rd[data-l]"), function (r) {
              if (!(state.hiddenClass.omission && r.classList.contains("v-omission"))) { out.push(r); }
            });
          }
        });
      });
      return out;
    },
    move: function (items, i, key) {
      if (key === "ArrowDown" || key === "ArrowUp") {
        var rows = items.filter(function (e) { return e.parentNode.tagName === "TH"; });
        var at = rows.indexOf(items[i].closest("tr").cells[0].querySelector("a"));
        return rows[Math.max(0, Math.min(rows.length - 1, at + (key === "ArrowDown" ? 1 : -1)))];
      }
      return linear(items, i, key);
    }
  };
  var apparatusGroup = {
    owns: function (node) { return !!node.matches && node.matches("#apparatus-list li > a"); },
    live: function (node) { return inShownChunk(node) && !node.parentNode.hidden; },
    first: function () { return apparatusGroup.items()[0] || null; },
    items: function () {
      var out = [];
      state.shown.forEach(function (k) { if (lists[k]) { each(lists[k].querySelectorAll("li:not([hidden]) > a"), function (a) { out.push(a); }); } });
      return out;
    },
    move: linear
  };
  function simpleGroup(container, selector) {
    var group = {
      owns: function (node) { return !!node.matches && node.matches(selector) && container.contains(node); },
      live: visible,
      first: function () { return group.items()[0] || null; },
      items: function () { return Array.prototype.filter.call(container.querySelectorAll(selector), visible); },
      move: linear
    };
    each(container.querySelectorAll(selector), function (e) { e.tabIndex = -1; });
    roving(container, group);
    return group;
  }
  roving(table, synopsisGroup);
  simpleGroup(document.getElementById("overview"), "a");
  simpleGroup(document.getElementById("class-filters"), "input");
  simpleGroup(document.getElementById("witness-filters"), "input");
  simpleGroup(pager, "button");

  /* ---- hover linking: a reading, its counterparts and its apparatus entry */
  var lit = [];
  var litLoc = null;
  function light(loc) {
    if (loc === litLoc) { return; }
    unlight();
    litLoc = loc;
    if (loc === null) { return; }
    if (!/^[0-9a-z]+$/.test(loc)) { return; }
    state.shown.forEach(function (k) {
      each(bodies[k].querySelectorAll('[data-l="' + loc + '"]'), function (e) { lit.push(e); });
    });
    var entry = document.getElementById("a" + loc);
    if (entry) { lit.push(entry); }
    lit.forEach(function (e) { e.classList.add("hl"); });
  }
  function unlight() {
    lit.forEach(function (e) { e.classList.remove("hl"); });
    lit = [];
    litLoc = null;
  }
  function locOf(target) {
    if (!target || !target.closest) { return null; }
    var node = target.closest("[data-l], #apparatus-list li");
    if (!node) { return null; }
    return node.hasAttribute("data-l") ? node.getAttribute("data-l") : node.id.slice(1);
  }
  function linking(container) {
    container.addEventListener("mouseover", function (ev) { light(locOf(ev.target)); });
    container.addEventListener("mouseleave", unlight);
    container.addEventListener("focusin", function (ev) { light(locOf(ev.target)); });
    container.addEventListener("focusout", unlight);
  }
  linking(table);

  /* ---- places: #p7.2 opens its passage, whatever page it is on; clicks cite it */
  function cite(tr) {
    if (current) { current.classList.remove("current"); }
    current = tr;
    tr.classList.add("current");
    var link = document.getElementById("cite-passage");
    link.textContent = tr.id;
    link.setAttribute("href", "#" + tr.id);
    document.getElementById("cite-where").textContent = location.href.split("#")[0] + "#" + tr.id;
  }
  function open(target, loc, scroll) {
    var k = chunkOf(target);
    if (k >= 0 && state.shown.indexOf(k) < 0) { showPage(Math.floor(k / chunksPerPage())); }
    var tr = target.closest("tr");
    var node = target;
    if (tr) {
      cite(tr);
      var reading = loc !== null && /^[0-9a-z]+$/.test(loc) ? tr.querySelector('[data-l="' + loc + '"]') : null;
      node = reading || tr;
      tr.classList.add("target");
      setTimeout(function () { tr.classList.remove("target"); }, 1700);
    }
    var box = node.getBoundingClientRect();
    if (scroll && (box.top < controls.offsetHeight || box.bottom > window.innerHeight)) { node.scrollIntoView({ block: "center" }); }
    node.classList.add("flash");
    setTimeout(function () { node.classList.remove("flash"); }, 1700);
  }
  function byId(id) {
    try { return document.getElementById(decodeURIComponent(id)); } catch (e) { return null; }
  }
  function setHash(id) {
    if (history.replaceState) { history.replaceState(null, "", "#" + id); }
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[href^='#']") : null;
    if (a) {
      var id = a.getAttribute("href").slice(1);
      var target = byId(id);
      if (!target || chunkOf(target) < 0) { return; }  // sections, the skip link: the browser's own jump
      ev.preventDefault();
      open(target, locOf(a), true);
      var tr = target.closest("tr");
      setHash(tr ? tr.id : id);
      return;
    }
    var row = ev.target.closest ? ev.target.closest("#synopsis-table tbody tr") : null;
    if (row && !String(window.getSelection ? window.getSelection() : "")) {
      cite(row);
      setHash(row.id);
    }
  });
  table.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { return; }
    var row = ev.target.closest ? ev.target.closest("tr") : null;
    if (row && ev.target.classList.contains("rd")) { cite(row); setHash(row.id); }
  });
  function fromHash() {
    if (location.hash.length < 2) { return; }
    var target = byId(location.hash.slice(1));
    if (target && chunkOf(target) >= 0) { open(target, null, true); }
  }
  window.addEventListener("hashchange", fromHash);

  /* ---- print: every chunk (the stylesheet shows them), each one filtered */
  window.addEventListener("beforeprint", function () {
    for (var k = 0; k < nChunks; k++) { prepare(k); }
    each(document.querySelectorAll("details"), function (d) { d.open = true; });
  });

  function measure() { document.documentElement.style.setProperty("--controls-h", controls.offsetHeight + "px"); }
  window.addEventListener("resize", measure);
  each(bodies, function (b, k) { if (b.classList.contains("on")) { state.shown.push(k); } });
  measure();
  showPage(0);
  describeFilters();
  fromHash();
  if (window.performance && performance.mark) { performance.mark("collate-ready"); }

  /* ---- the rest of the page (the apparatus) has been parsed: bring it up to the page and filters shown */
  function complete() {
    preparedApp = [];  // a chunk may have been prepared while it was still being parsed
    for (var k = 0; k < lists.length; k++) { lists[k].classList.toggle("on", state.shown.indexOf(k) >= 0); }
    state.shown.forEach(prepare);
    showPage(state.page);
    var app = document.getElementById("apparatus-list");
    roving(app, apparatusGroup);
    linking(app);
    if (location.hash.length > 1 && !(current && "#" + current.id === location.hash)) { fromHash(); }
    root.setAttribute("data-ready", "1");
    if (window.performance && performance.mark) { performance.mark("collate-complete"); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", complete); } else { complete(); }
})();
