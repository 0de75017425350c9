"""发文: after the 公示, the city certifies 拟认定 applications with one document (文号, date).

``publish`` is the one door: every application moves PROPOSED → CERTIFIED through
``workflow.transition`` (so the publicity app's guard — 公示 ended, objections handled — applies)
and the Publication and Certifications are written in the same transaction. Any refusal leaves
everything as it was and says why in Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.fields.json import KT

from clusterdesk.accounts.models import User
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import TransitionRefused, refusal, transition
from clusterdesk.errors import DomainError
from clusterdesk.registry.domain.numbers import clean_number, number_key
from clusterdesk.registry.domain.settings import registry_settings, validity
from clusterdesk.registry.models import Certification, Publication
from clusterdesk.registry.permissions import MANAGE
from clusterdesk.rounds.models import Round

State = ApplicationState
MAX_NUMBER = 60
# One document certifies a round's clusters; a few hundred at most.
MAX_APPLICATIONS = 500

# Apps above may set a new certification's terms (registered in their AppConfig.ready): called
# with the application and the 发文 date, each returns None or ``{"renews": the Certification this
# one renews, "valid_from": the first day of validity}`` (the recheck app: a 复核 passed).
Terms = Callable[[Application, dt.date], dict | None]
TERMS_FROM_ABOVE: list[Terms] = []


def terms_of(application: Application, issued_on: dt.date) -> dict:
    for hook in TERMS_FROM_ABOVE:
        terms = hook(application, issued_on)
        if terms:
            return terms
    return {}


@dataclass(frozen=True)
class Candidate:
    application: Application
    refusal: str | None  # why it may not be certified now, None if it may


def proposed(round_: Round):
    """The round's 拟认定 applications, without their form data (names from their columns)."""
    return (
        Application.objects.filter(round=round_, state=State.PROPOSED)
        .select_related("organisation", "round")
        .defer("data")
        .annotate(json_cluster_name=F("listed_name"))
        .order_by("organisation__position", "organisation_id", "pk")
    )


def candidates(round_: Round, actor: User) -> list[Candidate]:
    """Each 拟认定 application of the round with why ``actor`` may not certify it now."""
    return [
        Candidate(application, refusal(application, State.CERTIFIED, actor))
        for application in proposed(round_)
    ]


def existing_publication(document_number: str) -> Publication | None:
    return Publication.objects.filter(number_key=number_key(document_number)).first()


def _duplicate(number: str, existing: Publication) -> str:
    return (
        f"文号“{number}”已被使用（{existing.document_number}，"
        f"{existing.issued_on:%Y年%m月%d日}发文），不能重复。"
    )


def _check(round_: Round, applications: Sequence[Application], number: str, issued_on) -> None:
    if not number:
        raise DomainError("文号：请填写认定文件的文号，如“甬经信中小〔2023〕12号”。")
    if len(number) > MAX_NUMBER:
        raise DomainError(f"文号：不能超过 {MAX_NUMBER} 个字符。")
    if not isinstance(issued_on, dt.date):
        raise DomainError("发文日期：请填写有效的日期。")
    if not applications:
        raise DomainError("请至少选择一个拟认定的集群。")
    if len(applications) > MAX_APPLICATIONS:
        raise DomainError(f"一次发文最多认定 {MAX_APPLICATIONS} 个集群。")
    for application in applications:
        if application.round_id != round_.pk:
            raise DomainError(f"“{application}”不属于“{round_}”，不能在本轮次发文认定。")
    existing = existing_publication(number)
    if existing is not None:
        raise DomainError(_duplicate(number, existing))


def publish(
    round_: Round,
    applications: Iterable[Application],
    document_number: str,
    issued_on: dt.date,
    actor: User,
) -> Publication:
    """Certify ``applications`` (拟认定, of ``round_``) by the document ``document_number`` of
    ``issued_on``; valid from that day for the round's validity years. All or nothing."""
    problem = MANAGE.refusal(actor)
    if problem:
        raise DomainError(problem)
    applications = list(dict.fromkeys(applications))
    number = clean_number(document_number)
    _check(round_, applications, number, issued_on)
    years = registry_settings(round_).validity_years
    leading = stated_industries(applications)
    before = [(application.state, application.version) for application in applications]
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                round=round_,
                document_number=number,
                number_key=number_key(number),
                issued_on=issued_on,
                recorded_by=actor,
            )
            for application in applications:
                try:
                    transition(application, State.CERTIFIED, actor)
                except TransitionRefused as refused:
                    raise DomainError(
                        f"“{application}”不能认定：{refused.message}本次发文未登记，所有集群均未认定。"
                    ) from refused
                terms = terms_of(application, issued_on)
                valid_from = terms.get("valid_from", issued_on)
                Certification.objects.create(
                    application=application,
                    publication=publication,
                    valid_from=valid_from,
                    valid_until=validity(valid_from, years),
                    leading_industry=leading.get(application.pk, ""),
                    renews=terms.get("renews"),
                )
    except IntegrityError as clash:
        _restore(applications, before)
        # Two officers registering the same 文号 at the same moment: the second is told.
        existing = existing_publication(number)
        if existing is not None:
            raise DomainError(_duplicate(number, existing)) from clash
        raise
    except DomainError:
        _restore(applications, before)
        raise
    return publication


def stated_industries(applications: Sequence[Application]) -> dict[int, str]:
    """Each application's 主导产业 (Attachment 1) read out in SQL: the forms stay unloaded."""
    found = Application.objects.filter(pk__in=[app.pk for app in applications]).values_list(
        "pk", KT("data__attachment1__leading_industry")
    )
    return {pk: (value or "").strip()[:100] for pk, value in found}


def _restore(applications: Sequence[Application], before) -> None:
    """The caller's objects as the database has them again after the rollback."""
    for application, (state, version) in zip(applications, before, strict=True):
        application.state, application.version = state, version
