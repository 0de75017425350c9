"""Targets against actuals from the stored certifications and reports, and the caches."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from clusterdesk.panel.tracking import Status
from clusterdesk.tracking.domain.compute import certifications, one, tracked
from clusterdesk.tracking.domain.settings import change_thresholds
from clusterdesk.tracking.models import ClusterPlan, ReportFigures
from tests.registry.world import certified_world

from .world import file_report, report_data

pytestmark = pytest.mark.django_db


def _world():
    world = certified_world()
    first, second, _third = (a.certification for a in world.applications)
    file_report(first, 2023, report_data(2023), city=world.city)
    file_report(first, 2024, report_data(2024), city=world.city)
    # The second lags on output (far below the path) and patents.
    file_report(second, 2023, report_data(2023, output=100, patents=300), city=world.city)
    return world, first, second


def test_on_track_lagging_and_not_reported(django_assert_max_num_queries):
    _world_unused, first, second = _world()
    found = {c.pk: c for c in tracked(certifications())}
    assert found[first.pk].track.status is Status.ON_TRACK
    lagging = found[second.pk].track
    assert lagging.status is Status.SERIOUS
    flagged = {t.rule.key for t in lagging.flags}
    assert {"output", "patents"} <= flagged
    assert (
        "2023年集群总产值 100.00 亿元"
        in next(t for t in lagging.flags if t.rule.key == "output").reason
    )
    third = next(c for c in found.values() if c.pk not in (first.pk, second.pk))
    assert third.track.status is Status.NOT_REPORTED
    assert ClusterPlan.objects.count() == 3
    assert ReportFigures.objects.count() == 3


def test_fixed_queries_once_cached(django_assert_num_queries):
    _world()
    tracked(certifications())  # fills the caches
    with django_assert_num_queries(3):  # certifications, reports, thresholds
        clusters = tracked(certifications())
    assert len(clusters) == 3


def test_thresholds_of_the_round_apply():
    world, _first, second = _world()
    change_thresholds(world.round, world.city, lagging="90", serious="99")
    cluster = one(second.pk)
    assert cluster.thresholds.lagging == Decimal("90.00")
    output = next(t for t in cluster.track.indicators if t.rule.key == "output")
    assert output.status is Status.ON_TRACK


def test_a_county_sees_only_its_own():
    _unused, first, second = _world()
    assert one(first.pk, organisation_id=second.application.organisation_id) is None
    assert one(first.pk, organisation_id=first.application.organisation_id) is not None


def test_a_report_submitted_again_counts_its_new_figures():
    world = certified_world()
    cert = world.applications[0].certification
    report = file_report(cert, 2023, report_data(2023, output=100), city=world.city, accept=False)
    assert one(cert.pk).track.status is Status.SERIOUS
    transition(report, S.RETURNED, world.city, reason="产值有误")
    Application.objects.filter(pk=report.pk).update(
        data=report_data(2023), version=F("version") + 1
    )
    report.refresh_from_db()
    transition(report, S.SUBMITTED, report.created_by)
    assert one(cert.pk).track.status is Status.ON_TRACK
    assert ReportFigures.objects.get(application=report).version == report.version
