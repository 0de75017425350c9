"""``manage.py serve`` (``make serve``): migrate, then gunicorn and the queue's workers under one
supervisor in the foreground (clusterdesk.web.serve). Refuses to start, exit code 2, when a
production setting is missing."""

from __future__ import annotations

import os
import sys
from typing import ClassVar

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from clusterdesk.web import serve


def _count(raw: str, name: str, minimum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise CommandError(
            f"参数 {name} 应为不小于 {minimum} 的整数，当前为“{raw}”。", returncode=2
        )
    return value


class Command(BaseCommand):
    help = "以生产方式运行网站：gunicorn 多进程 + 后台任务工作进程（Ctrl+C 全部停止）"
    # The children check; a refusal must not wait for the checks.
    requires_system_checks: ClassVar[list[str]] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", default="8000", help="端口（默认 8000）")
        parser.add_argument(
            "--workers",
            default="",
            help=f"gunicorn 工作进程数（默认 2×CPU+1，本机为 {serve.default_workers()}）",
        )
        parser.add_argument(
            "--queue-workers", default="1", help="后台任务工作进程数（默认 1；0 表示不启动）"
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="启动前不执行数据库迁移（由另一台服务器执行）"
        )

    def handle(self, *args, **options) -> None:
        port = _count(options["port"], "--port", 1)
        workers = (
            _count(options["workers"], "--workers", 1)
            if str(options["workers"]).strip()
            else serve.default_workers()
        )
        queue_workers = _count(options["queue_workers"], "--queue-workers", 0)
        host = options["host"].strip()
        try:
            plan = serve.production_env(os.environ, settings.VAR_DIR, host)
        except serve.Refusal as refusal:
            raise CommandError(refusal.message, returncode=2) from None
        for warning in plan.warnings:
            self.stderr.write(f"注意：{warning}")

        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            connections.close_all()  # the supervisor itself keeps no database connection

        commands = {"gunicorn": serve.gunicorn_command(host, port, workers)}
        manage_py = settings.REPO_DIR / "manage.py"
        for number in range(1, queue_workers + 1):
            commands[f"后台任务工作进程 {number}"] = serve.queue_worker_command(manage_py)
        queue = "Redis（RQ）" if settings.CLUSTERDESK_TASKS_URL else "数据库队列"
        shown = "localhost" if plan.trial else host
        self.stderr.write(
            f"网站：http://{shown}:{port}/（gunicorn {workers} 个工作进程；"
            f"{queue} {queue_workers} 个后台任务工作进程）；健康检查 /healthz、/readyz；"
            "按 Ctrl+C 停止。"
        )
        supervisor = serve.Supervisor(commands, plan.env, settings.REPO_DIR, sys.stderr)
        code = supervisor.run()
        if code:
            sys.exit(code)
