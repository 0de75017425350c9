"""The expert's score sheet in a real browser: the expert lands on 评审任务, opens the sheet
begun in the demo (a draft), a changed score autosaves without a button (the CSP allows no
inline script: the autosave is a static file), survives a reload, and a wrong score is
refused with the aspect named while the box keeps what was typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, screenshot_path

pytestmark = pytest.mark.browser


def test_scores_autosave_and_survive_a_reload(page: Page, server):
    log_in(page, "expert1")
    page.wait_for_url(re.compile(r"/scoring/$"))
    expect(page.get_by_role("heading", name="评审任务")).to_be_visible()
    row = page.locator("table.scoring-tasks tr", has_text="草稿").first
    row.get_by_role("link", name="评分").click()
    page.wait_for_url(re.compile(r"/scoring/sheets/\d+/$"))
    expect(page.get_by_role("heading", name="专家评分表")).to_be_visible()
    score = page.locator("#score-digital")
    score.fill("6.5")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("草稿已保存", timeout=10_000)
    page.screenshot(path=screenshot_path("scoring-sheet"), full_page=False)
    page.reload()
    expect(page.locator("#score-digital")).to_have_value("6.5")
    page.locator("#score-digital").fill("12")
    expect(status).to_contain_text("超出范围", timeout=10_000)
    expect(page.locator("#score-digital")).to_have_value("12")
    page.reload()
    expect(page.locator("#score-digital")).to_have_value("6.5")
