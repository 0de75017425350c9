"""``manage.py overlap_rebuild``: recompute the cross-application checks (交叉比对) from scratch —
every application's latest submission snapshot, of every round — and store their flags again.
The city's dismissals (已核实，非抄袭) are kept and apply to the same findings found again.
Running it again changes nothing but the flags' 发现时间.

Exit code 0 when done, 2 on an argument it does not take or when the database cannot be read.
"""

from __future__ import annotations

from clusterdesk.intake.domain.overlap import rebuild
from clusterdesk.shared.commands import NoArgumentsCommand


class Command(NoArgumentsCommand):
    help = (
        "从全部提交快照重新计算交叉比对（文本雷同、专利号/标准号/企业/平台重复），"
        "保留已有的核实结论。"
    )

    def run(self) -> None:
        result = rebuild()
        for label in result.unreadable:
            self.stderr.write(f"未纳入比对：{label} 的提交快照无法按申报表读取。")
        self.stdout.write(
            self.style.SUCCESS(
                f"已重建交叉比对：{result.applications} 份申报，{result.flags} 条提示"
                f"（其中 {result.dismissed} 条此前已核实为非抄袭）。"
            )
        )
