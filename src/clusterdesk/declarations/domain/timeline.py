"""The life of an application as its county sees it: every state change (submitted, returned with
the city's reason, resubmitted, deleted, restored …) with who, when and why, and the snapshot each
submission took. Read from the append-only ``ApplicationEvent`` (and ``Submission``) in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, ApplicationEvent

State = ApplicationState

# What an event means to the county, by its move; a move not listed says “原状态 → 新状态”.
WHAT: dict[tuple[str, str], str] = {
    ("", State.DRAFT): "新建草稿",
    (State.DRAFT, State.SUBMITTED): "提交",
    (State.RETURNED, State.SUBMITTED): "重新提交",
    (State.SUBMITTED, State.RETURNED): "退回修改",
    (State.UNDER_REVIEW, State.RETURNED): "退回修改",
    (State.SUBMITTED, State.UNDER_REVIEW): "受理审核",
    (State.UNDER_REVIEW, State.PROPOSED): "拟认定（公示）",
    (State.UNDER_REVIEW, State.REJECTED): "不予认定",
    (State.PROPOSED, State.CERTIFIED): "认定",
    (State.PROPOSED, State.REJECTED): "不予认定",
    (State.PROPOSED, State.UNDER_REVIEW): "撤回拟认定",
    (State.CERTIFIED, State.REVOKED): "撤销认定",
    (State.DRAFT, State.DELETED): "删除草稿",
    (State.DELETED, State.DRAFT): "恢复草稿",
}


@dataclass(frozen=True)
class SubmissionNote:
    pk: int
    data_sha256: str
    application_version: int
    evidence_files: int


@dataclass(frozen=True)
class TimelineEntry:
    """One state change: what happened, who (unit and name), when, why."""

    what: str
    from_state: str
    to_state: str
    unit: str
    actor: str
    at: dt.datetime
    reason: str
    submission: SubmissionNote | None = None

    @property
    def who(self) -> str:
        """宁波市经济和信息化局 · 王五 (the unit first: a county knows the city, not its staff)."""
        return " · ".join(part for part in (self.unit, self.actor) if part)

    @property
    def state_label(self) -> str:
        return State(self.to_state).label


def _actor_name(user) -> str:
    return user.get_full_name() or user.username


def _entry(event: ApplicationEvent) -> TimelineEntry:
    submission = getattr(event, "submission", None)
    note = None
    if submission is not None:
        note = SubmissionNote(
            pk=submission.pk,
            data_sha256=submission.data_sha256,
            application_version=submission.application_version,
            evidence_files=len(submission.evidence or []),
        )
    source, target = event.from_state, event.to_state
    what = WHAT.get((source, target))
    if what is None:
        what = f"{State(source).label if source else '新建'} → {State(target).label}"
    actor = event.actor
    return TimelineEntry(
        what=what,
        from_state=source,
        to_state=target,
        unit=str(actor.organisation) if actor.organisation_id else "",
        actor=_actor_name(actor),
        at=event.at,
        reason=event.reason,
        submission=note,
    )


def _events():
    # The submission's data (the whole form) is not needed for the timeline: only its hash.
    return ApplicationEvent.objects.select_related("actor__organisation", "submission").defer(
        "submission__data"
    )


def timeline(application: Application) -> list[TimelineEntry]:
    """Every state change of ``application``, oldest first (one query)."""
    return [
        _entry(event) for event in _events().filter(application=application).order_by("at", "pk")
    ]


def latest_arrivals(applications: Iterable[Application], *states: str) -> dict[int, TimelineEntry]:
    """For each application now in one of ``states``, the event that put it there (one query
    for all): the return with the city's reason for 已退回, the deletion for 已删除."""
    current = {app.pk: app.state for app in applications if app.state in states}
    if not current:
        return {}
    latest: dict[int, TimelineEntry] = {}
    events = _events().filter(application_id__in=list(current), to_state__in=list(states))
    for event in events.order_by("at", "pk"):
        if event.to_state == current[event.application_id]:
            latest[event.application_id] = _entry(event)  # later events overwrite earlier ones
    return latest


def latest_returns(applications: Iterable[Application]) -> dict[int, TimelineEntry]:
    """For each application now 已退回, the return that put it there (one query for all)."""
    return latest_arrivals(applications, State.RETURNED)


def latest_return(application: Application) -> TimelineEntry | None:
    """The city's latest return of ``application`` while it is 已退回 (reason, who, when)."""
    return latest_returns([application]).get(application.pk)
