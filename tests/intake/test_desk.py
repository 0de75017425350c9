"""The city's intake desk: counts per unit, the inbox (filters, sorting, export), accepting and
returning through the workflow door, and the queries staying flat as applications accumulate."""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from clusterdesk.accounts.enums import OrganisationKind
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.declarations.workflow import transition
from clusterdesk.form.example import example_json
from clusterdesk.intake.domain.desk import desk, export_xlsx, inbox
from tests.factories import (
    PASSWORD,
    SHANGHAI,
    make_admin,
    make_application,
    make_city_officer,
    make_county_officer,
    make_organisation,
    make_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city_officer()


def copies(round_, officer, count, *, name="复制产业集群", industry=None, state=S.DRAFT):
    """``count`` applications of ``officer``'s unit in ``state`` (bulk: no workflow, no events)."""
    data = copy.deepcopy(example_json())
    data["part1"]["cluster_name"] = name
    if industry:
        data["part1"]["industry_type"] = industry
    Application.objects.bulk_create(
        Application(
            round=round_,
            organisation=officer.organisation,
            created_by=officer,
            data=data,
            state=state,
        )
        for _ in range(count)
    )


# --- the desk ---------------------------------------------------------------------------------


def test_the_desk_counts_each_unit_by_state_in_position_order(city):
    round_ = make_round(county_limit=3)
    late = make_county_officer(make_organisation(position=2))
    early = make_county_officer(make_organisation(OrganisationKind.COMMITTEE, position=1))
    silent = make_county_officer(make_organisation(position=3))
    make_application(round_=round_, officer=early)  # draft
    make_application(round_=round_, officer=early, path=(S.SUBMITTED,))
    make_application(round_=round_, officer=late, path=(S.SUBMITTED, S.RETURNED), city_officer=city)
    make_application(
        round_=round_, officer=late, path=(S.SUBMITTED, S.UNDER_REVIEW), city_officer=city
    )
    make_application(round_=round_, officer=silent, path=(S.DELETED,))
    make_application(officer=silent, path=(S.SUBMITTED,))  # another round

    board = desk(city, round_)

    lines = {line.unit.pk: line for line in board.lines}
    assert [line.unit for line in board.lines][:3] == [
        early.organisation,
        late.organisation,
        silent.organisation,
    ]
    first, second, third = (lines[u.organisation_id] for u in (early, late, silent))
    assert (first.drafts, first.submitted, first.returned, first.accepted) == (1, 1, 0, 0)
    assert (second.drafts, second.submitted, second.returned, second.accepted) == (0, 0, 1, 1)
    assert third.total == 0  # the deleted draft is not counted
    assert first.limit == 3
    assert not board.not_submitted(first)
    assert board.not_submitted(third)
    assert board.totals.total == 4


def test_drafts_are_flagged_within_three_days_of_the_deadline(city, clock_at):
    round_ = make_round(submission_deadline=dt.datetime(2023, 4, 14, 23, 59, tzinfo=SHANGHAI))
    officer = make_county_officer()
    make_application(round_=round_, officer=officer)
    line = next(line for line in desk(city, round_).lines if line.unit == officer.organisation)
    assert not desk(city, round_).late_drafts(line)  # TEST_NOW is 10 April: 4 days before
    clock_at(dt.datetime(2023, 4, 12, 9, 0, tzinfo=SHANGHAI))
    assert desk(city, round_).late_drafts(line)


def test_the_desk_page_links_every_number_to_the_inbox(client, city):
    round_ = make_round()
    officer = make_county_officer()
    make_application(round_=round_, officer=officer, path=(S.SUBMITTED,))
    silent = make_organisation(name="静默区经济和信息化局")
    client.force_login(city)
    page = client.get(reverse("intake:desk")).content.decode()
    assert "审核工作台" in page
    assert "申报截止时间" in page
    unit = officer.organisation_id
    assert f"round={round_.pk}&amp;organisation={unit}&amp;state=submitted" in page
    row = page[page.index(silent.name) :].split("</tr>")[0]
    assert "尚未提交" in row
    assert "尚未提交" not in page[page.index(officer.organisation.name) :].split("</tr>")[0]
    assert reverse("county:deleted") in page


def test_a_city_officer_lands_on_the_desk_after_login(client, city):
    response = client.post(reverse("login"), {"username": city.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("intake:desk")


# --- the inbox --------------------------------------------------------------------------------


def test_the_inbox_filters_by_unit_state_industry_and_name(client, city):
    round_ = make_round(county_limit=5)
    one, two = make_county_officer(), make_county_officer()
    copies(round_, one, 2, name="甲市模具产业集群", industry="第二产业")
    copies(round_, two, 1, name="乙县茶叶产业集群", industry="第一产业")
    copies(round_, two, 1, name="乙县旅游产业集群", industry="第三产业", state=S.SUBMITTED)
    copies(round_, two, 1, name="已删除产业集群", state=S.DELETED)

    def names(**filters):
        listed = client.get(reverse("intake:inbox"), {"round": round_.pk, **filters})
        assert listed.status_code == 200
        page = listed.content.decode()
        return sorted(
            n for n in ("甲市模具", "乙县茶叶", "乙县旅游", "已删除") if n + "产业集群" in page
        )

    client.force_login(city)
    assert names() == ["乙县旅游", "乙县茶叶", "甲市模具"]
    assert names(organisation=one.organisation_id) == ["甲市模具"]
    assert names(state="submitted") == ["乙县旅游"]
    assert names(industry="第一产业") == ["乙县茶叶"]
    assert names(name="茶叶") == ["乙县茶叶"]
    assert names(state="deleted") == ["乙县旅游", "乙县茶叶", "甲市模具"]  # not a choice


def test_the_inbox_sorts_by_cluster_name(client, city):
    round_ = make_round(county_limit=5)
    officer = make_county_officer()
    copies(round_, officer, 1, name="B产业集群")
    copies(round_, officer, 1, name="A产业集群")
    client.force_login(city)
    page = client.get(reverse("intake:inbox"), {"round": round_.pk, "sort": "name"}).content
    page = page.decode()
    assert page.index("A产业集群") < page.index("B产业集群")
    page = client.get(reverse("intake:inbox"), {"round": round_.pk, "sort": "-name"}).content
    page = page.decode()
    assert page.index("B产业集群") < page.index("A产业集群")


def test_the_inbox_never_loads_the_form_data(city):
    round_ = make_round()
    make_application(round_=round_)
    listed = list(inbox(city, round_))
    assert listed[0].name == "测试产业集群"
    assert "data" not in listed[0].__dict__


def queries(client, url, **params) -> int:
    client.get(url, params)  # the first request fills the summaries' cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured)


def test_desk_and_inbox_query_alike_with_3_and_30_applications(client, city):
    round_ = make_round(county_limit=40)
    officers = [make_county_officer() for _ in range(3)]
    client.force_login(city)

    def measure():
        return (
            queries(client, reverse("intake:desk")),
            queries(client, reverse("intake:inbox"), round=round_.pk),
            queries(client, reverse("intake:inbox"), round=round_.pk, sort="-submitted_at"),
        )

    for officer in officers:
        copies(round_, officer, 1)
    few = measure()
    for officer in officers:
        copies(round_, officer, 5, state=S.SUBMITTED)
        copies(round_, officer, 4)
    assert Application.objects.count() == 30
    assert measure() == few


# --- export -----------------------------------------------------------------------------------


# The export through the queue (filters kept, formulas defused): tests/exports.


def test_the_export_lists_only_the_filtered_applications(city):
    round_ = make_round()
    copies(round_, make_county_officer(), 1, name="甲产业集群", state=S.SUBMITTED)
    copies(round_, make_county_officer(), 1, name="乙产业集群")
    listed = inbox(city, round_).filter(state=S.SUBMITTED)
    sheet = load_workbook(io.BytesIO(export_xlsx(listed))).active
    assert [c.value for c in sheet[1]][:3] == ["序号", "申报单位", "集群名称"]
    assert [sheet.cell(row, 3).value for row in range(2, sheet.max_row + 1)] == ["甲产业集群"]


# --- accepting and returning -----------------------------------------------------------------


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_bulk_accept_accepts_the_submitted_and_reports_every_other_id(client, city):
    round_ = make_round(county_limit=5)
    officer = make_county_officer()
    submitted = make_application(round_=round_, officer=officer, path=(S.SUBMITTED,))
    draft = make_application(round_=round_, officer=officer, cluster_name="草稿产业集群")
    accepted = make_application(
        round_=round_, officer=officer, path=(S.SUBMITTED, S.UNDER_REVIEW), city_officer=city
    )
    elsewhere = make_application(path=(S.SUBMITTED,))  # another round's: not in this inbox
    before = ApplicationEvent.objects.count()
    client.force_login(city)

    response = client.post(
        reverse("intake:bulk_accept"),
        {
            "round": round_.pk,
            "ids": [submitted.pk, draft.pk, accepted.pk, elsewhere.pk, 99999, "x²"],
        },
        follow=True,
    )

    said = messages_of(response)
    assert "已受理 1 份申报" in said
    assert f"#{submitted.pk}" in said
    assert "5 份未受理" in said
    assert "申报当前为“草稿”，只有已提交的申报可以受理。" in said
    assert "该申报已受理，无需重复受理。" in said
    assert f"#{elsewhere.pk}：没有找到该申报" in said
    assert "#99999：没有找到该申报" in said
    assert "不是有效的申报编号" in said
    states = dict(Application.objects.values_list("pk", "state"))
    assert states[submitted.pk] == S.UNDER_REVIEW
    assert states[draft.pk] == S.DRAFT
    assert states[elsewhere.pk] == S.SUBMITTED
    assert ApplicationEvent.objects.count() == before + 1


def test_accepting_twice_explains_in_chinese(client, city):
    app = make_application(path=(S.SUBMITTED,))
    client.force_login(city)
    url = reverse("intake:accept", args=[app.pk])
    first = client.post(url, {"version": app.version}, follow=True)
    assert "已受理，申报进入审核。" in messages_of(first)
    app.refresh_from_db()
    second = client.post(url, {"version": app.version}, follow=True)
    assert second.status_code == 200
    assert "未受理：该申报已受理，无需重复受理。" in messages_of(second)
    assert app.events.filter(to_state=S.UNDER_REVIEW).count() == 1


def test_returning_needs_a_reason(client, city):
    app = make_application(path=(S.SUBMITTED,))
    client.force_login(city)
    url = reverse("intake:return", args=[app.pk])
    response = client.post(url, {"version": app.version, "reason": "  "}, follow=True)
    assert "未退回：请填写退回理由" in messages_of(response)
    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    response = client.post(url, {"version": app.version, "reason": "请补充专利证明"}, follow=True)
    assert "已退回修改" in messages_of(response)
    assert app.events.latest("pk").reason == "请补充专利证明"


def test_of_two_officers_acting_at_once_the_second_is_told(client, city):
    app = make_application(path=(S.SUBMITTED,))
    read_version = app.version
    other = make_city_officer()
    transition(app, S.UNDER_REVIEW, other)  # the colleague was quicker
    client.force_login(city)
    response = client.post(
        reverse("intake:return", args=[app.pk]),
        {"version": read_version, "reason": "材料不全"},
        follow=True,
    )
    assert "未退回：该申报已被他人更新，请刷新页面后重试。" in messages_of(response)
    app.refresh_from_db()
    assert app.state == S.UNDER_REVIEW


def test_the_application_page_shows_facts_timeline_and_links(client, city):
    app = make_application(path=(S.SUBMITTED,))
    sha = app.submissions.get().data_sha256
    client.force_login(city)
    page = client.get(reverse("intake:application", args=[app.pk])).content.decode()
    assert str(app.organisation) in page
    assert sha in page
    assert "提交" in page
    assert reverse("county:check", args=[app.pk]) in page
    assert reverse("form:start", args=[app.pk]) in page
    assert "受理" in page
    assert "退回修改" in page
    # The city reads the form pages and the self-check the link leads to.
    assert client.get(reverse("form:page", args=[app.pk, "part1"])).status_code == 200
    assert client.get(reverse("county:check", args=[app.pk])).status_code == 200


def test_an_admin_reads_the_application_but_cannot_accept(client):
    app = make_application(path=(S.SUBMITTED,))
    client.force_login(make_admin())
    page = client.get(reverse("intake:application", args=[app.pk])).content.decode()
    assert "受理与退回" not in page
    response = client.post(reverse("intake:accept", args=[app.pk]), {"version": app.version})
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.state == S.SUBMITTED


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": "99999999999999999999"}, {"sort": "errors"}, {"sort": "data"}],
)
def test_odd_paging_and_sorting_fall_back_to_the_list(client, city, params):
    round_ = make_round()
    make_application(round_=round_)
    client.force_login(city)
    response = client.get(reverse("intake:inbox"), {"round": round_.pk, **params})
    assert response.status_code == 200
    assert "测试产业集群" in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"state": "bogus"}, {"organisation": "x²"}, {"industry": "第九产业"}]
)
def test_an_invalid_filter_is_named_in_chinese_and_filters_nothing(client, city, params):
    round_ = make_round()
    make_application(round_=round_)
    client.force_login(city)
    response = client.get(reverse("intake:inbox"), {"round": round_.pk, **params})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<span class="error">选择一个有效的选项' in page
    assert "测试产业集群" in page


@pytest.mark.parametrize("round_param", ["abc", "99999", "²"])
def test_an_unknown_round_is_not_found(client, city, round_param):
    client.force_login(city)
    assert client.get(reverse("intake:desk"), {"round": round_param}).status_code == 404
    assert client.get(reverse("intake:inbox"), {"round": round_param}).status_code == 404


def test_an_overlong_name_search_is_refused_and_filters_nothing(client, city):
    round_ = make_round()
    make_application(round_=round_)
    client.force_login(city)
    response = client.get(reverse("intake:inbox"), {"round": round_.pk, "name": "茶" * 5000})
    assert response.status_code == 200
    assert "测试产业集群" in response.content.decode()


def test_bulk_accept_takes_a_repeated_id_once(client, city):
    round_ = make_round()
    app = make_application(round_=round_, path=(S.SUBMITTED,))
    before = ApplicationEvent.objects.count()
    client.force_login(city)
    response = client.post(
        reverse("intake:bulk_accept"),
        {"round": round_.pk, "ids": [app.pk] * 500},
        follow=True,
    )
    said = messages_of(response)
    assert "已受理 1 份申报" in said
    assert "未受理" not in said
    assert ApplicationEvent.objects.count() == before + 1
