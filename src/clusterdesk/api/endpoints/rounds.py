"""GET /rounds: the rounds (申报轮次), newest first. Names and dates only, nothing per county."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from clusterdesk.api.paging import Paging, page_of
from clusterdesk.api.schemas import RoundPage
from clusterdesk.rounds.models import Round

router = Router(tags=["申报轮次"])


@router.get("/rounds", response=RoundPage, summary="申报轮次列表")
def list_rounds(request: HttpRequest, paging: Query[Paging]):
    return page_of(Round.objects.order_by("-submission_deadline", "-pk"), paging)
