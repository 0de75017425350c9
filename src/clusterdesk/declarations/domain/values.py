"""Form values as the store keeps and compares them: paths into the JSON, blanks, numbers typed
with separators, and which boxes a save changed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from clusterdesk.form.fields import NUMBER_KINDS, Kind
from clusterdesk.form.numbers import read_number


def with_value(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at ``path``; only the dicts along the path are copied,
    the rest is shared (so neither copy may be changed in place)."""
    *parents, last = path.split(".")
    top = current = dict(data)
    for part in parents:
        child = current.get(part)
        child = dict(child) if isinstance(child, dict) else {}
        current[part] = child
        current = child
    current[last] = value
    return top


def changed_boxes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Each box whose value differs, as ``{"path", "before", "after"}`` in the form's order.

    Boxes are the leaves of the form's JSON; a 清单 and the files of one evidence item count as
    one box each, so a revision says "the patent list changed", with both lists.
    """
    # Only the parts that differ are taken apart (a dict comparison in C): an autosave changes
    # one box of a form whose lists alone hold thousands of leaves.
    keys = [key for key in after if key not in before or before[key] != after[key]]
    keys += [key for key in before if key not in after]
    before = {key: before[key] for key in keys if key in before}
    after = {key: after[key] for key in keys if key in after}
    old, new = dict(_leaves(before)), dict(_leaves(after))
    paths = list(new) + [path for path in old if path not in new]
    return [
        {"path": path, "before": old.get(path), "after": new.get(path)}
        for path in paths
        if old.get(path) != new.get(path)
    ]


def _leaves(data: Any, prefix: str = "") -> Iterable[tuple[str, Any]]:
    if prefix == "evidence" and isinstance(data, dict):  # keyed by field path: one box each
        for path, files in data.items():
            yield f"evidence.{path}", files
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, data


def get_path(data: dict[str, Any], path: str) -> Any:
    current: Any = data
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


# Thousands separators and full-width forms typed into a number box: "1，234．５" is 1234.5.
_SEPARATORS = re.compile(r"[,\s]")


def stored_value(value: Any, kind: Kind) -> Any:
    """The value as the form stores it: blanks are empty, typed numbers lose their separators.

    Digits are never rounded or cut: "1.234" stays "1.234" for the decimals rule to report.
    """
    value = blank_to_none(value)
    if kind in NUMBER_KINDS and isinstance(value, str):
        return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    if kind == Kind.LIST and isinstance(value, list):
        return [_blanks_to_none(item) for item in value]
    return value


def typed_number(value: Any, kind: Kind, unit: str | None) -> tuple[Any, list[str]]:
    """A number box's value as stored, and what was changed to read it (Chinese, for the note at
    the box): the Word import's rule (``form.numbers.read_number``), so ``108.6亿元`` in a 万元
    box is stored as 1086000 and 无 as 无. Text that is no number is kept as typed (full-width
    forms made plain, separators dropped) for the schema to refuse with its message."""
    value = blank_to_none(value)
    if not isinstance(value, str):
        return value, []
    reading = read_number(value, unit, integer=kind == Kind.COUNT)
    if not reading.ok or reading.value is None:
        return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value)), []
    return reading.text, reading.why


def _blanks_to_none(row: Any) -> Any:
    if isinstance(row, dict):
        return {key: blank_to_none(item) for key, item in row.items()}
    return blank_to_none(row)


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def same(a: Any, b: Any, *, numeric: bool = True) -> bool:
    """Equal as the form sees them: "108.60" and 108.6 are the same number, "" is empty.

    Text is compared as text (``numeric=False``): the phone number "0574" is not "574".
    """
    return _canonical(a, numeric) == _canonical(b, numeric)


def _canonical(value: Any, numeric: bool) -> Any:
    value = blank_to_none(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip()
        if numeric and _NUMBER.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                return text
        return text
    if isinstance(value, list | tuple):
        return [_canonical(item, numeric) for item in value]
    if isinstance(value, dict):
        # A row sent without its empty columns is the row stored with them as null.
        pairs = ((str(key), _canonical(item, numeric)) for key, item in value.items())
        return {key: item for key, item in pairs if item is not None}
    return value
