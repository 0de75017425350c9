"""Every change of form data is attributed: who changed which box, when and how; and a Word
import never silently replaces what another editor saved after the importer opened the page."""

import pytest
from django.urls import reverse

from clusterdesk.declarations.domain.editing import Change, replace_form, save_changes
from clusterdesk.declarations.enums import RevisionSource
from clusterdesk.declarations.models import Application, Revision
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.form.example import example_application
from clusterdesk.shared.appendonly import AppendOnlyError
from tests.declarations.county_world import make_world
from tests.evidence import samples
from tests.factories import make_county_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world()
    # A second officer of the same county: the "other editor".
    world.colleague = make_county_officer(world.own.organisation, username="colleague")
    return world


def test_an_autosave_records_who_changed_which_box(world):
    app = world.application
    before = app.data["part2"]["total_output"]["2022"]
    save_changes(app, [Change("part2.total_output.2022", "999.5", before)], world.colleague)
    revision = Revision.objects.get(application=app)
    assert revision.actor == world.colleague
    assert revision.source == RevisionSource.EDIT
    assert revision.version == Application.objects.get(pk=app.pk).version
    assert revision.changes == [
        {"path": "part2.total_output.2022", "before": before, "after": 999.5}
    ]


def test_a_save_that_changes_nothing_records_nothing(world):
    app = world.application
    same = app.data["part1"]["cluster_name"]
    save_changes(app, [Change("part1.cluster_name", same, same)], world.own)
    assert not Revision.objects.filter(application=app).exists()


def test_evidence_and_imports_are_attributed_too(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    app = world.application
    upload_evidence(app, "part2.chain_map", [samples.upload("图谱.pdf", samples.PDF)], world.own)
    form = example_application()
    form.part1.cluster_name = "导入后的集群名称"
    replace_form(app, form, world.colleague)
    evidence, imported = Revision.objects.filter(application=app).order_by("version")
    assert (evidence.source, evidence.actor) == (RevisionSource.EVIDENCE, world.own)
    assert [change["path"] for change in evidence.changes] == ["evidence.part2.chain_map"]
    assert (imported.source, imported.actor) == (RevisionSource.IMPORT, world.colleague)
    assert {
        "path": "part1.cluster_name",
        "before": "本县模具产业集群",
        "after": "导入后的集群名称",
    } in imported.changes


def test_revisions_cannot_be_changed_or_deleted(world):
    app = world.application
    save_changes(app, [Change("part1.operator", "甲", app.data["part1"]["operator"])], world.own)
    revision = Revision.objects.get(application=app)
    with pytest.raises(AppendOnlyError):
        revision.save()
    with pytest.raises(AppendOnlyError):
        revision.delete()


def test_the_history_page_shows_who_entered_a_figure(client, world):
    app = world.application
    before = app.data["part2"]["total_output"]["2022"]
    save_changes(app, [Change("part2.total_output.2022", "999.5", before)], world.colleague)
    client.force_login(world.city)
    page = client.get(reverse("form:history", args=[app.pk])).content.decode()
    assert "集群总产值（亿元）（2022年）" in page
    assert "colleague" in page
    assert "在线填写" in page
    assert f"<td>{before}</td><td>999.5</td>" in page


# --- the import and other editors' saves ------------------------------------------------------


def import_page(client, app):
    return client.get(reverse("county:import_into", args=[app.pk]))


def post_import(client, app, seen, name="导入的集群"):
    form = example_application()
    form.part1.cluster_name = name
    upload = samples.upload("申报表.docx", render_attachment2(form))
    return client.post(reverse("county:import_into", args=[app.pk]), {"file": upload, "seen": seen})


def confirm_import(client, app):
    """确认导入 on the preview page (an import into a draft asks first)."""
    token = client.session["clusterdesk.pending_import"]["token"]
    return client.post(reverse("county:import_confirm", args=[app.pk]), {"token": token})


def test_an_import_after_another_editors_save_is_a_conflict_to_resolve(client, world):
    app = world.application
    client.force_login(world.own)
    seen = import_page(client, app).context["seen"]
    # Meanwhile the colleague renames the cluster.
    save_changes(
        app, [Change("part1.cluster_name", "同事改的名称", app.cluster_name)], world.colleague
    )

    response = post_import(client, app, seen)
    page = response.content.decode()
    assert response.status_code == 409
    assert "该草稿又有 1 项被修改" in page
    assert "<td>集群名称</td><td>同事改的名称</td><td>colleague</td>" in page
    assert Application.objects.get(pk=app.pk).cluster_name == "同事改的名称"  # not replaced

    # Having seen the changes, the importer imports again: the page now carries a newer mark.
    seen = response.context["seen"]
    response = post_import(client, app, seen)
    assert response.status_code == 200
    assert confirm_import(client, app).status_code == 200
    assert Application.objects.get(pk=app.pk).cluster_name == "导入的集群"


def test_an_import_with_no_save_in_between_goes_through(client, world):
    app = world.application
    client.force_login(world.own)
    save_changes(app, [Change("part1.cluster_name", "先前的名称", app.cluster_name)], world.own)
    seen = import_page(client, app).context["seen"]
    response = post_import(client, app, seen)
    assert response.status_code == 200
    assert confirm_import(client, app).status_code == 200
    assert Application.objects.get(pk=app.pk).cluster_name == "导入的集群"


def test_a_long_history_is_read_a_page_at_a_time(client, world):
    app = world.application
    for number in range(25):
        current = Application.objects.get(pk=app.pk).data["part1"]["operator"]
        save_changes(app, [Change("part1.operator", f"第{number}任", current)], world.own)
    client.force_login(world.own)
    url = reverse("form:history", args=[app.pk])
    first = client.get(url)
    assert [entry.version for entry in first.context["entries"]] == list(range(26, 6, -1))
    assert f'href="{url}?before=7"' in first.content.decode()  # 更早的修改记录
    older = client.get(url, {"before": "7"})
    assert [entry.version for entry in older.context["entries"]] == list(range(6, 1, -1))
    assert "更早的修改记录" not in older.content.decode()
    assert client.get(url, {"before": "²"}).status_code == 200  # a bad mark shows the newest
