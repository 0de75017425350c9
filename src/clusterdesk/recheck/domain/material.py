"""What the experts read beside a 复核's application: the cluster's annual reports (the
monitoring app's ``ClusterReport``: a report is an application of an annual round), listed on
the expert's page through scoring's ``MATERIAL_FROM_ABOVE`` and opened read-only through the
expert's own assignment only."""

from __future__ import annotations

from django.db.models import Max, QuerySet
from django.db.models.fields.json import KT
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.recheck.models import RecheckCase
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.scoring.domain.application import Material

State = ApplicationState
# A report the county sent in (and no longer edits): what the experts may read.
READABLE = (State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED)


def case_of(application: Application) -> RecheckCase | None:
    if application.round.kind != RoundKind.RECHECK:
        return None
    return (
        RecheckCase.objects.filter(application_id=application.pk)
        .select_related("certification")
        .first()
    )


def reports_of(certification: Certification) -> QuerySet[ClusterReport]:
    return (
        ClusterReport.objects.filter(certification=certification)
        .select_related("application")
        .defer("application__data")
        .annotate(submitted_at=Max("application__submissions__submitted_at"))
        .order_by("year", "pk")
    )


def with_figures(reports: QuerySet[ClusterReport]) -> list[ClusterReport]:
    """``reports`` with two of each year's figures (``output``, ``patents``), read in SQL in one
    more query: the reports' forms stay unloaded."""
    found = list(reports)
    figures = {
        pk: (output, patents)
        for pk, output, patents in Application.objects.filter(
            pk__in=[report.application_id for report in found]
        ).values_list(
            "pk",
            KT("data__figures__industry__total_output"),
            KT("data__figures__innovation__patents"),
        )
    }
    for report in found:
        report.output, report.patents = figures.get(report.application_id, (None, None))
    return found


def readable_report(application: Application, report_pk: int) -> Application | None:
    """Report application ``report_pk`` if it is a sent-in report of the cluster under 复核 in
    ``application``; None otherwise (the page answers 404)."""
    case = case_of(application)
    if case is None:
        return None
    report = (
        ClusterReport.objects.filter(
            certification=case.certification,
            application_id=report_pk,
            application__state__in=READABLE,
        )
        .select_related("application", "application__round", "application__organisation")
        .first()
    )
    return report.application if report is not None else None


def _figure(value) -> str:
    text = "" if value is None else str(value).strip()
    return text or "—"


def expert_material(assignment) -> Material | None:
    """scoring's hook: the annual reports of the cluster under 复核 (None on other rounds)."""
    case = case_of(assignment.application)
    if case is None:
        return None
    rows = []
    for report in with_figures(reports_of(case.certification)):
        state = report.application.state
        readable = state in READABLE
        url = (
            reverse(
                "recheck:material",
                kwargs={"pk": assignment.pk, "report": report.application_id},
            )
            if readable
            else ""
        )
        submitted = report.submitted_at
        rows.append(
            (
                [
                    f"{report.year}年度发展情况报告",
                    report.application.get_state_display() if readable else "未提交",
                    f"{submitted:%Y-%m-%d}" if submitted and readable else "—",
                    _figure(report.output) if readable else "—",
                    _figure(report.patents) if readable else "—",
                ],
                url,
            )
        )
    return Material(
        title="年度发展情况报告",
        note="复核材料：集群认定后各年度的发展情况报告（只读），对照三年行动计划评审完成情况。",
        columns=["报告", "状态", "提交日期", "集群总产值（亿元）", "有效发明专利（件）"],
        rows=rows,
    )
