"""``manage.py precheck_digests``: count the pre-check digest (aspects 未达标, open consistency
warnings) of every submitted application that has none, or one of an older submission — for
applications submitted before the digest existed. Running it again changes nothing.

Exit code 0 when done, 2 when the database cannot be read.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from clusterdesk.declarations.models import Application
from clusterdesk.intake.domain.digest import rebuild


class Command(BaseCommand):
    help = "为每份已提交的申报计算预检摘要（未达标方面数、一致性提醒数），供收件箱筛选。"

    def handle(self, *args, **options) -> None:
        submitted = (
            Application.objects.filter(submissions__isnull=False)
            .distinct()
            .select_related("round", "organisation")
            .order_by("pk")
        )
        try:
            with transaction.atomic():
                written, current = rebuild(submitted.iterator(chunk_size=200))
        except DatabaseError as exc:
            raise CommandError(
                f"无法读取数据库，请先运行“python manage.py migrate”并检查 DATABASE_URL：{exc}",
                returncode=2,
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(f"已计算 {written} 份申报的预检摘要，{current} 份已是最新。")
        )
