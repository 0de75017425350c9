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


def text_field(source, name: str) -> str:
    return (source.get(name) or "")[:MAX_FIELD]
