"""An annual report and a 复核 are named for what they are wherever an application is named
(the shared pages read ``str(application)``): 「<集群名称> 2023年度发展情况报告」,
「<集群名称>（复核）」 — never 「…的申报（未命名）」, and never at the cost of a query."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.forms import without_data
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.models import Application
from clusterdesk.monitoring.domain import reports
from tests.monitoring.world import submitted_report
from tests.recheck.world import DUE_DAY, certified, opened
from tests.registry.world import certified_world

pytestmark = pytest.mark.django_db

REPORT_NAME = "鄞州模具产业集群 2023年度发展情况报告"


@pytest.fixture
def report():
    world = certified_world()
    application = world.applications[0]
    assert application.cluster_name == "鄞州模具产业集群"
    return submitted_report(application, world.city), world.city


def test_a_report_is_named_on_the_evidence_list_timeline_and_notifications(client, report):
    report, city = report
    client.force_login(report.created_by)
    evidence = client.get(reverse("evidence:list", args=[report.pk])).content.decode()
    assert f"<h1>佐证材料：{REPORT_NAME}</h1>" in evidence
    timeline = client.get(reverse("form:timeline", args=[report.pk])).content.decode()
    assert f"<h1>办理记录：{REPORT_NAME}</h1>" in timeline
    assert f"<title>办理记录 · {REPORT_NAME} ·" in timeline
    reports.return_report(report, "请补充典型案例的佐证材料", city)
    notes = client.get(reverse("notifications:list")).content.decode()
    assert f"“{REPORT_NAME}”" in notes
    for page in (evidence, timeline, notes):
        assert "未命名" not in page
        assert "未填集群名称" not in page


def test_naming_a_report_or_a_recheck_costs_no_query(report, django_assert_num_queries):
    report, city = report
    loaded = visible_applications(city).get(pk=report.pk)
    deferred = without_data(visible_applications(city)).get(pk=report.pk)
    bare = without_data(Application.objects.all()).get(pk=report.pk)  # no round: the JSON says
    with django_assert_num_queries(0):
        assert [str(loaded), str(deferred), str(bare)] == [REPORT_NAME] * 3


def test_a_recheck_is_named_as_one(client, django_assert_num_queries):
    world = certified()
    with clock.frozen(DUE_DAY):
        _, [case] = opened(world)
    application = visible_applications(world.city).get(pk=case.application_id)
    with django_assert_num_queries(0):
        assert str(application) == "鄞州模具产业集群（复核）"
    client.force_login(world.city)
    with clock.frozen(DUE_DAY):
        evidence = client.get(reverse("evidence:list", args=[application.pk])).content.decode()
        timeline = client.get(reverse("form:timeline", args=[application.pk])).content.decode()
    assert "<h1>佐证材料：鄞州模具产业集群（复核）</h1>" in evidence
    assert "<h1>办理记录：鄞州模具产业集群（复核）</h1>" in timeline
    # the certified declaration itself keeps its plain name
    declaration = visible_applications(world.city).get(pk=world.certifications[0].application_id)
    assert str(declaration) == "鄞州模具产业集群"
