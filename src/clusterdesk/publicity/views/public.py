"""The public 公示 page (no login): the clusters under 公示 now, the period, how to object, and
the notice. Only what a 公示 shows — names, units, counties, industries, the period and the
contact, all read from the 公示's own snapshot rows, never from the form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from clusterdesk.documents.publicity_notice import OBJECTION_RULES, objection_text
from clusterdesk.publicity.domain.publicity import (
    current_publicities,
    is_recheck,
    public_publicities,
)
from clusterdesk.publicity.views.notice import notice_response


@require_GET
def current(request: HttpRequest) -> HttpResponse:
    publicities = list(current_publicities().order_by("-starts_on", "-pk"))
    return render(
        request,
        "publicity/public.html",
        {
            # A 复核 round's 公示 is objected to as such, not as a 拟认定名单 (same text as its
            # notice).
            "publicities": [
                (p, objection_text(recheck=is_recheck(p.round), to=p.issuer)) for p in publicities
            ],
            "objection_rules": OBJECTION_RULES,
        },
    )


@require_GET
def notice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return notice_response(request, get_object_or_404(public_publicities(), pk=pk), fmt)
