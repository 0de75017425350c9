"""The 公示 notice as Word or PDF. The PDF costs LibreOffice seconds: it is made once per 公示
(a 公示 never changes) in a download slot and kept in the media store under publicity/."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from clusterdesk.county.views.documents import DOCX, PDF, download, heavy
from clusterdesk.documents.errors import PdfError
from clusterdesk.documents.pdf import kept_pdf as kept_document_pdf
from clusterdesk.documents.publicity_notice import render_publicity_notice
from clusterdesk.publicity.domain.publicity import notice_of
from clusterdesk.publicity.models import Publicity
from clusterdesk.shared.storage import StoredFile, kept_media


def notice_docx(publicity: Publicity) -> bytes:
    return render_publicity_notice(notice_of(publicity))


def _kept_pdf(publicity: Publicity) -> StoredFile:
    return kept_media(f"publicity/notice-{publicity.pk}.pdf")


def notice_pdf(publicity: Publicity) -> bytes:
    """The kept PDF, made first if need be; raises ``PdfError`` (Chinese) when it cannot be."""
    return kept_document_pdf(_kept_pdf(publicity), lambda: notice_docx(publicity))


def file_name(publicity: Publicity, fmt: str) -> str:
    return f"{publicity.title}.{fmt}"


@heavy
def _pdf_response(request: HttpRequest, publicity: Publicity) -> HttpResponse:
    try:
        content = notice_pdf(publicity)
    except PdfError as failed:
        return render(
            request, "publicity/pdf_unavailable.html", {"message": failed.message}, status=503
        )
    return download(content, file_name(publicity, "pdf"), PDF)


def notice_response(request: HttpRequest, publicity: Publicity, fmt: str) -> HttpResponse:
    if fmt == "docx":
        return download(notice_docx(publicity), file_name(publicity, "docx"), DOCX)
    if fmt == "pdf":
        if _kept_pdf(publicity).exists():  # kept: no slot needed
            return download(notice_pdf(publicity), file_name(publicity, "pdf"), PDF)
        return _pdf_response(request, publicity)
    raise Http404("没有该格式的公示文件。")
