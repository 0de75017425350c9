"""Phones, keyboards and screen readers on every county page (issue 9, item 8).

A county officer of 海曙区 (``haishu``, whose demo application is a draft filled from the form
core's example) opens every page they work with — the dashboard, each page of the form, the
self-check, the submit page, the Word import, the history, the evidence list — and the login
page is opened signed out. The preview of a Word import over haishu's draft (it needs an upload;
nothing is saved) and the city officer's deleted drafts and round thresholds are checked too.
On each:

- at 375 px wide (an ordinary phone) the page does not scroll sideways: wide tables scroll in
  their own box, the header folds into a 菜单 button;
- axe-core (vendored, ``tests/browser/axe.py``) finds no serious or critical violation.

Only reads: no box is typed into, so nothing is saved and the demo stays as seeded.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from clusterdesk.form.example import example_application
from tests.browser.axe import blocking, describe, run_axe
from tests.browser.conftest import browser_tab, log_in, screenshot_path
from tests.documents.county_templates import WPS, fill

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
SCREENSHOTS = {"dashboard", "form-part2", "form-part3", "selfcheck"}  # kept as they look
FORM_PAGES = ("cover", *(f"part{n}" for n in range(1, 10)), "attachment1")


@pytest.fixture
def tab(browser, server):
    """A tab that may run the injected axe-core (the site's CSP allows no inline script)."""
    with browser_tab(browser, server, bypass_csp=True) as page:
        yield page


def first_application(page: Page) -> str:
    """The id of the first application on the officer's dashboard."""
    page.goto("/county/")
    check = page.locator('main a[href^="/county/applications/"][href$="/check/"]').first
    return re.search(r"/applications/(\d+)/", check.get_attribute("href")).group(1)


def county_pages(page: Page, username: str) -> list[tuple[str, str]]:
    """(name, path) of the pages to check for the officer's first application.

    haishu's draft: every page a county officer works with; jiangbei's submitted application:
    the read-only form; zhenhai's returned one: the pages that show the city's reason.
    """
    pk = first_application(page)
    form = f"/applications/{pk}/form"
    if username == "jiangbei":
        return [
            ("dashboard", "/county/"),
            ("form-part2", f"{form}/part2/"),
            ("form-part3", f"{form}/part3/"),
            ("form-part8", f"{form}/part8/"),
        ]
    if username == "zhenhai":
        return [
            ("dashboard", "/county/"),
            ("form-cover", f"{form}/cover/"),
            ("selfcheck", f"/county/applications/{pk}/check/"),
            ("timeline", f"/applications/{pk}/timeline/"),
        ]
    return [
        ("dashboard", "/county/"),
        *((f"form-{key}", f"{form}/{key}/") for key in FORM_PAGES),
        ("selfcheck", f"/county/applications/{pk}/check/"),
        ("submit", f"/county/applications/{pk}/submit/"),
        ("import", "/county/import/"),
        ("import-into", f"/county/applications/{pk}/import/"),
        ("history", f"/applications/{pk}/history/"),
        ("timeline", f"/applications/{pk}/timeline/"),
        ("evidence", f"/evidence/{pk}/"),
        ("delete", f"/county/applications/{pk}/delete/"),
    ]


def horizontal_overflow(page: Page) -> dict | None:
    """None when the page fits the window's width; else the widths and the widest elements."""
    return page.evaluate(
        """() => {
            const doc = document.scrollingElement;
            if (doc.scrollWidth <= window.innerWidth) return null;
            const wide = [];
            const clipped = (el) => {
                for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                    if (getComputedStyle(up).overflowX !== 'visible') return true;
                }
                return false;
            };
            document.querySelectorAll('body *').forEach((el) => {
                const box = el.getBoundingClientRect();
                if (box.right > window.innerWidth + 1 && box.width > 0 && !clipped(el)) {
                    wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                        + (el.className && typeof el.className === 'string'
                            ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                        + ' right=' + Math.round(box.right));
                }
            });
            return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth,
                    wide: wide.slice(0, 12)};
        }"""
    )


@pytest.mark.parametrize("username", ["haishu", "jiangbei", "zhenhai"])
def test_every_county_page_fits_a_phone_and_passes_axe(tab: Page, username: str):
    log_in(tab, username)
    pages = county_pages(tab, username)
    tab.set_viewport_size(PHONE)
    problems: list[str] = []
    for name, path in pages:
        response = tab.goto(path)
        assert response.status == 200, (name, path, response.status)
        problems += phone_and_axe_problems(tab, f"{username}-{name}", name in SCREENSHOTS)
    assert not problems, "\n".join(problems)


def phone_and_axe_problems(tab: Page, name: str, screenshot: bool = False) -> list[str]:
    """What is wrong with the page as it is now: a sideways scroll at the tab's width, and
    axe-core's serious or critical violations (a screenshot is kept of a page that scrolls)."""
    problems = []
    expect(tab.locator("main h1").first).to_be_visible()
    overflow = horizontal_overflow(tab)
    if overflow:
        problems.append(f"== {name}：375 px 宽时页面横向滚动 {overflow}")
    if overflow or screenshot:
        tab.screenshot(path=screenshot_path(f"phone-{name}"), full_page=True)
    found = blocking(run_axe(tab))
    if found:
        problems.append(f"== {name}：axe-core\n{describe(found)}")
    return problems


def test_the_import_preview_fits_a_phone_and_passes_axe(tab: Page, tmp_path):
    """haishu previews a county-filled Word over the demo draft (nothing is saved): the page
    with the changes by part, the evidence to keep or remove and the import report."""
    app = example_application()
    app.part2.chain_map = "否"  # unticks a box that may hold evidence
    app.part2.total_output["2021"] = app.part2.total_output["2021"] + 1
    app.part1.operator = "海曙区产业集群促进中心（导入预览）"
    word = tmp_path / "海曙区申报表.docx"
    word.write_bytes(fill(app, WPS))  # WPS habits: full-width digits, units typed: a long report
    log_in(tab, "haishu")
    pk = first_application(tab)
    tab.set_viewport_size(PHONE)
    tab.goto(f"/county/applications/{pk}/import/")
    tab.set_input_files("input[name=file]", str(word))
    tab.get_by_role("button", name="导入").click()
    expect(tab.locator("h1")).to_contain_text("确认导入")
    expect(tab.locator(".change-part").first).to_be_visible()
    problems = phone_and_axe_problems(tab, "haishu-import-preview", screenshot=True)
    tab.locator("#read summary").click()  # the folded list of everything read
    problems += phone_and_axe_problems(tab, "haishu-import-preview-read")
    assert not problems, "\n".join(problems)


def test_the_citys_deleted_drafts_and_round_thresholds_fit_a_phone_and_pass_axe(tab: Page):
    """yuyao (no demo application) starts a draft and deletes it; the city officer sees it
    among the deleted drafts, and opens the round's thresholds (a wrong value is not saved)."""
    log_in(tab, "yuyao")
    tab.goto("/county/")
    tab.get_by_role("button", name="新建申报").click()
    tab.wait_for_url(re.compile(r"/applications/(\d+)/form/cover/$"))
    pk = re.search(r"/applications/(\d+)/", tab.url).group(1)
    tab.goto(f"/county/applications/{pk}/delete/")
    tab.fill("#delete-reason", "重复新建")
    tab.get_by_role("button", name="确认删除草稿").click()
    tab.wait_for_url(re.compile(r"/county/$"))

    tab.context.clear_cookies()
    log_in(tab, "city")
    tab.set_viewport_size(PHONE)
    problems: list[str] = []
    tab.goto("/county/deleted/")
    expect(tab.locator(f"#deleted-{pk}")).to_contain_text("重复新建")
    problems += phone_and_axe_problems(tab, "city-deleted", screenshot=True)

    tab.goto("/rounds/")
    tab.get_by_role("link", name="认定标准阈值").first.click()
    expect(tab.locator("h1")).to_contain_text("认定标准阈值")
    problems += phone_and_axe_problems(tab, "city-thresholds", screenshot=True)
    # ningbo-2023 leaves thresholds to the city: a wrong one is refused at its box, not saved.
    box = tab.locator("form.fields input:not([type=hidden])").first
    box.fill("1.234")
    tab.get_by_role("button", name="保存阈值").click()
    expect(tab.locator(".has-error").first).to_contain_text("最多保留两位小数")
    problems += phone_and_axe_problems(tab, "city-thresholds-error")
    assert not problems, "\n".join(problems)


def test_the_login_page_passes_axe_and_fits_a_phone(tab: Page):
    tab.set_viewport_size(PHONE)
    tab.goto("/accounts/login/")
    assert horizontal_overflow(tab) is None
    found = blocking(run_axe(tab))
    assert not found, describe(found)


def test_on_a_phone_the_header_folds_into_a_menu_button(tab: Page):
    tab.set_viewport_size(PHONE)
    log_in(tab, "haishu")
    tab.goto("/county/")
    menu = tab.get_by_role("button", name="菜单")
    links = tab.locator("#site-menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(links).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(links.get_by_role("link", name="修改密码")).to_be_visible()
    tab.keyboard.press("Escape")  # focus is on the button: Escape only works inside the menu
    links.get_by_role("link", name="修改密码").focus()
    tab.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(links).to_be_hidden()
    tab.screenshot(path=screenshot_path("phone-menu"))

    # On a desktop the links are in the header and there is no button.
    tab.set_viewport_size({"width": 1280, "height": 900})
    expect(menu).to_be_hidden()
    expect(links.get_by_role("link", name="修改密码")).to_be_visible()


def test_the_first_tab_reaches_the_skip_link_to_the_content(tab: Page):
    log_in(tab, "haishu")
    tab.goto("/county/")
    tab.keyboard.press("Tab")
    skip = tab.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown while focused
    outline = skip.evaluate("(el) => getComputedStyle(el).outlineStyle")
    assert outline == "solid"  # :focus-visible
    tab.keyboard.press("Enter")
    expect(tab.locator("main#main")).to_be_focused()
    tab.keyboard.press("Tab")  # the next stop is inside the content, not the header
    inside = tab.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    assert inside


def described_texts(tab: Page, box) -> list[str]:
    """The texts of the elements the box's aria-describedby names (each must exist)."""
    ids = (box.get_attribute("aria-describedby") or "").split()
    return [tab.locator(f'[id="{i}"]').text_content() for i in ids]


def test_a_wrong_value_is_linked_to_its_message_while_typing_and_after_the_save(tab: Page):
    """ninghai (no demo application) starts a draft and types a third decimal into 集群总产值."""
    log_in(tab, "ninghai")
    tab.goto("/county/")
    tab.get_by_role("button", name="新建申报").click()
    tab.wait_for_url(re.compile(r"/applications/\d+/form/cover/$"))
    tab.goto(tab.url.replace("/cover/", "/part2/"))
    box = tab.locator('[data-path="part2.total_output.2021"][data-kind]')
    hint = tab.locator('[data-hint-for="part2.total_output.2021"]')
    # The empty box of a fresh draft is a to-do: described, not invalid.
    expect(box).not_to_have_attribute("aria-invalid", "true")
    assert box.get_attribute("aria-describedby")
    # Its visible label and the year's column name it.
    assert box.evaluate(
        """(el) => el.getAttribute('aria-labelledby').split(' ')
            .map((id) => document.getElementById(id).textContent.trim()).join(' ')"""
    ).startswith("集群总产值")

    box.fill("108.605")
    expect(hint).to_contain_text("保留小数点后2位")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_attribute(
        "aria-describedby", re.compile(r"\bhint-part2\.total_output\.2021\b")
    )

    box.press("Tab")
    expect(tab.locator("#autosave-status")).to_have_attribute("data-state", "saved", timeout=30_000)
    texts = described_texts(tab, box)
    assert any("保留小数点后2位" in text for text in texts), texts
    expect(box).to_have_attribute("aria-invalid", "true")

    box.fill("108.60")
    box.press("Tab")
    expect(tab.locator("#autosave-status")).to_have_attribute("data-state", "saved", timeout=30_000)
    expect(box).not_to_have_attribute("aria-invalid", "true")
    texts = described_texts(tab, box)
    assert not any("保留小数点后2位" in text for text in texts), texts
