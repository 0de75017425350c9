/*
 * Autosave on the form page: the boxes, the live checks, and what the server renders.
 *
 * Every box carries data-path (its place in the form) and data-original (the value the server
 * had when the page showed it). A change goes to the queue (autosave-queue.js) on input and on
 * leaving the box; the queue sends, retries and keeps it. While typing, each box's own checks
 * run (form-live.js, with what the box declares); after each save the server's findings, page
 * list and part total replace the page's (HTML, swapped by id) and the boxes they name are
 * marked. No rule and no word of the form is written here.
 */
(function () {
  "use strict";

  var root = document.getElementById("application-form");
  if (!root || !root.dataset.autosaveUrl) return;

  var Live = window.ClusterdeskLive;
  var statusBox = document.getElementById("autosave-status");
  var hints = {
    number: root.dataset.hintNumber,
    integer: root.dataset.hintInteger,
    decimals: root.dataset.hintDecimals,
    none: root.dataset.hintNone,
    units: root.dataset.hintUnits,
  };

  // --- reading and writing boxes ------------------------------------------------------------

  function cssPath(path) {
    return String(path).replace(/["\\]/g, "\\$&");
  }

  function boxes(path) {
    return Array.from(root.querySelectorAll('[data-path="' + cssPath(path) + '"][data-kind]'));
  }

  function kindOf(path) {
    var els = boxes(path);
    return els.length ? els[0].dataset.kind : null;
  }

  function structured(kind) {
    return kind === "checkbox" || kind === "lines" || kind === "list";
  }

  function decode(kind, text) {
    if (!structured(kind)) return text == null ? "" : text;
    try {
      return JSON.parse(text);
    } catch (e) {
      return kind === "checkbox" ? false : [];
    }
  }

  function encode(kind, value) {
    if (structured(kind)) return JSON.stringify(value);
    return value == null ? "" : String(value);
  }

  function same(path, a, b) {
    var kind = kindOf(path);
    return kind ? encode(kind, a) === encode(kind, b) : JSON.stringify(a) === JSON.stringify(b);
  }

  function readValue(path) {
    var els = boxes(path);
    if (!els.length) return undefined;
    var kind = els[0].dataset.kind;
    if (kind === "radio") {
      for (var i = 0; i < els.length; i++) if (els[i].checked) return els[i].value;
      return "";
    }
    if (kind === "checkbox") return els[0].checked;
    if (kind === "lines") {
      return els[0].value
        .split(/\r?\n/)
        .map(function (line) { return line.trim(); })
        .filter(function (line) { return line !== ""; });
    }
    if (kind === "list") return readList(els[0]);
    return els[0].value;
  }

  function writeValue(path, value) {
    var els = boxes(path);
    if (!els.length) return;
    var kind = els[0].dataset.kind;
    if (kind === "radio") {
      els.forEach(function (el) { el.checked = el.value === value; });
    } else if (kind === "checkbox") {
      els[0].checked = value === true;
    } else if (kind === "lines") {
      els[0].value = (value || []).join("\n");
    } else if (kind === "list") {
      writeList(els[0], value || []);
    } else {
      els[0].value = value == null ? "" : String(value);
    }
    refreshLive(els[0]);
    refreshEvidence(path);
  }

  function originalOf(path) {
    var els = boxes(path);
    if (!els.length) return undefined;
    return decode(els[0].dataset.kind, els[0].dataset.original);
  }

  function setOriginal(path, value) {
    boxes(path).forEach(function (el) { el.dataset.original = encode(el.dataset.kind, value); });
  }

  // --- 清单 tables: rows of cells, sent as a whole -------------------------------------------

  function readList(table) {
    var rows = [];
    table.querySelectorAll("tbody tr.list-item").forEach(function (tr) {
      var row = {};
      var filled = false;
      tr.querySelectorAll("[data-col]").forEach(function (cell) {
        var value = cell.value.trim();
        row[cell.dataset.col] = value;
        if (value !== "") filled = true;
      });
      if (filled) rows.push(row);
    });
    return rows;
  }

  function writeList(table, rows) {
    table.querySelector("tbody").innerHTML = "";
    rows.forEach(function (values) {
      addRow(table).querySelectorAll("[data-col]").forEach(function (cell) {
        setCell(cell, values[cell.dataset.col]);
      });
    });
    renumber(table);
  }

  function setCell(cell, value) {
    var text = value == null ? "" : String(value).trim();
    if (cell.tagName === "SELECT" && text !== "") {
      var known = Array.from(cell.options).some(function (o) { return o.value === text; });
      // Keep a pasted value the list does not offer: the server names it, nothing is dropped.
      if (!known) cell.appendChild(new Option(text, text));
    }
    cell.value = text;
  }

  function addRow(table) {
    var template = table.closest(".value-cell").querySelector("template.list-blank-row");
    var fragment = template.content.cloneNode(true);
    var tr = fragment.querySelector("tr");
    table.querySelector("tbody").appendChild(fragment);
    renumber(table);
    return tr;
  }

  function renumber(table) {
    table.querySelectorAll("tbody tr.list-item").forEach(function (tr, index) {
      var cell = tr.querySelector("td.index");
      if (cell) cell.textContent = String(index + 1);
    });
  }

  function pasteRows(table, text, startRow, startCol) {
    var lines = text.replace(/\r/g, "").split("\n");
    while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
    var rows = table.querySelectorAll("tbody tr.list-item");
    var index = startRow == null ? rows.length : startRow;
    lines.forEach(function (line) {
      var tr = table.querySelectorAll("tbody tr.list-item")[index] || addRow(table);
      var cells = tr.querySelectorAll("[data-col]");
      line.split("\t").forEach(function (value, offset) {
        var cell = cells[(startCol || 0) + offset];
        if (cell) setCell(cell, value);
      });
      index += 1;
    });
    queueChange(table.dataset.path, true);
  }

  // --- live checks: what each box declares, before any save ---------------------------------

  function refreshLive(el) {
    if (!el || !el.dataset) return;
    var path = cssPath(el.dataset.path);
    if (el.dataset.count) {
      var counter = root.querySelector('[data-count-for="' + path + '"]');
      if (counter) {
        var count = Live.count(el.value, el.dataset.count);
        counter.querySelector(".n").textContent = String(count);
        counter.classList.toggle("over-limit", count > parseInt(el.dataset.maxChars, 10));
      }
    }
    if (el.dataset.decimals) {
      var hint = Live.numberHint(el.value, parseInt(el.dataset.decimals, 10), hints);
      var hintBox = root.querySelector('[data-hint-for="' + path + '"]');
      if (hintBox) hintBox.textContent = hint;
      el.classList.toggle("has-hint", hint !== "");
    }
    link(el);
  }

  // --- for screen readers: each box names the messages about it -----------------------------

  // The element that carries aria-describedby and aria-invalid: a radio's group, else the box.
  function labelled(el) {
    return (el.dataset.kind === "radio" && el.closest('[role="radiogroup"]')) || el;
  }

  // The server's findings that name the box (an empty required box is a to-do, not invalid,
  // as the server renders it), its live hint, its char count, its unsaved or conflicting value.
  function messagesOf(path) {
    var key = cssPath(path);
    var out = [];
    root.querySelectorAll('.field-findings li[data-paths~="' + key + '"]').forEach(function (li) {
      var error = li.classList.contains("error") && !li.classList.contains("rule-required");
      out.push({ id: li.id, shown: true, error: error });
    });
    var hint = root.querySelector('[data-hint-for="' + key + '"]');
    if (hint) out.push({ id: hint.id, shown: hint.textContent !== "", error: true });
    var counter = root.querySelector('[data-count-for="' + key + '"]');
    if (counter) {
      out.push({ id: counter.id, shown: true, error: counter.classList.contains("over-limit") });
    }
    var state = root.querySelector('.field-state[data-state-for="' + key + '"]');
    if (state) {
      out.push({ id: state.id, shown: state.hasChildNodes(), error: !!state.querySelector(".error") });
    }
    return out;
  }

  function link(el) {
    if (el && el.dataset && el.dataset.path) Live.linkMessages(labelled(el), messagesOf(el.dataset.path));
  }

  function linkAll() {
    root.querySelectorAll("[data-path][data-kind]").forEach(link);
  }

  // The upload beside a box shows when the box's value asks for 佐证材料.
  function refreshEvidence(path) {
    var slot = root.querySelector('[data-evidence-for="' + cssPath(path) + '"]');
    if (slot) slot.hidden = !Live.evidenceShown(slot.dataset.evidenceWhen, readValue(path));
  }

  // --- what the server renders: each part replaces the element with its id ----------------

  function swap(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    Array.from(template.content.children).forEach(function (part) {
      var old = part.id && document.getElementById(part.id);
      if (old) old.replaceWith(part);
    });
    // The boxes a finding names (data-paths) get its level's border.
    root.querySelectorAll("[data-kind].has-error, [data-kind].has-warning").forEach(function (el) {
      el.classList.remove("has-error", "has-warning");
    });
    root.querySelectorAll(".field-findings li[data-paths]").forEach(function (li) {
      var level = ["error", "warning"].filter(function (l) { return li.classList.contains(l); })[0];
      if (!level) return;
      li.dataset.paths.split(" ").forEach(function (path) {
        boxes(path).forEach(function (el) { el.classList.add("has-" + level); });
      });
    });
    linkAll();
  }

  // --- the state of one box: unsent, refused, in conflict -------------------------------------

  function element(tag, properties, text) {
    var node = Object.assign(document.createElement(tag), properties);
    if (text != null) node.textContent = text;
    return node;
  }

  function stateBox(path) {
    var els = boxes(path);
    if (!els.length) return null;
    var holder = els[0].closest(".value-cell, td, th, .tick-item") || els[0].parentNode;
    var box = holder.querySelector(':scope > .field-state[data-state-for="' + cssPath(path) + '"]');
    if (!box) {
      box = holder.appendChild(element("div", { className: "field-state", id: "state-" + path }));
      box.dataset.stateFor = path;
      box.setAttribute("aria-live", "polite");
    }
    return box;
  }

  function showField(path) {
    var box = stateBox(path);
    if (!box) return;
    var state = queue.fieldState(path);
    boxes(path).forEach(function (el) {
      el.classList.toggle("is-invalid", !!state.invalid);
      el.classList.toggle("is-conflict", !!state.conflict);
      el.classList.toggle("is-pending", state.pending);
    });
    box.replaceChildren();
    if (state.invalid) {
      box.append(element("div", { className: "finding error unsaved" }, state.invalid));
    }
    if (state.note) box.append(element("div", { className: "finding note normalised" }, state.note));
    boxes(path).forEach(link);
    if (!state.conflict) return;
    var choose = function (take) {
      return function () {
        var conflict = take ? { theirs: queue.takeTheirs(path) } : queue.keepMine(path);
        setOriginal(path, conflict.theirs);
        writeValue(path, take ? conflict.theirs : conflict.yours);
        showField(path);
      };
    };
    box.append(element("div", { className: "finding conflict" }, state.conflict.text));
    box.lastChild.append(
      element("button", { type: "button", onclick: choose(true) }, state.conflict.take),
      element("button", { type: "button", onclick: choose(false) }, state.conflict.keep)
    );
    boxes(path).forEach(link);
  }

  function showStatus(status) {
    statusBox.dataset.state = status.state;
    statusBox.textContent = status.text;
    if (status.link) {
      var next = "?next=" + encodeURIComponent(location.pathname);
      var login = { href: root.dataset.loginUrl + next, target: "_blank", rel: "noopener" };
      statusBox.append(" ", element("a", login, status.link));
    }
    if (status.note) statusBox.append(element("span", { className: "stale" }, status.note));
  }

  // --- the queue --------------------------------------------------------------------------

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // After a new login elsewhere the CSRF token changed: read the new one off a fresh page.
  function refreshToken() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.redirected ? "" : response.text(); })
      .then(function (html) {
        var match = html && html.match(/<meta name="csrf-token" content="([^"]+)"/);
        var meta = document.querySelector('meta[name="csrf-token"]');
        if (match && meta) meta.content = match[1];
      })
      .catch(function () { /* still offline: the retry will tell */ });
  }

  var queue = window.ClusterdeskAutosaveQueue.create({
    url: root.dataset.autosaveUrl,
    page: root.dataset.page,
    key: "clusterdesk:autosave:" + root.dataset.application + ":",
    version: parseInt(root.dataset.version, 10),
    storage: window.localStorage,
    fetch: window.fetch.bind(window),
    setTimeout: window.setTimeout.bind(window),
    clearTimeout: window.clearTimeout.bind(window),
    now: function () { return new Date(); },
    csrfToken: csrfToken,
    refreshToken: refreshToken,
    same: same,
    titleOf: function (page) {
      var link = root.querySelector('.form-pages li[data-page="' + cssPath(page) + '"] a');
      return link ? link.textContent.trim() : page;
    },
    applied: setOriginal,
    field: showField,
    html: swap,
    status: showStatus,
  });

  function queueChange(path, soon) {
    if (kindOf(path)) queue.change(path, readValue(path), originalOf(path), soon);
  }

  // --- events -------------------------------------------------------------------------------

  function pathOf(target) {
    if (!target || !target.closest) return null;
    var el = target.closest("[data-path][data-kind]");
    return el && root.contains(el) ? el.getAttribute("data-path") : null;
  }

  root.addEventListener("input", function (event) {
    var path = pathOf(event.target);
    if (!path) return;
    refreshLive(event.target.closest("[data-path][data-kind]"));
    if (event.target.dataset.kind === "radio" || event.target.type === "checkbox") return;
    queueChange(path, false);
  });

  root.addEventListener("change", function (event) {
    var path = pathOf(event.target);
    if (!path) return;
    refreshEvidence(path);
    queueChange(path, true);
  });

  root.addEventListener("focusout", function (event) {
    var path = pathOf(event.target);
    if (path) queue.leave(path);
  });

  root.addEventListener("click", function (event) {
    var target = event.target;
    var cell = target.closest && target.closest(".value-cell");
    var table = cell && cell.querySelector("table.list-table");
    if (!table) return;
    if (target.classList.contains("add-row")) {
      var first = addRow(table).querySelector("[data-col]");
      if (first) first.focus();
    } else if (target.classList.contains("remove-row")) {
      target.closest("tr").remove();
      renumber(table);
      queueChange(table.dataset.path, true);
    } else if (target.classList.contains("paste-apply")) {
      var area = target.parentNode.querySelector(".paste-area");
      if (area.value.trim()) pasteRows(table, area.value, null, 0);
      area.value = "";
    }
  });

  // Several rows copied from Excel and pasted into a cell fill the table from that cell on.
  root.addEventListener("paste", function (event) {
    var cell = event.target;
    if (!cell.dataset || !cell.dataset.col) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ""))) return;
    event.preventDefault();
    var table = cell.closest("table.list-table");
    var tr = cell.closest("tr");
    var rows = Array.from(table.querySelectorAll("tbody tr.list-item"));
    var cols = Array.from(tr.querySelectorAll("[data-col]"));
    pasteRows(table, text, rows.indexOf(tr), cols.indexOf(cell));
  });

  // Evidence uploaded or removed (evidence.js) changes the findings: ask for the page's parts.
  document.addEventListener("clusterdesk:evidence-changed", queue.refresh);
  window.addEventListener("online", queue.online);
  window.addEventListener("focus", queue.wake);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") queue.wake();
  });
  window.addEventListener("beforeunload", function (event) {
    if (!queue.busy()) return undefined;
    event.preventDefault();
    event.returnValue = "";
    return "";
  });

  // --- start: a long 清单 comes without its rows (form_lists.LONG_LIST): build them from the
  // table's data-original with the cells of 添加一行, before anything reads the boxes.
  root.querySelectorAll("table.list-table").forEach(function (table) {
    if (table.querySelector("tbody tr.list-item")) return;
    var rows = decode("list", table.dataset.original);
    if (rows.length) writeList(table, rows);
  });

  // --- start: put back what was typed but never acknowledged (the queue sends it) ------------

  queue.restore(originalOf).forEach(function (record) {
    if (!kindOf(record.path)) return;
    writeValue(record.path, record.value);
    showField(record.path);
  });
  root.querySelectorAll("[data-count], [data-decimals]").forEach(refreshLive);
  linkAll();
})();
