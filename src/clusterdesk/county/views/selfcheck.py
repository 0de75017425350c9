"""The self-check of one application (自查): findings by page, criteria, 2025 targets."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject

from clusterdesk.county.domain.board import submit_refusal
from clusterdesk.county.domain.selfcheck import self_check
from clusterdesk.declarations.domain.comments import open_comment_links
from clusterdesk.declarations.domain.editing import edit_refusal
from clusterdesk.declarations.domain.forms import without_data
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.domain.timeline import latest_return
from clusterdesk.declarations.views.form import content_key


@login_required
def check(request: HttpRequest, pk: int) -> HttpResponse:
    # Read-only: whoever may see the application (its county, the city bureau) may check it.
    # The check's content is kept per data version like the form pages' (it is the same for
    # every reader): a repeated read evaluates, renders and loads the form's JSON not again.
    application = get_object_or_404(without_data(visible_applications(request.user)), pk=pk)
    editable = edit_refusal(application, request.user) is None
    can_submit = editable and submit_refusal(application, request.user) is None
    return render(
        request,
        "county/selfcheck.html",
        {
            "application": application,
            "check": SimpleLazyObject(lambda: self_check(application)),
            # Everything the kept blocks show besides the data of this version: the day, for
            # the date rules (the round's form, profile and thresholds are in every key).
            "check_key": content_key(application, "self-check", date.today()),
            "editable": editable,
            "can_submit": can_submit,
            "returned": latest_return(application),
            "review_comments": open_comment_links(application, request.user),
        },
    )
