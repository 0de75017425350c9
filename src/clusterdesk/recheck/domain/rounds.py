"""Opening a 复核 round: one ``Round`` of kind 复核 for the clusters chosen from the due list.

Each cluster becomes an application of the round, under review at once with the data its
certified declaration submitted (``declarations.domain.applications.create_for_recheck``), tied
to its certification by a ``RecheckCase``. From there the review machinery works unchanged:
phases, experts and conflicts, the score sheets — on the plan-completion rubric, set as the
round's rubric through scoring's own door —, the 会审, the 公示 and the 发文.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.applications import create_for_recheck
from clusterdesk.declarations.models import Application, Submission
from clusterdesk.errors import DomainError
from clusterdesk.notifications.domain import Message, county_officers, notify
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.panel.rubric import plan_completion_rubric
from clusterdesk.recheck.domain.due import due_refusal, name_of
from clusterdesk.recheck.models import RecheckCase
from clusterdesk.recheck.permissions import MANAGE
from clusterdesk.registry.domain.registry import day_text
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.enums import RoundAction, RoundKind, RoundStatus
from clusterdesk.rounds.models import Round, RoundEvent
from clusterdesk.scoring.domain.settings import update_settings

MAX_NAME = 50
MAX_CASES = 200


class RecheckRefused(DomainError):
    """The 复核 was not opened; ``problems`` lists each reason (Chinese)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("未发起复核：" + "；".join(problems))
        self.problems = problems


def default_name(today: dt.date | None = None) -> str:
    return f"{(today or clock.today()).year}年度到期复核"


def certified_data(certification: Certification) -> dict:
    """What the certified declaration submitted (its last snapshot; the form as it stands if
    none was kept)."""
    snapshot = (
        Submission.objects.filter(application_id=certification.application_id)
        .order_by("-submitted_at", "-pk")
        .values_list("data", flat=True)
        .first()
    )
    if isinstance(snapshot, dict):
        return snapshot
    data = Application.objects.filter(pk=certification.application_id).values_list(
        "data", flat=True
    )
    return dict(data.first() or {})


def _problems(name: str, certifications: list[Certification]) -> list[str]:
    problems = []
    if not name:
        problems.append("复核轮次名称：请填写，如“2026年度到期复核”。")
    elif len(name) > MAX_NAME:
        problems.append(f"复核轮次名称：不能超过 {MAX_NAME} 个字符。")
    elif Round.objects.filter(name=name).exists():
        problems.append(f"复核轮次名称：“{name}”已被使用，请换一个名称。")
    if not certifications:
        problems.append("请至少选择一个到期待复核的集群。")
    elif len(certifications) > MAX_CASES:
        problems.append(f"一次最多复核 {MAX_CASES} 个集群。")
    for certification in certifications:
        why = due_refusal(certification)
        if why:
            problems.append(why)
    versions = {c.application.round.form_version for c in certifications}
    if len(versions) > 1:
        problems.append(
            f"所选集群的申报表版本不同（{'、'.join(sorted(versions))}），请按版本分别发起复核。"
        )
    return problems


def open_recheck(
    name: str,
    certifications: Iterable[Certification],
    actor: User,
    *,
    at: dt.datetime | None = None,
) -> Round:
    """Open the 复核 round ``name`` for ``certifications`` (each due, see ``due_refusal``).
    All or nothing: ``RecheckRefused`` with every problem, nothing written. ``at``: the moment
    it happens (the clock stands there meanwhile, so "due" is judged on that day)."""
    if at is not None:
        with clock.frozen(at):
            return open_recheck(name, certifications, actor)
    denied = MANAGE.refusal(actor)
    if denied:
        raise RecheckRefused([denied])
    name = (name or "").strip()
    chosen = list(dict.fromkeys(c.pk for c in certifications))
    now = clock.now()
    with transaction.atomic():
        # Lock the certified applications: two officers opening a 复核 of one cluster at once
        # must not both succeed (the second finds it under 复核).
        list(
            Application.objects.select_for_update()
            .filter(certification__pk__in=chosen)
            .values("pk")
        )
        rows = list(
            Certification.objects.select_related(
                "publication", "application__organisation", "application__round"
            )
            .defer("application__data")
            .filter(pk__in=chosen)
            .order_by("application__organisation__position", "pk")
        )
        problems = _problems(name, rows)
        if problems:
            raise RecheckRefused(problems)
        source = rows[0].application.round
        round_ = Round.objects.create(
            name=name,
            kind=RoundKind.RECHECK,
            first_data_year=source.first_data_year,
            last_data_year=source.last_data_year,
            reference_date=source.reference_date,
            opens_at=now,
            submission_deadline=now,
            form_version=source.form_version,
            criteria_profile=source.criteria_profile,
            criteria_thresholds=dict(source.criteria_thresholds or {}),
            # Nobody submits into a 复核: the clusters are under review from the start.
            status=RoundStatus.CLOSED,
        )
        RoundEvent.objects.create(
            round=round_,
            action=RoundAction.CREATED,
            actor=actor,
            note=f"发起复核：{len(rows)} 个到期集群。",
            at=now,
        )
        update_settings(round_, actor, rubric=plan_completion_rubric().model_dump(mode="json"))
        for certification in rows:
            _open_case(round_, certification, actor, now)
    return round_


def _open_case(
    round_: Round, certification: Certification, actor: User, now: dt.datetime
) -> RecheckCase:
    reason = (
        f"认定有效期至{day_text(certification.valid_until)}（"
        f"{certification.publication.document_number}），进入{round_}。"
    )
    with clock.frozen(now):
        application = create_for_recheck(
            round_=round_,
            organisation=certification.application.organisation,
            data=certified_data(certification),
            actor=actor,
            reason=reason,
        )
    case = RecheckCase.objects.create(
        round=round_,
        application=application,
        certification=certification,
        opened_by=actor,
        opened_at=now,
    )
    notify(
        county_officers(application.organisation_id),
        Message(
            NotificationKind.RECHECK,
            f"{name_of(certification)}进入复核",
            f"{name_of(certification)}的认定有效期至{day_text(certification.valid_until)}，"
            f"市经信局已发起复核（{round_}）：专家将对照三年行动计划和年度发展情况报告评审，"
            "请做好现场答辩和实地核查的准备。",
            reverse("form:timeline", kwargs={"pk": application.pk}),
        ),
        application,
    )
    return case
