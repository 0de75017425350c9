"""/api/v1/: the open API (clusterdesk.api.site)."""

from __future__ import annotations

import functools
import json

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, path

from clusterdesk.api.site import api


def _chinese_405(view):
    """django-ninja answers a method a path does not take with the English text "Method not
    allowed"; the API's other errors are JSON in Chinese, so this one is too (Allow kept)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = response.get("Allow", "")
        detail = f"此地址不支持 {request.method} 方法；可用的方法：{allowed}。"
        answer = HttpResponse(
            json.dumps({"detail": detail}, ensure_ascii=False),
            status=405,
            content_type="application/json; charset=utf-8",
        )
        answer["Allow"] = allowed
        return answer

    return wrapped


def _wrap(patterns: list) -> list:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _chinese_405(pattern.callback)
        elif isinstance(pattern, URLResolver):
            _wrap(pattern.url_patterns)
    return patterns


# Not named ``app_name``/``namespace`` here: include() would read a module-level ``app_name`` as
# this module's and put every route under "ninja", so reversing "api-v1:…" would fail.
ninja_patterns, ninja_app, ninja_namespace = api.urls
urlpatterns = [path("v1/", (_wrap(ninja_patterns), ninja_app, ninja_namespace))]
