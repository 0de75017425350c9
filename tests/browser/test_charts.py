"""The monitoring charts (portal/static/portal/charts.js + the vendored ECharts) in chromium.

A small page built the way the real pages will build it (Django's json_script and a
<figure data-chart>), served by Playwright's router under the site's own Content-Security-Policy
(django-csp's header from settings), with the static files the finders resolve — so a chart that
needs 'unsafe-eval' or an inline style fails here, and no server or database is needed.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from csp.utils import build_policy
from django.contrib.staticfiles import finders
from django.utils.html import json_script

from clusterdesk.panel.tracking import Goal, PlanTargets, Status, line_chart, status_chart, track

from .conftest import screenshot_path

ORIGIN = "https://charts.test"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# The data as the monitoring pages will make it: panel.tracking's chart helpers.
_TRACKED = track(
    PlanTargets(2022, 2025, {"output": Goal(D("121.80"), D("10"))}),
    {2023: {"output": D("128.40")}},
    through=2024,
)
OUTPUT = line_chart(_TRACKED.indicators[0])
BY_COUNTY = status_chart(
    "各区县集群跟踪状态",
    "区县",
    {
        "海曙区": {Status.ON_TRACK: 3, Status.SERIOUS: 1},
        "北仑区": {Status.ON_TRACK: 1, Status.LAGGING: 1},
        "慈溪市": {Status.ON_TRACK: 2},
    },
)


def _page_html() -> str:
    charts = "".join(
        f'{json_script(data, name)}<figure class="chart" data-chart="{name}">'
        f"<figcaption>{data['title']}</figcaption></figure>"
        for name, data in (("chart-output", OUTPUT), ("chart-county", BY_COUNTY))
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>图表</title>'
        '<link rel="stylesheet" href="/static/portal/site.css">'
        '<link rel="stylesheet" href="/static/portal/charts.css">'
        '<script src="/static/vendor/echarts/echarts.min.js" defer></script>'
        '<script src="/static/portal/charts.js" defer></script>'
        f"</head><body><main>{charts}</main></body></html>"
    )


def _serve(route) -> None:
    path = urlsplit(route.request.url).path
    headers = {"Content-Security-Policy": build_policy()}
    if path == "/":
        route.fulfill(body=_page_html(), content_type="text/html; charset=utf-8", headers=headers)
        return
    found = finders.find(path.removeprefix("/static/")) if path.startswith("/static/") else None
    if not found:
        route.fulfill(status=404, body="")
        return
    kind = "text/css" if path.endswith(".css") else "text/javascript"
    route.fulfill(body=Path(found).read_bytes(), content_type=kind, headers=headers)


@pytest.fixture
def chart_page(browser) -> Iterator:
    """The test page, drawn; the test fails on any script error or CSP report it causes."""
    assert "unsafe" not in build_policy()  # the site's policy, not one loosened for charts
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1100, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else 0)
    page.route(f"{ORIGIN}/**", _serve)
    try:
        page.goto(f"{ORIGIN}/")
        yield page
    finally:
        context.close()
    assert not problems, f"页面报错或违反内容安全策略：{problems}"


def _figure(page, name: str):
    return page.locator(f'figure[data-chart="{name}"]')


def test_both_charts_draw_with_their_tooltips(chart_page):
    page = chart_page
    output, county = _figure(page, "chart-output"), _figure(page, "chart-county")
    for figure in (output, county):
        assert figure.get_attribute("data-chart-state") == "drawn"
        box = figure.locator(".chart-canvas canvas").first.bounding_box()
        assert box is not None
        assert box["width"] > 300
        assert box["height"] > 200
        # ECharts' aria description names the chart for screen readers.
        assert "图表" in (figure.locator(".chart-canvas").get_attribute("aria-label") or "")
    # The tooltips (charts.js builds their HTML without style attributes) name the values.
    bars = county.locator(".chart-canvas").bounding_box()
    page.mouse.move(bars["x"] + bars["width"] / 5, bars["y"] + 200)
    bar_tip = county.locator(".chart-canvas > div").filter(has_text="严重滞后").last
    bar_tip.wait_for()
    assert "海曙区" in bar_tip.inner_text()
    lines = output.locator(".chart-canvas").bounding_box()
    page.mouse.move(lines["x"] + lines["width"] / 2, lines["y"] + 150)
    tooltip = output.locator(".chart-canvas > div").filter(has_text="目标轨迹").last
    tooltip.wait_for()
    assert "128.40 亿元" in tooltip.inner_text()
    assert "133.98 亿元" in tooltip.inner_text()
    page.screenshot(path=screenshot_path("charts"), full_page=True)


def test_the_table_toggle_shows_the_numbers(chart_page):
    output, county = _figure(chart_page, "chart-output"), _figure(chart_page, "chart-county")
    table = output.locator("table")
    assert not table.is_visible()
    toggle = output.get_by_role("button", name="表格")
    toggle.click()
    assert table.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert table.locator("caption").inner_text() == "集群总产值"
    header = table.locator("thead th").all_inner_texts()
    assert header == ["年份", "实际值（亿元）", "目标轨迹（亿元）"]
    rows = table.locator("tbody tr")
    assert rows.nth(1).locator("th, td").all_inner_texts() == ["2023", "128.40", "133.98"]
    assert rows.nth(2).locator("td").first.inner_text() == "未报告"
    county.get_by_role("button", name="表格").click()
    first = county.locator("tbody tr").first.locator("th, td").all_inner_texts()
    assert first == ["海曙区", "3", "0", "1"]
    toggle.click()
    assert not table.is_visible()


def test_the_png_export(chart_page):
    output = _figure(chart_page, "chart-output")
    with chart_page.expect_download() as download_info:
        output.get_by_role("button", name="下载图片").click()
    download = download_info.value
    assert download.suggested_filename == "集群总产值.png"
    download.save_as(screenshot_path("chart-export"))
    png = Path(download.path()).read_bytes()
    assert png.startswith(PNG_MAGIC)
    assert len(png) > 5_000  # a drawn chart, not an empty image
    url = chart_page.evaluate(
        "echarts.getInstanceByDom(document.querySelector('[data-chart=chart-county] "
        ".chart-canvas')).getDataURL({type: 'png'})"
    )
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]).startswith(PNG_MAGIC)
