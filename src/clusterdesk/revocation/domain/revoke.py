"""撤销认定: the city revokes a certification, with its reason class, reason, 文号 and date.

``revoke`` is the one door: the application moves 已认定 → 已撤销 through
``workflow.transition`` (its event's reason is "【类别】理由（文号）"), the ``Revocation`` is
written with that event and the county is notified, in one transaction. Any refusal leaves
everything as it was and says why in Chinese. The certification, its 发文 and the
application's history stay as they were: the registry shows the cluster as 已撤销, the public
list drops it.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import TransitionRefused, transition
from clusterdesk.errors import DomainError
from clusterdesk.notifications.domain import Message, county_officers, notify
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.registry.domain.numbers import clean_number, number_key
from clusterdesk.registry.domain.registry import day_text
from clusterdesk.registry.models import Certification, Publication
from clusterdesk.revocation.domain.guard import revoking
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.revocation.models import Revocation
from clusterdesk.revocation.permissions import MANAGE

State = ApplicationState
MAX_NUMBER = 60
MAX_REASON = 2000
NO_CLASS = "撤销原因类别：请选择撤销原因类别。"


def reason_class_of(value: object) -> RevocationReason:
    """The class ``value`` names (a member, its value or its label), or ``DomainError``."""
    text = str(value.value if isinstance(value, RevocationReason) else value or "").strip()
    if not text:
        raise DomainError(NO_CLASS)
    for member in RevocationReason:
        if text in (member.value, member.label):
            return member
    raise DomainError(f"撤销原因类别：“{text[:20]}”不是可选的类别，请从列表中选择。")


def revocation_refusal(certification: Certification, actor: User | None = None) -> str | None:
    """Why ``certification`` cannot be revoked now (by ``actor``, if given), or None."""
    if actor is not None:
        problem = MANAGE.refusal(actor)
        if problem:
            return problem
    found = (
        Application.objects.filter(pk=certification.application_id)
        .values_list("listed_name", "state")
        .first()
    )
    listed, state = found or ("", "")
    name = listed or "该集群"
    done = Revocation.objects.filter(certification=certification).first()
    if done is not None:
        return (
            f"“{name}”的认定已于{day_text(done.decided_on)}撤销（{done.document_number}），"
            "不能重复撤销。"
        )
    if state == State.REVOKED:
        return f"“{name}”已撤销认定，不能重复撤销。"
    if state != State.CERTIFIED:
        label = State(state).label if state in State.values else "未知"
        return f"“{name}”当前为“{label}”，只有已认定的集群可以撤销认定。"
    successor = Certification.objects.filter(renews=certification).first()
    if successor is not None:
        return (
            f"“{name}”的这次认定已经复核续期（{successor.publication.document_number}），"
            "请撤销续期后的认定。"
        )
    return None


def _duplicate(number: str) -> str | None:
    key = number_key(number)
    earlier = Revocation.objects.filter(number_key=key).first()
    if earlier is not None:
        return (
            f"撤销文号：“{number}”已被使用（{earlier.document_number}，"
            f"{day_text(earlier.decided_on)}决定），不能重复。"
        )
    publication = Publication.objects.filter(number_key=key).first()
    if publication is not None:
        return (
            f"撤销文号：“{number}”已是认定文件的文号（{publication.document_number}，"
            f"{day_text(publication.issued_on)}发文），不能重复。"
        )
    return None


def check(
    certification: Certification, *, reason_class, reason, document_number, decided_on
) -> tuple[RevocationReason, str, str]:
    """The inputs cleaned (class, reason, 文号), or ``DomainError`` naming the field."""
    kind = reason_class_of(reason_class)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("撤销理由：请填写撤销的事实和依据。")
    if len(reason) > MAX_REASON:
        raise DomainError(f"撤销理由：不能超过 {MAX_REASON} 个字符。")
    number = clean_number(document_number or "")
    if not number:
        raise DomainError("撤销文号：请填写撤销决定的文号，如“甬经信中小〔2024〕5号”。")
    if len(number) > MAX_NUMBER:
        raise DomainError(f"撤销文号：不能超过 {MAX_NUMBER} 个字符。")
    if not isinstance(decided_on, dt.date) or isinstance(decided_on, dt.datetime):
        raise DomainError("决定日期：请填写有效的日期。")
    today = clock.today()
    if decided_on > today:
        raise DomainError(f"决定日期：不能晚于今天（{day_text(today)}）。")
    if decided_on < certification.valid_from:
        raise DomainError(
            f"决定日期：不能早于认定发文日期（{day_text(certification.valid_from)}）。"
        )
    duplicate = _duplicate(number)
    if duplicate:
        raise DomainError(duplicate)
    return kind, reason, number


def event_reason(kind: RevocationReason, reason: str, number: str) -> str:
    """What the application's history says of the move 已认定 → 已撤销."""
    return f"【{kind.label}】{reason}（{number}）"


def revoke(
    certification: Certification,
    *,
    reason_class: RevocationReason | str,
    reason: str,
    document_number: str,
    decided_on: dt.date,
    actor: User,
) -> Revocation:
    """Revoke ``certification`` by the decision ``document_number`` of ``decided_on`` (see the
    module). Raises ``DomainError`` (Chinese) and changes nothing when any input or rule fails."""
    problem = revocation_refusal(certification, actor)
    if problem:
        raise DomainError(problem)
    kind, reason, number = check(
        certification,
        reason_class=reason_class,
        reason=reason,
        document_number=document_number,
        decided_on=decided_on,
    )
    try:
        with transaction.atomic():
            application = (
                Application.objects.select_related("organisation", "round")
                .defer("data")
                .get(pk=certification.application_id)
            )
            # The workflow locks the row and checks again that it is still 已认定; its guard
            # (domain/guard.py) lets the move through only here, where the decision is recorded.
            with revoking(application.pk):
                event = transition(
                    application, State.REVOKED, actor, reason=event_reason(kind, reason, number)
                )
            revocation = Revocation.objects.create(
                certification=certification,
                reason_class=kind,
                reason=reason,
                document_number=number,
                number_key=number_key(number),
                decided_on=decided_on,
                event=event,
                recorded_by=actor,
            )
            _notify(revocation, application)
    except TransitionRefused as refused:
        # Two officers at the same moment: the second waited for the first's row lock and finds
        # the application moved on; say it is revoked already (with which 文号) if so.
        raise DomainError(revocation_refusal(certification) or refused.message) from refused
    except IntegrityError as clash:
        # Two officers at the same moment: the same 文号, or the same certification.
        problem = _duplicate(number) or revocation_refusal(certification)
        if problem:
            raise DomainError(problem) from clash
        raise
    cached = certification._state.fields_cache.get("application")
    if cached is not None:
        cached.state, cached.version = application.state, application.version
    return revocation


def _notify(revocation: Revocation, application: Application) -> None:
    name = f"“{application.listed_name or application.organisation}”"
    notify(
        county_officers(application.organisation_id),
        Message(
            NotificationKind.REVOKED,
            f"集群{name}已被撤销认定",
            f"市经信局以{revocation.document_number}决定撤销{application.organisation}申报的"
            f"集群{name}的认定（撤销原因类别：{revocation.get_reason_class_display()}）。\n"
            f"撤销理由：{revocation.reason}\n可在详情页下载撤销认定通报。",
            reverse("revocation:detail", kwargs={"pk": revocation.pk}),
        ),
        application,
    )
