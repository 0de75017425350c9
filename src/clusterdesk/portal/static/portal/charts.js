/*
 * Charts of the monitoring pages, drawn with the vendored ECharts (vendor/echarts/echarts.min.js,
 * loaded before this file). No inline script: the page puts each chart's data into
 *   {{ data|json_script:"chart-output" }}  and  <figure class="chart" data-chart="chart-output">
 * and this file draws every such figure once the page is parsed. The data:
 *   {"type": "line" | "bar", "title": "集群总产值", "unit": "亿元",
 *    "categoryLabel": "年份", "categories": ["2022", "2023"],
 *    "series": [{"name": "实际值", "data": ["121.80", null]},
 *               {"name": "目标轨迹", "data": ["121.80", "134.00"], "dashed": true}],
 *    "stack": false, "decimals": 2}
 * Values may be numbers or strings (Django's JSON writes Decimals as strings, already with the two
 * decimals the form prints: the table shows them as given); null is a year not reported.
 *
 * Each figure gets a 表格 button (the same numbers as an HTML table, for screen readers and for
 * reading exact values) and a 下载图片 button (a PNG of the chart). The canvas renderer is used:
 * getDataURL gives a PNG directly (the SVG renderer would give an SVG), and it needs neither
 * 'unsafe-eval' nor inline styles in the page's policy (ECharts sizes its elements through the
 * style property, which CSP allows). Animation is off: the chart is complete as soon as it is
 * drawn, so the PNG is never a half-drawn frame.
 */
(function (window) {
  "use strict";

  var MISSING = "未报告";
  // The site's blue for the actual values, grey for the path they are measured against.
  var PALETTE = ["#1f4e8c", "#8a94a6", "#ef8f00", "#2e7d32", "#c62828", "#6a4c93"];
  // The statuses' colours, the same wherever a status is a series (bar charts by status).
  var STATUS_COLORS = {
    按期: "#2e7d32",
    滞后: "#ef8f00",
    严重滞后: "#c62828",
    未报告: "#9e9e9e",
    未设定目标: "#bdbdbd",
  };

  function number(value) {
    if (value === null || value === undefined || value === "") return null;
    var parsed = typeof value === "number" ? value : Number(value);
    return isFinite(parsed) ? parsed : null;
  }

  function cellText(value, decimals) {
    if (value === null || value === undefined || value === "") return MISSING;
    if (typeof value === "string") return value;
    return value.toFixed(decimals);
  }

  function decimalsOf(spec) {
    return typeof spec.decimals === "number" ? spec.decimals : 2;
  }

  /** The ECharts option for a chart's data. */
  function option(spec) {
    var unit = spec.unit || "";
    var decimals = decimalsOf(spec);
    var line = spec.type !== "bar";
    var series = (spec.series || []).map(function (item) {
      var entry = {
        name: item.name,
        type: line ? "line" : "bar",
        data: (item.data || []).map(number),
      };
      if (line) {
        entry.connectNulls = false;
        entry.symbol = "circle";
        entry.symbolSize = 7;
        entry.lineStyle = { type: item.dashed ? "dashed" : "solid", width: 2 };
      } else if (spec.stack) {
        entry.stack = "total";
      }
      var color = item.color || STATUS_COLORS[item.name];
      if (color) entry.itemStyle = { color: color };
      if (color && line) entry.lineStyle.color = color;
      return entry;
    });
    return {
      animation: false,
      aria: { enabled: true },
      color: PALETTE,
      // The page's <figcaption> names the chart; the title is drawn only into the PNG.
      title: { text: spec.title || "", left: "center", show: false, textStyle: { fontSize: 14 } },
      // The HTML is built by tooltipContent: ECharts' own puts style="" attributes into
      // innerHTML, which the site's policy (style-src 'self') blocks.
      tooltip: { trigger: "axis", confine: true },
      legend: { bottom: 0 },
      grid: { left: 16, right: 24, top: 48, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: spec.categories || [], name: "" },
      yAxis: { type: "value", name: unit, scale: line, minInterval: decimals === 0 ? 1 : 0 },
      series: series,
    };
  }

  /** What the tooltip at one category lists: each series' value as the table shows it. */
  function tooltipRows(spec, params) {
    var unit = spec.unit ? (spec.unit === "%" ? "%" : " " + spec.unit) : "";
    var decimals = decimalsOf(spec);
    var series = spec.series || [];
    return params.map(function (param) {
      var item = series[param.seriesIndex] || {};
      var text = cellText((item.data || [])[param.dataIndex], decimals);
      return {
        name: item.name || param.seriesName,
        value: text === MISSING ? text : text + unit,
        color: typeof param.color === "string" ? param.color : "",
      };
    });
  }

  function tooltipContent(spec, document) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      var box = document.createElement("div");
      box.className = "chart-tip";
      var title = document.createElement("div");
      title.className = "chart-tip-title";
      title.textContent = list.length ? list[0].name : "";
      box.appendChild(title);
      tooltipRows(spec, list).forEach(function (row) {
        var line = document.createElement("div");
        line.className = "chart-tip-row";
        var mark = document.createElement("span");
        mark.className = "chart-tip-mark";
        mark.style.backgroundColor = row.color; // the style property: allowed by CSP
        var name = document.createElement("span");
        name.textContent = row.name;
        var value = document.createElement("strong");
        value.textContent = row.value;
        line.appendChild(mark);
        line.appendChild(name);
        line.appendChild(value);
        box.appendChild(line);
      });
      return box;
    };
  }

  /** The chart's numbers as a table: a header row, then one row per category. */
  function table(spec) {
    var decimals = decimalsOf(spec);
    var series = spec.series || [];
    var unit = spec.unit ? "（" + spec.unit + "）" : "";
    var head = [spec.categoryLabel || "年份"].concat(
      series.map(function (item) {
        return item.name + unit;
      }),
    );
    var rows = (spec.categories || []).map(function (category, index) {
      return [String(category)].concat(
        series.map(function (item) {
          return cellText((item.data || [])[index], decimals);
        }),
      );
    });
    return { caption: spec.title || "", head: head, rows: rows };
  }

  /** The PNG's file name: the chart's title without characters file systems refuse. */
  function fileName(spec) {
    var base = String(spec.title || "图表").replace(/[\\/:*?"<>|\s]+/g, "_");
    return base + ".png";
  }

  // --- the page ------------------------------------------------------------------------------

  function buildTable(document, data, id) {
    var wrap = document.createElement("div");
    wrap.className = "table-scroll chart-table";
    wrap.id = id;
    wrap.hidden = true;
    var element = document.createElement("table");
    element.className = "grid";
    var caption = document.createElement("caption");
    caption.textContent = data.caption;
    element.appendChild(caption);
    var thead = element.createTHead().insertRow();
    data.head.forEach(function (text) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      thead.appendChild(th);
    });
    var body = element.createTBody();
    data.rows.forEach(function (cells) {
      var row = body.insertRow();
      cells.forEach(function (text, index) {
        var cell = document.createElement(index === 0 ? "th" : "td");
        if (index === 0) cell.scope = "row";
        cell.textContent = text;
        row.appendChild(cell);
      });
    });
    wrap.appendChild(element);
    return wrap;
  }

  function button(document, text) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button secondary";
    element.textContent = text;
    return element;
  }

  function render(figure, echarts) {
    var document = figure.ownerDocument;
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      figure.appendChild(document.createTextNode("图表数据缺失，无法显示。"));
      return null;
    }
    var tableId = figure.getAttribute("data-chart") + "-table";
    var canvas = document.createElement("div");
    canvas.className = "chart-canvas";
    var actions = document.createElement("div");
    actions.className = "chart-actions";
    var toggle = button(document, "表格");
    toggle.setAttribute("aria-controls", tableId);
    toggle.setAttribute("aria-expanded", "false");
    var download = button(document, "下载图片");
    var tableWrap = buildTable(document, table(spec), tableId);
    actions.appendChild(toggle);
    figure.appendChild(canvas);
    figure.appendChild(actions);
    figure.appendChild(tableWrap);
    toggle.addEventListener("click", function () {
      tableWrap.hidden = !tableWrap.hidden;
      toggle.setAttribute("aria-expanded", tableWrap.hidden ? "false" : "true");
    });
    if (!echarts) {
      // Without the library the numbers are still there: the table is the chart.
      tableWrap.hidden = false;
      toggle.hidden = true;
      figure.setAttribute("data-chart-state", "table");
      return null;
    }
    var chart = echarts.init(canvas, null, { renderer: "canvas" });
    var settings = option(spec);
    settings.tooltip.formatter = tooltipContent(spec, document);
    chart.setOption(settings);
    actions.appendChild(download);
    download.addEventListener("click", function () {
      var link = document.createElement("a");
      chart.setOption({ title: { show: true } });
      link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
      chart.setOption({ title: { show: false } });
      link.download = fileName(spec);
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    figure.setAttribute("data-chart-state", "drawn");
    return chart;
  }

  function renderAll(document) {
    var charts = [];
    var figures = document.querySelectorAll("figure[data-chart]");
    for (var i = 0; i < figures.length; i++) {
      if (figures[i].hasAttribute("data-chart-state")) continue;
      var chart = render(figures[i], window.echarts);
      if (chart) charts.push(chart);
    }
    if (charts.length) {
      window.addEventListener("resize", function () {
        charts.forEach(function (chart) {
          chart.resize();
        });
      });
    }
    return charts;
  }

  window.ClusterCharts = {
    option: option,
    table: table,
    tooltipRows: tooltipRows,
    fileName: fileName,
    renderAll: renderAll,
  };

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () {
        renderAll(document);
      });
    } else {
      renderAll(document);
    }
  }
})(window);
