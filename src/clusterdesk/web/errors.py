"""The error pages (400, 403, 404, 500 and the CSRF refusal), in Chinese, with the request id.

Set as ``handler400`` … ``handler500`` in urls.py and as ``CSRF_FAILURE_VIEW``. Django's own
handlers render 400 and 500 without the request, so the page could not show the request id; these
pass it. The 500 page is rendered without context processors or the database (they may be what
failed), and if even that fails, a plain-text answer still names the request id.
"""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from clusterdesk.web.middleware import request_id_of

log = logging.getLogger(__name__)


class BadInput(BadRequest):
    """A malformed request (a non-numeric id, a body that is not what the page sends).

    The message is Chinese and shown on the 400 page; Django's own 400s (SuspiciousOperation,
    a disallowed host) show only the generic text, since their messages are English internals.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _render(request: HttpRequest, template: str, status: int, context: dict) -> HttpResponse:
    context = {"request_id": request_id_of(request), **context}
    try:
        body = loader.render_to_string(template, context, request=request)
    except Exception:
        # The page's own extras (navigation, the signed-in user) failed: the bare page instead.
        log.exception("error page %s could not be rendered with the request", template)
        body = loader.render_to_string(template, context)
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = exception.message if isinstance(exception, BadInput) else ""
    return _render(request, "400.html", 400, {"message": message})


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Our PermissionDenied carry the Chinese reason (access.require, the domain's refusals).
    return _render(request, "403.html", 403, {"exception": str(exception or "")})


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "404.html", 404, {})


def method_not_allowed(request: HttpRequest, refused: HttpResponse) -> HttpResponse:
    """The Chinese page for Django's bare 405 (``require_POST`` and friends), keeping Allow."""
    allowed = refused.get("Allow", "")
    context = {"method": request.method, "allowed": allowed}
    response = _render(request, "405.html", 405, context)
    if allowed:
        response["Allow"] = allowed
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _render(request, "403_csrf.html", 403, {})


def server_error(request: HttpRequest) -> HttpResponse:
    request_id = request_id_of(request)
    try:
        body = loader.get_template("500.html").render({"request_id": request_id})
    except Exception:
        log.exception("the 500 page could not be rendered")
        body = f"服务器内部错误，请稍后重试；如问题持续，请联系管理员（请求编号 {request_id}）。"
        return HttpResponse(body, status=500, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, status=500)
