"""``manage.py send_reminders``: remind units of drafts not yet submitted before a deadline.

Run it on a schedule (cron or a systemd timer, README "通知与提醒"); every run sends what is due
and nothing twice. ``--at`` says which time to go by (default: now), e.g. to check a schedule.
"""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from clusterdesk.declarations import clock
from clusterdesk.notifications.domain import send_reminders
from clusterdesk.notifications.enums import NotificationKind


class Command(BaseCommand):
    help = "向有未提交申报（草稿或被退回）的申报单位发送截止前7天、1天的提醒；每项提醒只发一次。"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> None:
            # argparse's own message is English; the operator reading cron mail is not.
            text = f"参数有误（{message}）。用法：manage.py send_reminders [--at 2023-04-07T09:00]"
            if parser.called_from_command_line:
                sys.stderr.write(text + "\n")
                sys.exit(2)
            raise CommandError(text, returncode=2)

        parser.error = error
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at",
            help="按此时间计算（北京时间，格式 2023-04-07T09:00），默认为当前时间。",
        )

    def handle(self, *args, **options) -> None:
        at = parse_time(options["at"]) if options["at"] else clock.now()
        try:
            result = send_reminders(at)
        except DatabaseError as exc:
            raise CommandError(
                f"无法读取数据库，请先运行“python manage.py migrate”并检查 DATABASE_URL：{exc}",
                returncode=2,
            ) from exc
        for round_, unit, kind in result.sent:
            self.stdout.write(f"已提醒：{unit} · {round_} · {NotificationKind(kind).label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"本次发送 {len(result.sent)} 条截止提醒；"
                f"{result.skipped} 条此前已发送，未重复发送。"
            )
        )


def parse_time(raw: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(
            f"参数 --at 的时间“{raw}”无法识别，应为 2023-04-07T09:00 这样的格式。", returncode=2
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)  # Beijing time (TIME_ZONE)
    return value
