"""``manage.py restore <backup>``: a backup (directory or archive) into an empty installation.

Refuses, with exit code 2 and nothing changed, when the backup is missing, unreadable or does not
match its manifest, when the installation's migrations differ from the backup's, or when the
database or the storage directories already hold data. Exit code 1 when the restore finished but
a submission snapshot does not match its SHA-256 (as ``verify_snapshots`` would report).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from clusterdesk.backup.archive import BackupError
from clusterdesk.backup.operations import restore_backup


class Command(BaseCommand):
    help = "把备份恢复到一个新建的空安装（先运行 migrate），恢复前后逐一校验 SHA-256。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", help="manage.py backup 写出的备份目录或归档")

    def handle(self, *args, **options) -> None:
        source = Path(options["backup"])
        try:
            result = restore_backup(source, report=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except DatabaseError as exc:
            raise CommandError(
                f"恢复“{source}”时数据库拒绝写入，已全部撤销：{exc}", returncode=2
            ) from exc
        except OSError as exc:
            raise CommandError(
                f"恢复“{source}”时无法读写文件，已全部撤销：{exc}", returncode=2
            ) from exc
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"已从 {source} 恢复（备份于 {manifest.get('created_at')}，"
                f"程序版本 {manifest.get('app_version')}）：数据库 {result.rows} 行，"
                f"文件 {result.files} 个，行数与文件的 SHA-256 均与清单一致。"
            )
        )
        if result.snapshot_mismatches:
            self.stderr.write(
                f"已校验 {result.snapshots} 份提交快照，其中 {result.snapshot_mismatches} 份不一致"
                "（备份时即已如此）：请运行 python manage.py verify_snapshots 查看。"
            )
            sys.exit(1)
        self.stdout.write(f"已校验 {result.snapshots} 份提交快照，全部一致。")
