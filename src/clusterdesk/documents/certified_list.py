"""The 认定名单 (list of certified clusters) and the 择优推荐 documents: the letter to the
province and the summary list of the recommended clusters, as Word and Excel.

Plain data in, bytes out: the registry app builds the lines from its records. Excel cells are
typed as text and defused (a cluster name starting with "=" stays text).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import docx
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .attachment1 import defuse
from .docx_style import (
    FONT_TITLE,
    SIZE_BODY,
    SIZE_HEADING,
    SIZE_TITLE,
    TEXT_WIDTH,
    Cell,
    append_body,
    paragraph,
    setup,
    table,
)


@dataclass(frozen=True)
class CertifiedLine:
    """One certified cluster as the lists print it (dates already written out)."""

    name: str
    county: str
    leading_industry: str
    industry_type: str
    round_name: str
    document_number: str
    valid_from: str
    valid_until: str
    status: str = ""
    operator: str = ""


@dataclass(frozen=True)
class RecommendedLine:
    cluster: CertifiedLine
    reason: str


@dataclass(frozen=True)
class Letter:
    """The particulars of the recommendation letter (关于推荐…的函)."""

    year: int
    addressee: str
    sender: str
    issued_on: str  # e.g. 2023年6月30日
    letter_number: str = ""
    contact: str = ""
    phone: str = ""


def certified_title(title: str) -> str:
    return title or "中小企业特色产业集群认定名单"


def letter_title(year: int) -> str:
    return f"关于推荐{year}年度中小企业特色产业集群的函"


def recommended_title(year: int) -> str:
    return f"{year}年度中小企业特色产业集群推荐名单"


# ---------------------------------------------------------------- Word


def _docx(xml: Sequence[str]) -> bytes:
    document = docx.Document()
    setup(document)
    append_body(document, "".join(xml))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _title(text: str) -> str:
    return paragraph(text, bold=True, size=SIZE_TITLE, font=FONT_TITLE, align="center")


def _grid(heads: Sequence[str], rows: Sequence[Sequence[str]], weights: Sequence[int]) -> str:
    total = sum(weights)
    widths = [TEXT_WIDTH * weight // total for weight in weights]
    cells = [[Cell([head], bold=True, center=True) for head in heads]]
    for row in rows:
        cells.append([Cell([value], center=index == 0) for index, value in enumerate(row)])
    if not rows:
        cells.append([Cell(["无"], span=len(heads), center=True)])
    return table(widths, cells, header_rows=1)


CERTIFIED_HEADS = ("序号", "集群名称", "所在地区", "主导产业", "认定批次", "认定文号", "有效期")
CERTIFIED_WEIGHTS = (5, 22, 11, 11, 10, 17, 16)


def _certified_row(number: int, line: CertifiedLine) -> list[str]:
    return [
        str(number),
        line.name,
        line.county,
        line.leading_industry,
        line.round_name,
        line.document_number,
        f"{line.valid_from}至{line.valid_until}",
    ]


def render_certified_docx(lines: Sequence[CertifiedLine], title: str = "") -> bytes:
    """The 认定名单 as Word: a numbered table, one row per certified cluster."""
    rows = [_certified_row(number, line) for number, line in enumerate(lines, start=1)]
    return _docx(
        [
            _title(certified_title(title)),
            paragraph(f"（共 {len(lines)} 个）", align="center", space_before=120),
            paragraph(),
            _grid(CERTIFIED_HEADS, rows, CERTIFIED_WEIGHTS),
        ]
    )


def render_letter_docx(letter: Letter, lines: Sequence[RecommendedLine]) -> bytes:
    """The recommendation letter to the province, listing the recommended clusters."""
    count = len(lines)
    xml = [_title(letter_title(letter.year))]
    if letter.letter_number:
        xml.append(paragraph(letter.letter_number, align="center", space_before=120))
    xml.append(paragraph())
    xml.append(paragraph(f"{letter.addressee}：", size=SIZE_BODY))
    xml.append(
        paragraph(
            f"根据{letter.year}年度中小企业特色产业集群申报认定工作安排，经区（县、市）推荐、"
            f"专家评审、实地走访、会审和公示等程序，我局从已认定且在有效期内的中小企业特色产业集群中"
            f"择优遴选出{count}个集群，现推荐如下：",
            size=SIZE_BODY,
            indent=True,
        )
    )
    for number, line in enumerate(lines, start=1):
        cluster = line.cluster
        xml.append(
            paragraph(
                f"{number}. {cluster.name}（{cluster.county}，"
                f"主导产业：{cluster.leading_industry}，认定文号：{cluster.document_number}）",
                size=SIZE_BODY,
                indent=True,
            )
        )
        xml.append(paragraph(f"推荐理由：{line.reason}", size=SIZE_BODY, indent=True))
    xml.append(
        paragraph(
            "随函附推荐名单及各集群的申报书（附件2）和佐证材料电子版，请予审核。",
            size=SIZE_BODY,
            indent=True,
        )
    )
    if letter.contact or letter.phone:
        xml.append(
            paragraph(
                f"联系人：{letter.contact}    联系电话：{letter.phone}", size=SIZE_BODY, indent=True
            )
        )
    xml.append(paragraph("附件：推荐名单", size=SIZE_BODY, indent=True, space_before=240))
    xml.append(paragraph(letter.sender, size=SIZE_BODY, align="right", space_before=480))
    xml.append(paragraph(letter.issued_on, size=SIZE_BODY, align="right"))
    return _docx(xml)


RECOMMENDED_HEADS = ("序号", "集群名称", "所在地区", "主导产业", "认定文号", "有效期", "推荐理由")
RECOMMENDED_WEIGHTS = (5, 18, 10, 10, 15, 14, 28)


def _recommended_row(number: int, line: RecommendedLine) -> list[str]:
    cluster = line.cluster
    return [
        str(number),
        cluster.name,
        cluster.county,
        cluster.leading_industry,
        cluster.document_number,
        f"{cluster.valid_from}至{cluster.valid_until}",
        line.reason,
    ]


def render_recommended_docx(year: int, lines: Sequence[RecommendedLine]) -> bytes:
    rows = [_recommended_row(number, line) for number, line in enumerate(lines, start=1)]
    return _docx(
        [
            paragraph("附件", bold=True, size=SIZE_HEADING, font=FONT_TITLE),
            _title(recommended_title(year)),
            paragraph(),
            _grid(RECOMMENDED_HEADS, rows, RECOMMENDED_WEIGHTS),
        ]
    )


# ---------------------------------------------------------------- Excel


def _xlsx(title: str, sheet_name: str, heads: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    last = get_column_letter(len(heads))
    sheet.merge_cells(f"A1:{last}1")
    sheet.cell(1, 1).value = defuse(title)
    sheet.cell(1, 1).font = Font(name="宋体", size=16, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column, head in enumerate(heads, start=1):
        cell = sheet.cell(2, column)
        cell.value = head
        cell.font = Font(bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = 8 if column == 1 else 22
    for index, row in enumerate(rows, start=3):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(index, column)
            if isinstance(value, int):
                cell.value = value
            else:
                cell.value = defuse(str(value))
                cell.data_type = "s"
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


REGISTRY_HEADS = (
    "序号",
    "集群名称",
    "所在地区",
    "主导产业",
    "主导产业所属产业类型",
    "认定批次",
    "认定文号",
    "有效期起",
    "有效期至",
    "状态",
)


def render_certified_xlsx(
    lines: Sequence[CertifiedLine], title: str = "", *, with_status: bool = True
) -> bytes:
    """The 认定名单 (and the registry's export, ``with_status``) as Excel."""
    heads = REGISTRY_HEADS if with_status else REGISTRY_HEADS[:-1]
    rows = []
    for number, line in enumerate(lines, start=1):
        row = [
            number,
            line.name,
            line.county,
            line.leading_industry,
            line.industry_type,
            line.round_name,
            line.document_number,
            line.valid_from,
            line.valid_until,
        ]
        if with_status:
            row.append(line.status)
        rows.append(row)
    return _xlsx(certified_title(title), "认定名单", heads, rows)


def render_recommended_xlsx(year: int, lines: Sequence[RecommendedLine]) -> bytes:
    rows = []
    for number, line in enumerate(lines, start=1):
        row = _recommended_row(number, line)
        rows.append([number, *row[1:]])
    return _xlsx(recommended_title(year), "推荐名单", RECOMMENDED_HEADS, rows)
