"""Where a field is, as the officer finds it, and how its stored value reads.

One naming for every report that points at a field of a stored form — the Word import's report,
the revision diff — so a field is always 二、主导产业情况 · 集群总产值（亿元） · 2021年,
never a path, whichever form it belongs to. Values print through ``display.show``, the one
formatter.
"""

from __future__ import annotations

import typing
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from .definition import FormDefinition
from .display import show
from .fields import NUMBER_KINDS, Kind, form_fields
from .numbers import NONE_COUNT, NONE_NUMBER, is_none_word

# Where a value that is not in one of the form's parts comes from, as the officer sees it.
PLACES = {
    "cover": "封面",
    "evidence": "附：佐证材料目录",
    "attachment1": "附件1",
    "form_version": "表格版本",
}
OTHER = "其他"  # a path outside every part (a stale key): never shown as the path itself


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, looking through dict[str, Model], list[Model] and Optional."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=4096)
def labels(definition: FormDefinition, path: str) -> tuple[tuple[str, ...], Kind | None]:
    """The official labels along a path (part, box, option …, year) and the last field's kind."""
    parts = path.split(".")
    model: type[BaseModel] | None = definition.model
    top = dict(form_fields(model)).get(parts[0])
    head = PLACES.get(parts[0]) or (top.label if top else None) or OTHER
    found, years, kind = [head], [], None
    for part in parts:
        if part.isdigit() and len(part) == 4:
            years.append(f"{part}年")
            continue
        if model is None or part not in model.model_fields:
            model = None
            continue
        fields = dict(form_fields(model))
        if part in fields:
            spec = fields[part]
            kind = spec.kind
            if spec.label and spec.label not in found:
                found.append(spec.label)
        model = inner_model(model.model_fields[part].annotation)
    return tuple(found + years), kind


def place(definition: FormDefinition, path: str) -> str:
    """A field as the officer finds it: 二、主导产业情况 · 集群总产值 · 2021年 (never a path)."""
    return " · ".join(labels(definition, path)[0])


def part_of(definition: FormDefinition, path: str) -> str:
    """The part a field is in, as the form heads it: 二、主导产业情况, 封面 …"""
    return labels(definition, path)[0][0]


def shown(definition: FormDefinition, path: str, value: Any) -> str:
    """A value as the form shows it (``display.show``): ☑ 是, ☑ 已勾选 / ☐ 未勾选, 121.80,
    2020年 3.12；2021年 无, 未填写 – never True, None or a Decimal.

    ``value`` is typed (as read) or as the form stores it in JSON (a number as a float or a
    text, 无 as the word, a date as ISO text): the box's kind says how to read it back."""
    return stored_text(value, labels(definition, path)[1])


def stored_text(value: Any, kind: Kind | None) -> str:
    """A stored value of a box of ``kind`` as the form shows it."""
    return show(typed(kind, value), integer=kind == Kind.COUNT, choice=kind == Kind.CHOICE)


def typed(kind: Kind | None, value: Any) -> Any:
    """A stored value as the typed form holds it, so that it prints as the form prints it."""
    if isinstance(value, dict):
        return {key: typed(kind, item) for key, item in value.items()}
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return f"{len(value)} 行"  # a 清单: its rows are listed on its own page
    if kind in NUMBER_KINDS and not isinstance(value, bool):
        if is_none_word(value):
            return NONE_COUNT if kind == Kind.COUNT else NONE_NUMBER
        if isinstance(value, int) and kind != Kind.COUNT:
            return Decimal(value)  # JSON keeps 90.00 as 90: an amount still prints 90.00
        if isinstance(value, float | str):
            try:
                number = Decimal(str(value).strip())
            except ArithmeticError:
                return value  # a text kept as typed (a hint taken out of a count's cell)
            return number if number.is_finite() else value
    if kind == Kind.DATE and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value
