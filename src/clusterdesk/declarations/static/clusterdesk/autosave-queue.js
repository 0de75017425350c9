/*
 * The autosave queue: every change until the server has it. No DOM: the page (autosave.js)
 * reads the boxes, hands over each change and shows what the hooks report.
 *
 * A change waits a moment for more typing, then goes with all others in one request, one
 * request at a time. Until the server acknowledges it, it is kept in localStorage (one key per
 * path, so two tabs of one application share what is unsent) and sent again after a reload. A
 * network or server failure is retried after growing pauses; an expired login is retried until
 * a new login in another window works. The server answers per change: applied, a conflict
 * (somebody else changed the box meanwhile: the user chooses) or invalid (refused, with its
 * message). The status line and the words of a conflict are the queue's.
 * Unit tests: tests/js/autosave-queue.test.js.
 */
window.ClusterdeskAutosaveQueue = (function () {
  "use strict";

  var DELAYS = { debounce: 800, retryMin: 2000, retryMax: 60000, loginPoll: 15000 };

  var TEXT = {
    saved: "已保存",
    saving: "正在保存…",
    offline: "未保存：网络中断，恢复后自动保存",
    login: "未保存：登录已过期，请在新窗口重新登录后自动保存",
    loginLink: "打开登录页",
    unsaved: "未保存：",
    serverDown: "服务器暂时无法保存，稍后自动重试",
    stale: "（此申报已在其他窗口或由他人修改，刷新页面可看到最新内容）",
    theirs: "他人已修改此栏：",
    takeTheirs: "采用他人的修改",
    keepMine: "保留我的输入",
  };

  function sameJSON(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function shown(value) {
    if (typeof value === "boolean") return value ? "已勾选" : "未勾选";
    if (value == null || value === "") return "（空）";
    return Array.isArray(value) ? value.length + " 项" : String(value);
  }

  function clock(date) {
    return [date.getHours(), date.getMinutes(), date.getSeconds()]
      .map(function (n) { return (n < 10 ? "0" : "") + n; })
      .join(":");
  }

  /*
   * o: url, page, key (the localStorage prefix), version (as the page was rendered), storage,
   * fetch, setTimeout, clearTimeout, now() -> Date, csrfToken(), refreshToken() -> Promise,
   * same(path, a, b), titleOf(page key), and the hooks applied(path, value) (the server has
   * it now), field(path) (its state changed), html(parts rendered by the server), status(s).
   */
  function create(o) {
    var pending = {}; // path -> {path, value, original}
    var invalid = {}; // path -> {value, message}: refused values, kept in their box
    var conflicts = {}; // path -> {path, yours, theirs}
    var notes = {}; // path -> what the server changed to read a typed number (body.normalised)
    var inflight = null;
    var knownVersion = o.version;
    var timers = {};
    var retryDelay = DELAYS.retryMin;
    var blocked = null; // "login" | "refused" | "offline" | "error" | null
    var blockedMessage = "";
    var lastSaved = null;
    var staleNotice = false;
    var refreshWanted = false;
    var same = o.same || function (path, a, b) { return sameJSON(a, b); };

    // One key per path; a full or disabled storage only loses the copy, the page has the value.
    function keep(path, record) {
      try {
        if (record) o.storage.setItem(o.key + path, JSON.stringify(record));
        else o.storage.removeItem(o.key + path);
      } catch (e) { /* ignore */ }
    }

    function stored() {
      var out = [];
      try {
        for (var i = 0; i < o.storage.length; i++) {
          var key = o.storage.key(i);
          var record = key && key.indexOf(o.key) === 0 ? JSON.parse(o.storage.getItem(key)) : null;
          if (record && typeof record.path === "string") out.push(record);
        }
      } catch (e) { /* unreadable storage: nothing to restore */ }
      return out;
    }

    function later(name, delay) {
      o.clearTimeout(timers[name]);
      timers[name] = o.setTimeout(flush, delay);
    }

    function post(changes) {
      return o.fetch(o.url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "X-CSRFToken": o.csrfToken(),
          "X-Requested-With": "XMLHttpRequest",
          Accept: "application/json",
        },
        body: JSON.stringify({ page: o.page, changes: changes }),
      });
    }

    // A value typed in a box, against what the server had (original).
    function change(path, value, original, soon) {
      var record = pending[path];
      if (!record) {
        if (same(path, value, original) && !invalid[path]) return;
        record = { path: path, value: value, original: original };
      }
      record.value = value;
      pending[path] = record;
      delete invalid[path];
      delete notes[path];
      keep(path, record);
      o.field(path);
      setStatus();
      later("debounce", soon ? 0 : DELAYS.debounce);
    }

    function flush() {
      if (inflight || blocked === "refused") return;
      var changes = Object.keys(pending).map(function (path) {
        var r = pending[path];
        return { path: r.path, value: r.value, original: r.original };
      });
      if (!changes.length) {
        setStatus();
        if (refreshWanted) refresh();
        return;
      }
      inflight = changes;
      refreshWanted = false; // this answer brings the page's parts as they are now
      setStatus();
      post(changes)
        .then(function (response) {
          var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          var then = function (next) { return response.json().then(next); };
          if (response.ok && json && !response.redirected) {
            return then(function (b) { saved(changes, b); });
          }
          if (response.status === 401 || response.redirected || response.ok) return failed("login");
          if (response.status === 403 && !json) {
            // Not our answer but the CSRF check: the token changed with a new login elsewhere.
            return o.refreshToken().then(function () { failed("login"); });
          }
          if (response.status === 403) return then(function (b) { failed("refused", b.error); });
          if (json && response.status < 500) {
            return then(function (b) { failed("error", b.error); });
          }
          return failed("error", TEXT.serverDown);
        })
        .catch(function () { failed("offline"); })
        .then(function () {
          inflight = null;
          setStatus();
          if (!blocked && (Object.keys(pending).length || refreshWanted)) later("debounce", 0);
        });
    }

    function failed(reason, message) {
      blocked = reason;
      blockedMessage = message || "";
      setStatus();
      if (reason === "refused") return; // the application left the editable states: keep it local
      later("retry", reason === "login" ? DELAYS.loginPoll : retryDelay);
      retryDelay = Math.min(retryDelay * 2, DELAYS.retryMax);
    }

    function saved(sent, body) {
      blocked = null;
      retryDelay = DELAYS.retryMin;
      var sentByPath = {};
      sent.forEach(function (c) { sentByPath[c.path] = c; });
      (body.applied || []).forEach(function (path) {
        var value = sentByPath[path].value;
        var record = pending[path];
        o.applied(path, value);
        if (record && !same(path, record.value, value)) {
          record.original = value; // typed on while this was on its way: send the rest
          keep(path, record);
        } else if (record) {
          delete pending[path];
          keep(path, null);
        }
        delete conflicts[path];
        delete invalid[path];
        if (body.normalised && body.normalised[path]) notes[path] = body.normalised[path];
        o.field(path);
      });
      (body.conflicts || []).forEach(function (c) {
        if (pending[c.path]) c.yours = pending[c.path].value; // what the box holds now
        delete pending[c.path];
        conflicts[c.path] = c;
        keep(c.path, { path: c.path, value: c.yours, original: c.theirs, conflict: true });
        o.field(c.path);
      });
      Object.keys(body.invalid || {}).forEach(function (path) {
        var sentChange = sentByPath[path] || { value: null, original: null };
        var record = pending[path];
        if (record && !sameJSON(record.value, sentChange.value)) return; // typed over since
        delete pending[path];
        invalid[path] = { value: sentChange.value, message: body.invalid[path] };
        keep(path, {
          path: path, value: sentChange.value, original: sentChange.original, invalid: true,
        });
        o.field(path);
      });
      if (body.previous_version !== undefined && body.previous_version !== knownVersion) {
        staleNotice = true;
      }
      knownVersion = body.version;
      if (body.html) o.html(body.html);
      lastSaved = o.now();
      setStatus();
    }

    // Evidence uploaded or removed changes the findings (须上传佐证材料) without a typed change:
    // an empty save brings the page's parts. The version moved by our own upload, so it is taken
    // as known rather than reported as another editor's change.
    function refresh() {
      if (inflight) {
        refreshWanted = true; // after the save on its way, which may predate the upload
        return Promise.resolve();
      }
      refreshWanted = false;
      return post([])
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (!body) return;
          knownVersion = body.version;
          if (body.html) o.html(body.html);
        })
        .catch(function () { /* offline: the next save brings them */ });
    }

    // The user takes the other editor's value, which is returned for the box.
    function takeTheirs(path) {
      var conflict = conflicts[path];
      delete conflicts[path];
      keep(path, null);
      o.field(path);
      setStatus();
      return conflict.theirs;
    }

    // The user keeps their own: sent again, over the other editor's value.
    function keepMine(path) {
      var conflict = conflicts[path];
      delete conflicts[path];
      change(path, conflict.yours, conflict.theirs, true);
      o.field(path);
      return conflict;
    }

    // What the page shows at a box: {pending, invalid: text, note: text (how a typed number was
    // read, e.g. 已按“1086000”保存（单位亿元换算为万元）), conflict: {text, take, keep}}.
    function fieldState(path) {
      var out = { pending: !!pending[path] };
      if (invalid[path]) out.invalid = TEXT.unsaved + invalid[path].message;
      if (notes[path]) out.note = notes[path];
      var c = conflicts[path];
      if (c) {
        var text = TEXT.theirs + shown(c.theirs) + "（您的输入：" + shown(c.yours) + "）";
        out.conflict = { text: text, take: TEXT.takeTheirs, keep: TEXT.keepMine };
      }
      return out;
    }

    function status() {
      var out = { state: blocked || "saved", text: "", link: "" };
      out.note = staleNotice ? TEXT.stale : "";
      var nConflicts = Object.keys(conflicts).length;
      var nInvalid = Object.keys(invalid).length;
      if (blocked === "offline" || blocked === "login") {
        out.text = TEXT[blocked];
        out.link = blocked === "login" ? TEXT.loginLink : "";
      } else if (blocked) {
        out.text = TEXT.unsaved + blockedMessage; // refused | error
      } else if (inflight || Object.keys(pending).length) {
        out.state = "saving";
        out.text = TEXT.saving;
      } else if (nConflicts) {
        out.state = "conflict";
        out.text = TEXT.unsaved + nConflicts + " 处与他人的修改冲突" + elsewhere(conflicts) +
          "，请在栏目下选择保留哪一个";
      } else if (nInvalid) {
        out.state = "invalid";
        out.text = TEXT.unsaved + nInvalid + " 处填写有误" + elsewhere(invalid) +
          "，请按栏目下的提示修改";
      } else {
        out.text = lastSaved ? TEXT.saved + " " + clock(lastSaved) : TEXT.saved;
      }
      return out;
    }

    function setStatus() {
      o.status(status());
    }

    // The titles of the pages, other than this one, that hold these paths.
    function elsewhere(byPath) {
      var titles = [];
      Object.keys(byPath).forEach(function (path) {
        var page = path.split(".")[0];
        var title = page === o.page ? null : o.titleOf(page);
        if (title !== null && titles.indexOf(title) < 0) titles.push(title);
      });
      return titles.length ? "（在" + titles.join("、") + "）" : "";
    }

    // At the start: what was typed but never acknowledged. originalOf(path) is the value the
    // page has from the server, undefined for a box of another page. Returns the records whose
    // values the page puts back in its boxes; the unsent ones are sent.
    function restore(originalOf) {
      var back = [];
      stored().forEach(function (r) {
        var original = originalOf(r.path);
        if (r.conflict) {
          conflicts[r.path] = { path: r.path, yours: r.value, theirs: r.original };
        } else if (original !== undefined && same(r.path, r.value, original)) {
          return keep(r.path, null); // the server has it already
        } else {
          // Boxes of other pages are sent from here too: the application is the same.
          pending[r.path] = { path: r.path, value: r.value, original: r.original };
        }
        back.push(r);
      });
      setStatus();
      if (Object.keys(pending).length) later("debounce", 0);
      return back;
    }

    return {
      change: change,
      flush: flush,
      refresh: refresh,
      takeTheirs: takeTheirs,
      keepMine: keepMine,
      restore: restore,
      fieldState: fieldState,
      status: status,
      // The user left the box: its change goes at once.
      leave: function (path) {
        if (pending[path]) later("debounce", 0);
      },
      // Leaving the page now would lose something.
      busy: function () {
        return !!(inflight || Object.keys(pending).length || Object.keys(conflicts).length);
      },
      online: function () {
        if (blocked === "offline") blocked = null;
        flush();
      },
      // The window is in view again: a good moment to retry after a failure.
      wake: function () {
        if (blocked && blocked !== "refused") flush();
      },
    };
  }

  return { create: create, DELAYS: DELAYS };
})();
