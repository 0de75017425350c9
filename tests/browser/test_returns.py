"""A county officer in a real browser: a returned application says why (the dashboard row, every
page of the form, the self-check), and a closed round's applications stay on the dashboard, print,
and a returned one of them is resubmitted.

The demo has 镇海区's application returned by the city with a reason. For the closed round, a
past round (2022年度（补报测试）; the demo's own 2022年度 is certified history) with two
applications of 象山县 — one submitted, one returned — is added to the server's database through
``manage.py shell`` and then closed, as the city would have.
"""

from __future__ import annotations

import docx
import pytest
from playwright.sync_api import Page, expect

from clusterdesk.demo.seed import RETURN_REASON
from tests.browser.conftest import _manage, log_in, screenshot_path

pytestmark = pytest.mark.browser

PAST_SUBMITTED = "宁波象山往年已交模具集群"
PAST_RETURNED = "宁波象山往年退回模具集群"
PAST_REASON = "请补充2021年研发经费投入的佐证材料。"

# Runs in the server's environment (its database); idempotent, keyed by the round's name.
PAST_ROUND = f"""
import datetime as dt
from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.applications import create_application
from clusterdesk.declarations.workflow import transition
from clusterdesk.demo.seed import demo_form_data
from clusterdesk.rounds.domain import close_round
from clusterdesk.rounds.models import Round

officer = User.objects.get(username="xiangshan")
city = User.objects.get(username="city")
deadline = dt.datetime(2023, 1, 31, 15, 59, tzinfo=dt.timezone.utc)
round_, created = Round.objects.get_or_create(
    name="2022年度（补报测试）",
    defaults=dict(first_data_year=2020, last_data_year=2022,
                  reference_date=dt.date(2022, 12, 31), submission_deadline=deadline,
                  county_limit=2, form_version="2023", criteria_profile="national-2022"),
)
if created:
    with clock.frozen(deadline - dt.timedelta(days=3)):
        for name in ({PAST_SUBMITTED!r}, {PAST_RETURNED!r}):
            app = create_application(round_=round_, organisation=officer.organisation,
                                     actor=officer, data=demo_form_data("象山县", name))
            transition(app, "submitted", officer)
        transition(app, "returned", city, {PAST_REASON!r})
    close_round(round_, actor=city)
"""


def row(page: Page, name: str):
    return page.locator("tr[id^=application-]", has_text=name)


def test_a_returned_application_says_why_on_the_dashboard_and_every_form_page(page: Page):
    log_in(page, "zhenhai")
    page.goto("/county/")
    returned = page.locator("tr[id^=application-]", has=page.locator(".state-returned"))
    expect(returned).to_have_count(1)
    expect(returned.locator(".return-note")).to_contain_text(RETURN_REASON)
    expect(returned.locator(".return-note")).to_contain_text("宁波市经济和信息化局")
    page.screenshot(path=screenshot_path("dashboard-returned"), full_page=True)

    returned.get_by_role("link", name="填写").click()
    banner = page.locator("#return-banner")
    expect(banner).to_contain_text(RETURN_REASON)
    expect(banner).to_contain_text("宁波市经济和信息化局")
    expect(page.locator("#autosave-status")).to_have_attribute("data-state", "saved")  # editable
    page.screenshot(path=screenshot_path("form-returned-banner"))
    for _ in range(3):  # and on the pages that follow
        page.locator(".page-steps a.next").click()
        expect(page.locator("#return-banner")).to_contain_text(RETURN_REASON)

    page.locator("#return-banner").get_by_role("link", name="办理记录").click()
    expect(page.locator("ol.timeline")).to_contain_text(f"理由：{RETURN_REASON}")
    expect(page.locator("ol.timeline")).to_contain_text("SHA-256")

    page.goto("/county/")
    row_id = returned.get_attribute("id").removeprefix("application-")
    page.goto(f"/county/applications/{row_id}/check/")
    expect(page.locator("#return-banner")).to_contain_text(RETURN_REASON)


def test_a_closed_rounds_applications_stay_on_the_dashboard_print_and_resubmit(
    page: Page, server, tmp_path
):
    _manage(server.env, "shell", "-c", PAST_ROUND)
    log_in(page, "xiangshan")
    page.goto("/county/")
    headings = page.locator("section.card h2").all_inner_texts()
    rounds = [text for text in headings if "特色产业集群申报" in text]
    assert rounds[0].startswith("2023年度")  # the open round first
    assert rounds[1].startswith("2022年度（补报测试）")
    assert "本轮次已关闭" in rounds[1]
    expect(row(page, PAST_SUBMITTED)).to_contain_text("已提交")
    expect(row(page, PAST_RETURNED).locator(".return-note")).to_contain_text(PAST_REASON)
    page.screenshot(path=screenshot_path("dashboard-closed-round"), full_page=True)

    # The filed form prints.
    with page.expect_download() as download_info:
        row(page, PAST_SUBMITTED).get_by_role("link", name="附件2 Word").click()
    saved = tmp_path / "past.docx"
    download_info.value.save_as(saved)
    document = docx.Document(str(saved))
    text = "\n".join(cell.text for t in document.tables for r in t.rows for cell in r.cells)
    assert PAST_SUBMITTED in text

    # The returned one is corrected and resubmitted although its round is closed.
    row(page, PAST_RETURNED).get_by_role("link", name="重新提交").click()
    expect(page.locator("h1")).to_contain_text("重新提交")
    expect(page.locator("#return-banner")).to_contain_text(PAST_REASON)
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_url("**/county/")
    expect(row(page, PAST_RETURNED)).to_contain_text("已提交")
    expect(row(page, PAST_RETURNED).locator(".return-note")).to_have_count(0)
