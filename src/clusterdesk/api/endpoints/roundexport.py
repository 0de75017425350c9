"""GET /rounds/{id}/export: one round in the exchange format (docs/round-export.md), streamed.

Round-wide (every county's applications, the experts' scores): the city bureau and admins only,
under the same rule as the site's other round-wide exports (``exports.use``). The answer is
written chunk by chunk as it is read (``roundexport.build``), so neither the time to the first
byte nor the memory grows with the round.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, StreamingHttpResponse
from ninja import Router

from clusterdesk.accounts.permissions import refusal
from clusterdesk.api.errors import Refused
from clusterdesk.api.roundexport.build import NotExportable, export_pieces
from clusterdesk.api.schemas import Error
from clusterdesk.rounds.models import Round

router = Router(tags=["申报轮次"])


@router.get(
    "/rounds/{int:pk}/export",
    summary="导出一个轮次（数据交换格式，仅市经信局）",
    description=(
        "一个轮次的全部申报：提交快照、状态记录、佐证材料清单（SHA-256）、专家评分（代号）、"
        "会审结果和认定文号，以及认定库状态、撤销决定和复核续期的前后认定。格式（版本 2）见 "
        "docs/round-export.md，JSON Schema 见 docs/round-export.schema.json。"
    ),
    response={403: Error, 404: Error, 409: Error},
    openapi_extra={
        "responses": {
            200: {
                "description": "轮次数据交换文件（JSON，附件下载）",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def export_round(request: HttpRequest, pk: int):
    denied = refusal("exports.use", request.auth)
    if denied:
        raise Refused(403, denied)
    round_ = Round.objects.filter(pk=pk).first()
    if round_ is None:
        raise Http404("找不到该轮次。")
    try:
        pieces = export_pieces(round_)
    except NotExportable as exc:
        raise Refused(409, exc.message) from None
    response = StreamingHttpResponse(
        (piece.encode() for piece in pieces), content_type="application/json; charset=utf-8"
    )
    name = f"{round_.name}-轮次数据交换.json"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
