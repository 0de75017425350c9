"""One page of the web form, built from the schema's field metadata — no template per field.

The page is a list of rows; each row is one of a few shapes (a single box, a year table, a group
of ticks, the standards grid, a platform line, a 清单 table, the part 八 targets table) and holds
``Input`` objects that carry everything a template needs: the editing path (``data-path``), the
value as rendered (``data-original``), the unit, the limit. The shapes are chosen from the
metadata (kind, yearly, unit) and the value's type, so a field added to the schema appears here
without an edit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, get_args

from pydantic import BaseModel

from clusterdesk.declarations.interfaces.form_values import (
    annotation_of,
    list_column,
    options_of,
    shown,
)
from clusterdesk.form.definition import FormDefinition
from clusterdesk.form.fields import NUMBER_KINDS, Evidence, FieldSpec, Kind, form_fields, spec_of
from clusterdesk.form.findings import Finding
from clusterdesk.form.live import box_attributes, evidence_trigger
from clusterdesk.form.row_evidence import row_at, row_label
from clusterdesk.form.rules import char_count, evidence_needed, subtree_chars
from clusterdesk.form.schema.innovation import (
    CATEGORY_FIELDS,
    ROLE_FIELDS,
    Platforms,
    StandardRoleCounts,
)
from clusterdesk.form.schema.plan import BASELINE_LABEL, TARGET_LABEL, QualitativeTarget, Targets


@dataclass
class Input:
    path: str
    widget: str  # text | textarea | number | date | radio | checkbox | lines | select
    value: str = ""
    original: str = ""  # data-original: the value as rendered (JSON for checkbox and lines)
    label: str = ""  # the accessible name, e.g. 集群总产值（亿元）2021年
    unit: str | None = None
    max_chars: int | None = None
    count: int = 0  # characters typed, as the rules count them
    integer: bool = False
    options: tuple[str, ...] = ()
    checked: bool = False
    live: dict[str, str] = field(default_factory=dict)  # data-* for the live checks (form.live)
    # For screen readers: the ids of the visible texts that name the box when more than one
    # does (a year cell: its row's label and its year's column header) ...
    labelled_by: str = ""
    # ... and of the findings about it, and whether one of them is an error to fix.
    described_by: str = ""
    invalid: bool = False


@dataclass
class Row:
    shape: str  # the template under declarations/form/rows/
    path: str  # the findings of this path and below are shown here
    label: str
    note: str | None = None
    prefix: str | None = None  # a note printed before the label, e.g. 其中：
    required: bool = False
    inputs: list[Input] = field(default_factory=list)
    children: list[Row] = field(default_factory=list)
    evidence: str | None = None  # when the evidence widget shows (form.live), if it can
    evidence_shown: bool = False
    files: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Any] = field(default_factory=list)  # shown_findings() once attached
    extra: dict[str, Any] = field(default_factory=dict)  # shape-specific: columns, years …


@dataclass
class Page:
    key: str
    title: str
    note: str | None
    rows: list[Row]
    findings: list[Any] = field(default_factory=list)  # those no row of the page holds
    extra: dict[str, Any] = field(default_factory=dict)  # 填报说明 on the cover, derived cells


def build_page(
    definition: FormDefinition, form: BaseModel, page: str, findings: list[Finding]
) -> Page:
    spec = definition.page(page)
    builder = _Builder(definition, form)
    if len(spec.sections) == 1:  # one part of the form: its boxes, under the part's note
        (section,) = spec.sections
        model = getattr(form, section)
        part = spec_of(definition.model, section)
        rows = builder.rows(model, f"{section}.")
        out = Page(page, spec.title, part.note, _group_year_rows(rows))
        if part.max_chars:  # part 八: 3000字以内 for the whole plan
            out.extra["total"] = {"limit": part.max_chars, "count": subtree_chars(model)}
    else:  # several parts on one page, each under its heading
        parts = [(name, spec_of(definition.model, name)) for name in spec.sections]
        rows = [row for name, part in parts for row in builder.row(form, name, part, name)]
        out = Page(page, spec.title, None, _group_year_rows(rows))
    out.extra.update(definition.extras(form, page))
    _attach(out, [f for f in findings if definition.page_of(f.path) == page])
    return out


# --- building rows ----------------------------------------------------------------------------


class _Builder:
    def __init__(self, definition: FormDefinition, form: BaseModel) -> None:
        self.definition = definition
        self.form = form
        self.years = definition.year_keys
        self.evidence = getattr(form, "evidence", None) or {}

    def rows(self, model: BaseModel, prefix: str) -> list[Row]:
        rows: list[Row] = []
        for name, spec in form_fields(type(model)):
            rows.extend(self.row(model, name, spec, f"{prefix}{name}"))
        return rows

    def row(self, owner: BaseModel, name: str, spec: FieldSpec, path: str) -> list[Row]:
        value = getattr(owner, name)
        if spec.yearly and spec.kind == Kind.SECTION:
            return [self.standards(spec, path, value)]
        if spec.yearly:
            return [self.years_row(spec, path, value)]
        if spec.kind == Kind.SECTION:
            return self.section(spec, path, value)
        if spec.kind == Kind.LIST:
            return [self.list_table(owner, name, spec, path, value)]
        row = self.base(spec, path, "field")
        row.inputs = [self.input(spec, path, value, annotation_of(owner, name))]
        if spec.kind == Kind.TICK:
            row.shape = "tick"
        self.attach_evidence(row, spec, value)
        return [row]

    def base(self, spec: FieldSpec, path: str, shape: str) -> Row:
        note = spec.note
        prefix = note if note and note.endswith("：") else None
        return Row(
            shape,
            path,
            spec.label,
            note=None if prefix else note,
            prefix=prefix,
            required=spec.required and spec.kind != Kind.SECTION,
        )

    def input(self, spec: FieldSpec, path: str, value: Any, annotation: Any, label: str = ""):
        label = label or spec.label
        kind = spec.kind
        if kind == Kind.TICK:
            ticked = value is True
            return Input(path, "checkbox", original=json.dumps(ticked), label=label, checked=ticked)
        text = shown(value)
        common = {"value": text, "original": text, "label": label, "live": box_attributes(spec)}
        if kind in NUMBER_KINDS:
            return Input(path, "number", unit=spec.unit, integer=kind == Kind.COUNT, **common)
        if kind == Kind.CHOICE:
            return Input(path, "radio", options=options_of(annotation), **common)
        if kind == Kind.DATE:
            return Input(path, "date", **common)
        if kind == Kind.NARRATIVE:
            count = char_count(text)
            return Input(path, "textarea", max_chars=spec.max_chars, count=count, **common)
        return Input(path, "text", max_chars=spec.max_chars, **common)

    def attach_evidence(self, row: Row, spec: FieldSpec, value: Any) -> None:
        if spec.evidence == Evidence.NONE:
            return
        row.evidence = evidence_trigger(spec.evidence)
        row.evidence_shown = evidence_needed(spec.evidence, value)
        row.files = [file.model_dump(mode="json") for file in self.evidence.get(row.path, [])]

    # --- shapes -----------------------------------------------------------------------------

    def years_row(self, spec: FieldSpec, path: str, value: dict[str, Any]) -> Row:
        row = self.base(spec, path, "years")
        for year in self.years:
            cell = Input(**vars(self.input(spec, f"{path}.{year}", value.get(year), None)))
            cell.label = f"{spec.label}{year}年"
            row.inputs.append(cell)
        return row

    def section(self, spec: FieldSpec, path: str, value: BaseModel) -> list[Row]:
        if isinstance(value, Platforms):
            return [self.platform(spec, path, value)]
        if isinstance(value, Targets):
            return self.targets(spec, path, value)
        inner = form_fields(type(value))
        if inner and all(item.kind == Kind.TICK for _, item in inner):
            group = self.base(spec, path, "ticks")
            for name, item in inner:
                group.children.extend(self.row(value, name, item, f"{path}.{name}"))
            return [group]
        heading = self.base(spec, path, "heading")
        return [heading, *self.rows(value, f"{path}.")]

    def standards(self, spec: FieldSpec, path: str, value: dict[str, Any]) -> Row:
        row = self.base(spec, path, "standards")
        roles = [(role, spec_of(StandardRoleCounts, role).label) for role in ROLE_FIELDS.values()]
        count_spec = spec_of(StandardRoleCounts, "led")
        lines = []
        for category_label, category in CATEGORY_FIELDS.items():
            cells = []
            for year in self.years:
                counts = getattr(value.get(year), category, None)
                for role, role_label in roles:
                    cell_path = f"{path}.{year}.{category}.{role}"
                    cell = self.input(count_spec, cell_path, getattr(counts, role, None), None)
                    cell.label = f"{year}年{category_label}{role_label}"
                    cells.append(cell)
            lines.append({"category": category_label, "cells": cells})
        row.extra = {"years": self.years, "roles": [label for _, label in roles], "lines": lines}
        return row

    def platform(self, spec: FieldSpec, path: str, value: Platforms) -> Row:
        row = self.base(spec, path, "platform")
        count_spec = spec_of(Platforms, "count")
        count = self.input(count_spec, f"{path}.count", value.count, None, f"{spec.label}数量")
        count.unit = spec.unit
        names = Input(
            f"{path}.names",
            "lines",
            value="\n".join(value.names),
            original=json.dumps(value.names, ensure_ascii=False),
            label=f"{spec.label}名称",
        )
        row.inputs = [count, names]
        row.extra = {"count_label": count_spec.label, "names_label": "名称"}
        return row

    def list_table(self, owner: BaseModel, name: str, spec: FieldSpec, path: str, value: list):
        row = self.base(spec, path, "list")
        (model,) = get_args(annotation_of(owner, name))
        fields = model.model_fields.items()
        columns = [list_column(key, info.annotation, info.title) for key, info in fields]
        rows = [item.model_dump(mode="json") for item in value]
        row.extra = {
            "columns": columns,
            "rows": [[(c, shown(item.get(c["key"]))) for c in columns] for item in rows],
            "original": json.dumps(rows, ensure_ascii=False, separators=(",", ":")),
            "pasteable": True,
        }
        row.required = False
        if spec.evidence == Evidence.PER_ROW:
            row.children = self.row_files(path, value)
        return row

    def row_files(self, path: str, value: list) -> list[Row]:
        """Each saved row of a list whose rows carry their own files (典型案例N): its label, its
        upload and its findings (``cases.items.0.evidence`` lands here)."""
        out = []
        for index, item in enumerate(value):
            row_path = f"{path}.{index}"
            found = row_at(self.definition, row_path)
            assert found is not None  # a PER_ROW list's rows are row_evidence's
            child = Row("row-files", row_path, row_label(found[0], index, item))
            child.files = [file.model_dump(mode="json") for file in self.evidence.get(row_path, [])]
            out.append(child)
        return out

    def targets(self, spec: FieldSpec, path: str, value: Targets) -> list[Row]:
        table = self.base(spec, path, "targets")
        lines = []
        extra_rows: list[Row] = []
        for name, item in form_fields(Targets):
            line_path = f"{path}.{name}"
            target = getattr(value, name)
            if item.kind == Kind.LIST:
                extra_rows.append(self.list_table(value, name, item, line_path, target))
                continue
            qualitative = isinstance(target, QualitativeTarget)
            cells = []
            for cell_name, cell_spec in form_fields(type(target)):
                cell_value = getattr(target, cell_name)
                cell = self.input(cell_spec, f"{line_path}.{cell_name}", cell_value, None)
                cell.label = f"{item.label}{cell_spec.label}"
                if not qualitative:
                    cell.unit = item.unit
                cells.append(cell)
            lines.append(
                {
                    "path": line_path,
                    "direction": item.label if qualitative else item.note,
                    "indicator": item.note if qualitative else item.label,
                    "unit": item.unit,
                    "cells": cells,
                    "findings": [],
                }
            )
        _span_directions(lines)
        table.extra = {"lines": lines, "headers": ("方向", "指标", BASELINE_LABEL, TARGET_LABEL)}
        return [table, *extra_rows]


def _span_directions(lines: list[dict[str, Any]]) -> None:
    """方向 is printed once for its run of indicators (rowspan), as on the official table."""
    previous = None
    for line in lines:
        if previous is not None and previous["direction"] == line["direction"]:
            previous["span"] += 1
            line["span"] = 0
        else:
            line["span"] = 1
            previous = line


def _group_year_rows(rows: list[Row]) -> list[Row]:
    """Consecutive year rows share one table with the years as column headers.

    A single number between two year rows (近三年…年均增速) stays in the table, spanning the
    year columns, as on the official form.
    """
    out: list[Row] = []
    for index, row in enumerate(rows):
        joins = row.shape == "years" or (
            _is_single_number(row)
            and out
            and out[-1].shape == "year-table"
            and index + 1 < len(rows)
            and rows[index + 1].shape == "years"
        )
        if not joins:
            out.append(row)
            continue
        if not out or out[-1].shape != "year-table":
            table = Row("year-table", row.path, "", children=[])
            table.extra["years"] = _years_of(row)
            out.append(table)
        out[-1].children.append(row)
        if row.shape == "years":  # the row's label and the year's column (year-table.html)
            for cell, year in zip(row.inputs, _years_of(row), strict=True):
                cell.labelled_by = f"label-{row.path} col-{out[-1].path}-{year}"
    return out


def _is_single_number(row: Row) -> bool:
    return row.shape == "field" and len(row.inputs) == 1 and row.inputs[0].widget == "number"


def _years_of(row: Row) -> list[str]:
    return [item.path.rsplit(".", 1)[1] for item in row.inputs]


# --- findings ---------------------------------------------------------------------------------


REQUIRED_RULE = "required"


def findings_holders(page: Page) -> dict[str, tuple[str, list[Any]]]:
    """Every findings list of the page by path (``id="findings-<path>"``), with its label."""
    holders: dict[str, tuple[str, list[Any]]] = {page.key: (page.title, page.findings)}
    for row in _all_rows(page.rows):
        holders[row.path] = (row.label, row.findings)
        for line in row.extra.get("lines", []):
            if "path" in line:
                holders[line["path"]] = (line["indicator"], line["findings"])
    return holders


def _attach(page: Page, findings: list[Finding]) -> None:
    """Each finding goes to the row whose path is its longest prefix (a cell's to its row)."""
    holders = findings_holders(page)
    for finding in findings:
        path = finding.path
        while path not in holders and "." in path:
            path = path.rsplit(".", 1)[0]
        holders.get(path, holders[page.key])[1].append(finding)
    about: dict[str, list[dict[str, str]]] = {}
    for holder, (label, held) in holders.items():
        held[:] = shown_findings(held, label)
        for index, line in enumerate(held, start=1):
            line["id"] = f"finding-{holder}-{index}"
            for path in line["paths"].split():
                about.setdefault(path, []).append(line)
    _link_boxes(page, about)


def _link_boxes(page: Page, about: dict[str, list[dict[str, str]]]) -> None:
    """Each box points at the findings that name it (``aria-describedby``) and is
    ``aria-invalid`` when one is an error other than an empty box: a fresh draft's empty
    boxes are to-dos, not mistakes. autosave.js keeps both up to date after each save."""
    for box in _all_inputs(page.rows):
        linked = about.get(box.path, [])
        box.described_by = " ".join(line["id"] for line in linked)
        box.invalid = any(
            line["level"] == "error" and line["rule"] != REQUIRED_RULE for line in linked
        )


def _all_inputs(rows: list[Row]):
    for row in _all_rows(rows):
        yield from row.inputs
        for line in row.extra.get("lines", []):
            yield from line.get("cells", [])


def shown_findings(findings: list[Finding], label: str) -> list[dict[str, str]]:
    """The findings of one row as shown: the empty boxes of a table or a year row are one line.

    Each line names the boxes it is about (``paths``), which the page marks.
    """
    empty = [f for f in findings if f.rule == REQUIRED_RULE]
    out = [_shown(f) for f in findings if f.rule != REQUIRED_RULE or len(empty) < 2]
    if len(empty) >= 2:
        message = (
            # A number box holds 无 too (form.numbers): one word for every box, as the 填报说明.
            f"「{label}」有{len(empty)}处必填项未填写；无相关情况时应填写“无”（填报说明第2条）"
        )
        paths = " ".join(f.path for f in empty)
        out.insert(0, {"level": "error", "rule": REQUIRED_RULE, "message": message, "paths": paths})
    return out


def _shown(finding: Finding) -> dict[str, str]:
    level, rule, message = finding.level.value, finding.rule, finding.message
    return {"level": level, "rule": rule, "message": message, "paths": finding.path}


def _all_rows(rows: list[Row]):
    for row in rows:
        if row.shape != "year-table":
            yield row
        yield from _all_rows(row.children)
