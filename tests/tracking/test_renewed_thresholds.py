"""A cluster renewed after 复核 keeps the thresholds of the declaration round that first
certified it (its certification's application is the 复核 case, in the 复核 round, which has
no thresholds of its own: they are set per declaration round)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from clusterdesk.declarations.models import Application
from clusterdesk.panel.tracking import DEFAULT_THRESHOLDS, Status
from clusterdesk.publicity.domain.decision import Choice, record_decision
from clusterdesk.publicity.domain.publicity import start_publicity
from clusterdesk.registry.domain.publish import publish
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.tracking.domain.compute import certifications, one, tracked
from clusterdesk.tracking.domain.settings import change_thresholds
from tests.factories import SHANGHAI
from tests.recheck.world import DUE_DAY, certified, opened

from .world import file_report, report_data

pytestmark = pytest.mark.django_db


def at(day: int) -> dt.datetime:
    return dt.datetime(2025, 6, day, 10, 0, tzinfo=SHANGHAI)


def renewed(clock_at):
    """The second cluster's 复核 passes (会审 2 June 2025, 公示 from 9 June, 发文 16 June)."""
    world = certified()
    clock_at(DUE_DAY)
    round_, [case] = opened(world, indexes=(1,))
    record_decision(
        round_,
        dt.date(2025, 6, 2),
        "局务会成员",
        "同意。",
        [Choice(case.application_id, True)],
        world.city,
    )
    clock_at(at(9))
    start_publicity(round_, dt.date(2025, 6, 9), "中小企业处 张三", world.city)
    clock_at(at(16))
    app = Application.objects.get(pk=case.application_id)
    publish(round_, [app], "甬经信中小〔2025〕20号", dt.date(2025, 6, 16), world.city)
    new = Certification.objects.get(application=app)
    # Lagging far behind on output (as tests/tracking/test_compute.py's second cluster).
    # Filed by the county that declared it (the 复核 case was opened by the city).
    new.application.created_by = world.cert(1).application.created_by
    file_report(new, 2025, report_data(2025, output=100, patents=300), city=world.city)
    return world, world.cert(1), new


def output_status(cluster) -> Status:
    return next(t for t in cluster.track.indicators if t.rule.key == "output").status


def test_a_renewed_cluster_is_judged_by_its_declaration_round_s_thresholds(clock_at):
    world, old, new = renewed(clock_at)
    assert new.renews_id == old.pk
    assert new.application.round.kind == RoundKind.RECHECK
    declaration_round = old.application.round
    assert declaration_round.kind == RoundKind.DECLARATION

    before = one(new.pk)
    assert before.thresholds == DEFAULT_THRESHOLDS
    assert output_status(before) is Status.SERIOUS

    change_thresholds(declaration_round, world.city, lagging="90", serious="99")
    after = one(new.pk)
    assert after.thresholds.lagging == Decimal("90.00")
    assert after.thresholds.serious == Decimal("99.00")
    assert output_status(after) is Status.ON_TRACK
    # The city-wide list agrees (its stored summary was refreshed with the change).
    listed = {c.pk: c for c in tracked(certifications())}
    assert listed[new.pk].thresholds.lagging == Decimal("90.00")
    assert old.pk not in listed  # the renewed one is tracked instead of the old one
