"""Management commands that take no arguments and read the database (``refresh_tracking``,
``overlap_rebuild``): argparse's English errors become a Chinese line with the usage and exit
code 2, and a database that cannot be read (not migrated, DATABASE_URL wrong) exit code 2 with
what to do, never a traceback.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError


class NoArgumentsCommand(BaseCommand):
    """Subclasses implement ``run()``; ``handle()`` turns a database error into exit code 2."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        usage = f"用法：python manage.py {subcommand}（本命令不需要参数）"

        def error(message: str) -> None:  # argparse's own message is English
            message = message.replace("unrecognized arguments", "无法识别的参数")
            sys.stderr.write(f"参数有误（{message}）。{usage}\n")
            sys.exit(2)

        parser.error = error  # type: ignore[method-assign]
        return parser

    def handle(self, *args, **options) -> None:
        try:
            self.run()
        except DatabaseError as exc:
            raise CommandError(
                f"无法读取数据库，请先运行“python manage.py migrate”并检查 DATABASE_URL：{exc}",
                returncode=2,
            ) from exc

    def run(self) -> None:
        raise NotImplementedError
