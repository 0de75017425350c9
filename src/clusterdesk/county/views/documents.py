"""Downloads of the official documents: Attachment 2 per application, the county's Attachment 1
(.docx, .xlsx) and its electronic package (.zip). File names are Chinese (RFC 5987 filename*).

The PDF and the package cost seconds of CPU each, so they run in slots (``heavy``): at most
CLUSTERDESK_HEAVY_PER_USER at once per user and CLUSTERDESK_HEAVY_TOTAL overall; the rest get a
429 page at once, with Retry-After."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from clusterdesk.accounts.access import require
from clusterdesk.accounts.models import User
from clusterdesk.county.domain import documents as docs
from clusterdesk.county.domain.board import county_work_refusal
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.documents.errors import PdfError
from clusterdesk.rounds.domain import open_rounds
from clusterdesk.rounds.models import Round
from clusterdesk.slots import Slots, SlotsBusy
from clusterdesk.web.params import object_id

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ZIP = "application/zip"

county_only = require(county_work_refusal)
HEAVY_WORK = "生成 PDF 或电子版"


def heavy_slots() -> Slots:
    return Slots(
        settings.CLUSTERDESK_LOCK_DIR,
        per_user=settings.CLUSTERDESK_HEAVY_PER_USER,
        total=settings.CLUSTERDESK_HEAVY_TOTAL,
        what=HEAVY_WORK,
    )


def heavy(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run ``view`` in one of the user's slots and one shared slot, or answer 429 at once.

    The slots are held until the response is done: a streamed file (the package) keeps them
    until the server closes the response after the last byte — or when the client went away —
    through the closers Django runs in ``HttpResponse.close()``, the same that close the file;
    an exception frees them at once."""

    @wraps(view)
    def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            lease = heavy_slots().acquire(str(request.user.pk))
        except SlotsBusy as busy:
            response = render(request, "429.html", {"message": busy.message}, status=429)
            response["Retry-After"] = str(busy.retry_after)
            return response
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            lease.release()
            raise
        if getattr(response, "streaming", False):
            response._resource_closers.append(lease.release)
        else:
            lease.release()
        return response

    return limited


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A generated document as an attachment with its Chinese name (RFC 5987); never kept in a
    shared cache (score sheets, unpublished lists)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _round(request: HttpRequest) -> Round:
    """``?round=<id>`` (any round the county took part in), else the first open round."""
    wanted = request.GET.get("round")
    if wanted:
        if object_id(wanted) is None:
            raise Http404("没有该申报轮次。")
        return get_object_or_404(Round, pk=object_id(wanted))
    round_ = open_rounds().first()
    if round_ is None:
        raise Http404("目前没有开放申报的轮次。")
    return round_


@login_required
def attachment2_docx(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    return download(
        docs.attachment2_docx(application), docs.attachment2_name(application, "docx"), DOCX
    )


@login_required
def submission_docx(request: HttpRequest, pk: int, submission_id: int) -> HttpResponse:
    """Attachment 2 of one submission's snapshot (the filed form, whatever changed since)."""
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    submission = get_object_or_404(application.submissions, pk=submission_id)
    submission.application = application
    return download(docs.submission_docx(submission), docs.submission_name(submission), DOCX)


@login_required
@heavy
def attachment2_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    try:
        content = docs.attachment2_pdf(application)
    except PdfError as failed:  # PdfUnavailable included: LibreOffice is not installed
        return render(
            request,
            "county/pdf_unavailable.html",
            {"application": application, "message": failed.message},
            status=503,
        )
    return download(content, docs.attachment2_name(application, "pdf"), PDF)


@county_only
def summary_docx(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    round_ = _round(request)
    return download(docs.summary_docx(user, round_), docs.summary_name(user, round_, "docx"), DOCX)


@county_only
def summary_xlsx(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    round_ = _round(request)
    return download(docs.summary_xlsx(user, round_), docs.summary_name(user, round_, "xlsx"), XLSX)


@county_only
@heavy
def package_zip(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    round_ = _round(request)
    with_pdf = request.GET.get("pdf") == "1"
    handle, name = tempfile.mkstemp(prefix="clusterdesk-package-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        docs.county_package(user, round_, path, pdf=with_pdf)
        file = path.open("rb")
    except PdfError as failed:
        return render(
            request, "county/pdf_unavailable.html", {"message": failed.message}, status=503
        )
    finally:
        path.unlink(missing_ok=True)  # an open file stays readable until it is closed (POSIX)
    return FileResponse(
        file, as_attachment=True, filename=docs.package_name(user, round_), content_type=ZIP
    )
