"""What the Word import did, field by field: read, not found, interpreted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ReadItem:
    path: str
    label: str
    raw: str


@dataclass(frozen=True)
class NotFound:
    path: str
    label: str


@dataclass(frozen=True)
class Interpretation:
    path: str
    raw: str
    value: Any
    why: str


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _shown(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, bool):
        return "勾选" if value else "未勾选"
    return str(_plain(value))


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

    def as_json(self) -> dict[str, Any]:
        return {
            "read": [asdict(item) for item in self.read],
            "not_found": [asdict(item) for item in self.not_found],
            "interpreted": [
                {**asdict(item), "value": _plain(item.value)} for item in self.interpreted
            ],
        }

    def text(self) -> str:
        lines = [
            f"导入结果：读取 {len(self.read)} 项，未找到 {len(self.not_found)} 项，"
            f"经解释 {len(self.interpreted)} 项。"
        ]
        if self.not_found:
            lines.append("未找到的栏目：")
            lines += [f"  - {item.label}（{item.path}）" for item in self.not_found]
        if self.interpreted:
            lines.append("经解释的填写内容：")
            lines += [
                f"  - {item.path}：“{item.raw}” → {_shown(item.value)}（{item.why}）"
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
