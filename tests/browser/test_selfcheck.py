"""The self-check reads like the form: a one-screen summary, the details folded below.

jiangbei's demo application is complete: the summary (parts, aspect and target badges, the
verdict) fits the first screen of a 1280×900 window, and the whole page, with its details folded,
is a fraction of the 5,800 px the unfolded page used to be.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, screenshot_path

pytestmark = pytest.mark.browser

SCREEN = 900  # px: the window's height (conftest)


def test_the_summary_fits_one_screen_and_the_details_fold(page: Page):
    log_in(page, "jiangbei")
    page.locator('main a[href^="/county/applications/"][href$="/check/"]').first.click()
    summary = page.locator("#summary")
    expect(summary).to_contain_text("认定标准预检")
    expect(page.locator("#summary-aspects .status")).to_have_count(9)
    expect(page.locator("#summary-targets .status")).to_have_count(7)
    box = summary.bounding_box()
    assert box is not None
    page.screenshot(path=screenshot_path("selfcheck-summary"))
    assert box["y"] + box["height"] <= SCREEN, box  # the summary ends on the first screen
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2900, height  # half the unfolded page's 5,800 px at most
    # A folded aspect opens on a click and shows what its rules compared.
    aspect = page.locator("#aspect-1")
    expect(aspect.locator("table")).to_be_hidden()
    aspect.locator("summary").click()
    expect(aspect.locator("table")).to_be_visible()
    expect(aspect).to_contain_text("2022年 ")


def test_a_unit_typed_into_a_number_box_is_read_and_noted_at_the_box(page: Page):
    """haishu's draft: 0.5亿元 typed into a 万元 box is saved as 5000, and the page says so."""
    log_in(page, "haishu")
    page.goto("/county/")
    page.get_by_role("link", name="填写").first.click()
    page.wait_for_url(re.compile(r"/applications/\d+/form/cover/$"))
    page.goto(page.url.replace("/form/cover/", "/form/part4/"))
    box = page.locator('#application-form input[data-path="part4.software_spending.2021"]')
    before = box.input_value()
    box.fill("0.5亿元")
    expect(page.locator('[data-hint-for="part4.software_spending.2021"]')).to_have_text("")
    box.blur()
    note = page.locator('.field-state[data-state-for="part4.software_spending.2021"] .normalised')
    expect(note).to_have_text("已按“5000”保存（单位亿元换算为万元）", timeout=10_000)
    page.reload()
    expect(box).to_have_value("5000")
    box.fill(before)  # leave the demo draft as it was for the other tests
    box.blur()
    expect(page.locator("#autosave-status")).to_have_attribute("data-state", "saved")
