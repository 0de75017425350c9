"""Findings: what a rule, a consistency check or a criterion has to say about one field."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .fields import json_number


class Level(StrEnum):
    ERROR = "error"  # must be fixed before submission
    WARNING = "warning"  # a reviewer will ask about it
    INFO = "info"  # computed values and rules that could not be evaluated

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    path: str  # dotted path into the application, e.g. part2.total_output.2021
    label: str  # the official label of the field, verbatim
    level: Level
    rule: str  # a stable identifier of the rule, e.g. decimals
    message: str  # Chinese, names the rule and the values
    values: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "label": self.label,
            "level": self.level.value,
            "rule": self.rule,
            "message": self.message,
            "values": {key: _json_value(value) for key, value in self.values.items()},
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    return value


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level == Level.ERROR]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level == Level.WARNING]
