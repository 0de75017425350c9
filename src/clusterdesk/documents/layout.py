"""Attachment 2 row by row, derived from the schema: the one description render and parse share.

Labels, notes, units, options and year columns all come from the field metadata; this module only
adds what the schema cannot know — how the official form arranges some boxes on paper: the
联系人/联系方式 pairs, years down a column instead of across, the merged group cells, and the
items printed outside the form's boxes (the 清单s, evidence, formula) which go to appendices.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from pydantic import BaseModel

from ..form.fields import FieldSpec, Kind, form_fields, spec_of
from ..form.schema import Application
from ..form.schema.industry import TICK_NOTE
from ..form.schema.plan import Plan, StageTargets
from ..form.versions import FORM_2023
from .normalise import norm

YEARS = FORM_2023.year_keys
YEAR_LABELS = tuple(f"{year}年" for year in YEARS)
FORM_PARTS = tuple(f"part{number}" for number in range(1, 8))  # the table parts 一–七


class RowKind(StrEnum):
    VALUE = "value"  # label | value
    PAIR = "pair"  # 联系人 | value | 联系方式 | value
    YEARS = "years"  # label | 2020 | 2021 | 2022, under the table's year header
    YEARS_HEADED = "years-headed"  # label | 2020年 2021年 2022年, the values in the row below
    YEARS_DOWN = "years-down"  # label | 2020年 | value, one row per year
    CHOICE = "choice"  # label | ☑是  □否
    TICKS = "ticks"  # label | one line per checkbox
    PLATFORM = "platform"  # group | label | 数量：N个 名称：…
    STANDARDS = "standards"  # the standards table: years × 国际/国家/行业/团体 × 主持/参与


@dataclass(frozen=True)
class Box:
    """One field as the layout sees it."""

    path: str
    spec: FieldSpec
    integer: bool = False  # a count stored as int: printed without decimals
    options: tuple[tuple[str, str], ...] = ()  # (value or field name, official text)


@dataclass(frozen=True)
class Row:
    kind: RowKind
    box: Box
    label: str  # the label cell as printed (label with its official note)
    second: Box | None = None  # the right half of a PAIR
    group: str | None = None  # the merged cell to the left (创新平台建设情况 …)
    before: str = ""  # printed in the value cell before the options
    after: str = ""  # printed in the value cell after the options or value
    inline: bool = False  # the label is printed in the value cell, above its options
    note_row: str | None = None  # an extra row of the group (YEARS_DOWN)

    @property
    def keys(self) -> tuple[str, ...]:
        """What the parser matches against a cell, normalised, most specific first."""
        return tuple(dict.fromkeys((norm(self.label), norm(self.box.spec.label))))


# ---- how the official form arranges some boxes (the schema knows labels, not paper)

YEAR_LAYOUT = {
    "part4.software_spending": RowKind.YEARS_HEADED,
    "part5.carbon_intensity": RowKind.YEARS_DOWN,
    "part6.export_growth": RowKind.YEARS_DOWN,
    "part6.fdi_growth": RowKind.YEARS_DOWN,
}
YEAR_HEADER = {"part2": "主导产业情况（近三年）", "part3": "年度"}
PAIRED = {
    "part1.department_contact": "part1.department_phone",
    "part1.operator_contact": "part1.operator_phone",
}
GROUPS = {
    "part4.new_models": "数字化新模式新业态推广情况",
    "part4.new_model_work": "数字化新模式新业态推广情况",
}
INLINE = frozenset({"part4.new_model_work"})
# Printed outside the form's boxes, in the appendix 附：表外填报内容.
APPENDIX_FIELDS = ("part5.carbon_formula",)
NOTE_ROWS = {"part5.carbon_intensity": "part5.carbon_formula"}
# The official form prints these units in the value cell (“      个”).
VALUE_UNITS = frozenset({"个"})


def options_of(model: type[BaseModel], name: str) -> tuple[str, ...]:
    annotation = model.model_fields[name].annotation
    for arg in typing.get_args(annotation) or (annotation,):
        if typing.get_origin(arg) is typing.Literal:
            return typing.get_args(arg)
    return ()


def inner_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    annotation = model.model_fields[name].annotation
    if typing.get_origin(annotation) is dict:
        annotation = typing.get_args(annotation)[1]
    return annotation  # type: ignore[return-value]


def is_integer(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is dict:
        args = typing.get_args(args[1]) or (args[1],)
    return int in args or annotation is int


def printed_label(spec: FieldSpec) -> str:
    """The label cell: the label with the official note printed beside it (（200字以内） …)."""
    note = spec.note or ""
    if note.endswith("：") and len(note) <= 4:  # 其中：
        return note + spec.label
    if note.startswith("（") and spec.kind not in (Kind.CHOICE, Kind.SECTION):
        return spec.label + note
    return spec.label


def _box(model: type[BaseModel], name: str, path: str) -> Box:
    spec = spec_of(model, name)
    options: tuple[tuple[str, str], ...] = ()
    if spec.kind == Kind.CHOICE:
        options = tuple((option, option) for option in options_of(model, name))
    elif spec.kind == Kind.SECTION and not spec.yearly:
        ticks = form_fields(inner_model(model, name))
        if ticks and all(inner.kind == Kind.TICK for _, inner in ticks):
            options = tuple((inner_name, inner.label) for inner_name, inner in ticks)
    return Box(path, spec, is_integer(model, name), options)


def _rows(model: type[BaseModel], prefix: str) -> list[Row]:
    rows: list[Row] = []
    for name, spec in form_fields(model):
        path = prefix + name
        if path in APPENDIX_FIELDS or path in PAIRED.values() or spec.kind == Kind.LIST:
            continue
        box = _box(model, name, path)
        group = GROUPS.get(path)
        label = printed_label(spec)
        if group and spec.note and spec.note.startswith(group):
            label = spec.label + spec.note.removeprefix(group)
        if path in PAIRED:
            second = _box(model, PAIRED[path].rsplit(".", 1)[1], PAIRED[path])
            rows.append(Row(RowKind.PAIR, box, label, second=second))
        elif spec.kind == Kind.SECTION and spec.yearly:
            rows.append(Row(RowKind.STANDARDS, box, label + (spec.note or "")))
        elif spec.kind == Kind.SECTION and box.options:
            note = spec.note or ""
            before, _, after = note.partition(TICK_NOTE)
            if path in INLINE:
                before = spec.label + "："
            after = TICK_NOTE if TICK_NOTE in note else after
            rows.append(
                Row(
                    RowKind.TICKS,
                    box,
                    label,
                    group=group,
                    before=before,
                    after=after,
                    inline=path in INLINE,
                )
            )
        elif spec.kind == Kind.SECTION:  # a block of sub-blocks: the platforms
            inner = inner_model(model, name)
            for inner_name, _ in form_fields(inner):
                inner_box = _box(inner, inner_name, f"{path}.{inner_name}")
                rows.append(
                    Row(RowKind.PLATFORM, inner_box, inner_box.spec.label, group=spec.label)
                )
        elif spec.yearly:
            kind = YEAR_LAYOUT.get(path, RowKind.YEARS)
            note = NOTE_ROWS.get(path)
            note_text = spec_of(model, note.rsplit(".", 1)[1]).note if note else None
            rows.append(Row(kind, box, label, group=group, note_row=note_text))
        elif spec.kind == Kind.CHOICE:
            rows.append(Row(RowKind.CHOICE, box, label, group=group, after=spec.note or ""))
        else:
            rows.append(Row(RowKind.VALUE, box, label, group=group))
    return rows


@cache
def part_rows(part: str) -> tuple[Row, ...]:
    """The rows of one of the table parts 一–七 and 九, in the form's order."""
    model = inner_model(Application, part)
    return tuple(_rows(model, f"{part}."))


# ---- part 八: headings and texts, numbered as in the notice


@dataclass(frozen=True)
class PlanItem:
    number: str  # 一、 （1） 1.
    label: str
    path: str | None  # the text written under the heading; None for a heading only
    note: str | None = None  # official guidance printed under the heading

    @property
    def heading(self) -> str:
        return self.number + self.label


PLAN_WRAPPER = "未来三年中小企业特色产业集群发展规划"


def _plan(name: str, number: str, *, model: type[BaseModel] = Plan, prefix: str = "part8."):
    spec = spec_of(model, name)
    path = None if spec.kind == Kind.SECTION else prefix + name
    return PlanItem(number, spec.label, path, spec.note)


@cache
def plan_items() -> tuple[PlanItem, ...]:
    """Part 八's outline. The targets table goes right after “1.三年总体目标”."""
    goals = inner_model(Plan, "goals")
    stages = [
        _plan(name, f"（{i}）", model=StageTargets, prefix="part8.goals.stages.")
        for i, (name, _) in enumerate(form_fields(StageTargets), start=1)
    ]
    return (
        _plan("overview", "一、"),
        _plan("achievements", "二、"),
        _plan("problems", "三、"),
        PlanItem("四、", PLAN_WRAPPER, None),
        _plan("approach", "（1）"),
        _plan("goals", "（2）"),
        _plan("targets", "1.", model=goals, prefix="part8.goals."),
        _plan("stages", "2.", model=goals, prefix="part8.goals."),
        *stages,
        _plan("key_tasks", "（3）"),
        _plan("safeguards", "（4）"),
    )


TARGETS_ITEM = "三年总体目标"


# ---- the template's hints: printed in the value cells, left there when a county types into them

_HINT = re.compile(r"（[^（）]*需提供[^（）]*）")


@cache
def hints() -> tuple[str, ...]:
    """The notice's hints (（需提供清单）, （需提供相关佐证材料）, （注：勾选需提供佐证材料） …),
    taken from the labels and notes of the form, longest first."""
    found: set[str] = set()
    for part in (*FORM_PARTS, "part9"):
        for row in part_rows(part):
            for text in (row.label, row.before, row.after, row.box.spec.note, row.note_row):
                found.update(_HINT.findall(text or ""))
    return tuple(sorted(found, key=len, reverse=True))
