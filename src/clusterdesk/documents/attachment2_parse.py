"""Import a filled Attachment 2 (.docx) into the schema, with a report of what was read.

Values are found by the official labels (normalised: NFKC, no white space, quotes alike), never by
cell positions, so rows that moved, merged cells, extra spaces inside labels, and files that went
through WPS or LibreOffice all read. Every value that is not simply its text — a unit typed into
the cell, full-width digits, a √ instead of ☑ — is listed with the reason in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from lxml import etree
from pydantic import BaseModel, ValidationError

from ..form.display import show
from ..form.loading import problem_of
from ..form.schema import FORM_TITLE, PART_TITLES, Application
from ..form.schema.instructions import INSTRUCTIONS_TITLE
from . import appendix, deadline, safety
from .attachment2_render import OPINION_SEAL, SEAL_LINE
from .docx_read import Region, Row, read_regions
from .errors import DocumentInputError
from .import_report import Collector, ParseReport
from .layout import FORM_PARTS, part_rows
from .layout import Row as LayoutRow
from .normalise import TICK_MARKS, find_options, norm, option_pattern, parse_date, soft
from .part_readers import read_row
from .plan_section import read_plan
from .safety import ImportLimits, open_document_body, source_name

M = TypeVar("M", bound=BaseModel)

TITLES = {"instructions": INSTRUCTIONS_TITLE, **PART_TITLES, **appendix.TITLES}
DECLARATION_NOT_IMPORTED = (
    "文档中的真实性声明已勾选，导入时不勾选：请核对导入的内容后在网上填报页面勾选真实性声明"
)
NOT_THE_FORM = (
    "该文件不是《{title}》：未找到“一、基本情况”“二、主导产业情况”等部分标题，"
    "请使用系统导出的申报表或通知附件2的表格样式填写后再导入"
)


@dataclass
class ParseResult:
    application: Application
    report: ParseReport

    def report_text(self) -> str:
        return self.report.text()

    def as_json(self) -> dict[str, Any]:
        return {
            "application": self.application.model_dump(mode="json"),
            "report": self.report.as_json(),
        }


def open_body(source: bytes | Path, limits: ImportLimits | None = None) -> etree._Element:
    """The document body of an untrusted file: the one place a file is opened."""
    return open_document_body(source, limits=limits)


def parse_attachment2(source: bytes | Path, limits: ImportLimits | None = None) -> ParseResult:
    """Read a filled form within ``limits`` (by default ``safety.IMPORT_LIMITS``: sizes, XML
    elements, and a time budget for the whole reading; a file past any of them is refused with
    a Chinese message naming it)."""
    limits = limits or safety.IMPORT_LIMITS
    with deadline.time_limit(limits.seconds, source_name(source)):
        return _parse(source, limits)


def _parse(source: bytes | Path, limits: ImportLimits) -> ParseResult:
    regions = read_regions(open_body(source, limits), TITLES)
    if not any(part in regions for part in PART_TITLES):
        raise DocumentInputError(NOT_THE_FORM.format(title=FORM_TITLE))
    out = Collector()
    out.put("form_version", "2023")
    everywhere = [
        row for key, region in regions.items() if key.startswith("part") for row in region.rows
    ]
    for part in FORM_PARTS:
        region = regions.get(part)
        for row in part_rows(part):
            read_row(out, row, region.rows if region else [], everywhere)
    read_plan(out, regions.get("part8"))
    read_declaration(out, regions.get("part9"), everywhere)
    read_cover(out, regions["cover"])
    appendix.read(out, regions)
    return ParseResult(build(out), out.report)


# ---------------------------------------------------------------- cover and 九

_COUNTY_PREFIX = re.compile(r"^\s*浙\s*江\s*省\s*宁\s*波\s*市\s*(?:[（(]\s*区\s*[）)])?")
_COUNTY_SUFFIX = re.compile(r"\s*县\s*[（(]\s*市\s*、\s*区\s*[）)]\s*$")
_BLANKS = " \t\u3000_＿"


def after_label(text: str, label: str) -> str | None:
    """What follows “label：” at the start of a paragraph, or None when it does not start so."""
    searchable = soft(text)
    match = option_pattern(label).match(searchable.lstrip())
    if not match:
        return None
    start = len(searchable) - len(searchable.lstrip()) + match.end()
    source = text if len(searchable) == len(text) else searchable
    rest = source[start:]
    rest = re.sub(r"^\s*[（(]\s*盖\s*章\s*[）)]", "", rest)
    return (
        re.sub(r"^\s*[:：]", "", rest).strip(_BLANKS + "\n")
        if re.match(r"^\s*[:：]", rest)
        else None
    )


def read_cover(out: Collector, region: Region) -> None:
    wanted = {
        "cover.county": "所属地区",
        "cover.declared_on": "申报时间",
        "cover.contact": "联系人及联系电话",
    }
    found: dict[str, str] = {}
    for text in region.paragraphs:
        for path, label in wanted.items():
            rest = after_label(text, label) if path not in found else None
            if rest is not None:
                found[path] = rest
    for path, label in wanted.items():
        if path not in found:
            out.report.missing(path, label)
            continue
        raw = found[path]
        out.report.add_read(path, label, raw)
        if path == "cover.county":
            county = _COUNTY_SUFFIX.sub("", _COUNTY_PREFIX.sub("", raw)).strip(_BLANKS)
            out.put(path, county or None)
        elif path == "cover.declared_on":
            reading = parse_date(raw)
            out.put(path, reading.value)
            out.whys(path, raw, reading.value, reading.why)
        else:
            out.put(path, raw or None)


def _row_with(rows: list[Row], label: str) -> Row | None:
    key = norm(label)
    return next((row for row in rows if row.cells and row.cells[0].norm.startswith(key)), None)


def read_declaration(out: Collector, region: Region | None, everywhere: list[Row]) -> None:
    rows = region.rows if region else everywhere
    statement_row, signer, date_row, opinion_row = part_rows("part9")
    row = _row_with(rows, statement_row.box.spec.label)
    if row is None:
        for item in (statement_row, signer, date_row):
            out.report.missing(item.box.path, item.box.spec.label)
    else:
        paras = [text for cell in row.cells[1:] for text in cell.paras]
        _read_statement(out, statement_row, signer, date_row, paras)
    row = _row_with(rows, opinion_row.box.spec.label)
    path = opinion_row.box.path
    if row is None:
        out.report.missing(path, opinion_row.box.spec.label)
        return
    paras = [text for cell in row.cells[1:] for text in cell.paras]
    seal = next(
        (i for i, text in enumerate(paras) if norm(text).startswith(norm(OPINION_SEAL))), len(paras)
    )
    raw = "\n".join(paras[:seal]).strip()
    out.put(path, raw or None)
    out.report.add_read(path, opinion_row.box.spec.label, raw)


def _read_statement(
    out: Collector, statement: LayoutRow, signer: LayoutRow, date_row: LayoutRow, paras: list[str]
) -> None:
    text = "\n".join(paras)
    path = statement.box.path
    # The declaration is made by the officer in the web form, for the data as it stands then:
    # an import never ticks it, whatever the document shows.
    out.put(path, False)
    out.report.add_read(path, statement.box.spec.label, paras[0] if paras else "")
    tick = find_options(text, [statement.box.spec.note or ""]).get(0)
    if tick and tick.ticked and any(char in TICK_MARKS for char in text):
        out.report.interpret(path, paras[0] if paras else "", False, DECLARATION_NOT_IMPORTED)
    name = next(
        (rest for p in paras if (rest := after_label(p, signer.box.spec.label)) is not None), None
    )
    if name is None:
        out.report.missing(signer.box.path, signer.box.spec.label)
    else:
        out.put(signer.box.path, name or None)
        out.report.add_read(signer.box.path, signer.box.spec.label, name)
    seal_at = next((i for i, p in enumerate(paras) if norm(p).startswith(norm(SEAL_LINE)[:6])), 0)
    for raw in paras[seal_at + 1 :] or [""]:
        reading = parse_date(raw)
        if reading.value is not None or raw == paras[-1]:
            out.put(date_row.box.path, reading.value)
            out.report.add_read(date_row.box.path, date_row.box.spec.label, raw.strip())
            out.whys(date_row.box.path, raw, reading.value, reading.why)
            break


# ---------------------------------------------------------------- the application


def build(out: Collector, model: type[M] = Application) -> M:  # type: ignore[assignment]
    """Validate what was read as ``model`` (Attachment 2, or another form read from Word: the
    annual report); a value the schema refuses is dropped and reported, not fatal."""
    for _ in range(50):
        deadline.check()
        try:
            return model.model_validate(out.data)
        except ValidationError as error:
            for problem in error.errors():
                location = tuple(problem["loc"])
                removed = out.drop(location)
                path = ".".join(str(part) for part in location)
                # In Chinese and as the form shows the value, never pydantic's English or a repr.
                raw = show(removed)
                why = problem_of({**problem, "input": raw})
                out.report.interpret(path, raw, None, f"不符合表格要求，未导入（{why}）")
    return model()
