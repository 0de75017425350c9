"""The tracking pages' charts draw in chromium: the dashboard's and one cluster's page.

The pages are rendered by Django (the test client, a city officer) from certified clusters with
annual reports, then served to chromium by Playwright's router under the site's own
Content-Security-Policy with the static files the finders resolve (as test_charts does): what is
checked is the real pages' json_script data and figures, drawn by charts.js and ECharts.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from csp.utils import build_policy
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import PASSWORD
from tests.registry.world import certified_world
from tests.tracking.world import file_report, report_data

from .conftest import screenshot_path

ORIGIN = "https://tracking.test"


@pytest.fixture
def pages(db, client) -> dict[str, str]:
    """The dashboard and the lagging cluster's page as the city sees them (built before the
    browser starts: the ORM refuses to run beside Playwright's event loop)."""
    world = certified_world()
    first, second, _third = (a.certification for a in world.applications)
    file_report(first, 2023, report_data(2023), city=world.city)
    file_report(second, 2023, report_data(2023, output=100, patents=300), city=world.city)
    assert client.login(username=world.city.username, password=PASSWORD)
    return {
        "/dashboard": client.get(reverse("tracking:dashboard"), {"year": 2023}).content.decode(),
        "/cluster": client.get(reverse("tracking:cluster", args=[second.pk])).content.decode(),
    }


def _serve(pages):
    def serve(route) -> None:
        path = urlsplit(route.request.url).path
        headers = {"Content-Security-Policy": build_policy()}
        if path in pages:
            route.fulfill(
                body=pages[path], content_type="text/html; charset=utf-8", headers=headers
            )
            return
        found = finders.find(path.removeprefix("/static/")) if path.startswith("/static/") else None
        if not found:
            route.fulfill(status=404, body="")
            return
        kind = "text/css" if path.endswith(".css") else "text/javascript"
        route.fulfill(body=Path(found).read_bytes(), content_type=kind, headers=headers)

    return serve


def _canvas_painted(page, name: str) -> bool:
    return page.evaluate(
        """(name) => {
            const canvas = document.querySelector(`figure[data-chart="${name}"] canvas`);
            if (!canvas) return false;
            const size = [canvas.width, canvas.height];
            const data = canvas.getContext('2d').getImageData(0, 0, ...size).data;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
            return false;
        }""",
        name,
    )


def test_dashboard_and_cluster_charts_render(pages, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.route(f"{ORIGIN}/**", _serve(pages))
    try:
        page.goto(f"{ORIGIN}/dashboard")
        for name in ("chart-county", "chart-industry", "chart-output", "chart-ranking"):
            figure = page.locator(f'figure[data-chart="{name}"]')
            figure.locator("canvas").first.wait_for()
            assert figure.get_attribute("data-chart-state") == "drawn"
            assert _canvas_painted(page, name), name
        page.screenshot(path=screenshot_path("tracking-dashboard"), full_page=True)
        page.goto(f"{ORIGIN}/cluster")
        for name in ("chart-output", "chart-patents"):
            figure = page.locator(f'figure[data-chart="{name}"]')
            figure.locator("canvas").first.wait_for()
            assert _canvas_painted(page, name), name
        figure = page.locator('figure[data-chart="chart-output"]')
        figure.get_by_role("button", name="表格").click()
        row = figure.locator("tbody tr").nth(1).locator("th, td").all_inner_texts()
        assert row[:2] == ["2023", "100.00"]
        page.screenshot(path=screenshot_path("tracking-cluster"), full_page=True)
    finally:
        context.close()
    assert not problems, f"页面报错：{problems}"
