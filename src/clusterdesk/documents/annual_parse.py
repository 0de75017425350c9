"""Import a filled 年度发展情况报告 (.docx) into the annual report's schema, with a report of what
was read.

As for Attachment 2 (``attachment2_parse``): the file is opened within the import limits, split
at the six part headings, and values are found by the schema's labels (normalised), never by
positions; a unit typed after a number, full-width digits, / for 无 or √ for ☑ are read and listed
in the report. Within a part, a sub-heading “（一）label” (or the label alone, or “1、label”)
opens a narrative; the tables are recognised by their labels (基本情况, 指标) or their header
row (其它考核指标, 重大变更清单).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..form.annual.definition import ANNUAL_REPORT_2024
from ..form.annual.schema import (
    CASE_EVIDENCE_TITLE,
    PART_TITLES,
    REPORT_TITLE,
    AnnualReport,
    Case,
    Changes,
    ExtraActual,
    Figures,
    MajorChange,
    Outlook,
    ReportBasics,
    Work,
)
from ..form.fields import NUMBER_KINDS, Kind, form_fields, spec_of
from ..form.loading import problem_of
from ..form.numbers import is_none_word
from . import deadline, safety
from .annual_render import split_unit
from .attachment2_parse import after_label, build
from .docx_read import NUMBERING, Region, Row, read_regions
from .errors import DocumentInputError
from .import_report import Collector, ParseReport
from .layout import inner_model, is_integer, options_of, printed_label
from .normalise import find_options, norm, parse_date, parse_number
from .safety import ImportLimits, open_document_body, source_name

NOT_THE_REPORT = (
    f"该文件不是《{REPORT_TITLE}》：未找到“一、基本情况”“二、年度主要指标”等部分标题，"
    "请使用系统导出的年度发展情况报告填写后再导入"
)
EVIDENCE_LABEL = CASE_EVIDENCE_TITLE
_YEAR = re.compile(r"(\d{4})")
_FILE_SEPARATORS = re.compile(r"[、；;,，\n]")
# A case's title: （一）… as printed, or (1)…; not 1. or 一、, which open lines of a case's text.
CASE_HEADING = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十\d]+\s*[）)]\s*")


@dataclass
class AnnualParseResult:
    report: AnnualReport
    log: ParseReport

    def log_text(self) -> str:
        return self.log.text()


def parse_annual(source: bytes | Path, limits: ImportLimits | None = None) -> AnnualParseResult:
    """Read a filled annual report within ``limits`` (by default ``safety.IMPORT_LIMITS``); a
    file past any of them, or not a report, is refused with a Chinese message."""
    limits = limits or safety.IMPORT_LIMITS
    with deadline.time_limit(limits.seconds, source_name(source)):
        regions = read_regions(open_document_body(source, limits=limits), PART_TITLES)
        if not any(part in regions for part in PART_TITLES):
            raise DocumentInputError(NOT_THE_REPORT)
        out = Collector(ANNUAL_REPORT_2024)
        out.put("form_version", AnnualReport.model_fields["form_version"].default)
        read_basics(out, regions.get("basics"))
        read_figures(out, regions.get("figures"))
        read_work(out, regions.get("work"))
        read_cases(out, regions.get("cases"))
        read_outlook(out, regions.get("outlook"))
        read_changes(out, regions.get("changes"))
        return AnnualParseResult(build(out, AnnualReport), out.report)


# ---------------------------------------------------------------- values


def read_value(out: Collector, model: type[BaseModel], name: str, raw: str, path: str) -> Any:
    """A cell's text as the box's kind of value, noting every interpretation."""
    spec = spec_of(model, name)
    raw = raw.strip()
    if spec.kind in NUMBER_KINDS:
        reading = parse_number(raw, spec.unit, integer=is_integer(model, name))
        out.whys(path, raw, reading.value, reading.why)
        return reading.value
    if spec.kind == Kind.CHOICE:
        options = [str(option) for option in options_of(model, name)]
        if name == "year":
            match = _YEAR.search(raw)
            return int(match.group(1)) if match else None
        if norm(raw) in options:
            return norm(raw)
        ticks = find_options(raw, options)
        index = next((i for i, tick in sorted(ticks.items()) if tick.ticked), None)
        if index is None:
            return None
        if ticks[index].why:
            out.report.interpret(path, raw, options[index], ticks[index].why)
        return options[index]
    return raw or None


def label_keys(spec: Any) -> tuple[str, ...]:
    """The labels a row may carry: as printed (unit in its own column), or with the unit."""
    bare = printed_label(dataclasses.replace(spec, label=split_unit(spec.label, spec.unit)))
    return tuple(dict.fromkeys(norm(text) for text in (bare, printed_label(spec), spec.label)))


def find_row(rows: list[Row], spec: Any) -> Row | None:
    keys = label_keys(spec)
    for row in rows:
        if row.cells and not row.used and row.cells[0].norm in keys:
            row.used = True
            return row
    return None


def read_table_fields(out: Collector, rows: list[Row], model: type[BaseModel], prefix: str) -> None:
    """Each field of ``model`` from the row labelled with it: its value is the row's last cell."""
    for name, spec in form_fields(model):
        path = f"{prefix}.{name}"
        row = find_row(rows, spec)
        if row is None:
            out.report.missing(path, spec.label)
            continue
        raw = row.cells[-1].text if len(row.cells) > 1 else ""
        out.put(path, read_value(out, model, name, raw, path))
        out.report.add_read(path, spec.label, raw.strip())


# ---------------------------------------------------------------- 一、二


def read_basics(out: Collector, region: Region | None) -> None:
    read_table_fields(out, region.rows if region else [], ReportBasics, "basics")


def read_figures(out: Collector, region: Region | None) -> None:
    rows = region.rows if region else []
    for block, _spec in form_fields(Figures):
        read_table_fields(out, rows, inner_model(Figures, block), f"figures.{block}")


# ---------------------------------------------------------------- narratives


def heading_text(text: str) -> str:
    """A paragraph without its numbering (（一）, 一、, 1、), normalised."""
    return NUMBERING.sub("", norm(text))


def sections(region: Region | None, labels: dict[str, str]) -> dict[str, list[str]]:
    """The paragraphs under each sub-heading (``{key: label}``), up to the next one or a table."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    wanted = {norm(label): key for key, label in labels.items()}
    for kind, block in region.blocks if region else []:
        if kind == "t":
            current = None
            continue
        text = str(block)
        key = wanted.get(heading_text(text))
        if key is not None and key not in found:
            current = found[key] = []
        elif current is not None and text.strip():
            current.append(text.strip())
    return found


def read_narratives(
    out: Collector, region: Region | None, model: type[BaseModel], prefix: str
) -> None:
    fields = [(name, spec) for name, spec in form_fields(model) if spec.kind == Kind.NARRATIVE]
    # Every field's label is a sub-heading that ends the narrative above it (其它考核指标 …).
    found = sections(region, {name: spec.label for name, spec in form_fields(model)})
    for name, spec in fields:
        path = f"{prefix}.{name}"
        if name not in found:
            out.report.missing(path, spec.label)
            continue
        text = "\n".join(found[name])
        out.put(path, text or None)
        out.report.add_read(path, spec.label, text)


def header_columns(row: Row, model: type[BaseModel]) -> dict[str, int] | None:
    """``{field: column}`` when ``row`` is the header row of a list of ``model``."""
    titles = {norm(info.title or name): name for name, info in model.model_fields.items()}
    columns = {titles[cell.norm]: i for i, cell in enumerate(row.cells) if cell.norm in titles}
    return columns if len(columns) == len(titles) else None


def list_rows(region: Region | None, model: type[BaseModel]) -> list[dict[str, str]]:
    """The rows under the header row of a list of ``model``; a row of only 无 is no row."""
    out: list[dict[str, str]] = []
    columns: dict[str, int] | None = None
    for row in region.rows if region else []:
        deadline.check()
        header = header_columns(row, model)
        if header is not None:
            columns = header
            continue
        if columns is None:
            continue
        texts = {
            name: row.cells[i].text.strip() for name, i in columns.items() if i < len(row.cells)
        }
        values = [text for text in texts.values() if text]
        if not values or all(is_none_word(text) for text in values):
            continue
        out.append(texts)
    return out


def valid_rows(
    out: Collector,
    path: str,
    model: type[BaseModel],
    rows: list[dict[str, Any]],
    raws: list[dict[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """The rows the list's model accepts; a row it refuses (a date that is no date, an empty
    title) is left out and reported with the form's own message, never half imported."""
    kept = []
    for number, row in enumerate(rows):
        try:
            model.model_validate(row)
        except ValidationError as error:
            typed = raws[number] if raws else row
            why = "；".join(
                problem_of({**problem, "input": str(typed.get(problem["loc"][0], "") or "")})
                for problem in error.errors()
            )
            raw = "｜".join(str(value) for value in typed.values() if value)
            out.report.interpret(f"{path}.{number}", raw, None, f"不符合表格要求，未导入（{why}）")
            continue
        kept.append(row)
    return kept


# ---------------------------------------------------------------- 三、四、五


def read_work(out: Collector, region: Region | None) -> None:
    read_narratives(out, region, Work, "work")
    rows = [{k: v or None for k, v in row.items()} for row in list_rows(region, ExtraActual)]
    rows = valid_rows(out, "work.extra", ExtraActual, rows)
    out.put("work.extra", rows)
    out.report.add_read("work.extra", spec_of(Work, "extra").label, f"{len(rows)}行")


def read_cases(out: Collector, region: Region | None) -> None:
    """Each case: a numbered sub-heading (its title), its paragraphs, then 佐证材料：files."""
    cases: list[dict[str, Any]] = []
    for kind, block in region.blocks if region else []:
        if kind != "p":
            continue
        text = str(block).strip()
        if not text:
            continue
        files = after_label(text, EVIDENCE_LABEL)
        if files is not None and cases:
            names = [name.strip() for name in _FILE_SEPARATORS.split(files) if name.strip()]
            cases[-1]["evidence"] = [{"name": name} for name in names if not is_none_word(name)]
        elif CASE_HEADING.match(text):
            cases.append({"title": CASE_HEADING.sub("", text).strip(), "lines": []})
        elif cases:
            cases[-1]["lines"].append(text)
    rows = [{"title": case["title"], "text": "\n".join(case["lines"])} for case in cases]
    items = valid_rows(out, "cases.items", Case, rows)
    out.put("cases.items", items)
    # The files each case names go on the register under the case (form.row_evidence): names
    # only, which the import lists for the officer to upload, as Attachment 2's appendix.
    kept = [case for case, row in zip(cases, rows, strict=True) if any(row is i for i in items)]
    register = {
        f"cases.items.{index}": case["evidence"]
        for index, case in enumerate(kept)
        if case.get("evidence")
    }
    if register:
        out.put("evidence", register)
    out.report.add_read("cases.items", "典型案例", f"{len(items)}个")


def read_outlook(out: Collector, region: Region | None) -> None:
    read_narratives(out, region, Outlook, "outlook")


# ---------------------------------------------------------------- 六


def read_changes(out: Collector, region: Region | None) -> None:
    model = Changes
    label = spec_of(model, "any_change").label
    path = "changes.any_change"
    answer = next(
        (
            rest
            for text in (region.paragraphs if region else [])
            if (rest := after_label(text, label)) is not None
        ),
        None,
    )
    if answer is None:
        out.report.missing(path, label)
    else:
        out.put(path, read_value(out, model, "any_change", answer, path))
        out.report.add_read(path, label, answer)
    rows, raws = [], list_rows(region, MajorChange)
    for number, row in enumerate(raws):
        raw = row.get("changed_on", "")
        reading = parse_date(raw)
        out.whys(f"changes.items.{number}.changed_on", raw, reading.value, reading.why)
        rows.append({**row, "changed_on": reading.value})
    items = valid_rows(out, "changes.items", MajorChange, rows, raws)
    out.put("changes.items", items)
    out.report.add_read("changes.items", spec_of(model, "items").label, f"{len(items)}项")
