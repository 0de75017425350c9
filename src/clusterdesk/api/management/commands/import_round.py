"""``manage.py import_round --check <文件>``: does the file follow the exchange format
(docs/round-export.md, versions 1 and 2), and does every snapshot still match its SHA-256? This
is what another
system does on receiving a file; a full import into this system is not offered (see the doc's
“导入” section for why). Exit code 0 when the file is valid, 2 when it is not or cannot be read."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterdesk.api.roundexport.check import check_bytes

MAX_BYTES = 2 * 1024**3  # read whole: a round of a few hundred applications is tens of MB


class Command(BaseCommand):
    help = "校验轮次数据交换文件（docs/round-export.md）：结构、字段和提交快照的 SHA-256。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="文件", help="export_round 导出的 JSON 文件")
        parser.add_argument(
            "--check", action="store_true", help="只校验文件，不写入数据库（目前唯一的用法）"
        )

    def handle(self, *args, **options) -> None:
        if not options["check"]:
            message = (
                "目前只支持校验：请加 --check。"
                "完整导入到本系统未提供，原因见 docs/round-export.md。"
            )
            raise CommandError(message, returncode=2)
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"文件“{path}”超过 2 GB，不像一个轮次的导出。", returncode=2)
            raw = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"文件“{path}”不存在。", returncode=2) from None
        except IsADirectoryError:
            raise CommandError(f"“{path}”是目录，请给出导出的 JSON 文件。", returncode=2) from None
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror}", returncode=2) from None
        checked = check_bytes(raw)
        if not checked.ok:
            lines = "\n".join(f"  - {problem}" for problem in checked.problems)
            raise CommandError(f"文件“{path}”不符合轮次数据交换格式：\n{lines}", returncode=2)
        export = checked.export
        self.stdout.write(
            self.style.SUCCESS(
                f"文件有效（格式版本 {export.version}）：轮次“{export.round.name}”，"
                f"{len(export.applications)} 份申报，"
                f"{checked.snapshots} 份提交快照与其 SHA-256 相符。"
            )
        )
