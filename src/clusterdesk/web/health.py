"""Health endpoints for the load balancer and the process manager (README "make serve").

``/healthz`` (liveness) says the process answers, and touches nothing else: a database outage
must not make an orchestrator restart every app server. ``/readyz`` (readiness) says this server
can do its work: the database answers a query, the storage takes, returns and deletes a probe
file, and the queue is reachable (Redis answers PING, or the database queue's table is there).
Both answer JSON, 200 or 503, without login, session or CSRF, and cost a few milliseconds.

``HealthMiddleware`` answers them before the HTTPS redirect and the host check: a probe comes
over plain http from inside the network, often with an address as its Host. The answers name no
host, path or error text (those go to the log), so nothing leaks to whoever asks.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from clusterdesk.shared.storage import EXPORTS, MEDIA

logger = logging.getLogger(__name__)

PROBE_DIR = "health"
QUEUE_TIMEOUT_S = 2  # a Redis that does not answer must not hold the probe (or a worker) long


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _storage() -> None:
    """Both configured stores (``STORAGES``: local directories, or the S3-compatible bucket of
    CLUSTERDESK_STORAGE_URL) take, return and delete a probe file."""
    for alias in (MEDIA, EXPORTS):
        store = storages[alias]
        content = uuid.uuid4().hex.encode()
        name = store.save(f"{PROBE_DIR}/probe-{uuid.uuid4().hex}.txt", ContentFile(content))
        try:
            with store.open(name, "rb") as probe:
                if probe.read() != content:
                    raise OSError("探测文件读回的内容与写入的不同")
        finally:
            store.delete(name)


def _queue() -> None:
    if settings.CLUSTERDESK_TASKS_URL:
        import redis  # noqa: PLC0415 - only with a Redis queue

        client = redis.Redis.from_url(
            settings.CLUSTERDESK_TASKS_URL,
            socket_connect_timeout=QUEUE_TIMEOUT_S,
            socket_timeout=QUEUE_TIMEOUT_S,
        )
        try:
            client.ping()
        finally:
            client.close()
        return
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - needs the app registry

    DBTaskResult.objects.order_by().values("pk").first()


CHECKS: dict[str, tuple[Callable[[], None], str]] = {
    "database": (_database, "数据库无法访问"),
    "storage": (_storage, "文件存储无法读写"),
    "queue": (_queue, "后台任务队列无法访问"),
}


def _answer(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return _answer({"status": "ok"}, 200)


@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {}
    for name, (check, failure) in CHECKS.items():
        try:
            check()
        except Exception:
            # The details (host names, paths) go to the log only; the probe gets the verdict.
            logger.exception("就绪检查失败：%s", name)
            checks[name] = failure
        else:
            checks[name] = "ok"
    ready = all(result == "ok" for result in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    if not ready:
        body["message"] = "服务暂不可用：" + "；".join(
            result for result in checks.values() if result != "ok"
        )
    return _answer(body, 200 if ready else 503)


PATHS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
}


class HealthMiddleware:
    """Answers GET/HEAD of the health endpoints at once, second in ``MIDDLEWARE`` (after the
    request id): no HTTPS redirect, host check, session, CSRF or CSP for a probe. Other methods
    go on to the URL resolver, whose views answer 405."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = PATHS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
