"""The county's and the city's 年度报告 pages: what each sees, start, accept, return, comment;
another county's clusters and reports are 404; bad input is a Chinese message, nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.monitoring.domain import reports, windows
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.revocation.domain import revoke
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round
from tests.factories import SHANGHAI, make_admin, make_county_officer, make_user
from tests.monitoring.world import IN_WINDOW, filed_report, reporting_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return reporting_world()


def _officer(world, i=0):
    return world.applications[i].created_by


def _submitted(world, i=0):
    application = world.applications[i]
    return filed_report(application.certification, _officer(world, i), str(application))


def test_county_page_lists_own_clusters_and_starts_a_report(client, world):
    officer = _officer(world)
    client.force_login(officer)
    with clock.frozen(IN_WINDOW):
        page = client.get("/monitoring/county/").content.decode()
        assert "鄞州模具产业集群" in page
        assert "余姚塑料制品产业集群" not in page  # another county's
        assert "填报2023年度报告" in page
        certification = world.applications[0].certification
        response = client.post(f"/monitoring/county/{certification.pk}/start/", {"year": "2023"})
    report = ClusterReport.objects.get(certification=certification, year=2023)
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{report.application_id}/form/"
    with clock.frozen(IN_WINDOW):
        page = client.get("/monitoring/county/").content.decode()
    assert "继续填报" in page


@pytest.mark.parametrize("year", ["", "abc", "2022", "20233", "2030"])
def test_county_start_with_a_bad_year_changes_nothing(client, world, year):
    client.force_login(_officer(world))
    certification = world.applications[0].certification
    with clock.frozen(IN_WINDOW):
        response = client.post(
            f"/monitoring/county/{certification.pk}/start/", {"year": year}, follow=True
        )
    assert "报告年度：" in response.content.decode()
    assert not ClusterReport.objects.exists()


def test_county_cannot_start_another_countys_report(client, world):
    client.force_login(_officer(world, 0))
    other = world.applications[1].certification
    with clock.frozen(IN_WINDOW):
        response = client.post(f"/monitoring/county/{other.pk}/start/", {"year": "2023"})
    assert response.status_code == 404
    assert not ClusterReport.objects.exists()


def test_county_cannot_see_or_edit_another_countys_report(client, world):
    with clock.frozen(IN_WINDOW):
        application = reports.start_report(
            world.applications[1].certification, 2023, _officer(world, 1)
        )
    client.force_login(_officer(world, 0))
    assert client.get(f"/applications/{application.pk}/form/").status_code == 404
    assert client.get(f"/county/applications/{application.pk}/submit/").status_code == 404
    assert client.get(f"/county/applications/{application.pk}/attachment2.docx").status_code == 404
    assert "余姚" not in client.get("/monitoring/county/").content.decode()
    # Nor the city's pages.
    assert client.get("/monitoring/").status_code == 403
    assert client.get(f"/monitoring/reports/{application.pk}/").status_code == 403


def test_annual_rounds_stay_off_the_county_board_and_the_desk(client, world):
    client.force_login(_officer(world))
    with clock.frozen(IN_WINDOW):
        page = client.get("/county/").content.decode()
    assert "2023年度发展情况报告" not in page
    client.force_login(world.city)
    with clock.frozen(IN_WINDOW):
        page = client.get("/intake/").content.decode()
    assert "2023年度发展情况报告" not in page


def test_county_downloads_its_report_as_word(client, world):
    with clock.frozen(IN_WINDOW):
        application = reports.start_report(
            world.applications[0].certification, 2023, _officer(world)
        )
    client.force_login(_officer(world))
    response = client.get(f"/county/applications/{application.pk}/attachment2.docx")
    assert response.status_code == 200
    assert (
        "年度发展情况报告" in response["Content-Disposition"]
        or "filename" in response["Content-Disposition"]
    )


def test_city_lists_filters_accepts_and_returns(client, world):
    with clock.frozen(IN_WINDOW):
        first = _submitted(world, 0)
        second = _submitted(world, 1)
    client.force_login(world.city)
    page = client.get("/monitoring/").content.decode()
    assert "鄞州模具产业集群" in page
    assert "余姚塑料制品产业集群" in page
    county = first.organisation_id
    page = client.get(f"/monitoring/?county={county}&year=2023&state=submitted").content.decode()
    assert "鄞州模具产业集群" in page
    assert "余姚塑料制品产业集群" not in page
    # Bad filters are ignored, never a traceback.
    assert client.get("/monitoring/?year=abc&state=nope&county=-1").status_code == 200
    page = client.get(f"/monitoring/reports/{first.pk}/").content.decode()
    assert "与申报书及以往报告的一致性" in page
    assert "审核通过" in page
    with clock.frozen(IN_WINDOW):
        client.post(f"/monitoring/reports/{first.pk}/accept/")
        response = client.post(f"/monitoring/reports/{second.pk}/return/", {"reason": " "})
        assert "退回理由：请填写退回理由" in client.get(response["Location"]).content.decode()
        second.refresh_from_db()
        assert second.state == S.SUBMITTED
        client.post(
            f"/monitoring/reports/{second.pk}/comment/",
            {"path": "figures.industry.total_output", "text": "产值与统计口径不一致"},
        )
        client.post(f"/monitoring/reports/{second.pk}/return/", {"reason": "请核实产值"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == S.ACCEPTED
    assert second.state == S.RETURNED
    assert second.comments.filter(status="open").count() == 1


def test_city_comment_at_an_unknown_field_is_refused(client, world):
    with clock.frozen(IN_WINDOW):
        application = _submitted(world)
    client.force_login(world.city)
    response = client.post(
        f"/monitoring/reports/{application.pk}/comment/",
        {"path": "no.such", "text": "x"},
        follow=True,
    )
    assert "意见：" in response.content.decode()
    assert not application.comments.exists()


def test_admin_reads_but_does_not_decide_expert_sees_nothing(client, world):
    with clock.frozen(IN_WINDOW):
        application = _submitted(world)
    client.force_login(make_admin())
    page = client.get(f"/monitoring/reports/{application.pk}/").content.decode()
    assert "退回修改" not in page
    assert client.post(f"/monitoring/reports/{application.pk}/accept/").status_code == 403
    client.force_login(make_user("expert"))
    assert client.get("/monitoring/").status_code == 403
    assert client.get("/monitoring/county/").status_code == 403


def test_city_opens_the_round_with_bad_input_refused(client, world):
    client.force_login(world.city)
    for data, message in (
        ({"year": "2023"}, "已经建立"),
        ({"year": "1999"}, "不在年度发展情况报告表"),
        ({"year": ""}, "请填写报告年度"),
        ({"year": "2024", "opens_on": "2025-02-01", "closes_on": "2025-01-01"}, "必须晚于"),
        ({"year": "2024", "opens_on": "bad"}, "请按 2024-01-01 的格式"),
    ):
        response = client.post("/monitoring/rounds/new/", data, follow=True)
        assert message in response.content.decode(), data
    assert Round.objects.filter(kind=RoundKind.ANNUAL).count() == 1
    client.post("/monitoring/rounds/new/", {"year": "2024"})
    assert Round.objects.filter(kind=RoundKind.ANNUAL).count() == 2
    # A county officer may not.
    client.force_login(make_county_officer())
    assert client.post("/monitoring/rounds/new/", {"year": "2025"}).status_code == 403


def test_county_page_shows_a_revoked_cluster_with_its_notice(client, world):
    certification = world.applications[0].certification
    with clock.frozen(IN_WINDOW):
        revocation = revoke(
            certification,
            reason_class="major_incident",
            reason="发生重大安全生产事故",
            document_number="甬经信中小〔2024〕3号",
            decided_on=dt.date(2024, 1, 20),
            actor=world.city,
        )
    client.force_login(_officer(world))
    with clock.frozen(IN_WINDOW):
        page = client.get("/monitoring/county/").content.decode()
    assert "已撤销" in page
    assert f"/revocation/{revocation.pk}/notice.docx" in page
    assert "填报2023年度报告" not in page


def test_city_changes_the_window_bad_dates_refused(client, world):
    round_ = windows.annual_round_of(2023)
    client.force_login(world.city)
    url = f"/monitoring/rounds/{round_.pk}/window/"
    for data, message in (
        ({"opens_on": "2024-01-01", "closes_on": ""}, "请按 2024-01-01 的格式"),
        ({"opens_on": "x", "closes_on": "2024-04-10"}, "请按 2024-01-01 的格式"),
        ({"opens_on": "2024-05-01", "closes_on": "2024-04-10"}, "必须晚于"),
    ):
        assert message in client.post(url, data, follow=True).content.decode()
    round_.refresh_from_db()
    assert round_.submission_deadline == dt.datetime(2024, 3, 30, 23, 59, tzinfo=SHANGHAI)
    client.post(url, {"opens_on": "2024-01-01", "closes_on": "2024-04-10"})
    round_.refresh_from_db()
    assert round_.submission_deadline == dt.datetime(2024, 4, 10, 23, 59, tzinfo=SHANGHAI)
    # Only annual rounds: a declaration round is 404 here.
    assert client.post(f"/monitoring/rounds/{world.round.pk}/window/", {}).status_code == 404
