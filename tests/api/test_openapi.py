"""The schema validates as OpenAPI, is the form core's schema for the form, and the docs page
runs under the site's CSP (Swagger UI from our static files, no CDN, no inline script)."""

from __future__ import annotations

import json
import re

import pytest
from openapi_spec_validator import validate

from clusterdesk.form.annual.definition import ANNUAL_REPORT_2024
from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from tests.registry.world import certify

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi(schema):
    validate(schema)
    assert schema["info"]["version"] == "1"
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def _component(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


@pytest.mark.parametrize(
    ("detail", "model"),
    [("ApplicationDetail", ATTACHMENT2_2023.model), ("ReportDetail", ANNUAL_REPORT_2024.model)],
)
def test_the_form_is_the_form_core_s_schema(schema, detail, model):
    data = schema["components"]["schemas"][detail]["properties"]["data"]
    component = _component(schema, data["$ref"])
    core = model.model_json_schema()
    assert component["title"] == core["title"]
    assert component["properties"].keys() == core["properties"].keys()
    # The official labels and the 填报说明 metadata travel with it (x-form).
    assert "x-form" in re.sub(r"\s", "", str(schema))


def test_no_object_of_the_schema_repeats_a_key(client):
    """Python's json keeps the last of two equal keys; the docs page's parser (js-yaml) refuses the
    whole schema ("duplicated mapping key"). A response code given as an int by the operation
    and as a string in openapi_extra is written twice."""
    repeated: list[list[str]] = []

    def pairs(items):
        keys = [key for key, _ in items]
        if len(keys) != len(set(keys)):
            repeated.append(keys)
        return dict(items)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=pairs)
    assert not repeated


def test_every_operation_names_its_answer_and_the_public_one_needs_no_token(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "200" in operation["responses"], (method, path)
            assert operation.get("summary"), (method, path)
            public = path == "/api/v1/certified"
            assert bool(operation.get("security")) is not public, (method, path)


def test_the_docs_page_loads_only_our_own_assets(client, settings):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Content-Security-Policy" in response.headers
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(s.startswith(settings.STATIC_URL if s.startswith("/") else "/") for s in sources)
    assert not any("//" in s for s in sources), sources  # no CDN
    # The only inline <script> holds JSON settings, which browsers do not run.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert all('type="application/json"' in attributes for attributes in inline)
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_the_certified_list_is_public(client, world):
    certify(world.own, world.county.city)
    response = client.get("/api/v1/certified")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["name"] for item in items] == ["本县模具产业集群"]
    assert items[0]["document_number"]
