"""Certified clusters over their three years (集群培育, issue 12, "Done when"), walked in a real
browser.

The walk has a server of its own (its own database) whose workflow clock stands on 10 February
2026, inside the window of the 2025 annual reports and within a year of the end of the four
clusters' validity (April 2026); it moves once, past a 限期整改's deadline. The world (four
counties' certified clusters, the annual rounds, 余姚's two accepted reports with one target far
behind) is made with domain functions (``monitoring_world.py``); what the issue lists is done
through the pages:

1. 北仑's officer starts the 2025 report, imports the filled Word, corrects a box (autosave,
   reload), uploads the 典型案例's 佐证材料, runs the self-check and submits: 已提交.
2. The city sees 余姚's targets page: the charts drawn, one target 严重滞后; the lagging list
   names it with the reason.
3. The city opens a 复核 for 宁海 from the due list and orders 限期整改; after the deadline it
   records the follow-up: back to the 会审.
4. The city revokes 慈溪's cluster: the public list showed it before and does not after.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser import monitoring_world as world
from tests.browser.clocked_server import clocked_server, set_clock
from tests.browser.conftest import REPO_DIR, AppServer, browser_tab, screenshot_path

pytestmark = pytest.mark.browser

SAVE_TIMEOUT_MS = 20_000
REPORT_YEAR = 2025
RECTIFY_BY = dt.date(2026, 3, 10)
AFTER_RECTIFY = dt.datetime(2026, 3, 11, 9, 0, tzinfo=world.SHANGHAI)
REVOCATION_NUMBER = "甬经信中小〔2026〕3号"

BEILUN = world.CLUSTERS["report"][2]
YUYAO = world.CLUSTERS["lagging"][2]
NINGHAI = world.CLUSTERS["recheck"][2]
CIXI = world.CLUSTERS["revoke"][2]


class Walk:
    def __init__(self, server: AppServer, ids: dict) -> None:
        self.server = server
        self.ids = ids

    def set_clock(self, at: dt.datetime) -> None:
        set_clock(self.server, at)


@pytest.fixture(scope="module")
def walk(tmp_path_factory, chromium_path) -> Iterator[Walk]:
    tmp_dir = tmp_path_factory.mktemp("monitoring-walk")
    # _build_world migrates first, in the same process.
    with clocked_server(tmp_dir, world.NOW, _build_world) as (server, ids):
        yield Walk(server, ids)


def _build_world(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.core.management import call_command;"
            "call_command('migrate', interactive=False, verbosity=0);"
            "from tests.browser.monitoring_world import build; build()",
        ],
        cwd=REPO_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"集群培育走查的数据准备失败：\n{result.stdout}\n{result.stderr}")
    line = next(line for line in result.stdout.splitlines() if line.startswith("WORLD:"))
    return json.loads(line.removeprefix("WORLD:"))


def log_in_as(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", world.PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def nav(page: Page, name: str) -> None:
    """Follow a link of the header's navigation, as the user would."""
    page.get_by_role("navigation", name="用户导航").get_by_role("link", name=name).click()


def expect_message(page: Page, text: str) -> None:
    expect(page.locator("ul.messages")).to_contain_text(text)


def box(page: Page, path: str):
    return page.locator(f'#application-form [data-path="{path}"][data-kind]')


def wait_saved(page: Page) -> None:
    expect(page.locator("#autosave-status")).to_have_attribute(
        "data-state", "saved", timeout=SAVE_TIMEOUT_MS
    )


def tiny_pdf(title: str) -> bytes:
    from clusterdesk.demo.evidence import demo_pdf  # noqa: PLC0415 - plain Python, no ORM

    return demo_pdf(title, [f"佐证材料：{title}"])


def filled_report_docx(tmp_path) -> str:
    """The 2025 report as 北仑's officer filled it in Word (the example report's text)."""
    from clusterdesk.documents.annual_render import render_annual  # noqa: PLC0415
    from clusterdesk.form.annual.schema import AnnualReport  # noqa: PLC0415
    from tests.tracking.world import report_data  # noqa: PLC0415

    # On the path to every 2025 target of its plan: 北仑 is not among the lagging.
    data = report_data(
        REPORT_YEAR,
        output=175,
        rd_spending=52500,
        patents=610,
        co2_emissions=35.5,
        energy_intensity=0.12,
    )
    data["figures"]["industry"]["specialised_smes"] += 15
    data["basics"]["cluster_name"] = BEILUN
    data.pop("evidence", None)  # files are uploaded, not typed into Word
    path = tmp_path / "年度发展情况报告.docx"
    path.write_bytes(render_annual(AnnualReport.model_validate(data)))
    return str(path)


# --- 1. the county files its annual report ------------------------------------------------------


def file_annual_report(page: Page, tmp_path) -> None:
    log_in_as(page, "beilun")
    nav(page, "年度报告")
    card = page.locator("section.cluster-reports", has_text=BEILUN)
    row = card.locator("tr", has_text=f"{REPORT_YEAR}年度")
    row.get_by_role("button", name=f"填报{REPORT_YEAR}年度报告").click()
    expect_message(page, f"已建立{REPORT_YEAR}年度发展情况报告")
    page.wait_for_url(re.compile(r"/applications/\d+/form/"))
    pk = re.search(r"/applications/(\d+)/", page.url).group(1)

    # The filled Word comes in over the pre-filled draft: preview, then confirm.
    page.goto(f"/county/applications/{pk}/import/")
    page.set_input_files("input[name=file]", filled_report_docx(tmp_path))
    page.get_by_role("button", name="导入").click()
    expect(page.locator("h1")).to_contain_text("确认导入")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入到现有草稿")).to_be_visible()

    # A box corrected online: saved without a button, still there after a reload.
    page.goto(f"/applications/{pk}/form/basics/")
    wait_saved(page)
    box(page, "basics.contact").fill("王立新")
    box(page, "basics.contact").press("Tab")
    wait_saved(page)
    expect(page.locator("#autosave-status")).to_contain_text("已保存")
    page.reload()
    expect(box(page, "basics.contact")).to_have_value("王立新")

    # Each 典型案例's own 佐证材料, uploaded on the case's row.
    page.goto(f"/applications/{pk}/form/cases/")
    for number in (1, 2):
        item = page.locator(".row-files-item", has_text=f"典型案例{number}（")
        widget = item.locator(".evidence-widget")
        name = f"典型案例{number}佐证.pdf"
        pdf = tiny_pdf(f"典型案例{number}")
        widget.locator("input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": pdf}]
        )
        expect(widget.locator(".evidence-files")).to_contain_text(name, timeout=SAVE_TIMEOUT_MS)
        expect(widget.locator(".evidence-messages .error")).to_have_count(0)

    # Self-check, then submit.
    page.goto(f"/county/applications/{pk}/check/")
    expect(page.locator("strong.error").first).to_have_text("0")
    page.get_by_role("link", name="提交", exact=True).click()
    page.get_by_role("button", name="确认提交").click()
    nav(page, "年度报告")
    row = page.locator("section.cluster-reports", has_text=BEILUN).locator(
        "tr", has_text=f"{REPORT_YEAR}年度"
    )
    expect(row).to_contain_text("已提交")
    page.goto(f"/applications/{pk}/form/basics/")
    expect(page.locator("#autosave-status")).to_have_attribute("data-state", "readonly")
    expect(box(page, "basics.contact")).to_have_value("王立新")


# --- 2. the city's targets page and lagging list ----------------------------------------------


def painted(page: Page, figure) -> bool:
    """Whether the chart's canvas has any pixel drawn (not only an empty canvas element)."""
    return figure.locator("canvas").first.evaluate(
        """(canvas) => {
            const size = [canvas.width, canvas.height];
            const data = canvas.getContext('2d').getImageData(0, 0, ...size).data;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
            return false;
        }"""
    )


def see_the_lagging_cluster(page: Page) -> None:
    nav(page, "目标跟踪")
    page.get_by_role("link", name="滞后集群清单").click()
    rows = page.locator("main table.list tbody tr")
    expect(rows).to_have_count(1)  # one cluster, one target behind
    expect(rows.first).to_contain_text(YUYAO)
    expect(rows.first).to_contain_text("有效发明专利")
    expect(rows.first).to_contain_text("严重滞后")
    expect(rows.first).to_contain_text("低于目标轨迹")  # the reason behind the flag

    rows.first.get_by_role("link", name=YUYAO).click()
    expect(page.locator("h1")).to_contain_text(YUYAO)
    targets = page.locator("main table tbody tr")
    statuses = targets.evaluate_all(
        "(rows) => rows.map((row) => row.cells.length > 2 ? row.cells[row.cells.length - 2]"
        ".innerText.trim() : '')"
    )
    behind = [s for s in statuses if s in {"滞后", "严重滞后"}]
    assert behind == ["严重滞后"], statuses
    assert statuses.count("按期") >= 3, statuses
    figures = page.locator("figure.chart[data-chart]")
    assert figures.count() >= 2
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure.locator("canvas").first.wait_for()
        expect(figure).to_have_attribute("data-chart-state", "drawn")
        assert painted(page, figure), figure.get_attribute("data-chart")
    # README's docs/screenshot-tracking.png is a copy (the tests write nothing tracked by git).
    page.screenshot(path=screenshot_path("tracking-lagging-cluster"), full_page=True)


# --- 3. a 复核 opened from the due list, 限期整改, the follow-up --------------------------------


def recheck(page: Page, walk: Walk) -> None:
    nav(page, "复核")
    due = page.locator("#due")
    expect(due).to_contain_text(NINGHAI)
    due.get_by_label(f"选择{NINGHAI}").check()
    due.get_by_role("button", name="发起复核").click()
    expect_message(page, "1 个集群进入复核")
    expect(page.locator("#due")).not_to_contain_text(NINGHAI)
    page.locator("#rounds").get_by_role("link", name=NINGHAI).click()
    expect(page.locator("h1")).to_contain_text(NINGHAI)
    expect(page.locator("main")).to_contain_text("复核评审中")

    rectify = page.locator("#rectify")
    rectify.get_by_label("整改期限").fill(RECTIFY_BY.isoformat())
    rectify.get_by_label("整改要求").fill(
        "补充2025年度研发投入台账，完善集群公共服务平台运营机制。"
    )
    rectify.get_by_role("button", name="责令限期整改").click()
    expect_message(page, "已责令限期整改")
    expect(page.locator("main")).to_contain_text("限期整改中（期限至2026年3月10日）")
    expect(page.locator("#follow-up")).to_contain_text("期满后记录复查结果")

    walk.set_clock(AFTER_RECTIFY)  # the deadline has passed
    page.reload()
    follow_up = page.locator("#follow-up")
    follow_up.get_by_label("复查情况").fill("已按要求完成整改，经现场核查通过。")
    follow_up.get_by_role("button", name="整改复查通过").click()
    expect_message(page, "已记录整改复查通过")
    expect(page.locator("main")).to_contain_text("整改复查通过，待会审")
    expect(page.locator("#steps")).to_contain_text("补充2025年度研发投入台账")


# --- 4. revocation and the public list -------------------------------------------------------


def public_names(page: Page) -> list[str]:
    page.goto("/certified/")
    return page.locator("td.name").all_inner_texts()


def revoke(page: Page, visitor: Page) -> None:
    before = public_names(visitor)
    assert CIXI in before, before

    nav(page, "认定名录")
    row = page.locator("tr", has_text=CIXI)
    row.get_by_role("link", name="撤销认定").click()
    expect(page.locator("h1")).to_contain_text(f"撤销认定：{CIXI}")
    page.get_by_label("撤销原因类别").select_option(label="重大变更未报告")
    page.get_by_label("撤销理由").fill(
        "经核查，该集群运营主体已于2025年6月变更，集群未按规定及时报告。"
    )
    page.get_by_label("撤销文号").fill(REVOCATION_NUMBER)
    page.get_by_label("决定日期").fill(AFTER_RECTIFY.date().isoformat())
    page.get_by_role("button", name="撤销认定").click()
    expect_message(page, f"已撤销“{CIXI}”的认定（{REVOCATION_NUMBER}")

    after = public_names(visitor)
    assert CIXI not in after, after
    assert sorted(after) == sorted(name for name in before if name != CIXI)
    nav(page, "认定名录")
    expect(page.locator("tr", has_text=CIXI)).to_contain_text("已撤销")


def test_cultivation_walk(walk: Walk, browser, tmp_path):
    with browser_tab(browser, walk.server, accept_downloads=True) as county:
        file_annual_report(county, tmp_path)
    with browser_tab(browser, walk.server) as city, browser_tab(browser, walk.server) as visitor:
        log_in_as(city, "city")
        see_the_lagging_cluster(city)
        recheck(city, walk)
        revoke(city, visitor)
