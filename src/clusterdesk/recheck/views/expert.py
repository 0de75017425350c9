"""An expert reads a 复核's annual report, read-only, through their own assignment: another
expert's assignment, a report of another cluster or one not sent in is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clusterdesk.accounts.access import require
from clusterdesk.recheck.domain.material import readable_report
from clusterdesk.review.domain.access import AssignmentNotFound, expert_assignment
from clusterdesk.scoring.domain.application import application_parts
from clusterdesk.scoring.permissions import EXPERT


@require_GET
@require(EXPERT.refusal)
def report_page(request: HttpRequest, pk: int, report: int) -> HttpResponse:
    try:
        assignment = expert_assignment(request.user, pk)
    except AssignmentNotFound as missing:
        raise Http404(missing.message) from None
    application = readable_report(assignment.application, report)
    if application is None:
        raise Http404("没有该年度报告。")
    return render(
        request,
        "recheck/material.html",
        {
            "assignment": assignment,
            "report": application,
            "year": application.cluster_report.year,
            "parts": application_parts(application, False),
        },
    )
