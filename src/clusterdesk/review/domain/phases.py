"""A round's review phases: the defaults on first use, times, opening and closing, adding a 预审
and removing a phase that has no assignments. Every change is recorded."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.errors import DomainError
from clusterdesk.review.domain.events import check, record
from clusterdesk.review.enums import EventAction, PhaseKind, PhaseStatus
from clusterdesk.review.models import ReviewPhase
from clusterdesk.rounds.models import Round

# The phases a round starts with (Ningbo 2023: 专家评审 with 现场答辩, then 实地走访).
DEFAULTS = (
    {
        "kind": PhaseKind.EXPERT_REVIEW,
        "name": "专家评审（含现场答辩）",
        "scored": True,
        "with_defence": True,
    },
    {"kind": PhaseKind.SITE_VISIT, "name": "实地走访", "scored": False, "with_defence": False},
)
PRE_REVIEW = {"kind": PhaseKind.PRE_REVIEW, "name": "预审", "scored": False, "with_defence": False}
MAX_PHASES = 6


def phases_for(round_: Round) -> list[ReviewPhase]:
    """The round's phases in order, creating the defaults the first time."""
    phases = list(round_.review_phases.order_by("position", "pk"))
    if phases:
        return phases
    with transaction.atomic():
        # Locks the round so that two first visits create the defaults once.
        Round.objects.select_for_update().get(pk=round_.pk)
        phases = list(round_.review_phases.order_by("position", "pk"))
        if not phases:
            phases = [
                ReviewPhase.objects.create(round=round_, position=(number + 1) * 10, **values)
                for number, values in enumerate(DEFAULTS)
            ]
    return phases


def add_pre_review(round_: Round, actor: User, at: dt.datetime | None = None) -> ReviewPhase:
    """Add a 预审 before the other phases (one per round)."""
    check("review.manage", actor)
    phases = phases_for(round_)
    if any(phase.kind == PhaseKind.PRE_REVIEW for phase in phases):
        raise DomainError("本轮已有预审阶段。")
    first = min(phase.position for phase in phases) if phases else 10
    return add_phase(round_, actor, position=max(first - 5, 0), at=at, **PRE_REVIEW)


def add_phase(
    round_: Round,
    actor: User,
    *,
    kind: str,
    name: str,
    scored: bool = False,
    with_defence: bool = False,
    position: int | None = None,
    at: dt.datetime | None = None,
) -> ReviewPhase:
    """Add a phase (e.g. a second batch “专家评审（第二批）”); by default after the others."""
    check("review.manage", actor)
    if kind not in PhaseKind.values:
        raise DomainError("请选择评审阶段类型（预审、专家评审或实地走访）。")
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise DomainError("请填写阶段名称（50 个字以内）。")
    phases = phases_for(round_)
    if len(phases) >= MAX_PHASES:
        raise DomainError(f"每轮最多 {MAX_PHASES} 个评审阶段。")
    if position is None:
        position = max((phase.position for phase in phases), default=0) + 10
    with transaction.atomic():
        phase = ReviewPhase.objects.create(
            round=round_,
            kind=kind,
            name=name,
            scored=scored,
            with_defence=with_defence,
            position=position,
        )
        record(EventAction.PHASE_CREATED, actor, phase=phase, at=at, detail={"name": name})
    return phase


def remove_phase(phase: ReviewPhase, actor: User) -> None:
    """Drop a phase nobody was ever assigned to (an assigned one keeps its record)."""
    check("review.manage", actor)
    with transaction.atomic():
        current = ReviewPhase.objects.select_for_update().get(pk=phase.pk)
        if current.assignments.exists():
            raise DomainError(f"“{current.name}”已有专家分配记录，不能删除。")
        if current.status == PhaseStatus.OPEN:
            raise DomainError(f"“{current.name}”正在进行中，请先结束再删除。")
        if current.round.review_phases.count() <= 1:
            raise DomainError("每轮至少保留一个评审阶段。")
        record(
            EventAction.PHASE_REMOVED,
            actor,
            round_=current.round,
            phase=current,
            detail={"name": current.name, "kind": current.kind},
        )
        current.delete()


def update_phase(
    phase: ReviewPhase,
    actor: User,
    *,
    name: str | None = None,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> ReviewPhase:
    """Set the name and the planned times (None clears a time)."""
    check("review.manage", actor)
    name = (name or "").strip() or phase.name
    if len(name) > 50:
        raise DomainError("阶段名称不能超过 50 个字。")
    for value in (opens_at, closes_at):
        if value is not None and timezone.is_naive(value):
            raise DomainError("时间必须注明时区（北京时间）。")
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError("结束时间应晚于开始时间。")
    with transaction.atomic():
        current = ReviewPhase.objects.select_for_update().get(pk=phase.pk)
        if current.status == PhaseStatus.CLOSED:
            raise DomainError(f"“{current.name}”已结束，不能再修改。")
        changes = []
        for key, value in (("name", name), ("opens_at", opens_at), ("closes_at", closes_at)):
            if getattr(current, key) != value:
                label = ReviewPhase._meta.get_field(key).verbose_name
                changes.append(f"{label}：{_show(getattr(current, key))}→{_show(value)}")
                setattr(current, key, value)
        if not changes:
            return current
        current.save(update_fields=["name", "opens_at", "closes_at"])
        record(EventAction.PHASE_UPDATED, actor, phase=current, reason="；".join(changes))
    return current


def open_phase(phase: ReviewPhase, actor: User, at: dt.datetime | None = None) -> ReviewPhase:
    """Open a phase: its experts see their assignments (from its start time, if later)."""
    check("review.manage", actor)
    at = at or clock.now()
    with transaction.atomic():
        current = ReviewPhase.objects.select_for_update().get(pk=phase.pk)
        if current.status == PhaseStatus.OPEN:
            raise DomainError(f"“{current.name}”已在进行中。")
        if current.status == PhaseStatus.CLOSED:
            raise DomainError(f"“{current.name}”已结束，不能再开放。")
        if current.closes_at is not None and current.closes_at <= at:
            raise DomainError(f"“{current.name}”的结束时间已过，请先修改结束时间。")
        current.status = PhaseStatus.OPEN
        if current.opens_at is None:
            current.opens_at = at
        current.save(update_fields=["status", "opens_at"])
        record(EventAction.PHASE_OPENED, actor, phase=current, at=at)
    phase.status, phase.opens_at = current.status, current.opens_at
    return current


def close_phase(phase: ReviewPhase, actor: User, at: dt.datetime | None = None) -> ReviewPhase:
    """Close an open phase: its experts lose access; names and scores may be shown."""
    check("review.manage", actor)
    at = at or clock.now()
    with transaction.atomic():
        current = ReviewPhase.objects.select_for_update().get(pk=phase.pk)
        if current.status == PhaseStatus.CLOSED:
            raise DomainError(f"“{current.name}”已结束，不能重复结束。")
        if current.status == PhaseStatus.PENDING:
            raise DomainError(f"“{current.name}”尚未开始，不能结束。")
        current.status = PhaseStatus.CLOSED
        current.closed_at = at
        current.save(update_fields=["status", "closed_at"])
        record(EventAction.PHASE_CLOSED, actor, phase=current, at=at)
    phase.status, phase.closed_at = current.status, current.closed_at
    return current


def _show(value) -> str:
    if value is None:
        return "未设定"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)
