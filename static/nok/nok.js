// Behaviour shared by every page, kept out of the HTML (the Content-Security-Policy allows no
// inline script or handler). Everything here is an enhancement: without the script the page
// still works (tables unsorted, plain checkboxes one per line, the browser's own file input).
(function () {
  "use strict";

  // <form data-confirm="Вопрос?">: asks before sending; «Отмена» keeps the page as it is.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  var collator = new Intl.Collator("ru", { numeric: true, sensitivity: "base" });

  function make(tag, attributes, text) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    if (text) element.textContent = text;
    return element;
  }

  // Text compared by a search: lower case, «ё» as «е», spaces collapsed.
  function searchable(text) {
    return (text || "").toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").trim();
  }

  var uid = 0;
  function idFor(element, prefix) {
    if (!element.id) element.id = prefix + "-" + (++uid);
    return element.id;
  }

  // --- Sorting: <table data-sortable> ------------------------------------------------------
  // Each column head becomes a button; a second press reverses the order. A cell's
  // data-sort="…" is its sort value, else its text: Russian numbers (1 234,5; 85,3 %), dates
  // (31.12.2025, 31.12.2025 10:00) and text (alphabetical, «2» before «10»). Empty cells and
  // «—» go last either way. A head marked data-nosort stays a plain head.

  var DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2}))?/;
  var NUMBER = /^[−-]?\d+(?:\.\d+)?$/;

  function sortKey(cell) {
    var raw = (cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent).trim();
    if (raw === "" || raw === "—" || raw === "-") return null;
    var date = DATE.exec(raw);
    if (date) {
      return { kind: 0, value: Date.UTC(+date[3], +date[2] - 1, +date[1], +(date[4] || 0), +(date[5] || 0)) };
    }
    var number = raw.replace(/[\s\u00a0\u202f]/g, "").replace(/%$/, "").replace(",", ".").replace("−", "-");
    if (NUMBER.test(number)) return { kind: 0, value: parseFloat(number) };
    return { kind: 1, value: raw };
  }

  function compareKeys(a, b) {
    if (a.kind !== b.kind) return a.kind - b.kind; // numbers and dates before text
    return a.kind === 0 ? a.value - b.value : collator.compare(a.value, b.value);
  }

  // The cell of a row under the column that starts at `column` (colspans counted).
  function cellAt(row, column) {
    var position = 0;
    for (var i = 0; i < row.cells.length; i++) {
      if (position === column) return row.cells[i];
      position += row.cells[i].colSpan || 1;
      if (position > column) return null;
    }
    return null;
  }

  function sortBy(table, head, column) {
    var ascending = head.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var rows = Array.prototype.slice.call(body.rows);
      var sortable = rows.filter(function (row) {
        return cellAt(row, column) && !Array.prototype.some.call(row.cells, function (c) { return c.colSpan > 1; });
      });
      if (sortable.length < 2) return;
      var keyed = sortable.map(function (row, index) {
        return { row: row, key: sortKey(cellAt(row, column)), index: index };
      });
      keyed.sort(function (a, b) {
        if (a.key === null || b.key === null) {
          return a.key === b.key ? a.index - b.index : (a.key === null ? 1 : -1);
        }
        var order = compareKeys(a.key, b.key);
        return (ascending ? order : -order) || a.index - b.index;
      });
      // Rows that cannot be sorted (a subtotal, a message across the table) stay first when
      // they came first, else go last.
      var first = rows.indexOf(sortable[0]);
      var rest = rows.filter(function (row, i) { return i > first && sortable.indexOf(row) < 0; });
      keyed.forEach(function (item) { body.appendChild(item.row); });
      rest.forEach(function (row) { body.appendChild(row); });
    });
  }

  // Every head of the table with the column it sits over (rowspans and colspans counted).
  function headColumns(table) {
    var taken = [];
    var found = [];
    Array.prototype.forEach.call(table.tHead.rows, function (row, r) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (th) {
        while (taken[r] && taken[r][column]) column++;
        for (var dr = 0; dr < (th.rowSpan || 1); dr++) {
          taken[r + dr] = taken[r + dr] || [];
          for (var dc = 0; dc < (th.colSpan || 1); dc++) taken[r + dr][column + dc] = true;
        }
        if ((th.colSpan || 1) === 1) found.push({ th: th, column: column });
        column += th.colSpan || 1;
      });
    });
    return found;
  }

  function enhanceSorting(table) {
    if (!table.tHead) return;
    headColumns(table).forEach(function (head) {
      var th = head.th;
      if (th.hasAttribute("data-nosort") || !th.textContent.trim()) return;
      var button = make("button", { type: "button", "class": "sort" });
      while (th.firstChild) button.appendChild(th.firstChild);
      button.appendChild(make("span", { "class": "sort-mark", "aria-hidden": "true" }));
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, th, head.column); });
    });
    table.setAttribute("data-sort-ready", "");
  }

  // --- Filtering: <table data-filter> (data-filter="N": only from N rows, 8 by default) ----
  // A search box above the table hides the rows without the words typed; «Найдено: N из M».
  // A page of a longer list (data-filter-total: the rows of all its pages) says that it
  // searches this page and how many rows the list has.

  function enhanceFilter(table) {
    var minimum = parseInt(table.dataset.filter, 10) || 8;
    var rows = [];
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        if (row.cells.length > 1 || !row.cells[0] || row.cells[0].colSpan <= 1) rows.push(row);
      });
    });
    if (rows.length < minimum) return;
    var box = make("div", { "class": "table-filter", role: "search" });
    var input = make("input", { type: "search", autocomplete: "off", "class": "filter-input" });
    var total = parseInt(table.dataset.filterTotal, 10) || 0;
    var paged = total > rows.length;
    var label = make("label", { "for": idFor(input, "filter") },
      paged ? "Найти на этой странице" : table.dataset.filterLabel || "Найти в таблице");
    var count = make("output", { "aria-live": "polite", "class": "muted filter-count" });
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(count);
    table.parentNode.insertBefore(box, table);
    var texts = rows.map(function (row) { return searchable(row.textContent); });
    function apply() {
      var words = searchable(input.value).split(" ").filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = words.every(function (word) { return texts[i].indexOf(word) >= 0; });
        row.hidden = !match;
        if (match) shown++;
      });
      if (words.length) {
        count.textContent = (paged ? "Найдено на странице: " : "Найдено: ") + shown + " из " + rows.length;
      } else {
        count.textContent = paged ? "На странице: " + rows.length + " из " + total : "Всего: " + rows.length;
      }
    }
    input.addEventListener("input", apply);
    apply();
  }

  // --- Choosing many: <div data-pick="организацию"> around checkboxes -----------------------
  // A search box, «Выбрать все найденные», «Снять все» and «Выбрано: N из M» above a scrolling
  // column. Groups (a <fieldset> with its <legend> inside) hide when nothing in them is found.

  function enhancePicker(container) {
    var boxes = Array.prototype.slice.call(container.querySelectorAll("input[type=checkbox]"));
    if (!boxes.length) return;
    var what = container.dataset.pick || "";
    var tools = make("div", { "class": "pick-tools" });
    var input = make("input", { type: "search", autocomplete: "off", "class": "filter-input" });
    var label = make("label", { "for": idFor(input, "pick") }, what ? "Найти " + what : "Найти");
    var all = make("button", { type: "button", "class": "btn secondary small-btn" }, "Выбрать все найденные");
    var none = make("button", { type: "button", "class": "btn secondary small-btn" }, "Снять все");
    var count = make("output", { "aria-live": "polite", "class": "pick-count" });
    var search = make("div", { "class": "pick-search" });
    search.appendChild(label);
    search.appendChild(input);
    tools.appendChild(search);
    tools.appendChild(all);
    tools.appendChild(none);
    tools.appendChild(count);
    container.parentNode.insertBefore(tools, container);
    container.classList.add("pick-ready");
    var items = boxes.map(function (box) {
      var item = box.closest("label") || box.parentNode;
      return { box: box, item: item, text: searchable(item.textContent) };
    });
    var groups = Array.prototype.slice.call(container.querySelectorAll("fieldset"));
    function counted() {
      var chosen = boxes.filter(function (box) { return box.checked; }).length;
      count.textContent = "Выбрано: " + chosen + " из " + boxes.length;
    }
    function apply() {
      var words = searchable(input.value).split(" ").filter(Boolean);
      items.forEach(function (entry) {
        var legend = entry.item.closest("fieldset");
        var text = entry.text + (legend && legend.querySelector("legend") ? " " + searchable(legend.querySelector("legend").textContent) : "");
        entry.item.hidden = !words.every(function (word) { return text.indexOf(word) >= 0; });
      });
      groups.forEach(function (group) {
        group.hidden = !items.some(function (entry) { return !entry.item.hidden && group.contains(entry.item); });
      });
    }
    function setAll(checked, foundOnly) {
      items.forEach(function (entry) {
        if (entry.box.disabled || (foundOnly && entry.item.hidden)) return;
        if (entry.box.checked !== checked) {
          entry.box.checked = checked;
          entry.box.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      counted();
    }
    input.addEventListener("input", apply);
    // Enter in the search box must not send the form.
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
    all.addEventListener("click", function () { setAll(true, true); });
    none.addEventListener("click", function () { setAll(false, false); });
    container.addEventListener("change", counted);
    counted();
  }

  // --- Files: every <input type=file> says «Выберите файл» / «Файл не выбран» in Russian ----
  // The input stays the real, focusable control (only made transparent); a <label> for it is
  // the visible button, and the chosen file's name (or how many) is shown next to it.

  function enhanceFile(input) {
    if (input.dataset.fileReady) return;
    input.dataset.fileReady = "1";
    var id = idFor(input, "file");
    var wrap = make("span", { "class": "file-pick" });
    var button = make("label", { "for": id, "class": "file-button" },
      input.multiple ? "Выберите файлы" : "Выберите файл");
    var name = make("span", { "class": "file-name", id: id + "-name" });
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(button);
    wrap.appendChild(name);
    input.classList.add("file-input");
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + name.id);
    function show() {
      var files = input.files ? input.files.length : 0;
      name.textContent = files === 0 ? "Файл не выбран"
        : files === 1 ? input.files[0].name : "Выбрано файлов: " + files;
      name.classList.toggle("muted", files === 0);
    }
    input.addEventListener("change", show);
    show();
  }

  // --- Explanations: one open at a time --------------------------------------------------
  // An opened explanation of a figure (<details class="explain">) floats over the table; a
  // second one opened closes the first instead of covering it.
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!(opened instanceof HTMLDetailsElement) || !opened.open || !opened.classList.contains("figure")) return;
    document.querySelectorAll("details.figure[open]").forEach(function (other) {
      if (other !== opened) other.open = false;
    });
  }, true);
  // Escape closes an open explanation.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.figure[open]").forEach(function (open) { open.open = false; });
  });

  function enhance(root) {
    root.querySelectorAll("table[data-sortable]").forEach(enhanceSorting);
    root.querySelectorAll("table[data-filter]").forEach(enhanceFilter);
    root.querySelectorAll("[data-pick]").forEach(enhancePicker);
    root.querySelectorAll("input[type=file]").forEach(enhanceFile);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
