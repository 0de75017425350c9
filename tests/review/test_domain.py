"""The review's doors: the pool, conflicts, settings, phases, assignment, 回避 and 补充分配,
and what an expert reaches. Each refusal says why in Chinese and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from tests.factories import TEST_NOW, make_county_officer
from tests.review.helpers import EXPERT_PASSWORD, OPERATOR_SHORT, make_expert, under_review

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.errors import DomainError
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from clusterdesk.review.domain.access import (
    AssignmentNotFound,
    expert_assignment,
    open_assignments,
)
from clusterdesk.review.domain.assignments import (
    assign_manually,
    auto_assign,
    recuse,
    remove,
    replace,
)
from clusterdesk.review.domain.experts import (
    create_expert,
    declare_conflict,
    end_conflict,
    set_active,
    update_expert,
)
from clusterdesk.review.domain.phases import (
    add_pre_review,
    close_phase,
    open_phase,
    phases_for,
    remove_phase,
    update_phase,
)
from clusterdesk.review.domain.settings import review_settings, update_settings
from clusterdesk.review.enums import AssignmentStatus, EventAction, PhaseKind, PhaseStatus
from clusterdesk.review.models import Assignment, ExpertProfile, ReviewEvent, ReviewPhase

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(ReviewEvent.objects.order_by("pk").values_list("action", flat=True))


# --- the pool -----------------------------------------------------------------------------------


def test_create_expert_makes_the_account_and_profile_and_records_it(city_officer):
    profile = make_expert(city_officer, name="陈明", fields=("模具", "汽车零部件", "模具"))
    user = profile.user
    assert user.role == Role.EXPERT
    assert user.check_password(EXPERT_PASSWORD)
    assert user.get_full_name() == "陈明"
    assert profile.fields == ["模具", "汽车零部件"]
    event = ReviewEvent.objects.get()
    assert event.action == EventAction.EXPERT_CREATED
    assert event.expert == user
    assert event.actor == city_officer


@pytest.mark.parametrize(
    ("password", "message"),
    [("", "请设置初始密码。"), ("12345678901234", "密码只包含数字。"), ("short", "密码太短")],
)
def test_a_bad_password_is_refused_by_the_projects_validators(city_officer, password, message):
    with pytest.raises(ValidationError) as caught:
        create_expert(
            actor=city_officer,
            username="zhang",
            password=password,
            name="张",
            organisation_name="宁波大学",
        )
    assert any(message in text for text in caught.value.message_dict["password"])
    assert not User.objects.filter(username="zhang").exists()
    assert not ReviewEvent.objects.exists()


def test_a_taken_username_and_missing_unit_are_named(city_officer):
    make_expert(city_officer)
    taken = ExpertProfile.objects.get().user.username
    with pytest.raises(ValidationError) as caught:
        create_expert(
            actor=city_officer,
            username=taken,
            password=EXPERT_PASSWORD,
            name="李",
            organisation_name="",
        )
    errors = caught.value.message_dict
    assert "username" in errors
    assert "organisation_name" in errors
    assert ExpertProfile.objects.count() == 1


def test_only_the_city_manages_the_pool(county_officer):
    with pytest.raises(DomainError, match="只有市经信局"):
        make_expert(county_officer)


def test_update_and_deactivate_are_recorded(city_officer):
    profile = make_expert(city_officer, fields=("模具",))
    update_expert(profile, actor=city_officer, fields="模具、家电", title="教授")
    profile.refresh_from_db()
    assert profile.fields == ["模具", "家电"]
    assert profile.title == "教授"
    set_active(profile, actor=city_officer, active=False, reason="退休")
    with pytest.raises(DomainError, match="已停用，无需重复操作"):
        set_active(profile, actor=city_officer, active=False)
    assert _actions()[-2:] == [EventAction.EXPERT_UPDATED, EventAction.EXPERT_DEACTIVATED]
    assert "专业领域：模具→模具、家电" in ReviewEvent.objects.order_by("pk")[1].reason


def test_an_expert_declares_and_ends_own_conflicts_only(city_officer):
    profile = make_expert(city_officer)
    other = make_expert(city_officer)
    declaration = declare_conflict(
        profile,
        actor=profile.user,
        counterpart="宁波北仑华腾模具有限公司",
        relation="顾问",
        started_on=dt.date(2020, 1, 1),
    )
    end_conflict(declaration, actor=profile.user, ended_on=dt.date(2022, 6, 30))
    declaration.refresh_from_db()
    assert declaration.ended_on == dt.date(2022, 6, 30)
    with pytest.raises(DomainError, match="已于 2022-06-30 结束"):
        end_conflict(declaration, actor=profile.user, ended_on=dt.date(2022, 7, 1))
    with pytest.raises(DomainError, match="只能登记本人的利益关联"):
        declare_conflict(other, actor=profile.user, counterpart="某公司", relation="任职")
    with pytest.raises(ValidationError) as caught:
        declare_conflict(
            profile,
            actor=profile.user,
            counterpart="",
            relation="亲戚",
            started_on=dt.date(2022, 1, 1),
            ended_on=dt.date(2021, 1, 1),
        )
    assert set(caught.value.message_dict) == {"counterpart", "relation", "ended_on"}
    assert profile.conflicts.count() == 1


# --- settings and phases ----------------------------------------------------------------------


def test_settings_default_and_change_with_a_record(city_officer, round_):
    settings = review_settings(round_)
    assert (settings.experts_per_application, settings.conflict_years) == (5, 3)
    assert not settings.anonymise_county
    update_settings(round_, city_officer, experts_per_application=3, anonymise_county=True)
    event = ReviewEvent.objects.get()
    assert event.reason == "每份申报的评审专家数：5→3；匿名评审（专家看不到申报单位）：否→是"
    with pytest.raises(DomainError, match="1—15 名之间"):
        update_settings(round_, city_officer, experts_per_application=0)
    with pytest.raises(DomainError, match="0—10 年之间"):
        update_settings(round_, city_officer, conflict_years=11)
    assert review_settings(round_).experts_per_application == 3


def test_default_phases_are_created_once(round_):
    phases = phases_for(round_)
    assert [(p.kind, p.name, p.scored, p.with_defence) for p in phases] == [
        (PhaseKind.EXPERT_REVIEW, "专家评审（含现场答辩）", True, True),
        (PhaseKind.SITE_VISIT, "实地走访", False, False),
    ]
    assert phases_for(round_) == phases
    assert all(p.status == PhaseStatus.PENDING for p in phases)


def test_open_and_close_a_phase_with_records_and_refusals(city_officer, round_):
    phase = phases_for(round_)[0]
    with pytest.raises(DomainError, match="尚未开始，不能结束"):
        close_phase(phase, city_officer)
    open_phase(phase, city_officer)
    assert phase.status == PhaseStatus.OPEN
    assert phase.opens_at == TEST_NOW
    assert phase.is_open
    with pytest.raises(DomainError, match="已在进行中"):
        open_phase(phase, city_officer)
    close_phase(phase, city_officer, at=TEST_NOW + dt.timedelta(days=3))
    with pytest.raises(DomainError, match="已结束，不能重复结束"):
        close_phase(phase, city_officer)
    with pytest.raises(DomainError, match="已结束，不能再开放"):
        open_phase(phase, city_officer)
    assert _actions() == [EventAction.PHASE_OPENED, EventAction.PHASE_CLOSED]
    phase.refresh_from_db()
    assert phase.closed_at == TEST_NOW + dt.timedelta(days=3)
    assert not phase.is_open


def test_times_are_edited_and_checked(city_officer, round_):
    phase = phases_for(round_)[0]
    opens = TEST_NOW + dt.timedelta(days=1)
    update_phase(
        phase, city_officer, name="专家评审", opens_at=opens, closes_at=opens + dt.timedelta(days=5)
    )
    phase.refresh_from_db()
    assert phase.name == "专家评审"
    assert phase.opens_at == opens
    with pytest.raises(DomainError, match="结束时间应晚于开始时间"):
        update_phase(phase, city_officer, opens_at=opens, closes_at=opens)
    # Opened before its start time: not open yet for the experts.
    open_phase(phase, city_officer)
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.OPEN
    assert not phase.is_open


def test_a_pre_review_is_added_first_and_an_unused_phase_removed(city_officer, round_):
    pre = add_pre_review(round_, city_officer)
    assert next(p.kind for p in phases_for(round_)) == PhaseKind.PRE_REVIEW
    with pytest.raises(DomainError, match="已有预审阶段"):
        add_pre_review(round_, city_officer)
    remove_phase(pre, city_officer)
    assert not ReviewPhase.objects.filter(pk=pre.pk).exists()
    removed = ReviewEvent.objects.get(action=EventAction.PHASE_REMOVED)
    assert removed.detail["phase_name"] == "预审"


def test_a_phase_with_assignments_cannot_be_removed(city_officer, round_):
    under_review(round_, city_officer)
    make_expert(city_officer)
    phase = phases_for(round_)[0]
    update_settings(round_, city_officer, experts_per_application=1)
    auto_assign(phase, city_officer)
    with pytest.raises(DomainError, match="已有专家分配记录，不能删除"):
        remove_phase(phase, city_officer)


# --- assignment -----------------------------------------------------------------------------------


@pytest.fixture
def panel(city_officer, round_):
    """Two applications under review (the example: operated by 宁波北仑模具产业园区管理委员会),
    one in another state; seven experts, one of them working for the operator."""
    first = under_review(round_, city_officer, "北仑模具产业集群")
    second = under_review(round_, city_officer, "北仑汽车零部件产业集群")
    draft_officer = make_county_officer()
    from tests.factories import make_application  # noqa: PLC0415

    draft = make_application(round_=round_, officer=draft_officer, cluster_name="草稿集群")
    experts = [make_expert(city_officer, fields=("模具",)) for _ in range(3)]
    experts += [make_expert(city_officer, fields=("纺织",)) for _ in range(3)]
    conflicted = make_expert(city_officer, name="园区专家", unit=OPERATOR_SHORT, fields=("模具",))
    update_settings(round_, city_officer, experts_per_application=3)
    phase = phases_for(round_)[0]
    return {
        "phase": phase,
        "apps": (first, second),
        "draft": draft,
        "experts": experts,
        "conflicted": conflicted,
    }


def test_auto_assign_fills_each_application_without_conflicts(city_officer, panel):
    result = auto_assign(panel["phase"], city_officer)
    assert not result.unfilled
    assignments = Assignment.objects.filter(phase=panel["phase"])
    assert assignments.count() == 6
    assert not assignments.filter(application=panel["draft"]).exists()
    assert not assignments.filter(expert=panel["conflicted"].user).exists()
    for assignment in assignments:
        assert assignment.why  # why each was chosen
    matched = assignments.filter(why__startswith="领域匹配：模具")
    assert matched.count() == 6  # three 模具 experts, each on both
    assert ReviewEvent.objects.filter(action=EventAction.AUTO_ASSIGNED).count() == 6
    told = Notification.objects.filter(kind=NotificationKind.ASSIGNED)
    assert told.count() == 3
    # Again: everyone already has N, nothing new.
    again = auto_assign(panel["phase"], city_officer)
    assert again.created == []
    assert Assignment.objects.count() == 6


def test_a_conflicted_expert_is_refused_by_hand_with_the_reason(city_officer, panel):
    application = panel["apps"][0]
    with pytest.raises(DomainError) as caught:
        assign_manually(
            panel["phase"], application, panel["conflicted"].user, city_officer, "熟悉模具"
        )
    assert caught.value.message == (
        "专家“园区专家”须回避，不能分配：专家工作单位“北仑模具产业园区管委会”与该申报的"
        "集群运营管理机构“宁波北仑模具产业园区管理委员会”名称相符"
    )
    assert not Assignment.objects.exists()
    assert not ReviewEvent.objects.filter(action=EventAction.ASSIGNED).exists()


def test_manual_assignment_needs_a_reason_and_an_application_under_review(city_officer, panel):
    expert = panel["experts"][0].user
    with pytest.raises(DomainError, match="请填写分配理由"):
        assign_manually(panel["phase"], panel["apps"][0], expert, city_officer, "  ")
    with pytest.raises(DomainError, match="不在审核中"):
        assign_manually(panel["phase"], panel["draft"], expert, city_officer, "补充")
    assignment = assign_manually(
        panel["phase"], panel["apps"][0], expert, city_officer, "熟悉该集群"
    )
    assert assignment.why == "人工分配：熟悉该集群（领域匹配：模具）"
    with pytest.raises(DomainError, match="已分配评审该申报"):
        assign_manually(panel["phase"], panel["apps"][0], expert, city_officer, "再次")
    assert Assignment.objects.count() == 1


def test_a_declared_conflict_refuses_too(city_officer, panel):
    expert = panel["experts"][1]
    declare_conflict(
        expert,
        actor=expert.user,
        counterpart="华腾模具有限公司",
        relation="持股",
        started_on=dt.date(2018, 5, 1),
    )
    with pytest.raises(
        DomainError, match="专家申报的关联单位“华腾模具有限公司”（持股，2018年5月起至今"
    ):
        assign_manually(panel["phase"], panel["apps"][1], expert.user, city_officer, "熟悉")


def test_removal_keeps_the_row(city_officer, panel):
    assignment = assign_manually(
        panel["phase"], panel["apps"][0], panel["experts"][0].user, city_officer, "熟悉"
    )
    with pytest.raises(DomainError, match="请填写撤换理由"):
        remove(assignment, city_officer, "")
    remove(assignment, city_officer, "时间冲突")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REMOVED
    assert assignment.removal_reason == "时间冲突"
    with pytest.raises(DomainError, match="无需撤换"):
        remove(assignment, city_officer, "再次")


def test_recusal_tells_the_city_and_replacement_picks_the_next_best(city_officer, panel):
    phase = panel["phase"]
    auto_assign(phase, city_officer)
    open_phase(phase, city_officer)
    assignment = Assignment.objects.filter(application=panel["apps"][0]).first()
    expert = assignment.expert
    with pytest.raises(DomainError, match="请填写回避理由"):
        recuse(assignment, expert, "")
    recuse(assignment, expert, "曾为该集群企业提供咨询")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RECUSED
    notice = Notification.objects.get(kind=NotificationKind.RECUSAL)
    assert notice.recipient == city_officer
    assert "曾为该集群企业提供咨询" in notice.body
    assert assignment not in open_assignments(expert)

    new = replace(assignment, city_officer)
    assert new.expert not in (expert, panel["conflicted"].user)
    assert new.why.startswith("补充分配：")
    assert ReviewEvent.objects.filter(action=EventAction.REPLACED).count() == 1
    with pytest.raises(DomainError, match="无需补充"):
        replace(assignment, city_officer)


def test_recusal_is_the_experts_own_while_the_phase_is_open(city_officer, panel):
    phase = panel["phase"]
    auto_assign(phase, city_officer)
    assignment = Assignment.objects.first()
    other = Assignment.objects.exclude(expert=assignment.expert).first().expert
    with pytest.raises(DomainError, match="不在进行中"):
        recuse(assignment, assignment.expert, "有关联")
    open_phase(phase, city_officer)
    with pytest.raises(DomainError, match="只能对本人的评审任务申请回避"):
        recuse(assignment, other, "有关联")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


def test_replacement_by_hand_with_reason(city_officer, panel):
    phase = panel["phase"]
    first = assign_manually(phase, panel["apps"][0], panel["experts"][0].user, city_officer, "熟悉")
    remove(first, city_officer, "出差")
    chosen = panel["experts"][4].user
    new = replace(first, city_officer, chosen, "熟悉纺织装备")
    assert new.expert == chosen
    assert new.why == "人工分配：熟悉纺织装备"
    with pytest.raises(DomainError, match="须回避"):
        replace(first, city_officer, panel["conflicted"].user, "试试")


def test_closed_phase_refuses_changes(city_officer, panel):
    phase = panel["phase"]
    open_phase(phase, city_officer)
    close_phase(phase, city_officer)
    with pytest.raises(DomainError, match="已结束，不能再调整专家分配"):
        auto_assign(phase, city_officer)


def test_unfillable_applications_are_reported(city_officer, round_):
    under_review(round_, city_officer)
    make_expert(city_officer)
    result = auto_assign(phases_for(round_)[0], city_officer)
    [(_application, why)] = result.unfilled
    assert why.startswith("可选专家不足，还差 4 名")


# --- what an expert reaches ----------------------------------------------------------------------


def test_open_assignments_only_in_open_phases_and_only_ones_own(city_officer, panel, clock_at):
    phase = panel["phase"]
    auto_assign(phase, city_officer)
    assignment = Assignment.objects.first()
    expert = assignment.expert
    assert not open_assignments(expert).exists()  # pending
    with pytest.raises(AssignmentNotFound):
        expert_assignment(expert, assignment.pk)
    open_phase(phase, city_officer)
    mine = set(open_assignments(expert))
    assert assignment in mine
    assert all(a.expert == expert for a in mine)
    assert expert_assignment(expert, assignment.pk) == assignment
    other = Assignment.objects.exclude(expert=expert).first()
    with pytest.raises(AssignmentNotFound):
        expert_assignment(expert, other.pk)
    assert not open_assignments(city_officer).exists()
    # Past its end time: closed for the experts even before the city closes it.
    ReviewPhase.objects.filter(pk=phase.pk).update(closes_at=TEST_NOW + dt.timedelta(hours=1))
    assert open_assignments(expert).exists()
    clock_at(TEST_NOW + dt.timedelta(hours=2))
    assert not open_assignments(expert).exists()
    ReviewPhase.objects.filter(pk=phase.pk).update(closes_at=None)
    set_active(expert.expert_profile, actor=city_officer, active=False)
    assert not open_assignments(expert).exists()


def test_a_new_round_of_assignments_never_deletes(city_officer, panel):
    auto_assign(panel["phase"], city_officer)
    before = set(Assignment.objects.values_list("pk", flat=True))
    assignment = Assignment.objects.first()
    remove(assignment, city_officer, "调整")
    auto_assign(panel["phase"], city_officer)
    after = set(Assignment.objects.values_list("pk", flat=True))
    assert before < after
    # The removed expert is not picked again for that application.
    assert (
        Assignment.objects.filter(
            application=assignment.application, expert=assignment.expert, status="active"
        ).count()
        == 0
    )


def test_events_are_append_only(city_officer, round_):
    update_settings(round_, city_officer, conflict_years=2)
    event = ReviewEvent.objects.get()
    with pytest.raises(Exception, match="评审记录只能新增"):
        event.save()
    with pytest.raises(Exception, match="评审记录只能新增"):
        ReviewEvent.objects.all().delete()


def test_a_further_phase_is_added_after_the_others(city_officer, round_):
    from clusterdesk.review.domain.phases import add_phase  # noqa: PLC0415

    phase = add_phase(
        round_, city_officer, kind=PhaseKind.EXPERT_REVIEW, name="专家评审（第二批）", scored=True
    )
    assert phases_for(round_)[-1] == phase
    with pytest.raises(DomainError, match="请填写阶段名称"):
        add_phase(round_, city_officer, kind=PhaseKind.EXPERT_REVIEW, name=" ")
    assert ReviewEvent.objects.filter(action=EventAction.PHASE_CREATED).count() == 1
