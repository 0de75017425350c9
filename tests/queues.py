"""The background queue under test: the embedded database queue or Redis (RQ), each test on a
queue of its own, so that test runs sharing the Redis server (or a developer's ``make run``)
never take each other's tasks. ``Queue.work()`` runs what is queued in this process, on the
test's database transaction: the database worker's loop in batch mode, RQ's ``SimpleWorker`` in
burst mode (no fork).
"""

from __future__ import annotations

import os
import signal

REDIS_URL = os.environ.get("CLUSTERDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# The servers of tests/test_serve.py use the site's own queue name ("default"), so they get a
# Redis database of their own, which the test empties. Two test runs at once (CI runs SQLite and
# PostgreSQL side by side) give each its own.
SERVERS_REDIS_URL = os.environ.get(
    "CLUSTERDESK_TEST_SERVERS_REDIS_URL", "redis://127.0.0.1:6379/13"
)
BACKENDS = ("database", "redis")


def redis_problem() -> str | None:
    import redis  # noqa: PLC0415

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis ({REDIS_URL}) 不可用：{error}"
    return None


class Queue:
    """The configured backend and a worker that runs what is queued, then returns."""

    def __init__(self, name: str, queue: str) -> None:
        self.name = name
        self.queue = queue

    def settings(self) -> dict:
        if self.name == "database":
            # "default" too: the task is declared (validated) once, under the real settings.
            backend = {
                "BACKEND": "django_tasks_db.DatabaseBackend",
                "QUEUES": [self.queue, "default"],
            }
            return {"TASKS": {"default": backend}, "CLUSTERDESK_TASKS_QUEUE": self.queue}
        backend = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [self.queue, "default"]}
        return {
            "TASKS": {"default": backend},
            "RQ_QUEUES": {self.queue: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}},
            "CLUSTERDESK_TASKS_QUEUE": self.queue,
        }

    def queued(self) -> int:
        """Tasks waiting in the queue."""
        if self.name == "database":
            from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

            return DBTaskResult.objects.ready().filter(queue_name=self.queue).count()
        import django_rq  # noqa: PLC0415

        return django_rq.get_queue(self.queue).count

    def work(self) -> None:
        """Run every queued task to its end."""
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            if self.name == "database":
                self._database_worker()
            else:
                self._rq_worker()
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    def _database_worker(self) -> None:
        from django_tasks_db.management.commands import db_worker  # noqa: PLC0415

        # The worker closes "old" connections between tasks; here the connection is the test's
        # own transaction, which must stay open.
        original = db_worker.close_old_connections
        db_worker.close_old_connections = lambda: None
        try:
            db_worker.Worker(
                queue_names=[self.queue],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=f"test-{self.queue}"[:64],
                excluded_queue_names=[],
            ).run()
        finally:
            db_worker.close_old_connections = original

    def _rq_worker(self) -> None:
        import django_rq  # noqa: PLC0415
        from rq import SimpleWorker  # noqa: PLC0415

        # The job class comes from the settings, as for `manage.py exports_worker`.
        worker = django_rq.get_worker(self.queue, worker_class=SimpleWorker)
        worker.work(burst=True, with_scheduler=False)

    def clean(self) -> None:
        """Leave nothing of the test's queue in Redis: its jobs, their results, its registries."""
        if self.name != "redis":
            return
        import django_rq  # noqa: PLC0415

        queue = django_rq.get_queue(self.queue)
        connection = queue.connection
        registries = (
            queue.finished_job_registry,
            queue.failed_job_registry,
            queue.started_job_registry,
            queue.deferred_job_registry,
            queue.scheduled_job_registry,
            queue.canceled_job_registry,
        )
        jobs = {job_id for registry in registries for job_id in registry.get_job_ids()}
        jobs.update(queue.get_job_ids())
        keys = [f"rq:{kind}:{job_id}" for job_id in jobs for kind in ("job", "results")]
        keys += [key.decode() for key in connection.scan_iter(match=f"rq:*{self.queue}*")]
        queue.delete(delete_jobs=True)
        if keys:
            connection.delete(*keys)
