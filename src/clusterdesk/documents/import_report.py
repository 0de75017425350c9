"""What the Word import did, field by field: read, not found, interpreted."""

from __future__ import annotations

import typing
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from ..form.display import show
from ..form.fields import NUMBER_KINDS, Kind, form_fields
from ..form.numbers import NONE_COUNT, NONE_NUMBER, is_none_word
from ..form.schema import PART_TITLES, Application

# Where a value that is not in one of the parts 一–九 comes from, as the officer sees it.
PLACES = {
    "cover": "封面",
    "evidence": "附：佐证材料目录",
    "attachment1": "附件1",
    "form_version": "表格版本",
}
CHECK = "需核对："  # an interpretation the officer must check (a value put into several years)


def _inner(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, looking through dict[str, Model], list[Model] and Optional."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner(arg)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=2048)
def _labels(path: str) -> tuple[tuple[str, ...], Kind | None]:
    """The official labels along a path (part, box, option …, year) and the last field's kind."""
    parts = path.split(".")
    head = PART_TITLES.get(parts[0]) or PLACES.get(parts[0]) or parts[0]
    labels, years, kind = [head], [], None
    model: type[BaseModel] | None = Application
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
            if spec.label and spec.label not in labels and part not in PART_TITLES:
                labels.append(spec.label)
        model = _inner(model.model_fields[part].annotation)
    return tuple(labels + years), kind


def place(path: str) -> str:
    """A field as the officer finds it: 二、主导产业情况 · 集群总产值 · 2021年 (never a path)."""
    return " · ".join(_labels(path)[0])


def part_of(path: str) -> str:
    """The part a field is in, as the form heads it: 二、主导产业情况, 封面 …"""
    return _labels(path)[0][0]


def shown(path: str, value: Any) -> str:
    """A value as the form shows it (``form.display.show``, the one formatter): ☑ 是,
    ☑ 已勾选 / ☐ 未勾选, 121.80, 2020年 3.12；2021年 无, 未填写 – never True, None or a Decimal.

    ``value`` is typed (as read) or as the form stores it in JSON (a number as a float or a
    text, 无 as the word, a date as ISO text): the box's kind says how to read it back."""
    kind = _labels(path)[1]
    return show(_typed(kind, value), integer=kind == Kind.COUNT, choice=kind == Kind.CHOICE)


def _typed(kind: Kind | None, value: Any) -> Any:
    """A stored value as the typed form holds it, so that it prints as the form prints it."""
    if isinstance(value, dict):
        return {key: _typed(kind, item) for key, item in value.items()}
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return f"{len(value)} 行"  # a 清单: its rows are listed on its own page
    if kind in NUMBER_KINDS and not isinstance(value, bool):
        if is_none_word(value):
            return NONE_COUNT if kind == Kind.COUNT else NONE_NUMBER
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


@dataclass(frozen=True)
class ReadItem:
    path: str
    label: str
    raw: str

    @property
    def place(self) -> str:
        return place(self.path)


@dataclass(frozen=True)
class NotFound:
    path: str
    label: str

    @property
    def place(self) -> str:
        return place(self.path)


@dataclass(frozen=True)
class Interpretation:
    path: str
    raw: str
    value: Any
    why: str

    @property
    def place(self) -> str:
        return place(self.path)

    @property
    def shown(self) -> str:
        return shown(self.path, self.value)

    @property
    def to_check(self) -> bool:
        return self.why.startswith(CHECK)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


@dataclass
class ParseReport:
    read: list[ReadItem] = field(default_factory=list)
    not_found: list[NotFound] = field(default_factory=list)
    interpreted: list[Interpretation] = field(default_factory=list)

    def add_read(self, path: str, label: str, raw: str) -> None:
        self.read.append(ReadItem(path, label, raw))

    def missing(self, path: str, label: str) -> None:
        self.not_found.append(NotFound(path, label))

    def interpret(self, path: str, raw: str, value: Any, why: str) -> None:
        self.interpreted.append(Interpretation(path, raw, value, why))

    def change(self, path: str, raw: str, kept: str, why: str) -> None:
        """A text taken other than as it stands in the cell (a hint left there removed)."""
        self.interpreted.append(Interpretation(path, raw, kept, why))

    def as_json(self) -> dict[str, Any]:
        return {
            "read": [asdict(item) for item in self.read],
            "not_found": [asdict(item) for item in self.not_found],
            "interpreted": [
                {**asdict(item), "value": _plain(item.value), "place": item.place}
                for item in self.interpreted
            ],
        }

    @property
    def to_check(self) -> list[Interpretation]:
        return [item for item in self.interpreted if item.to_check]

    def text(self) -> str:
        lines = [
            f"导入结果：读取 {len(self.read)} 项，未找到 {len(self.not_found)} 项，"
            f"经解释 {len(self.interpreted)} 项。"
        ]
        if self.not_found:
            lines.append("未找到的栏目：")
            lines += [f"  - {item.place}" for item in self.not_found]
        if self.interpreted:
            lines.append("经解释的填写内容：")
            lines += [
                f"  - {item.place}：“{item.raw}” → {item.shown}（{item.why}）"
                for item in self.interpreted
            ]
        return "\n".join(lines)


class Collector:
    """The values read so far, as the nested dict the schema validates, and the report."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.report = ParseReport()

    def put(self, path: str, value: Any) -> None:
        *parents, last = path.split(".")
        node = self.data
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value

    def get(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def drop(self, location: tuple[Any, ...]) -> Any:
        """Remove the value at a validation error's location; returns what was removed."""
        node: Any = self.data
        for part in location[:-1]:
            node = node[part] if isinstance(node, dict | list) else None
            if node is None:
                return None
        if isinstance(node, dict):
            return node.pop(location[-1], None)
        if isinstance(node, list) and isinstance(location[-1], int):
            return node.pop(location[-1])
        return None

    def whys(self, path: str, raw: str, value: Any, whys: list[str]) -> None:
        for why in whys:
            self.report.interpret(path, raw, value, why)
