"""Drafts can be deleted (with a confirmation page, recorded) and restored by the city bureau; a
deleted draft leaves the county's lists, documents and limits and cannot be edited or submitted."""

from __future__ import annotations

import pytest

from clusterdesk.county.domain.board import new_draft_refusal
from clusterdesk.county.domain.documents import summary_selection
from clusterdesk.declarations.domain.editing import Change, EditRefused, edit_refusal, save_changes
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.declarations.workflow import TransitionRefused, refusal, transition
from tests.declarations.county_world import client_for, make_world
from tests.factories import make_application, make_round

pytestmark = pytest.mark.django_db
S = ApplicationState


def delete_url(app: Application) -> str:
    return f"/county/applications/{app.pk}/delete/"


def test_deleting_asks_first_then_records_who_and_why(client):
    world = make_world()
    app = world.application
    client_for(client, world, "own")
    page = client.get(delete_url(app)).content.decode()
    assert "确认删除草稿" in page
    assert "本县模具产业集群" in page
    app.refresh_from_db()
    assert app.state == S.DRAFT  # looking at the page deletes nothing

    response = client.post(delete_url(app), {"reason": "改为申报另一个集群"}, follow=True)
    assert response.redirect_chain[-1][0] == "/county/"
    assert "已删除" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.DELETED
    event = ApplicationEvent.objects.filter(application=app).latest("pk")
    assert (event.from_state, event.to_state, event.actor, event.reason) == (
        S.DRAFT,
        S.DELETED,
        world.own,
        "改为申报另一个集群",
    )


def test_a_deleted_draft_leaves_the_list_but_is_shown_folded_with_who(client):
    world = make_world()
    app = world.application
    transition(app, S.DELETED, world.own, "重复创建")
    page = client_for(client, world, "own").get("/county/").content.decode()
    assert f'id="application-{app.pk}"' not in page
    folded = page[page.index("已删除的草稿") :]
    assert "本县模具产业集群" in folded
    assert "重复创建" in folded
    assert world.own.username in folded
    assert f"/county/applications/{app.pk}/restore/" not in page  # only the city restores


def test_a_deleted_draft_is_not_counted_and_cannot_be_edited_or_submitted(client):
    world = make_world(county_limit=1)
    officer, round_ = world.own, world.round
    second = make_application(round_=round_, officer=officer, cluster_name="第二份草稿")
    assert "草稿最多比剩余名额多 1 份" in new_draft_refusal(round_, officer)
    transition(second, S.DELETED, officer)
    assert new_draft_refusal(round_, officer) is None  # the deleted draft takes no room

    assert edit_refusal(second, officer) == "申报当前为“已删除”，不能修改；被退回后方可修改。"
    assert refusal(second, S.SUBMITTED, officer) is not None
    client_for(client, world, "own")
    saved = client.post(
        f"/applications/{second.pk}/autosave/",
        data={"changes": [{"path": "part1.operator", "value": "某单位", "original": None}]},
        content_type="application/json",
    )
    assert saved.status_code == 403
    response = client.post(f"/county/applications/{second.pk}/submit/")
    assert response.status_code == 400
    second.refresh_from_db()
    assert second.state == S.DELETED
    form = client.get(f"/applications/{second.pk}/form/cover/").content.decode()
    assert "data-autosave-url" not in form  # read-only


def test_a_deleted_draft_is_in_no_document(client):
    world = make_world()
    keep = make_application(round_=world.round, officer=world.own, cluster_name="保留的草稿")
    transition(world.application, S.DELETED, world.own)
    selection = summary_selection(world.own, world.round)
    assert [app.pk for app in selection.applications] == [keep.pk]
    client_for(client, world, "own")
    package = client.get(f"/county/package.zip?round={world.round.pk}")
    body = b"".join(package.streaming_content)
    assert "本县模具产业集群".encode() not in body


def test_only_drafts_of_the_own_county_can_be_deleted(client):
    world = make_world()
    submitted = make_application(round_=world.round, officer=world.own, path=(S.SUBMITTED,))
    client_for(client, world, "own")
    response = client.post(delete_url(submitted))
    assert response.status_code == 400
    assert "只有草稿可以删除" in response.content.decode()
    assert client.post(delete_url(world.other_application)).status_code == 404
    submitted.refresh_from_db()
    world.other_application.refresh_from_db()
    assert (submitted.state, world.other_application.state) == (S.SUBMITTED, S.DRAFT)
    with pytest.raises(TransitionRefused):
        transition(world.other_application, S.DELETED, world.own)


def test_the_city_restores_with_a_reason(client):
    world = make_world()
    app = world.application
    transition(app, S.DELETED, world.own, "误操作")
    client_for(client, world, "city")
    desk = client.get("/county/", follow=True).content.decode()  # the city's desk
    assert "/county/deleted/" in desk
    listed = client.get("/county/deleted/").content.decode()
    assert "本县模具产业集群" in listed
    assert "误操作" in listed
    assert str(world.own.organisation) in listed

    refused = client.post(f"/county/applications/{app.pk}/restore/", {"reason": " "}, follow=True)
    assert "恢复申报必须填写理由。" in refused.content.decode()
    app.refresh_from_db()
    assert app.state == S.DELETED

    client.post(f"/county/applications/{app.pk}/restore/", {"reason": "区县误删，申请恢复"})
    app.refresh_from_db()
    assert app.state == S.DRAFT
    event = ApplicationEvent.objects.filter(application=app).latest("pk")
    assert (event.to_state, event.actor, event.reason) == (
        S.DRAFT,
        world.city,
        "区县误删，申请恢复",
    )
    after = client.get("/county/deleted/").content.decode()
    assert "已恢复为草稿" in after  # the message, once
    assert "没有已删除的草稿。" in after


def test_a_county_cannot_restore_nor_list_deleted_drafts(client):
    world = make_world()
    transition(world.application, S.DELETED, world.own)
    client_for(client, world, "own")
    assert client.get("/county/deleted/").status_code == 403
    response = client.post(
        f"/county/applications/{world.application.pk}/restore/", {"reason": "自己恢复"}
    )
    assert response.status_code == 403
    world.application.refresh_from_db()
    assert world.application.state == S.DELETED
    change = Change("part1.operator", "x", None)
    with pytest.raises(EditRefused):
        save_changes(world.application, [change], world.own)


def test_deleting_in_a_closed_round_is_allowed_and_restoring_takes_no_round(client):
    round_ = make_round()
    world = make_world()
    app = make_application(round_=round_, officer=world.own, cluster_name="旧草稿")
    type(round_).objects.filter(pk=round_.pk).update(status="closed")
    app.refresh_from_db()
    transition(app, S.DELETED, world.own)
    transition(app, S.DRAFT, world.city, "恢复以便归档")
    assert app.state == S.DRAFT
