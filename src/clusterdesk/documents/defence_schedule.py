"""现场答辩日程表: the city's printable schedule of a round's defences, as Word (and PDF through
``documents.pdf``). Plain data in, bytes out; no Django.

One table per phase with a defence, rows in time order: 序号, 日期, 时间, 集群名称, 申报单位,
答辩地点 (a place, an online link, or both).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document

from .docx_style import (
    FONT_TITLE,
    SIZE_BODY,
    SIZE_HEADING,
    TEXT_WIDTH,
    Cell,
    append_body,
    paragraph,
    setup,
    table,
)

COLUMNS = ("序号", "日期", "时间", "集群名称", "申报单位", "答辩地点")
# Shares of the text width, in the order above.
_SHARES = (7, 19, 18, 23, 17, 16)
WEEKDAYS = "一二三四五六日"
SIZE_TITLE = 36  # half-points: 小二, so that the round's title stays on one line


@dataclass(frozen=True)
class ScheduleRow:
    starts_at: dt.datetime  # local time
    ends_at: dt.datetime
    cluster_name: str
    organisation: str
    place: str = ""
    online_link: str = ""

    @property
    def date_text(self) -> str:
        return f"{self.starts_at:%Y年%m月%d日}\n（星期{WEEKDAYS[self.starts_at.weekday()]}）"

    @property
    def time_text(self) -> str:
        return f"{self.starts_at:%H:%M}—{self.ends_at:%H:%M}"

    @property
    def where_text(self) -> str:
        parts = [self.place] if self.place else []
        if self.online_link:
            parts.append(f"线上：{self.online_link}")
        return "\n".join(parts)


@dataclass(frozen=True)
class SchedulePhase:
    name: str  # e.g. 专家评审（含现场答辩）
    rows: Sequence[ScheduleRow]


def title(round_name: str) -> str:
    return f"{round_name}中小企业特色产业集群现场答辩日程表"


def render_schedule_docx(
    round_name: str, phases: Sequence[SchedulePhase], printed_on: dt.date | None = None
) -> bytes:
    document = Document()
    setup(document)
    body = [
        paragraph(title(round_name), bold=True, size=SIZE_TITLE, font=FONT_TITLE, align="center")
    ]
    if printed_on is not None:
        body.append(paragraph(f"制表日期：{printed_on:%Y年%m月%d日}", align="right"))
    widths = [TEXT_WIDTH * share // sum(_SHARES) for share in _SHARES]
    if not any(phase.rows for phase in phases):
        body.append(paragraph("尚未安排现场答辩。", size=SIZE_BODY, space_before=200))
    for phase in phases:
        if not phase.rows:
            continue
        body.append(
            paragraph(phase.name, bold=True, size=SIZE_HEADING, keep_next=True, space_before=240)
        )
        rows = [[Cell([label], bold=True, center=True) for label in COLUMNS]]
        for number, row in enumerate(phase.rows, start=1):
            rows.append(
                [
                    Cell([str(number)], center=True),
                    Cell(row.date_text.split("\n"), center=True),
                    Cell([row.time_text], center=True),
                    Cell([row.cluster_name or "（未填集群名称）"]),
                    Cell([row.organisation]),
                    Cell(row.where_text.split("\n")),
                ]
            )
        body.append(table(widths, rows, header_rows=1))
    body.append(
        paragraph(
            "请各区（县、市）经信部门通知集群运营管理机构按时参加答辩，"
            "每个集群答辩时间含陈述与专家提问。",
            space_before=240,
        )
    )
    append_body(document, "".join(body))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
