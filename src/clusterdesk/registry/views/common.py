"""What the registry's views share: the round asked for."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from clusterdesk.intake.domain.desk import chosen_round
from clusterdesk.rounds.domain import reviewed_rounds_open_first
from clusterdesk.web.params import object_id


def pick_round(request: HttpRequest, source=None):
    """The round asked for (?round=), else the newest open one; 404 for an unknown one."""
    source = request.GET if source is None else source
    rounds = reviewed_rounds_open_first()
    raw = source.get("round")
    wanted = object_id(raw) if raw else None
    if raw and wanted is None:
        raise Http404("没有该申报轮次。")
    round_ = chosen_round(rounds, wanted)
    if round_ is None and wanted is not None:
        raise Http404("没有该申报轮次。")
    return rounds, round_
