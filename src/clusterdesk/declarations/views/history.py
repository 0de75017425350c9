"""修改记录: every save of an application's form, who made it and what it changed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from clusterdesk.declarations.domain.history import history
from clusterdesk.declarations.domain.queries import visible_applications

SHOWN_REVISIONS = 200


@login_required
@require_safe
def application_history(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    entries = history(application, limit=SHOWN_REVISIONS)
    context = {
        "application": application,
        "entries": entries,
        "cut": len(entries) == SHOWN_REVISIONS,
    }
    return render(request, "declarations/history.html", context)
