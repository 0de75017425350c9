"""附件1 2023年度中小企业特色产业集群推荐汇总表, as Word (to seal and file) and Excel.

One row per application: 序号 1..n, and the rest from the application (集群名称 and 集群运营管理机构
from part 一, 所在省、市、县（区） from the county, 主导产业, 集群成立时间 and 集群简介 from its
Attachment 1 row). For a whole round the rows are grouped by county in the city's usual order.
Text written to the spreadsheet is defused against formula injection.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..form.schema import Application
from ..form.schema.cover import location

DEFAULT_YEAR = 2023
TITLE_SUFFIX = "年度中小企业特色产业集群推荐汇总表"
DEPARTMENT_LABEL = "区（县、市）中小企业主管部门："
SEAL = "（盖章）"
CONTACT_LABEL = "联系人："
MOBILE_LABEL = "手机："
CONTACT_GAP = "\u3000" * 6  # the blank the notice leaves between 联系人 and 手机

# (heading, note printed under it, width in cm of the Word table on landscape A4)
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("序号", "", 1.2),
    ("集群名称", "", 4.3),
    ("集群运营管理机构", "", 4.0),
    ("所在省、市、县（区）", "", 3.2),
    ("主导产业", "", 2.3),
    ("集群成立时间", "", 2.8),
    ("集群简介", "（150字以内）", 7.9),
)
XLSX_WIDTHS = (6, 30, 28, 20, 14, 14, 60)

# The city's usual order of its districts, counties and functional areas; others follow by name.
COUNTY_ORDER = (
    "海曙区",
    "江北区",
    "北仑区",
    "镇海区",
    "鄞州区",
    "奉化区",
    "余姚市",
    "慈溪市",
    "宁海县",
    "象山县",
    "前湾新区",
    "高新区",
    "东钱湖旅游度假区",
    "保税区",
    "大榭开发区",
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class SummaryHeader:
    """The lines above the table: the sealing department, its contact person and mobile."""

    department: str = ""
    contact: str = ""
    mobile: str = ""

    @classmethod
    def from_applications(cls, applications: Sequence[Application]) -> SummaryHeader:
        """The header a county would write: filled only where all its applications agree."""
        return cls.from_values(
            (app.part1.department, app.part1.department_contact, app.part1.department_phone)
            for app in applications
        )

    @classmethod
    def from_values(cls, lines: Iterable[tuple[object, object, object]]) -> SummaryHeader:
        """``from_applications`` from each application's (department, contact, mobile) of part
        一, e.g. read out of the stored forms by the database; what is no text counts as empty."""

        def common(values: Iterable[object]) -> str:
            distinct = {
                value.strip() for value in values if isinstance(value, str) and value.strip()
            }
            return distinct.pop() if len(distinct) == 1 else ""

        lines = list(lines)
        return cls(
            department=common(line[0] for line in lines),
            contact=common(line[1] for line in lines),
            mobile=common(line[2] for line in lines),
        )


@dataclass(frozen=True)
class SummaryLine:
    number: int
    cluster_name: str
    operator: str
    location: str
    leading_industry: str
    established: str
    summary: str

    def cells(self) -> tuple[str, ...]:
        return (
            str(self.number),
            self.cluster_name,
            self.operator,
            self.location,
            self.leading_industry,
            self.established,
            self.summary,
        )


def title(year: int = DEFAULT_YEAR) -> str:
    return f"{year}{TITLE_SUFFIX}"


def established_text(value: str | None) -> str:
    """集群成立时间 as printed: 2005-06 → 2005年06月, 2005 → 2005年; anything else as written."""
    if not value:
        return ""
    value = value.strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        return f"{match.group(1)}年{int(match.group(2)):02d}月"
    if re.fullmatch(r"\d{4}", value):
        return f"{value}年"
    return value


def county_key(county: str | None) -> tuple[int, str]:
    county = county or ""
    for index, name in enumerate(COUNTY_ORDER):
        if county and (county == name or county.endswith(name)):
            return index, county
    return len(COUNTY_ORDER), county


def ordered(applications: Iterable[Application]) -> list[Application]:
    """By county in the city's order; a county's applications keep their given order."""
    return sorted(applications, key=lambda app: county_key(app.cover.county))


def summary_lines(applications: Iterable[Application]) -> list[SummaryLine]:
    lines = []
    for number, app in enumerate(ordered(applications), start=1):
        row = app.attachment1
        lines.append(
            SummaryLine(
                number=number,
                cluster_name=clean(app.part1.cluster_name),
                operator=clean(app.part1.operator),
                location=clean(location(app.cover.county)),
                leading_industry=clean(row.leading_industry),
                established=clean(established_text(row.established)),
                summary=clean(row.summary),
            )
        )
    return lines


def clean(text: str | None) -> str:
    """Text without the control characters XML cannot hold (a pasted \\x0b breaks a .docx)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text or "")


def header_lines(header: SummaryHeader) -> tuple[str, str]:
    department = f"{DEPARTMENT_LABEL}{header.department}{SEAL}"
    contact = f"{CONTACT_LABEL}{header.contact}{CONTACT_GAP}{MOBILE_LABEL}{header.mobile}"
    return department, contact


# ---------------------------------------------------------------- Word


def render_summary_docx(
    applications: Sequence[Application],
    header: SummaryHeader | None = None,
    title_year: int = DEFAULT_YEAR,
) -> bytes:
    header = header or SummaryHeader.from_applications(applications)
    document = Document()
    _landscape_a4(document)
    _paragraph(document, "附件1", size=12, font="黑体")
    _paragraph(document, title(title_year), size=18, font="方正小标宋简体", bold=True, center=True)
    department, contact = header_lines(header)
    _paragraph(document, department, size=12)
    _paragraph(document, clean(contact), size=12)

    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, (_label, _note, width) in zip(table.columns, COLUMNS, strict=True):
        column.width = Cm(width)  # the grid: LibreOffice lays out by it, Word by the cells
    heading = table.rows[0]
    _repeat_as_header(heading)
    for cell, (label, note, width) in zip(heading.cells, COLUMNS, strict=True):
        cell.width = Cm(width)
        _cell_text(cell, label, bold=True, center=True)
        if note:
            _cell_text(cell, note, center=True, new_paragraph=True)
    lines = summary_lines(applications)
    for line in lines:
        row = table.add_row()
        for index, (cell, value) in enumerate(zip(row.cells, line.cells(), strict=True)):
            cell.width = Cm(COLUMNS[index][2])
            _cell_text(cell, value, center=index in (0, 3, 4, 5))
    if not lines:  # an empty form to fill by hand, as the notice prints it
        for _ in range(2):
            table.add_row()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _landscape_a4(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")


def _paragraph(document, text, *, size, font=None, bold=False, center=False) -> None:
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if font:
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _cell_text(cell, text, *, bold=False, center=False, new_paragraph=False) -> None:
    paragraph = cell.add_paragraph() if new_paragraph else cell.paragraphs[0]
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold


def _repeat_as_header(row) -> None:
    """The heading row repeats on every page of a long round."""
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


# ---------------------------------------------------------------- Excel


def defuse(text: str) -> str:
    """Text a spreadsheet will not run as a formula: a leading = + - @ tab or CR gets a '."""
    text = clean(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render_summary_xlsx(
    applications: Sequence[Application],
    header: SummaryHeader | None = None,
    title_year: int = DEFAULT_YEAR,
) -> bytes:
    header = header or SummaryHeader.from_applications(applications)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "推荐汇总表"
    last = get_column_letter(len(COLUMNS))
    department, contact = header_lines(header)
    rows = (("附件1", False), (title(title_year), True), (department, False), (contact, False))
    for row, (text, is_title) in enumerate(rows, start=1):
        sheet.merge_cells(f"A{row}:{last}{row}")
        _text_cell(sheet, row, 1, text)
        if is_title:
            sheet.cell(row, 1).font = Font(name="宋体", size=16, bold=True)
            sheet.cell(row, 1).alignment = Alignment(horizontal="center", vertical="center")
            sheet.row_dimensions[row].height = 30

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    heading_row = len(rows) + 1
    for column, (label, note, _width) in enumerate(COLUMNS, start=1):
        cell = _text_cell(sheet, heading_row, column, label + note)
        cell.font = Font(bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, line in enumerate(summary_lines(applications), start=heading_row + 1):
        sheet.cell(index, 1, line.number).border = border
        sheet.cell(index, 1).alignment = Alignment(horizontal="center", vertical="center")
        for column, value in enumerate(line.cells()[1:], start=2):
            cell = _text_cell(sheet, index, column, value)
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)

    for column, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_cell(sheet, row: int, column: int, text: str):
    """A cell that holds text and only text: defused, and typed as a string, never a formula."""
    cell = sheet.cell(row, column)
    cell.value = defuse(text)
    cell.data_type = "s"
    return cell
