"""Major changes reported in an annual report (主导产业, 集群区域, 运营管理机构): a case for the
city, opened when the report is submitted, and the city's decision (接受变更 / 启动撤销).

The case is opened by the workflow's after-move hook (registered in ``MonitoringConfig.ready``),
once per report; the city officers are notified (MAJOR_CHANGE). 启动撤销 records the decision and
sends the officer to the revocation form (``revocation:new``) with the class 其他 prefilled: a
*reported* change is no 重大变更未报告; the city confirms the class and 文号 there.
"""

from __future__ import annotations

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.declarations.enums import ApplicationState as State
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.errors import DomainError
from clusterdesk.monitoring.models import (
    ChangeDecision,
    ClusterReport,
    MajorChangeCase,
    MajorChangeDecision,
)
from clusterdesk.monitoring.permissions import MANAGE
from clusterdesk.notifications.domain import Message, city_officers, notify
from clusterdesk.notifications.enums import NotificationKind

MAX_NOTE = 1000


def reported_changes(application: Application) -> list[dict]:
    changes = (application.data or {}).get("changes") or {}
    items = changes.get("items") or []
    if changes.get("any_change") != "是" or not items:
        return []
    return [item for item in items if isinstance(item, dict)]


def open_case_on_submit(application: Application, event: ApplicationEvent, actor: User) -> None:
    """Workflow effect: a report submitted with major changes opens the city's case (once)."""
    if event.to_state != State.SUBMITTED:
        return
    report = ClusterReport.objects.filter(application=application).first()
    if report is None or MajorChangeCase.objects.filter(report=report).exists():
        return
    items = reported_changes(application)
    if not items:
        return
    case = MajorChangeCase.objects.create(report=report, changes=items)
    kinds = "、".join(sorted({str(item.get("kind") or "") for item in items} - {""})) or "重大变更"
    from django.urls import reverse  # noqa: PLC0415 - URL of this app, resolved at call time

    notify(
        city_officers(),
        Message(
            NotificationKind.MAJOR_CHANGE,
            f"“{report.certification.application}”报告了重大变更",
            f"{application.organisation}在{report.year}年度发展情况报告中报告了{kinds}，"
            "请决定接受变更或启动撤销。",
            reverse("monitoring:change", args=[case.pk]),
        ),
    )


def decide(case: MajorChangeCase, *, decision: str, note: str, actor: User) -> MajorChangeDecision:
    problem = MANAGE.refusal(actor)
    if problem:
        raise DomainError(problem)
    if decision not in ChangeDecision.values:
        raise DomainError("请选择决定：接受变更或启动撤销。")
    note = (note or "").strip()
    if not note:
        raise DomainError("请填写决定说明。")
    if len(note) > MAX_NOTE:
        raise DomainError(f"决定说明不能超过{MAX_NOTE}字。")
    with transaction.atomic():
        MajorChangeCase.objects.select_for_update().filter(pk=case.pk).first()
        if MajorChangeDecision.objects.filter(case=case).exists():
            raise DomainError("该重大变更已作出决定，不能重复决定。")
        return MajorChangeDecision.objects.create(
            case=case, decision=decision, note=note, decided_by=actor
        )


def notify_accepted(application: Application, event: ApplicationEvent, actor: User) -> None:
    """Workflow effect: the county is told its report was accepted (REPORT_ACCEPTED)."""
    if event.to_state != State.ACCEPTED:
        return
    report = ClusterReport.objects.filter(application=application).first()
    if report is None:
        return
    from django.urls import reverse  # noqa: PLC0415

    from clusterdesk.notifications.domain import county_officers  # noqa: PLC0415

    notify(
        county_officers(application.organisation_id),
        Message(
            NotificationKind.REPORT_ACCEPTED,
            f"“{report.certification.application}”{report.year}年度发展情况报告已审核通过",
            f"市经信局已审核通过{report.year}年度发展情况报告。",
            reverse("monitoring:county"),
        ),
        application,
    )
