"""The project's URLs plus the bench's baseline: a bare logged-in view (``make bench`` only).

The baseline pays what every page pays — the middleware, the session, the user — and nothing
else, so a page's cost is read as a multiple of it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from clusterdesk.urls import urlpatterns as project_urlpatterns

BARE_URL = "/bench/bare/"


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain; charset=utf-8")


urlpatterns = [path(BARE_URL.strip("/") + "/", bare), *project_urlpatterns]
