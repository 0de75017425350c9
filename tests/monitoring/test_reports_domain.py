"""The year's annual round and starting a certified cluster's report: every refusal in Chinese,
nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.applications import create_application
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from clusterdesk.errors import DomainError
from clusterdesk.form.annual.example import example_report_data
from clusterdesk.monitoring.domain import reports, windows
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round, RoundEvent
from tests.factories import SHANGHAI, make_county_officer
from tests.monitoring.world import file_cases
from tests.registry.world import certified_world

pytestmark = pytest.mark.django_db

IN_WINDOW = dt.datetime(2024, 2, 1, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def world():
    world = certified_world()
    certification = world.applications[0].certification
    return world, certification, world.applications[0].created_by


def test_open_annual_round_with_the_default_window(world):
    w, _, _ = world
    round_ = windows.open_annual_round(2023, actor=w.city)
    assert round_.name == "2023年度发展情况报告"
    assert round_.kind == RoundKind.ANNUAL
    assert round_.form_version == "annual-2024"
    assert (round_.first_data_year, round_.last_data_year) == (2023, 2023)
    assert round_.reference_date == dt.date(2023, 12, 31)
    assert round_.opens_at == dt.datetime(2024, 1, 1, 0, 0, tzinfo=SHANGHAI)
    assert round_.submission_deadline == dt.datetime(2024, 3, 30, 23, 59, tzinfo=SHANGHAI)
    assert RoundEvent.objects.filter(round=round_).count() == 1


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (2022, "不在年度发展情况报告表"),
        (2026, "不在年度发展情况报告表"),
        ("2023", "请填写报告年度"),
    ],
)
def test_open_annual_round_refuses_a_year_no_form_covers(world, year, message):
    w, _, _ = world
    with pytest.raises(DomainError, match=message):
        windows.open_annual_round(year, actor=w.city)
    assert not Round.objects.filter(kind=RoundKind.ANNUAL).exists()


def test_open_annual_round_refuses_a_second_round_and_a_reversed_window(world):
    w, _, officer = world
    windows.open_annual_round(2023, actor=w.city)
    with pytest.raises(DomainError, match="已经建立，不能重复建立"):
        windows.open_annual_round(2023, actor=w.city)
    opens = dt.datetime(2025, 3, 1, tzinfo=SHANGHAI)
    with pytest.raises(DomainError, match="截止时间必须晚于开始填报时间"):
        windows.open_annual_round(2024, actor=w.city, opens_at=opens, closes_at=opens)
    with pytest.raises(DomainError, match="只有市经信局"):
        windows.open_annual_round(2024, actor=officer)
    assert Round.objects.filter(kind=RoundKind.ANNUAL).count() == 1


def test_change_window_is_recorded(world):
    w, _, _ = world
    round_ = windows.open_annual_round(2023, actor=w.city)
    closes = dt.datetime(2024, 4, 15, 23, 59, tzinfo=SHANGHAI)
    windows.change_window(round_, opens_at=round_.opens_at, closes_at=closes, actor=w.city)
    round_.refresh_from_db()
    assert round_.submission_deadline == closes
    assert "改为" in RoundEvent.objects.filter(round=round_).order_by("pk").last().note
    with pytest.raises(DomainError, match="截止时间必须晚于"):
        windows.change_window(round_, opens_at=closes, closes_at=round_.opens_at, actor=w.city)


def test_start_report_prefills_from_the_certified_declaration(world):
    w, certification, officer = world
    windows.open_annual_round(2023, actor=w.city)
    with clock.frozen(IN_WINDOW):
        application = reports.start_report(certification, 2023, officer)
    assert application.state == S.DRAFT
    assert application.round.kind == RoundKind.ANNUAL
    link = ClusterReport.objects.get(application=application)
    assert (link.certification, link.year) == (certification, 2023)
    basics = application.data["basics"]
    assert basics["year"] == 2023
    assert basics["cluster_name"] == "鄞州模具产业集群"
    assert basics["leading_industry"] == "模具"


def _refused(certification, year, actor, message, now=IN_WINDOW):
    before = Application.objects.count()
    with clock.frozen(now), pytest.raises(DomainError, match=message):
        reports.start_report(certification, year, actor)
    assert Application.objects.count() == before


def test_start_report_refusals(world):
    w, certification, officer = world
    # No round yet for the year.
    _refused(certification, 2023, officer, "尚未开放2023年度")
    windows.open_annual_round(2023, actor=w.city)
    # Outside the validity (certified 2023-04 for three years: 2023–2026; forms cover 2023–2025).
    _refused(certification, 2022, officer, "不在.*认定有效期")
    _refused(certification, 2030, officer, "不在.*认定有效期")
    _refused(certification, "2023", officer, "请选择报告年度")
    # The window is not open yet, or has closed.
    _refused(
        certification,
        2023,
        officer,
        "当前不在填报时间内",
        dt.datetime(2023, 12, 1, tzinfo=SHANGHAI),
    )
    _refused(
        certification, 2023, officer, "当前不在填报时间内", dt.datetime(2024, 4, 1, tzinfo=SHANGHAI)
    )
    # Another county's cluster; a city officer.
    _refused(certification, 2023, make_county_officer(), "只能填报本单位")
    _refused(certification, 2023, w.city, "只有区县经信部门")
    # A second report for the year.
    with clock.frozen(IN_WINDOW):
        reports.start_report(certification, 2023, officer)
    _refused(certification, 2023, officer, "已经建立，不能重复填报")


def test_start_report_refuses_a_revoked_cluster(world):
    w, certification, officer = world
    windows.open_annual_round(2023, actor=w.city)
    application = certification.application
    Application.objects.filter(pk=application.pk).update(state=S.REVOKED)
    certification.refresh_from_db()
    _refused(certification, 2023, officer, "认定已被撤销")


def test_create_application_refuses_an_annual_round_for_ordinary_creation(world):
    w, _, officer = world
    round_ = windows.open_annual_round(2023, actor=w.city)
    with (
        clock.frozen(IN_WINDOW),
        pytest.raises(DomainError, match="不能在此新建"),
    ):
        create_application(round_=round_, organisation=officer.organisation, actor=officer)
    assert not round_.applications.exists()


def test_fill_submit_return_accept(world):
    w, certification, officer = world
    windows.open_annual_round(2023, actor=w.city)
    with clock.frozen(IN_WINDOW):
        application = reports.start_report(certification, 2023, officer)
        data = example_report_data(2023)
        data["basics"]["cluster_name"] = "鄞州模具产业集群"
        reports.fill_report(application, data, officer)
        file_cases(application, officer)
        transition(application, S.SUBMITTED, officer)
        with pytest.raises(DomainError, match="请填写退回理由"):
            reports.return_report(application, "  ", w.city)
        reports.return_report(application, "请补充典型案例佐证", w.city)
        application.refresh_from_db()
        assert application.state == S.RETURNED
        transition(application, S.SUBMITTED, officer)
        with pytest.raises(DomainError, match="只有市经信局"):
            reports.accept_report(application, officer)
        reports.accept_report(application, w.city)
    application.refresh_from_db()
    assert application.state == S.ACCEPTED
    findings = reports.consistency_findings(application)
    assert isinstance(findings, list)
