"""The outcomes besides 通过: 限期整改 (out of the 会审 until the follow-up), 撤销 (the revocation
app's revoke, class 复核未通过), and every bad input refused in Chinese with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.errors import DomainError
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from clusterdesk.publicity.domain.decision import Choice, DecisionRefused, record_decision
from clusterdesk.publicity.domain.ranking import rows_for
from clusterdesk.recheck.domain.due import due_count
from clusterdesk.recheck.domain.outcomes import (
    order_rectification,
    record_follow_up,
    revoke_case,
    status_text,
)
from clusterdesk.recheck.domain.rounds import open_recheck
from clusterdesk.recheck.models import RecheckCase, RecheckStep, StepKind
from clusterdesk.registry.domain.registry import Status, public_rows, registry_rows
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.revocation.models import Revocation
from clusterdesk.rounds.models import Round
from tests.factories import SHANGHAI, make_county_officer
from tests.recheck.world import DUE_DAY, NOT_YET, RECHECK_NAME, certified, opened

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2025, 7, 31)
AFTER_DEADLINE = dt.datetime(2025, 8, 1, 10, 0, tzinfo=SHANGHAI)


def fresh(case: RecheckCase) -> RecheckCase:
    return RecheckCase.objects.select_related("application", "certification").get(pk=case.pk)


def in_decision(round_) -> list[int]:
    return [row.application.pk for row in rows_for(round_)]


def snapshot():
    return (
        Round.objects.count(),
        RecheckCase.objects.count(),
        RecheckStep.objects.count(),
        Application.objects.count(),
        ApplicationEvent.objects.count(),
        Revocation.objects.count(),
    )


# --- 限期整改 ---------------------------------------------------------------------------------


def test_rectification_holds_the_case_out_of_the_decision_until_the_follow_up(clock_at):
    world = certified()
    clock_at(DUE_DAY)
    round_, [case, other] = opened(world, (0, 1))
    step = order_rectification(
        case, deadline=DEADLINE, requirements="补报2024年度报告，落实研发投入。", actor=world.city
    )
    assert (step.kind, step.deadline) == (StepKind.RECTIFY, DEADLINE)
    assert status_text(fresh(case)) == "限期整改中（期限至2025年7月31日）"
    note = Notification.objects.get(kind=NotificationKind.RECTIFICATION)
    assert note.recipient.organisation == case.application.organisation
    assert "补报2024年度报告" in note.body
    # The 会审 decides on the others meanwhile; the case stays under review.
    assert in_decision(round_) == [other.application_id]
    record_decision(
        round_,
        dt.date(2025, 6, 2),
        "成员",
        "纪要",
        [Choice(other.application_id, True)],
        world.city,
    )
    assert Application.objects.get(pk=case.application_id).state == S.UNDER_REVIEW

    # No follow-up before the deadline, and no second 限期整改.
    with pytest.raises(DomainError, match="期满后方可记录复查结果"):
        record_follow_up(case, passed=True, note="已整改", actor=world.city)
    with pytest.raises(DomainError, match="已在限期整改中"):
        order_rectification(case, deadline=DEADLINE, requirements="再次", actor=world.city)

    clock_at(AFTER_DEADLINE)
    with pytest.raises(DomainError, match="复查情况"):
        record_follow_up(case, passed=True, note="  ", actor=world.city)
    record_follow_up(case, passed=True, note="已补报，研发投入达标。", actor=world.city)
    assert status_text(fresh(case)) == "整改复查通过，待会审"
    assert in_decision(round_) == [case.application_id]  # back to the 会审
    with pytest.raises(DomainError, match="不在限期整改中"):
        record_follow_up(case, passed=True, note="再次", actor=world.city)


def test_a_failed_follow_up_revokes(clock_at):
    world = certified()
    clock_at(DUE_DAY)
    _, [case] = opened(world)
    order_rectification(case, deadline=DEADLINE, requirements="整改", actor=world.city)
    clock_at(AFTER_DEADLINE)
    record_follow_up(
        case,
        passed=False,
        note="逾期未整改。",
        actor=world.city,
        document_number="甬经信中小〔2025〕31号",
        decided_on=dt.date(2025, 8, 1),
    )
    revocation = Revocation.objects.get(certification=case.certification)
    assert revocation.reason_class == RevocationReason.RECHECK_FAILED
    assert "逾期未整改" in revocation.reason
    assert Application.objects.get(pk=case.application_id).state == S.REJECTED


# --- 撤销 ---------------------------------------------------------------------------------------


def test_revoke_revokes_the_old_certification_and_refuses_the_recheck(clock_at):
    world = certified()
    clock_at(DUE_DAY)
    round_, [case] = opened(world)
    old = world.cert(0)
    step = revoke_case(
        case,
        reason="三年行动计划目标大多未完成，年度报告未按时报送。",
        document_number="甬经信中小〔2025〕30号",
        decided_on=dt.date(2025, 6, 2),
        actor=world.city,
    )
    assert step.kind == StepKind.REVOKED
    revocation = Revocation.objects.get(certification=old)
    assert (revocation.reason_class, revocation.document_number) == (
        RevocationReason.RECHECK_FAILED,
        "甬经信中小〔2025〕30号",
    )
    assert Application.objects.get(pk=old.application_id).state == S.REVOKED
    app = Application.objects.get(pk=case.application_id)
    assert app.state == S.REJECTED
    assert "复核不通过" in app.events.latest("pk").reason
    assert status_text(fresh(case)) == "复核不通过，已撤销认定"
    today = dt.date(2025, 6, 2)
    assert {r.pk: r.status for r in registry_rows(today)}[old.pk] == Status.REVOKED
    assert old.pk not in {r.pk for r in public_rows(today)}
    assert in_decision(round_) == []
    # A revoked cluster cannot be put under 复核 again.
    with pytest.raises(DomainError, match="已撤销认定"):
        open_recheck("再次复核", [old], world.city)


def test_the_decision_cannot_refuse_a_recheck_without_revoking(clock_at):
    world = certified()
    clock_at(DUE_DAY)
    round_, [case] = opened(world)
    before = snapshot()
    with pytest.raises(DecisionRefused, match="撤销文号"):
        record_decision(
            round_,
            dt.date(2025, 6, 2),
            "成员",
            "纪要",
            [Choice(case.application_id, False, reason="未完成")],
            world.city,
        )
    assert snapshot() == before
    assert Application.objects.get(pk=case.application_id).state == S.UNDER_REVIEW


# --- bad input ---------------------------------------------------------------------------------


def test_a_cluster_not_due_is_refused(clock_at):
    world = certified()
    clock_at(NOT_YET)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        open_recheck(RECHECK_NAME, [world.certifications[0]], world.city)
    assert "的认定有效期至2026年4月19日，不在复核期内" in refused.value.message
    assert snapshot() == before
    # The same, told it happens on a day it is due (the demo's way): opened then.
    round_ = open_recheck(RECHECK_NAME, [world.certifications[0]], world.city, at=DUE_DAY)
    assert round_.recheck_cases.get().opened_at == DUE_DAY


def test_a_cluster_already_under_recheck_is_refused(clock_at):
    world = certified()
    clock_at(DUE_DAY)
    opened(world)
    before = snapshot()
    with pytest.raises(DomainError, match="已在复核中（2025年度到期复核）"):
        open_recheck("第二次复核", [world.certifications[0], world.certifications[1]], world.city)
    assert snapshot() == before
    assert due_count() == 2


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "复核轮次名称：请填写"), ("名" * 51, "不能超过 50 个字符"), (None, "已被使用")],
)
def test_bad_round_names_are_refused(clock_at, name, message):
    world = certified()
    clock_at(DUE_DAY)
    name = world.certifications[0].application.round.name if name is None else name
    before = snapshot()
    with pytest.raises(DomainError, match=message):
        open_recheck(name, [world.certifications[0]], world.city)
    assert snapshot() == before


def test_no_cluster_and_a_county_officer_are_refused(clock_at):
    world = certified()
    clock_at(DUE_DAY)
    before = snapshot()
    with pytest.raises(DomainError, match="请至少选择一个到期待复核的集群"):
        open_recheck(RECHECK_NAME, [], world.city)
    with pytest.raises(DomainError, match="只有市经信局"):
        open_recheck(RECHECK_NAME, [world.certifications[0]], make_county_officer())
    assert snapshot() == before


@pytest.mark.parametrize(
    ("deadline", "requirements", "message"),
    [
        (None, "整改", "整改期限：请填写有效的日期"),
        (dt.date(2025, 6, 2), "整改", "整改期限：应晚于今天"),
        (DEADLINE, "   ", "整改要求：请填写"),
        (DEADLINE, "字" * 2001, "整改要求：不能超过 2000 字"),
    ],
)
def test_bad_rectification_is_refused(clock_at, deadline, requirements, message):
    world = certified()
    clock_at(DUE_DAY)
    _, [case] = opened(world)
    before = snapshot()
    with pytest.raises(DomainError, match=message):
        order_rectification(case, deadline=deadline, requirements=requirements, actor=world.city)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("reason", "number", "decided_on", "message"),
    [
        ("", "甬经信中小〔2025〕30号", dt.date(2025, 6, 2), "撤销理由：请填写"),
        ("未完成", "  ", dt.date(2025, 6, 2), "撤销文号：请填写"),
        ("未完成", "甬经信中小〔2025〕30号", None, "决定日期：请填写有效的日期"),
        ("未完成", "甬经信中小〔2025〕30号", dt.date(2025, 6, 3), "决定日期"),
        ("未完成", "甬经信中小〔2023〕12号", dt.date(2025, 6, 2), "〔2023〕12号"),
    ],
)
def test_bad_revocation_is_refused_and_changes_nothing(
    clock_at, reason, number, decided_on, message
):
    world = certified()
    clock_at(DUE_DAY)
    _, [case] = opened(world)
    before = snapshot()
    with pytest.raises(DomainError, match=message):
        revoke_case(
            case, reason=reason, document_number=number, decided_on=decided_on, actor=world.city
        )
    assert snapshot() == before
    assert Application.objects.get(pk=case.application_id).state == S.UNDER_REVIEW
    assert Application.objects.get(pk=case.certification.application_id).state == S.CERTIFIED


def test_a_decided_case_takes_no_more_outcomes(clock_at):
    world = certified()
    clock_at(DUE_DAY)
    _, [case] = opened(world)
    revoke_case(
        case,
        reason="未完成",
        document_number="甬经信中小〔2025〕30号",
        decided_on=dt.date(2025, 6, 2),
        actor=world.city,
    )
    with pytest.raises(DomainError, match="不能责令整改"):
        order_rectification(case, deadline=DEADLINE, requirements="整改", actor=world.city)
    with pytest.raises(DomainError, match="复核已办结"):
        revoke_case(
            case,
            reason="再次",
            document_number="甬经信中小〔2025〕32号",
            decided_on=dt.date(2025, 6, 2),
            actor=world.city,
        )
