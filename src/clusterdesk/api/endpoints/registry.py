"""GET /certified: the public list of certified clusters (no token), as /certified/ shows it."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Query, Router

from clusterdesk.api.paging import Paging, page_of
from clusterdesk.api.schemas import CertifiedPage
from clusterdesk.declarations import clock
from clusterdesk.registry.domain.registry import line_of, public_rows

router = Router(tags=["认定名单（公开）"])


@router.get("/certified", auth=None, response=CertifiedPage, summary="已认定集群名单（公开）")
def certified(request: HttpRequest, paging: Query[Paging]):
    page = page_of(public_rows(clock.today()), paging)
    page["items"] = [asdict(line_of(row)) for row in page["items"]]
    return page
