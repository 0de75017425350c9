"""``manage.py backup <target>``: the database and every stored file, with a manifest of SHA-256s.

``<target>`` ending in .tar.gz/.tgz/.tar: that archive; an existing directory: a new dated
``clusterdesk-backup-YYYYmmdd-HHMMSS.tar.gz`` inside it (``--keep N`` then removes all but the N
newest); any other path: a backup directory. Exit code 2 when the backup cannot be written.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from clusterdesk.backup.archive import BackupError
from clusterdesk.backup.operations import make_backup


class Command(BaseCommand):
    help = "备份数据库和全部存储文件（佐证材料、生成的文件、导出文件），附带 SHA-256 清单。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "target",
            help="备份归档（.tar.gz/.tar）、新的备份目录，或已有目录（在其中生成带日期的归档）",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="目标为已有目录时，只保留最新的 N 份带日期的备份，其余删除",
        )

    def handle(self, *args, **options) -> None:
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError("--keep 应为不小于 1 的整数。", returncode=2)
        try:
            result = make_backup(Path(options["target"]), keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except DatabaseError as exc:
            raise CommandError(
                f"无法读取数据库，请检查 DATABASE_URL 并确认已运行 migrate：{exc}", returncode=2
            ) from exc
        except OSError as exc:
            raise CommandError(f"无法写入备份“{options['target']}”：{exc}", returncode=2) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {result.path}：数据库 {result.rows} 行，"
                f"文件 {result.files} 个（{result.bytes / 1_048_576:.1f} MB），"
                "每个文件的 SHA-256 记录在 manifest.json 中。"
            )
        )
        for path in result.removed:
            self.stdout.write(f"已删除较早的备份 {path}")
