"""A report listing major changes opens a case for the city (notified) when submitted; the city
accepts the change or starts a revocation; bad input refused; once only; accepted reports told."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.workflow import transition
from clusterdesk.form.annual.example import example_report_data
from clusterdesk.monitoring.domain import reports, windows
from clusterdesk.monitoring.models import MajorChangeCase, MajorChangeDecision
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from tests.factories import SHANGHAI, make_admin
from tests.monitoring.world import file_cases
from tests.registry.world import certified_world

pytestmark = pytest.mark.django_db

IN_WINDOW = dt.datetime(2024, 2, 1, 10, 0, tzinfo=SHANGHAI)


def _report(world, change: bool):
    windows.open_annual_round(2023, actor=world.city)
    application = world.applications[0]
    officer = application.created_by
    with clock.frozen(IN_WINDOW):
        report = reports.start_report(application.certification, 2023, officer)
        data = example_report_data(2023)
        data["basics"]["cluster_name"] = application.cluster_name
        if change:
            data["changes"] = {
                "any_change": "是",
                "items": [
                    {
                        "kind": "运营管理机构",
                        "changed_on": "2023-07-01",
                        "before": "鄞州区经信局",
                        "after": "鄞州模具产业发展有限公司",
                        "explanation": "运营主体改由国有平台公司承担",
                    }
                ],
            }
        reports.fill_report(report, data, officer)
        file_cases(report, officer)
        transition(report, S.SUBMITTED, officer)
    return report


def test_submitted_change_opens_a_case_and_the_city_accepts_it(client):
    world = certified_world()
    report = _report(world, change=True)
    case = MajorChangeCase.objects.get(report__application=report)
    assert case.changes[0]["kind"] == "运营管理机构"
    assert Notification.objects.filter(
        recipient=world.city, kind=NotificationKind.MAJOR_CHANGE
    ).exists()
    client.force_login(world.city)
    assert "鄞州模具产业集群" in client.get("/monitoring/changes/").content.decode()
    page = client.get(f"/monitoring/changes/{case.pk}/").content.decode()
    assert "鄞州模具产业发展有限公司" in page
    assert "确认决定" in page
    for data, message in (
        ({"decision": "", "note": "x"}, "决定：请选择决定"),
        ({"decision": "maybe", "note": "x"}, "决定：请选择决定"),
        ({"decision": "accept", "note": "  "}, "决定：请填写决定说明"),
        ({"decision": "accept", "note": "长" * 1001}, "决定：决定说明不能超过1000字"),
    ):
        response = client.post(f"/monitoring/changes/{case.pk}/", data, follow=True)
        assert message in response.content.decode()
    assert not MajorChangeDecision.objects.exists()
    client.post(f"/monitoring/changes/{case.pk}/", {"decision": "accept", "note": "变更合理"})
    assert MajorChangeDecision.objects.get(case=case).decision == "accept"
    response = client.post(
        f"/monitoring/changes/{case.pk}/", {"decision": "revoke", "note": "再议"}, follow=True
    )
    assert "已作出决定，不能重复决定" in response.content.decode()
    # Admins read, do not decide.
    client.force_login(make_admin())
    assert client.get(f"/monitoring/changes/{case.pk}/").status_code == 200
    assert (
        client.post(
            f"/monitoring/changes/{case.pk}/", {"decision": "accept", "note": "x"}
        ).status_code
        == 403
    )


def test_start_revocation_links_to_the_revoke_form(client):
    world = certified_world()
    report = _report(world, change=True)
    case = MajorChangeCase.objects.get(report__application=report)
    client.force_login(world.city)
    response = client.post(
        f"/monitoring/changes/{case.pk}/", {"decision": "revoke", "note": "变更后不再符合条件"}
    )
    certification = world.applications[0].certification
    assert response.status_code == 302
    assert response["Location"] == f"/revocation/new/{certification.pk}/?reason_class=other"


def test_no_change_no_case_and_the_county_is_told_of_acceptance(client):
    world = certified_world()
    report = _report(world, change=False)
    assert not MajorChangeCase.objects.exists()
    with clock.frozen(IN_WINDOW):
        reports.accept_report(report, world.city)
    assert Notification.objects.filter(
        recipient=world.applications[0].created_by, kind=NotificationKind.REPORT_ACCEPTED
    ).exists()


def test_a_county_sees_no_cases(client):
    world = certified_world()
    report = _report(world, change=True)
    case = MajorChangeCase.objects.get(report__application=report)
    client.force_login(world.applications[0].created_by)
    assert client.get("/monitoring/changes/").status_code == 403
    assert client.get(f"/monitoring/changes/{case.pk}/").status_code == 403
