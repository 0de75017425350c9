"""Certified clusters with annual reports, for the tracking tests (reports created directly:
an Application of the year's annual round + its ClusterReport, moved through the workflow)."""

from __future__ import annotations

import copy
import datetime as dt

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from clusterdesk.form.annual.example import example_report_data
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round
from tests.factories import SHANGHAI, make_round


def annual_round(year: int) -> Round:
    found = Round.objects.filter(kind=RoundKind.ANNUAL, first_data_year=year).first()
    return found or make_round(
        name=f"{year}年度发展情况报告",
        kind=RoundKind.ANNUAL,
        form_version="annual-2024",
        first_data_year=year,
        last_data_year=year,
        reference_date=dt.date(year, 12, 31),
        submission_deadline=dt.datetime(year + 1, 3, 30, 23, 59, tzinfo=SHANGHAI),
    )


def report_data(year: int, **figures) -> dict:
    """The example report of ``year`` (2023/2024 as in the example; later years copy 2024),
    with ``figures`` replaced: output=…, patents=…, rd_spending=…"""
    data = copy.deepcopy(example_report_data(min(max(year, 2023), 2024)))
    data["basics"]["year"] = year
    places = {
        "output": ("industry", "total_output"),
        "rd_spending": ("innovation", "rd_spending"),
        "patents": ("innovation", "patents"),
        "industrial_internet": ("digital", "industrial_internet"),
        "co2_emissions": ("green", "co2_emissions"),
        "energy_intensity": ("green", "energy_intensity"),
    }
    for key, value in figures.items():
        part, name = places[key]
        data["figures"][part][name] = value
    return data


def file_report(certification, year: int, data: dict, *, city=None, accept=True) -> Application:
    """A report of ``certification`` on ``year``, submitted by its county (and accepted)."""
    county_app = certification.application
    officer = county_app.created_by
    application = Application.objects.create(
        round=annual_round(year),
        organisation=county_app.organisation,
        created_by=officer,
        data=data,
    )
    ClusterReport.objects.create(application=application, certification=certification, year=year)
    transition(application, S.SUBMITTED, officer)
    if accept:
        transition(application, S.ACCEPTED, city)
    return application
