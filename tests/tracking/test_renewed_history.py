"""A cluster renewed after 复核 is the same cluster tracked against the same certified plan: it
appears under its declaration round's filter, and its track keeps the years reported under the
certification it renews (the later certification's report counting for a year both have)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusterdesk.tracking.domain.compute import certifications, one, tracked
from tests.factories import SHANGHAI

from .test_renewed_thresholds import renewed
from .world import file_report, report_data

pytestmark = pytest.mark.django_db


def filed_in_time(clock_at, world, certification, year: int, output: int) -> None:
    """The report of ``year`` under ``certification``, filed within its window (February)."""
    clock_at(dt.datetime(year + 1, 2, 1, 10, 0, tzinfo=SHANGHAI))
    file_report(certification, year, report_data(year, output=output), city=world.city)


def output_actuals(cluster) -> dict[int, Decimal | None]:
    indicator = next(t for t in cluster.track.indicators if t.rule.key == "output")
    return {check.year: check.actual for check in indicator.years}


def test_a_renewed_cluster_appears_under_its_declaration_round(client, clock_at):
    world, old, new = renewed(clock_at)
    declaration_round = old.application.round
    listed = set(certifications(round_id=declaration_round.pk).values_list("pk", flat=True))
    assert new.pk in listed
    assert old.pk not in listed  # renewed: tracked as the renewal
    assert world.cert(0).pk in listed  # the round's other cluster, never renewed
    # The 复核 round is not a cohort of its own: nothing is judged as its.
    assert not certifications(round_id=new.application.round_id).exists()
    client.force_login(world.city)
    page = client.get(reverse("tracking:dashboard"), {"round": declaration_round.pk})
    assert page.status_code == 200
    assert page.context["total"] == len(listed)
    lagging = client.get(reverse("tracking:lagging"), {"round": declaration_round.pk})
    assert new.pk in {c.pk for c in lagging.context["rows"]}


def test_a_renewed_clusters_track_keeps_the_years_reported_before_the_renewal(client, clock_at):
    world, old, new = renewed(clock_at)  # the renewal's own report: 2025, output 100
    filed_in_time(clock_at, world, old, 2023, 210)
    filed_in_time(clock_at, world, old, 2024, 230)
    # The year the renewal begins in, reported under both: the renewal's report counts.
    filed_in_time(clock_at, world, old, 2025, 999)

    cluster = one(new.pk)
    assert sorted(cluster.reports) == [2023, 2024, 2025]
    assert [cluster.reports[y].earlier for y in (2023, 2024, 2025)] == [True, True, False]
    assert output_actuals(cluster) == {2023: Decimal(210), 2024: Decimal(230), 2025: Decimal(100)}
    # The dashboard's year before the renewal shows those years, not 未报告.
    (listed,) = [c for c in tracked(certifications(), through=2024) if c.pk == new.pk]
    assert sorted(listed.reports) == [2023, 2024]
    assert listed.summary.output[-1] == (2024, Decimal(230))

    # The cluster's page links each report and says which were filed before the renewal.
    client.force_login(world.city)
    page = client.get(reverse("tracking:cluster", args=[new.pk])).content.decode()
    earlier = old.reports.get(year=2023).application_id
    assert reverse("monitoring:report", args=[earlier]) in page
    assert page.count("复核续期前的认定期内填报") == 2
    # The county sees it on its own cluster's page too; another county does not see it at all.
    client.force_login(old.application.created_by)
    assert client.get(reverse("tracking:cluster", args=[new.pk])).status_code == 200
    client.force_login(world.cert(0).application.created_by)
    assert client.get(reverse("tracking:cluster", args=[new.pk])).status_code == 404


def test_the_earlier_reports_cost_no_query_of_their_own(clock_at):
    world, old, _new = renewed(clock_at)
    filed_in_time(clock_at, world, old, 2023, 210)
    rows = certifications()
    tracked(rows)  # the caches filled
    with CaptureQueriesContext(connection) as few:
        tracked(rows)
    filed_in_time(clock_at, world, old, 2024, 230)
    tracked(rows)
    with CaptureQueriesContext(connection) as more:
        tracked(rows)
    assert len(more) == len(few)
