"""The Word import's report and the preview of an import show values as the form shows them
(``form.display``, the one formatter) and name fields by part · label, for every realistic
county-filled template (tests/documents/county_templates.py)."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterdesk.documents.attachment2_parse import build, parse_attachment2
from clusterdesk.documents.import_report import PLACES, Collector
from clusterdesk.form.example import example_application
from clusterdesk.form.schema import PART_TITLES
from tests.declarations.county_world import client_for, make_world
from tests.documents.county_templates import templates
from tests.factories import complete_form_data, make_application

pytestmark = pytest.mark.django_db

# What Python writes and an officer must never read.
REPRS = re.compile(
    r"\bTrue\b|\bFalse\b|\bNone\b|Decimal\(|NONE_NUMBER|NONE_COUNT|\{'|\['|\bpart\d\.|\bcover\."
)
HEADS = tuple(PART_TITLES.values()) + tuple(PLACES.values())


@pytest.fixture(scope="module")
def filled():
    return [(template, parse_attachment2(template.data)) for template in templates()]


def _part_label(place: str) -> bool:
    head, _, rest = place.partition(" · ")
    return head in HEADS and bool(rest or head == PLACES["evidence"])  # the register is one item


def test_the_report_of_every_county_template_shows_values_as_the_form_does(filled):
    for template, result in filled:
        text = result.report_text()
        assert not REPRS.search(text), (template.name, REPRS.search(text))
        places = [item.place for item in result.report.interpreted + result.report.not_found]
        assert places, template.name
        assert [place for place in places if not _part_label(place)] == [], template.name
    wps = filled[1][1].report_text()  # typed as ９２．４亿元; printed with the form's two decimals
    assert "二、主导产业情况 · 集群总产值（亿元） · 2020年：“９２．４亿元” → 92.40" in wps


def _draft_unlike_the_example(world):
    """A draft whose answers differ from the templates in each kind of box."""
    data = complete_form_data("本县模具产业集群")
    data["part2"]["total_output"]["2020"] = "无"  # 无 in a number box
    data["part3"]["patents"] = "无"  # and in a count
    data["part1"]["not_prohibited"] = "否"  # a choice
    data["part2"]["resource_sharing_work"]["integrated_mechanism"] = False  # a tick
    data["cover"]["declared_on"] = "2023-03-01"
    data["part8"]["overview"] = ""
    return make_application(round_=world.round, officer=world.own, data=data)


def _change_rows(page: str) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(part heading, count, [(field, now, after)]) for each part of the preview's change list."""
    out = []
    for part, body in re.findall(
        r'<section class="card change-part">\s*<h2>(.*?)</h2>(.*?)</section>', page, re.S
    ):
        rows = re.findall(
            r'<tr class="change-[^"]+"><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>', body
        )
        out.append((part, body, rows))
    return out


def test_the_import_preview_of_every_county_template_shows_values_as_the_form_does(client, filled):
    world = make_world()
    draft = _draft_unlike_the_example(world)
    client_for(client, world, "own")
    for template, _ in filled:
        upload = SimpleUploadedFile("申报表.docx", template.data)
        response = client.post(f"/county/applications/{draft.pk}/import/", {"file": upload})
        assert response.status_code == 200, template.name
        page = html.unescape(response.content.decode())
        assert "尚未导入" in page, template.name
        assert not REPRS.search(page), (template.name, REPRS.search(page))
        parts = _change_rows(page)
        assert parts, template.name
        for heading, _body, rows in parts:
            part = heading.rsplit("（", 1)[0]
            assert part in HEADS, (template.name, heading)
            assert rows, (template.name, heading)
            for field, _now, _after in rows:
                assert field.startswith(f"{part} · "), (template.name, field)
        rows = {field: (now, after) for _, _, found in parts for field, now, after in found}
        assert rows["二、主导产业情况 · 集群总产值（亿元） · 2020年"] == ("无", "92.40")
        assert rows["三、创新能力情况 · 集群内中小企业有效发明专利拥有量"] == ("无", "386")
        assert rows["一、基本情况 · 集群主导产业不属于国家规定的禁止、限制和淘汰类产业"] == (
            "☑ 否",
            "☑ 是",
        )
        sharing = next(field for field in rows if "产供销一体化协同协作机制" in field)
        assert rows[sharing] == ("☐ 未勾选", "☑ 已勾选")
        assert rows["封面 · 申报时间"] == ("2023年3月1日", "2023年4月10日")
        overview = example_application().part8.overview
        now, after = rows[f"{PART_TITLES['part8']} · 集群基本情况简介"]
        assert (now, after[:20]) == ("未填写", overview[:20])


def test_a_value_the_form_refuses_is_reported_in_chinese_as_written():
    out = Collector()
    out.put("part2.total_output", {"2020": "九十二", "2021": Decimal("108.6")})
    out.put("part1.industry_type", "第九产业")
    build(out)
    text = out.report.text()
    assert not REPRS.search(text), REPRS.search(text)
    assert "Input should" not in text  # pydantic's own words
    assert (
        "二、主导产业情况 · 集群总产值（亿元） · 2020年：“九十二” → 未填写（不符合表格要求，未导入"
        "（应为数字；无相关情况时填写“无”" in text
    )
    assert "一、基本情况 · 主导产业所属产业类型：“第九产业” → 未填写" in text
    assert out.data["part2"]["total_output"] == {"2021": Decimal("108.6")}
