"""What each role finds of the certified clusters' cultivation in the demo (issue 12, "Demo data"):
three certified clusters with two years of annual reports, one lagging on two targets, one due
for 复核 (and one under 复核), one revoked with its 通报 — read as a user would check them."""

import datetime as dt
import re

import pytest
from django.test import Client

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.forms import form_of
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.demo import cultivation, earlier
from clusterdesk.form.annual.metrics import target_actuals
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.panel.tracking import Status, plan_from_application, track
from clusterdesk.recheck.domain.due import due_certifications
from clusterdesk.recheck.models import RecheckCase
from clusterdesk.registry.models import Certification
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.revocation.models import Revocation
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round
from clusterdesk.tracking.domain import compute

pytestmark = pytest.mark.django_db

NAMES = {demo.county: demo.cluster_name for demo, _ in earlier.CLUSTERS}


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def certification(county: str) -> Certification:
    return Certification.objects.select_related("application").get(
        application__round__name=earlier.ROUND_NAME, application__listed_name=NAMES[county]
    )


def flagged(county: str) -> dict[str, Status]:
    """The tracking computation on the cluster's accepted reports: its flagged targets."""
    held = certification(county)
    reports = ClusterReport.objects.filter(
        certification=held, application__state=S.ACCEPTED
    ).select_related("application")
    actuals = {r.year: target_actuals(form_of(r.application)) for r in reports}
    result = track(plan_from_application(form_of(held.application)), actuals)
    return {t.rule.key: t.status for t in result.indicators if t.flagged}


def test_report_years_follow_the_validity_the_form_and_the_windows():
    held = Certification(valid_from=dt.date(2024, 9, 26), valid_until=dt.date(2027, 9, 25))
    assert cultivation.report_years(held, dt.date(2026, 12, 1)) == [2024, 2025]
    assert cultivation.report_years(held, dt.date(2025, 12, 31)) == [2024]
    assert cultivation.report_years(held, dt.date(2025, 1, 1)) == [2024]
    assert cultivation.report_years(held, dt.date(2024, 12, 31)) == []


def test_each_cluster_reported_on_two_years_and_the_city_accepted_them(world):
    rounds = Round.objects.filter(kind=RoundKind.ANNUAL).order_by("last_data_year")
    assert [r.name for r in rounds] == ["2024年度发展情况报告", "2025年度发展情况报告"]
    for county in NAMES:
        held = certification(county)
        assert (held.valid_from, held.valid_until) == (dt.date(2024, 9, 26), dt.date(2027, 9, 25))
        reports = ClusterReport.objects.filter(certification=held).order_by("year")
        assert [r.year for r in reports] == [2024, 2025]
        for report in reports:
            assert report.application.state == S.ACCEPTED
            assert report.application.organisation == held.application.organisation
            assert report.application.round == rounds.get(last_data_year=report.year)


def test_the_lagging_cluster_lags_on_exactly_two_targets_and_the_others_on_none(world):
    assert flagged("余姚市") == {
        "rd_spending": Status.SERIOUS,
        "industrial_internet": Status.LAGGING,
    }
    assert flagged("宁海县") == {}
    assert flagged("慈溪市") == {}


def test_the_tracking_pages_show_the_two_lagging_targets(world):
    lagging = certification("余姚市")
    tracked = compute.one(lagging.pk)
    flags = {t.rule.key: t.status for t in tracked.track.indicators if t.flagged}
    assert flags == flagged("余姚市")
    city = logged_in("city")
    listed = text(page(city, "/tracking/lagging/"))
    assert NAMES["余姚市"] in listed
    assert "研发经费投入" in listed
    assert "工业互联网普及率" in listed
    assert NAMES["宁海县"] not in listed
    own = text(page(logged_in("yuyao"), f"/tracking/cluster/{lagging.pk}/"))
    assert "严重滞后" in own
    assert logged_in("ninghai").get(f"/tracking/cluster/{lagging.pk}/").status_code == 404


def test_the_county_sees_its_own_clusters_reports_and_no_other(world):
    ninghai = logged_in("ninghai")
    listed = text(page(ninghai, "/monitoring/county/"))
    assert NAMES["宁海县"] in listed
    assert NAMES["余姚市"] not in listed
    assert "已通过" in listed
    revoked = text(page(logged_in("cixi"), "/monitoring/county/"))
    assert NAMES["慈溪市"] in revoked
    assert "已撤销" in revoked
    own = ClusterReport.objects.filter(certification=certification("宁海县")).first()
    other = ClusterReport.objects.filter(certification=certification("余姚市")).first()
    # The report's form opens (the cluster's name is a box's value there); another's does not.
    assert NAMES["宁海县"] in page(ninghai, f"/applications/{own.application_id}/form/")
    assert (
        ninghai.get(f"/applications/{other.application_id}/form/", follow=True).status_code == 404
    )


def test_the_revoked_cluster_is_off_the_public_list_and_its_notice_downloads(world):
    held = certification("慈溪市")
    assert held.application.state == S.REVOKED
    revocation = Revocation.objects.get(certification=held)
    assert revocation.reason_class == RevocationReason.UNREPORTED_CHANGE
    assert revocation.decided_on == dt.date(2026, 6, 16)
    assert revocation.document_number == "甬经信中小〔2026〕21号"
    public = text(page(Client(), "/certified/"))
    assert NAMES["慈溪市"] not in public
    assert NAMES["宁海县"] in public
    registry = text(page(logged_in("city"), "/registry/?status=revoked"))
    assert NAMES["慈溪市"] in registry
    assert revocation.document_number in registry
    for username in ("city", "cixi"):
        response = logged_in(username).get(f"/revocation/{revocation.pk}/notice.docx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml"
        )
    assert logged_in("ninghai").get(f"/revocation/{revocation.pk}/notice.docx").status_code == 404


def test_one_cluster_is_due_for_recheck_and_the_lagging_one_is_under_recheck(world):
    due = due_certifications()
    assert [c.application.listed_name for c in due] == [NAMES["宁海县"]]
    listed = text(page(logged_in("city"), "/recheck/"))
    assert NAMES["宁海县"] in listed
    case = RecheckCase.objects.get(certification=certification("余姚市"))
    assert case.round.name == "2026年度到期集群复核（第一批）"
    assert case.application.state == S.UNDER_REVIEW
    assert NAMES["余姚市"] in text(page(logged_in("city"), f"/recheck/case/{case.pk}/"))
