"""Appendices after part 九: what the schema holds but the printed form has no box for.

附：表外填报内容 (the carbon formula the form asks for, the Attachment 1 row), 附：标准清单,
附：有效发明专利清单 and 附：佐证材料目录 (field path, label, file, SHA-256, size). Rendered as
plain tables with a header row, read back by their column titles.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from ..form.attachment2 import ATTACHMENT2_2023
from ..form.fields import spec_of
from ..form.schema import Application
from ..form.schema.cover import SummaryRow
from ..form.schema.green import Green
from ..form.schema.innovation import PatentItem, StandardItem
from ..form.walk import walk
from .docx_read import Region
from .docx_style import TEXT_WIDTH, Cell, paragraph, part_heading, table
from .import_report import Collector
from .layout import printed_label
from .normalise import norm

OTHER, STANDARDS, PATENTS, EVIDENCE = "other", "standards", "patents", "evidence"
TITLES = {
    OTHER: "附：表外填报内容",
    STANDARDS: "附：标准清单",
    PATENTS: "附：有效发明专利清单",
    EVIDENCE: "附：佐证材料目录",
}
NUMBER = "序号"
NONE_ROW = "无"

# (path, model, field) of the single values printed in 附：表外填报内容
OTHER_FIELDS = (
    ("part5.carbon_formula", Green, "carbon_formula"),
    ("attachment1.leading_industry", SummaryRow, "leading_industry"),
    ("attachment1.established", SummaryRow, "established"),
    ("attachment1.summary", SummaryRow, "summary"),
)
EVIDENCE_COLUMNS = ("栏目路径", "栏目", "文件名", "SHA-256", "大小（字节）")


def _titles(model: type[BaseModel]) -> list[tuple[str, str]]:
    return [(name, info.title or name) for name, info in model.model_fields.items()]


def _list_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [700] + [(TEXT_WIDTH - 700) // (len(header) - 1)] * (len(header) - 1)
    cells = [[Cell([text], bold=True, center=True) for text in header]]
    cells += [
        [Cell([str(n)], center=True), *(Cell([t]) for t in row)] for n, row in enumerate(rows, 1)
    ]
    if not rows:
        cells.append([Cell([NONE_ROW], span=len(header))])
    return table(widths, cells, header_rows=1)


def render(app: Application) -> list[str]:
    other = [
        [Cell([printed_label(spec_of(model, name))]), Cell([_get(app, path) or ""])]
        for path, model, name in OTHER_FIELDS
    ]
    out = [part_heading(TITLES[OTHER]), table([3100, TEXT_WIDTH - 3100], other)]

    def plain(model: type[BaseModel], items: list[BaseModel]) -> list[list[str]]:
        return [
            [
                "" if getattr(item, name) is None else str(getattr(item, name))
                for name, _ in _titles(model)
            ]
            for item in items
        ]

    for key, model, items in (
        (STANDARDS, StandardItem, app.part3.standards_list),
        (PATENTS, PatentItem, app.part3.patents_list),
    ):
        header = [NUMBER, *(title for _, title in _titles(model))]
        out += [
            paragraph(TITLES[key], bold=True, space_before=240, keep_next=True),
            _list_table(header, plain(model, items)),
        ]
    labels = {node.path: node.full_label for node in walk(ATTACHMENT2_2023, app)}
    files = [
        [
            path,
            labels.get(path, ""),
            file.name,
            file.sha256 or "",
            "" if file.size is None else str(file.size),
        ]
        for path, entries in app.evidence.items()
        for file in entries
    ]
    out += [
        paragraph(TITLES[EVIDENCE], bold=True, space_before=240, keep_next=True),
        _list_table([NUMBER, *EVIDENCE_COLUMNS], files),
        paragraph(),
    ]  # Word ends a body with a paragraph, never a table
    return out


def _get(app: Application, path: str) -> Any:
    part, name = path.split(".")
    return getattr(getattr(app, part), name)


# ---------------------------------------------------------------- reading


def _records(region: Region | None, header_key: str) -> list[dict[str, str]] | None:
    """The rows of a list table as column title → text; None when the table is missing."""
    if region is None:
        return None
    for number, row in enumerate(region.rows):
        titles = [cell.norm for cell in row.cells]
        if norm(header_key) in titles:
            records = []
            for data in region.rows[number + 1 :]:
                if data.table != row.table:
                    break
                texts = [cell.text.strip() for cell in data.cells]
                if len(texts) != len(titles) or not any(texts[1:]):
                    continue
                records.append(dict(zip(titles, texts, strict=True)))
            return records
    return None


def read(out: Collector, regions: dict[str, Region]) -> None:
    _read_other(out, regions.get(OTHER))
    _read_items(out, regions.get(STANDARDS), "part3.standards_list", StandardItem, _standard)
    _read_items(out, regions.get(PATENTS), "part3.patents_list", PatentItem, _patent)
    _read_evidence(out, regions.get(EVIDENCE))


def _read_other(out: Collector, region: Region | None) -> None:
    rows = region.rows if region else []
    for path, model, name in OTHER_FIELDS:
        spec = spec_of(model, name)
        keys = {norm(spec.label), norm(printed_label(spec))}
        row = next((r for r in rows if r.cells and r.cells[0].norm in keys), None)
        if row is None:
            out.report.missing(path, spec.label)
            continue
        raw = row.cells[1].text.strip() if len(row.cells) > 1 else ""
        out.put(path, raw or None)
        out.report.add_read(path, spec.label, raw)


def _read_items(
    out: Collector,
    region: Region | None,
    path: str,
    model: type[BaseModel],
    convert: Callable[[dict[str, str]], dict[str, Any]],
) -> None:
    titles = dict(_titles(model))
    label = spec_of(type(Application().part3), path.rsplit(".", 1)[1]).label
    records = _records(region, titles["name" if "name" in titles else "title"])
    if records is None:
        out.report.missing(path, label)
        return
    items = []
    for record in records:
        values = {name: record.get(norm(title), "") for name, title in titles.items()}
        try:
            items.append(model.model_validate(convert(values)).model_dump())
        except ValueError as error:
            out.report.interpret(
                path,
                "｜".join(values.values()),
                None,
                f"清单行无法识别，未导入（{error.__class__.__name__}）",
            )
    out.put(path, items)
    out.report.add_read(path, label, f"{len(items)}行")


def _standard(values: dict[str, str]) -> dict[str, Any]:
    year = unicodedata.normalize("NFKC", values["year"]).strip().removesuffix("年")
    return {**values, "year": int(year), "code": values["code"] or None}


def _patent(values: dict[str, str]) -> dict[str, Any]:
    return {
        "kind": values["kind"] or "发明专利",
        "title": values["title"],
        "number": values["number"] or None,
        "holder": values["holder"] or None,
    }


def _read_evidence(out: Collector, region: Region | None) -> None:
    records = _records(region, EVIDENCE_COLUMNS[0])
    if records is None:
        out.report.missing("evidence", "佐证材料目录")
        return
    evidence: dict[str, list[dict[str, Any]]] = {}
    keys = [norm(title) for title in EVIDENCE_COLUMNS]
    for record in records:
        path, _, name, sha, size = (record.get(key, "") for key in keys)
        size_text = unicodedata.normalize("NFKC", size).replace(",", "").strip()
        evidence.setdefault(path, []).append(
            {
                "name": name,
                "sha256": sha.lower() or None,
                "size": int(size_text) if size_text.isdigit() else None,
            }
        )
    out.put("evidence", evidence)
    out.report.add_read("evidence", "佐证材料目录", f"{len(records)}个文件")
