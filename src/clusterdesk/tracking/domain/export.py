"""The lagging list as an Excel workbook: one row per flagged target, with its reason."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from clusterdesk.tracking.domain.compute import TrackedCluster

HEAD = ("序号", "集群名称", "所在地区", "主导产业", "集群状态", "目标", "指标状态", "原因")


def lagging_xlsx(rows: list[TrackedCluster], year: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "滞后集群清单"
    sheet.append((f"{year}年度中小企业特色产业集群滞后清单",))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEAD)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, cluster in enumerate(rows, start=1):
        for flag in cluster.track.flags:
            sheet.append(
                (
                    number,
                    cluster.name,
                    cluster.county,
                    cluster.leading_industry,
                    str(cluster.track.status),
                    f"{flag.rule.letter}. {flag.rule.label}",
                    str(flag.status),
                    flag.reason,
                )
            )
    for column, width in zip("ABCDEFGH", (6, 36, 12, 14, 10, 22, 10, 70), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
