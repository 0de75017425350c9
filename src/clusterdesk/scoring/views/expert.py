"""The expert's pages: 评审任务 (home), one application beside its score sheet, autosave,
submit, the application's evidence and the expert's own 专家评分表.

Every page reaches its assignment through ``review.domain.access.expert_assignment``: another
expert's assignment, a recused one or one of a phase not open now is a 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.county.views.documents import DOCX, PDF, download
from clusterdesk.declarations import clock
from clusterdesk.documents.errors import PdfError, PdfUnavailable
from clusterdesk.documents.scoresheet import sheet_docx, sheet_pdf
from clusterdesk.evidence.domain.register import entry_for
from clusterdesk.evidence.models import Blob
from clusterdesk.evidence.views import serve_file
from clusterdesk.intake.domain.reading import reading
from clusterdesk.review.domain.access import AssignmentNotFound, expert_assignment
from clusterdesk.review.models import Assignment
from clusterdesk.scoring.domain.application import anonymised, application_parts, material_for
from clusterdesk.scoring.domain.documents import cluster_name, county_of, sheet_document
from clusterdesk.scoring.domain.progress import my_tasks
from clusterdesk.scoring.domain.sheets import (
    SheetConflict,
    SheetRefused,
    empty_sheet,
    last_reopen,
    rubric_for,
    save_draft,
    scoring_refusal,
    sheet_of,
    submit_sheet,
)
from clusterdesk.scoring.models import SheetStatus
from clusterdesk.scoring.permissions import EXPERT
from clusterdesk.web.params import object_id

MAX_BODY = 200_000  # an autosave body: eight comments of 2,000 characters fit many times over


def _assignment(request: HttpRequest, pk: int):
    try:
        return expert_assignment(request.user, pk)
    except AssignmentNotFound as missing:
        raise Http404(missing.message) from None


class _Closed(Exception):
    def __init__(self, message: str):
        self.message = message


def _for_scoring(request: HttpRequest, pk: int):
    """The assignment to score; ``_Closed`` with the reason (scoring after the phase closed)
    when it is the expert's own but no longer open; 404 for anything else."""
    try:
        return expert_assignment(request.user, pk)
    except AssignmentNotFound as missing:
        own = Assignment.objects.select_related("phase").filter(pk=pk, expert=request.user).first()
        why = own and scoring_refusal(own, clock.now())
        if why:
            raise _Closed(why) from None
        raise Http404(missing.message) from None


@require_GET
@require(EXPERT.refusal)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "scoring/home.html", {"tasks": my_tasks(request.user)})


def posted_sheet(post) -> dict[str, Any]:
    """The sheet as a plain form posts it (score-<key>, comment-<key>, opinion, opinion_reason)."""
    scores = {k[6:]: v for k, v in post.items() if k.startswith("score-")}
    comments = {k[8:]: v for k, v in post.items() if k.startswith("comment-")}
    return {
        "scores": scores,
        "comments": comments,
        "opinion": post.get("opinion", ""),
        "opinion_reason": post.get("opinion_reason", ""),
    }


def _sheet_page(request, assignment, *, shown=None, problems=None, status=200) -> HttpResponse:
    sheet = sheet_of(assignment) or empty_sheet(assignment)
    rubric = rubric_for(assignment)
    anonymise = anonymised(assignment.phase.round)
    values = shown or {
        "scores": sheet.scores,
        "comments": sheet.comments,
        "opinion": sheet.opinion,
        "opinion_reason": sheet.opinion_reason,
    }
    errors: dict[str, list[str]] = {}
    for problem in problems or []:
        errors.setdefault(problem.field, []).append(problem.message)
    lines = [
        {
            "aspect": aspect,
            "score": values["scores"].get(aspect.key, ""),
            "comment": values["comments"].get(aspect.key, ""),
            "errors": errors.get(aspect.key, []),
        }
        for aspect in rubric.aspects
    ]
    application = assignment.application
    return render(
        request,
        "scoring/sheet.html",
        {
            "assignment": assignment,
            "phase": assignment.phase,
            "app": application,
            "cluster_name": cluster_name(application),
            "county": "" if anonymise else county_of(application),
            "anonymise": anonymise,
            "sheet": sheet,
            "locked": sheet.status == SheetStatus.SUBMITTED,
            "lines": lines,
            "values": values,
            "errors": errors,
            "reopened": last_reopen(sheet),
            "parts": application_parts(application, anonymise),
            "material": material_for(assignment),
            "reading": reading(application),
            "refusal": scoring_refusal(assignment, clock.now()),
        },
        status=status,
    )


@require_GET
@require(EXPERT.refusal)
def sheet_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _sheet_page(request, _assignment(request, pk))


@require_POST
@require(EXPERT.refusal)
def sheet_save(request: HttpRequest, pk: int) -> JsonResponse:
    """Autosave: JSON in ({version, scores, comments, opinion, opinion_reason}), JSON out."""
    try:
        assignment = _for_scoring(request, pk)
    except _Closed as closed:
        return JsonResponse({"error": "未保存：" + closed.message}, status=400)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "评分表内容过多，未保存。"}, status=400)
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "评分表内容无法识别，未保存。"}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": "评分表内容无法识别，未保存。"}, status=400)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        return JsonResponse({"error": "缺少评分表版本，请刷新页面。"}, status=400)
    try:
        sheet = save_draft(assignment, data, version, request.user)
    except SheetConflict as conflict:
        return JsonResponse({"error": conflict.message, "conflict": True}, status=409)
    except SheetRefused as refused:
        return JsonResponse(
            {
                "error": refused.message,
                "problems": [{"field": p.field, "message": p.message} for p in refused.problems],
            },
            status=400,
        )
    return JsonResponse({"version": sheet.version, "saved_at": sheet.updated_at.isoformat()})


@require_POST
@require(EXPERT.refusal)
def sheet_submit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        assignment = _for_scoring(request, pk)
    except _Closed as closed:
        messages.error(request, "未提交：" + closed.message)
        return redirect("scoring:home")
    data = posted_sheet(request.POST)
    version = object_id(request.POST.get("version"))
    if version is None and request.POST.get("version") != "0":
        messages.error(request, "未提交：缺少评分表版本，请刷新页面。")
        return redirect("scoring:sheet", assignment.pk)
    try:
        submit_sheet(assignment, data, version or 0, request.user)
    except SheetConflict as conflict:
        messages.error(request, f"未提交：{conflict.message}")
        return redirect("scoring:sheet", assignment.pk)
    except SheetRefused as refused:
        messages.error(request, refused.message)
        return _sheet_page(request, assignment, shown=data, problems=refused.problems, status=400)
    messages.success(request, "评分表已提交。提交后不能再修改；如需修改请联系市经信局退回。")
    return redirect("scoring:sheet", assignment.pk)


@require_GET
@require(EXPERT.refusal)
def sheet_evidence(request: HttpRequest, pk: int, sha256: str) -> HttpResponse:
    """The application's evidence, for the expert of an open assignment to it (and no one else:
    the evidence app's own URLs stay closed to experts)."""
    application = _assignment(request, pk).application
    entry = entry_for(application, sha256)
    blob = entry and Blob.objects.filter(sha256=sha256, uploads__application=application).first()
    if not blob:
        raise Http404("没有找到该佐证材料。")
    url = reverse("scoring:evidence", args=[pk, sha256])
    return serve_file(request, application.pk, sha256, entry, blob, url=url)


def _own_sheet_document(request: HttpRequest, pk: int):
    assignment = _assignment(request, pk)
    sheet = sheet_of(assignment) or empty_sheet(assignment)
    return sheet_document(assignment, sheet, rubric_for(assignment), show_county=False)


@require_GET
@require(EXPERT.refusal)
def sheet_docx_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = _own_sheet_document(request, pk)
    return docx_response(sheet_docx(document), f"专家评分表-{document.cluster_name}.docx")


@require_GET
@require(EXPERT.refusal)
def sheet_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = _own_sheet_document(request, pk)
    return pdf_response(request, document, f"专家评分表-{document.cluster_name}.pdf")


def docx_response(content: bytes, name: str) -> HttpResponse:
    return download(content, name, DOCX)


def pdf_response(request: HttpRequest, document, name: str) -> HttpResponse:
    try:
        content = sheet_pdf(document)
    except (PdfUnavailable, PdfError) as failed:
        return HttpResponse(
            f"未能生成 PDF：{failed}", status=503, content_type="text/plain; charset=utf-8"
        )
    return download(content, name, PDF)
