// Unit tests of autosave-queue.js: sending, retrying, keeping and conflicts, without a browser.
// Time, the network and localStorage are stand-ins (queue-harness.js). node --test, no npm.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const { Queue, harness, answer } = require("./queue-harness");

const saveAll = (body) => ({ body: answer(body.changes) });

test("a change waits for a pause in typing, then goes with the page's key", async () => {
  const h = harness();
  h.queue.change("part1.operator", "张", "", false);
  h.queue.change("part1.operator", "张立群", "", false);
  assert.equal(h.status().state, "saving");
  assert.equal(h.status().text, "正在保存…");
  await h.wait(799);
  assert.equal(h.requests.length, 0);
  await h.wait(1);
  assert.equal(h.requests.length, 1);
  const { url, init, body } = h.requests[0];
  assert.equal(url, "/applications/7/autosave/");
  assert.equal(init.headers["X-CSRFToken"], "token");
  const sent = [{ path: "part1.operator", value: "张立群", original: "" }];
  assert.deepEqual(body, { page: "part1", changes: sent });
  assert.equal(h.storage.records().length, 1); // kept until the server has it

  await h.reply(saveAll);
  assert.deepEqual(h.applied, [["part1.operator", "张立群"]]);
  assert.deepEqual(h.storage.records(), []);
  assert.deepEqual(h.html, ['<ul id="x"></ul>']);
  assert.equal(h.status().state, "saved");
  assert.equal(h.status().text, "已保存 09:05:07");
  assert.equal(h.queue.busy(), false);
});

test("a value back to what the server has is not sent", async () => {
  const h = harness();
  h.queue.change("part1.operator", "甲", "甲", false);
  await h.wait(1000);
  assert.equal(h.requests.length, 0);
  assert.equal(h.statuses.length, 0);
});

test("leaving a box sends at once; one request at a time, the rest after it", async () => {
  const h = harness();
  h.queue.change("part1.operator", "甲", "", false);
  h.queue.leave("part1.operator");
  await h.wait(0);
  assert.equal(h.requests.length, 1);
  h.queue.change("part1.operator", "甲乙", "", true); // typed on while the first is on its way
  h.queue.change("part1.contact", "李", "", true);
  await h.wait(0);
  assert.equal(h.requests.length, 1);
  await h.reply(saveAll);
  await h.wait(0);
  assert.equal(h.requests.length, 1);
  assert.deepEqual(h.requests[0].body.changes, [
    { path: "part1.operator", value: "甲乙", original: "甲" }, // against what the server has now
    { path: "part1.contact", value: "李", original: "" },
  ]);
  await h.reply(saveAll);
  assert.deepEqual(h.storage.records(), []);
  assert.equal(h.status().state, "saved");
});

test("offline: kept, retried after growing pauses, sent once the network is back", async () => {
  const h = harness();
  h.queue.change("part1.operator", "李海燕", "张立群", true);
  await h.wait(0);
  await h.drop();
  assert.equal(h.status().state, "offline");
  assert.equal(h.status().text, "未保存：网络中断，恢复后自动保存");
  assert.equal(h.storage.records()[0].value, "李海燕");
  assert.equal(h.queue.busy(), true);
  await h.wait(1999);
  assert.equal(h.requests.length, 0);
  await h.wait(1);
  await h.drop(); // after 2 s
  await h.wait(3999);
  assert.equal(h.requests.length, 0);
  await h.wait(1);
  await h.drop(); // after 4 s more
  h.queue.online();
  assert.equal(h.requests.length, 1);
  await h.reply(saveAll);
  assert.equal(h.status().state, "saved");
  assert.deepEqual(h.storage.records(), []);
});

test("the pause between retries stops growing at a minute", async () => {
  const h = harness();
  h.queue.change("part1.operator", "甲", "", true);
  await h.wait(0);
  const pauses = [];
  let last = 0;
  for (let i = 0; i < 8; i++) {
    await h.drop();
    let waited = 0;
    while (!h.requests.length) {
      await h.wait(1000);
      waited += 1000;
    }
    pauses.push(waited);
    last = waited;
  }
  assert.deepEqual(pauses, [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  assert.equal(last, Queue.DELAYS.retryMax);
});

test("an expired login: the status says so with a link; the queue tries every 15 s", async () => {
  const h = harness();
  h.queue.change("part1.operator", "甲", "", true);
  await h.wait(0);
  await h.reply({ status: 401, body: { error: "登录已过期", reason: "login" } });
  assert.equal(h.status().state, "login");
  assert.equal(h.status().text, "未保存：登录已过期，请在新窗口重新登录后自动保存");
  assert.equal(h.status().link, "打开登录页");
  await h.wait(14999);
  assert.equal(h.requests.length, 0);
  await h.wait(1);
  await h.reply({ status: 200, json: false, redirected: true }); // the login page
  assert.equal(h.status().state, "login");
  await h.wait(15000);
  await h.reply(saveAll); // logged in again elsewhere
  assert.equal(h.status().state, "saved");
});

test("a CSRF refusal (not our JSON) fetches the new token and waits for the login", async () => {
  const h = harness();
  h.queue.change("part1.operator", "甲", "", true);
  await h.wait(0);
  await h.reply({ status: 403, json: false });
  assert.equal(h.tokenRefreshed, 1);
  assert.equal(h.status().state, "login");
});

test("a refused edit is kept in the browser and not retried", async () => {
  const h = harness();
  h.queue.change("part1.operator", "甲", "", true);
  await h.wait(0);
  await h.reply({ status: 403, body: { error: "申报已提交，不能再修改。", reason: "refused" } });
  assert.equal(h.status().state, "refused");
  assert.equal(h.status().text, "未保存：申报已提交，不能再修改。");
  await h.wait(120000);
  assert.equal(h.requests.length, 0);
  h.queue.wake();
  assert.equal(h.requests.length, 0);
  assert.equal(h.storage.records().length, 1);
});

test("a server error is retried; a 400 shows the server's message", async () => {
  const h = harness();
  h.queue.change("part1.operator", "甲", "", true);
  await h.wait(0);
  await h.reply({ status: 502, json: false });
  assert.equal(h.status().text, "未保存：服务器暂时无法保存，稍后自动重试");
  await h.wait(2000);
  await h.reply({ status: 400, body: { error: "保存请求应包含 changes 列表" } });
  assert.equal(h.status().state, "error");
  assert.equal(h.status().text, "未保存：保存请求应包含 changes 列表");
  h.queue.wake(); // back in view: try again at once
  assert.equal(h.requests.length, 1);
});

test("a conflict: both values shown, the user takes theirs or keeps their own", async () => {
  const h = harness();
  const path = "part1.operator";
  h.queue.change(path, "乙管委会", "", true);
  await h.wait(0);
  await h.reply({ body: answer([], { conflicts: [{ path, yours: "乙管委会", theirs: "甲管委会" }] }) });
  assert.equal(h.status().state, "conflict");
  assert.equal(h.status().text, "未保存：1 处与他人的修改冲突，请在栏目下选择保留哪一个");
  const state = h.queue.fieldState(path);
  assert.equal(state.conflict.text, "他人已修改此栏：甲管委会（您的输入：乙管委会）");
  assert.deepEqual([state.conflict.take, state.conflict.keep], ["采用他人的修改", "保留我的输入"]);
  const kept = { path, value: "乙管委会", original: "甲管委会", conflict: true };
  assert.deepEqual(h.storage.records(), [kept]);
  assert.equal(h.queue.busy(), true);

  const mine = h.queue.keepMine(path);
  assert.equal(mine.yours, "乙管委会");
  await h.wait(0);
  assert.deepEqual(h.requests[0].body.changes, [{ path, value: "乙管委会", original: "甲管委会" }]);
  await h.reply(saveAll);
  assert.equal(h.status().state, "saved");
  assert.equal(h.queue.fieldState(path).conflict, undefined);
});

test("taking the other editor's value drops one's own", async () => {
  const h = harness();
  const path = "part2.chain_map"; // on another page: the status names it
  h.queue.change(path, true, false, true);
  await h.wait(0);
  await h.reply({ body: answer([], { conflicts: [{ path, yours: true, theirs: false }] }) });
  assert.equal(h.status().text, "未保存：1 处与他人的修改冲突（在二、主导产业情况），请在栏目下选择保留哪一个");
  assert.equal(h.queue.fieldState(path).conflict.text, "他人已修改此栏：未勾选（您的输入：已勾选）");
  assert.equal(h.queue.takeTheirs(path), false);
  assert.deepEqual(h.storage.records(), []);
  assert.equal(h.status().state, "saved");
  await h.wait(5000);
  assert.equal(h.requests.length, 0);
});

test("a refused value stays in its box with the server's message until it is changed", async () => {
  const h = harness();
  const path = "part2.enterprises.2021";
  h.queue.change(path, "约120", "", true);
  await h.wait(0);
  await h.reply({ body: answer([], { invalid: { [path]: "「集群企业数量」·2021年：应为整数" } }) });
  assert.equal(h.status().state, "invalid");
  assert.equal(h.status().text, "未保存：1 处填写有误（在二、主导产业情况），请按栏目下的提示修改");
  assert.equal(h.queue.fieldState(path).invalid, "未保存：「集群企业数量」·2021年：应为整数");
  assert.equal(h.storage.records()[0].invalid, true);
  h.queue.change(path, "", "", true); // even back to the stored value, it is sent
  await h.wait(0);
  assert.deepEqual(h.requests[0].body.changes, [{ path, value: "", original: "" }]);
  await h.reply(saveAll);
  assert.equal(h.queue.fieldState(path).invalid, undefined);
  assert.equal(h.status().state, "saved");
});

test("a value typed over while refused on its way is sent again, not marked refused", async () => {
  const h = harness();
  const path = "part2.enterprises.2021";
  h.queue.change(path, "约120", "", true);
  await h.wait(0);
  h.queue.change(path, "120", "", false);
  await h.reply({ body: answer([], { invalid: { [path]: "应为整数" } }) });
  assert.equal(h.queue.fieldState(path).invalid, undefined);
  await h.wait(800);
  assert.deepEqual(h.requests[0].body.changes, [{ path, value: "120", original: "" }]);
});

test("another editor's save in between is noticed; our own evidence upload is not", async () => {
  const h = harness();
  h.queue.refresh(); // after an upload: the version moved by our own hand
  assert.deepEqual(h.requests[0].body, { page: "part1", changes: [] });
  await h.reply({ body: answer([], { version: 5, html: '<nav id="form-pages"></nav>' }) });
  assert.deepEqual(h.html, ['<nav id="form-pages"></nav>']);
  h.queue.change("part1.operator", "甲", "", true);
  await h.wait(0);
  const operator = [{ path: "part1.operator" }];
  await h.reply({ body: answer(operator, { version: 6, previous_version: 5 }) });
  assert.equal(h.status().note, "");
  h.queue.change("part1.operator", "乙", "甲", true);
  await h.wait(0);
  await h.reply({ body: answer(operator, { version: 9, previous_version: 7 }) });
  assert.equal(h.status().note, "（此申报已在其他窗口或由他人修改，刷新页面可看到最新内容）");
});

test("a refresh asked for during a save comes after it", async () => {
  const h = harness();
  h.queue.change("part1.operator", "甲", "", true);
  await h.wait(0);
  h.queue.refresh();
  assert.equal(h.requests.length, 1);
  await h.reply(saveAll);
  assert.equal(h.requests.length, 0); // that answer already brought the page's parts
  h.queue.change("part1.operator", "乙", "甲", true);
  await h.wait(0);
  h.queue.refresh(); // the upload ended after this save was sent
  h.queue.refresh();
  await h.reply(saveAll);
  await h.wait(0);
  assert.equal(h.requests.length, 1);
  assert.deepEqual(h.requests[0].body.changes, []);
});

test("at the start, what was never acknowledged is put back and sent", async () => {
  const stored = [
    { path: "part1.operator", value: "李海燕", original: "张立群" },
    { path: "part1.contact", value: "王", original: "" }, // the server has it already
    { path: "part2.total_output.2021", value: "108.60", original: null }, // another page
    { path: "part1.phone", value: "0574", original: "0575", conflict: true },
  ];
  const h = harness({ stored });
  const onPage = { "part1.operator": "张立群", "part1.contact": "王", "part1.phone": "0574" };
  const back = h.queue.restore((path) => onPage[path]);
  const kept = ["part1.operator", "part2.total_output.2021", "part1.phone"];
  assert.deepEqual(back.map((r) => r.path), kept);
  assert.deepEqual(h.storage.records().map((r) => r.path), kept);
  assert.equal(h.status().state, "saving");
  await h.wait(0);
  assert.deepEqual(h.requests[0].body.changes.map((c) => c.path), kept.slice(0, 2));
  await h.reply(saveAll);
  assert.equal(h.status().state, "conflict");
  assert.equal(h.queue.fieldState("part1.phone").conflict.text, "他人已修改此栏：0575（您的输入：0574）");
});

test("unreadable or full storage loses only the copy, not the change", async () => {
  const h = harness();
  h.storage.setItem = () => {
    throw new Error("QuotaExceededError");
  };
  h.queue.change("part1.operator", "甲", "", true);
  await h.wait(0);
  assert.equal(h.requests.length, 1);
  const broken = harness();
  broken.storage.key = () => {
    throw new Error("SecurityError");
  };
  assert.deepEqual(broken.queue.restore(() => undefined), []);
});

test("how the server read a typed number is noted at its box until the box changes", async () => {
  const h = harness();
  const path = "part2.total_output.2021";
  const note = "已按“108.6”保存（去掉单位亿元）";
  h.queue.change(path, "108.6亿元", "", true);
  await h.wait(0);
  await h.reply((body) => ({ body: answer(body.changes, { normalised: { [path]: note } }) }));
  assert.equal(h.queue.fieldState(path).note, note);
  assert.equal(h.queue.fieldState(path).invalid, undefined);
  assert.equal(h.status().state, "saved");
  h.queue.change(path, "109", "108.6亿元", false); // typed on: the note no longer applies
  assert.equal(h.queue.fieldState(path).note, undefined);
});
