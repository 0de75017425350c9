"""择优推荐: the rules (one per 细分领域, the quota, valid certifications only, reasons) and the
package, opened as a user would (letter, list, Attachment 2, evidence)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from clusterdesk.errors import DomainError
from clusterdesk.registry.domain.numbers import field_key
from clusterdesk.registry.domain.package import build_recommendation_package
from clusterdesk.registry.domain.recommend import Pick, recommend
from clusterdesk.registry.domain.settings import registry_settings
from clusterdesk.registry.models import Certification, Recommendation
from tests.evidence import samples
from tests.registry.revoked import revoke_plainly
from tests.registry.world import certified_world

pytestmark = pytest.mark.django_db

ON = dt.date(2023, 6, 30)


def certs(world) -> list[Certification]:
    return [Certification.objects.get(application=app) for app in world.applications]


def picks(*certifications, reason="集群规模和创新能力居全市前列") -> list[Pick]:
    return [Pick(c.pk, reason) for c in certifications]


def refused(world, chosen, on=ON) -> str:
    with pytest.raises(DomainError) as error:
        recommend(world.round, chosen, world.city, issued_on=on)
    assert not Recommendation.objects.exists()
    return error.value.message


def test_field_keys_ignore_width_space_and_a_trailing_industry_word():
    assert field_key("模具") == field_key(" 模具产业 ") == field_key("模具行业") == "模具"
    assert field_key("汽车零部件（含模具）") != field_key("模具")
    assert field_key("") == field_key(None) == ""


def test_a_valid_recommendation_is_recorded_with_reasons():
    world = certified_world()
    first, second, _ = certs(world)
    recommendation = recommend(
        world.round,
        [Pick(first.pk, "模具产业链完整"), Pick(second.pk, "塑料制品出口领先")],
        world.city,
        issued_on=ON,
        letter_number="甬经信中小函〔2023〕5号",
        contact="张三",
        phone="0574-87000000",
    )
    items = list(recommendation.items.order_by("position"))
    assert [(i.certification_id, i.reason) for i in items] == [
        (first.pk, "模具产业链完整"),
        (second.pk, "塑料制品出口领先"),
    ]
    assert recommendation.year == 2023
    assert recommendation.addressee == "浙江省经济和信息化厅"


def test_two_of_one_field_are_refused():
    world = certified_world(
        clusters=(("鄞州模具产业集群", "模具"), ("余姚模具产业集群", "模具产业"))
    )
    message = refused(world, picks(*certs(world)))
    assert message == (
        "“鄞州模具产业集群”与“余姚模具产业集群”同属细分领域“模具产业”，"
        "每个细分领域最多推荐一个集群。"
    )


def test_more_than_the_quota_is_refused():
    world = certified_world()
    message = refused(world, picks(*certs(world)))
    assert "推荐数量超过名额" in message
    assert "最多推荐 2 个集群，已选择 3 个" in message
    settings = registry_settings(world.round)
    settings.recommendation_quota = 3
    settings.save()
    assert recommend(world.round, picks(*certs(world)), world.city, issued_on=ON).items.count() == 3


def test_revoked_and_expired_certifications_are_refused():
    world = certified_world()
    first, second, _ = certs(world)
    revoke_plainly(world.applications[0], world.city)
    assert refused(world, picks(first)) == "“鄞州模具产业集群”已撤销认定，不能推荐。"
    message = refused(world, picks(second), on=dt.date(2026, 4, 20))
    assert message == "“余姚塑料制品产业集群”的认定有效期已于2026年4月19日届满，不能推荐。"


def test_a_reason_is_required_and_bounded():
    world = certified_world()
    first = certs(world)[0]
    assert refused(world, [Pick(first.pk, "  ")]) == "“鄞州模具产业集群”的推荐理由：请填写。"
    assert "不能超过 500 个字符" in refused(world, [Pick(first.pk, "好" * 501)])
    assert refused(world, []) == "请至少选择一个要推荐的集群。"
    assert refused(world, [Pick(first.pk, "a"), Pick(first.pk, "b")]) == "同一集群只能推荐一次。"
    assert refused(world, [Pick(first.pk + 1000, "a")]) == "所选集群不在认定名录中。"


def _package(world, tmp_path):
    first, second, _ = certs(world)
    recommendation = recommend(
        world.round,
        [Pick(first.pk, "模具产业链完整"), Pick(second.pk, "塑料制品出口领先")],
        world.city,
        issued_on=ON,
        contact="张三",
        phone="0574-87000000",
    )
    out = tmp_path / "package.zip"
    build_recommendation_package(recommendation, out)
    return recommendation, zipfile.ZipFile(out)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def test_the_package_opens_with_letter_list_attachment2_and_evidence(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = certified_world(evidence=("鄞州产业链图谱.pdf", samples.PDF))
    _, archive = _package(world, tmp_path)
    names = archive.namelist()
    letter = _docx_text(archive.read("关于推荐2023年度中小企业特色产业集群的函.docx"))
    assert "关于推荐2023年度中小企业特色产业集群的函" in letter
    assert "浙江省经济和信息化厅：" in letter
    assert "1. 鄞州模具产业集群" in letter
    assert "2. 余姚塑料制品产业集群" in letter
    assert "推荐理由：模具产业链完整" in letter
    assert "甬经信中小〔2023〕12号" in letter
    assert "宁波市经济和信息化局" in letter
    assert "2023年6月30日" in letter
    assert "联系人：张三" in letter
    listed = _docx_text(archive.read("附件-2023年度中小企业特色产业集群推荐名单.docx"))
    assert "2023年度中小企业特色产业集群推荐名单" in listed
    assert "鄞州模具产业集群" in listed
    assert "塑料制品出口领先" in listed
    sheet = load_workbook(
        io.BytesIO(archive.read("附件-2023年度中小企业特色产业集群推荐名单.xlsx"))
    ).active
    assert sheet["A1"].value == "2023年度中小企业特色产业集群推荐名单"
    assert [sheet.cell(3, c).value for c in (1, 2, 4)] == [1, "鄞州模具产业集群", "模具"]
    assert sheet.cell(4, 7).value == "塑料制品出口领先"
    # Per cluster: Attachment 2 as submitted, and the electronic package with the evidence.
    county = world.applications[0].organisation.county
    folder = f"1-{county}-鄞州模具产业集群"
    attachment2 = _docx_text(archive.read(f"{folder}/附件2-申报表-鄞州模具产业集群.docx"))
    assert "鄞州模具产业集群" in attachment2
    assert "草稿" not in attachment2
    inner = zipfile.ZipFile(io.BytesIO(archive.read(f"{folder}/申报材料电子版（含佐证材料）.zip")))
    evidence = [name for name in inner.namelist() if name.endswith("鄞州产业链图谱.pdf")]
    assert len(evidence) == 1
    assert inner.read(evidence[0]) == samples.PDF
    assert any(name.endswith(".docx") for name in inner.namelist())
    assert any(name.startswith("2-") for name in names)
    assert not any("慈溪小家电产业集群" in name for name in names)
    manifest = json.loads(archive.read("manifest.json"))
    assert [c["cluster_name"] for c in manifest["clusters"]] == [
        "鄞州模具产业集群",
        "余姚塑料制品产业集群",
    ]


def test_the_recommend_page_records_and_downloads(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = certified_world()
    first, second, third = certs(world)
    client.force_login(world.city)
    url = reverse("registry:recommend")
    page = client.get(url, {"round": world.round.pk}).content.decode()
    assert "鄞州模具产业集群" in page
    assert "最多 2 个" in page
    response = client.post(
        url,
        {
            "round": world.round.pk,
            "issued_on": "2023-06-30",
            "pick": [first.pk, second.pk, third.pk],
            f"reason_{first.pk}": "甲",
            f"reason_{second.pk}": "乙",
            f"reason_{third.pk}": "丙",
        },
        follow=True,
    )
    assert "未推荐：推荐数量超过名额" in response.content.decode()
    response = client.post(
        url,
        {
            "round": world.round.pk,
            "issued_on": "2023-06-30",
            "pick": [first.pk, third.pk],
            f"reason_{first.pk}": "模具产业链完整",
            f"reason_{third.pk}": "小家电品牌集聚",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "已记录2023年度择优推荐" in page
    assert "小家电品牌集聚" in page
    recommendation = Recommendation.objects.get()
    response = client.get(reverse("registry:package", args=[recommendation.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "关于推荐2023年度中小企业特色产业集群的函.docx" in archive.namelist()


def test_the_recommend_page_query_count_is_flat(client):
    world = certified_world(clusters=(("甲产业集群", "甲"),))
    client.force_login(world.city)
    url = reverse("registry:recommend")
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"round": world.round.pk})
    certified_world(
        clusters=tuple((f"集群{n}", f"领域{n}") for n in range(10)),
        number="甬经信中小〔2023〕30号",
        round_=world.round,
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"round": world.round.pk}).content.decode()
    assert "集群9" in page
    assert len(many) == len(few)
