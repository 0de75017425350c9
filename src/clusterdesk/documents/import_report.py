"""What the Word import did, field by field: read, not found, interpreted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..form import places
from ..form.attachment2 import ATTACHMENT2_2023
from ..form.places import PLACES  # noqa: F401 - re-exported: the import tests name the heads

CHECK = "需核对："  # an interpretation the officer must check (a value put into several years)


# The naming is shared with the revision diff (``form.places``); this report is Attachment 2's.
def place(path: str) -> str:
    """A field as the officer finds it: 二、主导产业情况 · 集群总产值 · 2021年 (never a path)."""
    return places.place(ATTACHMENT2_2023, path)


def part_of(path: str) -> str:
    """The part a field is in, as the form heads it: 二、主导产业情况, 封面 …"""
    return places.part_of(ATTACHMENT2_2023, path)


def shown(path: str, value: Any) -> str:
    """A value as the form shows it (``form.places.shown``): never True, None or a Decimal."""
    return places.shown(ATTACHMENT2_2023, path, value)


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
    # The form read (its parts name the places in the text); Attachment 2 unless told.
    form: Any = field(default=ATTACHMENT2_2023, repr=False, compare=False)

    def place(self, path: str) -> str:
        return places.place(self.form, path)

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
                {**asdict(item), "value": _plain(item.value), "place": self.place(item.path)}
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
            lines += [f"  - {self.place(item.path)}" for item in self.not_found]
        if self.interpreted:
            lines.append("经解释的填写内容：")
            lines += [
                f"  - {self.place(item.path)}：“{item.raw}” → "
                f"{places.shown(self.form, item.path, item.value)}（{item.why}）"
                for item in self.interpreted
            ]
        return "\n".join(lines)


class Collector:
    """The values read so far, as the nested dict the schema validates, and the report."""

    def __init__(self, form: Any = ATTACHMENT2_2023) -> None:
        self.data: dict[str, Any] = {}
        self.report = ParseReport(form=form)

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
