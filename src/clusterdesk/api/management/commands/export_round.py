"""``manage.py export_round <轮次名称或 id> [--output 文件]``: one round in the exchange format
(docs/round-export.md). Written to a temporary file beside the target and renamed at the end, so
a failed export never leaves half a file under the target's name. Exit code 2 on bad input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterdesk.api.roundexport.build import NotExportable, export_pieces, find_round


class Command(BaseCommand):
    help = "按数据交换格式（docs/round-export.md）导出一个轮次的全部申报、记录、评分和认定。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("round", metavar="轮次", help="轮次名称（如“2023年度”）或轮次 id")
        parser.add_argument(
            "--output", "-o", metavar="文件", help="写入的 JSON 文件；不指定时写到标准输出"
        )

    def handle(self, *args, **options) -> None:
        try:
            round_ = find_round(options["round"])
            pieces = export_pieces(round_)
        except NotExportable as exc:
            raise CommandError(exc.message, returncode=2) from None
        target = options.get("output")
        if not target:
            for piece in pieces:
                self.stdout.write(piece, ending="")
            return
        path = Path(target)
        if path.is_dir():
            raise CommandError(f"--output：“{target}”是目录，请给出文件名。", returncode=2)
        if not path.parent.is_dir():
            raise CommandError(f"--output：目录“{path.parent}”不存在。", returncode=2)
        count = self._write(path, pieces)
        self.stderr.write(f"已导出轮次“{round_.name}”的 {count} 份申报到 {path}。")

    def _write(self, path: Path, pieces) -> int:
        try:
            handle, temporary = tempfile.mkstemp(prefix=".export-", dir=path.parent)
        except OSError as exc:
            message = f"--output：无法在“{path.parent}”写入：{exc.strerror}"
            raise CommandError(message, returncode=2) from None
        count = -1  # the head is one piece; every further piece but the last is an application
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                for piece in pieces:
                    out.write(piece)
                    count += 1
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return count - 1
