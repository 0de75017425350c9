"""The tracking pages: who sees what, the charts' data, the lagging list, Excel and Word."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from clusterdesk.tracking.models import TrackingSettings, TrackingSettingsChange
from tests.factories import PASSWORD, make_admin, make_county_officer
from tests.registry.world import certified_world

from .world import file_report, report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = certified_world()
    first, second, _third = (a.certification for a in world.applications)
    file_report(first, 2023, report_data(2023), city=world.city)
    file_report(second, 2023, report_data(2023, output=100, patents=300), city=world.city)
    file_report(second, 2024, report_data(2024, output=101), city=world.city, accept=False)
    world.first, world.second = first, second
    return world


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _chart(response, name):
    html = response.content.decode()
    start = html.index(">", html.index(f'<script id="{name}"')) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_dashboard_shows_the_charts_with_the_views_data(client, world):
    response = _login(client, world.city).get(reverse("tracking:dashboard"), {"year": 2024})
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("chart-county", "chart-industry", "chart-output", "chart-growth", "chart-ranking"):
        assert f'data-chart="{name}"' in html
    county = _chart(response, "chart-county")
    assert county["type"] == "bar"
    statuses = {s["name"]: sum(s["data"]) for s in county["series"]}
    assert statuses["严重滞后"] == 1
    ranking = _chart(response, "chart-ranking")
    assert ranking["categories"] == ["余姚塑料制品产业集群"]
    assert "echarts.min.js" in html


def test_cluster_page_for_city_and_owner_only(client, world):
    url = reverse("tracking:cluster", args=[world.second.pk])
    response = _login(client, world.city).get(url)
    assert response.status_code == 200
    output = _chart(response, "chart-output")
    assert output["series"][0]["name"] == "实际值"
    assert output["series"][0]["data"][1] == "100.00"
    html = response.content.decode()
    assert "严重滞后" in html
    assert "2024年度报告" in html
    assert "尚未审核通过" in html
    owner = world.second.application.created_by
    client.logout()
    assert _login(client, owner).get(url).status_code == 200
    assert client.get(reverse("tracking:county")).status_code == 200
    assert "余姚塑料制品产业集群" in client.get(reverse("tracking:county")).content.decode()
    client.logout()
    stranger = make_county_officer()
    assert _login(client, stranger).get(url).status_code == 404
    assert client.get(reverse("tracking:dashboard")).status_code == 403


def test_lagging_list_and_its_excel(client, world):
    _login(client, world.city)
    response = client.get(reverse("tracking:lagging"), {"year": 2023})
    html = response.content.decode()
    assert "余姚塑料制品产业集群" in html
    assert "鄞州模具产业集群" not in html
    assert "2023年集群总产值 100.00 亿元" in html
    export = client.get(reverse("tracking:lagging_export"), {"year": 2023})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert {row[5] for row in rows} >= {"a. 集群总产值", "d. 有效发明专利数量"}
    assert all(row[1] == "余姚塑料制品产业集群" for row in rows)


def test_monitoring_report_word(client, world):
    response = _login(client, world.city).get(reverse("tracking:report", args=[2024]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == "2024年度中小企业特色产业集群发展监测报告"
    assert "四、滞后集群" in headings
    images = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert len(images) >= 4
    assert all(r.target_part.blob.startswith(b"\x89PNG") for r in images)
    tables = document.tables
    assert tables[0].rows[0].cells[0].text == "状态"
    lag = tables[-1]
    assert lag.rows[1].cells[1].text == "余姚塑料制品产业集群"


def test_thresholds_bad_input_changes_nothing(client, world):
    _login(client, world.city)
    url = reverse("tracking:settings", args=[world.round.pk])
    response = client.post(url, {"lagging": "20", "serious": "10"}, follow=True)
    assert "滞后阈值（%）：不能大于严重滞后阈值" in response.content.decode()
    response = client.post(url, {"lagging": "abc", "serious": "10"}, follow=True)
    assert "滞后阈值（%）：请填写 0 至 100 之间的数字" in response.content.decode()
    assert not TrackingSettings.objects.exists()
    client.post(url, {"lagging": "8", "serious": "20"})
    assert TrackingSettings.objects.get().lagging == 8
    change = TrackingSettingsChange.objects.get()
    assert change.before == {"lagging": "5.00", "serious": "15.00"}
    assert change.after == {"lagging": "8.00", "serious": "20.00"}
    admin = make_admin()
    client.logout()
    _login(client, admin)
    assert client.get(reverse("tracking:dashboard")).status_code == 200
    assert client.post(url, {"lagging": "1", "serious": "2"}).status_code == 403
