"""GET /api/v1/rounds/{id}/export: the city's (and admins') streamed export; a county, an
expert and anonymous callers are refused, in Chinese, with nothing changed."""

from __future__ import annotations

import json
from urllib.parse import unquote

import jsonschema
import pytest

from clusterdesk.api import tokens
from clusterdesk.api.roundexport.check import check_bytes
from clusterdesk.rounds.enums import RoundKind
from tests.api.world import expert_token
from tests.factories import make_round
from tests.roundexport.world import schema

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.issue(user, '对接测试').secret}"}


def url(round_) -> str:
    return f"/api/v1/rounds/{round_.pk}/export"


def test_the_city_downloads_the_round_as_a_valid_file(client, world):
    response = client.get(url(world.round), **bearer(world.city))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("application/json")
    assert unquote(response["Content-Disposition"]).endswith(
        f"{world.round.name}-轮次数据交换.json"
    )
    raw = b"".join(response.streaming_content)
    jsonschema.Draft202012Validator(schema()).validate(json.loads(raw))
    checked = check_bytes(raw)
    assert checked.ok, checked.problems
    assert (len(checked.export.applications), checked.snapshots) == (4, 3)


def test_a_county_is_refused_in_chinese(client, world):
    response = client.get(url(world.round), **bearer(world.county))
    assert response.status_code == 403
    assert response.json()["detail"] == "只有市经信局可以导出全轮次的申报材料。"


def test_an_expert_is_refused(client, world):
    # Experts have no API: a token of theirs (written past ``issue``, which refuses them) is
    # refused before any endpoint runs.
    secret = expert_token(world.experts[0])
    response = client.get(url(world.round), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_no_token_is_refused(client, world):
    response = client.get(url(world.round))
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_an_unknown_round_and_an_annual_round(client, world):
    headers = bearer(world.city)
    response = client.get("/api/v1/rounds/999999/export", **headers)
    assert (response.status_code, response.json()["detail"]) == (404, "找不到该轮次。")
    annual = make_round(name="2024年度报告", kind=RoundKind.ANNUAL)
    response = client.get(url(annual), **headers)
    assert response.status_code == 409
    assert "只包括申报认定和复核轮次" in response.json()["detail"]
