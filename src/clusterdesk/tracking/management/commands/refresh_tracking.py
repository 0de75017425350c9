"""``manage.py refresh_tracking``: compute and store every certified cluster's tracking summary
(``tracking.TrackSummary``), so that the first view of the city-wide dashboard after a deploy or
a restore reads them instead of tracking every cluster. Summaries already up to date are left
alone; running it again changes nothing. The pages never need it to be right: an outdated or
missing summary is recomputed when read.

Exit code 0 when done, 2 on an argument it does not take or when the database cannot be read.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from clusterdesk.tracking.domain.compute import refresh

USAGE = "用法：python manage.py refresh_tracking（本命令不需要参数）"


class Command(BaseCommand):
    help = "计算并存储全部已认定集群的目标跟踪汇总（全市总览首次打开时直接读取）。"

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> None:  # argparse's own message is English
            message = message.replace("unrecognized arguments", "无法识别的参数")
            sys.stderr.write(f"参数有误（{message}）。{USAGE}\n")
            sys.exit(2)

        parser.error = error  # type: ignore[method-assign]
        return parser

    def handle(self, *args, **options) -> None:
        try:
            count = refresh()
        except DatabaseError as exc:
            raise CommandError(
                f"无法读取数据库，请先运行“python manage.py migrate”并检查 DATABASE_URL：{exc}",
                returncode=2,
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"已更新目标跟踪汇总：{count} 个已认定集群。"))
