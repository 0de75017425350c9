"""年度发展情况报告 as .docx: the report a certified cluster files with the bureau each year.

The title names the cluster and the year (XXXX中小企业特色产业集群YYYY年度发展情况报告); the six
parts follow with the headings of ``form.annual.schema.PART_TITLES``. Labels, units and the order
of the boxes come from the schema's field specs, values are printed by the form's own formatter
(``form.display.number_text``: two decimals, counts whole, 无 as 无), and the page, fonts and
tables are Attachment 2's (``docx_style``), so that the two documents a bureau files look alike.

Unlike Attachment 2 (一至七部分不得串页) the report is read as one text: a part starts where the
previous one ends, under a heading kept with its first lines.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from typing import Any

import docx
from pydantic import BaseModel

from ..form.annual.schema import (
    CASE_EVIDENCE_TITLE,
    FIGURE_TITLES,
    PART_TITLES,
    AnnualReport,
    ExtraActual,
    Figures,
    MajorChange,
    ReportBasics,
    Work,
)
from ..form.fields import NUMBER_KINDS, Kind, form_fields, spec_of
from ..form.numbers import NONE_WORD
from .attachment2_render import TICKED, UNTICKED
from .docx_style import (
    FONT_TITLE,
    SIZE_HEADING,
    SIZE_TITLE,
    TEXT_WIDTH,
    Cell,
    append_body,
    paragraph,
    setup,
    table,
)
from .draft import DRAFT, DraftMark, mark_every_page
from .layout import is_integer, options_of, printed_label
from .normalise import format_date, format_number

CLUSTER_WORDS = "中小企业特色产业集群"
TITLE_BLANK = "          "  # a name or year not filled yet: a gap to write in by hand
HEADER_TEXT = f"{DRAFT} · 不是正式报告"
NUMERALS = "一二三四五六七八九十"

LABEL_WIDTH = 3000
BASICS_WIDTHS = [LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH]
UNIT_WIDTH = 1900
FIGURE_WIDTHS = [TEXT_WIDTH - UNIT_WIDTH - 2200, UNIT_WIDTH, 2200]
EXTRA_WIDTHS = [1100, TEXT_WIDTH - 1100 - 1000 - 1500 - 1500, 1000, 1500, 1500]
CHANGE_WIDTHS = [1300, 1700, 1500, 1500, TEXT_WIDTH - 1300 - 1700 - 1500 - 1500]


def render_annual(report: AnnualReport, *, draft: DraftMark | None = None) -> bytes:
    """The report as the bytes of a .docx file.

    ``draft``: the report is not the filed one; every page's header says 草稿 · 不是正式报告 and
    under the title the open errors are counted. None for a submitted report."""
    document = docx.Document()
    setup(document)
    xml = [
        *title_xml(report, draft),
        *basics_xml(report),
        *figures_xml(report),
        *work_xml(report),
        *cases_xml(report),
        *outlook_xml(report),
        *changes_xml(report),
    ]
    append_body(document, "".join(xml))
    if draft is not None:
        mark_every_page(document, HEADER_TEXT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- title


def report_title(report: AnnualReport) -> str:
    """XXXX中小企业特色产业集群YYYY年度发展情况报告, from the cluster's name and the year.

    The name is kept up to its 中小企业特色产业集群 (the official name may go on with the
    industry in brackets: …集群（模具产业）); a name without those words is used whole."""
    name = (report.basics.cluster_name or "").strip()
    stem = name.split(CLUSTER_WORDS, 1)[0] if name else TITLE_BLANK
    year = str(report.basics.year) if report.basics.year else TITLE_BLANK
    return f"{stem}{CLUSTER_WORDS}{year}年度发展情况报告"


def title_xml(report: AnnualReport, draft: DraftMark | None) -> list[str]:
    out = [paragraph(report_title(report), bold=True, size=SIZE_TITLE, align="center")]
    if draft is not None:
        out.append(paragraph(draft_line(draft), bold=True, font=FONT_TITLE, align="center"))
    operator = report.basics.operator or ""
    out.append(
        paragraph(
            f"{spec_of(ReportBasics, 'operator').label}：{operator}",
            align="center",
            space_before=240,
        )
    )
    return out


def draft_line(draft: DraftMark) -> str:
    if draft.errors:
        return f"{DRAFT} · 尚有 {draft.errors} 处错误未改正，不是正式报告"
    return f"{DRAFT} · 暂无未改正的错误，尚未提交，不是正式报告"


def heading(title: str) -> str:
    """A part's heading: the style of Attachment 2's, kept with what follows, no page break."""
    return paragraph(
        title, bold=True, size=SIZE_HEADING, font=FONT_TITLE, keep_next=True, space_before=360
    )


def subheading(number: int, title: str) -> str:
    return paragraph(f"（{numeral(number)}）{title}", bold=True, keep_next=True, space_before=120)


def numeral(number: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 … 19 → 十九 (cases and directions stay below 20)."""
    if number <= 10:
        return NUMERALS[number - 1]
    return "十" + NUMERALS[number - 11]


def body(text: str | None) -> list[str]:
    """A narrative as indented paragraphs, one per line typed; an empty line when nothing was
    written (a blank to fill, never a 无 the unit did not write)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [paragraph(line, indent=True) for line in lines or [""]]


# ---------------------------------------------------------------- values


def value_text(model: type[BaseModel], name: str, value: Any) -> str:
    """A box's value as the form prints it: blank when empty, numbers by the form's formatter."""
    if value is None:
        return ""
    kind = spec_of(model, name).kind
    if kind in NUMBER_KINDS:
        return format_number(value, integer=is_integer(model, name))
    if kind == Kind.DATE:
        return format_date(value)
    if name == "year":
        return f"{value}年"
    return str(value)


def split_unit(label: str, unit: str | None) -> str:
    """The label without its trailing （unit）, which the table prints in its own column."""
    suffix = f"（{unit}）"
    if unit and label.endswith(suffix):
        return label[: -len(suffix)]
    return label


def choice_line(model: type[BaseModel], name: str, chosen: Any) -> str:
    """☑是 □否: the printed options with the chosen one ticked."""
    return "  ".join(
        f"{TICKED if chosen == option else UNTICKED}{option}" for option in options_of(model, name)
    )


# ---------------------------------------------------------------- 一、基本情况


def basics_xml(report: AnnualReport) -> list[str]:
    basics = report.basics
    rows = [
        [Cell([spec.label]), Cell([value_text(ReportBasics, name, getattr(basics, name))])]
        for name, spec in form_fields(ReportBasics)
    ]
    return [heading(PART_TITLES["basics"]), table(BASICS_WIDTHS, rows)]


# ---------------------------------------------------------------- 二、年度主要指标


def figures_xml(report: AnnualReport) -> list[str]:
    year = f"{report.basics.year}年" if report.basics.year else "本年度"
    out = [heading(PART_TITLES["figures"])]
    for number, (block, _spec) in enumerate(form_fields(Figures), 1):
        values = getattr(report.figures, block)
        model = type(values)
        rows = [[Cell([text], bold=True, center=True) for text in ("指标", "单位", year)]]
        for name, spec in form_fields(model):
            # The unit has a column of its own; the official note stays (其中：, （年末数）).
            label = printed_label(
                dataclasses.replace(spec, label=split_unit(spec.label, spec.unit))
            )
            rows.append(
                [
                    Cell([label]),
                    Cell([spec.unit or ""], center=True),
                    Cell([value_text(model, name, getattr(values, name))], center=True),
                ]
            )
        out += [subheading(number, FIGURE_TITLES[block]), table(FIGURE_WIDTHS, rows, header_rows=1)]
    return out


# ---------------------------------------------------------------- 三、发展规划实施情况


def work_xml(report: AnnualReport) -> list[str]:
    work = report.work
    out = [heading(PART_TITLES["work"])]
    number = 0
    for name, spec in form_fields(Work):
        if spec.kind != Kind.NARRATIVE:
            continue
        number += 1
        out += [subheading(number, spec.label), *body(getattr(work, name))]
    out += [subheading(number + 1, spec_of(Work, "extra").label), *extra_xml(work.extra)]
    return out


def extra_xml(rows: Sequence[ExtraActual]) -> list[str]:
    if not rows:
        return [paragraph(NONE_WORD, indent=True)]
    names = list(ExtraActual.model_fields)
    header = [
        Cell([ExtraActual.model_fields[name].title or name], bold=True, center=True)
        for name in names
    ]
    cells = [[Cell([getattr(row, name) or ""]) for name in names] for row in rows]
    return [table(EXTRA_WIDTHS, [header, *cells], header_rows=1)]


# ---------------------------------------------------------------- 四、典型案例


def cases_xml(report: AnnualReport) -> list[str]:
    out = [heading(PART_TITLES["cases"])]
    if not report.cases.items:
        return [*out, paragraph(NONE_WORD, indent=True)]
    for number, case in enumerate(report.cases.items, 1):
        # each case's own files, filed under the case (form.row_evidence)
        filed = report.evidence.get(f"cases.items.{number - 1}") or []
        files = "、".join(item.name for item in filed) or NONE_WORD
        out += [
            subheading(number, case.title),
            *body(case.text),
            paragraph(f"{CASE_EVIDENCE_TITLE}：{files}", indent=True),
        ]
    return out


# ---------------------------------------------------------------- 五、存在问题和下一步举措


def outlook_xml(report: AnnualReport) -> list[str]:
    out = [heading(PART_TITLES["outlook"])]
    model = type(report.outlook)
    for number, (name, spec) in enumerate(form_fields(model), 1):
        out += [subheading(number, spec.label), *body(getattr(report.outlook, name))]
    return out


# ---------------------------------------------------------------- 六、重大变更情况


def changes_xml(report: AnnualReport) -> list[str]:
    changes = report.changes
    model = type(changes)
    question = spec_of(model, "any_change").label
    out = [
        heading(PART_TITLES["changes"]),
        paragraph(f"{question}：{choice_line(model, 'any_change', changes.any_change)}"),
        paragraph(spec_of(model, "items").label, bold=True, keep_next=True, space_before=120),
    ]
    names = list(MajorChange.model_fields)
    rows = [
        [
            Cell([MajorChange.model_fields[name].title or name], bold=True, center=True)
            for name in names
        ]
    ]
    for item in changes.items:
        rows.append([Cell([change_text(item, name)]) for name in names])
    if not changes.items:
        rows.append([Cell([NONE_WORD], span=len(names), center=True)])
    out.append(table(CHANGE_WIDTHS, rows, header_rows=1))
    return out


def change_text(item: MajorChange, name: str) -> str:
    value = getattr(item, name)
    return format_date(value) if name == "changed_on" else str(value)
