"""Reading the posted fields: a bad date is a Chinese message naming the field, not a 500."""

from __future__ import annotations

import datetime as dt

from clusterdesk.errors import DomainError

MAX_FIELD = 20_000  # no posted text is longer than this (the models bound each field below it)


class BadInput(DomainError):
    pass


def date_field(raw: str | None, label: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadInput(f"{label}：请按“2023-09-27”的格式填写日期。") from None


# The fields' names as the forms label them, for the messages.
LABELS = {
    "name": "姓名",
    "organisation": "单位",
    "contact": "联系方式",
    "content": "异议内容",
    "notes": "调查核实情况",
    "reason": "理由",
    "members": "参会人员",
    "minutes": "会议纪要",
}
PREFIXED = {"departure_": "偏离排名顺序的理由", "reason_": "不予认定的理由"}


def text_field(source, name: str) -> str:
    """The posted text, bounded; a NUL character (which no keyboard types and PostgreSQL cannot
    store) is refused naming the field rather than failing in the database."""
    text = (source.get(name) or "")[:MAX_FIELD]
    if "\x00" in text:
        raise BadInput(f"{_label(name)}：含有无法保存的控制字符，请删除后重新填写。")
    return text


def _label(name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    return next((label for prefix, label in PREFIXED.items() if name.startswith(prefix)), name)
