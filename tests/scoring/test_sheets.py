"""The score sheet's one door: autosave, submit lock, reopen, the phase's times, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from clusterdesk.declarations import clock
from clusterdesk.errors import DomainError
from clusterdesk.notifications.models import Notification
from clusterdesk.panel.rubric import NOT_RECOMMEND
from clusterdesk.review.enums import AssignmentStatus
from clusterdesk.review.models import Assignment
from clusterdesk.scoring.domain.settings import scoring_settings, update_settings
from clusterdesk.scoring.domain.sheets import (
    SheetConflict,
    SheetRefused,
    reopen_sheet,
    save_draft,
    submit_sheet,
)
from clusterdesk.scoring.models import ScoreSheet, ScoreSheetEvent, SheetAction, SheetStatus
from tests.factories import TEST_NOW
from tests.scoring.world import close, full_sheet, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world(applications=1, experts=2)


def _state(assignment):
    sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    if sheet is None:
        return None
    return (sheet.scores, sheet.comments, sheet.opinion, sheet.status, sheet.version)


def test_autosave_keeps_a_half_filled_draft_and_counts_versions(world):
    assignment, expert = world.of(0, 0), world.experts[0]
    sheet = save_draft(assignment, {"scores": {"digital": "7.5"}}, 0, expert)
    assert sheet.status == SheetStatus.DRAFT
    assert sheet.scores == {"digital": "7.5"}
    assert sheet.version == 1
    sheet = save_draft(
        assignment, {"scores": {"digital": "8"}, "comments": {"digital": "好"}}, 1, expert
    )
    assert (sheet.scores, sheet.comments, sheet.version) == ({"digital": "8"}, {"digital": "好"}, 2)
    assert sheet.total is None


def test_a_stale_version_is_a_conflict_and_changes_nothing(world):
    assignment, expert = world.of(0, 0), world.experts[0]
    save_draft(assignment, {"scores": {"digital": "7"}}, 0, expert)
    before = _state(assignment)
    with pytest.raises(SheetConflict):
        save_draft(assignment, {"scores": {"digital": "9"}}, 0, expert)
    assert _state(assignment) == before


def test_out_of_range_and_not_a_number_are_refused_in_chinese(world):
    assignment, expert = world.of(0, 0), world.experts[0]
    save_draft(assignment, {"scores": {"digital": "7"}}, 0, expert)
    before = _state(assignment)
    with pytest.raises(SheetRefused) as refused:
        save_draft(assignment, {"scores": {"digital": "12"}}, 1, expert)
    assert refused.value.message == "未保存：“数字化转型效果明显”的得分 12 超出范围（0–10 分）。"
    with pytest.raises(SheetRefused) as refused:
        save_draft(assignment, {"scores": {"digital": "好"}}, 1, expert)
    assert "得分必须是数字" in refused.value.message
    assert _state(assignment) == before


def test_submit_needs_every_score_and_the_required_comments(world):
    assignment, expert = world.of(0, 0), world.experts[0]
    data = full_sheet()
    data["comments"]["innovation"] = ""
    with pytest.raises(SheetRefused) as refused:
        submit_sheet(assignment, data, 0, expert)
    assert refused.value.message == "未提交：“具有较强协同创新能力”必须填写评语。"
    assert _state(assignment) is None  # refused: not even a blank sheet was left behind
    assert not ScoreSheetEvent.objects.exists()
    with pytest.raises(SheetRefused) as refused:
        submit_sheet(assignment, full_sheet(opinion=NOT_RECOMMEND), 0, expert)
    assert "选择“不推荐”时必须填写理由" in refused.value.message


def test_submit_locks_the_sheet_with_its_weighted_total_and_an_event(world):
    assignment, expert = world.of(0, 0), world.experts[0]
    sheet = submit_sheet(assignment, full_sheet("8"), 0, expert)
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.total == Decimal("80.00")
    assert sheet.submitted_at == clock.now()
    event = ScoreSheetEvent.objects.get(sheet=sheet)
    assert event.action == SheetAction.SUBMIT
    assert event.detail["total"] == "80.00"
    with pytest.raises(SheetRefused) as refused:
        save_draft(assignment, full_sheet("9"), sheet.version, expert)
    assert "评分表已提交，不能再修改" in refused.value.message
    with pytest.raises(IntegrityError):  # the history is append-only in the database
        ScoreSheetEvent.objects.filter(pk=event.pk).update(reason="改")


def test_submit_what_was_saved(world):
    assignment, expert = world.of(0, 0), world.experts[0]
    save_draft(assignment, full_sheet("6"), 0, expert)
    sheet = submit_sheet(assignment, None, 1, expert)
    assert sheet.total == Decimal("60.00")


def test_another_expert_cannot_touch_the_sheet(world):
    with pytest.raises(SheetRefused) as refused:
        save_draft(world.of(0, 0), full_sheet(), 0, world.experts[1])
    assert refused.value.message == "这不是您的评审任务。"
    with pytest.raises(SheetRefused):
        save_draft(world.of(0, 0), full_sheet(), 0, world.city)
    assert not ScoreSheet.objects.exists()


def test_scoring_after_the_phase_closed_is_refused_and_changes_nothing(world):
    assignment, expert = world.of(0, 0), world.experts[0]
    save_draft(assignment, {"scores": {"digital": "7"}}, 0, expert)
    before = _state(assignment)
    close(world.phase)
    assignment.refresh_from_db()
    for act in (save_draft, submit_sheet):
        with pytest.raises(SheetRefused) as refused:
            act(assignment, full_sheet(), 1, expert)
        assert refused.value.message == "“专家评审（含现场答辩）”阶段已结束，不能再评分或修改评分。"
    assert _state(assignment) == before


def test_scoring_past_the_closing_time_is_refused(world):
    assignment, expert = world.of(0, 0), world.experts[0]
    late = world.phase.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(SheetRefused) as refused:
        save_draft(assignment, full_sheet(), 0, expert, at=late)
    assert "阶段已结束" in refused.value.message
    with clock.frozen(late), pytest.raises(SheetRefused):
        submit_sheet(assignment, full_sheet(), 0, expert)
    assert not ScoreSheet.objects.exists()


def test_a_recused_assignment_cannot_be_scored(world):
    assignment, expert = world.of(0, 0), world.experts[0]
    Assignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.RECUSED, recusal_reason="曾任该企业顾问"
    )
    with pytest.raises(SheetRefused) as refused:
        save_draft(assignment, full_sheet(), 0, expert)
    assert "已回避或已撤换" in refused.value.message


def test_the_city_reopens_a_submitted_sheet_with_a_reason(world):
    assignment, expert = world.of(0, 0), world.experts[0]
    sheet = submit_sheet(assignment, full_sheet("8"), 0, expert)
    with pytest.raises(SheetRefused) as refused:
        reopen_sheet(sheet, world.city, "  ")
    assert refused.value.message == "请填写退回理由。"
    with pytest.raises(SheetRefused):
        reopen_sheet(sheet, expert, "自己退回")
    sheet = reopen_sheet(sheet, world.city, "第三项评语与得分不符，请复核。")
    assert sheet.status == SheetStatus.DRAFT
    assert sheet.total is None
    assert sheet.scores["digital"] == "8"  # kept for the expert to change
    reopen = ScoreSheetEvent.objects.get(sheet=sheet, action=SheetAction.REOPEN)
    assert reopen.reason == "第三项评语与得分不符，请复核。"
    assert reopen.actor == world.city
    notice = Notification.objects.get(recipient=expert)
    assert notice.title == "评分表被退回重评：评分测试0号产业集群"
    assert "第三项评语与得分不符，请复核。" in notice.body
    again = submit_sheet(assignment, full_sheet("9"), sheet.version, expert)
    assert again.total == Decimal("90.00")
    with pytest.raises(SheetRefused):
        reopen_sheet(ScoreSheet.objects.create(assignment=world.of(0, 1)), world.city, "未提交")


def test_no_reopen_once_the_phase_closed(world):
    sheet = submit_sheet(world.of(0, 0), full_sheet(), 0, world.experts[0])
    close(world.phase)
    with pytest.raises(SheetRefused) as refused:
        reopen_sheet(sheet, world.city, "请复核")
    assert "未在进行中" in refused.value.message
    assert ScoreSheet.objects.get(pk=sheet.pk).status == SheetStatus.SUBMITTED


def test_the_rubric_is_data_per_round_and_fixed_once_a_sheet_exists(world):
    settings = scoring_settings(world.round)
    assert settings.pk is None  # the defaults, not written until the city changes them
    assert settings.aggregate == "trimmed"
    assert settings.disagreement_margin == 15
    rubric = {
        "aspects": [
            {"key": "a", "name": "核心竞争力", "weight": 60, "max_score": 100},
            {"key": "b", "name": "治理和服务", "weight": 40, "max_score": 100},
        ]
    }
    with pytest.raises(DomainError) as refused:
        update_settings(world.round, world.city, rubric={"aspects": rubric["aspects"][:1]})
    assert refused.value.message == "评分标准未保存：各评分项权重之和必须为 100，当前为 60。"
    with pytest.raises(DomainError):
        update_settings(world.round, world.experts[0], aggregate="mean")
    update_settings(world.round, world.city, rubric=rubric, aggregate="median", margin="10")
    settings = scoring_settings(world.round)
    assert [a["key"] for a in settings.rubric["aspects"]] == ["a", "b"]
    assert (settings.aggregate, settings.disagreement_margin) == ("median", Decimal("10.00"))
    sheet = submit_sheet(
        world.of(0, 0),
        {"scores": {"a": "90", "b": "70"}, "opinion": "recommend"},
        0,
        world.experts[0],
    )
    assert sheet.total == Decimal("82.00")
    with pytest.raises(DomainError) as refused:
        update_settings(world.round, world.city, rubric={"aspects": rubric["aspects"][::-1]})
    assert refused.value.message == "本轮次已有专家评分表，评分标准不能再修改。"
    with pytest.raises(DomainError) as refused:
        update_settings(world.round, world.city, margin="200")
    assert refused.value.message == "分歧提示阈值必须在 0 到 100 分之间。"
    update_settings(world.round, world.city, aggregate="trimmed")  # still allowed


def test_demo_seed_can_act_at_an_explicit_time(world):
    at = TEST_NOW + dt.timedelta(hours=2)
    sheet = submit_sheet(world.of(0, 1), full_sheet("7"), 0, world.experts[1], at=at)
    assert sheet.submitted_at == at
    assert ScoreSheetEvent.objects.get(sheet=sheet).at == at
