"""到期待复核: certifications whose validity ends within the coming year (or has ended), still
held (not revoked), not renewed by a 复核 already, and not under a 复核 now."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet

from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.registry.domain.registry import day_text, review_horizon
from clusterdesk.registry.models import Certification

State = ApplicationState
# A 复核 is under way while its application is under review or proposed (公示, 发文 to come).
OPEN_STATES = (State.UNDER_REVIEW, State.PROPOSED)


def _rows() -> QuerySet[Certification]:
    return (
        Certification.objects.select_related(
            "publication", "application__organisation", "application__round"
        )
        .defer("application__data")
        .annotate(cluster_name=F("application__listed_name"))
    )


def due_queryset(today: dt.date | None = None) -> QuerySet[Certification]:
    horizon = review_horizon(today or clock.today())
    return (
        _rows()
        .filter(
            valid_until__lt=horizon,
            application__state=State.CERTIFIED,
            renewed_by__isnull=True,
        )
        .exclude(recheck_cases__application__state__in=OPEN_STATES)
        .order_by("valid_until", "application__organisation__position", "pk")
    )


def due_certifications(today: dt.date | None = None) -> list[Certification]:
    return list(due_queryset(today))


def due_count(today: dt.date | None = None) -> int:
    return due_queryset(today).count()


def name_of(certification: Certification) -> str:
    name = getattr(certification, "cluster_name", None) or certification.application.listed_name
    return f"“{name or certification.application}”"


def open_case(certification: Certification):
    """The 复核 under way on ``certification``, or None."""
    return (
        certification.recheck_cases.filter(application__state__in=OPEN_STATES)
        .select_related("round")
        .first()
    )


def due_refusal(certification: Certification, today: dt.date | None = None) -> str | None:
    """Why ``certification`` may not be put under 复核 now (None: it may)."""
    today = today or clock.today()
    name = name_of(certification)
    state = certification.application.state
    if state == State.REVOKED:
        return f"{name}已撤销认定，不能复核。"
    if state != State.CERTIFIED:
        return f"{name}不是已认定的集群，不能复核。"
    renewal = Certification.objects.filter(renews=certification).first()
    if renewal is not None:
        return f"{name}已复核续期（有效期至{day_text(renewal.valid_until)}），不能再次复核。"
    under_way = open_case(certification)
    if under_way is not None:
        return f"{name}已在复核中（{under_way.round}），不能重复发起。"
    if certification.valid_until >= review_horizon(today):
        return (
            f"{name}的认定有效期至{day_text(certification.valid_until)}，不在复核期内"
            "（有效期届满前一年内方可复核）。"
        )
    return None
