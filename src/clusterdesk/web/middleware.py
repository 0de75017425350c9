"""Request ids on every request, and the idle timeout of a signed-in session."""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from whitenoise.middleware import WhiteNoiseMiddleware

from clusterdesk.web.logs import current_request_id

HEADER = "X-Request-ID"
# A proxy's id (nginx's $request_id, a UUID) is kept so that its log and ours line up; anything
# else — too long, spaces, quotes, control characters — could forge or break log lines and is
# replaced by our own.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")


def request_id_of(request: HttpRequest | None) -> str:
    return getattr(request, "request_id", None) or current_request_id.get()


class RequestIdMiddleware:
    """Gives each request an id: on ``request.request_id``, in every log record made while it
    is handled, and in the ``X-Request-ID`` response header. First in ``MIDDLEWARE``, so every
    answer carries it, the redirects to HTTPS and the error pages included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class MethodNotAllowedMiddleware:
    """Django answers a wrong method (a GET to a POST-only view) with an empty 405; Django has
    no handler405, so the Chinese page is put in here. Only bodiless 405s: a view that wrote its
    own answer (the autosave's JSON) keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "content", b"x"):
            from clusterdesk.web.errors import method_not_allowed  # noqa: PLC0415 - errors renders templates

            return method_not_allowed(request, response)
        return response


class IdleSessionMiddleware:
    """Signs a user out after ``SESSION_COOKIE_AGE`` seconds without a request.

    Django's SESSION_SAVE_EVERY_REQUEST would write the session on every request (autosave posts
    every few seconds); instead the session — and with it the cookie's expiry and the stored
    expiry date — is renewed at most once per ``SESSION_REFRESH_SECONDS``. So the idle timeout
    is between ``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE``.
    Goes after SessionMiddleware, so that its answer is seen before the session is saved.
    """

    KEY = "_clusterdesk_renewed"
    clock = staticmethod(time.time)  # seconds; tests move it

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # No session (an anonymous visitor without a cookie), or one just emptied (logout):
        # nothing to keep alive, and none to create.
        if session is None or session.session_key is None or session.is_empty():
            return response
        now = int(self.clock())
        renewed = session.get(self.KEY)
        if session.session_key is None:  # the cookie named no stored session
            return response
        refresh = getattr(settings, "SESSION_REFRESH_SECONDS", 60)
        if not isinstance(renewed, int) or now - renewed >= refresh:
            session[self.KEY] = now
        return response


def renew_on_login(sender: type, request: HttpRequest | None, **kwargs: object) -> None:
    """A login writes the session anyway: stamp it, so the next request need not write again."""
    session = getattr(request, "session", None)
    if session is not None:
        session[IdleSessionMiddleware.KEY] = int(IdleSessionMiddleware.clock())


def request_id_context(request: HttpRequest) -> dict[str, str]:
    """Template context processor: ``request_id`` for the error and lockout pages."""
    return {"request_id": request_id_of(request)}


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise, quiet about a missing STATIC_ROOT: the files are served from the apps'
    static/ folders (WHITENOISE_USE_FINDERS), so collectstatic is optional, not forgotten."""

    def add_files(self, root: str, prefix: str | None = None) -> None:
        if os.path.isdir(root):
            super().add_files(root, prefix)
