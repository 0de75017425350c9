"""The stored summaries behind the city-wide dashboard (``TrackSummary``): what a new process
shows without tracking every cluster, and never an outdated status after a change."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from clusterdesk.declarations.domain.lru import Lru
from clusterdesk.panel.tracking import Status
from clusterdesk.tracking.domain import compute
from clusterdesk.tracking.domain.compute import certifications, tracked
from clusterdesk.tracking.domain.dashboard import status_of
from clusterdesk.tracking.domain.settings import change_thresholds
from clusterdesk.tracking.models import TrackSummary
from tests.factories import PASSWORD
from tests.registry.world import certified_world

from .world import file_report, report_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch):
    # The process keeps summaries by certification and content; earlier tests' rolled-back rows
    # may have had the same of both.
    _new_process(monkeypatch)


@pytest.fixture
def world():
    world = certified_world()
    first, second, third = (a.certification for a in world.applications)
    file_report(first, 2023, report_data(2023), city=world.city)
    # The second lags on output (far below the path) and patents.
    file_report(second, 2023, report_data(2023, output=100, patents=300), city=world.city)
    world.first, world.second, world.third = first, second, third
    return world


def _new_process(monkeypatch):
    """What a new (or another) worker process keeps: nothing."""
    monkeypatch.setattr(compute, "TRACKS", Lru(100))
    monkeypatch.setattr(compute, "SUMMARIES", Lru(100))


def _statuses(through=2023):
    return {c.pk: status_of(c) for c in tracked(certifications(), through=through)}


def _county_chart(client, city) -> dict[str, int]:
    assert client.login(username=city.username, password=PASSWORD)
    response = client.get(reverse("tracking:dashboard"), {"year": 2023})
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index(">", html.index('<script id="chart-county"')) + 1
    chart = json.loads(html[start : html.index("</script>", start)])
    return {s["name"]: sum(s["data"]) for s in chart["series"]}


def test_a_new_process_reads_the_stored_summaries_in_fixed_queries(
    world, monkeypatch, django_assert_num_queries
):
    before = _statuses()
    assert before[world.first.pk] is Status.ON_TRACK
    assert before[world.second.pk] is Status.SERIOUS
    assert TrackSummary.objects.filter(through=2023).count() == 3
    _new_process(monkeypatch)
    # certifications, reports, thresholds, the summaries: no cluster tracked again.
    with django_assert_num_queries(4):
        clusters = tracked(certifications(), through=2023)
    assert {c.pk: status_of(c) for c in clusters} == before
    assert len(compute.TRACKS) == 0


def test_changed_thresholds_show_at_once_in_another_process(client, world, monkeypatch):
    assert _county_chart(client, world.city)["严重滞后"] == 1
    change_thresholds(world.round, world.city, lagging="99", serious="100")
    _new_process(monkeypatch)
    chart = _county_chart(client, world.city)
    assert chart.get("严重滞后", 0) == 0
    second = next(c for c in tracked(certifications(), through=2023) if c.pk == world.second.pk)
    # The summary agrees with the full track computed from scratch (rule b's 严重滞后 on patents
    # does not depend on the thresholds).
    compute.TRACKS = Lru(100)
    assert second.summary.status is second.track.status
    assert second.summary.serious == sum(
        t.status is Status.SERIOUS for t in second.track.indicators
    )


def test_a_report_accepted_later_is_counted_not_the_stored_summary(client, world, monkeypatch):
    assert _statuses()[world.third.pk] is Status.NOT_REPORTED
    file_report(world.third, 2023, report_data(2023, output=100), city=world.city)
    _new_process(monkeypatch)
    assert _statuses()[world.third.pk] is Status.SERIOUS
    row = TrackSummary.objects.get(certification=world.third, through=2023)
    assert row.status == Status.SERIOUS


def test_an_outdated_row_is_recomputed_never_shown(world, monkeypatch):
    _statuses()
    TrackSummary.objects.filter(certification=world.first).update(
        digest="outdated", status=Status.SERIOUS
    )
    _new_process(monkeypatch)
    assert _statuses()[world.first.pk] is Status.ON_TRACK
    assert TrackSummary.objects.get(certification=world.first, through=2023).status == "按期"


def test_refresh_tracking_stores_every_summary(world, capsys):
    TrackSummary.objects.all().delete()
    call_command("refresh_tracking")
    assert "3 个已认定集群" in capsys.readouterr().out
    assert set(TrackSummary.objects.values_list("certification_id", flat=True)) == {
        world.first.pk,
        world.second.pk,
        world.third.pk,
    }


def test_refresh_tracking_refuses_arguments(capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("refresh_tracking", "extra")
    assert exited.value.code == 2
    assert "参数有误" in capsys.readouterr().err
