"""异议: recorded as received, accepted only when signed, handled step by step.

An objection without the objector's real name or without a contact is recorded but not
accepted (不予受理), as the 公示 notice announces; so is one received after the 公示 ended.
An accepted objection is handled by investigation notes and an outcome (成立 / 不成立); an
upheld one blocks certification (``guard.certification_guard``) until the city records a
decision to certify all the same (经会审研究仍予认定, with the reason) — or refuses the
application (PROPOSED → REJECTED through the workflow). Every step is a new row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as State
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import TransitionRefused, transition
from clusterdesk.errors import DomainError
from clusterdesk.panel.workdays import chinese_date
from clusterdesk.publicity.domain.publicity import today
from clusterdesk.publicity.models import (
    MAX_SHORT,
    MAX_TEXT,
    Objection,
    ObjectionStep,
    Outcome,
    Publicity,
    StepKind,
)
from clusterdesk.publicity.permissions import DECIDE

ANONYMOUS = "匿名异议（未署真实姓名），不予受理。"
NO_CONTACT = "未提供联系方式，不予受理。"
TOO_LATE = "超过公示期提出，不予受理。"


class ObjectionRefused(DomainError):
    """Nothing was recorded; ``message`` names the field and says why."""


@dataclass(frozen=True)
class Standing:
    """Where an objection stands, read from its steps."""

    accepted: bool
    outcome: str  # Outcome value
    overridden: bool  # upheld, but the city decided to certify all the same
    notes: list[ObjectionStep]
    outcome_step: ObjectionStep | None
    override_step: ObjectionStep | None

    @property
    def pending(self) -> bool:
        return self.accepted and self.outcome == Outcome.PENDING

    @property
    def blocking(self) -> bool:
        """Blocks certification: pending, or upheld without a recorded decision."""
        return self.pending or (
            self.accepted and self.outcome == Outcome.UPHELD and not self.overridden
        )

    @property
    def label(self) -> str:
        if not self.accepted:
            return "不予受理"
        if self.outcome == Outcome.PENDING:
            return "待处理"
        label = Outcome(self.outcome).label
        if self.overridden:
            return f"{label}（经会审研究仍予认定）"
        return label


def standing(objection: Objection) -> Standing:
    # In the order recorded (ids only grow; the clock may be set back in tests and demos).
    steps = sorted(objection.steps.all(), key=lambda step: step.pk)
    outcome_step = next((s for s in reversed(steps) if s.kind == StepKind.OUTCOME), None)
    override_step = None
    if outcome_step is not None:
        override_step = next(
            (s for s in reversed(steps) if s.kind == StepKind.OVERRIDE and s.pk > outcome_step.pk),
            None,
        )
    return Standing(
        accepted=objection.signed,
        outcome=outcome_step.outcome if outcome_step else Outcome.PENDING,
        overridden=override_step is not None,
        notes=[s for s in steps if s.kind == StepKind.NOTE],
        outcome_step=outcome_step,
        override_step=override_step,
    )


def _clean(value: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ObjectionRefused(f"{label}：不能超过 {limit} 字。")
    return value


def record_objection(  # noqa: PLR0917 - an objection's own fields, as received
    publicity: Publicity,
    application: Application | None,
    name: str,
    organisation: str,
    contact: str,
    content: str,
    received_on: dt.date | None,
    actor: User,
) -> Objection:
    """Record an objection as received; an unsigned or late one is marked 不予受理 with why."""
    denied = DECIDE.refusal(actor)
    if denied:
        raise ObjectionRefused(denied)
    if application is None or not publicity.items.filter(application=application).exists():
        raise ObjectionRefused("异议对象：请选择本次公示名单中的集群。")
    name = _clean(name, "异议人姓名", 50)
    organisation = _clean(organisation, "异议单位", MAX_SHORT)
    contact = _clean(contact, "联系方式", MAX_SHORT)
    content = _clean(content, "异议内容", MAX_TEXT)
    if not content:
        raise ObjectionRefused("异议内容：请填写异议的内容。")
    if received_on is None:
        raise ObjectionRefused("收到日期：请填写日期。")
    if received_on > today():
        raise ObjectionRefused("收到日期：不能晚于今天。")
    if received_on < publicity.starts_on:
        raise ObjectionRefused(
            f"收到日期：早于公示开始日期{chinese_date(publicity.starts_on)}，请核对。"
        )
    reasons = []
    if not name:
        reasons.append(ANONYMOUS)
    if not contact:
        reasons.append(NO_CONTACT)
    if received_on > publicity.ends_on:
        reasons.append(TOO_LATE)
    return Objection.objects.create(
        publicity=publicity,
        application=application,
        name=name,
        organisation=organisation,
        contact=contact,
        content=content,
        received_on=received_on,
        signed=not reasons,
        not_accepted_reason="".join(reasons),
        recorded_by=actor,
        recorded_at=clock.now(),
    )


def handle_objection(
    objection: Objection,
    actor: User,
    notes: str = "",
    outcome: str = Outcome.PENDING,
) -> list[ObjectionStep]:
    """Record investigation ``notes`` and/or the ``outcome`` (成立 / 不成立) of an accepted
    objection. An outcome needs notes saying what was found (the county may ask why)."""
    denied = DECIDE.refusal(actor)
    if denied:
        raise ObjectionRefused(denied)
    if not objection.signed:
        raise ObjectionRefused(f"该异议不予受理（{objection.not_accepted_reason}），无需处理。")
    if outcome not in Outcome.values:
        raise ObjectionRefused("处理结论：请选择“成立”或“不成立”。")
    notes = _clean(notes, "调查核实情况", MAX_TEXT)
    if not notes:
        raise ObjectionRefused("调查核实情况：请填写调查核实的情况。")
    steps = []
    with transaction.atomic():
        steps.append(
            ObjectionStep.objects.create(
                objection=objection,
                kind=StepKind.NOTE,
                text=notes,
                actor=actor,
                at=clock.now(),
            )
        )
        if outcome != Outcome.PENDING:
            steps.append(
                ObjectionStep.objects.create(
                    objection=objection,
                    kind=StepKind.OUTCOME,
                    outcome=outcome,
                    text=f"异议{Outcome(outcome).label}。",
                    actor=actor,
                    at=clock.now(),
                )
            )
    return steps


def override_objection(objection: Objection, actor: User, reason: str) -> ObjectionStep:
    """The city's recorded decision to certify despite an upheld objection (经会审研究仍予认定)."""
    denied = DECIDE.refusal(actor)
    if denied:
        raise ObjectionRefused(denied)
    if standing(objection).outcome != Outcome.UPHELD:
        raise ObjectionRefused("只有经调查成立的异议才需要记录会审研究决定。")
    reason = _clean(reason, "会审研究决定", MAX_TEXT)
    if not reason:
        raise ObjectionRefused("会审研究决定：请填写理由（如：经会审研究仍予认定，理由……）。")
    return ObjectionStep.objects.create(
        objection=objection,
        kind=StepKind.OVERRIDE,
        text=reason,
        actor=actor,
        at=clock.now(),
    )


def reject_proposed(application: Application, actor: User, reason: str) -> None:
    """不予认定 after the 公示 (e.g. an upheld objection): PROPOSED → REJECTED via the door."""
    if application.state != State.PROPOSED:
        raise ObjectionRefused(
            f"“{application}”当前为“{application.get_state_display()}”，不是拟认定。"
        )
    try:
        transition(application, State.REJECTED, actor, reason=reason)
    except TransitionRefused as refused:
        raise ObjectionRefused(refused.message) from refused


def objections_of(publicity: Publicity) -> list[tuple[Objection, Standing]]:
    found = (
        publicity.objections.select_related("application", "recorded_by")
        .prefetch_related("steps__actor")
        .order_by("received_on", "pk")
    )
    return [(objection, standing(objection)) for objection in found]


def blocking_objections(application: Application) -> list[tuple[Objection, Standing]]:
    found = application.objections.prefetch_related("steps")
    return [(o, s) for o in found if (s := standing(o)).blocking]
