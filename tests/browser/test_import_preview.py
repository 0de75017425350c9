"""A county officer imports a filled Word into a draft: sees what changes, confirms, and then
restores the draft as it was before the import, from the revision history (issue 9, item 4).

The officer is 象山县's (``xiangshan``), who has no application in the demo. The Word files are
the official template as counties fill it (tests/documents/county_templates.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from clusterdesk.form.example import example_application
from tests.browser.conftest import log_in, screenshot_path
from tests.documents.county_templates import WORD, fill

pytestmark = pytest.mark.browser


def _files(tmp_path):
    first = example_application()
    first.part1.cluster_name = "象山针织中小企业特色产业集群（针织产业）"
    second = first.model_copy(deep=True)
    second.part2.total_output["2022"] = second.part2.total_output["2022"] + 10
    second.part1.operator = "象山县针织产业园区管理委员会"
    paths = []
    for name, app in (("第一稿.docx", first), ("第二稿.docx", second)):
        path = tmp_path / name
        path.write_bytes(fill(app, WORD))
        paths.append(path)
    return paths


def test_import_into_a_draft_shows_the_changes_asks_and_can_be_undone(page: Page, tmp_path):
    first, second = _files(tmp_path)
    log_in(page, "xiangshan")

    # A new draft from the first Word file: nothing to overwrite, so no question.
    page.goto("/county/import/")
    page.locator("select[name=target]").select_option(index=0)
    page.set_input_files("input[name=file]", str(first))
    page.get_by_role("button", name="导入").click()
    expect(page.locator("h1")).to_contain_text("导入结果")
    expect(page.get_by_text("已新建草稿并导入")).to_be_visible()
    start = page.get_by_role("link", name="逐页核对").get_attribute("href")
    pk = re.search(r"/applications/(\d+)/", start).group(1)

    # The second file into that draft: the page says what will change, and asks.
    page.goto(f"/county/applications/{pk}/import/")
    page.set_input_files("input[name=file]", str(second))
    page.get_by_role("button", name="导入").click()
    expect(page.locator("h1")).to_contain_text("确认导入")
    summary = page.locator("#summary")
    expect(summary).to_contain_text("尚未导入")
    expect(summary).to_contain_text("修改 2 项")
    changes = page.locator(".change-part")
    expect(changes.filter(has_text="二、主导产业情况")).to_contain_text(
        "二、主导产业情况 · 集群总产值（亿元） · 2022年"
    )
    expect(changes.filter(has_text="二、主导产业情况")).to_contain_text("131.80")
    expect(changes.filter(has_text="一、基本情况")).to_contain_text("象山县针织产业园区管理委员会")
    page.screenshot(path=str(screenshot_path("import-preview")), full_page=True)
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入到现有草稿")).to_be_visible()

    # The operator's name is now the second file's; the history offers the way back.
    page.goto(f"/applications/{pk}/form/part1/")
    expect(page.locator('[data-path="part1.operator"][data-kind]')).to_have_value(
        "象山县针织产业园区管理委员会"
    )
    page.goto(f"/applications/{pk}/history/")
    restore = page.get_by_role("button", name="恢复到此版本之前").first
    expect(restore).to_be_visible()
    restore.click()
    expect(page.locator(".messages")).to_contain_text("已恢复到第")
    expect(page.locator(".revision").first).to_contain_text("恢复导入前版本")
    page.screenshot(path=str(screenshot_path("import-restored")), full_page=True)

    page.goto(f"/applications/{pk}/form/part1/")
    expect(page.locator('[data-path="part1.operator"][data-kind]')).to_have_value(
        example_application().part1.operator
    )
