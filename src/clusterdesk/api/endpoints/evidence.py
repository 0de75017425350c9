"""Evidence (佐证材料) of an application: the register, and one file.

Both go through the evidence app's own lookups (``visible_application``, ``visible_file``) and
the download through its ``serve_file``: the same checks, headers and integrity check on read
as the web download. Any application the user may see (declarations and reports alike).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router

from clusterdesk.api.paging import Paging
from clusterdesk.api.schemas import EvidenceOut, Page
from clusterdesk.declarations.domain.snapshots import evidence_list
from clusterdesk.evidence.domain.register import visible_application, visible_file
from clusterdesk.evidence.views import serve_file

router = Router(tags=["佐证材料"])


class EvidencePage(Page):
    items: list[EvidenceOut]


@router.get(
    "/applications/{int:pk}/evidence",
    response=EvidencePage,
    summary="一份申报的佐证材料清单",
)
def list_evidence(request: HttpRequest, pk: int, paging: Query[Paging]):
    application = visible_application(request.auth, pk)
    if application is None:
        raise Http404("找不到该申报。")
    files = evidence_list(application.data or {})
    items = files[paging.offset : paging.offset + paging.limit]
    return {"count": len(files), "limit": paging.limit, "offset": paging.offset, "items": items}


@router.get(
    "/applications/{int:pk}/evidence/{sha256}",
    summary="下载一份佐证材料",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件内容（附件下载）",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            },
            404: {"description": "找不到该佐证材料"},
        }
    },
)
def download_evidence(
    request: HttpRequest, pk: int, sha256: str = Path(..., pattern="^[0-9a-f]{64}$")
):
    found = visible_file(request.auth, pk, sha256)
    if found is None:
        raise Http404("没有找到该佐证材料。")
    _, entry, blob = found
    return serve_file(request, pk, sha256, entry, blob)
