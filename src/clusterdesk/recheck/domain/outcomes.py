"""The outcomes of a 复核 besides 通过.

通过 is the review machinery's own chain on the 复核 round: the 会审 proposes the cluster, the 公示
runs, the 发文 certifies it again — registry.publish asks ``renewal_terms`` (registered in
``registry.domain.publish.TERMS_FROM_ABOVE``), so the new certification renews the old one.

限期整改 (``order_rectification``): a deadline and the requirements, the county notified; the case
stays under review but out of the 会审 (``held_out``, registered in publicity's
``HELD_FROM_ABOVE``) until the city records the follow-up after the deadline
(``record_follow_up``): rectified — back to the 会审 —, or not — 撤销.

撤销 (``revoke_case``): the revocation app revokes the old certification (class 复核未通过, with
its 文号) and the 复核's application moves to 不予认定, in one transaction. A 复核 is refused
only this way (``refuse_only_by_revocation`` guards the workflow's 不予认定 on 复核 rounds), so a
failed 复核 never leaves a cluster certified.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import TransitionRefused, transition
from clusterdesk.errors import DomainError
from clusterdesk.notifications.domain import Message, county_officers, notify
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.recheck.domain.due import OPEN_STATES, name_of
from clusterdesk.recheck.models import RecheckCase, RecheckStep, StepKind
from clusterdesk.recheck.permissions import MANAGE
from clusterdesk.registry.domain.registry import day_text
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round

State = ApplicationState
MAX_TEXT = 2000


class OutcomeRefused(DomainError):
    """The decision was not recorded; the message names the field (Chinese)."""


# --- where a case stands -----------------------------------------------------------------------


def last_step(case: RecheckCase) -> RecheckStep | None:
    return case.steps.order_by("-recorded_at", "-pk").first()


def rectifying(case: RecheckCase) -> RecheckStep | None:
    """The 限期整改 the case is under now (no follow-up recorded since), or None."""
    step = last_step(case)
    return step if step is not None and step.kind == StepKind.RECTIFY else None


def status_text(case: RecheckCase, step: RecheckStep | None = None) -> str:
    state = case.application.state
    step = step if step is not None else last_step(case)
    if state == State.CERTIFIED:
        return "复核通过，已续期"
    if state == State.REJECTED:
        return "复核不通过，已撤销认定"
    if state == State.PROPOSED:
        return "会审通过，公示、发文中"
    if step is not None and step.kind == StepKind.RECTIFY:
        return f"限期整改中（期限至{day_text(step.deadline)}）"
    if step is not None and step.kind == StepKind.FOLLOW_UP_PASSED:
        return "整改复查通过，待会审"
    return "复核评审中"


def held_out(round_: Round) -> set[int]:
    """The applications of 复核 round ``round_`` under 限期整改 now: not for the 会审 yet."""
    if round_.kind != RoundKind.RECHECK:
        return set()
    held = set()
    cases = RecheckCase.objects.filter(round=round_, application__state=State.UNDER_REVIEW)
    for case in cases.prefetch_related("steps"):
        steps = sorted(case.steps.all(), key=lambda s: (s.recorded_at, s.pk))
        if steps and steps[-1].kind == StepKind.RECTIFY:
            held.add(case.application_id)
    return held


# --- hooks -------------------------------------------------------------------------------------


def renewal_terms(application: Application, issued_on: dt.date) -> dict | None:
    """registry.publish's hook: a 复核 passed renews the certification it re-examined, from the
    day after that one ends (continuous validity), or from the 发文 if that comes later."""
    case = (
        RecheckCase.objects.filter(application_id=application.pk)
        .select_related("certification")
        .first()
    )
    if case is None:
        return None
    old = case.certification
    return {"renews": old, "valid_from": max(old.valid_until + dt.timedelta(days=1), issued_on)}


def refuse_only_by_revocation(application: Application, actor: User) -> str | None:
    """workflow guard on → 不予认定 in a 复核 round: only ``revoke_case`` refuses a 复核."""
    if application.round.kind != RoundKind.RECHECK:
        return None
    case = RecheckCase.objects.filter(application_id=application.pk).first()
    if case is None:
        return None
    if case.steps.filter(kind=StepKind.REVOKED).exists():
        return None
    return "复核不通过须撤销认定：请在“复核”页面填写撤销理由和撤销文号办理。"


# --- the doors ---------------------------------------------------------------------------------


def _check_actor(actor: User) -> None:
    denied = MANAGE.refusal(actor)
    if denied:
        raise OutcomeRefused(denied)


def _text(value: str, label: str, hint: str) -> str:
    value = (value or "").strip()
    if not value:
        raise OutcomeRefused(f"{label}：{hint}")
    if len(value) > MAX_TEXT:
        raise OutcomeRefused(f"{label}：不能超过 {MAX_TEXT} 字。")
    return value


def _locked(case: RecheckCase) -> RecheckCase:
    """The case with its application row locked (inside a transaction)."""
    Application.objects.select_for_update().filter(pk=case.application_id).values("pk").first()
    return RecheckCase.objects.select_related(
        "application", "application__round", "application__organisation", "certification"
    ).get(pk=case.pk)


def order_rectification(
    case: RecheckCase, *, deadline: dt.date | None, requirements: str, actor: User
) -> RecheckStep:
    """限期整改: the case waits, out of the 会审, until the follow-up after ``deadline``."""
    _check_actor(actor)
    if not isinstance(deadline, dt.date):
        raise OutcomeRefused("整改期限：请填写有效的日期。")
    if deadline <= clock.today():
        raise OutcomeRefused("整改期限：应晚于今天。")
    requirements = _text(requirements, "整改要求", "请填写整改要求（区县可见）。")
    with transaction.atomic():
        case = _locked(case)
        name = name_of(case.certification)
        if case.application.state != State.UNDER_REVIEW:
            raise OutcomeRefused(f"{name}已不在复核评审中（{status_text(case)}），不能责令整改。")
        current = rectifying(case)
        if current is not None:
            raise OutcomeRefused(
                f"{name}已在限期整改中（期限至{day_text(current.deadline)}），"
                "请在期满后记录复查结果。"
            )
        step = RecheckStep.objects.create(
            case=case,
            kind=StepKind.RECTIFY,
            deadline=deadline,
            text=requirements,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        notify(
            county_officers(case.application.organisation_id),
            Message(
                NotificationKind.RECTIFICATION,
                f"{name}复核：限期整改",
                f"经复核，{name}须在{day_text(deadline)}前完成整改，期满后市经信局复查。\n"
                f"整改要求：{requirements}",
                reverse("form:timeline", kwargs={"pk": case.application_id}),
            ),
            case.application,
        )
    return step


def record_follow_up(
    case: RecheckCase,
    *,
    passed: bool,
    note: str,
    actor: User,
    document_number: str = "",
    decided_on: dt.date | None = None,
) -> RecheckStep:
    """The follow-up of a 限期整改 after its deadline: rectified (back to the 会审), or not
    (撤销, with the revocation's 文号 and date)."""
    _check_actor(actor)
    note = _text(note, "复查情况", "请填写整改复查情况。")
    current = rectifying(case)
    name = name_of(case.certification)
    if current is None:
        raise OutcomeRefused(f"{name}不在限期整改中，无需复查。")
    if clock.today() < current.deadline:
        raise OutcomeRefused(
            f"{name}的整改期限至{day_text(current.deadline)}，期满后方可记录复查结果。"
        )
    if not passed:
        return revoke_case(
            case,
            reason=f"限期整改期满复查未通过：{note}",
            document_number=document_number,
            decided_on=decided_on,
            actor=actor,
        )
    with transaction.atomic():
        case = _locked(case)
        if rectifying(case) is None or case.application.state != State.UNDER_REVIEW:
            raise OutcomeRefused(f"{name}的复查结果已由他人记录，请刷新页面。")
        return RecheckStep.objects.create(
            case=case,
            kind=StepKind.FOLLOW_UP_PASSED,
            text=note,
            recorded_by=actor,
            recorded_at=clock.now(),
        )


def revoke_case(
    case: RecheckCase,
    *,
    reason: str,
    document_number: str,
    decided_on: dt.date | None,
    actor: User,
) -> RecheckStep:
    """撤销: the old certification revoked (复核未通过) and the 复核 refused, all or nothing."""
    from clusterdesk.revocation.domain import revoke  # noqa: PLC0415 - built alongside
    from clusterdesk.revocation.enums import RevocationReason  # noqa: PLC0415

    _check_actor(actor)
    reason = _text(reason, "撤销理由", "请填写复核不通过、撤销认定的理由（区县可见）。")
    if not (document_number or "").strip():
        raise OutcomeRefused("撤销文号：请填写撤销认定文件的文号。")
    if not isinstance(decided_on, dt.date):
        raise OutcomeRefused("决定日期：请填写有效的日期。")
    with transaction.atomic():
        case = _locked(case)
        name = name_of(case.certification)
        if case.application.state not in OPEN_STATES:
            raise OutcomeRefused(f"{name}的复核已办结（{status_text(case)}），不能撤销。")
        step = RecheckStep.objects.create(
            case=case,
            kind=StepKind.REVOKED,
            text=reason,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        revocation = revoke(
            case.certification,
            reason_class=RevocationReason.RECHECK_FAILED,
            reason=reason,
            document_number=document_number,
            decided_on=decided_on,
            actor=actor,
        )
        try:
            transition(
                case.application,
                State.REJECTED,
                actor,
                reason=f"复核不通过，撤销认定（{revocation.document_number}）：{reason}",
            )
        except TransitionRefused as refused:
            raise OutcomeRefused(f"{name}：{refused.message}") from refused
    return step
