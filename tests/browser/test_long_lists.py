"""A long 清单 in a real browser: part 三 of 海曙's draft holds the example's 386 patents. The
server sends them once, as data (the page stays small); the page builds a row of boxes for each,
and an edit in the middle of the list is saved like any other."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_the_386_patents_are_all_editable_and_an_edit_is_saved(page: Page, server):
    log_in(page, "haishu")
    page.goto("/county/")
    page.get_by_role("link", name="填写").first.click()
    page.wait_for_url(re.compile(r"/applications/\d+/form/cover/$"))
    url = page.url.replace("/form/cover/", "/form/part3/")
    response = page.goto(url)
    assert len(response.body()) < 150_000

    rows = page.locator('table[data-path="part3.patents_list"] tbody tr.list-item')
    expect(rows).to_have_count(386)
    expect(rows.nth(199).locator("td.index")).to_have_text("200")
    title = rows.nth(199).locator('[data-col="title"]')
    expect(title).not_to_have_value("")
    expect(rows.nth(199).locator('select[data-col="kind"]')).not_to_have_value("")

    title.fill("一种改进的模具冷却结构")
    title.blur()
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("data-state", "saved", timeout=15_000)

    page.reload()
    expect(rows).to_have_count(386)
    expect(rows.nth(199).locator('[data-col="title"]')).to_have_value("一种改进的模具冷却结构")
