"""The desktop layout at 1200–1280 px: the city's header with its dozen links, and the public
认定名单 (/certified/).

The walk (test_review_walkthrough.py) found 审核工作台 broken over three lines in the city's
header, the two download links of /certified/ run together and its table squeezing 序号 and 状态
to one character a line. Each is measured here in the browser, with a screenshot kept.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import log_in, screenshot_path

pytestmark = pytest.mark.browser


def line_height(page: Page, selector: str) -> float:
    return page.eval_on_selector(selector, "(el) => parseFloat(getComputedStyle(el).lineHeight)")


def broken(page: Page, selector: str) -> list[str]:
    """The texts of the elements under ``selector`` whose text runs over more than one line
    (the lines of the text itself, not the height of its cell)."""
    return page.eval_on_selector_all(
        selector,
        """(els) => els.filter((el) => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const tops = new Set([...range.getClientRects()]
                .filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            return tops.size > 1;
        }).map((el) => el.textContent.trim())""",
    )


@pytest.mark.parametrize("width", [1200, 1280])
def test_the_citys_header_keeps_every_link_on_one_line(page: Page, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "city")
    page.goto("/intake/")
    links = page.locator("#site-menu a")
    assert links.count() >= 10  # the city's own, 通知 and 修改密码
    assert broken(page, "#site-menu a, #site-menu .who, .masthead .brand") == []
    assert page.get_by_role("button", name="菜单").is_hidden()  # a desktop shows the links
    header = page.locator(".masthead").bounding_box()
    assert header["height"] < 6 * line_height(page, ".brand")  # title and at most two rows
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.screenshot(path=screenshot_path(f"city-header-{width}"), clip=header)


def test_the_certified_list_spaces_its_links_and_keeps_short_columns_whole(page: Page):
    page.goto("/certified/")
    word = page.get_by_role("link", name="下载认定名单（Word）").bounding_box()
    excel = page.get_by_role("link", name="下载认定名单（Excel）").bounding_box()
    assert excel["x"] - (word["x"] + word["width"]) >= 8  # a gap between the two links
    assert page.locator("table.certified tbody td.short").count() > 0  # the demo's clusters
    assert broken(page, "table.certified th, table.certified td.short") == []
    assert broken(page, "table.certified .date") == []
    page.screenshot(path=screenshot_path("certified-list"), full_page=True)
