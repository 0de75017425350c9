"""修改记录: every save of an application's form, who made it and what it changed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from clusterdesk.declarations.domain.history import history
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.web.params import object_id

SHOWN_REVISIONS = 20  # per page: an import's revision can hold the whole form twice


@login_required
@require_safe
def application_history(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    before = object_id(request.GET.get("before"))
    entries = history(application, limit=SHOWN_REVISIONS, before=before)
    context = {
        "application": application,
        "entries": entries,
        # The link to older revisions starts below the last one shown.
        "older": entries[-1].version if len(entries) == SHOWN_REVISIONS else None,
        "paged": before is not None,
    }
    return render(request, "declarations/history.html", context)
