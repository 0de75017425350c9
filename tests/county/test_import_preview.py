"""Importing into an existing draft asks first and can be undone (issue 9, item 4)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterdesk.county.views.imports import PENDING
from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.declarations.enums import RevisionSource
from clusterdesk.declarations.models import Application, Revision
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.form.example import example_application
from tests.declarations.county_world import client_for, make_world
from tests.documents.county_templates import WORD, fill
from tests.evidence import samples

pytestmark = pytest.mark.django_db
EXAMPLE_NAME = example_application().part1.cluster_name


@pytest.fixture(scope="module")
def county_docx() -> bytes:
    """A county-filled official template: the example with two boxes of part 二 unticked."""
    app = example_application()
    app.part2.chain_map = "否"
    app.part2.total_output["2021"] = app.part2.total_output["2021"] + 1
    return fill(app, WORD)


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("申报表.docx", content, content_type="application/octet-stream")


def _preview(client, application, content):
    return client.post(f"/county/applications/{application.pk}/import/", {"file": _upload(content)})


KEEP = {"evidence-part2.chain_map": "keep"}  # the draft has evidence for 产业链图谱


def _confirm(client, application, choices=KEEP):
    token = client.session[PENDING]["token"]
    return client.post(
        f"/county/applications/{application.pk}/import/confirm/", {"token": token, **choices}
    )


def _world_with_draft():
    world = make_world()
    app = world.application
    save_changes(
        app,
        [Change("part2.total_output.2021", "99.5", app.data["part2"]["total_output"]["2021"])],
        world.own,
    )
    app.refresh_from_db()
    return world, app


def _chain_map_evidence(world, app):
    """产业链图谱.pdf on the register of 集群是否绘制产业链图谱 (the county's file answers 否)."""
    upload_evidence(
        app,
        "part2.chain_map",
        [SimpleUploadedFile("产业链图谱.pdf", samples.PDF, content_type="application/pdf")],
        world.own,
    )


def test_the_preview_shows_what_changes_by_part_and_saves_nothing(client, county_docx):
    world, app = _world_with_draft()
    version = app.version
    page = _preview(client_for(client, world, "own"), app, county_docx)
    text = page.content.decode()
    assert page.status_code == 200
    assert "尚未导入" in text
    assert "确认导入" in text
    assert "二、主导产业情况" in text
    assert "二、主导产业情况 · 集群总产值（亿元） · 2021年" in text  # part · label · year
    assert "99.50" in text  # as the form shows it: two decimals
    assert "109.60" in text
    assert "part2.total_output" not in text  # never an internal path
    assert "一、基本情况" in text
    assert EXAMPLE_NAME in text
    app.refresh_from_db()
    assert app.version == version
    assert app.cluster_name == "本县模具产业集群"


def test_confirm_imports_and_the_previous_data_can_be_restored(client, county_docx):
    world, app = _world_with_draft()
    client_for(client, world, "own")
    _preview(client, app, county_docx)
    confirmed = _confirm(client, app)
    assert confirmed.status_code == 200
    assert "已导入到现有草稿" in confirmed.content.decode()
    app.refresh_from_db()
    assert app.cluster_name == EXAMPLE_NAME
    assert app.data["part2"]["total_output"]["2021"] == 109.6
    assert app.data["part9"]["accepted"] is False  # never ticked by an import
    imported = app.revisions.get(version=app.version)
    assert imported.source == RevisionSource.IMPORT
    assert PENDING not in client.session  # a confirmation is used once

    history = client.get(f"/applications/{app.pk}/history/").content.decode()
    assert "恢复到此版本之前" in history
    restored = client.post(f"/applications/{app.pk}/history/{imported.version}/restore/")
    assert restored.status_code == 302
    app.refresh_from_db()
    assert app.cluster_name == "本县模具产业集群"
    assert app.data["part2"]["total_output"]["2021"] == 99.5
    assert app.version == imported.version + 1
    latest = app.revisions.get(version=app.version)
    assert latest.source == RevisionSource.RESTORE
    # history is never rewritten: the import's revision is still there, unchanged
    assert Revision.objects.get(pk=imported.pk).changes == imported.changes


def test_a_stale_confirm_is_refused_and_nothing_is_imported(client, county_docx):
    world, app = _world_with_draft()
    client_for(client, world, "own")
    _preview(client, app, county_docx)
    # another tab saves meanwhile
    save_changes(app, [Change("part1.area_km2", "40", app.data["part1"]["area_km2"])], world.own)
    response = _confirm(client, app)
    assert response.status_code == 409
    assert "预览导入后，该申报又被修改" in response.content.decode()
    app.refresh_from_db()
    assert app.cluster_name == "本县模具产业集群"
    assert app.data["part1"]["area_km2"] == 40


def test_a_hostile_county_cannot_confirm_into_another_countys_application(client, county_docx):
    world, app = _world_with_draft()
    other = world.other_application
    # the hostile county previews into its own draft, then aims the confirm at ours
    client_for(client, world, "other_county")
    _preview(client, other, county_docx)
    token = client.session[PENDING]["token"]
    response = client.post(f"/county/applications/{app.pk}/import/confirm/", {"token": token})
    assert response.status_code == 404
    # and a confirm for its own draft with a forged application id in the session is refused
    session = client.session
    session[PENDING] = {**session[PENDING], "application": app.pk}
    session.save()
    mine = client.post(f"/county/applications/{other.pk}/import/confirm/", {"token": token})
    assert mine.status_code == 400
    app.refresh_from_db()
    other.refresh_from_db()
    assert app.cluster_name == "本县模具产业集群"
    assert other.cluster_name == "他县纺织产业集群"


def test_a_confirm_without_a_preview_or_with_a_wrong_token_is_refused(client, county_docx):
    world, app = _world_with_draft()
    client_for(client, world, "own")
    nothing = client.post(f"/county/applications/{app.pk}/import/confirm/", {"token": "x"})
    assert nothing.status_code == 400
    _preview(client, app, county_docx)
    wrong = client.post(f"/county/applications/{app.pk}/import/confirm/", {"token": "x"})
    assert wrong.status_code == 400
    assert "没有待确认的导入" in wrong.content.decode()


def test_evidence_of_a_box_the_import_unticks_is_listed_and_kept_or_removed(client, county_docx):
    world, app = _world_with_draft()
    _chain_map_evidence(world, app)
    app.refresh_from_db()
    client_for(client, world, "own")
    page = _preview(client, app, county_docx).content.decode()
    assert 'id="evidence-at-risk"' in page
    assert "产业链图谱.pdf" in page
    assert "集群是否绘制产业链图谱" in page
    # no choice made: refused, nothing kept or dropped silently
    undecided = _confirm(client, app, choices={})
    assert undecided.status_code == 400
    assert "逐项选择" in undecided.content.decode()
    assert Application.objects.get(pk=app.pk).cluster_name == "本县模具产业集群"
    removed = _confirm(client, app, choices={"evidence-part2.chain_map": "remove"})
    assert removed.status_code == 200
    app.refresh_from_db()
    assert app.data["part2"]["chain_map"] == "否"
    assert "part2.chain_map" not in app.data["evidence"]


def test_evidence_kept_when_the_officer_says_so(client, county_docx):
    world, app = _world_with_draft()
    _chain_map_evidence(world, app)
    client_for(client, world, "own")
    _preview(client, app, county_docx)
    kept = _confirm(client, app)
    assert kept.status_code == 200
    app.refresh_from_db()
    assert "产业链图谱.pdf" in [f["name"] for f in app.data["evidence"]["part2.chain_map"]]


def test_restore_is_offered_and_allowed_only_to_those_who_may_edit(client, county_docx):
    world, app = _world_with_draft()
    client_for(client, world, "own")
    _preview(client, app, county_docx)
    _confirm(client, app)
    app.refresh_from_db()
    version = app.version
    city = client_for(client, world, "city")
    assert "恢复到此版本之前" not in city.get(f"/applications/{app.pk}/history/").content.decode()
    assert city.post(f"/applications/{app.pk}/history/{version}/restore/").status_code == 403
    other = client_for(client, world, "other_county")
    assert other.post(f"/applications/{app.pk}/history/{version}/restore/").status_code == 404
    app.refresh_from_db()
    assert app.version == version


def test_restoring_a_version_that_is_not_an_import_is_refused(client):
    world, app = _world_with_draft()
    client_for(client, world, "own")
    response = client.post(f"/applications/{app.pk}/history/{app.version}/restore/", follow=True)
    assert "不是 Word 导入" in response.content.decode()


def test_choosing_an_existing_draft_on_the_import_page_also_asks_first(client, county_docx):
    world, app = _world_with_draft()
    client_for(client, world, "own")
    response = client.post("/county/import/", {"target": str(app.pk), "file": _upload(county_docx)})
    assert response.status_code == 200
    assert "确认导入" in response.content.decode()
    app.refresh_from_db()
    assert app.cluster_name == "本县模具产业集群"


def test_the_declaration_stays_unticked_even_if_the_pending_data_says_otherwise(
    client, county_docx
):
    world, app = _world_with_draft()
    client_for(client, world, "own")
    _preview(client, app, county_docx)
    session = client.session
    assert session[PENDING]["data"]["part9"]["accepted"] is False
    session[PENDING]["data"]["part9"]["accepted"] = True
    session.save()
    assert _confirm(client, app).status_code == 200
    app.refresh_from_db()
    assert app.data["part9"]["accepted"] is False


def test_an_old_preview_is_not_confirmed(client, county_docx):
    world, app = _world_with_draft()
    client_for(client, world, "own")
    _preview(client, app, county_docx)
    session = client.session
    session[PENDING] = {**session[PENDING], "at": session[PENDING]["at"] - 31 * 60}
    session.save()
    response = _confirm(client, app)
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.cluster_name == "本县模具产业集群"
