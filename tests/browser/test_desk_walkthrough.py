"""The city officer's day at the desk, walked in a real browser (issue 10, "Done when").

The city officer (``city``) lands on the desk, filters the inbox down to one submitted
application, opens it, records its sealed paper set (the electronic version's SHA-256 read off
the page, as off the disc), runs the formal check, comments on two fields while reading the form
and returns it. The county officer sees both comments at their fields, replies, corrects both
fields and resubmits. The city officer reads the diff with both fields marked as commented and
changed, and accepts, then finds the demo's copied passage on 交叉比对. A whole-round export
shows its progress bar and offers a ZIP that holds every filed application's package.

The application is 宁波杭州湾新区's (``hangzhouwan``): submitted in the demo, no paper set yet,
and used by no other browser test (its copied 发展规划 passage is the demo's 交叉比对 example,
which this walk leaves alone).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from clusterdesk.declarations.domain.comments import place_of
from clusterdesk.demo.seed import COPY_SOURCE, DemoApplication
from clusterdesk.form.registry import definition_for
from tests.browser.conftest import REPO_DIR, AppServer, browser_tab, log_in, screenshot_path

pytestmark = pytest.mark.browser

COUNTY = "宁波杭州湾新区"
UNIT = "宁波杭州湾新区管委会"
COUNTY_USER = "hangzhouwan"
CLUSTER = DemoApplication(COUNTY).cluster_name
SAVE_TIMEOUT_MS = 30_000
# Every filed application's package with its PDFs (LibreOffice): allow for a slow machine.
EXPORT_TIMEOUT_MS = 300_000

# The two fields the city comments on, on which page, what it says, and what the county puts
# in their place.
FIELDS = (
    (
        "part3",
        "part3.rd_staff_share",
        "研发人员占比与佐证材料中的花名册不符，请核对。",
        "13.2",
    ),
    (
        "part8",
        "part8.problems",
        "“存在的问题”过于笼统，请结合集群实际具体说明。",
        "一是高端模具钢进口依赖度仍在60%以上；二是约四成中小模具企业尚未上云。",
    ),
)


def place(path: str) -> str:
    """The official place of a field, as its 批注 button and comment name it."""
    return place_of(definition_for("2023"), path)


def city_desk_to_application(page: Page) -> str:
    """Log in, land on the desk, filter the inbox to the unit's submitted application, open it;
    returns its id."""
    log_in(page, "city")
    assert page.url.endswith("/intake/")
    expect(page.locator("main h1")).to_have_text("审核工作台")
    expect(page.locator("table.desk-counts")).to_contain_text(UNIT)
    page.screenshot(path=screenshot_path("walk-desk"), full_page=True)

    page.locator("main .links").get_by_role("link", name="收件箱").click()
    expect(page.locator("main h1")).to_have_text("收件箱")
    page.get_by_label("申报单位").select_option(label=UNIT)
    page.get_by_label("状态", exact=True).select_option(label="已提交")
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("table.inbox tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(CLUSTER)
    page.screenshot(path=screenshot_path("walk-inbox-filtered"), full_page=True)

    rows.first.locator('a[href^="/intake/applications/"]').first.click()
    expect(page.locator("main h1")).to_have_text(CLUSTER)
    return re.search(r"/intake/applications/(\d+)/", page.url).group(1)


def record_paper_set(page: Page) -> None:
    sha = page.locator("dl.facts dd code").first.inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", sha)
    paper = page.locator("#paper")
    paper.get_by_label("签收人").fill("市经信局收文室 王敏")
    paper.get_by_label("正本份数").fill("2")
    paper.get_by_label("副本份数").fill("3")
    paper.get_by_label("电子版 SHA-256").fill(sha)
    paper.get_by_role("button", name="登记纸质材料").click()
    expect(page.get_by_text("已登记纸质材料：正本 2 份、副本 3 份。")).to_be_visible()
    expect(page.locator("#paper")).to_contain_text("与提交快照一致")
    expect(page.locator("#paper")).to_contain_text("齐全，一式五份")


def run_formal_check(page: Page) -> None:
    formal = page.locator("#formal")
    formal.get_by_label("已加盖公章（人工确认）").check()
    formal.get_by_role("button", name="记录形式审查结果").click()
    expect(page.get_by_text("已记录形式审查：通过。")).to_be_visible()
    results = page.locator("table.formal-result tbody tr")
    expect(results).to_have_count(7)
    expect(page.locator("table.formal-result")).not_to_contain_text("不符合")
    page.screenshot(path=screenshot_path("walk-formal-check"), full_page=True)


def comment_on_two_fields_and_return(page: Page, pk: str) -> None:
    for key, path, text, _ in FIELDS:
        page.goto(f"/applications/{pk}/form/{key}/")
        page.get_by_role("button", name=f"批注：{place(path)}").click()
        expect(page.locator("main h1")).to_contain_text("批注")
        expect(page.locator("main")).to_contain_text(place(path))
        page.get_by_label("审核意见").fill(text)
        page.get_by_role("button", name="保存批注").click()
        note = page.get_by_role("note", name=f"审核意见：{place(path)}")
        expect(note).to_contain_text(text)
    page.screenshot(path=screenshot_path("walk-city-commented"), full_page=True)

    page.goto(f"/intake/applications/{pk}/")
    expect(page.locator(".return-comments")).to_contain_text("随退回发出 2 条批注")
    page.get_by_label("退回理由（必填，区县可见）").fill("请按批注修改后重新提交。")
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_text("已退回修改，区县可见退回理由。")).to_be_visible()
    expect(page.locator("dl.facts").first).to_contain_text("已退回")


def county_answers_corrects_and_resubmits(browser, server, pk: str) -> None:
    with browser_tab(browser, server) as county:
        log_in(county, COUNTY_USER)
        for key, path, text, value in FIELDS:
            county.goto(f"/applications/{pk}/form/{key}/")
            note = county.get_by_role("note", name=f"审核意见：{place(path)}")
            expect(note).to_contain_text(text)
            # At its field: the comment sits beside the box it is about.
            box = county.locator(f'#application-form [data-path="{path}"][data-kind]')
            expect(box).to_be_editable()
            note.get_by_label("回复").fill(f"已按意见修改“{place(path).rsplit(' · ', 1)[-1]}”。")
            note.get_by_role("button", name="标记已处理").click()
            note = county.get_by_role("note", name=f"审核意见：{place(path)}")
            expect(note).to_contain_text("标记已处理")
            box = county.locator(f'#application-form [data-path="{path}"][data-kind]')
            box.fill(value)
            box.blur()
            expect(county.locator("#autosave-status")).to_have_attribute(
                "data-state", "saved", timeout=SAVE_TIMEOUT_MS
            )
        county.screenshot(path=screenshot_path("walk-county-answered"), full_page=True)

        county.goto("/county/")
        row = county.locator(f"#application-{pk}")
        row.get_by_role("link", name="重新提交").click()
        expect(county.locator("h1")).to_contain_text("重新提交")
        county.get_by_role("button", name="确认提交").click()
        county.wait_for_url(re.compile(r"/county/$"))
        expect(county.locator(f"#application-{pk} .state")).to_have_text("已提交")


def city_reads_the_diff_and_accepts(page: Page, pk: str) -> None:
    page.goto(f"/intake/applications/{pk}/")
    page.locator("main .links").get_by_role("link", name="版本对比").click()
    expect(page.locator("main h1")).to_contain_text("版本对比")
    for _, path, _, _ in FIELDS:
        change = page.locator(f'tr.change[data-path="{path}"]')
        expect(change).to_have_count(1)
        expect(change).to_have_class(re.compile(r"\bcommented\b"))
        expect(change).to_contain_text("有审核意见")
    addressed = page.locator("#diff-comments ul.diff-comments > li")
    expect(addressed).to_have_count(2)
    for index in range(2):
        expect(addressed.nth(index)).to_contain_text("栏目已修改")
    page.screenshot(path=screenshot_path("walk-diff"), full_page=True)

    page.get_by_role("link", name="受理或再次退回").click()
    page.locator("#decide").get_by_role("button", name="受理").click()
    expect(page.get_by_text("已受理，申报进入审核。")).to_be_visible()
    expect(page.locator("dl.facts").first).to_contain_text("审核中")


def cross_check(page: Page) -> None:
    """交叉比对 from the desk: the demo's copied 重点任务 passage between 奉化区's application
    and this one, still flagged after its resubmission (the copy was not what was corrected)."""
    page.goto("/intake/")
    page.get_by_role("link", name=re.compile(r"^交叉比对：待核实 \d+ 条$")).click()
    expect(page.locator("main h1")).to_have_text("交叉比对")
    flag = page.locator("article.overlap-flag", has_text=CLUSTER).filter(has_text="文本雷同")
    expect(flag).to_have_count(1)
    expect(flag).to_contain_text(DemoApplication(COPY_SOURCE).cluster_name)
    expect(flag).to_contain_text("重点任务")
    expect(flag.locator("mark").first).to_be_visible()  # the shared text, marked
    page.screenshot(path=screenshot_path("walk-cross-check"), full_page=True)


@contextmanager
def export_worker(server: AppServer, log: Path) -> Iterator[None]:
    """The background worker beside the server, as ``make run`` starts it."""
    with log.open("ab") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "exports_worker"],
            cwd=REPO_DIR,
            env=server.env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def filed_ids(page: Page) -> set[int]:
    """The ids of the round's filed applications (已提交, and 已受理 and after) as the inbox
    lists them: what a whole-round export must hold."""
    ids: set[int] = set()
    for state in ("已提交", "已受理（审核中及以后）"):
        page.goto("/intake/inbox/")
        page.get_by_label("状态", exact=True).select_option(label=state)
        page.get_by_role("button", name="筛选").click()
        links = page.locator('table.inbox tbody a[href^="/intake/applications/"]')
        for href in links.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))"):
            ids.add(int(re.search(r"/applications/(\d+)/", href).group(1)))
    return ids


def export_the_round(page: Page, server: AppServer, tmp_path: Path) -> None:
    """导出全部申报材料（ZIP） from the desk: the progress bar on 导出文件, then the ZIP it
    offers opens, with one package per filed application, each a ZIP that opens too."""
    expected = filed_ids(page)
    assert expected
    with export_worker(server, tmp_path / "worker.log"):
        page.goto("/intake/")
        page.get_by_role("button", name="导出全部申报材料（ZIP）").click()
        expect(page.locator("main h1")).to_have_text("导出文件")
        row = page.locator("tr.export").first
        expect(row).to_contain_text("全部申报材料")
        bar = row.get_by_role("progressbar", name="导出进度")
        expect(bar).to_be_visible()
        page.screenshot(path=screenshot_path("walk-export-progress"), full_page=True)
        download_link = page.locator("tr.export").first.get_by_role("link", name="下载")
        expect(download_link).to_be_visible(timeout=EXPORT_TIMEOUT_MS)
    bar = page.locator("tr.export").first.get_by_role("progressbar", name="导出进度")
    assert bar.get_attribute("value") == bar.get_attribute("max")  # done: every step
    with page.expect_download() as download_info:
        download_link.click()
    saved = tmp_path / "round.zip"
    download_info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert archive.testzip() is None
        manifest = json.loads(archive.read("manifest.json"))
        packages = manifest["packages"]
        assert {package["application"] for package in packages} == expected
        for package in packages:
            with zipfile.ZipFile(io.BytesIO(archive.read(package["path"]))) as inner:
                assert inner.testzip() is None
                assert "manifest.json" in inner.namelist()
        assert any(package["cluster_name"] == CLUSTER for package in packages)


def test_the_city_officers_day_at_the_desk(page: Page, browser, server, tmp_path):
    pk = city_desk_to_application(page)
    record_paper_set(page)
    run_formal_check(page)
    comment_on_two_fields_and_return(page, pk)
    county_answers_corrects_and_resubmits(browser, server, pk)
    city_reads_the_diff_and_accepts(page, pk)
    cross_check(page)
    export_the_round(page, server, tmp_path)
