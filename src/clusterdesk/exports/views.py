"""导出文件: the user's exports with their progress, starting one (from 审核工作台 or 收件箱),
the progress as JSON for the page's script, the download, and 重试."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.errors import DomainError
from clusterdesk.exports.domain.jobs import (
    PER_APPLICATION,
    ExportFileGone,
    open_export,
    retry,
    servable,
    start_export,
    user_exports,
)
from clusterdesk.exports.models import Export, ExportKind
from clusterdesk.exports.permissions import USE
from clusterdesk.rounds.models import Round
from clusterdesk.shared.storage import StoredFileCorrupt
from clusterdesk.web.params import object_id

log = logging.getLogger(__name__)

# Where the start form may send the user back to after a refusal: our own desk pages only.
BACK_PREFIXES = ("/intake/", "/exports/")
# The list shows a finished export's link from the database alone (no look at the store per
# row), so the download is where a file removed from the store is found, and said so.
GONE = (
    "导出文件已不在文件存储中（可能已被清理或不完整），无法下载。"
    "请重新导出；如仍失败，请联系系统管理员。"
)


def _state(export: Export) -> dict:
    return {
        "id": export.pk,
        "status": export.status,
        "status_label": export.get_status_display(),
        "done": export.done,
        "total": export.total,
        "message": export.message,
        "download": reverse("exports:download", args=[export.pk]) if servable(export) else None,
    }


@require_GET
@require(USE.refusal)
def export_list(request: HttpRequest) -> HttpResponse:
    exports = list(user_exports(request.user)[:50])
    return render(
        request,
        "exports/list.html",
        {
            "exports": [(export, _state(export)) for export in exports],
            "pending": any(export.pending for export in exports),
        },
    )


@require_POST
@require(USE.refusal)
def start(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("back", "")
    if not back.startswith(BACK_PREFIXES) or "//" in back:
        back = reverse("exports:list")
    round_id = object_id(request.POST.get("round", ""))
    round_ = Round.objects.filter(pk=round_id).first() if round_id else None
    if round_ is None:
        messages.error(request, "未导出：请选择申报轮次。")
        return redirect(back)
    kind = request.POST.get("kind", "")
    params = {}
    if kind == ExportKind.INBOX_XLSX:
        params["query"] = request.POST.get("query", "")[:2000]
    if kind in PER_APPLICATION:
        params["application"] = object_id(request.POST.get("application", ""))
    try:
        export = start_export(request.user, round_, kind, params)
    except DomainError as refused:
        messages.error(request, f"未导出：{refused.message}")
        return redirect(back)
    messages.success(request, f"已开始导出“{export.get_kind_display()}”，完成后可在本页下载。")
    return redirect("exports:list")


def _own(request: HttpRequest, pk: int) -> Export:
    return get_object_or_404(user_exports(request.user), pk=pk)


@require_GET
@require(USE.refusal)
def status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(_state(_own(request, pk)))


@require_GET
@require(USE.refusal)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    export = _own(request, pk)
    # Streamed through the app, after the ownership check above, from a copy whose SHA-256
    # was checked: never a redirect to the store, whose link would skip both.
    try:
        stream = open_export(export)
    except StoredFileCorrupt:
        log.error("export %s: the stored file does not match its SHA-256", export.pk)
        return HttpResponse(
            "导出文件校验失败，可能已损坏。请重新导出；如仍失败，请联系系统管理员。",
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    except ExportFileGone:
        log.error("export %s: its file is missing from the store", export.pk)
        return HttpResponse(GONE, status=410, content_type="text/plain; charset=utf-8")
    if stream is None:  # not finished (or failed): there is no whole file to give
        raise Http404("导出文件尚未生成完成。")
    response = FileResponse(stream, as_attachment=True, filename=export.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@require(USE.refusal)
def retry_export(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        export = retry(request.user, pk)
    except Export.DoesNotExist as missing:
        raise Http404("没有该导出。") from missing
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"已重新开始导出“{export.get_kind_display()}”。")
    return redirect("exports:list")
