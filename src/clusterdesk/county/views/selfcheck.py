"""The self-check of one application (自查): findings by page, criteria, 2025 targets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from clusterdesk.county.domain.board import submit_refusal
from clusterdesk.county.domain.selfcheck import self_check
from clusterdesk.declarations.domain.editing import edit_refusal
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.domain.timeline import latest_return


@login_required
def check(request: HttpRequest, pk: int) -> HttpResponse:
    # Read-only: whoever may see the application (its county, the city bureau) may check it.
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    editable = edit_refusal(application, request.user) is None
    can_submit = editable and submit_refusal(application, request.user) is None
    return render(
        request,
        "county/selfcheck.html",
        {
            "application": application,
            "check": self_check(application),
            "editable": editable,
            "can_submit": can_submit,
            "returned": latest_return(application),
        },
    )
