"""What the registry's views share: today's date, round selection, file responses."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from clusterdesk.declarations import clock
from clusterdesk.intake.domain.desk import chosen_round, desk_rounds
from clusterdesk.web.params import object_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    return response
