"""The export tests run on both queue backends: the embedded database queue and Redis (RQ).

``backend`` is parametrised; each test gets its own queue name, so that test runs sharing the
Redis server (or a developer's ``make run``) never take each other's tasks. The worker runs in
this process on the test's database transaction: the database worker's loop in batch mode,
RQ's ``SimpleWorker`` in burst mode (no fork).
"""

from __future__ import annotations

import uuid

import pytest
from django.test import override_settings

from tests.queues import BACKENDS, Queue, redis_problem


@pytest.fixture(params=BACKENDS)
def tasks(request, settings, tmp_path):
    """The queue under test (``tasks.work()`` runs it), exports and evidence under tmp_path."""
    if request.param == "redis":
        problem = redis_problem()
        if problem:
            pytest.skip(problem + "（CI 需要 Redis：apt install redis-server）")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLUSTERDESK_EXPORT_DIR = tmp_path / "exports"
    queue = Queue(request.param, f"test-exports-{uuid.uuid4().hex[:12]}")
    with override_settings(**queue.settings()):
        try:
            yield queue
        finally:
            queue.clean()


@pytest.fixture
def database_tasks(settings, tmp_path):
    """The embedded queue only: for the slow tests (LibreOffice), where one backend suffices."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLUSTERDESK_EXPORT_DIR = tmp_path / "exports"
    queue = Queue("database", f"test-exports-{uuid.uuid4().hex[:12]}")
    with override_settings(**queue.settings()):
        yield queue
