"""办理记录: the life of an application (submitted, returned with the city's reason, resubmitted,
deleted, restored …) with who, when and why, and each submission's snapshot."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.domain.timeline import timeline


@login_required
@require_safe
def application_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    entries = timeline(application)
    return render(
        request,
        "declarations/timeline.html",
        {"application": application, "entries": list(reversed(entries))},  # newest first
    )
