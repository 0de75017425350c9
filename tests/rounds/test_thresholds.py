"""Criteria profiles that fit the round: ningbo-2023 by default, other provinces' variants only
as templates, and the thresholds a profile leaves unset set by the city officer for the round,
with history, applied to every self-check of the round."""

import pytest

from clusterdesk.declarations.domain.forms import _summary_key, round_profile
from clusterdesk.rounds.enums import RoundAction
from clusterdesk.rounds.models import Round, RoundEvent
from tests.factories import make_admin, make_application, make_city_officer, make_round
from tests.rounds.test_views import valid_post

pytestmark = pytest.mark.django_db


def url(round_):
    return f"/rounds/{round_.pk}/thresholds/"


def test_new_rounds_use_the_ningbo_profile():
    assert Round().criteria_profile == "ningbo-2023"
    assert make_round().criteria_profile == "ningbo-2023"


def test_the_rounds_page_leads_to_its_thresholds(client):
    round_ = make_round()
    client.force_login(make_city_officer())
    page = client.get(f"/rounds/{round_.pk}/edit/").content.decode()
    assert "本轮认定标准中有 4 项阈值尚未设定" in page
    assert f'href="/rounds/{round_.pk}/thresholds/"' in page


def test_the_page_lists_the_unset_thresholds_with_their_units(client):
    round_ = make_round()
    client.force_login(make_city_officer())
    page = client.get(url(round_)).content.decode()
    assert "宁波市中小企业特色产业集群认定标准（2023年度，暂按国家标准）" in page
    assert "集群近三年研发经费增速（%）（&gt;，单位：%）" in page
    assert "创新平台建设情况·数量（国家级＋省级＋其他）（≥，单位：个）" in page
    assert "集群中小企业近三年主持或参与制修订标准数量（合计）（≥，单位：项）" in page
    assert "集群工业互联网平台应用普及率（%）（≥，单位：%）" in page
    form = page[page.index("<form") : page.index("</form>")]
    assert "集群总产值" not in form  # set by the profile: not the round's to change
    # Other provinces' variants are shown only to copy from.
    assert "其他省市的认定标准（仅供复制参考）" in page
    assert "云南省省级中小企业特色产业集群认定标准（2023年）" in page


def test_setting_changing_and_clearing_a_threshold_is_recorded_old_to_new(client):
    round_ = make_round()
    officer = make_city_officer()
    client.force_login(officer)
    assert client.post(url(round_), {"5.industrial_internet": "10"}).status_code == 302
    assert client.post(url(round_), {"5.industrial_internet": "12.5"}).status_code == 302
    client.post(url(round_), {"5.industrial_internet": "12.5"})  # unchanged: no record
    client.post(url(round_), {"5.industrial_internet": ""})
    round_.refresh_from_db()
    assert round_.criteria_thresholds == {}
    notes = list(
        RoundEvent.objects.filter(round=round_, action=RoundAction.THRESHOLDS)
        .order_by("pk")
        .values_list("note", "actor")
    )
    label = "集群工业互联网平台应用普及率（%）（≥）"
    assert notes == [
        (f"{label}：未设定→10%", officer.pk),
        (f"{label}：10%→12.5%", officer.pk),
        (f"{label}：12.5%→未设定", officer.pk),
    ]
    page = client.get(url(round_)).content.decode()
    assert f"{label}：10%→12.5%" in page


def test_a_bad_threshold_is_refused_in_chinese_and_nothing_is_saved(client):
    round_ = make_round()
    client.force_login(make_city_officer())
    response = client.post(url(round_), {"4.rd_growth": "五", "4.platforms": "3"})
    assert response.status_code == 200
    assert "请填写数字" in response.content.decode()
    round_.refresh_from_db()
    assert round_.criteria_thresholds == {}


def test_only_the_city_bureau_sets_thresholds(client):
    round_ = make_round()
    client.force_login(make_admin())
    response = client.post(url(round_), {"4.rd_growth": "5"})
    assert response.status_code == 403
    assert "只有市经信局可以设定认定标准阈值。" in response.content.decode()
    round_.refresh_from_db()
    assert round_.criteria_thresholds == {}


def test_a_set_threshold_is_applied_to_the_rounds_self_checks(client, county_officer):
    round_ = make_round()
    application = make_application(round_=round_, officer=county_officer)  # the example: 42.30%
    client.force_login(county_officer)
    check = f"/county/applications/{application.pk}/check/"
    before = client.get(check).content.decode()
    assert "集群工业互联网平台应用普及率（%）：42.30（市经信局尚未设定本轮阈值）" in before
    key = _summary_key(application)

    city = client.__class__()
    city.force_login(make_city_officer())
    city.post(url(round_), {"5.industrial_internet": "45"})
    application.round.refresh_from_db()
    assert _summary_key(application) != key  # changed thresholds are evaluated anew
    assert round_profile(application.round).aspects[4].rules[0].threshold == 45

    after = client.get(check).content.decode()
    assert "集群工业互联网平台应用普及率（%）：42.30（标准 ≥45）" in after
    assert '<a href="#aspect-5">数字化转型效果明显</a> <span class="status status-未达标">' in after


def test_templates_cannot_be_chosen_for_a_round(client):
    client.force_login(make_city_officer())
    form = client.get("/rounds/new/").content.decode()
    assert 'value="ningbo-2023" selected' in form
    assert 'value="yunnan-2023"' not in form
    response = client.post("/rounds/new/", valid_post(criteria_profile="yunnan-2023"))
    assert response.status_code == 200
    assert not Round.objects.filter(name=valid_post()["name"]).exists()


def test_a_round_keeps_a_template_it_already_has(client):
    # Rounds made before templates existed keep their profile; it stays a choice for them.
    round_ = make_round(criteria_profile="yunnan-2023")
    client.force_login(make_city_officer())
    form = client.get(f"/rounds/{round_.pk}/edit/").content.decode()
    assert 'value="yunnan-2023" selected' in form
