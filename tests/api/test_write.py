"""Writing through the API: the autosave's door (field-by-field conflicts, the version as
ETag/If-Match), the workflow's submit, and bad input answered in Chinese naming the field."""

from __future__ import annotations

import json

import pytest

from clusterdesk.declarations.enums import ApplicationState, RevisionSource
from clusterdesk.declarations.models import Application, ApplicationEvent, Revision, Submission
from tests.api.world import OWN_NAME

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def patch(client, world, body, role="own", **headers):
    return client.patch(
        f"{V1}/applications/{world.own.pk}",
        json.dumps(body) if not isinstance(body, bytes) else body,
        content_type="application/json",
        **world.headers(role),
        **headers,
    )


def rename(value: str, original: str = OWN_NAME) -> dict:
    return {"changes": [{"path": "part1.cluster_name", "value": value, "original": original}]}


def test_a_change_is_saved_through_the_editing_door(client, world):
    read = client.get(f"{V1}/applications/{world.own.pk}", **world.headers("own"))
    version = read.json()["version"]
    assert read["ETag"] == f'"{version}"'
    assert read.json()["data"]["part1"]["cluster_name"] == OWN_NAME
    response = patch(client, world, rename("本县模具产业集群（新）"), HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 200, response.json()
    assert response.json()["applied"] == ["part1.cluster_name"]
    assert response.json()["version"] == version + 1
    assert response["ETag"] == f'"{version + 1}"'
    application = Application.objects.get(pk=world.own.pk)
    assert application.cluster_name == "本县模具产业集群（新）"
    revision = Revision.objects.get(application=application, version=version + 1)
    assert (revision.actor, revision.source) == (world.county.own, RevisionSource.EDIT)


def test_a_conflicting_change_is_409_and_not_saved(client, world):
    assert patch(client, world, rename("甲")).status_code == 200  # somebody else saved
    response = patch(client, world, rename("乙"))  # based on what was read before
    assert response.status_code == 409
    body = response.json()
    assert "已被他人修改" in body["detail"]
    assert "part1.cluster_name" in body["detail"]
    assert body["conflicts"] == [{"path": "part1.cluster_name", "yours": "乙", "theirs": "甲"}]
    assert Application.objects.get(pk=world.own.pk).cluster_name == "甲"


def test_a_stale_if_match_saves_nothing(client, world):
    version = Application.objects.get(pk=world.own.pk).version
    assert patch(client, world, rename("甲")).status_code == 200
    # A change to another field would merge; If-Match asks for all or nothing.
    body = {"changes": [{"path": "part1.contact_name", "value": "王五", "original": None}]}
    response = patch(client, world, body, HTTP_IF_MATCH=f'"{version}"')
    assert response.status_code == 409
    assert f"请求基于第 {version} 版" in response.json()["detail"]
    assert Application.objects.get(pk=world.own.pk).version == version + 1


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"{not json", 400, "不是有效的 JSON"),
        ({"changes": "x"}, 400, "changes"),
        ({"changes": [{"value": 1}]}, 400, "path"),
        (rename("x" * 5000), 422, "part1.cluster_name"),
        ({"changes": [{"path": "part9.nothing", "value": 1}]}, 422, "part9.nothing"),
    ],
)
def test_bad_changes_are_refused_in_chinese_naming_the_field(client, world, body, status, words):
    before = Application.objects.get(pk=world.own.pk)
    response = patch(client, world, body)
    assert response.status_code == status
    assert words in response.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
    assert Application.objects.get(pk=world.own.pk).data == before.data


def test_a_bad_if_match_is_400(client, world):
    response = patch(client, world, rename("甲"), HTTP_IF_MATCH="abc")
    assert response.status_code == 400
    assert "If-Match" in response.json()["detail"]


def test_the_city_may_read_but_not_change(client, world):
    response = patch(client, world, rename("市局改"), role="city")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert Application.objects.get(pk=world.own.pk).cluster_name == OWN_NAME


def test_submit_goes_through_the_workflow_and_takes_the_snapshot(client, world):
    url = f"{V1}/applications/{world.own.pk}/submit"
    response = client.post(url, **world.headers("own"))
    assert response.status_code == 200, response.json()
    application = Application.objects.get(pk=world.own.pk)
    assert application.state == ApplicationState.SUBMITTED
    submission = Submission.objects.get(application=application)
    assert response.json()["id"] == submission.pk
    assert response.json()["data_sha256"] == submission.data_sha256
    event = ApplicationEvent.objects.get(
        application=application, to_state=ApplicationState.SUBMITTED
    )
    assert event.actor == world.county.own
    assert submission.event == event
    listed = client.get(f"{V1}/applications/{world.own.pk}/submissions", **world.headers("own"))
    assert [item["id"] for item in listed.json()["items"]] == [submission.pk]
    again = client.post(url, **world.headers("own"))
    assert again.status_code == 409
    assert "不能重复提交" in again.json()["detail"]
    # Submitted: the editing door is closed to the county too.
    assert patch(client, world, rename("改")).status_code == 403


def test_the_city_cannot_submit_for_a_county(client, world):
    response = client.post(f"{V1}/applications/{world.own.pk}/submit", **world.headers("city"))
    assert response.status_code == 403
    assert Application.objects.get(pk=world.own.pk).state == ApplicationState.DRAFT


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("limit=0", "limit：不能小于 1"),
        ("limit=1000", "limit：不能大于 100"),
        ("offset=-1", "offset：不能小于 0"),
        ("limit=abc", "limit：应为整数"),
        ("state=nonsense", "state：应为以下之一"),
    ],
)
def test_bad_query_parameters_are_422_naming_the_field(client, world, query, words):
    response = client.get(f"{V1}/applications?{query}", **world.headers("own"))
    assert response.status_code == 422
    assert words in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == query.split("=")[0]


def test_pages_are_bounded(client, world):
    response = client.get(f"{V1}/applications?limit=1&offset=0", **world.headers("city"))
    body = response.json()
    assert (body["count"], body["limit"], len(body["items"])) == (2, 1, 1)
    rest = client.get(f"{V1}/applications?limit=1&offset=1", **world.headers("city")).json()
    assert rest["items"][0]["id"] != body["items"][0]["id"]
