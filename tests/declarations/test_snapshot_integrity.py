"""Snapshot integrity: ``manage.py verify_snapshots`` and the check on the city's overview find a
snapshot whose data no longer matches the SHA-256 recorded when it was submitted."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models.query import QuerySet
from django.utils.timezone import localtime

from clusterdesk.declarations.domain.integrity import check_all
from clusterdesk.declarations.domain.snapshots import data_sha256
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Submission
from clusterdesk.shared import appendonly
from tests.declarations.county_world import client_for, make_world
from tests.factories import make_application, make_city_officer

pytestmark = pytest.mark.django_db


def tamper(submission: Submission, output_2022: float = 999999.99) -> None:
    """What someone with database access could do: the triggers dropped, the figure rewritten
    in SQL, the triggers put back. (Inside the test's transaction, so it is all rolled back.)"""
    data = submission.data
    data["part2"]["total_output"]["2022"] = output_2022
    table = Submission._meta.db_table
    placeholder = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    appendonly.remove(connection, table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET data = {placeholder} WHERE id = %s",
            [json.dumps(data), submission.pk],
        )
    appendonly.install(connection, table, "提交快照")


def run_verify() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_snapshots", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_stored_hashes_verify_after_a_round_trip_through_the_database():
    make_application(cluster_name="宁波江北模具产业集群", path=(S.SUBMITTED,))
    make_application(path=(S.SUBMITTED, S.RETURNED, S.SUBMITTED))
    code, out, err = run_verify()
    assert (code, err) == (0, "")
    assert "已校验 3 份提交快照，全部一致。" in out


def test_a_tampered_snapshot_is_named_and_the_command_exits_1():
    intact = make_application(cluster_name="宁波北仑压铸产业集群", path=(S.SUBMITTED,))
    altered = make_application(cluster_name="宁波江北模具产业集群", path=(S.SUBMITTED,))
    snapshot = altered.submissions.get()
    tamper(snapshot)

    code, _out, err = run_verify()
    assert code == 1
    assert "已校验 2 份提交快照，其中 1 份不一致" in err
    assert "宁波江北模具产业集群" in err
    assert altered.organisation.name in err
    assert f"{localtime(snapshot.submitted_at):%Y-%m-%d %H:%M:%S}（北京时间）" in err
    assert f"记录的 SHA-256：{snapshot.data_sha256}" in err
    snapshot.refresh_from_db()
    assert f"重新计算的 SHA-256：{data_sha256(snapshot.data)}" in err
    assert "宁波北仑压铸产业集群" not in err
    assert intact.submissions.get().data_sha256 not in err


def test_verification_streams_the_snapshots(monkeypatch):
    for _ in range(3):
        make_application(path=(S.SUBMITTED,))

    # Iterating a queryset normally fills its result cache with every row at once.
    def no_full_load(self):
        raise AssertionError("all submissions loaded at once")

    monkeypatch.setattr(QuerySet, "_fetch_all", no_full_load)
    results = check_all(chunk_size=2)
    assert sum(1 for result in results if result.ok) == 3


def _page(client, app) -> str:
    return client.get(f"/intake/applications/{app.pk}/").content.decode()


def test_the_city_sees_whether_the_latest_snapshot_verifies(client):
    world = make_world()
    city = make_city_officer()
    resubmitted = make_application(
        round_=world.round,
        cluster_name="宁波江北模具产业集群",
        path=(S.SUBMITTED, S.RETURNED, S.SUBMITTED),
        city_officer=city,
    )
    client.force_login(city)
    page = _page(client, resubmitted)
    assert "快照校验一致" in page
    assert "快照校验不一致" not in page

    # An older snapshot altered: the page judges the latest one, the command finds it.
    older, latest = resubmitted.submissions.order_by("submitted_at", "pk")
    tamper(older)
    assert "快照校验不一致" not in _page(client, resubmitted)
    assert run_verify()[0] == 1

    tamper(latest)
    page = _page(client, resubmitted)
    assert "快照校验不一致：提交后的数据被改动过" in page
    assert latest.data_sha256 in page  # the recorded hash, next to the recomputed one


def test_the_city_is_sent_from_the_county_dashboard_to_its_desk(client):
    world = make_world()
    client_for(client, world, "city")
    response = client.get("/county/", {"round": world.round.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/intake/?round={world.round.pk}"
