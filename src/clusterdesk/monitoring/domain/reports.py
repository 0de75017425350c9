"""Annual reports of certified clusters: starting one, filling, the city's return and accept,
and the consistency warnings against the declaration and earlier reports.

A report is an ``Application`` of the year's annual round, created through the declarations'
door (``create_application(..., kind=annual)``) with a ``ClusterReport`` tying it to the
certification; every later change goes through the declaration's doors (editing, workflow).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from pydantic import BaseModel

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain import comments as comment_door
from clusterdesk.declarations.domain.applications import create_application
from clusterdesk.declarations.domain.editing import replace_form
from clusterdesk.declarations.domain.forms import form_definition, form_of
from clusterdesk.declarations.enums import ApplicationState as State
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.declarations.permissions import EDIT
from clusterdesk.declarations.workflow import TransitionRefused, transition
from clusterdesk.errors import DomainError
from clusterdesk.form.annual.consistency import check_against
from clusterdesk.form.annual.example import prefill
from clusterdesk.form.annual.schema import AnnualReport
from clusterdesk.form.annual.version import ANNUAL_2024
from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.findings import Finding
from clusterdesk.form.loading import application_from_data
from clusterdesk.monitoring.domain.windows import annual_round_of, window_open, window_text
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.monitoring.permissions import COUNTY, MANAGE
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.enums import RoundKind

# A report is "in" once submitted: these states count as filed for reminders and the lists.
FILED = frozenset({State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED})
STATE_LABELS = {
    State.DRAFT: "填报中",
    State.RETURNED: "已退回",
    State.SUBMITTED: "已提交",
    State.UNDER_REVIEW: "审核中",
    State.ACCEPTED: "已通过",
}


def is_revoked(certification: Certification) -> bool:
    return certification.application.state == State.REVOKED


def report_years(certification: Certification) -> list[int]:
    """The years the cluster reports on: within its validity and covered by a report form."""
    first, last = certification.valid_from.year, certification.valid_until.year
    return [year for year in ANNUAL_2024.data_years if first <= year <= last]


def own_certifications(user: User):
    """The certifications of the user's own unit (newest first), revoked ones included."""
    return (
        Certification.objects.filter(application__organisation_id=user.organisation_id)
        .select_related("application", "publication", "application__round")
        .order_by("-valid_from", "pk")
    )


def start_refusal(certification: Certification, year: object, actor: User) -> str | None:
    """Why ``actor`` may not start the report of ``certification`` on ``year`` now."""
    problem = COUNTY.refusal(actor)
    if problem:
        return problem
    application = certification.application
    if actor.organisation_id != application.organisation_id:
        return "只能填报本单位已认定集群的年度发展情况报告。"
    if is_revoked(certification):
        return f"“{application}”的认定已被撤销，不再填报年度发展情况报告。"
    if not isinstance(year, int) or isinstance(year, bool):
        return "请选择报告年度。"
    if year not in report_years(certification):
        return (
            f"报告年度{year}年不在“{application}”的认定有效期"
            f"（{certification.valid_from:%Y-%m-%d}至{certification.valid_until:%Y-%m-%d}）之内。"
        )
    if ClusterReport.objects.filter(certification=certification, year=year).exists():
        return f"“{application}”的{year}年度发展情况报告已经建立，不能重复填报。"
    round_ = annual_round_of(year)
    if round_ is None:
        return f"市经信局尚未开放{year}年度发展情况报告的填报。"
    if not window_open(round_):
        return f"{year}年度发展情况报告的填报时间为{window_text(round_)}，当前不在填报时间内。"
    return None


def certified_form(certification: Certification) -> BaseModel:
    """The certified declaration as submitted last (its snapshot), else as it stands."""
    application = certification.application
    snapshot = application.submissions.order_by("-submitted_at", "-pk").first()
    data = snapshot.data if snapshot is not None else application.data
    return application_from_data(data, str(application), ATTACHMENT2_2023)


def earlier_reports(certification: Certification, year: int) -> list[AnnualReport]:
    rows = (
        ClusterReport.objects.filter(certification=certification, year__lt=year)
        .exclude(application__state=State.DELETED)
        .select_related("application__round")
        .order_by("year")
    )
    return [form_of(row.application) for row in rows]


def prefilled(certification: Certification, year: int) -> dict[str, Any]:
    earlier = earlier_reports(certification, year)
    report = prefill(certified_form(certification), earlier[-1] if earlier else None)
    report.basics.year = year
    return report.model_dump(mode="json")


def start_report(certification: Certification, year: int, actor: User) -> Application:
    """A draft report of ``certification`` on ``year``, pre-filled from the certified declaration
    (and the previous report), or ``DomainError`` with the reason why not."""
    problem = start_refusal(certification, year, actor)
    if problem:
        raise DomainError(problem)
    round_ = annual_round_of(year)
    try:
        with transaction.atomic():
            # Two starts of the same report at once (two tabs, two officers): lock the certified
            # cluster's row so the second waits, then finds the first's report and is refused;
            # the unique (certification, year) stays as the last word (``except`` below).
            list(
                Application.objects.select_for_update()
                .filter(pk=certification.application_id)
                .values("pk")
            )
            problem = start_refusal(certification, year, actor)
            if problem:
                raise DomainError(problem)
            application = create_application(
                round_=round_,
                organisation=certification.application.organisation,
                actor=actor,
                data=prefilled(certification, year),
                kind=RoundKind.ANNUAL,
            )
            ClusterReport.objects.create(
                application=application, certification=certification, year=year
            )
    except IntegrityError:
        name = certification.application
        raise DomainError(f"“{name}”的{year}年度发展情况报告已经建立，不能重复填报。") from None
    return application


def report_of(application: Application) -> ClusterReport:
    try:
        return application.cluster_report
    except ClusterReport.DoesNotExist:
        raise DomainError(f"“{application}”不是年度发展情况报告。") from None


def fill_report(application: Application, data: dict[str, Any], actor: User) -> None:
    """Replace the report's form with ``data`` (the editing door; demo and import)."""
    report_of(application)
    problem = EDIT.refusal(actor, application)
    if problem:
        raise DomainError(problem)
    form = application_from_data(data, str(application), form_definition(application))
    replace_form(application, form, actor)
    application.refresh_from_db()


def consistency_findings(application: Application) -> list[Finding]:
    """The report against the certified declaration and the cluster's earlier reports."""
    try:
        link = application.cluster_report
    except ClusterReport.DoesNotExist:
        return []
    report = form_of(application)
    if not isinstance(report, AnnualReport):
        return []
    return check_against(
        report, certified_form(link.certification), earlier_reports(link.certification, link.year)
    )


# --- the city ----------------------------------------------------------------------------------


def accept_report(application: Application, actor: User) -> ApplicationEvent:
    """审核通过: → 已通过 (notifies the county through the workflow's effects)."""
    report_of(application)
    problem = MANAGE.refusal(actor)
    if problem:
        raise TransitionRefused(problem)
    try:
        return transition(application, State.ACCEPTED, actor)
    except TransitionRefused as refused:
        # Two officers accepting at the same moment: the second waited for the first's row lock
        # and is refused as stale; say what happened rather than "updated by someone else".
        now = Application.objects.filter(pk=application.pk).values_list("state", flat=True)
        if now.first() == State.ACCEPTED:
            raise TransitionRefused(f"“{application}”已审核通过，不能重复审核。") from refused
        raise


def return_report(application: Application, reason: str, actor: User) -> ApplicationEvent:
    """退回修改 with ``reason``; the workflow publishes the drafted comments with the return."""
    report_of(application)
    problem = MANAGE.refusal(actor)
    if problem:
        raise TransitionRefused(problem)
    if not (reason or "").strip():
        raise TransitionRefused("请填写退回理由。")
    return transition(application, State.RETURNED, actor, reason=reason)


def add_comment(application: Application, actor: User, path: str, text: str):
    report_of(application)
    return comment_door.add_comment(application, actor, path, text)


# --- reminders ---------------------------------------------------------------------------------


def units_without_report(round_) -> dict[int, int]:
    """Per unit, its certified clusters (not revoked, valid in the round's year) that have no
    submitted report in ``round_``: notifications.send_reminders reminds them 30/7/1 days ahead."""
    year = round_.last_data_year
    certifications = Certification.objects.filter(
        valid_from__year__lte=year, valid_until__year__gte=year
    ).exclude(application__state=State.REVOKED)
    filed = ClusterReport.objects.filter(
        year=year, application__round=round_, application__state__in=FILED
    ).values("certification_id")
    due: dict[int, int] = {}
    for unit_id in certifications.exclude(pk__in=filed).values_list(
        "application__organisation_id", flat=True
    ):
        due[unit_id] = due.get(unit_id, 0) + 1
    return due
