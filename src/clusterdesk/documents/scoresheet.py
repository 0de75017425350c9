"""The expert panel's documents: each expert's 专家评分表 (Word; PDF via ``pdf.py``) and the
评审汇总表 (Word and Excel), from plain data (no Django)."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from . import docx_style as ds
from .attachment1 import defuse
from .pdf import convert_to_pdf

SIGNATURE = "专家签名：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日"


@dataclass(frozen=True)
class SheetLine:
    name: str
    weight: str
    range_text: str
    score: str
    comment: str


@dataclass(frozen=True)
class SheetDocument:
    round_name: str
    phase_name: str
    cluster_name: str
    county: str  # "" when the round anonymises the county
    expert_name: str
    expert_organisation: str
    expert_title: str
    lines: Sequence[SheetLine]
    total: str  # the weighted total, or "" for an unsubmitted sheet
    opinion: str  # 推荐认定 / 不推荐 / ""
    opinion_reason: str
    status: str  # 已提交 / 草稿
    submitted_at: str


def sheet_docx(sheet: SheetDocument) -> bytes:
    document = Document()
    ds.setup(document)
    width = ds.TEXT_WIDTH
    body = [
        ds.paragraph(
            "专家评分表", bold=True, size=ds.SIZE_TITLE, font=ds.FONT_TITLE, align="center"
        ),
        ds.paragraph(f"{sheet.round_name} · {sheet.phase_name}", align="center"),
        ds.paragraph(),
    ]
    facts = [
        ("集群名称", sheet.cluster_name),
        ("申报单位", sheet.county or "（匿名评审，不显示）"),
        ("评审专家", sheet.expert_name),
        ("工作单位", sheet.expert_organisation or "—"),
        ("职称", sheet.expert_title or "—"),
        ("状态", sheet.status + (f"（{sheet.submitted_at}）" if sheet.submitted_at else "")),
    ]
    label_width = width // 4
    body.append(
        ds.table(
            (label_width, width - label_width),
            [[ds.Cell([label], bold=True), ds.Cell([value])] for label, value in facts],
        )
    )
    body.append(ds.paragraph())
    widths = (int(width * 0.28), int(width * 0.08), int(width * 0.13), int(width * 0.12))
    widths = (*widths, width - sum(widths))
    rows = [
        [
            ds.Cell([text], bold=True, center=True)
            for text in ("评分项", "权重", "分值范围", "得分", "评语")
        ]
    ]
    for line in sheet.lines:
        rows.append(
            [
                ds.Cell([line.name]),
                ds.Cell([line.weight], center=True),
                ds.Cell([line.range_text], center=True),
                ds.Cell([line.score or "—"], center=True),
                ds.Cell(line.comment.splitlines() or [""]),
            ]
        )
    rows.append(
        [
            ds.Cell(["加权总分（满分 100 分）"], span=3, bold=True),
            ds.Cell([sheet.total or "—"], center=True, bold=True),
            ds.Cell([""]),
        ]
    )
    body.append(ds.table(widths, rows, header_rows=1))
    body.append(ds.paragraph())
    body.append(ds.paragraph(f"总体意见：{sheet.opinion or '（未填写）'}", bold=True))
    if sheet.opinion_reason:
        body.append(ds.paragraph(f"理由：{sheet.opinion_reason}"))
    body.append(ds.paragraph())
    body.append(ds.paragraph(SIGNATURE, align="right", space_before=400))
    ds.append_body(document, "".join(body))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sheet_pdf(sheet: SheetDocument) -> bytes:
    """Via LibreOffice; raises ``PdfUnavailable`` or ``PdfError`` with a Chinese message."""
    with tempfile.TemporaryDirectory(prefix="clusterdesk-sheet-") as work:
        source = Path(work) / "scoresheet.docx"
        source.write_bytes(sheet_docx(sheet))
        (pdf,) = convert_to_pdf([source], Path(work) / "pdf")
        return pdf.read_bytes()


# --- 评审汇总表 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    rank: str  # "1", "2（并列）", "—"
    cluster_name: str
    county: str
    totals: Sequence[str]  # one per expert column
    mean: str
    median: str
    trimmed: str
    spread: str
    flags: str  # 分歧 and other flags, in words


@dataclass(frozen=True)
class SummaryDocument:
    round_name: str
    phases: str
    method: str  # the chosen aggregate, in words
    margin: str
    expert_columns: int
    rows: Sequence[SummaryRow]


def _summary_heading(summary: SummaryDocument) -> list[str]:
    experts = [f"专家{i}" for i in range(1, summary.expert_columns + 1)]
    return [
        "排名",
        "集群名称",
        "申报单位",
        *experts,
        "平均分",
        "中位数",
        "去极值平均分",
        "极差",
        "提示",
    ]


def _summary_cells(summary: SummaryDocument, row: SummaryRow) -> list[str]:
    totals = list(row.totals) + [""] * (summary.expert_columns - len(row.totals))
    return [
        row.rank,
        row.cluster_name,
        row.county,
        *totals,
        row.mean,
        row.median,
        row.trimmed,
        row.spread,
        row.flags,
    ]


def _summary_note(summary: SummaryDocument) -> str:
    return (
        f"排序依据：{summary.method}；专家意见分歧提示：极差超过 {summary.margin} 分。"
        "各专家得分为加权总分（满分 100 分）。"
    )


def summary_docx(summary: SummaryDocument) -> bytes:
    document = Document()
    ds.setup(document)
    section = document.sections[0]
    # Landscape: many expert columns.
    section.page_width, section.page_height = ds.PAGE_HEIGHT, ds.PAGE_WIDTH
    width = int((ds.PAGE_HEIGHT - ds.MARGIN_LEFT - ds.MARGIN_RIGHT) / 635)
    heading = _summary_heading(summary)
    narrow = int(width * 0.055)
    name_width, county_width = int(width * 0.2), int(width * 0.12)
    rest = len(heading) - 3
    other = (width - narrow - name_width - county_width) // rest
    widths = (narrow, name_width, county_width, *([other] * rest))
    rows = [[ds.Cell([text], bold=True, center=True) for text in heading]]
    for row in summary.rows:
        cells = _summary_cells(summary, row)
        rows.append([ds.Cell([text], center=i not in (1, 2)) for i, text in enumerate(cells)])
    body = [
        ds.paragraph(
            "评审汇总表", bold=True, size=ds.SIZE_TITLE, font=ds.FONT_TITLE, align="center"
        ),
        ds.paragraph(f"{summary.round_name} · {summary.phases}", align="center"),
        ds.paragraph(_summary_note(summary), size=ds.SIZE_TABLE),
        ds.table(widths, rows, header_rows=1),
        ds.paragraph(),
        ds.paragraph(
            "经办人：＿＿＿＿＿＿　　审核人：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日"
        ),
    ]
    ds.append_body(document, "".join(body))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def summary_xlsx(summary: SummaryDocument) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "评审汇总表"
    heading = _summary_heading(summary)
    last = get_column_letter(len(heading))
    for row, text in enumerate(
        ("评审汇总表", f"{summary.round_name} · {summary.phases}", _summary_note(summary)), start=1
    ):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row, 1, defuse(text))
        cell.data_type = "s"
        if row == 1:
            cell.font = Font(size=16, bold=True)
            cell.alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column, text in enumerate(heading, start=1):
        cell = sheet.cell(4, column, text)
        cell.font = Font(bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, row in enumerate(summary.rows, start=5):
        for column, text in enumerate(_summary_cells(summary, row), start=1):
            value: object = defuse(text)
            if column > 3 and _is_number(text):
                value = float(text)  # figures stay figures for sorting and sums in Excel
            cell = sheet.cell(index, column, value)
            if isinstance(value, str):
                cell.data_type = "s"
            else:
                cell.number_format = "0.00"
            cell.border = border
    for column in range(1, len(heading) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = (
            36 if column == 2 else 16 if column in (3, len(heading)) else 11
        )
    sheet.print_title_rows = "4:4"
    sheet.page_setup.orientation = "landscape"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return bool(text) and text.replace(".", "", 1).isdigit()
