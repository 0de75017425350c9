"""The public list of certified clusters (no login): what the 认定 documents published, and the
认定名单 as Word and Excel. A revoked cluster no longer holds the title and is left out."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clusterdesk.county.views.documents import DOCX, XLSX, download
from clusterdesk.declarations import clock
from clusterdesk.documents.certified_list import render_certified_docx, render_certified_xlsx
from clusterdesk.registry.domain.registry import line_of, public_rows

TITLE = "宁波市中小企业特色产业集群认定名单"
# The public list is bounded: far more than Ningbo will ever certify.
MAX_ROWS = 2000


def _lines():
    return [line_of(row) for row in public_rows(clock.today())[:MAX_ROWS]]


@require_GET
def certified_page(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/public.html", {"lines": _lines(), "title": TITLE})


@require_GET
def certified_docx(request: HttpRequest) -> HttpResponse:
    return download(render_certified_docx(_lines(), TITLE), f"{TITLE}.docx", DOCX)


@require_GET
def certified_xlsx(request: HttpRequest) -> HttpResponse:
    content = render_certified_xlsx(_lines(), TITLE, with_status=True)
    return download(content, f"{TITLE}.xlsx", XLSX)
