// Unit tests of form-live.js, the live checks of the form page (node --test; no npm packages).
// tests/js/test_scripts.py runs them, and runs the same functions against the Python rules.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const Live = require("./scripts").load("form-live.js");

const HINTS = {
  number: "应为数字",
  integer: "应为整数",
  decimals: "保留小数点后2位",
  none: "无 /",
  units: "亿元 万元 % 家",
};

test("characters are counted without white space, one per code point", () => {
  assert.equal(Live.count("宁波 模具\t产业\n集群", "non-space"), 8);
  assert.equal(Live.count("\u3000全角空格\u3000", "non-space"), 4);
  assert.equal(Live.count("😀A", "non-space"), 2);
  assert.equal(Live.count("", "non-space"), 0);
  assert.equal(Live.count("abc", "no-such-rule"), 0);
});

test("a number box hints only what the save would say", () => {
  const hint = (text, decimals) => Live.numberHint(text, decimals, HINTS);
  assert.equal(hint("", 2), "");
  assert.equal(hint("108.60", 2), "");
  assert.equal(hint("1,234．５", 2), ""); // separators and full-width forms are read
  assert.equal(hint("-3.5", 2), "");
  assert.equal(hint("108.605", 2), HINTS.decimals);
  assert.equal(hint("1.2300", 2), ""); // trailing zeros are no extra precision
  assert.equal(hint("约120", 2), HINTS.number);
  assert.equal(hint("12.", 2), HINTS.number);
  assert.equal(hint("1.5", 0), HINTS.integer);
  assert.equal(hint("1.0", 0), "");
  assert.equal(hint("约120", 0), HINTS.integer); // a count box: the save says 应为整数
  assert.equal(hint("１２０", 0), "");
});

test("无 and a unit typed after the number are read, as the save reads them", () => {
  const hint = (text, decimals) => Live.numberHint(text, decimals, HINTS);
  assert.equal(hint("无", 2), "");
  assert.equal(hint("/", 0), "");
  assert.equal(hint("108.6亿元", 2), "");
  assert.equal(hint("36.8%", 2), "");
  assert.equal(hint("36.8%", 0), HINTS.integer);
  assert.equal(hint("12家", 0), "");
  assert.equal(hint("12吨", 0), HINTS.integer); // not a unit the page names
  assert.equal(Live.number("108.6亿元", HINTS), "108.6");
  assert.equal(Live.number("无", HINTS), Live.number("/", HINTS));
  assert.equal(Live.number("无"), null); // without the page's words nothing is read as 无
});

test("numbers are read as the server stores them", () => {
  assert.equal(Live.number(" 1, 234.50 "), "1234.50");
  assert.equal(Live.number("１２３．４"), "123.4");
  assert.equal(Live.number(""), "");
  assert.equal(Live.number("12a"), null);
});

test("the evidence upload follows the trigger the box declares", () => {
  assert.equal(Live.evidenceShown("ticked", true), true);
  assert.equal(Live.evidenceShown("ticked", false), false);
  assert.equal(Live.evidenceShown("is:是", "是"), true);
  assert.equal(Live.evidenceShown("is:是", "否"), false);
  assert.equal(Live.evidenceShown("positive", "3"), true);
  assert.equal(Live.evidenceShown("positive", "０.５"), true);
  assert.equal(Live.evidenceShown("positive", "0"), false);
  assert.equal(Live.evidenceShown("positive", ""), false);
  assert.equal(Live.evidenceShown("positive", "很多"), false);
  assert.equal(Live.evidenceShown("not:无", "已建立"), true);
  assert.equal(Live.evidenceShown("not:无", ""), true);
  assert.equal(Live.evidenceShown("not:无", " 无 "), false);
  assert.equal(Live.evidenceShown("unknown", true), false);
});

// A stand-in for a box: only the attribute calls linkMessages makes.
function fakeBox(attributes = {}) {
  const attrs = { ...attributes };
  return {
    attrs,
    getAttribute: (name) => (name in attrs ? attrs[name] : null),
    setAttribute: (name, value) => { attrs[name] = String(value); },
    removeAttribute: (name) => { delete attrs[name]; },
  };
}

test("a box names the messages that show and is invalid while one is an error", () => {
  const box = fakeBox();
  Live.linkMessages(box, [
    { id: "finding-part2.total_output-1", shown: true, error: true },
    { id: "hint-part2.total_output.2021", shown: false, error: true },
    { id: "count-x", shown: true, error: false },
  ]);
  assert.deepEqual(box.attrs, {
    "aria-describedby": "finding-part2.total_output-1 count-x",
    "aria-invalid": "true",
  });
});

test("a message that only describes (a count, a conflict, a to-do) does not make it invalid", () => {
  const box = fakeBox({ "aria-invalid": "true", "aria-describedby": "finding-old-1" });
  Live.linkMessages(box, [
    { id: "count-x", shown: true, error: false },
    { id: "state-x", shown: true, error: false },
  ]);
  assert.deepEqual(box.attrs, { "aria-describedby": "count-x state-x" });
});

test("once the messages are gone, so are the links", () => {
  const box = fakeBox({ "aria-invalid": "true", "aria-describedby": "hint-x finding-x-1" });
  Live.linkMessages(box, [
    { id: "hint-x", shown: false, error: true },
    { id: "", shown: true, error: true }, // a message without an id cannot be named
  ]);
  assert.deepEqual(box.attrs, {});
});

test("a message named twice (two findings lists, one element) is listed once", () => {
  const box = fakeBox();
  Live.linkMessages(box, [
    { id: "finding-a-1", shown: true, error: false },
    { id: "finding-a-1", shown: true, error: false },
  ]);
  assert.equal(box.attrs["aria-describedby"], "finding-a-1");
  assert.equal(box.attrs["aria-invalid"], undefined);
});
