"""What the registry's views share: today's date, round selection."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils import timezone

from clusterdesk.declarations import clock
from clusterdesk.intake.domain.desk import chosen_round, desk_rounds
from clusterdesk.web.params import object_id


def today() -> dt.date:
    return timezone.localdate(clock.now())


def pick_round(request: HttpRequest, source=None):
    """The round asked for (?round=), else the newest open one; 404 for an unknown one."""
    source = request.GET if source is None else source
    rounds = desk_rounds()
    raw = source.get("round")
    wanted = object_id(raw) if raw else None
    if raw and wanted is None:
        raise Http404("没有该申报轮次。")
    round_ = chosen_round(rounds, wanted)
    if round_ is None and wanted is not None:
        raise Http404("没有该申报轮次。")
    return rounds, round_
