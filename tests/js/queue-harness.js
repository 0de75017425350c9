// Stand-ins for what autosave-queue.js uses from the browser: time, the network, localStorage.
// The tests drive them: time passes when they say, each request waits for the answer they give.
"use strict";

const Queue = require("./scripts").load("autosave-queue.js");

const PREFIX = "clusterdesk:autosave:7:";

function memoryStorage(records = []) {
  const items = new Map(records.map((r) => [PREFIX + r.path, JSON.stringify(r)]));
  return {
    get length() { return items.size; },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
    records: () => [...items.values()].map((v) => JSON.parse(v)),
  };
}

// Lets the promise chains of an answer run to their end.
const settle = () => new Promise((resolve) => setImmediate(resolve));

function response({ status = 200, body = {}, json = true, redirected = false }) {
  return {
    status,
    ok: status >= 200 && status < 300,
    redirected,
    headers: { get: () => (json ? "application/json" : "text/html; charset=utf-8") },
    json: () => Promise.resolve(body),
  };
}

// The server's answer applying ``changes`` (what was sent, or [{path}]).
function answer(changes, extra = {}) {
  const applied = changes.map((c) => c.path);
  const html = '<ul id="x"></ul>';
  return { version: 4, previous_version: 3, applied, conflicts: [], invalid: {}, html, ...extra };
}

function harness({ stored = [] } = {}) {
  let now = 0;
  let timers = [];
  let seq = 0;
  const h = {
    requests: [],
    statuses: [],
    fields: [],
    applied: [],
    html: [],
    storage: memoryStorage(stored),
    tokenRefreshed: 0,
  };
  h.queue = Queue.create({
    url: "/applications/7/autosave/",
    page: "part1",
    key: PREFIX,
    version: 3,
    storage: h.storage,
    fetch: (url, init) =>
      new Promise((resolve, reject) => {
        h.requests.push({ url, init, body: JSON.parse(init.body), resolve, reject });
      }),
    setTimeout: (fn, ms) => {
      timers.push({ id: ++seq, at: now + ms, fn });
      return seq;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    now: () => new Date(2023, 3, 10, 9, 5, 7),
    csrfToken: () => "token",
    refreshToken: () => {
      h.tokenRefreshed += 1;
      return Promise.resolve();
    },
    titleOf: (page) => ({ part2: "二、主导产业情况" })[page] || page,
    applied: (path, value) => h.applied.push([path, value]),
    field: (path) => h.fields.push(path),
    html: (html) => h.html.push(html),
    status: (s) => h.statuses.push(s),
  });
  // Time passes: the timers due run, each followed by what their promises set off.
  h.wait = async (ms) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
      await settle();
    }
    now = until;
  };
  h.reply = async (options) => {
    const request = h.requests.shift();
    const r = typeof options === "function" ? options(request.body) : options;
    request.resolve(response(r));
    await settle();
    return request;
  };
  h.drop = async () => {
    h.requests.shift().reject(new TypeError("Failed to fetch"));
    await settle();
  };
  h.status = () => h.statuses[h.statuses.length - 1];
  return h;
}

module.exports = { Queue, harness, answer };
