"""A hostile county, holding a valid token, tries the other county's ids and hashes: every
lookup goes through the web pages' queries, so it finds nothing (404, never 403: an id tells
nothing) and changes nothing. The city sees every county."""

from __future__ import annotations

import pytest

from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, Revision
from clusterdesk.declarations.workflow import transition
from tests.api.world import OTHER_NAME, OWN_NAME
from tests.monitoring.world import submitted_report

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def names(response) -> set[str]:
    return {item["cluster_name"] for item in response.json()["items"]}


def test_a_county_lists_only_its_own_and_the_city_every_county(client, world):
    own = client.get(f"{V1}/applications", **world.headers("own"))
    assert names(own) == {OWN_NAME}
    assert own.json()["count"] == 1
    other = client.get(f"{V1}/applications", **world.headers("other_county"))
    assert names(other) == {OTHER_NAME}
    city = client.get(f"{V1}/applications", **world.headers("city"))
    assert names(city) == {OWN_NAME, OTHER_NAME}


def test_another_county_s_application_is_not_found(client, world):
    hostile = world.headers("other_county")
    pk = world.own.pk
    for url in (
        f"{V1}/applications/{pk}",
        f"{V1}/applications/{pk}/submissions",
        f"{V1}/applications/{pk}/evidence",
        f"{V1}/applications/{pk}/evidence/{world.own_sha}",
    ):
        response = client.get(url, **hostile)
        assert response.status_code == 404, url
        assert OWN_NAME not in response.content.decode()
        assert "找不到" in response.json()["detail"] or "没有找到" in response.json()["detail"]


def test_a_hash_on_file_for_another_application_is_not_served_through_one_s_own(client, world):
    """The other county's file exists, but not in the own application's register."""
    response = client.get(
        f"{V1}/applications/{world.own.pk}/evidence/{world.other_sha}", **world.headers("own")
    )
    assert response.status_code == 404
    mine = client.get(
        f"{V1}/applications/{world.own.pk}/evidence/{world.own_sha}", **world.headers("own")
    )
    assert mine.status_code == 200
    # The web download's headers: an attachment, sandboxed, never sniffed.
    assert mine["Content-Disposition"].startswith("attachment")
    assert mine["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in mine["Content-Security-Policy"]
    assert mine["ETag"] == f'"{world.own_sha}"'


def test_a_hostile_county_cannot_change_or_submit_another_s(client, world):
    before = Application.objects.get(pk=world.own.pk)
    hostile = world.headers("other_county")
    body = {"changes": [{"path": "part1.cluster_name", "value": "夺", "original": OWN_NAME}]}
    patched = client.patch(
        f"{V1}/applications/{world.own.pk}", body, content_type="application/json", **hostile
    )
    submitted = client.post(f"{V1}/applications/{world.own.pk}/submit", **hostile)
    assert (patched.status_code, submitted.status_code) == (404, 404)
    after = Application.objects.get(pk=world.own.pk)
    assert (after.version, after.state, after.data) == (before.version, before.state, before.data)
    assert not Revision.objects.filter(application=after, actor=world.county.other_county).exists()


def test_snapshots_of_another_county_are_not_found_even_by_their_id(client, world):
    submission = transition(world.own, ApplicationState.SUBMITTED, world.county.own).submission
    url = f"{V1}/applications/{world.own.pk}/submissions/{submission.pk}"
    assert client.get(url, **world.headers("other_county")).status_code == 404
    # Nor through the hostile county's own application id.
    mixed = f"{V1}/applications/{world.other.pk}/submissions/{submission.pk}"
    assert client.get(mixed, **world.headers("other_county")).status_code == 404
    mine = client.get(url, **world.headers("own"))
    assert mine.status_code == 200
    assert mine.json()["data"]["part1"]["cluster_name"] == OWN_NAME
    assert mine.json()["data_sha256"] == submission.data_sha256


def test_another_county_s_annual_report_is_not_found(client, world):
    report = submitted_report(world.own, world.county.city)
    assert (
        client.get(f"{V1}/reports/{report.pk}", **world.headers("other_county")).status_code == 404
    )
    listed = client.get(f"{V1}/reports", **world.headers("other_county")).json()
    assert listed["count"] == 0
    own = client.get(f"{V1}/reports/{report.pk}", **world.headers("own"))
    assert own.status_code == 200
    assert own.json()["year"] == 2023
    assert own.json()["data"]["basics"]["cluster_name"] == OWN_NAME
    city = client.get(f"{V1}/reports", **world.headers("city")).json()
    assert [item["id"] for item in city["items"]] == [report.pk]


def test_reports_are_not_declarations(client, world):
    report = submitted_report(world.own, world.county.city)
    assert client.get(f"{V1}/applications/{report.pk}", **world.headers("own")).status_code == 404
