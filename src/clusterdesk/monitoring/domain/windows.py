"""The year's annual round (年度发展情况报告) and its reporting window.

One round per reported year: kind annual, form ``annual-2024``, its data year the reported year;
the window (``opens_at`` … ``submission_deadline``) by default 1 January – 30 March 23:59 of the
following year, as the notice requires. Creation and changes of the window are recorded as the
round's events (``RoundEvent``), like every other change to a round.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.errors import DomainError
from clusterdesk.form.annual.version import ANNUAL_2024
from clusterdesk.monitoring.permissions import MANAGE
from clusterdesk.rounds.enums import RoundAction, RoundKind, RoundStatus
from clusterdesk.rounds.models import Round, RoundEvent

FORM_VERSION = ANNUAL_2024.id


def round_name(year: int) -> str:
    return f"{year}年度发展情况报告"


def default_window(year: int) -> tuple[dt.datetime, dt.datetime]:
    """1 January 00:00 – 30 March 23:59 of ``year`` + 1, local time."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime(year + 1, 1, 1, 0, 0, tzinfo=zone),
        dt.datetime(year + 1, 3, 30, 23, 59, tzinfo=zone),
    )


def annual_rounds():
    return Round.objects.filter(kind=RoundKind.ANNUAL)


def annual_round_of(year: int) -> Round | None:
    return annual_rounds().filter(last_data_year=year).order_by("pk").first()


def window_text(round_: Round) -> str:
    opens = timezone.localtime(round_.opens_at) if round_.opens_at else None
    closes = timezone.localtime(round_.submission_deadline)
    start = f"{opens:%Y-%m-%d %H:%M}" if opens else "即日"
    return f"{start} 至 {closes:%Y-%m-%d %H:%M}"


def window_open(round_: Round, now: dt.datetime | None = None) -> bool:
    now = now or clock.now()
    return (
        round_.status == RoundStatus.OPEN
        and (round_.opens_at is None or round_.opens_at <= now)
        and now <= round_.submission_deadline
    )


def _window_problem(opens_at: dt.datetime | None, closes_at: dt.datetime | None) -> str | None:
    if closes_at is None:
        return "请填写填报截止时间。"
    if opens_at is not None and closes_at <= opens_at:
        return "填报截止时间必须晚于开始填报时间。"
    return None


def open_refusal(year: object, actor: User) -> str | None:
    problem = MANAGE.refusal(actor)
    if problem:
        return problem
    if not isinstance(year, int) or isinstance(year, bool):
        return "请填写报告年度（如 2023）。"
    if year not in ANNUAL_2024.data_years:
        years = "、".join(str(y) for y in ANNUAL_2024.data_years)
        return (
            f"报告年度{year}年不在年度发展情况报告表（{FORM_VERSION}）适用的年度（{years}）之内。"
        )
    if annual_round_of(year) is not None or Round.objects.filter(name=round_name(year)).exists():
        return f"{year}年度发展情况报告的填报轮次已经建立，不能重复建立。"
    return None


def open_annual_round(
    year: int,
    *,
    actor: User,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> Round:
    """Create the annual round of ``year`` with its window (default 1 Jan – 30 Mar of year+1)."""
    problem = open_refusal(year, actor)
    if problem:
        raise DomainError(problem)
    default_opens, default_closes = default_window(year)
    opens_at = opens_at or default_opens
    closes_at = closes_at or default_closes
    problem = _window_problem(opens_at, closes_at)
    if problem:
        raise DomainError(problem)
    try:
        with transaction.atomic():
            round_ = Round.objects.create(
                name=round_name(year),
                kind=RoundKind.ANNUAL,
                first_data_year=year,
                last_data_year=year,
                reference_date=dt.date(year, 12, 31),
                opens_at=opens_at,
                submission_deadline=closes_at,
                form_version=FORM_VERSION,
                status=RoundStatus.OPEN,
            )
            RoundEvent.objects.create(
                round=round_,
                action=RoundAction.CREATED,
                actor=actor,
                note=f"建立{round_name(year)}填报轮次，填报时间{window_text(round_)}",
            )
    except IntegrityError:
        raise DomainError(f"{year}年度发展情况报告的填报轮次已经建立，不能重复建立。") from None
    return round_


def change_window(
    round_: Round, *, opens_at: dt.datetime | None, closes_at: dt.datetime | None, actor: User
) -> Round:
    """Move the window of an annual round; recorded as the round's event."""
    problem = MANAGE.refusal(actor)
    if problem:
        raise DomainError(problem)
    if round_.kind != RoundKind.ANNUAL:
        raise DomainError(f"“{round_}”不是年度发展情况报告的填报轮次。")
    problem = _window_problem(opens_at, closes_at)
    if problem:
        raise DomainError(problem)
    with transaction.atomic():
        before = window_text(round_)
        round_.opens_at = opens_at
        round_.submission_deadline = closes_at
        round_.save(update_fields=["opens_at", "submission_deadline"])
        RoundEvent.objects.create(
            round=round_,
            action=RoundAction.UPDATED,
            actor=actor,
            note=f"填报时间由{before}改为{window_text(round_)}",
        )
    return round_
