"""Submitting an application (提交): a confirmation page listing what blocks it, then the POST."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localtime

from clusterdesk.accounts.access import require
from clusterdesk.county.domain.board import county_work_refusal, submit, submit_refusal
from clusterdesk.county.domain.selfcheck import field_url
from clusterdesk.declarations.domain.forms import findings_for, without_data
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.domain.timeline import latest_return
from clusterdesk.declarations.workflow import TransitionRefused
from clusterdesk.form.findings import errors


@require(county_work_refusal)
def submit_application(request: HttpRequest, pk: int) -> HttpResponse:
    # The blocking findings are usually kept by data version: the JSON is read only if not.
    application = get_object_or_404(without_data(visible_applications(request.user)), pk=pk)
    problem = None
    if request.method == "POST":
        try:
            submission = submit(application, request.user)
        except TransitionRefused as refused:
            problem = refused.message
        else:
            messages.success(
                request,
                f"“{application}”已提交（{localtime(submission.submitted_at):%Y-%m-%d %H:%M}）。"
                "提交后不能再修改；如需修改，请联系市经信局退回。",
            )
            return redirect("county:dashboard")
    blocking = [
        (finding, field_url(application, finding.path))
        for finding in errors(findings_for(application))
    ]
    return render(
        request,
        "county/submit.html",
        {
            "application": application,
            "problem": problem,
            "refusal": submit_refusal(application, request.user),
            "blocking": blocking,
            "returned": latest_return(application),
        },
        status=400 if problem else 200,
    )
