"""``manage.py refresh_tracking``: compute and store every certified cluster's tracking summary
(``tracking.TrackSummary``), so that the first view of the city-wide dashboard after a deploy or
a restore reads them instead of tracking every cluster. Summaries already up to date are left
alone; running it again changes nothing. The pages never need it to be right: an outdated or
missing summary is recomputed when read.

Exit code 0 when done, 2 on an argument it does not take or when the database cannot be read.
"""

from __future__ import annotations

from clusterdesk.shared.commands import NoArgumentsCommand
from clusterdesk.tracking.domain.compute import refresh


class Command(NoArgumentsCommand):
    help = "计算并存储全部已认定集群的目标跟踪汇总（全市总览首次打开时直接读取）。"

    def run(self) -> None:
        count = refresh()
        self.stdout.write(self.style.SUCCESS(f"已更新目标跟踪汇总：{count} 个已认定集群。"))
