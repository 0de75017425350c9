"""The review pages per role: the city's pool, phases and assignments; the expert's conflicts,
assignments and 回避. Bad input is answered in Chinese and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.review.helpers import EXPERT_PASSWORD, OPERATOR_SHORT, make_expert, under_review

from clusterdesk.accounts.models import User
from clusterdesk.review.domain.assignments import auto_assign
from clusterdesk.review.domain.experts import declare_conflict
from clusterdesk.review.domain.phases import open_phase, phases_for
from clusterdesk.review.domain.settings import update_settings
from clusterdesk.review.enums import AssignmentStatus, PhaseStatus
from clusterdesk.review.models import Assignment, ConflictDeclaration, ExpertProfile, ReviewEvent

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _follow(client, url, data=None):
    return client.post(url, data or {}, follow=True)


@pytest.fixture
def city(client, city_officer):
    client.force_login(city_officer)
    return client


def test_the_city_creates_an_expert_in_one_form(city):
    url = reverse("review:expert_create")
    assert "初始密码" in city.get(url).content.decode()
    data = {
        "username": "chenming",
        "password": EXPERT_PASSWORD,
        "name": "陈明",
        "organisation_name": "宁波大学机械工程学院",
        "title": "教授",
        "fields": "模具，汽车零部件",
        "phone": "0574-88888888",
    }
    response = _follow(city, url, data)
    assert "已添加专家“陈明”" in response.content.decode()
    profile = ExpertProfile.objects.get()
    assert profile.fields == ["模具", "汽车零部件"]
    assert profile.user.role == "expert"
    listing = city.get(reverse("review:experts"), {"field": "模具"}).content.decode()
    assert "陈明" in listing
    assert "宁波大学机械工程学院" in listing
    assert "陈明" not in city.get(reverse("review:experts"), {"field": "纺织"}).content.decode()
    assert "陈明" not in city.get(reverse("review:experts"), {"active": "no"}).content.decode()


def test_a_weak_password_is_named_and_nothing_is_created(city):
    data = {"username": "li", "password": "123", "name": "李", "organisation_name": "宁波大学"}
    response = city.post(reverse("review:expert_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "密码太短" in page
    assert not User.objects.filter(username="li").exists()
    assert not ExpertProfile.objects.exists()


def test_the_city_edits_and_deactivates_and_sees_declarations(city, city_officer):
    profile = make_expert(city_officer, name="王")
    declare_conflict(
        profile, actor=profile.user, counterpart="宁波甬模模具有限公司", relation="任职"
    )
    url = reverse("review:expert_edit", args=[profile.pk])
    page = city.get(url).content.decode()
    assert "宁波甬模模具有限公司" in page
    assert "仍在持续" in page
    data = {"name": "王", "organisation_name": "宁波工程学院", "fields": "家电"}
    _follow(city, url, data)
    profile.refresh_from_db()
    assert profile.organisation_name == "宁波工程学院"
    response = _follow(city, reverse("review:expert_active", args=[profile.pk]), {"active": "0"})
    assert "已停用" in response.content.decode()
    response = _follow(city, reverse("review:expert_active", args=[profile.pk]), {"active": "0"})
    assert "无需重复操作" in response.content.decode()


def test_the_expert_declares_and_ends_conflicts(client, city_officer):
    profile = make_expert(city_officer)
    client.force_login(profile.user)
    url = reverse("review:conflicts")
    response = _follow(
        client,
        url,
        {"counterpart": "宁波北仑华腾模具有限公司", "relation": "顾问", "started_on": "2020-01-01"},
    )
    assert "已登记与“宁波北仑华腾模具有限公司”的关联" in response.content.decode()
    declaration = ConflictDeclaration.objects.get()
    # Bad input: no name, a relation not in the list, an end before the start.
    response = _follow(
        client,
        url,
        {
            "counterpart": "",
            "relation": "亲戚",
            "started_on": "2022-01-01",
            "ended_on": "2021-01-01",
        },
    )
    page = response.content.decode()
    assert "单位/企业名称：请填写此项" in page
    assert "请从列表中选择关系" in page
    assert ConflictDeclaration.objects.count() == 1
    response = _follow(
        client, reverse("review:conflict_end", args=[declaration.pk]), {"ended_on": "bad"}
    )
    assert "请填写有效的结束日期" in response.content.decode()
    _follow(
        client, reverse("review:conflict_end", args=[declaration.pk]), {"ended_on": "2022-06-30"}
    )
    declaration.refresh_from_db()
    assert str(declaration.ended_on) == "2022-06-30"
    # Another expert's declaration is not found.
    other = make_expert(city_officer)
    client.force_login(other.user)
    response = client.post(
        reverse("review:conflict_end", args=[declaration.pk]), {"ended_on": "2022-07-01"}
    )
    assert response.status_code == 404


def test_the_round_page_creates_default_phases_and_the_city_opens_and_closes(city, round_):
    page = city.get(reverse("review:round", args=[round_.pk])).content.decode()
    assert "专家评审（含现场答辩）" in page
    assert "实地走访" in page
    phase = phases_for(round_)[0]
    _follow(city, reverse("review:phase_open", args=[phase.pk]))
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.OPEN
    _follow(city, reverse("review:phase_close", args=[phase.pk]))
    response = _follow(city, reverse("review:phase_close", args=[phase.pk]))
    assert "已结束，不能重复结束" in response.content.decode()
    assert ReviewEvent.objects.count() == 2


def test_settings_and_phase_times_bad_input(city, round_):
    phases_for(round_)
    response = _follow(
        city,
        reverse("review:settings", args=[round_.pk]),
        {"experts_per_application": "0", "conflict_years": "3"},
    )
    assert "每份申报至少 1 名专家" in response.content.decode()
    phase = phases_for(round_)[0]
    prefix = f"p{phase.pk}"
    response = _follow(
        city,
        reverse("review:phase_edit", args=[phase.pk]),
        {
            f"{prefix}-name": "专家评审",
            f"{prefix}-opens_at": "2023-05-02T09:00",
            f"{prefix}-closes_at": "2023-05-01T09:00",
        },
    )
    assert "结束时间应晚于开始时间" in response.content.decode()
    assert not ReviewEvent.objects.exists()
    _follow(city, reverse("review:phase_add", args=[round_.pk]))
    assert "预审" in city.get(reverse("review:round", args=[round_.pk])).content.decode()


def test_the_assignment_page_shows_why_and_refusals(city, city_officer, round_):
    application = under_review(round_, city_officer)
    update_settings(round_, city_officer, experts_per_application=2)
    for _ in range(2):
        make_expert(city_officer, fields=("模具",))
    conflicted = make_expert(city_officer, name="园区专家", unit=OPERATOR_SHORT)
    phase = phases_for(round_)[0]
    url = reverse("review:assignments", args=[phase.pk])
    page = city.get(url).content.decode()
    assert "须回避的专家" in page
    assert "园区专家" in page
    assert "集群运营管理机构" in page
    response = _follow(city, reverse("review:auto_assign", args=[phase.pk]))
    page = response.content.decode()
    assert "已自动分配 2 个评审任务" in page
    assert "领域匹配：模具" in page
    # A conflicted expert by hand: refused with the reason, nothing changes.
    add = reverse("review:assignment_add", args=[phase.pk])
    response = _follow(
        city, add, {"application": application.pk, "expert": conflicted.user_id, "reason": "熟悉"}
    )
    assert "须回避，不能分配" in response.content.decode()
    # Missing reason, unknown expert.
    response = _follow(city, add, {"application": application.pk, "expert": conflicted.user_id})
    assert "请填写分配理由" in response.content.decode()
    response = _follow(city, add, {"application": application.pk, "expert": 999999, "reason": "x"})
    assert "专家库中没有该专家" in response.content.decode()
    assert Assignment.objects.count() == 2
    # Removal needs a reason; with one the row stays as 已撤换.
    assignment = Assignment.objects.first()
    remove = reverse("review:assignment_remove", args=[assignment.pk])
    assert "撤换理由：请填写撤换理由" in _follow(city, remove, {"reason": ""}).content.decode()
    _follow(city, remove, {"reason": "出差"})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REMOVED
    response = _follow(city, reverse("review:assignment_replace", args=[assignment.pk]))
    assert "无法自动补充分配" in response.content.decode()  # the other two are used or barred


def test_the_expert_sees_only_own_open_assignments_and_recuses(client, city_officer, round_):
    first = under_review(round_, city_officer, "北仑模具产业集群")
    update_settings(round_, city_officer, experts_per_application=2)
    experts = [make_expert(city_officer, name=f"专家{n}号") for n in range(3)]
    phase = phases_for(round_)[0]
    auto_assign(phase, city_officer)
    mine = Assignment.objects.filter(application=first).first()
    expert = mine.expert
    client.force_login(expert)
    url = reverse("review:my_assignments")
    assert "北仑模具产业集群" not in client.get(url).content.decode()  # phase not open
    open_phase(phase, city_officer)
    page = client.get(url).content.decode()
    assert "北仑模具产业集群" in page
    colleagues = {p.name for p in experts} - {expert.expert_profile.name}
    assert not any(name in page for name in colleagues)
    recuse = reverse("review:recuse", args=[mine.pk])
    assert "请填写回避理由" in _follow(client, recuse, {"reason": ""}).content.decode()
    response = _follow(client, recuse, {"reason": "曾任该园区顾问"})
    assert "已对“北仑模具产业集群”申请回避" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.RECUSED
    # Not their assignment any more (nor anyone else's): 404.
    assert client.post(recuse, {"reason": "再次"}).status_code == 404
    other = Assignment.objects.exclude(expert=expert).first()
    assert (
        client.post(reverse("review:recuse", args=[other.pk]), {"reason": "x"}).status_code == 404
    )


def test_anonymised_county_is_hidden_from_the_expert(client, city_officer, round_):
    application = under_review(round_, city_officer)
    update_settings(round_, city_officer, experts_per_application=1, anonymise_county=True)
    make_expert(city_officer)
    phase = phases_for(round_)[0]
    auto_assign(phase, city_officer)
    open_phase(phase, city_officer)
    client.force_login(Assignment.objects.get().expert)
    page = client.get(reverse("review:my_assignments")).content.decode()
    assert "匿名评审" in page
    assert application.organisation.name not in page


@pytest.mark.parametrize("role", ["county", "expert_without_profile"])
def test_counties_and_outsiders_see_nothing(client, county_officer, role):
    from tests.factories import make_user  # noqa: PLC0415

    user = county_officer if role == "county" else make_user("expert")
    client.force_login(user)
    for name in ("review:overview", "review:experts", "review:my_assignments", "review:conflicts"):
        assert client.get(reverse(name)).status_code == 403


def test_nav_links_per_role(client, city_officer):
    client.force_login(city_officer)
    assert "专家评审" in client.get(reverse("review:overview")).content.decode()
    profile = make_expert(city_officer)
    client.force_login(profile.user)
    assert "回避与利益关联" in client.get(reverse("review:conflicts")).content.decode()


def test_the_overview_lists_rounds_and_their_phases(city, round_):
    phases_for(round_)
    page = city.get(reverse("review:overview")).content.decode()
    assert round_.name in page
    assert "专家评审（含现场答辩）" in page
    assert "未开始" in page
