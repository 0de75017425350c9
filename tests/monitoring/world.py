"""A certified cluster's submitted annual report, for the access matrix and other apps' tests."""

from __future__ import annotations

import datetime as dt

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.form.annual.example import example_report_data
from clusterdesk.monitoring.domain import reports, windows
from clusterdesk.monitoring.models import ClusterReport, MajorChangeCase
from clusterdesk.rounds.models import Round
from tests.evidence import samples
from tests.factories import SHANGHAI
from tests.registry.world import certified_world, certify

# A window around the tests' clock (2023-04-10), so that a report can be started at once.
OPENS = dt.datetime(2023, 1, 1, 0, 0, tzinfo=SHANGHAI)
CLOSES = dt.datetime(2023, 12, 31, 23, 59, tzinfo=SHANGHAI)


# Inside the 2023 reports' default window (1 January – 30 March 2024).
IN_WINDOW = dt.datetime(2024, 2, 1, 10, 0, tzinfo=SHANGHAI)


def reporting_world():
    """``certified_world()`` with the 2023 reports' round open at its default window."""
    world = certified_world()
    windows.open_annual_round(2023, actor=world.city)
    return world


def annual_round(city, year: int = 2023) -> Round:
    """The annual round of ``year`` with its window open now (once)."""
    return windows.annual_round_of(year) or windows.open_annual_round(
        year, actor=city, opens_at=OPENS, closes_at=CLOSES
    )


def certification_of(application: Application, city):
    annual_round(city)
    return certify(application, city)


def submitted_report(application: Application, city, year: int = 2023) -> Application:
    """``application`` certified, its report on ``year`` started, filled and submitted (once)."""
    certification = certification_of(application, city)
    found = ClusterReport.objects.filter(certification=certification, year=year).first()
    if found is not None:
        return found.application
    return filed_report(certification, application.created_by, application.cluster_name, year)


def filed_report(certification, officer, cluster_name: str, year: int = 2023) -> Application:
    """The report on ``year`` started, filled with the example data, its cases' files uploaded
    and submitted by ``officer`` (the reporting window must be open)."""
    report = reports.start_report(certification, year, officer)
    data = example_report_data(year)
    data["basics"]["cluster_name"] = cluster_name
    reports.fill_report(report, data, officer)
    file_cases(report, officer)
    transition(report, S.SUBMITTED, officer)
    return report


def file_cases(report: Application, officer) -> None:
    """Each typical case's own file, uploaded as the officer would: a report is not complete
    without them (a Word import or ``fill_report`` names files, it never files them)."""
    for index, case in enumerate(report.data["cases"]["items"]):
        content = samples.docx_bytes(f"{case['title']}佐证材料")
        upload = samples.upload(f"典型案例{index + 1}佐证材料.docx", content)
        result = upload_evidence(report, f"cases.items.{index}", [upload], officer)
        assert not result.refused, result.refused


def major_change_case(application: Application, city):
    """A major change case on ``application``'s submitted 2023 report (once)."""
    report = submitted_report(application, city)
    link = ClusterReport.objects.get(application=report)
    found = MajorChangeCase.objects.filter(report=link).first()
    return found or MajorChangeCase.objects.create(
        report=link, changes=[{"kind": "集群区域", "after": "扩大至北仑全区"}]
    )
