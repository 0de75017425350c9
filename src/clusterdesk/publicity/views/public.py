"""The public 公示 page (no login): the clusters under 公示 now, the period, how to object, and
the notice. Only what a 公示 shows — names, units, counties, industries, the period and the
contact, all read from the 公示's own snapshot rows, never from the form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from clusterdesk.documents.publicity_notice import OBJECTION_RULES
from clusterdesk.publicity.domain.publicity import current_publicities, public_publicities
from clusterdesk.publicity.views.notice import notice_response


@require_GET
def current(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publicity/public.html",
        {
            "publicities": list(current_publicities().order_by("-starts_on", "-pk")),
            "objection_rules": OBJECTION_RULES,
        },
    )


@require_GET
def notice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return notice_response(request, get_object_or_404(public_publicities(), pk=pk), fmt)
