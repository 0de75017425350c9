"""Autosave in a real browser: what is typed is saved without a button, survives a reload, and
survives the server going away — it is kept in the page (and localStorage) and sent when the
server is back, without the user doing anything.

The officer is 海曙区's (``haishu``), whose demo application is a draft; the county-flow test
uses 北仑区, so the two tests never touch the same application.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, screenshot_path

pytestmark = pytest.mark.browser

FIELD = "part1.operator_contact"  # 集群运营管理机构联系人: a plain text box
# After a failed save the page retries after 2 s, then 4 s, 8 s …; the server restarts in a
# second or two, so the retry that succeeds comes within ~15 s.
RECONNECT_TIMEOUT_MS = 60_000


def open_part1(page: Page) -> str:
    """The 海曙 draft's part 一, opened from the dashboard as the officer would."""
    page.goto("/county/")
    page.get_by_role("link", name="填写").first.click()
    page.wait_for_url(re.compile(r"/applications/\d+/form/cover/$"))
    url = page.url.replace("/form/cover/", "/form/part1/")
    page.goto(url)
    return url


def field(page: Page):
    return page.locator(f'#application-form input[data-path="{FIELD}"]')


def status(page: Page):
    return page.locator("#autosave-status")


def unsent(page: Page) -> list[str]:
    """The autosave queue kept in localStorage (one key per unsent field)."""
    return page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('clusterdesk:autosave:'))"
    )


def test_typed_values_are_saved_and_survive_a_server_outage(page: Page, server, browser):
    log_in(page, "haishu")
    url = open_part1(page)
    expect(status(page)).to_have_attribute("data-state", "saved")

    # --- type, wait for 已保存, reload: the value comes from the server --------------------
    field(page).fill("张立群")
    expect(status(page)).to_have_attribute("data-state", "saving")
    expect(status(page)).to_have_attribute("data-state", "saved", timeout=10_000)
    expect(status(page)).to_contain_text(re.compile(r"已保存 \d\d:\d\d:\d\d"))
    assert unsent(page) == []
    page.reload()
    expect(field(page)).to_have_value("张立群")

    # --- the server stops; the officer types on -----------------------------------------------
    server.stop()
    field(page).fill("李海燕")
    field(page).press("Tab")  # leaving the box sends the change at once
    expect(status(page)).to_have_attribute("data-state", "offline", timeout=10_000)
    expect(status(page)).to_contain_text("未保存：网络中断")
    expect(field(page)).to_have_value("李海燕")
    assert any(key.endswith(FIELD) for key in unsent(page)), unsent(page)
    page.screenshot(path=screenshot_path("autosave-offline"))

    # --- the server comes back: the page saves by itself, no reload, no click ----------------
    server.start()
    expect(status(page)).to_have_attribute("data-state", "saved", timeout=RECONNECT_TIMEOUT_MS)
    expect(status(page)).to_contain_text("已保存")
    assert unsent(page) == []
    page.reload()
    expect(field(page)).to_have_value("李海燕")

    # --- and the database has it: a fresh browser (no cookies, no localStorage) sees it ---------
    other = browser.new_context(base_url=server.url, locale="zh-CN")
    try:
        fresh = other.new_page()
        log_in(fresh, "haishu")
        fresh.goto(url)
        expect(fresh.locator(f'input[data-path="{FIELD}"]')).to_have_value("李海燕")
        assert fresh.evaluate("() => localStorage.length") == 0
    finally:
        other.close()
