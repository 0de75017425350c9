"""``manage.py verify_snapshots``: recompute every submission snapshot's SHA-256.

Exit code 0 when every stored hash matches its data, 1 when any does not (each listed), 2 when
the database cannot be read. Streams the snapshots, so memory stays flat however many there are.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.timezone import localtime

from clusterdesk.declarations.domain.integrity import application_labels, check_all


class Command(BaseCommand):
    help = "重新计算每份提交快照的 SHA-256，与提交时记录的值比对；有不一致时退出码为 1。"

    def handle(self, *args, **options) -> None:
        checked = 0
        mismatches = []
        try:
            for result in check_all():
                checked += 1
                if not result.ok:
                    mismatches.append(result)
            labels = application_labels(m.application_id for m in mismatches)
        except DatabaseError as exc:
            raise CommandError(
                f"无法读取数据库，请先运行“python manage.py migrate”并检查 DATABASE_URL：{exc}",
                returncode=2,
            ) from exc

        if not mismatches:
            self.stdout.write(self.style.SUCCESS(f"已校验 {checked} 份提交快照，全部一致。"))
            return
        for result in mismatches:
            label = labels.get(result.application_id, f"申报 #{result.application_id}")
            self.stderr.write(
                f"快照校验不一致：{label}，提交时间 "
                f"{localtime(result.submitted_at):%Y-%m-%d %H:%M:%S}（北京时间），"
                f"快照 #{result.submission_id}\n"
                f"  记录的 SHA-256：{result.stored}\n"
                f"  重新计算的 SHA-256：{result.computed}"
            )
        self.stderr.write(
            f"已校验 {checked} 份提交快照，其中 {len(mismatches)} 份不一致："
            "快照数据在提交后被改动过，请核查数据库的操作记录。"
        )
        sys.exit(1)
