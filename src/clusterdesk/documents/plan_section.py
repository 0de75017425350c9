"""Part 八 (发展规划): headings and texts as in the notice, with the targets table; render and read.

The targets table has the notice's columns 方向 / 指标 / 2022年基准值 / 2025年目标值: the listed
indicators with their units, 定性描述 rows for 开放合作 and 治理和服务, the cluster's own rows,
and the notice's “......” row where a direction has none of its own.
"""

from __future__ import annotations

import re
import typing
from decimal import Decimal
from typing import Any

from ..form.fields import Kind, form_fields
from ..form.numbers import NoneDecimal
from ..form.schema import PART_TITLES, Application
from ..form.schema.plan import (
    BASELINE_LABEL,
    PLAN_MAX_CHARS,
    TARGET_LABEL,
    TARGET_RULES_NOTE,
    Direction,
    Targets,
)
from ..form.walk import resolve
from .docx_read import NUMBERING, Region, Row
from .docx_style import TEXT_WIDTH, Cell, paragraph, part_heading, table
from .import_report import Collector
from .layout import TARGETS_ITEM, plan_items
from .normalise import format_number, norm, parse_number

DIRECTIONS: tuple[str, ...] = typing.get_args(Direction)
QUALITATIVE = "定性描述"
PLACEHOLDER = "......"
COUNT_UNITS = frozenset({"家", "件", "个", "项", "人"})
LIMIT_NOTE = f"（{PLAN_MAX_CHARS}字以内）"
TARGETS_PATH = "part8.goals.targets"
HEADER = ("方向", "指标", BASELINE_LABEL, TARGET_LABEL)
WIDTHS = [1400, 3044, 2200, 2200]
_UNIT_RE = re.compile(r"^(.*?)[（(]([^（）()]+)[）)]$", re.S)


def _bracketed(note: str) -> str:
    return note if note.startswith("（") else f"（{note}）"


def numeric_rows() -> list[tuple[str, str, str, str]]:
    """(field, direction, indicator label, unit) of the indicators the notice lists."""
    return [
        (name, spec.note or "", spec.label, spec.unit or "")
        for name, spec in form_fields(Targets)
        if spec.kind == Kind.SECTION and spec.unit
    ]


def qualitative_rows() -> dict[str, str]:
    """direction → field of its 定性描述 row."""
    return {
        spec.label: name
        for name, spec in form_fields(Targets)
        if spec.kind == Kind.SECTION and spec.note == QUALITATIVE
    }


def _number(value: Decimal | None, unit: str) -> str:
    if isinstance(value, NoneDecimal):
        return format_number(value)  # 无, not 0 (form.numbers)
    integral = value is not None and value == value.to_integral_value()
    return format_number(int(value) if integral and unit in COUNT_UNITS else value)


def targets_xml(app: Application) -> str:
    targets = app.part8.goals.targets
    rows: list[list[Cell]] = [[Cell([text], bold=True, center=True) for text in HEADER]]
    qualitative = qualitative_rows()
    for direction in DIRECTIONS:
        group: list[list[Cell]] = []
        for name, where, label, unit in numeric_rows():
            if where == direction:
                value = getattr(targets, name)
                group.append(
                    [
                        Cell([f"{label}（{unit}）"]),
                        Cell([_number(value.baseline, unit)]),
                        Cell([_number(value.target, unit)]),
                    ]
                )
        if direction in qualitative:
            value = getattr(targets, qualitative[direction])
            group.append(
                [Cell([QUALITATIVE]), Cell([value.baseline or ""]), Cell([value.target or ""])]
            )
        extras = [extra for extra in targets.extra if extra.direction == direction]
        for extra in extras:
            label = f"{extra.indicator}（{extra.unit}）" if extra.unit else extra.indicator
            group.append([Cell([label]), Cell([extra.baseline]), Cell([extra.target])])
        if not extras and direction not in qualitative:
            group.append([Cell([PLACEHOLDER]), Cell(), Cell()])
        for index, cells in enumerate(group):
            merge = "continue" if index else "restart"
            rows.append([Cell([direction], merge=merge, center=True), *cells])
    keep = [i + 1 < len(rows) and rows[i + 1][0].merge == "continue" for i in range(len(rows))]
    return table([*WIDTHS[:3], TEXT_WIDTH - sum(WIDTHS[:3])], rows, header_rows=1, keep=keep)


def plan_xml(app: Application) -> list[str]:
    out = [part_heading(PART_TITLES["part8"]), paragraph(LIMIT_NOTE)]
    for item in plan_items():
        out.append(paragraph(item.heading, bold=True, keep_next=True, space_before=120))
        if item.note:
            out.append(paragraph(_bracketed(item.note) if item.path is None else item.note))
        if item.label == TARGETS_ITEM:
            out += [targets_xml(app), paragraph(TARGET_RULES_NOTE)]
        if item.path:
            out.append(paragraph(resolve(app, item.path) or "", indent=True))
    return out


# ---------------------------------------------------------------- reading


def _heading_of(text: str, start: int) -> tuple[int, str] | None:
    """The outline item a paragraph heads (searching forward only) and any text after it."""
    have = norm(text)
    bare = NUMBERING.sub("", have)
    items = plan_items()
    for index in range(start, len(items)):
        label = norm(items[index].label)
        if bare == label or have == norm(items[index].heading):
            return index, ""
        if bare.startswith(label) and bare[len(label) : len(label) + 1] in (":", "："):
            rest = text.split("：", 1)[-1] if "：" in text else text.split(":", 1)[-1]
            return index, rest.strip()
    return None


def read_plan(out: Collector, region: Region | None) -> None:
    items = plan_items()
    texts: dict[int, list[str]] = {}
    notes = {norm(LIMIT_NOTE), norm(TARGET_RULES_NOTE)}
    notes |= {norm(item.note) for item in items if item.note}
    notes |= {norm(_bracketed(item.note)) for item in items if item.note}
    current = -1
    targets_read = False
    for kind, content in _blocks(region):
        if kind == "t":
            rows = typing.cast(list[Row], content)
            if not targets_read and _is_targets(rows):
                read_targets(out, rows)
                targets_read = True
            continue
        text = typing.cast(str, content)
        found = _heading_of(text, current + 1) if text.strip() else None
        if found:
            current, rest = found
            texts[current] = [rest] if rest else []
        elif current >= 0 and norm(text) not in notes:
            texts[current].append(text)

    for index, item in enumerate(items):
        if item.path is None:
            continue
        if index not in texts:
            out.report.missing(item.path, item.label)
            continue
        value = "\n".join(texts[index]).strip("\n").strip() or None
        out.put(item.path, value)
        out.report.add_read(item.path, item.label, value or "")
    if not targets_read:
        out.report.missing(TARGETS_PATH, TARGETS_ITEM)


def _blocks(region: Region | None) -> list[tuple[str, object]]:
    """The region's blocks, with the paragraphs of any other table's cells in place of that
    table: the plan may stand in a cell beside a label (发展规划 | the box). A nested targets
    table also follows its cell as a table of its own (``docx_read``); its paragraphs in the
    cell fall under 1.三年总体目标, a heading without text of its own, so they are not kept."""
    out: list[tuple[str, object]] = []
    for kind, content in region.blocks if region else []:
        rows = typing.cast(list[Row], content)
        if kind == "p" or _is_targets(rows):
            out.append((kind, content))
            continue
        seen: set[int] = set()
        for row in rows:
            for cell in row.cells:
                if cell.key not in seen:
                    seen.add(cell.key)
                    out.extend(("p", text) for text in cell.paras)
    return out


def _is_targets(rows: list[Row]) -> bool:
    return any({"方向", "指标"} <= {cell.norm for cell in row.cells} for row in rows[:2])


def read_targets(out: Collector, rows: list[Row]) -> None:
    numeric = {norm(label): (name, unit) for name, _, label, unit in numeric_rows()}
    qualitative = qualitative_rows()
    extras: list[dict[str, Any]] = []
    direction = ""
    started = False
    for row in rows:
        cells = row.cells
        if not started:
            started = {"方向", "指标"} <= {cell.norm for cell in cells}
            continue
        if len(cells) >= 4:
            direction = cells[0].text.strip() or direction
            cells = cells[1:]
        if len(cells) < 3:
            continue
        indicator, baseline, target = (cell.text.strip() for cell in cells[:3])
        key = norm(indicator)
        match = next((numeric[k] for k in numeric if key.startswith(k)), None)
        if match:
            name, unit = match
            path = f"{TARGETS_PATH}.{name}"
            for field, raw in (("baseline", baseline), ("target", target)):
                reading = parse_number(raw, unit)
                out.put(f"{path}.{field}", reading.value)
                out.whys(f"{path}.{field}", raw, reading.value, reading.why)
                out.report.add_read(f"{path}.{field}", f"{indicator}·{field}", raw)
        elif key == QUALITATIVE and norm(direction) in qualitative:
            path = f"{TARGETS_PATH}.{qualitative[norm(direction)]}"
            out.put(path, {"baseline": baseline or None, "target": target or None})
            out.report.add_read(path, f"{direction}·{QUALITATIVE}", f"{baseline}｜{target}")
        elif key.strip(".。…") and (baseline or target):
            extras.append(_extra(out, direction, indicator, baseline, target))
    valid = [extra for extra in extras if extra]
    out.put(f"{TARGETS_PATH}.extra", valid)
    out.report.add_read(f"{TARGETS_PATH}.extra", "其它指标", f"{len(valid)}行")


def _extra(out: Collector, direction: str, indicator: str, baseline: str, target: str) -> dict:
    path = f"{TARGETS_PATH}.extra"
    if not (baseline and target):
        out.report.interpret(path, indicator, None, "自增指标缺少基准值或目标值，未导入")
        return {}
    if norm(direction) not in DIRECTIONS:
        out.report.interpret(path, direction, "其它", "方向不在表内所列方向中，归入“其它”")
        direction = "其它"
    match = _UNIT_RE.match(indicator)
    name, unit = (match.group(1).strip(), match.group(2).strip()) if match else (indicator, None)
    return {
        "direction": norm(direction),
        "indicator": name,
        "unit": unit,
        "baseline": baseline,
        "target": target,
    }
