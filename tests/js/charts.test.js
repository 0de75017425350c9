// Unit tests of charts.js, the monitoring pages' charts (node --test; no npm packages): the
// ECharts option and the table built from the page's JSON. Drawing is tested in the browser
// (tests/browser/test_charts.py).
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const FILE = path.join(__dirname, "../../src/clusterdesk/portal/static/portal/charts.js");

function load() {
  // As the browser runs it (a plain script attaching to window), without a document.
  const window = {};
  const code = fs.readFileSync(FILE, "utf8");
  vm.runInThisContext(`(function (window) {${code}\n})`, { filename: "charts.js" })(window);
  return window.ClusterCharts;
}

const Charts = load();

const OUTPUT = {
  type: "line",
  title: "集群总产值",
  unit: "亿元",
  categories: ["2022", "2023", "2024"],
  series: [
    { name: "实际值", data: ["121.80", "128.40", null] },
    { name: "目标轨迹", data: ["121.80", "134.00", "147.40"], dashed: true },
  ],
};

test("a line chart: one line per series, the trajectory dashed, a year not reported a gap", () => {
  const option = Charts.option(OUTPUT);
  assert.deepEqual(option.xAxis.data, ["2022", "2023", "2024"]);
  assert.equal(option.yAxis.name, "亿元");
  assert.deepEqual(
    option.series.map((s) => [s.name, s.type, s.lineStyle.type]),
    [
      ["实际值", "line", "solid"],
      ["目标轨迹", "line", "dashed"],
    ],
  );
  assert.deepEqual(option.series[0].data, [121.8, 128.4, null]);
  assert.equal(option.series[0].connectNulls, false);
  assert.equal(option.animation, false);
  assert.equal(option.aria.enabled, true);
});

test("the tooltip lists each series' value as the table prints it, with the unit", () => {
  const params = [
    { seriesIndex: 0, dataIndex: 2, seriesName: "实际值", color: "#1f4e8c", name: "2024" },
    { seriesIndex: 1, dataIndex: 2, seriesName: "目标轨迹", color: "#8a94a6", name: "2024" },
  ];
  assert.deepEqual(Charts.tooltipRows(OUTPUT, params), [
    { name: "实际值", value: "未报告", color: "#1f4e8c" },
    { name: "目标轨迹", value: "147.40 亿元", color: "#8a94a6" },
  ]);
  const percent = { ...OUTPUT, unit: "%" };
  assert.equal(Charts.tooltipRows(percent, params.slice(1))[0].value, "147.40%");
});

test("the table shows the values as the server printed them, 未报告 for a gap", () => {
  assert.deepEqual(Charts.table(OUTPUT), {
    caption: "集群总产值",
    head: ["年份", "实际值（亿元）", "目标轨迹（亿元）"],
    rows: [
      ["2022", "121.80", "121.80"],
      ["2023", "128.40", "134.00"],
      ["2024", "未报告", "147.40"],
    ],
  });
});

test("a stacked bar chart by county, coloured by status, counts whole", () => {
  const spec = {
    type: "bar",
    title: "各区县集群状态",
    unit: "个",
    categoryLabel: "区县",
    categories: ["海曙区", "北仑区"],
    series: [
      { name: "按期", data: [3, 1] },
      { name: "严重滞后", data: [0, 2] },
    ],
    stack: true,
    decimals: 0,
  };
  const option = Charts.option(spec);
  assert.deepEqual(
    option.series.map((s) => [s.type, s.stack, s.itemStyle.color]),
    [
      ["bar", "total", "#2e7d32"],
      ["bar", "total", "#c62828"],
    ],
  );
  assert.equal(option.yAxis.minInterval, 1);
  assert.deepEqual(Charts.table(spec).rows, [
    ["海曙区", "3", "0"],
    ["北仑区", "1", "2"],
  ]);
  assert.deepEqual(Charts.table(spec).head, ["区县", "按期（个）", "严重滞后（个）"]);
});

test("the PNG is named after the chart, without characters file systems refuse", () => {
  assert.equal(Charts.fileName({ title: "研发经费投入/2024 年" }), "研发经费投入_2024_年.png");
  assert.equal(Charts.fileName({}), "图表.png");
});
