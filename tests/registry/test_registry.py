"""The registry (认定名录): statuses, filters, Excel export, the 发文 page; query counts flat."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.registry.domain.settings import registry_settings
from clusterdesk.registry.models import Publication, RegistrySettingsChange
from tests.factories import SHANGHAI, make_admin, make_round
from tests.registry.revoked import revoke_plainly
from tests.registry.world import AFTER_PUBLICITY, certified_world, proposed_world

pytestmark = pytest.mark.django_db

# 2023-04-10 (the tests' clock) + 12 months: a certification ending before 2024-04-10 is due.
TODAY = dt.datetime(2023, 4, 10, 9, 30, tzinfo=SHANGHAI)


def rows(response) -> list[str]:
    return [line for line in response.content.decode().split("<tr>") if "</td>" in line]


def test_statuses_valid_due_and_revoked(client):
    fresh = certified_world()  # valid to 2026-04-19
    old = certified_world(
        clusters=(("江北模具产业集群", "精密模具"), ("海曙服装产业集群", "服装")),
        number="甬经信中小〔2021〕3号",
        issued_on=dt.date(2021, 3, 1),  # valid to 2024-02-28: within 12 months
    )
    revoke_plainly(old.applications[1], old.city)
    client.force_login(fresh.city)
    page = client.get(reverse("registry:list")).content.decode()
    assert "鄞州模具产业集群" in page
    assert "甬经信中小〔2023〕12号" in page
    assert "2023年4月20日至2026年4月19日" in page
    by_status = {
        status: client.get(reverse("registry:list"), {"status": status}).content.decode()
        for status in ("valid", "due", "revoked")
    }
    assert "鄞州模具产业集群" in by_status["valid"]
    assert "江北模具产业集群" not in by_status["valid"]
    assert "江北模具产业集群" in by_status["due"]
    assert "到期待复核" in by_status["due"]
    assert "海曙服装产业集群" in by_status["revoked"]
    assert "已撤销" in by_status["revoked"]
    assert "海曙服装产业集群" not in by_status["due"]


def test_filters_by_round_county_industry_and_name(client):
    world = certified_world()
    other = certified_world(
        clusters=(("北仑汽车零部件产业集群", "汽车零部件"),), number="甬经信中小〔2023〕13号"
    )
    client.force_login(world.city)
    url = reverse("registry:list")
    page = client.get(url, {"round": other.round.pk}).content.decode()
    assert "北仑汽车零部件产业集群" in page
    assert "鄞州模具产业集群" not in page
    unit = world.applications[1].organisation
    page = client.get(url, {"organisation": unit.pk}).content.decode()
    assert "余姚塑料制品产业集群" in page
    assert "鄞州模具产业集群" not in page
    page = client.get(url, {"leading": "模具"}).content.decode()
    assert "鄞州模具产业集群" in page
    assert "余姚塑料制品产业集群" not in page
    page = client.get(url, {"name": "小家电"}).content.decode()
    assert "慈溪小家电产业集群" in page
    assert "鄞州模具产业集群" not in page
    page = client.get(url, {"industry": "第三产业"}).content.decode()
    assert "没有符合条件的已认定集群" in page
    page = client.get(url, {"status": "bogus"}).content.decode()
    assert "选择一个有效的选项" in page or "正确选项" in page


def test_export_is_the_filtered_list_as_excel(client):
    certified_world()
    client.force_login(make_admin())
    response = client.get(reverse("registry:export"), {"leading": "模具"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][:3] == ["序号", "集群名称", "所在地区"]
    assert values[2][1] == "鄞州模具产业集群"
    assert values[2][3] == "模具"
    assert values[2][6] == "甬经信中小〔2023〕12号"
    assert values[2][8] == "2026年4月19日"
    assert values[2][9] == "有效"
    assert len(values) == 3


def test_the_registry_page_query_count_does_not_grow_with_clusters(client):
    world = certified_world(clusters=(("甲模具产业集群", "模具"),))
    client.force_login(world.city)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("registry:list"))
    many = tuple((f"集群{n}", f"领域{n}") for n in range(12))
    certified_world(clusters=many, number="甬经信中小〔2023〕20号")
    with CaptureQueriesContext(connection) as lots:
        response = client.get(reverse("registry:list"))
    assert response.content.decode().count("甬经信中小〔2023〕20号") == 12
    assert len(lots) == len(few)
    with CaptureQueriesContext(connection) as export:
        client.get(reverse("registry:export"))
    assert len(export) <= len(few)


def test_publish_page_lists_proposed_with_reasons_and_publishes(client):
    world = proposed_world()
    client.force_login(world.city)
    url = reverse("registry:publish", args=[world.round.pk])
    page = client.get(url).content.decode()
    assert "鄞州模具产业集群" in page
    assert "暂不能认定" in page
    assert "公示期满后方可认定" in page
    with clock.frozen(AFTER_PUBLICITY):
        page = client.get(url).content.decode()
        assert "可以认定" in page
        ids = [app.pk for app in world.applications[:2]]
        response = client.post(
            url,
            {"ids": ids, "document_number": "甬经信中小[2023]12号", "issued_on": "2023-04-20"},
            follow=True,
        )
    assert "已登记发文“甬经信中小〔2023〕12号”，认定 2 个集群" in response.content.decode()
    assert [Application.objects.get(pk=pk).state for pk in ids] == [S.CERTIFIED] * 2
    with clock.frozen(AFTER_PUBLICITY):
        response = client.post(
            url,
            {
                "ids": [world.applications[2].pk],
                "document_number": "甬经信中小（2023）12号",
                "issued_on": "2023-04-20",
            },
            follow=True,
        )
        assert "未发文：文号“甬经信中小〔2023〕12号”已被使用" in response.content.decode()
        response = client.post(
            url, {"ids": [world.applications[2].pk], "document_number": "x"}, follow=True
        )
        assert "未发文：发文日期" in response.content.decode()
    assert Publication.objects.count() == 1
    assert Application.objects.get(pk=world.applications[2].pk).state == S.PROPOSED


def test_admin_reads_the_publish_page_but_cannot_publish(client):
    world = proposed_world()
    client.force_login(make_admin())
    url = reverse("registry:publish", args=[world.round.pk])
    page = client.get(url).content.decode()
    assert "鄞州模具产业集群" in page
    assert "登记发文并认定所选集群" not in page
    response = client.post(url, {"ids": [world.applications[0].pk]})
    assert response.status_code == 403


def test_publish_page_of_an_unknown_round_is_404(client):
    world = proposed_world()
    client.force_login(world.city)
    round_ = make_round()
    assert client.get(reverse("registry:publish", args=[round_.pk + 100])).status_code == 404


def test_round_settings_are_changed_by_the_city_with_bounds(client):
    world = proposed_world()
    client.force_login(world.city)
    url = reverse("registry:settings", args=[world.round.pk])
    data = {"validity_years": "5", "recommendation_quota": "3", "document_prefix": "甬经信"}
    response = client.post(url, data, follow=True)
    assert "已保存本轮次的认定设置" in response.content.decode()
    settings = registry_settings(world.round)
    assert (settings.validity_years, settings.recommendation_quota) == (5, 3)
    response = client.post(url, {**data, "recommendation_quota": "11"}, follow=True)
    assert "设置未保存：择优推荐名额" in response.content.decode()
    assert registry_settings(world.round).recommendation_quota == 3
    page = client.get(reverse("registry:publish", args=[world.round.pk])).content.decode()
    assert "甬经信〔2023〕号" in page
    # The one change made is on record, refused ones are not, and the record cannot be edited.
    (change,) = RegistrySettingsChange.objects.filter(round=world.round)
    assert (change.actor, change.before["validity_years"], change.after["validity_years"]) == (
        world.city,
        3,
        5,
    )
    assert "有效期 3 → 5 年，推荐名额 2 → 3 个" in page
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrySettingsChange.objects.filter(pk=change.pk).update(after={})


@pytest.mark.parametrize(
    "model",
    [
        "registrysettings",
        "registrysettingschange",
        "publication",
        "certification",
        "recommendation",
    ],
)
def test_the_admin_lists_the_records(client, model):
    certified_world()
    client.force_login(make_admin())
    assert client.get(reverse(f"admin:registry_{model}_changelist")).status_code == 200
