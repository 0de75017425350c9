"""Appendices after part 九: what the schema holds but the printed form has no box for.

附：表外填报内容 (the carbon formula the form asks for, the Attachment 1 row), 附：标准清单,
附：有效发明专利清单 and 附：佐证材料目录 (the item as part · official label, file, SHA-256, size).
Rendered as plain tables with a header row, read back by their column titles.

The evidence register names each item by its part and official label, never by the internal
path; the reader maps the label back to the path (labels that two items share are printed with
the block they sit in, so that the mapping is one to one). Its columns fit the A4 text width: the
SHA-256 is printed whole, on one line in a small font, so that the printed form still proves which
file was filed (the package's manifest.json holds the same value).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import BaseModel

from ..form.attachment2 import ATTACHMENT2_2023
from ..form.fields import spec_of
from ..form.loading import label_at
from ..form.schema import Application
from ..form.schema.application import PART_TITLES
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
ITEM, FILE_NAME, SHA256, SIZE = "栏目", "文件名", "SHA-256", "大小（字节）"
EVIDENCE_COLUMNS = (ITEM, FILE_NAME, SHA256, SIZE)
UNKNOWN_ITEM = "未知栏目"
OLD_PATH_COLUMN = "栏目路径"  # forms printed before the labels replaced the paths
# 序号 | 栏目 | 文件名 | SHA-256 | 大小, in twips (A4's text width, 8,844). The SHA-256 is printed
# whole on one line: 64 digits of the fixed-width font at 七号 (5.5 pt, 0.6 em each: 211 pt)
# plus the cell margins (170); the size (at most 8 digits) in the same font.
CODE_SIZE = 11  # half-points: 七号
HASH_WIDTH = 4420
SIZE_WIDTH = 780
NUMBER_WIDTH = 600
ITEM_WIDTH = 1850
EVIDENCE_WIDTHS = (
    NUMBER_WIDTH,
    ITEM_WIDTH,
    TEXT_WIDTH - NUMBER_WIDTH - ITEM_WIDTH - HASH_WIDTH - SIZE_WIDTH,
    HASH_WIDTH,
    SIZE_WIDTH,
)


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
    out += [
        paragraph(TITLES[EVIDENCE], bold=True, space_before=240, keep_next=True),
        evidence_table(app),
        paragraph(),
    ]  # Word ends a body with a paragraph, never a table
    return out


def evidence_table(app: Application) -> str:
    """附：佐证材料目录: one row per file, the item named as the officer sees it."""
    cells = [[Cell([text], bold=True, center=True) for text in (NUMBER, *EVIDENCE_COLUMNS)]]
    labels = evidence_labels()
    number = 0
    for path, entries in app.evidence.items():
        for file in entries:
            number += 1
            cells.append(
                [
                    Cell([str(number)], center=True),
                    Cell([labels.get(path) or _unknown_item(path)]),
                    Cell([file.name]),
                    Cell([file.sha256 or ""], size=CODE_SIZE, mono=True),
                    Cell(["" if file.size is None else str(file.size)], size=CODE_SIZE, mono=True),
                ]
            )
    if not number:
        cells.append([Cell([NONE_ROW], span=len(EVIDENCE_WIDTHS))])
    return table(EVIDENCE_WIDTHS, cells, header_rows=1)


@cache
def evidence_labels() -> dict[str, str]:
    """Every box of the form that may carry evidence → 「part · label」, one to one.

    A label two boxes share is printed with the blocks it sits in (「… · 公共服务平台 · 数量」),
    or else with the nearest box before it whose label is its own (「一、基本情况 · 联系人（集群
    运营管理机构）」), so that the reader finds the path again."""
    nodes = [node for node in walk(ATTACHMENT2_2023, Application()) if node.year is None]
    texts = {
        node.path: " · ".join(
            (
                _part(node.path),
                label_at(ATTACHMENT2_2023, tuple(node.path.split("."))) or node.label,
            )
        )
        for node in nodes
    }
    shared = Counter(texts.values())
    for node in nodes:
        if shared[texts[node.path]] > 1 and node.context[1:]:
            texts[node.path] = " · ".join((_part(node.path), *node.context[1:], node.label))
    shared = Counter(texts.values())
    labels = {}
    for index, node in enumerate(nodes):
        text = texts[node.path]
        if shared[text] > 1:
            before = next(
                (
                    other.label
                    for other in reversed(nodes[:index])
                    if shared[texts[other.path]] == 1 and _part(other.path) == _part(node.path)
                ),
                node.path,
            )
            text = f"{text}（{before}）"
        labels[node.path] = text
    return labels


def _part(path: str) -> str:
    return PART_TITLES.get(path.split(".", maxsplit=1)[0], "其他")


def _unknown_item(path: str) -> str:
    """A register key the form has no box for (data from an old import): its part at least."""
    return f"{_part(path)} · {UNKNOWN_ITEM}（{path}）"


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
    records = _records(region, FILE_NAME)
    if records is None:
        out.report.missing("evidence", "佐证材料目录")
        return
    evidence: dict[str, list[dict[str, Any]]] = {}
    paths = {norm(text): path for path, text in evidence_labels().items()}
    keys = [norm(title) for title in (OLD_PATH_COLUMN, *EVIDENCE_COLUMNS)]
    for record in records:
        old_path, item, name, sha, size = (record.get(key, "") for key in keys)
        unknown = re.search(rf"{UNKNOWN_ITEM}（(.+)）$", item.strip())
        path = old_path.strip() or paths.get(norm(item)) or (unknown and unknown.group(1))
        if path is None:
            out.report.interpret(
                "evidence", f"{item}｜{name}", None, "佐证材料目录中的栏目无法识别，该文件未导入"
            )
            continue
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
