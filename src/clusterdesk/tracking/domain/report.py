"""The annual monitoring report for the bureau (Word): the summary, the charts as PNG images
(drawn here with matplotlib from the same chart data the pages give ECharts, in Noto Sans CJK)
and the tables."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: images only
from docx import Document
from docx.shared import Cm
from matplotlib import font_manager
from matplotlib.figure import Figure

from clusterdesk.tracking.domain.compute import TrackedCluster
from clusterdesk.tracking.domain.dashboard import SHOWN_STATUSES, dashboard, lagging

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))
STATUS_COLORS = {"按期": "#2e7d32", "滞后": "#ef8f00", "严重滞后": "#c62828", "未报告": "#9e9e9e"}
PALETTE = ("#1f4e8c", "#8a94a6", "#ef8f00", "#2e7d32")


def _font() -> str | None:
    for folder in FONT_DIRS:
        for found in sorted(folder.glob("NotoSansCJK-Regular.tt*")):
            font_manager.fontManager.addfont(str(found))
            return font_manager.FontProperties(fname=str(found)).get_name()
    return None


FONT = _font()


def chart_png(spec: dict) -> bytes:
    """A chart of the pages' data (charts.js' format) as a PNG."""
    figure = Figure(figsize=(7.5, 3.8), dpi=150)
    if FONT:
        figure.set_layout_engine("constrained")
    axes = figure.add_subplot()
    family = {"fontfamily": FONT} if FONT else {}
    categories = spec.get("categories") or []
    xs = range(len(categories))
    bottom = [0.0] * len(categories)
    for index, series in enumerate(spec.get("series") or []):
        values = [None if v is None else float(v) for v in series.get("data") or []]
        color = STATUS_COLORS.get(series["name"], PALETTE[index % len(PALETTE)])
        if spec.get("type") == "bar":
            heights = [v or 0.0 for v in values]
            if spec.get("stack"):
                axes.bar(xs, heights, bottom=bottom, label=series["name"], color=color)
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
            else:
                axes.bar(xs, heights, label=series["name"], color=color)
        else:
            axes.plot(
                xs,
                [float("nan") if v is None else v for v in values],
                marker="o",
                linestyle="--" if series.get("dashed") else "-",
                label=series["name"],
                color=color,
            )
    axes.set_xticks(list(xs), [str(c) for c in categories], **family)
    if len(categories) > 5:
        for label in axes.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    axes.set_title(spec.get("title", ""), **family)
    axes.set_ylabel(spec.get("unit", ""), **family)
    if spec.get("series"):
        axes.legend(prop={"family": FONT} if FONT else None, fontsize=8)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _table(document, head, rows) -> None:
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)


def monitoring_report(clusters: list[TrackedCluster], year: int, today: dt.date) -> bytes:
    board = dashboard(clusters)
    document = Document()
    document.add_heading(f"{year}年度中小企业特色产业集群发展监测报告", level=0)
    document.add_paragraph(
        f"宁波市经济和信息化局　{today.year}年{today.month}月{today.day}日生成。"
        f"本报告依据已认定集群的申报规划目标（第八部分 2025 年目标 a–g）和截至{year}年度的"
        f"年度发展情况报告（已通过，及已提交待审核的报告），比较实际值与目标轨迹。"
    )
    document.add_heading("一、总体情况", level=1)
    counts = "，".join(f"{status}{board.counts[status]}个" for status in SHOWN_STATUSES)
    document.add_paragraph(f"纳入跟踪的已认定集群共{len(clusters)}个：{counts}。")
    _table(document, ("状态", "集群数（个）"), [(str(s), board.counts[s]) for s in SHOWN_STATUSES])
    document.add_heading("二、各区县和主导产业", level=1)
    for spec in (board.by_county, board.by_industry):
        document.add_picture(io.BytesIO(chart_png(spec)), width=Cm(15))
    document.add_heading("三、集群总产值", level=1)
    document.add_picture(io.BytesIO(chart_png(board.output)), width=Cm(15))
    _table(
        document,
        ("年份", "集群总产值合计（亿元）", "同比增长（可比口径，%）"),
        [(y, total, growth or "—") for y, total, growth in board.output_rows],
    )
    document.add_heading("四、滞后集群", level=1)
    rows = lagging(clusters)
    if board.ranked:
        document.add_picture(io.BytesIO(chart_png(board.ranking)), width=Cm(15))
    if rows:
        _table(
            document,
            ("序号", "集群名称", "所在地区", "目标", "状态", "原因"),
            [
                (n, c.name, c.county, f"{f.rule.letter}. {f.rule.label}", str(f.status), f.reason)
                for n, c in enumerate(rows, start=1)
                for f in c.track.flags
            ],
        )
    else:
        document.add_paragraph("本年度没有滞后的集群。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
