"""形式审查: the notice's checklist per round, auto items decided from the submitted snapshot and
the paper receipt with the reason shown, manual items ticked, the result recorded append-only and
attached when accepting (a failed check needs the officer's confirmation)."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import ApplicationEvent, Submission
from clusterdesk.intake.domain.formal import DEFAULT_ITEMS, evaluate
from clusterdesk.intake.models import FormalCheck, FormalChecklist
from clusterdesk.rounds.models import Round
from clusterdesk.shared.appendonly import AppendOnlyError
from tests.factories import (
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
)
from tests.intake.test_paper import post

pytestmark = pytest.mark.django_db

AUTO_IDS = {item["id"] for item in DEFAULT_ITEMS if item["auto"]}


@pytest.fixture
def city():
    return make_city_officer()


def submitted(round_=None, officer=None):
    return make_application(round_=round_ or make_round(), officer=officer, path=(S.SUBMITTED,))


def received(client, app, **overrides):
    sha = app.submissions.latest("pk").data_sha256
    response = client.post(
        reverse("intake:receipt", args=[app.pk]), post(package_sha256=sha, **overrides)
    )
    assert response.status_code == 302


def by_id(items):
    return {item["id"]: item for item in items}


def test_a_complete_example_application_passes_every_auto_item(client, city):
    app = submitted()
    client.force_login(city)
    received(client, app)
    items = by_id(evaluate(app, app.submissions.latest("pk")))
    assert set(items) == {item["id"] for item in DEFAULT_ITEMS}
    for item_id in AUTO_IDS:
        assert items[item_id]["passed"], items[item_id]
        assert items[item_id]["explanation"]
    assert "正本 2 份、副本 3 份" in items["five_sets"]["explanation"]
    assert "限报 2 份" in items["within_limit"]["explanation"]
    assert not items["sealed"]["passed"]  # manual: not ticked, not passed


def test_without_a_receipt_the_paper_items_fail_with_the_reason(city):
    app = submitted()
    items = by_id(evaluate(app, app.submissions.latest("pk")))
    assert not items["five_sets"]["passed"]
    assert items["five_sets"]["explanation"] == "尚未登记纸质材料。"
    assert not items["electronic_identical"]["passed"]


def test_short_counts_and_a_hash_mismatch_fail_their_items(client, city):
    app = submitted()
    client.force_login(city)
    client.post(
        reverse("intake:receipt", args=[app.pk]),
        post(originals="2", copies="2", package_sha256="0" * 64),
    )
    items = by_id(evaluate(app, app.submissions.latest("pk")))
    assert not items["five_sets"]["passed"]
    assert "缺副本 1 份" in items["five_sets"]["explanation"]
    assert not items["electronic_identical"]["passed"]
    assert "不一致" in items["electronic_identical"]["explanation"]


def test_a_ticked_item_without_evidence_fails_naming_the_box(city):
    app = submitted()
    snapshot = app.submissions.latest("pk")
    data = copy.deepcopy(snapshot.data)
    del data["evidence"]["part2.chain_map"]
    assert by_id(evaluate(app, snapshot))["evidence"]["passed"]  # every file is registered
    # A snapshot whose 产业链图谱 box has no file (submitting refuses that today; an older
    # snapshot, taken under other rules, may hold it): evaluated in memory, never saved.
    old = Submission(application=app, data=data, data_sha256=snapshot.data_sha256)
    item = by_id(evaluate(app, old))["evidence"]
    assert not item["passed"]
    assert "未附佐证材料" in item["explanation"]
    assert "产业链图谱" in item["explanation"]


def test_over_the_county_limit_fails(city):
    round_ = make_round(county_limit=2)
    officer = make_county_officer()
    first = submitted(round_, officer)
    make_application(
        round_=round_, officer=officer, path=(S.SUBMITTED, S.UNDER_REVIEW), city_officer=city
    )
    assert by_id(evaluate(first, first.submissions.latest("pk")))["within_limit"]["passed"]
    Round.objects.filter(pk=round_.pk).update(county_limit=1)  # the city lowered the limit
    first.refresh_from_db()
    item = by_id(evaluate(first, first.submissions.latest("pk")))["within_limit"]
    assert not item["passed"]
    assert "已提交或受理 2 份，限报 1 份" in item["explanation"]


def test_a_missing_attachment1_field_fails_naming_it(city):
    app = submitted()
    snapshot = app.submissions.latest("pk")
    data = copy.deepcopy(snapshot.data)
    data["attachment1"]["summary"] = ""
    item = by_id(evaluate(app, Submission(application=app, data=data)))["attachment1"]
    assert not item["passed"]
    assert item["explanation"] == "附件1 缺少：集群简介。"


def test_a_round_with_its_own_checklist_uses_it(city):
    app = submitted()
    FormalChecklist.objects.create(
        round=app.round,
        items=[
            {"id": "sealed", "text": "已加盖公章", "auto": False},
            {"id": "signed", "text": "法定代表人已签字", "auto": True},  # unknown: by hand
        ],
    )
    items = evaluate(app, app.submissions.latest("pk"), ticked={"signed"})
    assert [(i["text"], i["auto"], i["passed"]) for i in items] == [
        ("已加盖公章", False, False),
        ("法定代表人已签字", False, True),
    ]


def test_the_officer_records_the_check_with_manual_ticks(client, city):
    app = submitted()
    client.force_login(city)
    received(client, app)
    page = client.get(reverse("intake:application", args=[app.pk])).content.decode()
    assert 'name="item" value="sealed"' in page
    assert "✓ 符合 勾选事项均附佐证材料" in page

    response = client.post(reverse("intake:formal_check", args=[app.pk]), {"item": ["sealed"]})
    assert response.status_code == 302
    check = FormalCheck.objects.get()
    assert check.passed
    assert check.checked_by == city
    assert check.submission == app.submissions.latest("pk")
    assert by_id(check.items)["sealed"] == {
        "id": "sealed",
        "text": "已加盖公章",
        "auto": False,
        "passed": True,
        "explanation": "审查人核对确认。",
    }
    page = client.get(reverse("intake:application", args=[app.pk])).content.decode()
    assert '最近一次审查：<strong class="ok">通过</strong>' in page
    check.passed = False
    with pytest.raises(AppendOnlyError):
        check.save()


def test_accepting_attaches_a_passed_check(client, city):
    app = submitted()
    client.force_login(city)
    received(client, app)
    client.post(reverse("intake:formal_check", args=[app.pk]), {"item": ["sealed"]})
    client.post(reverse("intake:accept", args=[app.pk]), {"version": app.version})
    app.refresh_from_db()
    assert app.state == S.UNDER_REVIEW
    event = ApplicationEvent.objects.filter(application=app).latest("pk")
    assert event.reason.startswith("形式审查：通过")


def test_accepting_after_a_failed_check_needs_confirmation(client, city):
    app = submitted()
    client.force_login(city)
    client.post(reverse("intake:formal_check", args=[app.pk]))  # nothing ticked, no paper set
    assert not FormalCheck.objects.get().passed
    response = client.post(
        reverse("intake:accept", args=[app.pk]), {"version": app.version}, follow=True
    )
    assert "形式审查未通过（已加盖公章、纸质材料一式五份" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.SUBMITTED

    client.post(
        reverse("intake:accept", args=[app.pk]), {"version": app.version, "confirm_failed": "1"}
    )
    app.refresh_from_db()
    assert app.state == S.UNDER_REVIEW
    reason = ApplicationEvent.objects.filter(application=app).latest("pk").reason
    assert "形式审查：不通过" in reason
    assert "审查人确认仍予受理" in reason


def test_bulk_accepting_never_confirms_a_failed_check(client, city):
    app = submitted()
    client.force_login(city)
    client.post(reverse("intake:formal_check", args=[app.pk]))
    client.post(reverse("intake:bulk_accept"), {"round": app.round_id, "ids": [app.pk]})
    app.refresh_from_db()
    assert app.state == S.SUBMITTED


def test_a_draft_cannot_be_checked(client, city):
    app = make_application()
    client.force_login(city)
    response = client.post(reverse("intake:formal_check", args=[app.pk]), follow=True)
    assert "尚未提交，没有可审查的提交快照" in response.content.decode()
    assert not FormalCheck.objects.exists()


@pytest.mark.parametrize("role", ["own", "other"])
def test_a_county_can_neither_record_nor_read_a_check(client, role):
    officer = make_county_officer()
    app = submitted(officer=officer)
    client.force_login({"own": officer, "other": make_county_officer()}[role])
    assert client.post(reverse("intake:formal_check", args=[app.pk])).status_code == 403
    assert client.get(reverse("intake:application", args=[app.pk])).status_code == 403
    assert not FormalCheck.objects.exists()


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "审查事项应为非空列表"),
        ([{"text": "已加盖公章"}], "第 1 项缺少 id。"),
        ([{"id": "a", "text": "甲"}, {"id": "a", "text": "乙"}], "第 2 项的 id “a”重复。"),
        ([{"id": "a", "text": "甲", "auto": "yes"}], "第 1 项的 auto 应为 true 或 false。"),
    ],
)
def test_a_malformed_checklist_is_refused_in_chinese(items, message):
    with pytest.raises(ValidationError, match=message):
        FormalChecklist(round=make_round(), items=items).full_clean()


def test_returning_after_a_failed_check_tells_the_county_what_failed(client, city):
    app = submitted()
    client.force_login(city)
    client.post(reverse("intake:formal_check", args=[app.pk]))  # nothing ticked, no paper set
    client.post(
        reverse("intake:return", args=[app.pk]),
        {"version": app.version, "reason": "请补齐纸质材料后重新提交。"},
    )
    app.refresh_from_db()
    assert app.state == S.RETURNED
    reason = ApplicationEvent.objects.filter(application=app).latest("pk").reason
    assert reason == (
        "请补齐纸质材料后重新提交。\n形式审查未通过：已加盖公章（审查人未确认）；"
        "纸质材料一式五份（正本2份、副本3份）（尚未登记纸质材料）；"
        "电子版与纸质版一致（尚未登记纸质材料及电子版）"
    )
    # The county reads it where it reads every return reason: on its dashboard.
    client.force_login(app.organisation.users.first())
    board = client.get(reverse("county:dashboard")).content.decode()
    assert "形式审查未通过：已加盖公章" in board


def test_returning_after_a_passed_check_adds_nothing(client, city):
    app = submitted()
    client.force_login(city)
    received(client, app)
    manual = [item["id"] for item in DEFAULT_ITEMS if not item["auto"]]
    client.post(reverse("intake:formal_check", args=[app.pk]), {"item": manual})
    assert FormalCheck.objects.get().passed
    client.post(
        reverse("intake:return", args=[app.pk]), {"version": app.version, "reason": "数据有误"}
    )
    assert ApplicationEvent.objects.filter(application=app).latest("pk").reason == "数据有误"
