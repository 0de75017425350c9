"""Attachment 2 (中小企业特色产业集群申报表) as .docx, generated from the schema and its layout.

Cover, 填报说明, parts 一–九 as the notice's tables, then appendices for what the schema holds but
the printed form has no box for (清单s, the evidence register, the carbon formula and the
Attachment 1 row), so that the Word import reads back exactly what was written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import docx
from pydantic import BaseModel

from ..form.fields import Kind, spec_of
from ..form.numbers import NONE_WORD
from ..form.schema import FORM_TITLE, PART_TITLES, Application
from ..form.schema.cover import CITY, PROVINCE, Cover
from ..form.schema.declaration import DECLARATION_TEXT
from ..form.schema.innovation import CATEGORY_FIELDS, StandardRoleCounts
from ..form.schema.instructions import INSTRUCTIONS, INSTRUCTIONS_TITLE
from ..form.walk import resolve
from . import appendix
from .docx_style import (
    FONT_TITLE,
    SIZE_HEADING,
    SIZE_TITLE,
    TEXT_WIDTH,
    Cell,
    append_body,
    paragraph,
    part_heading,
    setup,
    table,
)
from .draft import DraftMark, mark_every_page
from .layout import (
    FORM_PARTS,
    VALUE_UNITS,
    YEAR_HEADER,
    YEAR_LABELS,
    YEARS,
    Box,
    Row,
    RowKind,
    part_rows,
)
from .normalise import format_date, format_number
from .plan_section import plan_xml

TICKED, UNTICKED = "☑", "□"
LABEL_WIDTH = 3100
WIDE = [LABEL_WIDTH] + [(TEXT_WIDTH - LABEL_WIDTH) // 3] * 3
STANDARDS_WIDTHS = [1800] + [(TEXT_WIDTH - 1800) // 9] * 9
COUNTY_BLANK = "（区）          县（市、区）"
DATE_BLANK = "        年    月    日"
SEAL_LINE = "县（市、区）中小企业主管部门（公章）："
OPINION_SEAL = "推荐单位（公章）："
ANNEX_LABEL = "附件2"


def render_attachment2(app: Application, *, draft: DraftMark | None = None) -> bytes:
    """The filled (or blank, for a draft) Attachment 2 as the bytes of a .docx file.

    ``draft``: the form is not the filed one; every page's header says 草稿 and the cover says
    how many errors are still open. None for a submitted application (and the command line)."""
    document = docx.Document()
    setup(document)
    xml = [*cover_xml(app, draft), *instructions_xml()]
    for part in FORM_PARTS:
        xml.append(part_heading(PART_TITLES[part]))
        xml.extend(part_xml(app, part))
    xml.extend(plan_xml(app))
    xml.append(part_heading(PART_TITLES["part9"]))
    xml.append(declaration_xml(app))
    xml.extend(appendix.render(app))
    append_body(document, "".join(xml))
    if draft is not None:
        mark_every_page(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- cover and 填报说明


def cover_xml(app: Application, draft: DraftMark | None = None) -> list[str]:
    part1, cover = app.part1, app.cover
    county = cover.county
    region = f"{PROVINCE}{CITY}{county}" if county else f"{PROVINCE}{CITY}{COUNTY_BLANK}"
    lines = [
        f"{spec_of(type(part1), 'cluster_name').label}：{part1.cluster_name or ''}",
        spec_of(type(part1), "cluster_name").note or "",
        f"{spec_of(Cover, 'county').label}：{region}",
        f"{spec_of(type(part1), 'department').label}（盖章）：{part1.department or ''}",
        f"{spec_of(type(part1), 'operator').label}：{part1.operator or ''}",
        f"{spec_of(Cover, 'declared_on').label}：{format_date(cover.declared_on)}",
        f"{spec_of(Cover, 'contact').label}：{cover.contact or ''}",
    ]
    return [
        paragraph(ANNEX_LABEL, font=FONT_TITLE),
        paragraph(FORM_TITLE, bold=True, size=SIZE_TITLE, align="center", space_before=2400),
        *(
            [paragraph(draft.cover_line, bold=True, font=FONT_TITLE, align="center")]
            if draft is not None
            else []
        ),
        *(paragraph(line, space_before=240) for line in lines),
        paragraph("工业和信息化部 制", align="center", space_before=1200),
    ]


def instructions_xml() -> list[str]:
    return [
        paragraph(
            INSTRUCTIONS_TITLE,
            bold=True,
            size=SIZE_HEADING,
            align="center",
            page_break=True,
            keep_next=True,
        ),
        *(paragraph(f"{n}. {text}", indent=True) for n, text in enumerate(INSTRUCTIONS, 1)),
    ]


# ---------------------------------------------------------------- parts 一–七


def value_text(box: Box, value: Any) -> str:
    """A box's value as printed: blank when empty, never “None”."""
    if value is None:
        return ""
    kind = box.spec.kind
    if kind in (Kind.TEXT, Kind.NARRATIVE):
        return str(value)
    if kind == Kind.DATE:
        return format_date(value)
    text = format_number(value, integer=box.integer)
    if text == NONE_WORD:  # 无 takes no unit: 无, not 无个
        return text
    return text + box.spec.unit if box.spec.unit in VALUE_UNITS else text


def option_lines(box: Box, chosen: Any, *, inline: bool) -> list[str]:
    """☑ or □ before each option's official text."""
    if isinstance(chosen, BaseModel):  # a group of checkboxes
        marks = [getattr(chosen, name) for name, _ in box.options]
    else:
        marks = [chosen == value for value, _ in box.options]
    lines = [
        f"{TICKED if mark else UNTICKED}{text}"
        for mark, (_, text) in zip(marks, box.options, strict=True)
    ]
    return ["  ".join(lines)] if inline else lines


class _Table:
    """Rows of one part collected into 4-column tables; merged groups share their first cell."""

    def __init__(self) -> None:
        self.rows: list[list[Cell]] = []
        self.header_done = False
        self.group: str | None = None

    def lead(self, row: Row) -> list[Cell]:
        """The merged group cell, when the row belongs to a group."""
        if row.group is None:
            self.group = None
            return []
        merge = "continue" if self.group == row.group else "restart"
        self.group = row.group
        return [Cell([row.group], merge=merge)]

    def xml(self, widths: Sequence[int]) -> str:
        keep = [
            index + 1 < len(self.rows) and self.rows[index + 1][0].merge == "continue"
            for index in range(len(self.rows))
        ]
        return table(widths, self.rows, keep=keep)


def part_xml(app: Application, part: str) -> list[str]:
    out: list[str] = []
    current = _Table()
    for row in part_rows(part):
        value = resolve(app, row.box.path)
        if row.kind == RowKind.STANDARDS:
            if current.rows:
                out += [current.xml(WIDE), paragraph()]  # a paragraph keeps tables apart
            out += [standards_xml(row, value), paragraph()]
            current = _Table()
            continue
        add_row(current, part, row, value, app)
    if current.rows:
        out.append(current.xml(WIDE))
    return out


def add_row(current: _Table, part: str, row: Row, value: Any, app: Application) -> None:
    box, rows = row.box, current.rows
    label = [Cell([row.label])]
    if row.kind == RowKind.YEARS:
        if not current.header_done:
            header = YEAR_HEADER.get(part, "年度")
            rows.append(
                [Cell([header], bold=True, center=True)]
                + [Cell([year], bold=True, center=True) for year in YEAR_LABELS]
            )
            current.header_done = True
        rows.append(label + [Cell([value_text(box, value.get(y))]) for y in YEARS])
        current.group = None
    elif row.kind == RowKind.YEARS_HEADED:
        rows.append(
            [Cell([row.label], merge="restart")]
            + [Cell([year], center=True) for year in YEAR_LABELS]
        )
        rows.append(
            [Cell(merge="continue")] + [Cell([value_text(box, value.get(y))]) for y in YEARS]
        )
    elif row.kind == RowKind.YEARS_DOWN:
        for index, year in enumerate(YEARS):
            merge = "continue" if index else "restart"
            rows.append(
                [
                    Cell([row.label], merge=merge),
                    Cell([YEAR_LABELS[index]], center=True),
                    Cell([value_text(box, value.get(year))], span=2),
                ]
            )
        if row.note_row:
            rows.append([Cell(merge="continue"), Cell([row.note_row], span=3)])
    elif row.kind == RowKind.PAIR:
        assert row.second is not None
        second = resolve(app, row.second.path)
        rows.append(
            [
                *label,
                Cell([value_text(box, value)]),
                Cell([row.second.spec.label]),
                Cell([value_text(row.second, second)]),
            ]
        )
    elif row.kind == RowKind.PLATFORM:
        names = "；".join(value.names) or ("无" if value.count == 0 else "")
        count = format_number(value.count, integer=True)
        # 无 stands alone (数量：无), a number takes the printed unit (数量：3个).
        unit = "" if count == NONE_WORD else box.spec.unit or "个"
        rows.append(
            [
                *current.lead(row),
                Cell([row.label]),
                Cell([f"数量：{count}{unit}", f"名称：{names}"], span=2),
            ]
        )
    elif row.kind in (RowKind.CHOICE, RowKind.TICKS):
        inline = row.kind == RowKind.CHOICE and part != "part1"
        lines = [row.before] if row.before else []
        lines += option_lines(box, value, inline=inline)
        lines += [row.after] if row.after else []
        lead = current.lead(row)
        head = [] if row.inline else [Cell([row.label])]
        rows.append(lead + head + [Cell(lines, span=4 - len(lead) - len(head))])
    else:
        lead = current.lead(row)
        rows.append(lead + label + [Cell([value_text(box, value)], span=3 - len(lead))])


def standards_xml(row: Row, value: dict[str, Any]) -> str:
    roles = [spec_of(StandardRoleCounts, name).label for name in ("led", "joined")]
    rows = [
        [Cell([row.label], merge="restart")]
        + [Cell([year], span=3, bold=True, center=True) for year in YEAR_LABELS]
    ]
    rows.append(
        [Cell(merge="continue")]
        + [Cell([text], center=True) for _ in YEARS for text in ("类别", *roles)]
    )
    for category, field in CATEGORY_FIELDS.items():
        cells = [Cell(merge="continue")]
        for year in YEARS:
            counts = getattr(value[year], field) if year in value else None
            cells.append(Cell([category], center=True))
            for name in ("led", "joined"):
                number = getattr(counts, name) if counts is not None else None
                cells.append(Cell([format_number(number, integer=True)], center=True))
        rows.append(cells)
    return table(STANDARDS_WIDTHS, rows, keep=[True] * (len(rows) - 1))


# ---------------------------------------------------------------- 九


def declaration_xml(app: Application) -> str:
    part9 = app.part9
    model = type(part9)
    mark = TICKED if part9.accepted else UNTICKED
    signer = spec_of(model, "responsible_person").label
    statement = [
        f"{mark}{DECLARATION_TEXT}",
        "",
        f"{signer}：{part9.responsible_person or ''}",
        SEAL_LINE,
        format_date(part9.signed_on) or DATE_BLANK,
    ]
    opinion = [part9.provincial_opinion or "", OPINION_SEAL, DATE_BLANK]
    rows = [
        [Cell([spec_of(model, "accepted").label]), Cell(statement, span=3)],
        [Cell([spec_of(model, "provincial_opinion").label]), Cell(opinion, span=3)],
    ]
    return table(WIDE, rows)
