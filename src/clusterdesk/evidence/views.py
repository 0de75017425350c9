"""Evidence views: HTTP in, domain functions, HTTP out.

Every view finds the application through ``visible_application`` (the scoped query), so an
application of another county is a 404 whatever is guessed; changes go through the editing
door, which refuses anyone but the owning county while the application is a draft or returned.
The widget's script sends ``X-Evidence-Widget: 1`` and gets the widget back as an HTML fragment
(marked by the same header) or ``{"error": ...}``; a plain form post is redirected back.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.editing import EditRefused, edit_refusal
from clusterdesk.declarations.domain.evidence_register import remove_evidence
from clusterdesk.declarations.models import Application
from clusterdesk.evidence import pdfcheck
from clusterdesk.evidence.domain.register import (
    files_at,
    register_by_part,
    visible_application,
    visible_file,
)
from clusterdesk.evidence.domain.uploads import max_file_bytes, upload_evidence
from clusterdesk.evidence.handlers import SizeLimitHandler
from clusterdesk.evidence.sniffing import KINDS, extension_of
from clusterdesk.shared.blobstore import BlobCorrupt, BlobMissing, default_store

log = logging.getLogger(__name__)

WIDGET_HEADER = "X-Evidence-Widget"
# A preview shows the file and nothing else: no scripts, no requests, no framing, and
# ``sandbox`` (an opaque origin: no cookies, storage or same-origin requests) for everything.
# Browsers' PDF viewers refuse to run sandboxed, so a PDF is never handed to them: the server
# draws its pages (pdfium, out of process) and the preview is a page of images. They are
# inlined as data: URIs because a sandboxed page's own requests carry no session cookie.
PREVIEW_CSP = {
    "pdf": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'; sandbox",
    "image": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; sandbox",
}
DOWNLOAD_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
PREVIEW_VERSION = 1  # part of the preview's ETag: change it when the drawing changes


def widget_context(application: Application, path: str, user: User) -> dict[str, Any]:
    """What ``evidence/widget.html`` needs for one item (for pages that include it)."""
    return {
        "application": application,
        "path": path,
        "files": files_at(application, path),
        "editable": edit_refusal(application, user) is None,
    }


@login_required
@require_safe
def evidence_list(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _visible_or_404(request, application_id)
    context = {
        "application": application,
        "parts": register_by_part(application),
        "editable": edit_refusal(application, request.user) is None,
    }
    return render(request, "evidence/list.html", context)


@login_required
@require_safe
def download(request: HttpRequest, application_id: int, sha256: str) -> HttpResponse:
    found = visible_file(request.user, application_id, sha256)
    if found is None:
        raise Http404("没有找到该佐证材料。")
    _, entry, blob = found
    return serve_file(request, application_id, sha256, entry, blob)


def serve_file(
    request: HttpRequest,
    application_id: int,
    sha256: str,
    entry: dict[str, Any],
    blob,
    *,
    url: str | None = None,
) -> HttpResponse:
    """The file (or its preview with ``?inline=1``) once the caller has decided that the user
    may open it: ``download`` by ``visible_file``, the expert's scoring page by the assignment
    (which passes its own ``url`` for the preview's page links)."""
    kind = KINDS.get(blob.kind)
    inline = request.GET.get("inline") == "1" and kind is not None and kind.previewable
    if inline and blob.kind == "pdf":
        return _pdf_preview(request, application_id, sha256, entry["name"], url)
    try:
        stream = default_store().open(sha256)
    except BlobMissing:
        log.error("evidence blob %s is registered but missing from the store", sha256)
        raise Http404("该佐证材料的文件已丢失，请联系系统管理员。") from None
    except BlobCorrupt:
        log.error("evidence blob %s does not match its hash", sha256)
        return HttpResponse(
            "该佐证材料的文件校验失败，可能已损坏，请联系系统管理员。",
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    name = entry["name"]
    if kind and extension_of(name) not in kind.extensions:
        name += kind.extensions[0]  # the name says what the content is
    response = FileResponse(
        stream, as_attachment=not inline, filename=name, content_type=blob.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        response["Content-Security-Policy"] = PREVIEW_CSP["image"]
    else:
        response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-cache"
    response["ETag"] = f'"{sha256}"'
    return response


@login_required
@csrf_exempt  # checked in _upload, once the size limit is in place (see below)
@require_POST
def upload(request: HttpRequest, application_id: int) -> HttpResponse:
    # The limit must apply while the body streams in, so its handler goes in before anything
    # reads request.POST; the CSRF check reads it, hence csrf_protect on the inner view.
    limit = SizeLimitHandler(request, max_file_bytes())
    request.upload_handlers.insert(0, limit)
    return _upload(request, application_id, limit)


@csrf_protect
def _upload(request: HttpRequest, application_id: int, limit: SizeLimitHandler) -> HttpResponse:
    application = _visible_or_404(request, application_id)
    path = request.POST.get("path", "")
    files = request.FILES.getlist("file")
    try:
        result = upload_evidence(application, path, files, request.user, too_large=limit.too_large)
    except EditRefused as refused:
        return _refused(request, refused.message)
    errors = result.refused
    if not files and not errors:
        errors = ["请选择要上传的文件。"]
    done = [f"已上传“{name}”。" for name in result.added]
    return _done(request, application, path, done, errors, ok=bool(result.added) or not errors)


@login_required
@require_POST
def remove(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _visible_or_404(request, application_id)
    path = request.POST.get("path", "")
    sha256 = request.POST.get("sha256", "")
    entry = next((e for e in files_at(application, path) if e.get("sha256") == sha256), None)
    try:
        remove_evidence(application, path, sha256, request.user)
    except EditRefused as refused:
        return _refused(request, refused.message)
    if entry is None:
        return _done(request, application, path, [], ["该文件已不在本栏目中。"], ok=True)
    return _done(request, application, path, [f"已删除“{entry['name']}”。"], [], ok=True)


def _pdf_preview(
    request: HttpRequest, application_id: int, sha256: str, name: str, url: str | None = None
) -> HttpResponse:
    """A sandboxed page with images of a few pages (``pdfcheck.PREVIEW_PAGES``), from
    ``?page=`` on."""
    first = _page_number(request.GET.get("page", ""))
    etag = f'"{sha256}-{first}-{PREVIEW_VERSION}"'  # the file never changes under its hash
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        try:
            with default_store().open(sha256) as stream:
                data = stream.read()
        except (BlobMissing, BlobCorrupt):
            log.error("evidence blob %s cannot be read for its preview", sha256)
            rendering = pdfcheck.Rendering(
                0, [], "该佐证材料的文件已丢失或损坏，请联系系统管理员。"
            )
        else:
            rendering = pdfcheck.render_pages(data, first, pdfcheck.PREVIEW_PAGES)
        shown = [image.number for image in rendering.images]
        url = (
            url or reverse("evidence:download", args=[application_id, sha256])
        ) + "?inline=1&page="
        context = {
            "name": name,
            "rendering": rendering,
            "first": shown[0] if shown else first,
            "last": shown[-1] if shown else first,
            "previous": url + str(max(first - pdfcheck.PREVIEW_PAGES, 1)) if first > 1 else "",
            "next": url + str(shown[-1] + 1) if shown and shown[-1] < rendering.pages else "",
        }
        response = render(request, "evidence/preview.html", context)
        if rendering.problem is None:
            response["ETag"] = etag
    response["Content-Security-Policy"] = PREVIEW_CSP["pdf"]
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _page_number(raw: str) -> int:
    """The first page asked for: a number from 1 on; anything else means page 1."""
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 and int(raw) else 1


# --- helpers ---------------------------------------------------------------------------------


def _visible_or_404(request: HttpRequest, application_id: int) -> Application:
    application = visible_application(request.user, application_id)
    if application is None:
        raise Http404("没有找到该申报。")
    return application


def _is_widget(request: HttpRequest) -> bool:
    return request.headers.get(WIDGET_HEADER) == "1"


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    if _is_widget(request):
        return JsonResponse(
            {"error": message}, status=403, json_dumps_params={"ensure_ascii": False}
        )
    raise PermissionDenied(message)


def _done(
    request: HttpRequest,
    application: Application,
    path: str,
    done: list[str],
    errors: list[str],
    *,
    ok: bool,
) -> HttpResponse:
    back = request.POST.get("next", "")
    if _is_widget(request):
        context = widget_context(application, path, request.user)
        context |= {"errors": errors, "done": done, "fragment": True, "next": back}
        html = render_to_string("evidence/widget.html", context, request=request)
        response = HttpResponse(html, status=200 if ok else 400)
        response[WIDGET_HEADER] = "1"
        return response
    for text in done:
        messages.success(request, text)
    for text in errors:
        messages.error(request, text)
    # Only a path on this site ("/..."): redirect() would take any other word for a URL name.
    safe = back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(back if safe else reverse("evidence:list", args=[application.pk]))
