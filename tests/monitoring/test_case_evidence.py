"""典型案例: each case carries its own 佐证材料, uploaded on the case's row, checked per case,
kept with its case when the list changes, and never another county's file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.urls import reverse

from clusterdesk.declarations import clock
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.form.annual.example import example_report_data
from clusterdesk.monitoring.domain import reports, windows
from tests.evidence import samples
from tests.factories import SHANGHAI
from tests.registry.world import certified_world

pytestmark = pytest.mark.django_db

IN_WINDOW = dt.datetime(2024, 2, 1, 10, 0, tzinfo=SHANGHAI)
SECOND = "共享热处理中心降本增效"


@pytest.fixture
def world():
    """Two counties' certified clusters, each with a filled 2023 report (two cases, no files);
    the second county has a file on record for its first case."""
    world = certified_world()
    windows.open_annual_round(2023, actor=world.city)
    world.reports = []
    with clock.frozen(IN_WINDOW):
        for application in world.applications[:2]:
            officer = application.created_by
            report = reports.start_report(application.certification, 2023, officer)
            reports.fill_report(report, example_report_data(2023), officer)
            world.reports.append(report)
        other = world.reports[1]
        secret = samples.docx_bytes("余姚内部材料")
        upload = samples.upload("余姚内部材料.docx", secret)
        upload_evidence(other, "cases.items.0", [upload], other.created_by)
    world.secret_sha = hashlib.sha256(secret).hexdigest()
    assert world.applications[0].organisation != world.applications[1].organisation
    return world


def upload(client, report, path, name, text="佐证材料"):
    file = samples.upload(name, samples.docx_bytes(text))
    url = reverse("evidence:upload", args=[report.pk])
    return client.post(url, {"path": path, "file": file, "next": "/"})


def autosave(client, report, path, value):
    report.refresh_from_db()
    original = report.data
    for part in path.split("."):
        original = original[part]
    body = {"changes": [{"path": path, "value": value, "original": original}]}
    url = f"/applications/{report.pk}/autosave/"
    return client.post(url, data=json.dumps(body), content_type="application/json")


def check_messages(client, report) -> str:
    return client.get(f"/county/applications/{report.pk}/check/").content.decode()


def test_each_case_row_has_its_own_upload_and_its_own_check(client, world):
    report = world.reports[0]
    client.force_login(report.created_by)
    with clock.frozen(IN_WINDOW):
        page = client.get(f"/applications/{report.pk}/form/cases/").content.decode()
        for path, label in (
            ("cases.items.0", "典型案例1（一体化压铸模具联合攻关）·佐证材料"),
            ("cases.items.1", f"典型案例2（{SECOND}）·佐证材料"),
        ):
            assert f'data-evidence-path="{path}"' in page, path
            assert label in page
        assert 'data-evidence-path="cases.items"' not in page  # none for the list as a whole
        check = check_messages(client, report)
        assert "「典型案例1（一体化压铸模具联合攻关）」需提供佐证材料" in check
        assert f"「典型案例2（{SECOND}）」需提供佐证材料" in check

        response = upload(client, report, "cases.items.1", "热处理中心运营报告.docx")
        assert response.status_code == 302
        report.refresh_from_db()
        files = report.data["evidence"]["cases.items.1"]
        assert [file["name"] for file in files] == ["热处理中心运营报告.docx"]
        assert "cases.items.0" not in report.data["evidence"]
        # listed under the second case on the form page, and on the evidence list
        page = client.get(f"/applications/{report.pk}/form/cases/").content.decode()
        second = page.index('data-evidence-path="cases.items.1"')
        assert page.rindex("热处理中心运营报告.docx") > second  # (the first: the message)
        listing = client.get(reverse("evidence:list", args=[report.pk])).content.decode()
        assert f"典型案例2（{SECOND}）" in listing
        check = check_messages(client, report)
        assert f"「典型案例2（{SECOND}）」需提供佐证材料" not in check
        assert "「典型案例1（一体化压铸模具联合攻关）」需提供佐证材料" in check


def test_a_case_keeps_its_files_when_the_list_changes(client, world):
    report = world.reports[0]
    client.force_login(report.created_by)
    with clock.frozen(IN_WINDOW):
        upload(client, report, "cases.items.1", "热处理中心运营报告.docx")
        report.refresh_from_db()
        cases = report.data["cases"]["items"]
        # The first case deleted: the second moves up, and its files with it.
        response = autosave(client, report, "cases.items", cases[1:])
        assert response.status_code == 200, response.content.decode()
        report.refresh_from_db()
        evidence = report.data["evidence"]
        assert [file["name"] for file in evidence["cases.items.0"]] == ["热处理中心运营报告.docx"]
        assert "cases.items.1" not in evidence
        # Renamed in place: still its files.
        renamed = [{**report.data["cases"]["items"][0], "title": "共享热处理中心"}]
        assert autosave(client, report, "cases.items", renamed).status_code == 200
        report.refresh_from_db()
        assert report.data["evidence"]["cases.items.0"][0]["name"] == "热处理中心运营报告.docx"


def test_no_upload_against_the_list_or_a_case_that_is_not_there(client, world):
    report = world.reports[0]
    client.force_login(report.created_by)
    with clock.frozen(IN_WINDOW):
        for path in ("cases.items", "cases.items.2", "cases.items.x"):
            response = upload(client, report, path, "无处安放.docx")
            assert response.status_code in (302, 403), path
        report.refresh_from_db()
        assert report.data["evidence"] == {}


def test_a_county_cannot_attach_another_countys_hash_to_a_case(client, world):
    """The own county knows the other county's hash (printed in its documents): no way of
    putting it on a case of its own report, and no way of opening it through that report."""
    report = world.reports[0]
    client.force_login(report.created_by)
    stolen = {"name": "他县材料.docx", "sha256": world.secret_sha, "size": 100}
    with clock.frozen(IN_WINDOW):
        before = report.data
        cases = [{**case, "evidence": [stolen]} for case in before["cases"]["items"]]
        response = autosave(client, report, "cases.items", cases)  # a file inside the row
        assert response.status_code == 200
        assert "cases.items" in response.json()["invalid"]
        response = autosave(client, report, "evidence", {"cases.items.0": [stolen]})
        assert "evidence" in response.json()["invalid"]
        report.refresh_from_db()
        assert report.data == before
        assert world.secret_sha not in json.dumps(report.data)
        download = reverse("evidence:download", args=[report.pk, world.secret_sha])
        assert client.get(download).status_code == 404
        # The other county's own report shows it to its own officer only.
        other = world.reports[1]
        assert client.get(reverse("evidence:list", args=[other.pk])).status_code == 404
