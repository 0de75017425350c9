"""One revocation and its 通报 (Word, PDF): the city bureau and admins, and the county whose
cluster it was; any other county gets a 404, as if there were none."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clusterdesk.accounts.access import require
from clusterdesk.accounts.enums import Role
from clusterdesk.county.views.documents import DOCX, PDF, download, heavy
from clusterdesk.documents.errors import PdfError
from clusterdesk.documents.revocation_notice import body_paragraphs
from clusterdesk.revocation.domain.notice import (
    kept_pdf,
    notice_docx,
    notice_of,
    notice_pdf,
    notice_title,
    revocations,
)
from clusterdesk.revocation.models import Revocation
from clusterdesk.revocation.permissions import MANAGE, NOTICE, VIEW

READERS = (Role.CITY_OFFICER, Role.ADMIN, Role.COUNTY_OFFICER)


def reader_refusal(user) -> str | None:
    """Who may ask for a revocation at all (the county's own is checked per object)."""
    if not user.is_active:
        return "您的账户已停用。"
    if user.role not in READERS:
        return "只有市经信局和集群所在区县可以查看撤销认定通报。"
    return None


def _revocation(request: HttpRequest, pk: int) -> Revocation:
    """The revocation if the user may see it; 404 otherwise (another county's cluster)."""
    revocation = revocations().filter(pk=pk).first()
    if revocation is None or NOTICE.refusal(request.user, revocation.certification.application):
        raise Http404("没有找到该撤销认定记录。")
    return revocation


@require_GET
@require(reader_refusal)
def revocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    revocation = _revocation(request, pk)
    notice = notice_of(revocation)
    return render(
        request,
        "revocation/detail.html",
        {
            "revocation": revocation,
            "application": revocation.certification.application,
            "notice": notice,
            "title": notice_title(revocation),
            "paragraphs": body_paragraphs(notice),
            "is_city": VIEW.refusal(request.user) is None,
            "can_manage": MANAGE.refusal(request.user) is None,
        },
    )


def _file_name(revocation: Revocation, fmt: str) -> str:
    return f"{notice_title(revocation)}.{fmt}"


@heavy
def _pdf_response(request: HttpRequest, revocation: Revocation) -> HttpResponse:
    try:
        content = notice_pdf(revocation)
    except PdfError as failed:  # PdfUnavailable included: LibreOffice is not installed
        return render(
            request,
            "revocation/pdf_unavailable.html",
            {"revocation": revocation, "message": failed.message},
            status=503,
        )
    return download(content, _file_name(revocation, "pdf"), PDF)


@require_GET
@require(reader_refusal)
def revocation_notice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    revocation = _revocation(request, pk)
    if fmt == "docx":
        return download(notice_docx(revocation), _file_name(revocation, "docx"), DOCX)
    if fmt == "pdf":
        if kept_pdf(revocation).exists():  # made before: no slot needed
            return download(notice_pdf(revocation), _file_name(revocation, "pdf"), PDF)
        return _pdf_response(request, revocation)
    raise Http404("没有该格式的通报文件。")
