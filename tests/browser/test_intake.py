"""The city officer's desk in a browser: landing after login, the desk, the inbox and one
application, each at phone width and through axe-core (reads only: the demo stays as seeded)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import browser_tab, log_in
from tests.browser.test_accessibility import PHONE, phone_and_axe_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(browser, server):
    """A tab that may run the injected axe-core (the site's CSP allows no inline script)."""
    with browser_tab(browser, server, bypass_csp=True) as page:
        yield page


def test_the_city_lands_on_the_desk_and_reads_the_inbox_on_a_phone(tab: Page):
    log_in(tab, "city")
    assert tab.url.endswith("/intake/")
    tab.set_viewport_size(PHONE)
    expect(tab.locator("main h1")).to_have_text("审核工作台")
    problems = phone_and_axe_problems(tab, "city-desk", screenshot=True)

    tab.locator("main .links").get_by_role("link", name="收件箱").click()
    expect(tab.locator("main h1")).to_have_text("收件箱")
    expect(tab.locator("table.inbox tbody tr").first).to_be_visible()
    problems += phone_and_axe_problems(tab, "city-inbox", screenshot=True)

    tab.locator('table.inbox a[href^="/intake/applications/"]').first.click()
    expect(tab.locator("main h2").first).to_be_visible()
    expect(tab.get_by_text("办理记录").first).to_be_visible()
    problems += phone_and_axe_problems(tab, "city-application", screenshot=True)
    assert not problems, "\n".join(problems)
