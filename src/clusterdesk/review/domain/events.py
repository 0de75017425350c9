"""The one place review changes are recorded (``ReviewEvent``), and the actor checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from clusterdesk.accounts.models import User
from clusterdesk.accounts.permissions import refusal
from clusterdesk.declarations import clock
from clusterdesk.errors import DomainError
from clusterdesk.review.models import ReviewEvent


def check(rule_name: str, actor: User) -> None:
    """Refuse with the rule's Chinese reason unless ``actor`` may."""
    problem = refusal(rule_name, actor)
    if problem:
        raise DomainError(problem)


def record(
    action: str,
    actor: User,
    *,
    round_=None,
    phase=None,
    application=None,
    expert=None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> ReviewEvent:
    detail = dict(detail or {})
    if phase is not None:
        round_ = round_ or phase.round
        # A phase may be removed later; its events still say which it was.
        detail.setdefault("phase_name", phase.name)
    return ReviewEvent.objects.create(
        round=round_,
        phase=phase,
        application=application,
        expert=expert,
        actor=actor,
        action=action,
        reason=reason,
        detail=detail,
        at=at or clock.now(),
    )


def required_reason(reason: str | None, what: str = "理由", limit: int = 300) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(f"请填写{what}。")
    if len(text) > limit:
        raise DomainError(f"{what}不能超过 {limit} 个字。")
    return text
