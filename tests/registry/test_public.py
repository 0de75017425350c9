"""The public certified list (/certified/): no login, only what the 认定 document published."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.registry.revoked import revoke_plainly
from tests.registry.world import certified_world, proposed_world

pytestmark = pytest.mark.django_db


def test_anonymous_sees_the_certified_clusters_and_nothing_else(client):
    world = certified_world()
    proposed_world(clusters=(("象山针织产业集群", "针织"),))
    revoke_plainly(world.applications[2], world.city)
    page = client.get(reverse("certified:list")).content.decode()
    assert "鄞州模具产业集群" in page
    assert "余姚塑料制品产业集群" in page
    assert "甬经信中小〔2023〕12号" in page
    assert "2023年4月20日至2026年4月19日" in re.sub(r"<[^>]+>", "", page)
    assert "模具" in page
    assert "有效" in page
    # A revoked cluster no longer holds the title; a proposed one is not certified yet.
    assert "慈溪小家电产业集群" not in page
    assert "象山针织产业集群" not in page
    # Nothing of the form beyond the list: not the operator, contact or figures.
    data = world.applications[0].data
    assert data["part1"]["operator"] not in page
    assert data["cover"]["contact"] not in page


def test_the_page_loads_the_styles_that_space_its_links_and_columns(client):
    """Without county.css the two download links ran together; without public.css the table
    squeezed 序号 and 状态 to one character a line."""
    certified_world()
    page = client.get(reverse("certified:list")).content.decode()
    assert "/static/county/county.css" in page  # .links: a flex row with a gap
    assert "/static/registry/public.css" in page
    assert '<p class="links"><a href="/certified/' in page
    assert '<table class="list certified">' in page
    assert '<td class="short">有效</td>' in page
    dates = '<span class="date">2023年4月20日至</span><span class="date">2026年4月19日</span>'
    assert dates in page  # each date whole, the line may break after 至
    assert client.get("/static/registry/public.css").status_code == 200


def test_the_list_as_word_and_excel(client):
    certified_world()
    response = client.get(reverse("certified:docx"))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "宁波市中小企业特色产业集群认定名单" in text
    assert "（共 3 个）" in text
    cells = [cell.text for cell in document.tables[0].rows[1].cells]
    assert cells[:2] == ["1", "鄞州模具产业集群"]
    assert "甬经信中小〔2023〕12号" in cells
    response = client.get(reverse("certified:xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "宁波市中小企业特色产业集群认定名单"
    names = [sheet.cell(row, 2).value for row in range(3, 6)]
    assert sorted(names) == sorted(
        ["鄞州模具产业集群", "余姚塑料制品产业集群", "慈溪小家电产业集群"]
    )


def test_an_empty_list_says_so(client):
    page = client.get(reverse("certified:list")).content.decode()
    assert "尚无已认定的集群" in page
