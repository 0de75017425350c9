"""Every route of the open API for every role: the API's access matrix.

``tests/test_access_matrix.py`` logs in with a session; the API takes a token, so its routes
are here instead (that matrix leaves out /api/). ``test_every_route_is_in_the_table`` reads the
routes from the ninja API itself (every operation with its method, and the schema and docs
URLs), so a new endpoint without rows here fails. Each case sends the role's token (the
expert's token is refused: experts have no API), checks the status, that no answer carries the
other county's data, and that a refused request changed nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import pytest

from clusterdesk.api.site import api
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, Revision
from clusterdesk.declarations.workflow import transition
from tests.api.world import OTHER_FILE, OTHER_NAME, OWN_FILE, OWN_NAME, ROLES, World
from tests.monitoring.world import submitted_report

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"


@dataclass(frozen=True)
class By:
    """One status per role: anonymous, own, other_county, city, expert, admin."""

    anonymous: int
    own: int
    other_county: int
    city: int
    expert: int
    admin: int


@dataclass(frozen=True)
class Row:
    by: By
    url: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None = None


def _own(world: World) -> int:
    return world.own.pk


def _submission(world: World) -> str:
    submission = transition(world.own, ApplicationState.SUBMITTED, world.county.own).submission
    return f"{PREFIX}/applications/{world.own.pk}/submissions/{submission.pk}"


def _report(world: World) -> str:
    return f"{PREFIX}/reports/{submitted_report(world.own, world.county.city).pk}"


def _reports(world: World) -> str:
    submitted_report(world.own, world.county.city)
    return f"{PREFIX}/reports"


def _rename(world: World) -> dict[str, Any]:
    change = {"path": "part1.cluster_name", "value": "本县模具产业集群（改）", "original": OWN_NAME}
    return {"changes": [change]}


PUBLIC = By(200, 200, 200, 200, 200, 200)
SIGNED = By(401, 200, 200, 200, 401, 200)  # any token but an expert's
OWN_ONLY = By(401, 200, 404, 200, 401, 200)  # the own county's object: another county gets 404

# fmt: off
ACCESS: dict[str, Row] = {
    "GET /openapi.json": Row(PUBLIC, lambda w: f"{PREFIX}/openapi.json"),
    "GET /docs": Row(PUBLIC, lambda w: f"{PREFIX}/docs"),
    "GET ": Row(By(404, 404, 404, 404, 404, 404), lambda w: f"{PREFIX}/"),  # no index page
    "GET /rounds": Row(SIGNED, lambda w: f"{PREFIX}/rounds"),
    # Round-wide, with every county's applications and the experts' scores: the city and admins.
    "GET /rounds/{int:pk}/export": Row(
        By(401, 403, 403, 200, 401, 200), lambda w: f"{PREFIX}/rounds/{w.county.round.pk}/export"),
    "GET /applications": Row(SIGNED, lambda w: f"{PREFIX}/applications"),
    "GET /applications/{int:pk}": Row(OWN_ONLY, lambda w: f"{PREFIX}/applications/{_own(w)}"),
    # The city and the admin read; only the county edits and submits (the same rules as the web).
    "PATCH /applications/{int:pk}": Row(
        By(401, 200, 404, 403, 401, 403), lambda w: f"{PREFIX}/applications/{_own(w)}",
        body=_rename),
    "POST /applications/{int:pk}/submit": Row(
        By(401, 200, 404, 403, 401, 403), lambda w: f"{PREFIX}/applications/{_own(w)}/submit"),
    "GET /applications/{int:pk}/submissions": Row(
        OWN_ONLY, lambda w: f"{PREFIX}/applications/{_own(w)}/submissions"),
    "GET /applications/{int:pk}/submissions/{int:submission_id}": Row(OWN_ONLY, _submission),
    "GET /applications/{int:pk}/evidence": Row(
        OWN_ONLY, lambda w: f"{PREFIX}/applications/{_own(w)}/evidence"),
    "GET /applications/{int:pk}/evidence/{sha256}": Row(
        OWN_ONLY, lambda w: f"{PREFIX}/applications/{_own(w)}/evidence/{w.own_sha}"),
    "GET /reports": Row(SIGNED, _reports),
    "GET /reports/{int:pk}": Row(OWN_ONLY, _report),
    "GET /certified": Row(PUBLIC, lambda w: f"{PREFIX}/certified"),
}
# fmt: on

# The ninja URLs that are no operation of a router: the schema, the docs, the API's root.
NINJA_URLS = {"openapi-json": "GET /openapi.json", "openapi-view": "GET /docs", "api-root": "GET "}


def api_routes() -> set[str]:
    """Every route of the API as "METHOD /path", read from the ninja API itself."""
    routes = set()
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                routes.update(f"{method} {prefix}{path}" for method in operation.methods)
    operations = {
        op.view_func.__name__
        for _, r in api._routers
        for v in r.path_operations.values()
        for op in v.operations
    }
    for pattern in api.urls[0]:
        if pattern.name in operations:
            continue
        assert pattern.name in NINJA_URLS, f"an API URL that this test does not know: {pattern}"
        routes.add(NINJA_URLS[pattern.name])
    return routes


def test_every_route_is_in_the_table():
    routes = api_routes()
    missing = sorted(routes - set(ACCESS))
    assert not missing, f"API routes without rows in ACCESS: {', '.join(missing)}"
    stale = sorted(set(ACCESS) - routes)
    assert not stale, f"ACCESS names routes that no longer exist: {', '.join(stale)}"


def _state(world: World) -> list[tuple]:
    rows = Application.objects.order_by("pk").values_list("pk", "state", "version")
    return [*rows, Revision.objects.count()]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(ACCESS))
def test_access(client, world, route, role):
    row = ACCESS[route]
    url = row.url(world)
    method = route.split(" ", 1)[0].lower()
    before = _state(world)
    kwargs: dict[str, Any] = dict(world.headers(role))
    if row.body is not None:
        kwargs.update(data=json.dumps(row.body(world)), content_type="application/json")
    response = getattr(client, method)(url, **kwargs)
    expected = getattr(row.by, role)
    assert response.status_code == expected, (route, role, _text(response)[:300])
    text = _text(response)
    # No answer carries the other county's data: the hostile county never sees the own county's
    # names or files, the own county never the other's.
    foreign = {"own": (OTHER_NAME, OTHER_FILE), "other_county": (OWN_NAME, OWN_FILE)}
    for marker in foreign.get(role, ()):
        assert marker not in text, (route, role, marker)
    if expected >= 400:
        assert _state(world) == before, "a refused request changed something"
        if response["Content-Type"].startswith("application/json"):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in json.loads(text)["detail"])


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8", errors="replace")
    disposition = response.get("Content-Disposition", "")
    return text + unquote(disposition)
