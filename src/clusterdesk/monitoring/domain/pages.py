"""What the 年度报告 pages list: a county's own clusters with their reports per year, and the
city's reports per year with filters. A fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass, field

from clusterdesk.accounts.models import User
from clusterdesk.declarations.enums import ApplicationState as State
from clusterdesk.monitoring.domain.reports import (
    STATE_LABELS,
    own_certifications,
    report_years,
    start_refusal,
)
from clusterdesk.monitoring.domain.windows import annual_rounds
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.registry.models import Certification
from clusterdesk.revocation.models import Revocation


@dataclass
class YearCell:
    year: int
    report: ClusterReport | None
    label: str
    can_start: bool = False
    why_not: str = ""


@dataclass
class ClusterLine:
    certification: Certification
    revoked: bool
    revocation_id: int | None = None  # the 通报 of a revoked cluster
    years: list[YearCell] = field(default_factory=list)


def county_lines(user: User) -> list[ClusterLine]:
    certifications = list(own_certifications(user))
    reports = {
        (r.certification_id, r.year): r
        for r in ClusterReport.objects.filter(certification__in=certifications).select_related(
            "application"
        )
    }
    revocations = dict(
        Revocation.objects.filter(certification__in=certifications).values_list(
            "certification_id", "pk"
        )
    )
    lines = []
    for certification in certifications:
        revoked = certification.application.state == State.REVOKED
        line = ClusterLine(certification, revoked, revocations.get(certification.pk))
        for year in report_years(certification):
            report = reports.get((certification.pk, year))
            if report is not None:
                label = STATE_LABELS.get(
                    report.application.state, report.application.get_state_display()
                )
                line.years.append(YearCell(year, report, label))
                continue
            problem = start_refusal(certification, year, user)
            line.years.append(
                YearCell(year, None, "待填报", can_start=problem is None, why_not=problem or "")
            )
        lines.append(line)
    return lines


def city_reports(year: int | None, state: str | None, county: int | None):
    rows = ClusterReport.objects.select_related(
        "application", "application__organisation", "certification__application"
    ).exclude(application__state=State.DELETED)
    if year:
        rows = rows.filter(year=year)
    if state:
        rows = rows.filter(application__state=state)
    if county:
        rows = rows.filter(application__organisation_id=county)
    return rows.order_by("-year", "application__organisation__position", "pk")


def report_years_open() -> list[int]:
    return sorted({r.last_data_year for r in annual_rounds()}, reverse=True)
