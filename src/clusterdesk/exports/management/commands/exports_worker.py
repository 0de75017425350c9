"""``manage.py exports_worker``: the worker the configured queue needs (exports, and the
交叉比对 indexing of each new submission) — the database worker
(embedded default, started by ``make run``) or an RQ worker when CLUSTERDESK_TASKS_URL names
Redis. Stops on Ctrl+C or SIGTERM, after the export it is building."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "运行后台任务（导出文件、交叉比对）的工作进程"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--burst", action="store_true", help="处理完队列中已有的任务后退出")

    def handle(self, *args, burst: bool = False, **options) -> None:
        queue = settings.CLUSTERDESK_TASKS_QUEUE
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq."):
            # SimpleWorker runs each job in this process instead of a fork per job: the
            # 交叉比对 index stays warm in the worker's memory between submissions.
            call_command(
                "rqworker",
                queue,
                "--worker-class",
                "rq.worker.SimpleWorker",
                *(["--burst"] if burst else []),
            )
            return
        # No autoreload: a reloading parent killed by `make run` would leave its child behind.
        call_command(
            "db_worker",
            queue_name=queue,
            reload=False,
            batch=burst,
            verbosity=options["verbosity"],
        )
