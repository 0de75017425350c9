"""会审: the city records the meeting and, per application under review, 拟认定 or 不予认定.

``record_decision`` is the one door: it checks everything first (a choice departing from the
rank order needs a reason, a refusal needs the reason the county will read), then in one
transaction writes the ``Decision`` with its items and moves every application through
``workflow.transition`` — UNDER_REVIEW → PROPOSED, or → REJECTED with the refusal reason (the
county is notified by the workflow's own effects and reads the reason in its 办理记录; it never
sees ranks or scores). Any refusal leaves everything as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as State
from clusterdesk.declarations.workflow import TransitionRefused, transition
from clusterdesk.errors import DomainError
from clusterdesk.panel.departures import departures
from clusterdesk.publicity.domain.ranking import Row, rows_for
from clusterdesk.publicity.models import MAX_SHORT, MAX_TEXT, Decision, DecisionItem
from clusterdesk.publicity.permissions import DECIDE
from clusterdesk.rounds.models import Round


class DecisionRefused(DomainError):
    """The decision was not recorded; ``problems`` lists each reason (Chinese)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("会审决定未保存：" + "；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Choice:
    application_id: int
    proposed: bool
    reason: str = ""  # 不予认定理由: the county reads it
    departure_reason: str = ""  # why this choice departs from the rank order (minutes)


def name_of(row: Row) -> str:
    place = f"（第{row.rank}名）" if row.rank is not None else "（未排名）"
    return f"“{row.application}”{place}"


def problems_of(
    rows: list[Row],
    held_on: dt.date | None,
    members: str,
    minutes: str,
    choices: dict[int, Choice],
) -> list[str]:
    """Everything wrong with a decision, in page order; empty when it may be recorded."""
    problems = []
    today = clock.today()
    if held_on is None:
        problems.append("会审日期：请填写会审日期。")
    elif held_on > today:
        problems.append("会审日期：不能晚于今天。")
    if not members.strip():
        problems.append("参会人员：请填写参会人员。")
    elif len(members) > MAX_SHORT * 5:
        problems.append(f"参会人员：不能超过 {MAX_SHORT * 5} 字。")
    if not minutes.strip():
        problems.append("会议纪要：请填写会议纪要。")
    elif len(minutes) > MAX_TEXT:
        problems.append(f"会议纪要：不能超过 {MAX_TEXT} 字。")
    if not rows:
        problems.append("本轮次没有审核中的申报，无需会审。")
        return problems
    known = {row.application.pk for row in rows}
    if set(choices) - known:
        problems.append("所选申报不在本轮次审核中的名单内，请刷新页面后重试。")
    departing = departures(
        (row.application.pk, row.rank, _choice(choices, row).proposed) for row in rows
    )
    for row in rows:
        choice = _choice(choices, row)
        if len(choice.reason) > MAX_TEXT or len(choice.departure_reason) > MAX_TEXT:
            problems.append(f"{name_of(row)}：理由不能超过 {MAX_TEXT} 字。")
        if not choice.proposed and not choice.reason.strip():
            problems.append(f"{name_of(row)}：不予认定须填写理由（区县可见）。")
        if row.application.pk in departing and not choice.departure_reason.strip():
            what = "拟认定排名靠后的集群" if choice.proposed else "未拟认定排名靠前的集群"
            problems.append(f"{name_of(row)}：{what}，偏离排名顺序，须填写理由。")
    return problems


def _choice(choices: dict[int, Choice], row: Row) -> Choice:
    # A row the page sent nothing for is not proposed (an unticked box).
    return choices.get(row.application.pk) or Choice(row.application.pk, proposed=False)


def record_decision(  # noqa: PLR0917 - the meeting's own fields, as the brief names them
    round_: Round,
    held_on: dt.date | None,
    members: str,
    minutes: str,
    choices: Iterable[Choice],
    actor: User,
) -> Decision:
    """Record the 会审 of ``round_`` and move each application under review accordingly."""
    denied = DECIDE.refusal(actor)
    if denied:
        raise DecisionRefused([denied])
    chosen = {choice.application_id: choice for choice in choices}
    rows = rows_for(round_)
    problems = problems_of(rows, held_on, members, minutes, chosen)
    if problems:
        raise DecisionRefused(problems)
    departing = departures(
        (row.application.pk, row.rank, _choice(chosen, row).proposed) for row in rows
    )
    with transaction.atomic():
        decision = Decision.objects.create(
            round=round_,
            held_on=held_on,
            members=members.strip(),
            minutes=minutes.strip(),
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        for row in rows:
            choice = _choice(chosen, row)
            DecisionItem.objects.create(
                decision=decision,
                application=row.application,
                rank=row.rank,
                proposed=choice.proposed,
                reason="" if choice.proposed else choice.reason.strip(),
                departure_reason=(
                    choice.departure_reason.strip() if row.application.pk in departing else ""
                ),
            )
            target = State.PROPOSED if choice.proposed else State.REJECTED
            try:
                refusal_reason = "" if choice.proposed else choice.reason.strip()
                transition(row.application, target, actor, reason=refusal_reason)
            except TransitionRefused as refused:
                # Raised inside the atomic block: nothing of the decision stays.
                raise DecisionRefused([f"{name_of(row)}：{refused.message}"]) from refused
    return decision


def decisions_of(round_: Round) -> list[Decision]:
    return list(
        Decision.objects.filter(round=round_)
        .select_related("recorded_by")
        .prefetch_related("items__application")
        .order_by("-recorded_at", "-pk")
    )
