// Loads a script of the site as the browser would (a plain <script>, attaching to window) and
// returns what it exports, so that the tests run the very file the page loads.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const STATIC = path.join(__dirname, "../../src/clusterdesk/declarations/static/clusterdesk");

function load(name) {
  const window = {};
  const code = fs.readFileSync(path.join(STATIC, name), "utf8");
  // In this realm (not a new vm context), so that its arrays and objects compare as ours do.
  vm.runInThisContext(`(function (window) {${code}\n})`, { filename: name })(window);
  const exported = Object.keys(window);
  if (exported.length !== 1) throw new Error(`${name} should attach one name to window`);
  return window[exported[0]];
}

module.exports = { load, STATIC };
