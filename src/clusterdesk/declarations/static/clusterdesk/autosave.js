/*
 * Autosave for the application form (no framework, no libraries).
 *
 * Every box carries data-path (its place in the form) and data-original (the value the server had
 * when the page showed it). A change is queued on input (after a pause) and on leaving the box;
 * the queue lives in localStorage until the server acknowledges it, so nothing typed is lost when
 * the network drops, the session expires or the tab closes. The server answers per change:
 * applied, conflict (somebody else changed that box meanwhile: both values are shown, the user
 * chooses) or invalid (the form refuses the value: the message is shown, the input stays).
 */
(function () {
  "use strict";

  var root = document.getElementById("application-form");
  if (!root || !root.dataset.autosaveUrl) return;

  var URL_SAVE = root.dataset.autosaveUrl;
  var PAGE = root.dataset.page;
  var STORE = "clusterdesk:autosave:" + root.dataset.application + ":";
  var DEBOUNCE_MS = 800;
  var RETRY_MIN_MS = 2000;
  var RETRY_MAX_MS = 60000;
  var LOGIN_POLL_MS = 15000;

  var statusBox = document.getElementById("autosave-status");
  var pending = {}; // path -> {path, value, original}
  var invalid = {}; // path -> {value, message}: refused values, kept in their box
  var conflicts = {}; // path -> {yours, theirs}
  var inflight = null; // the changes being sent
  var knownVersion = parseInt(root.dataset.version, 10);
  var debounceTimer = null;
  var retryTimer = null;
  var retryDelay = RETRY_MIN_MS;
  var blocked = null; // "login" | "refused" | "offline" | "error" | null
  var blockedMessage = "";
  var lastSaved = null;
  var staleNotice = false;

  // --- storage: one key per path, so two tabs of one application share what is unsent --------

  function store(record) {
    try {
      localStorage.setItem(STORE + record.path, JSON.stringify(record));
    } catch (e) {
      /* storage full or disabled: the page still holds the value */
    }
  }

  function unstore(path) {
    try {
      localStorage.removeItem(STORE + path);
    } catch (e) {
      /* ignore */
    }
  }

  function storedRecords() {
    var out = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(STORE) === 0) {
          var record = JSON.parse(localStorage.getItem(key));
          if (record && typeof record.path === "string") out.push(record);
        }
      }
    } catch (e) {
      /* unreadable storage: nothing to restore */
    }
    return out;
  }

  // --- reading and writing boxes ------------------------------------------------------------

  function boxes(path) {
    var out = [];
    var all = root.querySelectorAll("[data-path][data-kind]");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-path") === path) out.push(all[i]);
    }
    return out;
  }

  function kindOf(path) {
    var els = boxes(path);
    return els.length ? els[0].dataset.kind : null;
  }

  function decode(kind, text) {
    if (kind === "checkbox" || kind === "lines" || kind === "list") {
      try {
        return JSON.parse(text);
      } catch (e) {
        return kind === "checkbox" ? false : [];
      }
    }
    return text == null ? "" : text;
  }

  function encode(kind, value) {
    if (kind === "checkbox" || kind === "lines" || kind === "list") return JSON.stringify(value);
    return value == null ? "" : String(value);
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
    refreshLiveChecks(els[0]);
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

  function sameValue(kind, a, b) {
    return encode(kind, a) === encode(kind, b);
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
    var body = table.querySelector("tbody");
    body.innerHTML = "";
    rows.forEach(function (values) {
      var tr = addRow(table);
      tr.querySelectorAll("[data-col]").forEach(function (cell) {
        setCell(cell, values[cell.dataset.col]);
      });
    });
    renumber(table);
  }

  function setCell(cell, value) {
    var text = value == null ? "" : String(value).trim();
    if (cell.tagName === "SELECT" && text !== "") {
      var known = Array.prototype.some.call(cell.options, function (o) { return o.value === text; });
      // Keep a pasted value the list does not offer: the server names it, nothing is dropped.
      if (!known) cell.appendChild(new Option(text, text));
    }
    cell.value = text;
  }

  function addRow(table) {
    var template = table.parentNode.querySelector("template.list-blank-row");
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
    queue(table.dataset.path, true);
  }

  // --- live checks: the character count and the decimals rule, before any save -------------

  function charCount(text) {
    // As the rules count: white space is not a 字; one character per code point.
    return Array.from(text.replace(/\s/g, "")).length;
  }

  function normaliseNumber(text) {
    return text
      .replace(/[\uff10-\uff19]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
      .replace(/\uff0e/g, ".")
      .replace(/\uff0d/g, "-")
      .replace(/[,\uff0c\s]/g, "");
  }

  function numberHint(el) {
    var text = normaliseNumber(el.value);
    if (text === "") return "";
    if (!/^-?\d+(\.\d+)?$/.test(text)) return "请填写数字";
    var fraction = (text.split(".")[1] || "").replace(/0+$/, "");
    if (el.dataset.integer === "true" && fraction.length) return "应为整数";
    if (fraction.length > 2) return "保留小数点后2位（填报说明第2条），系统不作四舍五入";
    return "";
  }

  function refreshLiveChecks(el) {
    if (!el || !el.dataset) return;
    if (el.dataset.maxChars) {
      var counter = root.querySelector('[data-count-for="' + cssPath(el.dataset.path) + '"]');
      if (counter) {
        var count = charCount(el.value);
        counter.querySelector(".n").textContent = String(count);
        counter.classList.toggle("over-limit", count > parseInt(el.dataset.maxChars, 10));
      }
    }
    if (el.dataset.kind === "number") {
      var hintBox = root.querySelector('[data-hint-for="' + cssPath(el.dataset.path) + '"]');
      var hint = numberHint(el);
      if (hintBox) hintBox.textContent = hint;
      el.classList.toggle("has-hint", hint !== "");
    }
    refreshTotal();
  }

  function refreshTotal() {
    var total = root.querySelector("[data-total-limit]");
    if (!total) return;
    var count = 0;
    root.querySelectorAll(".form-rows textarea, .form-rows input[type=text], .form-rows select")
      .forEach(function (el) {
        if (el.dataset.kind !== "number" && !(el.dataset.integer === "true")) count += charCount(el.value);
      });
    total.querySelector(".n").textContent = String(count);
    total.classList.toggle("over-limit", count > parseInt(total.dataset.totalLimit, 10));
  }

  function cssPath(path) {
    return String(path).replace(/["\\]/g, "\\$&");
  }

  // --- evidence: the upload beside a ticked box, a 是, a count above zero -------------------

  function refreshEvidence(path) {
    var slot = root.querySelector('[data-evidence-for="' + cssPath(path) + '"]');
    if (!slot) return;
    var value = readValue(path);
    var when = slot.dataset.evidenceWhen;
    var shown = when === "always" ||
      (when === "ticked" && value === true) ||
      (when === "yes" && value === "是") ||
      (when === "positive" && parseFloat(normaliseNumber(String(value || ""))) > 0);
    slot.hidden = !shown;
  }

  // --- the queue ----------------------------------------------------------------------------

  function queue(path, soon) {
    var kind = kindOf(path);
    if (!kind) return;
    var value = readValue(path);
    var record = pending[path];
    if (!record) {
      var original = originalOf(path);
      if (sameValue(kind, value, original) && !invalid[path]) return;
      record = { path: path, value: value, original: original };
    } else {
      record.value = value;
    }
    pending[path] = record;
    delete invalid[path];
    store(record);
    showFieldState(path);
    setStatus();
    schedule(soon ? 0 : DEBOUNCE_MS);
  }

  function schedule(delay) {
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(flush, delay);
  }

  function retryLater(delay) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, delay);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function flush() {
    if (inflight || blocked === "refused") return;
    var changes = Object.keys(pending).map(function (path) {
      var r = pending[path];
      return { path: r.path, value: r.value, original: r.original };
    });
    if (!changes.length) {
      setStatus();
      return;
    }
    inflight = changes;
    setStatus();
    fetch(URL_SAVE, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken(),
        "X-Requested-With": "XMLHttpRequest",
        Accept: "application/json",
      },
      body: JSON.stringify({ changes: changes }),
    })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.ok && json && !response.redirected) {
          return response.json().then(function (body) { saved(changes, body); });
        }
        if (response.status === 401 || response.redirected || (response.ok && !json)) {
          return failed("login", "");
        }
        if (response.status === 403 && json) {
          return response.json().then(function (body) { failed("refused", body.error || ""); });
        }
        if (response.status === 403) {
          // Not our answer but the CSRF check: the token changed with a new login elsewhere.
          return refreshToken().then(function () { failed("login", ""); });
        }
        if (json && response.status < 500) {
          return response.json().then(function (body) { failed("error", body.error || ""); });
        }
        return failed("error", "服务器暂时无法保存，稍后自动重试");
      })
      .catch(function () { failed("offline", ""); })
      .then(function () {
        inflight = null;
        setStatus();
        if (!blocked && Object.keys(pending).length) schedule(0);
      });
  }

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

  function failed(reason, message) {
    blocked = reason;
    blockedMessage = message;
    setStatus();
    if (reason === "refused") return; // the application left the editable states: keep it local
    var delay = reason === "login" ? LOGIN_POLL_MS : retryDelay;
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
    retryLater(delay);
  }

  function saved(sent, body) {
    blocked = null;
    retryDelay = RETRY_MIN_MS;
    var sentByPath = {};
    sent.forEach(function (change) { sentByPath[change.path] = change; });

    (body.applied || []).forEach(function (path) {
      var change = sentByPath[path];
      var kind = kindOf(path);
      if (kind) setOriginal(path, change.value);
      var record = pending[path];
      if (record && kind && !sameValue(kind, record.value, change.value)) {
        record.original = change.value; // typed on while this was on its way: send the rest
        store(record);
      } else if (record && (kind || sameJSON(record.value, change.value))) {
        delete pending[path];
        unstore(path);
      }
      delete conflicts[path];
      delete invalid[path];
      showFieldState(path);
    });
    (body.conflicts || []).forEach(function (conflict) {
      var record = pending[conflict.path];
      if (record) conflict.yours = record.value; // what the box holds now, typed on or not
      delete pending[conflict.path];
      conflicts[conflict.path] = conflict;
      store({ path: conflict.path, value: conflict.yours, original: conflict.theirs, conflict: true });
      showFieldState(conflict.path);
    });
    Object.keys(body.invalid || {}).forEach(function (path) {
      var change = sentByPath[path];
      var record = pending[path];
      if (record && change && !sameJSON(record.value, change.value)) return; // typed over since
      delete pending[path];
      invalid[path] = { value: change ? change.value : null, message: body.invalid[path] };
      store({ path: path, value: invalid[path].value, original: change ? change.original : null, invalid: true });
      showFieldState(path);
    });

    if (body.previous_version !== undefined && body.previous_version !== knownVersion) staleNotice = true;
    knownVersion = body.version;
    root.dataset.version = String(body.version);
    if (body.findings) showFindings(body.findings);
    if (body.progress) showProgress(body.progress);
    lastSaved = new Date();
    setStatus();
  }

  // An evidence upload or removal changes the findings (须上传佐证材料) without a typed change:
  // ask the server for the current findings with an empty save. The version moved because of
  // our own upload, so it is taken as known rather than reported as another editor's change.
  function refreshFindings() {
    if (inflight) {
      schedule(0);
      return;
    }
    fetch(URL_SAVE, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken(),
        "X-Requested-With": "XMLHttpRequest",
        Accept: "application/json",
      },
      body: JSON.stringify({ changes: [] }),
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) return;
        knownVersion = body.version;
        root.dataset.version = String(body.version);
        if (body.findings) showFindings(body.findings);
        if (body.progress) showProgress(body.progress);
      })
      .catch(function () { /* offline: the next save brings the findings */ });
  }
  document.addEventListener("clusterdesk:evidence-changed", refreshFindings);

  function sameJSON(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // --- showing state ------------------------------------------------------------------------

  function setStatus() {
    var state;
    var text;
    var unsent = Object.keys(pending).length;
    var nInvalid = Object.keys(invalid).length;
    var nConflicts = Object.keys(conflicts).length;
    if (blocked === "offline") {
      state = "offline";
      text = "未保存：网络中断，恢复后自动保存";
    } else if (blocked === "login") {
      state = "login";
      text = "未保存：登录已过期，请在新窗口重新登录后自动保存";
    } else if (blocked === "refused") {
      state = "refused";
      text = "未保存：" + blockedMessage;
    } else if (blocked === "error") {
      state = "error";
      text = "未保存：" + blockedMessage;
    } else if (inflight || unsent) {
      state = "saving";
      text = "正在保存…";
    } else if (nConflicts) {
      state = "conflict";
      text = "未保存：" + nConflicts + " 处与他人的修改冲突" + elsewhere(conflicts) + "，请在栏目下选择保留哪一个";
    } else if (nInvalid) {
      state = "invalid";
      text = "未保存：" + nInvalid + " 处填写有误" + elsewhere(invalid) + "，请按栏目下的提示修改";
    } else {
      state = "saved";
      text = lastSaved ? "已保存 " + clock(lastSaved) : "已保存";
    }
    statusBox.dataset.state = state;
    statusBox.textContent = text;
    if (state === "login") {
      var link = document.createElement("a");
      link.href = (root.dataset.loginUrl || "/accounts/login/") + "?next=" + encodeURIComponent(location.pathname);
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "打开登录页";
      statusBox.appendChild(document.createTextNode(" "));
      statusBox.appendChild(link);
    }
    if (staleNotice) {
      var note = document.createElement("span");
      note.className = "stale";
      note.textContent = "（此申报已在其他窗口或由他人修改，刷新页面可看到最新内容）";
      statusBox.appendChild(note);
    }
  }

  // The pages (by their titles in the side list) of paths that are not on this page.
  function elsewhere(byPath) {
    var titles = [];
    Object.keys(byPath).forEach(function (path) {
      var page = path.split(".")[0];
      if (page === PAGE) return;
      var link = root.querySelector('.form-pages li[data-page="' + page + '"] a');
      var title = link ? link.textContent.trim() : page;
      if (titles.indexOf(title) < 0) titles.push(title);
    });
    return titles.length ? "（在" + titles.join("、") + "）" : "";
  }

  function clock(date) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(date.getHours()) + ":" + two(date.getMinutes()) + ":" + two(date.getSeconds());
  }

  function stateBox(path) {
    var els = boxes(path);
    if (!els.length) return null;
    var holder = els[0].closest(".value-cell, td, th, .tick-item") || els[0].parentNode;
    var box = holder.querySelector(':scope > .field-state[data-state-for="' + cssPath(path) + '"]');
    if (!box) {
      box = document.createElement("div");
      box.className = "field-state";
      box.dataset.stateFor = path;
      box.setAttribute("aria-live", "polite");
      holder.appendChild(box);
    }
    return box;
  }

  function showFieldState(path) {
    var box = stateBox(path);
    if (!box) return;
    box.innerHTML = "";
    var els = boxes(path);
    els.forEach(function (el) {
      el.classList.toggle("is-invalid", !!invalid[path]);
      el.classList.toggle("is-conflict", !!conflicts[path]);
      el.classList.toggle("is-pending", !!pending[path]);
    });
    if (invalid[path]) {
      addLine(box, "finding error unsaved", "未保存：" + invalid[path].message);
    }
    var conflict = conflicts[path];
    if (conflict) {
      var line = addLine(box, "finding conflict",
        "他人已修改此栏：" + show(conflict.theirs) + "（您的输入：" + show(conflict.yours) + "）");
      var take = button("采用他人的修改", function () {
        delete conflicts[path];
        unstore(path);
        setOriginal(path, conflict.theirs);
        writeValue(path, conflict.theirs);
        showFieldState(path);
        setStatus();
      });
      var keep = button("保留我的输入", function () {
        delete conflicts[path];
        setOriginal(path, conflict.theirs);
        writeValue(path, conflict.yours);
        queue(path, true);
        showFieldState(path);
      });
      line.appendChild(take);
      line.appendChild(keep);
    }
  }

  function show(value) {
    if (value === true) return "已勾选";
    if (value === false) return "未勾选";
    if (value == null || value === "") return "（空）";
    if (Array.isArray(value)) return value.length + " 项";
    return String(value);
  }

  function addLine(box, className, text) {
    var line = document.createElement("div");
    line.className = className;
    line.textContent = text;
    box.appendChild(line);
    return line;
  }

  function button(text, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  }

  function showFindings(byPath) {
    var holders = {};
    root.querySelectorAll(".field-findings[data-for]").forEach(function (ul) {
      ul.innerHTML = "";
      if (!holders[ul.dataset.for]) holders[ul.dataset.for] = { ul: ul, findings: [] };
    });
    root.querySelectorAll("[data-path][data-kind]").forEach(function (el) {
      el.classList.remove("has-error", "has-warning");
    });
    Object.keys(byPath).forEach(function (path) {
      if (path !== PAGE && path.indexOf(PAGE + ".") !== 0) return; // another page: counted in the list
      var at = path;
      while (!holders[at] && at.indexOf(".") > 0) at = at.slice(0, at.lastIndexOf("."));
      var holder = holders[at] || holders[PAGE];
      byPath[path].forEach(function (finding) {
        if (holder) holder.findings.push(finding);
        boxes(path).forEach(function (el) {
          if (finding.level === "error") el.classList.add("has-error");
          if (finding.level === "warning") el.classList.add("has-warning");
        });
      });
    });
    Object.keys(holders).forEach(function (key) {
      var holder = holders[key];
      shownFindings(holder.findings, holder.ul.dataset.label || "").forEach(function (finding) {
        var li = document.createElement("li");
        li.className = "finding " + finding.level + " rule-" + finding.rule;
        li.textContent = finding.message;
        holder.ul.appendChild(li);
      });
    });
  }

  // As form_page.shown_findings: the empty boxes of one table or year row make one line.
  function shownFindings(findings, label) {
    var empty = findings.filter(function (f) { return f.rule === "required"; });
    var out = findings.filter(function (f) { return f.rule !== "required" || empty.length < 2; });
    if (empty.length >= 2) {
      out.unshift({
        level: "error",
        rule: "required",
        message: "「" + label + "」有" + empty.length + "处必填项未填写；无相关情况时应填写“无”或0（填报说明第2条）",
      });
    }
    return out;
  }

  function showProgress(progress) {
    progress.forEach(function (item) {
      var li = root.querySelector('.form-pages li[data-page="' + item.page + '"]');
      if (!li) return;
      li.classList.toggle("complete", item.complete);
      li.querySelector(".fill").setAttribute("width", item.percent);
      li.querySelector(".percent").textContent = item.percent + "%";
      li.querySelector(".page-progress").title = "必填项已填 " + item.filled + " / " + item.required;
      var issues = li.querySelector(".issues");
      issues.innerHTML = "";
      if (item.errors) addSpan(issues, "errors", item.errors + " 处错误");
      if (item.warnings) addSpan(issues, "warnings", item.warnings + " 处提醒");
    });
  }

  function addSpan(parent, className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    parent.appendChild(span);
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
    refreshLiveChecks(event.target.closest("[data-path][data-kind]"));
    if (event.target.dataset.kind === "radio" || event.target.type === "checkbox") return;
    queue(path, false);
  });

  root.addEventListener("change", function (event) {
    var path = pathOf(event.target);
    if (!path) return;
    refreshEvidence(path);
    queue(path, true);
  });

  root.addEventListener("focusout", function (event) {
    var path = pathOf(event.target);
    if (path && pending[path]) schedule(0);
  });

  root.addEventListener("click", function (event) {
    var target = event.target;
    var table = target.closest && target.closest(".value-cell") &&
      target.closest(".value-cell").querySelector("table.list-table");
    if (!table) return;
    if (target.classList.contains("add-row")) {
      var tr = addRow(table);
      var first = tr.querySelector("[data-col]");
      if (first) first.focus();
    } else if (target.classList.contains("remove-row")) {
      target.closest("tr").remove();
      renumber(table);
      queue(table.dataset.path, true);
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
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr.list-item"));
    var cols = Array.prototype.slice.call(tr.querySelectorAll("[data-col]"));
    pasteRows(table, text, rows.indexOf(tr), cols.indexOf(cell));
  });

  window.addEventListener("online", function () {
    if (blocked === "offline") blocked = null;
    flush();
  });
  window.addEventListener("focus", function () {
    if (blocked === "login" || blocked === "offline") flush();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && blocked && blocked !== "refused") flush();
  });
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(pending).length || inflight || Object.keys(conflicts).length) {
      event.preventDefault();
      event.returnValue = "";
      return "";
    }
    return undefined;
  });

  // --- start: put back what was typed but never acknowledged, and send it --------------------

  storedRecords().forEach(function (record) {
    var kind = kindOf(record.path);
    if (record.conflict) {
      conflicts[record.path] = { path: record.path, yours: record.value, theirs: record.original };
      if (kind) writeValue(record.path, record.value);
      showFieldState(record.path);
      return;
    }
    if (kind && sameValue(kind, record.value, originalOf(record.path))) {
      unstore(record.path); // the server has it already
      return;
    }
    // Boxes of other pages are sent from here too: the application is the same.
    pending[record.path] = { path: record.path, value: record.value, original: record.original };
    if (kind) {
      writeValue(record.path, record.value);
      showFieldState(record.path);
    }
  });
  root.querySelectorAll("[data-max-chars], [data-kind=number]").forEach(refreshLiveChecks);
  refreshTotal();
  setStatus();
  if (Object.keys(pending).length) schedule(0);
})();
